//! Reported speech: the cues no direct quote took, with the clause they
//! report.
//!
//! - "X said (on Monday) (that) CLAUSE", "X told reporters that CLAUSE",
//!   "X complained that CLAUSE": the clause after the cue, up to the end of
//!   the sentence or the next ", adding that";
//! - "CLAUSE, X said." / "CLAUSE, said X.": the clause before;
//! - "According to X, CLAUSE" / "CLAUSE, according to X".
//!
//! A clause with a quoted fragment in it is mixed, else indirect. A clause
//! never overlaps a whole direct quote, and needs three words.

use super::attribution::{CueHit, adverbial_to_end, inside_whole, title_words_left};
use super::cues;
use super::direct::Quoted;
use super::{Ctx, Found, NONE, QuoteKind};
use crate::text::TokenKind;

/// Words that may stand between a cue and "that" ("said on Monday in a
/// statement that").
fn is_filler(ctx: &Ctx, i: usize) -> bool {
    match ctx.lower(i) {
        Some(w) => {
            cues::is_weekday(w)
                || matches!(
                    w,
                    "on" | "in"
                        | "at"
                        | "during"
                        | "last"
                        | "late"
                        | "early"
                        | "this"
                        | "earlier"
                        | "later"
                        | "a"
                        | "an"
                        | "the"
                        | "statement"
                        | "interview"
                        | "news"
                        | "conference"
                        | "week"
                        | "month"
                        | "year"
                        | "night"
                        | "morning"
                        | "afternoon"
                        | "evening"
                        | "today"
                        | "yesterday"
                        | "also"
                        | "reporters"
                        | "repeatedly"
                        | "again"
                        | "recently"
                        | "publicly"
                        | "privately"
                        | "email"
                        | "speech"
                        | "recent"
                        | "past"
                        | "months"
                        | "weeks"
                        | "days"
                        | "years"
                        | "several"
                        | "few"
                        | "previously"
                        | "after"
                        | "before"
                        | "lunch"
                        | "dinner"
                        | "meeting"
                        | "event"
                        | "rally"
                        | "hearing"
                        | "briefing"
                        | "call"
                        | "his"
                        | "her"
                        | "their"
                        | "its"
                        | "remarks"
                        | "opening"
                        | "letter"
                        | "tweet"
                        | "post"
                        | "address"
                        | "appearance"
                        | "radio"
                        | "show"
                        | "program"
                        | "televised"
                )
                || ctx.is_capitalized(i)
        }
        None => ctx.tokens[i].kind == TokenKind::Number || ctx.is_punct(i, ","),
    }
}

/// Finds the reported speech of the cues no direct quote took.
pub fn find(ctx: &Ctx, quoted: &[Quoted], cues: &[CueHit], used: &[bool]) -> Vec<Found> {
    let inside = inside_whole(ctx, quoted);
    let mut in_fragment = vec![false; ctx.tokens.len()];
    for q in quoted.iter().filter(|q| !q.whole) {
        in_fragment[q.open..q.end].fill(true);
    }
    let mut out = Vec::new();
    for (ci, c) in cues.iter().enumerate() {
        let Some(speaker) = c.speaker else { continue };
        // A cue a split quote's second half took may still attribute a
        // fragment before it ("… means “he must be doing something right,”
        // she says, “but …”").
        let start = c.start();
        let fragment_before = ctx.closing_mark_before(start).is_some_and(|m| in_fragment[m]);
        if used[ci] && !fragment_before {
            continue;
        }
        let range = ctx.sentence_tokens(c.sentence);
        // The clause ends before the sentence's next ", adding that".
        let mut hi = range.end;
        for n in &cues[ci + 1..] {
            if n.sentence != c.sentence {
                break;
            }
            if n.verb.is_some_and(|v| v.participle) && n.tok > 0 && ctx.is_punct(n.tok - 1, ",") {
                hi = n.tok - 1;
                break;
            }
            // "was “corrupt,” noting that": the comma inside the fragment.
            if n.verb.is_some_and(|v| v.participle)
                && n.tok > 1
                && ctx.closes_quote(n.tok - 1)
                && ctx.is_punct(n.tok - 2, ",")
            {
                hi = n.tok;
                break;
            }
            // "... (, )and suggested that": a second cue of the same subject.
            if n.tok > c.end + 1 && (ctx.is(n.tok - 1, "and") || ctx.is(n.tok - 1, "but")) {
                hi = if ctx.is_punct(n.tok - 2, ",") { n.tok - 2 } else { n.tok - 1 };
                break;
            }
            // "CLAUSE, Iranian media reported": the clause stops at the comma.
            let start = if n.inverted {
                n.tok
            } else {
                n.speaker.filter(|p| p.from > c.end).map_or(n.tok, |p| p.from.min(n.tok))
            };
            if start > c.end && ctx.is_punct(start - 1, ",") {
                hi = start - 1;
                break;
            }
            // "Rubio suggested …, while Cruz said that …": another subject's
            // attribution after a conjunction ("while" needs no comma).
            if !n.inverted && start > c.end + 2 && n.speaker.is_some_and(|p| p.from > c.end && Some(p) != c.speaker) {
                let conj = ctx.lower(start - 1);
                if conj.is_some_and(|w| matches!(w, "while" | "whereas" | "but" | "and"))
                    && ctx.is_punct(start - 2, ",")
                {
                    hi = start - 2;
                    break;
                }
                if conj.is_some_and(|w| matches!(w, "while" | "whereas")) {
                    hi = start - 1;
                    break;
                }
            }
            // "… “kept us safe” on Twitter before claiming that …": the
            // subject's next report.
            if n.verb.is_some_and(|v| v.participle)
                && n.tok > c.end + 2
                && ctx.lower(n.tok - 1).is_some_and(|w| matches!(w, "before" | "after"))
            {
                hi = n.tok - 1;
                break;
            }
        }
        // "…, a charge that Colorado Republican leaders denied": the
        // writer's comment on the whole report ends it.
        if let Some(k) = (c.end + 3..hi.saturating_sub(3)).find(|&k| {
            ctx.is_punct(k, ",")
                && ctx.lower(k + 1).is_some_and(|w| matches!(w, "a" | "an"))
                && ctx.lower(k + 2).is_some_and(|w| {
                    matches!(
                        w,
                        "move" | "charge" | "claim" | "reference" | "nod" | "swipe" | "decision" | "sign" | "step"
                    )
                })
                && ctx.lower(k + 3).is_some_and(|w| matches!(w, "that" | "which" | "to"))
        }) {
            hi = k;
        }
        // "..., and called him ...": the subject's next verb ends the clause.
        if let Some(k) = (c.end + 2..hi.saturating_sub(1)).find(|&k| {
            ctx.is_punct(k, ",")
                && (ctx.is(k + 1, "and") || ctx.is(k + 1, "but"))
                && k + 2 < hi
                && ctx.tokens[k + 2].kind == TokenKind::Word
                && ctx.word(k + 2).ends_with("ed")
                && !ctx.is_capitalized(k + 2)
        }) {
            hi = k;
        }
        // "... “a prayer” for the nominee but did not suggest ...": after a
        // quoted fragment, "but" and a verb start the subject's next clause.
        if let Some(k) = (c.end + 2..hi.saturating_sub(1)).find(|&k| {
            ctx.is(k, "but")
                && (c.end..k).any(|t| in_fragment[t])
                && ctx.lower(k + 1).is_some_and(|w| {
                    matches!(
                        w,
                        "did"
                            | "does"
                            | "do"
                            | "didn't"
                            | "would"
                            | "has"
                            | "had"
                            | "was"
                            | "is"
                            | "then"
                            | "not"
                    ) || (w.ends_with("ed") && !ctx.is_capitalized(k + 1))
                    // "but also said" (not "but also hungry for …").
                    || (w == "also"
                        && ctx.lower(k + 2).is_some_and(|v| {
                            v.ends_with("ed") || cues::cue_verb(v).is_some() || cues::attitude_verb(v).is_some()
                        }))
                })
        }) {
            hi = k;
        }
        while hi > range.start && matches!(ctx.word(hi - 1), "." | "," | ";" | ":" | "!" | "?" | "—" | "–") {
            hi -= 1;
        }
        let after = c.after();
        let mut parts: Vec<(usize, usize)> = Vec::with_capacity(2);
        // "Over the long term, according to the budget office, the deficit
        // grows": a short opening phrase, then the clause after.
        let prefix_words = (range.start..c.tok).filter(|&t| ctx.tokens[t].kind == TokenKind::Word).count();
        if c.verb.is_none()
            && c.tok > range.start + 1
            && ctx.is_punct(c.tok - 1, ",")
            && (1..=5).contains(&prefix_words)
            && ctx.is_punct(after, ",")
            && after + 2 < hi
        {
            parts.push((range.start, c.tok - 1));
            parts.push((after + 1, hi));
        } else if let Some(r) = as_clause(ctx, c, speaker.from, after, range.start, hi) {
            parts.push(r);
        } else if let Some(r) = right_clause(ctx, c, after, hi) {
            parts.push(r);
        } else {
            left_clause(ctx, c, speaker.from.min(c.tok), after, range.clone(), hi, &mut parts);
        }
        // Never overlap a whole quote: keep the part before it.
        parts.retain_mut(|(from, to)| {
            if let Some(q) = (*from..*to).find(|&t| inside[t] != NONE) {
                *to = q;
                while *to > *from && matches!(ctx.word(*to - 1), "," | ":" | "—" | "–") {
                    *to -= 1;
                }
            }
            if ctx.is(*from, "that") {
                *from += 1;
            }
            *from < *to
        });
        let words: usize =
            parts.iter().map(|&(from, to)| (from..to).filter(|&t| ctx.tokens[t].kind == TokenKind::Word).count()).sum();
        // An attitude's object may be a name ("endorsed Trump").
        if words < if c.verb.is_some_and(|v| v.attitude) { 1 } else { 3 } {
            continue;
        }
        let mixed = parts.iter().any(|&(from, to)| (from..to).any(|t| in_fragment[t]));
        // A fragment that runs on past the sentence ("insisted “there is no
        // cribbing. These were common words.”") ends the clause at its mark.
        if let Some((from, to)) = parts.last_mut()
            && let Some(q) = quoted
                .get(quoted.partition_point(|q| q.end <= *to))
                .filter(|q| !q.whole && *from <= q.open && q.open < *to)
            && q.close.is_some()
            && ctx.paragraph_of(q.end - 1) == ctx.paragraph_of(*from)
        {
            *to = q.end;
        }
        // A mixed clause ends with its last fragment when a comma follows it
        // (", a more sensitive classification ...", ", while trying to ..."),
        // or at a dash after it opening an aside ("… “up-skill” workers - and
        // he makes sure …").
        if let Some((from, to)) = parts.last_mut()
            && let Some(last) = (*from..*to).rev().find(|&t| in_fragment[t])
            && last + 1 < *to
            && (*from..last).filter(|&t| ctx.tokens[t].kind == TokenKind::Word).count() >= 2
        {
            let comma = ctx.is_punct(last + 1, ",")
                || (last > *from
                    && ctx.is_punct(last - 1, ",")
                    && (ctx.is_capitalized(last + 1)
                        || ctx
                            .lower(last + 1)
                            .is_some_and(|w| matches!(w, "while" | "which" | "an" | "a" | "although"))));
            let dash = (last + 1..*to)
                .take_while(|&t| ctx.tokens[t].kind == TokenKind::Word || matches!(ctx.word(t), "—" | "–" | "-" | "--"))
                .find(|&t| ctx.tokens[t].kind != TokenKind::Word);
            if comma {
                *to = last + 1;
            } else if let Some(d) = dash.filter(|&d| d + 1 < *to) {
                *to = d;
            }
        }
        for (from, to) in parts {
            out.push(Found {
                kind: if mixed { QuoteKind::Mixed } else { QuoteKind::Indirect },
                content: ctx.span(from, to),
                cue: Some(ctx.span(c.tok, c.end)),
                speaker: Some(speaker),
                confidence: if mixed { 0.7 } else { 0.6 },
            });
        }
    }
    out
}

/// "As The Times reported, CLAUSE." and "CLAUSE, as The Times reported.":
/// the clause on the other side of the attribution's comma.
fn as_clause(ctx: &Ctx, c: &CueHit, speaker_from: usize, after: usize, lo: usize, hi: usize) -> Option<(usize, usize)> {
    if c.inverted || c.verb.is_none() || speaker_from > c.tok {
        return None;
    }
    // "as The Times reported": the article may stand outside the name.
    let before = if speaker_from > 0 && ctx.is(speaker_from - 1, "the") { speaker_from - 1 } else { speaker_from };
    let as_at = before.checked_sub(1).filter(|&a| ctx.is(a, "as"))?;
    if as_at <= lo + 1 && after < hi && ctx.is_punct(after, ",") {
        return (after + 1 < hi).then_some((after + 1, hi));
    }
    if as_at > lo + 2 && ctx.is_punct(as_at - 1, ",") && after >= hi {
        return Some((lo, as_at - 1));
    }
    None
}

/// The clause after the cue: `[from, hi)`.
fn right_clause(ctx: &Ctx, c: &CueHit, after: usize, hi: usize) -> Option<(usize, usize)> {
    if after >= hi {
        return None;
    }
    let Some(verb) = c.verb else {
        // "According to X, CLAUSE." — only when the cue opens the sentence
        // ("But according to X, ..."); else the comma starts X's appositive.
        let opens = ctx.sentence_tokens(c.sentence).start + 2 >= c.tok;
        return (opens && ctx.is_punct(after, ",") && after + 1 < hi).then_some((after + 1, hi));
    };
    if verb.attitude {
        // "endorsed the bipartisan deal", "declined to comment", "called for
        // a ban": the object, without a particle.
        let pointing = ctx
            .lower(c.tok)
            .is_some_and(|w| w.starts_with("refer") || w.starts_with("point") || w.starts_with("allud"));
        let from = if ctx
            .lower(after)
            .is_some_and(|w| matches!(w, "for" | "on" | "against") || (pointing && matches!(w, "to" | "out")))
        {
            after + 1
        } else {
            after
        };
        let to = object_end(ctx, from, hi);
        return (from < to && ctx.tokens[from].kind != TokenKind::Punct).then_some((from, to));
    }
    // "promised to end the regime": the infinitive.
    if ctx.is(after, "to") && ctx.lower(c.tok).is_some_and(cues::takes_infinitive) {
        return (after + 1 < hi).then_some((after, hi));
    }
    // "that" within a few filler words.
    let mut j = after;
    while j < hi && j < after + 14 {
        if ctx.is(j, "that") {
            return (j + 1 < hi).then_some((j + 1, hi));
        }
        if ctx.tokens[j].kind == TokenKind::Quote || ctx.is_punct(j, ":") {
            break;
        }
        // "told a TV interviewer that": a short object phrase; also "stated
        // of the email scandal that".
        let object = (verb.object
            || (!c.inverted && ctx.lower(after).is_some_and(|w| matches!(w, "of" | "for" | "to"))))
            && j < after + 8
            && ctx.tokens[j].kind == TokenKind::Word
            && ctx.lower(j).is_some_and(|w| cues::cue_verb(w).is_none() && w != "and");
        if !(object || is_filler(ctx, j) || ctx.mention_of[j] != NONE) {
            break;
        }
        j += 1;
    }
    // "asked (him) whether ...", "wondered how ...": the question.
    if ctx.lower(c.tok).is_some_and(|w| matches!(w, "asked" | "asks" | "asking" | "wondered")) {
        let wh = (after..hi.min(after + 5)).take_while(|&t| ctx.tokens[t].kind == TokenKind::Word).find(|&t| {
            ctx.lower(t)
                .is_some_and(|w| matches!(w, "whether" | "if" | "how" | "why" | "what" | "who" | "which" | "when"))
        });
        if let Some(t) = wh.filter(|&t| t + 1 < hi) {
            return Some((t, hi));
        }
        // "asked voters to stay home", "asked for a recount", "asked about
        // the emails": the request, when the asker is named before.
        let passive = c.tok > 0
            && ctx
                .lower(c.tok - 1)
                .is_some_and(|w| matches!(w, "was" | "were" | "is" | "are" | "been" | "being" | "when" | "if"));
        if c.inverted || passive || ctx.tokens[after].kind != TokenKind::Word {
            return None;
        }
        let from = if ctx.lower(after).is_some_and(|w| matches!(w, "for" | "about")) { after + 1 } else { after };
        let to = object_end(ctx, from, hi);
        return (from < to && (from..to).filter(|&t| ctx.tokens[t].kind == TokenKind::Word).count() >= 2)
            .then_some((from, to));
    }
    // "announced his candidacy", "urged voters to ...": with no clause, the
    // object of a verb that also takes one.
    if !c.inverted && ctx.lower(c.tok).is_some_and(cues::takes_object) {
        let to = object_end(ctx, after, hi);
        let opens = ctx.tokens[after].kind == TokenKind::Word && ctx.lower(after).is_some_and(|w| !cues::is_weekday(w));
        if opens && after < to {
            return Some((after, to));
        }
    }
    // ", said Heiserman of the CORE Teachers": after an inverted speaker
    // comes the speaker's description, not what was said.
    if !verb.bare || c.inverted {
        return None;
    }
    let mut from = after;
    if verb.object {
        // "told reporters he feels good": a name or a few listeners, then a
        // clause opening with a pronoun.
        let mut k = after;
        // A title word before the name ("told host Sean Hannity").
        if ctx.mention_of[k] == NONE
            && k + 1 < hi
            && ctx.mention_of[k + 1] != NONE
            && !ctx.is_capitalized(k)
            && ctx.lower(k).is_some_and(|w| !cues::is_stop(w) && !cues::is_determiner(w))
        {
            k += 1;
        }
        if ctx.mention_of[k] != NONE {
            k = ctx.mention_tokens(k).end;
        } else if ctx.lower(k).is_some_and(|w| {
            matches!(w, "reporters" | "journalists" | "supporters" | "voters" | "him" | "her" | "them" | "me" | "us")
        }) {
            k += 1;
        } else {
            return None;
        }
        let pronoun = k < hi && ctx.lower(k).is_some_and(|w| cues::pronoun(w).is_some());
        // Or a noun phrase with a finite verb soon after ("told host Sean
        // Hannity a Clinton loss is likely").
        let clause = k < hi
            && (ctx.mention_of[k] != NONE || ctx.lower(k).is_some_and(cues::is_determiner))
            && (k + 1..hi.min(k + 8)).take_while(|&t| ctx.tokens[t].kind == TokenKind::Word).any(|t| {
                ctx.lower(t).is_some_and(|w| {
                    matches!(
                        w,
                        "is" | "are" | "was" | "were" | "has" | "have" | "had" | "will" | "would" | "can" | "could"
                    )
                })
            });
        return (pronoun || clause).then_some((k, hi));
    }
    // Skip "on Monday", "Wednesday", a comma.
    loop {
        match ctx.lower(from) {
            Some("on") if ctx.lower(from + 1).is_some_and(cues::is_weekday) => from += 2,
            Some(w) if cues::is_weekday(w) => from += 1,
            _ => break,
        }
    }
    if from < hi && matches!(ctx.word(from), "," | "." | ";" | "?" | "!") {
        return None;
    }
    // A bare clause opens with its subject, not "at a recent event" or "when
    // asked".
    if from < hi
        && let Some(w) = ctx.lower(from)
        && cues::is_stop(w)
        && cues::pronoun(w).is_none()
        && !cues::is_determiner(w)
        && !matches!(w, "this" | "there" | "that" | "if")
    {
        return None;
    }
    (from < hi).then_some((from, hi))
}

/// The end of an attitude verb's object ("endorsed Trump last week and has
/// appeared ..."): a pause, a time phrase, or "and"/"but" before the
/// subject's next verb.
fn object_end(ctx: &Ctx, from: usize, hi: usize) -> usize {
    let verbish = |k: usize| {
        k < hi
            && ctx.lower(k).is_some_and(|w| {
                (w.ends_with("ed") && !ctx.is_capitalized(k))
                    || cues::cue_verb(w).is_some()
                    || matches!(w, "has" | "have" | "had" | "is" | "was" | "will" | "would" | "later" | "then")
            })
    };
    for k in from + 1..hi {
        if matches!(ctx.word(k), "," | ";" | ":" | "—" | "–" | "(") {
            return k;
        }
        let Some(w) = ctx.lower(k) else { continue };
        let time_next = ctx.lower(k + 1).is_some_and(|n| {
            matches!(n, "week" | "month" | "year" | "weekend" | "night" | "fall" | "spring" | "summer" | "winter")
                || cues::is_weekday(n)
        });
        let ends = cues::is_weekday(w)
            || (matches!(w, "last" | "this" | "next" | "earlier" | "on") && time_next)
            || (matches!(w, "and" | "but") && verbish(k + 1));
        if ends {
            return k;
        }
    }
    hi
}

/// The clause before "…, X said." when nothing but fillers follows the cue
/// (also "…,” X said." after a quoted fragment), or the two halves of a
/// sentence the attribution splits ("CLAUSE, X said, REST.").
fn left_clause(
    ctx: &Ctx,
    c: &CueHit,
    attribution_start: usize,
    after: usize,
    sentence: std::ops::Range<usize>,
    hi: usize,
    parts: &mut Vec<(usize, usize)>,
) {
    if c.verb.is_some_and(|v| v.participle || v.attitude) {
        return;
    }
    if c.verb.is_none() {
        // "CLAUSE(,) according to X(, who ...)": the clause before.
        let left_end = if c.tok > 0 && ctx.is_punct(c.tok - 1, ",") { c.tok - 1 } else { c.tok };
        if left_end > sentence.start {
            parts.push((sentence.start, left_end));
        }
        return;
    }
    let Some(mut k) = attribution_start.checked_sub(1) else { return };
    // Title words before the name ("…,” Homeland Security Deputy Secretary
    // Alejandro Mayorkas told reporters", ", Republican candidate Ben Carson
    // said").
    k = title_words_left(ctx, attribution_start, k.saturating_sub(6).max(sentence.start) + 1) - 1;
    if !(ctx.is_punct(k, ",") || ctx.closes_quote(k)) {
        k = attribution_start - 1;
    }
    if k <= sentence.start {
        return;
    }
    let left_end = if ctx.is_punct(k, ",") {
        k
    } else if ctx.closes_quote(k) {
        k + 1
    } else {
        return;
    };
    // The rest runs to `hi`: ", adding that ..." and ", and called him ..."
    // are clauses of their own.
    let rest_is_filler =
        (after..hi).all(|t| ctx.tokens[t].kind != TokenKind::Word || is_filler(ctx, t) || ctx.mention_of[t] != NONE);
    // "…, she said in a video message to the convention.": an adverbial
    // phrase to the sentence's end, with no quote in it.
    let adverbial = adverbial_to_end(ctx, after, hi, true);
    let rest_is_filler = rest_is_filler || adverbial;
    // ", said Ralf Jäger, the minister.": the rest is the speaker's appositive.
    // (Or its relative clause: ", said a former official who oversaw …".)
    let speakers_own = c.inverted && (ctx.is_punct(after, ",") || ctx.is(after, "who"));
    if rest_is_filler || speakers_own {
        parts.push((sentence.start, left_end));
        return;
    }
    // "CLAUSE, X said (on Monday), REST."
    let mut m = after;
    while m < hi && m < after + 8 && !ctx.is_punct(m, ",") && is_filler(ctx, m) {
        m += 1;
    }
    if m + 1 < hi && ctx.is_punct(m, ",") {
        parts.push((sentence.start, left_end));
        parts.push((m + 1, hi));
    }
}

#[cfg(test)]
mod tests {
    use super::super::QuoteKind::*;
    use super::super::testing::run;

    #[test]
    fn said_that_clause_and_clause_said() {
        let got = run(
            "Maria Lopez said on Monday that the deal was dead. The talks will resume next week, the minister said.",
        );
        assert_eq!(got[0].0, Indirect);
        assert_eq!(got[0].1, "the deal was dead");
        assert_eq!(got[0].3, "Maria Lopez");
        assert_eq!(got[1].1, "The talks will resume next week");
        assert_eq!(got[1].3, "the minister");
    }

    #[test]
    fn adding_that_shares_the_speaker_and_a_fragment_makes_it_mixed() {
        let got = run("Rabiei said Iran held the government responsible, adding that “it appears the end is near.”");
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!((got[0].0, got[0].1.as_str()), (Indirect, "Iran held the government responsible"));
        assert_eq!((got[1].0, got[1].3.as_str()), (Mixed, "Rabiei"));
    }

    #[test]
    fn a_clause_before_the_attribution_survives_a_following_adding_that() {
        let got = run("Carly Fiorina spoke. Clinton will play the “woman card,” Fiorina said, adding that it is bad.");
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!((got[0].0, got[0].1.as_str()), (Mixed, "Clinton will play the “woman card,”"));
        assert_eq!((got[1].0, got[1].1.as_str()), (Indirect, "it is bad"));
    }

    #[test]
    fn commented_wrote_for_bare_participles_and_a_relative_clause_after_an_inverted_speaker() {
        let got = run("He would be a better president than Clinton “no matter what,” one user commented.");
        assert_eq!(
            (got[0].1.as_str(), got[0].3.as_str()),
            ("He would be a better president than Clinton “no matter what,”", "one user")
        );
        let got = run("The frontrunner wrote for The Washington Informer that the District is often neglected.");
        assert_eq!(got[0].1, "the District is often neglected", "{got:?}");
        let got = run("Khizr Khan decried the calls, noting he has “sacrificed nothing” for the country.");
        assert!(got.iter().any(|q| q.1 == "he has “sacrificed nothing” for the country" && q.2 == "noting"), "{got:?}");
        let got = run("Petraeus “was handled so lightly,” said a former official who oversaw investigations.");
        assert_eq!((got[0].1.as_str(), got[0].3.as_str()), ("Petraeus “was handled so lightly,”", "a former official"));
    }

    #[test]
    fn another_subjects_attribution_after_while_ends_the_clause() {
        let got = run(
            "Marco Rubio and Ted Cruz debated. Rubio suggested that nobody can be president, while Cruz said that the “stakes are too high” for Trump.",
        );
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!((got[0].1.as_str(), got[0].2.as_str()), ("nobody can be president", "suggested"));
        assert_eq!((got[1].1.as_str(), got[1].2.as_str()), ("the “stakes are too high” for Trump", "said"));
    }

    #[test]
    fn a_writers_comment_or_the_subjects_next_report_ends_the_clause() {
        let got = run(
            "Donald Trump complained that the contest had been “rigged” against him, a charge that Colorado Republican leaders strongly denied.",
        );
        assert_eq!(got[0].1, "the contest had been “rigged” against him", "{got:?}");
        let got = run(
            "Donald Trump said the deadlock has “kept us safe” on Twitter before claiming that open borders are “tearing families apart.”",
        );
        assert_eq!(got[0].1, "the deadlock has “kept us safe” on Twitter", "{got:?}");
        assert_eq!(
            (got[1].1.as_str(), got[1].2.as_str()),
            ("open borders are “tearing families apart.”", "claiming"),
            "{got:?}"
        );
    }

    #[test]
    fn doubled_single_marks_close_a_fragment_before_the_attribution() {
        let got = run(
            "Members may be willing to pay more ''because they expect a certain level of service,'' Mr. Chipok said.",
        );
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!((got[0].0, got[0].2.as_str()), (Mixed, "said"));
        assert!(got[0].1.starts_with("Members may be willing"), "{got:?}");
    }

    #[test]
    fn a_mixed_clause_ends_at_a_dash_after_its_last_fragment() {
        let got = run(
            "Labor Secretary Thomas Perez says the government will help “up-skill” workers - and he makes sure to include coal workers.",
        );
        assert_eq!(got[0].1, "the government will help “up-skill” workers", "{got:?}");
    }

    #[test]
    fn according_to() {
        let got = run("According to the report, the economy grew by two percent.");
        assert_eq!(got[0].1, "the economy grew by two percent");
        assert_eq!(got[0].3, "the report");
    }

    #[test]
    fn an_attribution_inside_the_sentence_splits_it_in_two() {
        let got = run("In both cases, Eric Trump said, those donations paid for sponsorships.");
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!((got[0].1.as_str(), got[1].1.as_str()), ("In both cases", "those donations paid for sponsorships"));
        assert_eq!((got[0].2.as_str(), got[1].2.as_str()), ("said", "said"));
    }

    #[test]
    fn a_fragment_before_the_attribution_is_mixed_from_the_sentence_start() {
        let got = run("Teachers “get why the union endorsed her,” Weingarten said.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!((got[0].0, got[0].1.as_str()), (Mixed, "Teachers “get why the union endorsed her,”"));
        assert_eq!(got[0].3, "Weingarten");
    }

    #[test]
    fn a_possessive_in_the_appositive_keeps_the_speaker() {
        let got = run("Tad Devine, Sanders' senior adviser, said Republicans are engaged in mischief.");
        assert_eq!(got[0].3, "Tad Devine", "{got:?}");
    }

    #[test]
    fn clauses_after_a_possessive_an_object_phrase_or_if() {
        let got = run("She says her husband will “be the best president.”");
        assert_eq!((got[0].0, got[0].1.as_str()), (Mixed, "her husband will “be the best president.”"), "{got:?}");
        let got = run("Djokovic told a TV interviewer that he is feeling good about the match.");
        assert_eq!(got[0].1, "he is feeling good about the match", "{got:?}");
        let got = run("Beck said if Trump wins, he would impose martial law.");
        assert_eq!(got[0].1, "if Trump wins, he would impose martial law", "{got:?}");
    }

    #[test]
    fn relative_pronoun_and_appositive_after_an_inverted_speaker() {
        let got = run("Trump was out-brutalizing Ted Cruz, who said he would only use waterboarding sparingly.");
        // The local mention is the relative pronoun; the speaker its antecedent.
        assert_eq!((got[0].1.as_str(), got[0].3.as_str()), ("he would only use waterboarding sparingly", "who"));
        assert_eq!(got[0].4, "Ted Cruz");
        let got = run("Belgium should have acted sooner, said Ralf Jaeger, the minister.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].1, "Belgium should have acted sooner");
    }

    #[test]
    fn told_listeners_a_clause_and_a_second_cue_ends_the_first() {
        let got = run("The senator told reporters he feels good about his campaign in Iowa.");
        assert_eq!(got[0].1, "he feels good about his campaign in Iowa", "{got:?}");
        let got = run(
            "On Thursday, Ryan said he was not ready to support Trump, and suggested that Trump must unify the party.",
        );
        assert_eq!(got[0].1, "he was not ready to support Trump", "{got:?}");
        assert_eq!(got[1].1, "Trump must unify the party", "{got:?}");
    }

    #[test]
    fn a_reported_question() {
        let got = run("Maria Lopez asked him whether the talks would resume next week.");
        assert_eq!(got[0].1, "whether the talks would resume next week", "{got:?}");
    }

    #[test]
    fn attitude_verbs_attribute_their_object() {
        let got = run("Christie sought the nomination last week and has appeared at rallies since.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!((got[0].0, got[0].1.as_str(), got[0].2.as_str()), (Indirect, "the nomination", "sought"));
        assert_eq!(got[0].3, "Christie");
        let got = run("The Sanders campaign declined to comment on the report.");
        assert_eq!((got[0].1.as_str(), got[0].3.as_str()), ("to comment on the report", "The Sanders campaign"));
        let got = run("Sanders promised to end the deportation regime.");
        assert_eq!((got[0].1.as_str(), got[0].2.as_str()), ("to end the deportation regime", "promised"), "{got:?}");
    }

    #[test]
    fn verbs_of_stance_attribute_their_object() {
        let got = run("House Speaker Paul Ryan criticized the identity politics on display in the race.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(
            (got[0].1.as_str(), got[0].2.as_str(), got[0].3.as_str()),
            ("the identity politics on display in the race", "criticized", "Paul Ryan")
        );
        let got = run("Clinton was referring to the Senate report on Benghazi.");
        assert_eq!((got[0].1.as_str(), got[0].2.as_str()), ("the Senate report on Benghazi", "referring"), "{got:?}");
        // Passives and phrasal uses name no speaker.
        assert!(run("It was a measure strongly opposed by unions across the state.").is_empty());
        assert!(run("The agreement faltered when Lewandowski backed away from the deal.").is_empty());
    }

    #[test]
    fn announcing_urging_and_calling_attribute_their_object_without_a_clause() {
        let got = run("Senator Ted Cruz announced his presidential candidacy in March.");
        assert_eq!(
            (got[0].1.as_str(), got[0].2.as_str(), got[0].3.as_str()),
            ("his presidential candidacy in March", "announced", "Ted Cruz"),
            "{got:?}"
        );
        let got = run("Sanders urged voters to stay home.");
        assert_eq!((got[0].1.as_str(), got[0].3.as_str()), ("voters to stay home", "Sanders"), "{got:?}");
        let got = run("Sen. Bernie Sanders called him divisive.");
        assert_eq!((got[0].1.as_str(), got[0].2.as_str()), ("him divisive", "called"), "{got:?}");
        // Naming, not attributing.
        assert!(run("Barden now helps lead a program called Sandy Hook Promise.").is_empty());
        // One attribution read two ways is one row.
        let got = run("Donald Trump called for a “total and complete shutdown” of Muslims entering the country.");
        assert_eq!(got.len(), 1, "{got:?}");
    }

    #[test]
    fn a_clause_after_an_appositive_is_not_an_inverted_speaker() {
        let got = run("Sanders, the senator from Vermont, said the problems of inequality and money are so daunting.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(
            (got[0].1.as_str(), got[0].3.as_str()),
            ("the problems of inequality and money are so daunting", "Sanders")
        );
    }

    #[test]
    fn a_longer_listener_and_a_name_opening_a_fragment() {
        let got =
            run("Donald Trump told a town hall in Salem, New Hampshire on Monday that waterboarding is “peanuts.”");
        assert_eq!(
            (got[0].0, got[0].1.as_str(), got[0].3.as_str()),
            (Mixed, "waterboarding is “peanuts.”", "Donald Trump"),
            "{got:?}"
        );
        let got = run(
            "John Podesta, a former White House adviser, said Obama “understood he couldn't have a deal without a program.”",
        );
        let said = got.iter().find(|q| q.2 == "said").expect("the said clause");
        assert_eq!((said.0, said.3.as_str()), (Mixed, "John Podesta"), "{got:?}");
    }

    #[test]
    fn a_mixed_clause_ends_before_but_and_the_subjects_next_verb() {
        let got = run(
            "Donald Trump said that he would offer “a prayer” for the nominee but did not suggest it would be Cruz.",
        );
        assert_eq!((got[0].0, got[0].1.as_str()), (Mixed, "he would offer “a prayer” for the nominee"), "{got:?}");
    }

    #[test]
    fn according_to_data_and_unnamed_officials() {
        let got = run(
            "Casino revenue increased 3.5 percent this year, according to data released Friday by state regulators.",
        );
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(
            (got[0].1.as_str(), got[0].3.as_str()),
            ("Casino revenue increased 3.5 percent this year", "data released Friday by state regulators")
        );
        let got = run(
            "It quietly uses a network run by an intelligence agency, according to officials familiar with the system.",
        );
        assert_eq!(got[0].3, "officials familiar with the system", "{got:?}");
    }

    #[test]
    fn a_request_is_what_the_asker_asked() {
        let got = run("Judicial Watch asked the court to depose Hillary Clinton.");
        assert_eq!((got[0].1.as_str(), got[0].2.as_str()), ("the court to depose Hillary Clinton", "asked"), "{got:?}");
        // Asked, not asking.
        assert!(run("Bernie Sanders was asked to name a specific decision.").iter().all(|q| q.2 != "asked"));
    }

    #[test]
    fn as_the_outlet_reported_and_what_it_reported() {
        let got = run("As The New York Times reported, the two were discussing a hypothetical situation.");
        assert_eq!(
            (got[0].1.as_str(), got[0].3.as_str()),
            ("the two were discussing a hypothetical situation", "New York Times"),
            "{got:?}"
        );
        let got = run("He has emerged as an adviser, as The New York Times reported.");
        assert_eq!(
            (got[0].1.as_str(), got[0].3.as_str()),
            ("He has emerged as an adviser", "New York Times"),
            "{got:?}"
        );
        let got = run("In April, Twitter reported flat user growth and weak revenue.");
        assert_eq!((got[0].1.as_str(), got[0].3.as_str()), ("flat user growth and weak revenue", "Twitter"), "{got:?}");
    }

    #[test]
    fn a_parenthetical_then_an_appositive_before_the_cue() {
        let got = run(
            "Sen. Rob Portman (R-Ohio), another vulnerable incumbent, said he hadn’t thought about enlisting Cruz.",
        );
        assert_eq!(
            (got[0].1.as_str(), got[0].4.as_str()),
            ("he hadn’t thought about enlisting Cruz", "Rob Portman"),
            "{got:?}"
        );
    }

    #[test]
    fn a_time_of_day_between_the_speaker_and_the_cue() {
        let got = run("RNC spokesman Sean Spicer on Thursday evening said the party was not in a crisis.");
        assert_eq!((got[0].1.as_str(), got[0].4.as_str()), ("the party was not in a crisis", "Sean Spicer"), "{got:?}");
    }

    #[test]
    fn an_attitude_verb_after_a_comma_takes_no_inverted_speaker() {
        let got = run("The plan, rejected Tuesday by the board, was dropped.");
        assert!(got.iter().all(|q| q.3 != "Tuesday" && q.3 != "the board"), "{got:?}");
    }

    #[test]
    fn a_fragment_running_past_the_sentence_end_stays_whole() {
        let got = run("Manafort insisted “there is no cribbing of her speech. These were common words.”");
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].1, "“there is no cribbing of her speech. These were common words.”");
    }

    #[test]
    fn more_verbs_report_a_clause_without_that() {
        let got = run("New polls show Trump is trailing Ted Cruz in Ohio.");
        assert_eq!(
            (got[0].1.as_str(), got[0].3.as_str()),
            ("Trump is trailing Ted Cruz in Ohio", "New polls"),
            "{got:?}"
        );
        let got = run("Groberg admits there is a faction of her party he does not agree with.");
        assert_eq!(got[0].1, "there is a faction of her party he does not agree with", "{got:?}");
        let got = run("Maria Lopez felt the room go quiet.");
        assert!(got.is_empty(), "{got:?}");
    }

    #[test]
    fn an_abbreviated_title_belongs_to_the_speaker() {
        let got = run("The remarks were the textbook definition of a racist comment, Mr. Ryan said.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(
            (got[0].1.as_str(), got[0].3.as_str()),
            ("The remarks were the textbook definition of a racist comment", "Mr. Ryan")
        );
    }

    #[test]
    fn according_to_after_a_short_opening_phrase() {
        let got = run("Over the long term, according to the budget office, the deficit will grow quickly.");
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!((got[0].1.as_str(), got[1].1.as_str()), ("Over the long term", "the deficit will grow quickly"));
        assert_eq!((got[0].3.as_str(), got[1].3.as_str()), ("the budget office", "the budget office"));
    }
}
