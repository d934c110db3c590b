//! Cues and speakers: where reporting verbs are, which phrase beside each one
//! is its speaker, and which cue each direct quote belongs to.
//!
//! A cue is a reporting verb from [`super::cues`] outside every whole quote,
//! or "according to". Its speaker is the phrase before it ("Rabiei said",
//! "officials have repeatedly said", "A senior US official, who ..., said"),
//! the phrase after it when the clause is inverted (", said Rabiei", ", said a
//! senior official"), the speaker of the sentence's earlier cue for a
//! participle (", adding that"), or the object of "quoted X as saying".
//!
//! A whole direct quote takes the cue right after it (its tail), else the cue
//! leading into it (its lead, also from the previous paragraph when that ends
//! with a colon), else a dash attribution ("— X"), else the attribution of the
//! quote before it in the same paragraph, or in the previous paragraph when it
//! opens its own ("floating" quotes).

use super::cues::{self, CueVerb};
use super::direct::Quoted;
use super::{Ctx, Found, QuoteKind};
use crate::text::TokenKind;

/// A speaker phrase: tokens `[from, to)` and its head token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Phrase {
    pub from: usize,
    pub to: usize,
    pub head: usize,
    /// The phrase or its appositive says the source is unnamed.
    pub anonymous_hint: bool,
    /// The relative pronoun the attribution was made from ("Ted Cruz, who
    /// said"): the local mention, while the phrase is its antecedent.
    pub relative: Option<usize>,
}

/// One cue in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct CueHit {
    /// Cue tokens `[tok, end)`.
    pub tok: usize,
    pub end: usize,
    /// `None` for "according to".
    pub verb: Option<CueVerb>,
    pub speaker: Option<Phrase>,
    /// The speaker follows the cue.
    pub inverted: bool,
    pub sentence: u32,
}

impl CueHit {
    /// The first token of the attribution: the cue when the speaker follows
    /// it, else the speaker phrase or the cue, whichever comes first.
    pub fn start(&self) -> usize {
        match self.speaker {
            Some(p) if !self.inverted => p.from.min(self.tok),
            _ => self.tok,
        }
    }

    /// The token after the attribution: after the cue, and after an
    /// inverted speaker ("said Rabiei").
    pub fn after(&self) -> usize {
        match self.speaker {
            Some(p) if self.inverted => p.to.max(self.end),
            _ => self.end,
        }
    }
}

/// Per token: the index of the whole quote whose inside it is, or `NONE`.
pub(crate) fn inside_whole(ctx: &Ctx, quoted: &[Quoted]) -> Vec<u32> {
    let mut inside = vec![super::NONE; ctx.tokens.len()];
    for (qi, q) in quoted.iter().enumerate() {
        if q.whole {
            inside[q.open..q.end].fill(qi as u32);
        }
    }
    inside
}

/// Finds every cue and its speaker phrase, in text order.
pub fn find_cues(ctx: &Ctx, quoted: &[Quoted]) -> Vec<CueHit> {
    let inside = inside_whole(ctx, quoted);
    let mut in_fragment = vec![false; ctx.tokens.len()];
    for q in quoted.iter().filter(|q| !q.whole) {
        in_fragment[q.open..q.end].fill(true);
    }
    // Room for a cue a sentence, more than most articles have.
    let mut hits: Vec<CueHit> = Vec::with_capacity(ctx.doc.sentences().len());
    for sentence in 0..ctx.doc.sentences().len() as u32 {
        let range = ctx.sentence_tokens(sentence);
        let first_hit = hits.len();
        for i in range.clone() {
            if inside[i] != super::NONE {
                continue;
            }
            let Some(lw) = ctx.lower(i) else { continue };
            let lo = range.start;
            if lw == "according" && ctx.is(i + 1, "to") && i + 2 < range.end {
                let speaker = phrase_right(ctx, i + 2, range.end).or_else(|| source_right(ctx, i + 2, range.end));
                hits.push(CueHit { tok: i, end: i + 2, verb: None, speaker, inverted: true, sentence });
                continue;
            }
            // Most words are no verb of either list, which their hash
            // tells at once.
            debug_assert!(
                ctx.lower_hash(i).is_none_or(|h| h == crate::stages::entities::model::hash_str(lw)),
                "the entity stage's word hash is that of the lowercase word"
            );
            if !ctx.lower_hash(i).is_none_or(cues::may_be_verb) {
                continue;
            }
            let Some(verb) = cues::cue_verb(lw).or_else(|| {
                // An attitude inside a quoted fragment is the quoted
                // speaker's ("“get why the union endorsed her,”").
                cues::attitude_verb(lw).filter(|_| !in_fragment[i])
            }) else {
                continue;
            };
            // "declined to say", "the report": no attribution; but "went on
            // to say", "continued to say" are.
            let goes_on = i > lo + 1
                && ctx.is(i - 1, "to")
                && ctx.lower(i - 2).is_some_and(|w| matches!(w, "on" | "continued" | "continues" | "proceeded"));
            if i > lo && (ctx.is(i - 1, "to") || ctx.is(i - 1, "the")) && !goes_on {
                continue;
            }
            // A passive or phrasal use names no speaker ("a measure opposed by
            // unions", "backed away from the deal").
            if verb.attitude && (ctx.is(i + 1, "by") || ctx.is(i + 1, "away")) {
                continue;
            }
            // "a progressive think tank"
            if lw == "think" && (ctx.is(i + 1, "tank") || ctx.is(i + 1, "tanks")) {
                continue;
            }
            // "the United States", "news reports": nouns ("states" and
            // "reports" are cues only as verbs before "that").
            if matches!(lw, "states" | "reports") && (ctx.is_capitalized(i) || !ctx.is(i + 1, "that")) {
                continue;
            }
            // "the TV show “Shark Tank”": a noun.
            if matches!(lw, "show" | "shows")
                && i > lo
                && ctx.lower(i - 1).is_some_and(|w| {
                    matches!(
                        w,
                        "tv" | "talk"
                            | "radio"
                            | "reality"
                            | "game"
                            | "news"
                            | "comedy"
                            | "a"
                            | "his"
                            | "her"
                            | "their"
                            | "its"
                    )
                })
            {
                continue;
            }
            let mut hit = CueHit { tok: i, end: i + 1, verb: Some(verb), speaker: None, inverted: false, sentence };
            let after_pause = i > lo && (ctx.is_punct(i - 1, ",") || ctx.word(i - 1) == "”" || ctx.word(i - 1) == "’");
            if verb.participle && i > lo && ctx.is(i - 1, "as") {
                // "quoted cabinet spokesman Ali Rabiei as saying"
                hit.speaker = phrase_left(ctx, i - 2, lo);
            } else if verb.participle
                && i == lo
                && ctx.is_capitalized(i)
                && (ctx.is_punct(i + 1, ",") || ctx.is(i + 1, "that") || ctx.is_punct(i + 1, ":"))
            {
                // "Maher stated … . Adding, “…”": the previous sentence's
                // speaker goes on.
                hit.speaker = hits.last().filter(|h| h.sentence + 1 == sentence).and_then(|h| h.speaker);
            } else if verb.participle
                && (after_pause
                    || (i > lo
                        && ctx.lower(i - 1).is_some_and(|w| matches!(w, "and" | "by" | "before" | "after" | "while"))))
            {
                // (also "he began by saying")
                // ", saying", ", telling reporters": the sentence's earlier
                // cue's speaker, else its subject.
                hit.speaker = hits[first_hit..].last().and_then(|h| h.speaker).or_else(|| subject_of(ctx, lo, i));
            } else if !verb.participle && i > lo && (ctx.is(i - 1, "and") || ctx.is(i - 1, "but")) {
                // "He expressed frustration ... and complained that": the
                // sentence's subject, or its earlier cue's speaker.
                hit.speaker = hits[first_hit..]
                    .last()
                    .and_then(|h| h.speaker)
                    .or_else(|| subject_at(ctx, lo))
                    .or_else(|| subject_of(ctx, lo, i));
            } else if let Some(who) = skip_adverbs_left(ctx, i, lo).filter(|&w| ctx.is(w, "who")) {
                // "Ted Cruz, who said": the relative pronoun's antecedent.
                let k = if who > lo && ctx.is_punct(who - 1, ",") { who - 1 } else { who };
                hit.speaker = k
                    .checked_sub(1)
                    .filter(|&k| k >= lo)
                    .and_then(|k| phrase_core_left(ctx, k, lo))
                    .map(|p| Phrase { relative: Some(who), ..p });
            } else if verb.attitude {
                // "Christie endorsed Trump": the subject, never a name after.
                hit.speaker = subject_end(ctx, i, lo, verb.participle)
                    .filter(|&h| !ctx.is_punct(h, ","))
                    .and_then(|h| subject_left(ctx, h, lo));
                // "issued a statement describing …": the statement's author.
                if verb.participle {
                    hit.speaker = hit.speaker.map(|p| document_author(ctx, lo, p));
                }
                // "a group called X" names; "Trump called X" attributes.
                if matches!(lw, "called" | "calls")
                    && hit.speaker.is_some_and(|p| {
                        ctx.mention_of[p.head] == super::NONE
                            && ctx
                                .lower(p.head)
                                .is_none_or(|w| cues::pronoun(w).is_none() && cues::speaker_noun(w).is_none())
                    })
                {
                    continue;
                }
            } else if let Some(p) = after_quote_appositive(ctx, i, lo) {
                // "“…,” Ramos, 58, told AFP": the name after the quote, not
                // the listener.
                hit.speaker = Some(p);
            } else if after_pause || i == lo {
                // "“…,” asked Trump" inverts; "told her supporters" names
                // the listener.
                let listener = matches!(lw, "told" | "tells" | "tell" | "telling" | "assured" | "urged");
                if let Some(p) = inverted_right(ctx, i + 1, range.end).filter(|_| !listener) {
                    hit.speaker = Some(p);
                    hit.inverted = true;
                } else if i > lo {
                    hit.speaker = phrase_left(ctx, i - 1, lo);
                }
            } else {
                hit.speaker = subject_end(ctx, i, lo, verb.participle).and_then(|h| subject_left(ctx, h, lo));
                // "issued a statement saying": the statement's author.
                if verb.participle {
                    hit.speaker = hit.speaker.map(|p| document_author(ctx, lo, p));
                }
                if hit.speaker.is_none()
                    && let Some(p) = inverted_right(ctx, i + 1, range.end)
                {
                    hit.speaker = Some(p);
                    hit.inverted = true;
                }
            }
            hits.push(hit);
        }
    }
    hits
}

/// "“…,” NAME, APPOSITIVE, said": the phrase between a closing mark and the
/// comma before the cue, when it is a name.
fn after_quote_appositive(ctx: &Ctx, i: usize, lo: usize) -> Option<Phrase> {
    if i <= lo + 1 || !ctx.is_punct(i - 1, ",") {
        return None;
    }
    let p = phrase_left(ctx, i - 1, lo)?;
    let closed = p.from > lo && ctx.closing_mark_before(p.from).is_some_and(|m| m >= lo);
    (closed && ctx.mention_of[p.head] != super::NONE).then_some(p)
}

/// What "according to" names when it is no person or title: the words up to
/// the clause's end ("data released Friday by state regulators", "officials
/// familiar with the system", "exit polls"), headed by the word before the
/// first preposition or participle.
fn source_right(ctx: &Ctx, i: usize, hi: usize) -> Option<Phrase> {
    let mut to = i;
    let mut head = None;
    let mut anonymous_hint = false;
    while to < hi && to < i + 12 {
        if ctx.tokens[to].kind == TokenKind::Quote {
            // A title inside the phrase ("the “Medicare for all” document").
            to += 1;
            continue;
        }
        if !matches!(ctx.tokens[to].kind, TokenKind::Word | TokenKind::Number) {
            break;
        }
        let lw = ctx.lower(to).unwrap_or("");
        anonymous_hint |= cues::marks_anonymity(lw);
        let modifier =
            matches!(lw, "of" | "by" | "from" | "with" | "in" | "on" | "at" | "for" | "who" | "which" | "that")
                || (to > i && (lw.ends_with("ed") || lw.ends_with("ing") || matches!(lw, "familiar" | "close")));
        if modifier && head.is_none() {
            head = to.checked_sub(1).filter(|&h| h >= i);
        }
        to += 1;
    }
    let head = head.or_else(|| to.checked_sub(1).filter(|&h| h >= i))?;
    let words = (i..=head).filter(|&t| ctx.tokens[t].kind == TokenKind::Word).count();
    let determiner_only = words == 1 && ctx.lower(head).is_some_and(cues::is_determiner);
    (words > 0 && !determiner_only).then_some(Phrase { from: i, to, head, anonymous_hint, relative: None })
}

/// A speaker after its cue ("said Rabiei.", "said a senior official, who"):
/// the phrase must end the clause.
fn inverted_right(ctx: &Ctx, i: usize, hi: usize) -> Option<Phrase> {
    let p = phrase_right(ctx, i, hi)?;
    // Not the subject of the clause said (", said the problems of inequality
    // are ..."): no finite verb before the phrase's clause ends.
    for t in p.to..hi {
        if matches!(ctx.tokens[t].kind, TokenKind::Punct | TokenKind::Quote) {
            break;
        }
        match ctx.lower(t) {
            Some("who" | "whose" | "which" | "that") => break,
            Some(
                "is" | "are" | "was" | "were" | "will" | "would" | "has" | "have" | "had" | "can" | "could" | "should"
                | "must" | "may" | "might",
            ) => return None,
            _ => {}
        }
    }
    let ends = p.to >= hi
        || matches!(ctx.word(p.to), "," | "." | ";" | ":" | "?" | "!" | "—" | "–" | "(")
        || ["who", "whose", "of", "for", "from", "with", "in", "on", "at", "during", "after", "when", "while", "to", "as"]
            .iter()
            .any(|w| ctx.is(p.to, w))
        // A closing mark, not one opening what the clause says (", said
        // Obama “understood …”" is no attribution to Obama).
        || (ctx.tokens[p.to].kind == TokenKind::Quote
            && (p.to + 1 >= hi || ctx.tokens[p.to + 1].kind != TokenKind::Word));
    ends.then_some(p)
}

/// A pronoun or name opening the sentence at `lo`, as its subject.
pub(crate) fn subject_at(ctx: &Ctx, lo: usize) -> Option<Phrase> {
    if ctx.mention_of[lo] != super::NONE {
        let r = ctx.mention_tokens(lo);
        return (r.start == lo).then_some(Phrase {
            from: lo,
            to: r.end,
            head: r.end - 1,
            anonymous_hint: false,
            relative: None,
        });
    }
    let lw = ctx.lower(lo)?;
    cues::pronoun(lw).map(|_| Phrase { from: lo, to: lo + 1, head: lo, anonymous_hint: false, relative: None })
}

/// The subject of the sentence starting at `lo`, before token `before`: a
/// name, pronoun or description at its start or after an opening phrase
/// ("Before the convention, Cleveland Police Chief Calvin Williams ...").
pub(crate) fn subject_of(ctx: &Ctx, lo: usize, before: usize) -> Option<Phrase> {
    let at = |from: usize| {
        // A dateline ("DECATUR, Ala. —") names a place, not a speaker.
        let word = ctx.word(from);
        if word.len() > 2 && word.bytes().all(|b| b.is_ascii_uppercase()) && ctx.is_punct(from + 1, ",") {
            return None;
        }
        let named = |end: usize| Phrase { from, to: end, head: end - 1, anonymous_hint: false, relative: None };
        let p = if ctx.mention_of[from] != super::NONE {
            let end = ctx.mention_tokens(from).end.min(before);
            Some(named(title_and_name(ctx, end, before).unwrap_or(end)))
        } else {
            title_and_name(ctx, from, before).map(named)
        };
        // A description only when a speaker noun heads it ("The campaign",
        // not "Continuing" or "a rare").
        // The phrase ends with its last name or speaker noun ("The
        // operative tried to ...": "The operative").
        let described = || {
            let p = phrase_right(ctx, from, before)?;
            // (Or a document: "The email went on to say, “…”".)
            let head = last_name_or_role(ctx, p.from..p.to)
                .or_else(|| (p.from..p.to).rev().find(|&t| ctx.lower(t).is_some_and(cues::is_document)))?;
            Some(Phrase { to: head + 1, head, ..p })
        };
        let p = p.or_else(|| subject_at(ctx, from)).or_else(described)?;
        // Followed by its verb, or by an appositive ("Clinton, clearly
        // frustrated, responded").
        (p.to < before && (ctx.tokens[p.to].kind == TokenKind::Word || ctx.is_punct(p.to, ","))).then_some(p)
    };
    // Opening conjunctions and adverbs first ("And then Trump went on").
    let mut lo = lo;
    while lo + 1 < before
        && ctx.lower(lo).is_some_and(|w| matches!(w, "and" | "but" | "so" | "then" | "yet" | "or" | "still" | "now"))
    {
        lo += 1;
    }
    // Or after an opening phrase of up to three commas ("After a closed,
    // late-afternoon meeting, the Security Council issued").
    at(lo).or_else(|| {
        let mut from = lo;
        for _ in 0..3 {
            let comma = (from..before.min(from + 8)).find(|&t| ctx.is_punct(t, ","))?;
            if let Some(p) = at(comma + 1) {
                return Some(p);
            }
            from = comma + 1;
        }
        None
    })
}

/// The token before cue `i` once auxiliaries, adverbs and a weekday are
/// skipped ("have repeatedly said", "on Monday said").
pub(crate) fn skip_adverbs_left(ctx: &Ctx, i: usize, lo: usize) -> Option<usize> {
    let mut j = i;
    while j > lo {
        let Some(lw) = ctx.lower(j - 1) else { break };
        // "on Thursday evening said"
        let time = cues::is_weekday(lw) || matches!(lw, "morning" | "afternoon" | "evening" | "night");
        // "she angrily said" (not "his family said").
        let manner = lw.len() > 4
            && lw.ends_with("ly")
            && !ctx.is_capitalized(j - 1)
            && ctx.mention_of[j - 1] == super::NONE
            && !matches!(lw, "family" | "rally" | "supply" | "reply" | "assembly" | "july" | "italy" | "ally");
        // A capitalised word inside the sentence is a name ("“…,” Will
        // wrote"), not "will".
        let adverb = cues::is_adverb(lw) && !(j - 1 > lo && ctx.is_capitalized(j - 1));
        if adverb || time || manner || (lw == "on" && j < i) {
            j -= 1;
        } else {
            break;
        }
    }
    (j > lo).then(|| j - 1)
}

/// The last token of the subject before cue `i`: adverbs and auxiliaries
/// skipped, and for an -ing cue a form of "be" too ("was referring to").
fn subject_end(ctx: &Ctx, i: usize, lo: usize, participle: bool) -> Option<usize> {
    let k = skip_adverbs_left(ctx, i, lo)?;
    let progressive = participle
        && ctx.lower(k).is_some_and(|w| matches!(w, "is" | "was" | "are" | "were" | "been" | "be" | "’s" | "'s"));
    // "He’s said": "has".
    let perfect = !participle && matches!(ctx.word(k), "’s" | "'s");
    if progressive || perfect { skip_adverbs_left(ctx, k, lo) } else { Some(k) }
}

/// [`phrase_left`] for the subject of a verb right after token `i`: a phrase
/// after a preposition is none ("Trump at the time said", "a message to
/// supporters saying"), the sentence's subject is.
fn subject_left(ctx: &Ctx, i: usize, lo: usize) -> Option<Phrase> {
    let p = phrase_left(ctx, i, lo)?;
    // A possessive owns a noun ("on Trump’s claim that"): no subject either way.
    let possessive = [p.to - 1, p.to].iter().any(|&t| matches!(ctx.word(t), "’s" | "'s" | "’" | "'"));
    let governs = |w: &str| {
        matches!(
            w,
            "at" | "in"
                | "to"
                | "for"
                | "with"
                | "from"
                | "on"
                | "during"
                | "about"
                | "over"
                | "against"
                | "through"
                | "across"
                | "into"
                | "outside"
                | "inside"
        )
    };
    // Modifiers may stand between the preposition and the phrase ("for
    // committee Democrats").
    let mut start = p.from;
    while start > lo.max(p.from.saturating_sub(2))
        && ctx.tokens[start - 1].kind == TokenKind::Word
        && ctx
            .lower(start - 1)
            .is_none_or(|w| !governs(w) && !cues::is_stop(w) && !cues::is_determiner(w) && cues::cue_verb(w).is_none())
    {
        start -= 1;
    }
    let governed = !possessive && start > lo && ctx.lower(start - 1).is_some_and(governs);
    if governed {
        if let Some(s) = subject_of(ctx, lo, p.from) {
            return Some(s);
        }
        // "“…,” a spokesman for committee Democrats said": no sentence
        // subject before the quote; the description the preposition hangs
        // on, with its complement.
        if start >= lo + 2
            && let Some(left) = phrase_left(ctx, start - 2, lo)
            && left.to + 1 == start
            && (ctx.lower(left.head).is_some_and(|w| cues::role_noun(w).is_some())
                || ctx.closing_mark_before(left.from).is_some())
        {
            return Some(Phrase { to: p.to, ..left });
        }
        return Some(p);
    }
    // "Dianne Bystrom of Iowa State University said": the person.
    if p.from > lo + 1 && ctx.is(p.from - 1, "of") {
        let m = ctx.mention_of[p.from - 2];
        if m != super::NONE && ctx.entities.mentions[m as usize].kind == crate::stages::EntityType::Person {
            return phrase_left(ctx, p.from - 2, lo);
        }
    }
    Some(p)
}

/// For a phrase headed by a document ("a statement", "a series of tweets"),
/// the document's author: the subject of the sentence starting at `lo`,
/// else the phrase itself.
pub(crate) fn document_author(ctx: &Ctx, lo: usize, p: Phrase) -> Phrase {
    if ctx.lower(p.head).is_some_and(cues::is_document) { subject_of(ctx, lo, p.from).unwrap_or(p) } else { p }
}

/// The last token of `range` that is in a name or is a role noun: where a
/// description running on into other words ends ("The operative tried …").
fn last_name_or_role(ctx: &Ctx, range: std::ops::Range<usize>) -> Option<usize> {
    range
        .rev()
        .find(|&t| ctx.mention_of[t] != super::NONE || ctx.lower(t).is_some_and(|w| cues::role_noun(w).is_some()))
}

/// `start` moved left over title words, any case, no further than `floor`
/// ("Republican candidate" before "Ben Carson said"): words that are no stop
/// word and no cue.
pub(crate) fn title_words_left(ctx: &Ctx, mut start: usize, floor: usize) -> usize {
    while start > floor
        && ctx.tokens[start - 1].kind == TokenKind::Word
        && ctx.lower(start - 1).is_none_or(|w| !cues::is_stop(w) && cues::cue_verb(w).is_none())
    {
        start -= 1;
    }
    start
}

/// Whether tokens `from..end` are an adverbial phrase after an attribution
/// (", he said after the attacks", "in a video message to the convention"):
/// opened by a preposition or time conjunction (also "as" with `as_too`),
/// with no quotation mark or comma in it.
pub(crate) fn adverbial_to_end(ctx: &Ctx, from: usize, end: usize, as_too: bool) -> bool {
    let opens = ctx.lower(from).is_some_and(|w| {
        matches!(
            w,
            "in" | "on" | "at" | "during" | "to" | "after" | "before" | "from" | "with" | "via" | "while" | "when"
        ) || (as_too && w == "as")
    });
    opens && (from..end).all(|t| ctx.tokens[t].kind != TokenKind::Quote && !ctx.is_punct(t, ","))
}

/// The speaker phrase ending at token `i` (inclusive), not reaching before
/// `lo`. A comma at `i` is an appositive or relative clause to step over.
pub fn phrase_left(ctx: &Ctx, i: usize, lo: usize) -> Option<Phrase> {
    if i < lo || i >= ctx.tokens.len() {
        return None;
    }
    if ctx.is_punct(i, ",") {
        let floor = lo.max(i.saturating_sub(40));
        let mut fallback = None;
        let mut j = i;
        while j > floor {
            j -= 1;
            if ctx.is_punct(j, ",") {
                if j == 0 || j - 1 < lo {
                    return fallback;
                }
                // "Harry Bond, 30, of Raleigh, N.C., who ..., said": an
                // appositive of several commas; the first phrase that is one
                // and follows no preposition ("Clinton, during a town hall
                // in Columbus, Ohio, said").
                let Some(mut p) = phrase_paren_left(ctx, j - 1, lo) else { continue };
                if p.from > lo + 1
                    && ctx.lower(p.from - 1).is_some_and(|w| {
                        matches!(w, "of" | "in" | "at" | "on" | "during" | "from" | "for" | "with" | "near" | "to")
                    })
                {
                    // Failing a phrase further left, the one the preposition
                    // hangs on ("Officials at Homeland Security, a division
                    // of ICE, said").
                    fallback = fallback.or_else(|| phrase_paren_left(ctx, p.from - 2, lo));
                    continue;
                }
                p.anonymous_hint |= (j + 1..i).any(|t| ctx.lower(t).is_some_and(cues::marks_anonymity));
                return Some(p);
            }
            // A double mark ends the walk; a single one is a possessive
            // ("Sanders' senior adviser").
            if ctx.tokens[j].kind == TokenKind::Quote && matches!(ctx.word(j), "“" | "”") {
                return fallback;
            }
        }
        return fallback;
    }
    phrase_paren_left(ctx, i, lo)
}

/// [`phrase_core_left`], stepping over a parenthetical after the name ("Rep.
/// Earl Blumenauer (D-Ore.) said", "Sen. Rob Portman (R-Ohio), another
/// incumbent, said").
fn phrase_paren_left(ctx: &Ctx, i: usize, lo: usize) -> Option<Phrase> {
    if ctx.word(i) == ")" {
        let open = (i.saturating_sub(8).max(lo)..i).rev().find(|&j| ctx.word(j) == "(")?;
        return phrase_core_left(ctx, open.checked_sub(1)?, lo);
    }
    phrase_core_left(ctx, i, lo)
}

fn phrase_core_left(ctx: &Ctx, i: usize, lo: usize) -> Option<Phrase> {
    // A token before the window (the previous paragraph) is no speaker; the
    // phrase would run backwards.
    if i < lo {
        return None;
    }
    let tokens = ctx.tokens;
    if ctx.mention_of[i] != super::NONE {
        let mut from = ctx.mention_tokens(i).start.max(lo);
        // "Mr. Ryan", "Sen. Cruz": an abbreviated title belongs to the name.
        while from > lo && is_abbreviated_title(ctx, from - 1) {
            from -= 1;
        }
        return Some(Phrase { from, to: i + 1, head: i, anonymous_hint: false, relative: None });
    }
    if tokens[i].kind != TokenKind::Word {
        return None;
    }
    let lw = ctx.lower(i)?;
    if cues::pronoun(lw).is_some() {
        return Some(Phrase { from: i, to: i + 1, head: i, anonymous_hint: false, relative: None });
    }
    // "Several said", "Another tweeted": a quantifier alone opening the
    // sentence stands for people.
    if i == lo && matches!(lw, "several" | "another" | "many" | "some" | "most" | "others" | "both" | "few") {
        return Some(Phrase { from: i, to: i + 1, head: i, anonymous_hint: false, relative: None });
    }
    // "made a point of saying": no phrase ends with a preposition.
    if cues::is_stop(lw)
        || cues::is_determiner(lw)
        || cues::cue_verb(lw).is_some()
        || matches!(lw, "of" | "during" | "upon")
    {
        return None;
    }
    let mut acceptable = ctx.is_capitalized(i) || cues::role_noun(lw).is_some();
    let mut anonymous_hint = cues::marks_anonymity(lw);
    let mut from = i;
    while from > lo && i - from < 8 {
        let j = from - 1;
        if ctx.mention_of[j] != super::NONE {
            // A name inside a description ("a senior US official",
            // "Iran's foreign minister") belongs to it: keep walking.
            from = ctx.mention_tokens(j).start.max(lo);
            acceptable = true;
            continue;
        }
        if !matches!(tokens[j].kind, TokenKind::Word | TokenKind::Number) {
            break;
        }
        let Some(lw) = ctx.lower(j) else { break };
        if cues::is_determiner(lw) {
            from = j;
            acceptable = true;
            break;
        }
        if cues::is_stop(lw) || cues::cue_verb(lw).is_some() || cues::is_adverb(lw) {
            break;
        }
        anonymous_hint |= cues::marks_anonymity(lw);
        from = j;
    }
    acceptable.then_some(Phrase { from, to: i + 1, head: i, anonymous_hint, relative: None })
}

/// A title word with its period ("Mr.", "Sen.", "Gov."), one token.
fn is_abbreviated_title(ctx: &Ctx, t: usize) -> bool {
    let w = ctx.word(t);
    ctx.tokens[t].kind == TokenKind::Word
        && w.len() <= 5
        && w.ends_with('.')
        && ctx.is_capitalized(t)
        && w[..w.len() - 1].bytes().all(|b| b.is_ascii_alphabetic())
}

/// The speaker phrase starting at token `i`, before `hi`: a name, a pronoun
/// before a pause, or a description ("a senior official", "the report").
pub fn phrase_right(ctx: &Ctx, i: usize, hi: usize) -> Option<Phrase> {
    if i >= hi {
        return None;
    }
    let tokens = ctx.tokens;
    if ctx.mention_of[i] != super::NONE {
        let r = ctx.mention_tokens(i);
        if r.start != i {
            return None;
        }
        let to = r.end.min(hi);
        let name = Phrase { from: i, to, head: to - 1, anonymous_hint: false, relative: None };
        // A name before a title and a name ("Clinton ally James Carville",
        // "White House Press Secretary Josh Earnest"): the phrase is the
        // person at its end.
        return Some(match title_and_name(ctx, to, hi) {
            Some(end) => Phrase { from: i, to: end, head: end - 1, anonymous_hint: false, relative: None },
            None => name,
        });
    }
    if tokens[i].kind != TokenKind::Word {
        return None;
    }
    let lw = ctx.lower(i)?;
    if cues::pronoun(lw).is_some() {
        let pause = i + 1 >= hi || matches!(ctx.word(i + 1), "." | "," | ";" | "?" | "!");
        return pause.then_some(Phrase { from: i, to: i + 1, head: i, anonymous_hint: false, relative: None });
    }
    let determiner = cues::is_determiner(lw);
    if determiner && ctx.is(i + 1, "of") {
        // "one of those advisers", "some of his aides"
        let rest = phrase_right(ctx, i + 2, hi)?;
        return Some(Phrase { from: i, ..rest });
    }
    if !determiner && !ctx.is_capitalized(i) && !cues::is_stop(lw) && cues::cue_verb(lw).is_none() {
        // "former Massachusetts congressman Barney Frank"
        if let Some(end) = title_and_name(ctx, i, hi) {
            return Some(Phrase { from: i, to: end, head: end - 1, anonymous_hint: false, relative: None });
        }
    }
    if !determiner && (!ctx.is_capitalized(i) || cues::is_stop(lw) || cues::is_weekday(lw) || cues::is_month(lw)) {
        return None;
    }
    let mut to = i + 1;
    let mut anonymous_hint = false;
    while to < hi && to - i < 8 {
        if ctx.mention_of[to] != super::NONE {
            to = ctx.mention_tokens(to).end.min(hi);
            continue;
        }
        if !matches!(tokens[to].kind, TokenKind::Word | TokenKind::Number) {
            break;
        }
        // "a 2008 Clinton veteran"
        if tokens[to].kind == TokenKind::Number {
            to += 1;
            continue;
        }
        let Some(lw) = ctx.lower(to) else { break };
        // "Ana Ruiz of the Department": the phrase is the person.
        let preposition = matches!(lw, "of" | "for" | "from" | "with");
        if cues::is_stop(lw) || cues::cue_verb(lw).is_some() || cues::is_weekday(lw) || preposition {
            break;
        }
        anonymous_hint |= cues::marks_anonymity(lw);
        to += 1;
    }
    let head = to - 1;
    if head == i && determiner {
        return None;
    }
    let head_ok = ctx.mention_of[head] != super::NONE
        || ctx.is_capitalized(head)
        || ctx.lower(head).is_some_and(|w| cues::role_noun(w).is_some())
        || determiner;
    if head_ok {
        return Some(Phrase { from: i, to, head, anonymous_hint, relative: None });
    }
    // "Protesters marching through the streets": the phrase ends with its
    // last name or speaker noun.
    let head = last_name_or_role(ctx, i..to)?;
    Some(Phrase { from: i, to: head + 1, head, anonymous_hint, relative: None })
}

/// Title words and names from `from` that end with a name ("ally James
/// Carville", "former Massachusetts congressman Barney Frank"): the end of
/// that last name, when a title word comes before it.
fn title_and_name(ctx: &Ctx, from: usize, hi: usize) -> Option<usize> {
    let mut j = from;
    let mut last_name_end = None;
    let mut title = false;
    while j < hi && j < from + 8 {
        let m = ctx.mention_of[j];
        if m != super::NONE {
            j = ctx.mention_tokens(j).end.min(hi);
            last_name_end = Some(j);
            // A person's name ends the phrase; a place or body
            // ("Massachusetts congressman") is part of the title.
            if ctx.entities.mentions[m as usize].kind == crate::stages::EntityType::Person {
                // Unless a title and another name follow ("former Obama
                // adviser David Axelrod").
                let next = (j..hi.min(j + 3))
                    .take_while(|&t| {
                        ctx.mention_of[t] == super::NONE
                            && !ctx.is_capitalized(t)
                            && ctx.lower(t).is_some_and(|w| !cues::is_stop(w) && cues::cue_verb(w).is_none())
                    })
                    .last()
                    .map(|t| t + 1)
                    .filter(|&t| t < hi && ctx.mention_of[t] != super::NONE);
                match next {
                    Some(t)
                        if ctx.entities.mentions[ctx.mention_of[t] as usize].kind
                            == crate::stages::EntityType::Person =>
                    {
                        j = t;
                        continue;
                    }
                    _ => break,
                }
            }
            continue;
        }
        let Some(lw) = ctx.lower(j) else { break };
        // "secretary of state": "of" and a lowercase word inside a title.
        let title_of = title
            && lw == "of"
            && j + 1 < hi
            && !ctx.is_capitalized(j + 1)
            && ctx.lower(j + 1).is_some_and(|w| !cues::is_stop(w) && !cues::is_determiner(w));
        if !title_of
            && (ctx.tokens[j].kind != TokenKind::Word
                || cues::is_stop(lw)
                || cues::cue_verb(lw).is_some()
                || matches!(lw, "of" | "for" | "from" | "with"))
        {
            break;
        }
        // After a title, two or more capitalised words the entity stage did
        // not name are a name all the same ("former Vermont governor Howard
        // Dean").
        if title && ctx.is_capitalized(j) {
            let end = (j..hi.min(j + 4))
                .take_while(|&t| {
                    ctx.tokens[t].kind == TokenKind::Word
                        && ctx.mention_of[t] == super::NONE
                        && ctx.is_capitalized(t)
                        && ctx.lower(t).is_some_and(|w| !cues::is_stop(w))
                })
                .last()
                .map_or(j, |t| t + 1);
            // (Unless a name follows: "Party Chairman Jaime Harrison".)
            if end >= j + 2 && (end >= hi || ctx.mention_of[end] == super::NONE) {
                return Some(end);
            }
        }
        title = true;
        last_name_end = None;
        j += 1;
    }
    last_name_end.filter(|_| title)
}

/// Attributes every whole direct quote. Returns the quotes and, per cue,
/// whether a direct quote took it.
pub fn attribute_direct(ctx: &Ctx, quoted: &[Quoted], cues: &[CueHit]) -> (Vec<Found>, Vec<bool>) {
    let mut used = vec![false; cues.len()];
    let mut out: Vec<Found> = Vec::new();
    // The last attributed whole quote: (paragraph, cue index or dash, found index).
    let mut last: Option<(u32, usize)> = None;
    for (qi, q) in quoted.iter().enumerate() {
        if !q.whole {
            continue;
        }
        let paragraph = ctx.paragraph_of(q.open);
        let content = ctx.span(q.open, q.end);
        let next_open = quoted.get(qi + 1).map_or(ctx.tokens.len(), |n| n.open);
        let prev_end = if qi > 0 { quoted[qi - 1].end } else { 0 };
        let mut found = None;
        if q.close.is_some() {
            found = tail(ctx, q, next_open, cues).or_else(|| dash(ctx, q, next_open));
        }
        if found.is_none() {
            found = lead(ctx, q, prev_end, cues);
        }
        if found.is_none() {
            found = colon(ctx, q, prev_end);
        }
        let mut kind = QuoteKind::Direct;
        let mut content = content;
        if found.is_none()
            && q.close.is_some()
            && let Some((cue, speaker, ci, to)) = tail_after_continuation(ctx, q, next_open, cues)
        {
            // "“A” because B, he said.": the quote and its unquoted rest.
            found = Some((cue, speaker, Some(ci)));
            kind = QuoteKind::Mixed;
            content = ctx.span(q.open, to);
        }
        if let Some((cue, speaker, cue_index)) = found {
            if let Some(c) = cue_index {
                used[c] = true;
            }
            out.push(Found { kind, content, cue: Some(cue), speaker: Some(speaker), confidence: 0.9 });
            last = Some((paragraph, out.len() - 1));
            continue;
        }
        let para_start = ctx.paragraph_tokens(paragraph).start;
        // The previous paragraph ending with an attribution of its own
        // (“Schoen elaborated in an editorial piece that …” ¶ “…”).
        let introduced = previous_paragraph(ctx, q, cues);
        let inherit = last
            .filter(|&(p, _)| p == paragraph || (p + 1 == paragraph && q.open == para_start))
            .filter(|&(_, fi)| !other_person_between(ctx, &out[fi], q.open));
        if let Some((_, fi)) = inherit {
            let from = &out[fi];
            let (cue, speaker) = (from.cue, from.speaker);
            out.push(Found { kind: QuoteKind::Direct, content, cue, speaker, confidence: 0.7 });
            last = Some((paragraph, out.len() - 1));
        } else if let Some((cue, speaker, _)) =
            previous_sentence(ctx, q, cues).or(introduced.map(|(c, p)| (c, p, None)))
        {
            out.push(Found {
                kind: QuoteKind::Direct,
                content,
                cue: Some(cue),
                speaker: Some(speaker),
                confidence: 0.7,
            });
            last = Some((paragraph, out.len() - 1));
        } else {
            // A short quote nobody says is a title or a name ("“Game of
            // Thrones,”", "One ad, “Balanced Rebellion,”"), not speech.
            let words = (q.open..q.end).filter(|&t| ctx.tokens[t].kind == TokenKind::Word).count();
            if words > 5 {
                out.push(Found { kind: QuoteKind::Direct, content, cue: None, speaker: None, confidence: 0.3 });
            }
        }
    }
    (out, used)
}

type Attribution = (crate::stages::Span, Phrase, Option<usize>);

/// Whether a person other than `from`'s speaker is named between its
/// attribution and token `to` (“…,” Tom Ebeling said. Betsy Ebeling shook
/// her head. “…”): then the next quote may be theirs, not `from`'s.
fn other_person_between(ctx: &Ctx, from: &Found, to: usize) -> bool {
    let Some(p) = from.speaker else { return false };
    let own = ctx.entity_at(p.head);
    // A person opening a later sentence, as its subject.
    let start = ctx.tokens.partition_point(|t| t.start < from.content.end).max(p.to);
    let own_sentence = ctx.sentence_of[p.head];
    (start..to).any(|t| {
        let m = ctx.mention_of[t];
        m != super::NONE
            && ctx.sentence_of[t] != own_sentence
            && ctx.sentence_tokens(ctx.sentence_of[t]).start == t
            && {
                let m = &ctx.entities.mentions[m as usize];
                m.kind == crate::stages::EntityType::Person && Some(m.entity) != own
            }
    })
}

/// A quote that closes and goes on unquoted to ", he said." at the end of
/// its sentence ("“And yet it would seal the deal” because she would expand
/// her lead, he said."): the cue, speaker, cue index and the content's end
/// (before the comma).
fn tail_after_continuation(
    ctx: &Ctx,
    q: &Quoted,
    next_open: usize,
    cues: &[CueHit],
) -> Option<(crate::stages::Span, Phrase, usize, usize)> {
    let sentence = ctx.sentence_tokens(ctx.sentence_of[q.end - 1]);
    if q.end >= sentence.end || ctx.tokens[q.end].kind != TokenKind::Word {
        return None;
    }
    let ci = cues.partition_point(|c| c.tok < q.end);
    let c = cues.get(ci).filter(|c| c.tok < sentence.end.min(next_open) && c.verb.is_some())?;
    let speaker = c.speaker?;
    let start = c.start();
    // Title words before the name (", Republican candidate Ben Carson said").
    let start = title_words_left(ctx, start, start.saturating_sub(4).max(q.end + 1));
    if start <= q.end + 1 || !ctx.is_punct(start - 1, ",") {
        return None;
    }
    // Nothing but fillers after the attribution.
    let after = c.after();
    // (After an inverted speaker, a comma opens the speaker's appositive:
    // ", said RoseAnn DeMoro, executive director of …".)
    // Nor an adverbial phrase (", he said after the attacks.").
    // (Or to a split quote's second half: ", Clinton said at a town hall on
    // Monday, “we would …”".)
    let end = (after..sentence.end)
        .find(|&t| ctx.is_punct(t, ",") && t + 1 < sentence.end && ctx.word(t + 1) == "“")
        .unwrap_or(sentence.end);
    let rest_ok = adverbial_to_end(ctx, after, end, false)
        || (c.inverted && after < end && ctx.is_punct(after, ","))
        || (after..end).all(|t| {
            ctx.tokens[t].kind != TokenKind::Word || ctx.is_capitalized(t) || ctx.mention_of[t] != super::NONE
        });
    let quote_free = (q.end..start).all(|t| ctx.tokens[t].kind != TokenKind::Quote);
    (rest_ok && quote_free).then(|| (ctx.span(c.tok, c.end), speaker, ci, start - 1))
}

/// A cue right after the quote: ", said Rabiei", ", he said", " Rabiei said."
fn tail(ctx: &Ctx, q: &Quoted, next_open: usize, cues: &[CueHit]) -> Option<Attribution> {
    let para_end = ctx.paragraph_tokens(ctx.paragraph_of(q.open)).end;
    let limit = next_open.min(para_end).min(q.end + 30);
    let mut ci = cues.partition_point(|c| c.tok < q.end);
    // A cue in the speaker's relative clause ("“…,” Warren, who has not
    // endorsed a candidate, told reporters") is not the quote's: the next
    // cue of the sentence is.
    while let Some(c) = cues.get(ci)
        && (c.speaker.is_none() || c.speaker.is_some_and(|p| p.relative.is_some()))
        && (q.end..c.tok).any(|t| ctx.is(t, "who"))
        && cues.get(ci + 1).is_some_and(|n| n.sentence == c.sentence && n.tok < limit)
    {
        ci += 1;
    }
    let c = cues.get(ci).filter(|c| c.tok < limit)?;
    // A quote that ends its sentence with a full stop (“… everywhere.”
    // Greene added that …): the next sentence's cue has its own content.
    // (A bare attribution after the full stop is the quote's: “… missing.”
    // Trump told reporters.)
    let full_stop = q.close.is_some() && q.end >= 2 && ctx.word(q.end - 2) == ".";
    if full_stop && ctx.sentence_of[c.tok] != ctx.sentence_of[q.end - 1] {
        let end = ctx.sentence_tokens(c.sentence).end;
        let after = c.after();
        let own_words = (after..end)
            .filter(|&t| {
                ctx.tokens[t].kind == TokenKind::Word && !ctx.is_capitalized(t) && ctx.mention_of[t] == super::NONE
            })
            .count();
        if own_words >= 3 && !adverbial_to_end(ctx, after, end, true) {
            return None;
        }
    }
    let mut speaker = c.speaker?;
    // Two speakers joined by "and" ("“…,” state Senate leader Phil Berger and
    // House Speaker Tim Moore said", "the Florida senator and Republican
    // presidential candidate said"): the phrase runs from the first.
    if !c.inverted && speaker.from > q.end + 1 && ctx.is(speaker.from - 1, "and") {
        let start = (q.end..speaker.from).find(|&t| !matches!(ctx.word(t), "," | "—" | "–")).unwrap_or(q.end);
        if let Some(first) = phrase_right(ctx, start, speaker.from - 1).filter(|f| f.to + 1 == speaker.from) {
            speaker = Phrase { from: first.from, to: speaker.to, head: first.head, ..speaker };
        }
    }
    // Only the speaker phrase, commas and adverbs may stand between the
    // quote and its cue.
    let gap_end = if c.inverted { c.tok } else { speaker.from };
    // Titles before a name ("NATO Secretary General Jens Stoltenberg said")
    // may stand there too, but no clause.
    let clean_gap = (q.end..gap_end).all(|t| {
        let w = ctx.word(t);
        matches!(w, "," | "—" | "–")
            || matches!(ctx.tokens[t].kind, TokenKind::Quote | TokenKind::Number)
            || ctx.lower(t).is_some_and(|w| !cues::is_stop(w) && cues::cue_verb(w).is_none())
    });
    // An appositive may sit between the name and the cue, and a
    // parenthetical ("(D-Ore.)") with its full stops.
    let mut depth = 0u32;
    let between_ok = c.inverted
        || (speaker.to..c.tok).all(|t| {
            match ctx.word(t) {
                "(" => depth += 1,
                ")" => depth = depth.saturating_sub(1),
                _ => {}
            }
            // A single mark is a possessive ("Sanders’ campaign manager").
            (ctx.tokens[t].kind != TokenKind::Quote || matches!(ctx.word(t), "’" | "'"))
                && (depth > 0
                    || !matches!(ctx.word(t), "." | "!" | "?" | "...")
                    // An abbreviation's full stop before a comma ("R-Ky.,").
                    || (ctx.word(t) == "." && ctx.is_punct(t + 1, ",")))
        });
    (clean_gap && between_ok).then(|| (ctx.span(c.tok, c.end), speaker, Some(ci)))
}

/// A colon leading into the quote with no cue before it: "Jeffrey M. Jones:
/// “…”", "Trump issued the following statement:", "he demurred: “…”". The
/// speaker is the name right before the colon, else the sentence's subject.
fn colon(ctx: &Ctx, q: &Quoted, prev_end: usize) -> Option<Attribution> {
    let c = q.open.checked_sub(1)?;
    if c < prev_end || ctx.word(c) != ":" || c == 0 {
        return None;
    }
    let lo = ctx.sentence_tokens(ctx.sentence_of[c]).start.max(prev_end);
    let speaker =
        if ctx.mention_of[c - 1] != super::NONE { phrase_left(ctx, c - 1, lo) } else { subject_of(ctx, lo, c) }?;
    Some((ctx.span(c, c + 1), speaker, None))
}

/// The attribution ending the sentence right before the quote, in the same
/// paragraph (`But “if you …,” said Roffman. “He turns like a light
/// switch.”`): the quote goes on with the same speaker.
fn previous_sentence(ctx: &Ctx, q: &Quoted, cues: &[CueHit]) -> Option<Attribution> {
    let sentence = ctx.sentence_of[q.open];
    let own = ctx.sentence_tokens(sentence);
    if own.start != q.open || sentence == 0 {
        return None;
    }
    let prev = ctx.sentence_tokens(sentence - 1);
    if ctx.paragraph_of(prev.start) != ctx.paragraph_of(q.open) {
        return None;
    }
    let end = cues.partition_point(|c| c.tok < q.open);
    let ci = end.checked_sub(1)?;
    let c = &cues[ci];
    if c.sentence + 1 != sentence {
        return None;
    }
    let speaker = c.speaker?;
    let start = c.start();
    let after = c.after();
    let closes = start > prev.start && (ctx.is_punct(start - 1, ",") || ctx.closes_quote(start - 1));
    let medium = |w: &str| matches!(w, "statement" | "interview" | "email" | "tweet" | "release" | "post");
    // Names, or the medium ("…, he said in an interview.").
    let rest_ok = (after..prev.end).all(|t| {
        ctx.tokens[t].kind != TokenKind::Word
            || ctx.is_capitalized(t)
            || ctx.mention_of[t] != super::NONE
            || ctx.lower(t).is_some_and(|w| medium(w) || matches!(w, "in" | "a" | "an" | "the"))
    });
    // "Sam Lau, the party's spokesman, said in a statement. “There are …”",
    // "Dianne Bystrom agreed. “…”": a sentence that is only the
    // attribution introduces the quote after it.
    let bare = (after..prev.end).all(|t| ctx.tokens[t].kind == TokenKind::Punct);
    // (After a possessive: "Iowa State University's Dianne Bystrom agreed.")
    let opens = start == prev.start
        || (start > prev.start + 1
            && matches!(ctx.word(start - 1), "’s" | "'s")
            && (prev.start..start - 1).all(|t| ctx.is_capitalized(t)));
    let announces = opens
        && !c.inverted
        && (after..prev.end).all(|t| {
            ctx.tokens[t].kind != TokenKind::Word
                || ctx.is_capitalized(t)
                || ctx
                    .lower(t)
                    .is_some_and(|w| medium(w) || matches!(w, "in" | "a" | "an" | "the" | "on" | "later" | "also"))
        })
        && (bare || (after..prev.end).any(|t| ctx.lower(t).is_some_and(medium)));
    ((closes && rest_ok) || announces).then(|| (ctx.span(c.tok, c.end), speaker, None))
}

/// A quote opening its paragraph after a paragraph whose last sentence is
/// an attribution with a speaker, of speech or in a statement ("Trump shot
/// back in a statement, saying he’s “made a lot of money.”" ¶ "“Frankly,
/// …”"): the cue and speaker of that sentence's last such cue.
fn previous_paragraph(ctx: &Ctx, q: &Quoted, cues: &[CueHit]) -> Option<(crate::stages::Span, Phrase)> {
    let paragraph = ctx.paragraph_of(q.open);
    if paragraph == 0 || ctx.paragraph_tokens(paragraph).start != q.open {
        return None;
    }
    let prev = ctx.paragraph_tokens(paragraph - 1);
    let last_sentence = ctx.sentence_of[prev.end.checked_sub(1)?];
    let end = cues.partition_point(|c| c.tok < q.open);
    let c = cues[..end]
        .iter()
        .rev()
        .take_while(|c| c.sentence == last_sentence)
        .find(|c| c.verb.is_none_or(|v| !v.attitude))?;
    // A named speaker or a pronoun, not a description the speaker finder
    // may have misread.
    let speaker = c.speaker.filter(|p| {
        ctx.mention_of[p.head] != super::NONE || ctx.lower(p.head).is_some_and(|w| cues::pronoun(w).is_some())
    })?;
    Some((ctx.span(c.tok, c.end), speaker))
}

/// "— Ali Rabiei" right after the quote.
fn dash(ctx: &Ctx, q: &Quoted, next_open: usize) -> Option<Attribution> {
    let d = q.end;
    if d >= ctx.tokens.len() || !matches!(ctx.word(d), "—" | "–" | "-") {
        return None;
    }
    let speaker = phrase_right(ctx, d + 1, next_open.min(ctx.tokens.len()))?;
    (ctx.mention_of[speaker.head] != super::NONE).then_some((ctx.span(d, d + 1), speaker, None))
}

/// A cue leading into the quote: "X said: “", "X said, “", or the previous
/// paragraph's "X said:".
fn lead(ctx: &Ctx, q: &Quoted, prev_end: usize, cues: &[CueHit]) -> Option<Attribution> {
    let sentence_start = ctx.sentence_tokens(ctx.sentence_of[q.open]).start;
    let para_start = ctx.paragraph_tokens(ctx.paragraph_of(q.open)).start;
    let mut lo = sentence_start.max(prev_end);
    if q.open == para_start && q.open > 0 && ctx.word(q.open - 1) == ":" {
        lo = ctx.sentence_tokens(ctx.sentence_of[q.open - 1]).start.max(prev_end);
    }
    let end = cues.partition_point(|c| c.tok < q.open);
    let ci = (0..end).rev().find(|&ci| cues[ci].tok >= lo)?;
    let c = &cues[ci];
    // A cue the speaker finder left without one ("and later said, “…”",
    // "was prompted to say, “…”"): the sentence's subject.
    // Not a relative clause's cue ("a shirt that read “…”").
    let relative =
        || skip_adverbs_left(ctx, c.tok, sentence_start).is_some_and(|k| ctx.is(k, "that") || ctx.is(k, "which"));
    let speaker = c.speaker.or_else(|| if relative() { None } else { subject_of(ctx, sentence_start, c.tok) })?;
    // (The speaker may be the fallback subject here, not `c.speaker`.)
    let after = if c.inverted { speaker.to.max(c.end) } else { c.end };
    (q.open.saturating_sub(after) <= 12).then_some((ctx.span(c.tok, c.end), speaker, Some(ci)))
}

#[cfg(test)]
mod tests {
    use super::super::QuoteKind::*;
    use super::super::testing::run;

    fn speakers(text: &str) -> Vec<(String, String, String)> {
        run(text).into_iter().filter(|q| q.0 == Direct).map(|q| (q.1, q.2, q.3)).collect()
    }

    #[test]
    fn speaker_after_the_quote_in_both_orders() {
        let got = speakers("“We are ready,” said Ali Rabiei. “No,” the minister said.");
        assert_eq!(got[0], ("“We are ready,”".into(), "said".into(), "Ali Rabiei".into()));
        assert_eq!(got[1], ("“No,”".into(), "said".into(), "the minister".into()));
    }

    #[test]
    fn split_quote_shares_speaker_and_cue() {
        let got = speakers("“First,” he said, “second.”");
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].1, got[1].1);
        assert_eq!((got[0].2.as_str(), got[1].2.as_str()), ("he", "he"));
        // A longer attribution between the halves.
        let got = speakers(
            "“This is a political thing,” he told Bloomberg News in October, “keeping interest rates at this level.”",
        );
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!((got[1].1.as_str(), got[1].2.as_str()), ("told", "he"));
    }

    #[test]
    fn colon_lead_in_also_across_a_paragraph_break() {
        let got = speakers("Maria Lopez said:\n“We will win this race.”");
        assert_eq!(got[0].2, "Maria Lopez");
        let got = speakers("A senior official, who spoke on condition of anonymity, said: “There is no offer.”");
        assert_eq!(got[0].2, "A senior official");
    }

    #[test]
    fn a_horizontal_bar_before_the_author_on_each_line() {
        let got = speakers(
            "“He can’t even answer a question.” ― Esther Tapia\n“Mostly he promotes ignorance and hate.” ― Azucena Gonzalez\n",
        );
        let names: Vec<&str> = got.iter().map(|q| q.2.as_str()).collect();
        assert_eq!(names, ["Esther Tapia", "Azucena Gonzalez"], "{got:?}");
    }

    #[test]
    fn an_attribution_sentence_before_the_statement() {
        let got = speakers("Sam Lau said in a statement. “There are no paper ballots to recount.”");
        assert_eq!((got[0].1.as_str(), got[0].2.as_str()), ("said", "Sam Lau"), "{got:?}");
    }

    #[test]
    fn floating_quotes_inherit_the_previous_speaker() {
        let got = speakers("“One thing,” said John Smith.\n“Another thing entirely.”");
        assert_eq!(got[1].2, "John Smith");
    }

    #[test]
    fn inverted_speaker_with_a_name_a_title_and_a_name() {
        let got = speakers("“David is a friend,” said Clinton ally James Carville. “He has a role.”");
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(
            (got[0].2.as_str(), got[1].2.as_str()),
            ("Clinton ally James Carville", "Clinton ally James Carville")
        );
    }

    #[test]
    fn more_speaker_shapes() {
        let got = speakers("“No path,” said one of those advisers, who spoke on condition of anonymity.");
        assert_eq!(got[0].2, "one of those advisers", "{got:?}");
        let got = speakers("“It is over,” said former Massachusetts congressman Barney Frank.");
        assert_eq!(got[0].2, "former Massachusetts congressman Barney Frank", "{got:?}");
        let got = speakers("“There is energy,” Rep. Earl Blumenauer (D-Ore.) said.");
        assert_eq!(got[0].2, "Rep. Earl Blumenauer", "{got:?}");
        let got = speakers(
            "Before the convention, Police Chief Calvin Williams lobbied hard, saying, “The fewer guns, the better.”",
        );
        assert_eq!(got[0].2, "Police Chief Calvin Williams", "{got:?}");
    }

    #[test]
    fn a_colon_without_a_cue_gives_the_subject() {
        let got = speakers("Donald Trump issued the following statement:\n“Our prayers are with all those affected.”");
        assert_eq!(got[0].2, "Donald Trump", "{got:?}");
        let got = speakers("Jeffrey M. Jones: “Gallup finds that 20 states are solidly Republican.”");
        assert_eq!(got[0].2, "Jeffrey M. Jones", "{got:?}");
    }

    #[test]
    fn a_quote_going_on_unquoted_to_its_attribution() {
        let got = run("“And yet it would seal the deal” because she would expand her lead, he said.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].1, "“And yet it would seal the deal” because she would expand her lead");
        assert_eq!((got[0].2.as_str(), got[0].3.as_str()), ("said", "he"));
        let got = speakers("“Jeb wants to be a tough guy tonight,” Trump shot back.");
        assert_eq!(got[0].2, "Trump", "{got:?}");
    }

    #[test]
    fn a_quote_after_an_attribution_ending_the_sentence() {
        let got = run("But “if you say something contrary, forget it,” said Roffman. “He turns like a light switch.”");
        let last = got.last().unwrap();
        assert_eq!((last.1.as_str(), last.3.as_str()), ("“He turns like a light switch.”", "Roffman"), "{got:?}");
    }

    #[test]
    fn appositives_with_an_age_or_a_possessive_after_the_quote() {
        let got = speakers("“We were wrong to wait so long,” Ramos, 58, told AFP in an interview on Monday.");
        assert_eq!((got[0].1.as_str(), got[0].2.as_str()), ("told", "Ramos"), "{got:?}");
        let got = speakers("“We raised $44 million this quarter,” Jeff Weaver, Sanders’ campaign manager, said.");
        assert_eq!(got[0].2, "Jeff Weaver", "{got:?}");
    }

    #[test]
    fn an_opening_mark_typed_as_the_closing_one() {
        let got = speakers("“It will create new problems for her here,“ said Jim Clyburn, a congressman.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(
            (got[0].0.as_str(), got[0].2.as_str()),
            ("“It will create new problems for her here,“", "Jim Clyburn")
        );
    }

    #[test]
    fn a_document_reads() {
        let got = speakers("The email read: “Trump wants to write his views into the party platform.”");
        assert_eq!((got[0].1.as_str(), got[0].2.as_str()), ("read", "The email"), "{got:?}");
        let got = speakers("“You can further support the cause with a gift today,” the letter reads.");
        assert_eq!((got[0].1.as_str(), got[0].2.as_str()), ("reads", "the letter"), "{got:?}");
    }

    #[test]
    fn the_listener_of_told_and_a_phrase_after_a_preposition_are_no_speakers() {
        let text = "Hillary Clinton, who called Bernie Sanders after the vote, told her supporters, “I still love New Hampshire.”";
        let got = speakers(text);
        assert_eq!(got[0].2, "Hillary Clinton", "{got:?}");
        let text = "Even before Bernie Sanders spoke, his campaign sent a text message to supporters saying: “We won!”";
        let got = speakers(text);
        assert_eq!(got[0].2, "his campaign", "{got:?}");
        // A possessive owns the noun after it: still the speaker.
        let got = run("Donald Trump reacted on Monday to Clinton’s claim that the economy is strong.");
        assert!(got.iter().all(|q| q.3 != "Donald Trump"), "{got:?}");
    }

    #[test]
    fn adverbs_going_on_titles_with_of_and_as_after_the_name() {
        let got = speakers("Hillary Clinton jabbed her finger as she angrily said, “I am so sick of the lying.”");
        assert_eq!(got[0].2, "she", "{got:?}");
        let got = speakers("Gary Byrne went on to say, “From the bottom of my soul, I know this to be true.”");
        assert_eq!((got[0].1.as_str(), got[0].2.as_str()), ("say", "Gary Byrne"), "{got:?}");
        let got = speakers("“We really can win on Tuesday,” said Bernie Sanders as he closed out.");
        assert_eq!(got[0].2, "Bernie Sanders", "{got:?}");
        let got = speakers(
            "“The first line of defense is here,” said former secretary of state Hillary Clinton, who spoke first.",
        );
        assert_eq!(got[0].2, "former secretary of state Hillary Clinton", "{got:?}");
        let got = speakers("“He is struggling,” said former Vermont governor Howard Dean, a supporter.");
        assert_eq!(got[0].2, "former Vermont governor Howard Dean", "{got:?}");
    }

    #[test]
    fn a_sentence_of_only_the_attribution_or_with_its_medium_introduces_the_next_quote() {
        let got = speakers(
            "Dianne Bystrom of Iowa State University agreed. “Mainstream Republicans are running out of time.”",
        );
        assert_eq!((got[0].1.as_str(), got[0].2.as_str()), ("agreed", "Dianne Bystrom"), "{got:?}");
        let got =
            speakers("“The politics are blatant,” Tom Ebeling said in an interview. “This bill is the end of it.”");
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[1].2, "Tom Ebeling", "{got:?}");
    }

    #[test]
    fn an_appositive_after_a_preposition_is_not_the_speaker() {
        let got = run("Hillary Clinton, during a town hall meeting in Columbus, Ohio, said she was “going to win.”");
        assert_eq!(got[0].3, "Hillary Clinton", "{got:?}");
        let got = run("Officials at Homeland Security Investigations, a division of ICE, said they were “concerned.”");
        assert_eq!(got[0].3, "Officials", "{got:?}");
        let got = run("Barack Obama made a point of saying the club “was a place of solidarity.”");
        assert!(got.iter().all(|q| q.3 != "a point of"), "{got:?}");
    }

    #[test]
    fn documents_are_their_authors_and_subjects_after_long_openings() {
        let got = run(
            "Donald Trump unleashed a series of tweets early Friday saying that Hillary Clinton showed “bad judgment.”",
        );
        assert_eq!(got[0].3, "Donald Trump", "{got:?}");
        let got = run("Protesters marching through the streets chanted “What curfew?” until late.");
        assert_eq!(got[0].3, "Protesters", "{got:?}");
        let got = run(
            "After a closed, late-afternoon meeting, the Security Council issued a statement calling the test “a clear violation.”",
        );
        assert_eq!(got[0].3, "the Security Council", "{got:?}");
    }

    #[test]
    fn a_tv_show_is_no_cue_and_no_phrase_ends_with_upon() {
        let got = run("“It's too early to tell,” said Mark Cuban, who is also a host on the TV show “Shark Tank.”");
        assert!(got.iter().all(|q| q.2 != "show"), "{got:?}");
        let got =
            run("Sarah Silverman incurred a wave of boos upon saying, “Hillary heard the passion of the people.”");
        assert!(got.iter().all(|q| !q.3.contains("upon")), "{got:?}");
    }

    #[test]
    fn numbers_titles_and_opening_conjunctions_in_speaker_phrases() {
        let got = speakers("“She didn’t like that,” said a 2008 Clinton veteran.");
        assert_eq!(got[0].2, "a 2008 Clinton veteran", "{got:?}");
        let got = speakers("“We win,” said South Carolina Democratic Party Chairman Jaime Harrison.");
        assert_eq!(got[0].2, "South Carolina Democratic Party Chairman Jaime Harrison", "{got:?}");
        let got = speakers("And then Donald Trump went on the attack, saying, “Is he going to resign?”");
        assert_eq!(got[0].2, "Donald Trump", "{got:?}");
        let got = run(
            "The program “is gaining traction,” Homeland Security Deputy Secretary Alejandro Mayorkas told reporters.",
        );
        assert_eq!(
            (got[0].1.as_str(), got[0].3.as_str()),
            ("The program “is gaining traction,”", "Alejandro Mayorkas"),
            "{got:?}"
        );
    }

    #[test]
    fn will_say_an_appositive_after_an_inverted_speaker_and_lowercase_titles() {
        let got = speakers("“Until you’ve sat at that desk, you don’t know,” he will say.");
        assert_eq!((got[0].1.as_str(), got[0].2.as_str()), ("say", "he"), "{got:?}");
        let got =
            run("“Boots on the ground” would be appropriate, Republican candidate Ben Carson said after the attacks.");
        assert_eq!(
            (got[0].1.as_str(), got[0].3.as_str()),
            ("“Boots on the ground” would be appropriate", "Ben Carson"),
            "{got:?}"
        );
    }

    #[test]
    fn time_phrases_descriptions_and_quantifiers_as_subjects() {
        let got = run("Donald Trump at the time said he’d asked his “people” to “look into” paying the fees.");
        assert_eq!(
            (got[0].1.as_str(), got[0].3.as_str()),
            ("he’d asked his “people” to “look into” paying the fees", "Donald Trump"),
            "{got:?}"
        );
        let got = run("One operative tried to downplay the comments, saying they were “not a big deal around here.”");
        assert_eq!(
            (got[0].1.as_str(), got[0].3.as_str()),
            ("they were “not a big deal around here.”", "One operative"),
            "{got:?}"
        );
        let got = run("Several said they would rather federal officials handed out the money.");
        assert_eq!(
            (got[0].1.as_str(), got[0].3.as_str()),
            ("they would rather federal officials handed out the money", "Several"),
            "{got:?}"
        );
        let got = run("Paul Ryan spoke last week. He’s said he gets his ideas from a speech in a novel.");
        assert_eq!(
            (got[0].1.as_str(), got[0].3.as_str()),
            ("he gets his ideas from a speech in a novel", "He"),
            "{got:?}"
        );
    }

    /// (kind, content, mention) of the quote whose content contains `needle`.
    fn row(got: &[(super::super::QuoteKind, String, String, String, String)], needle: &str) -> (String, String) {
        let r = got.iter().find(|r| r.1.contains(needle)).unwrap_or_else(|| panic!("no row with {needle:?}: {got:?}"));
        (r.1.clone(), r.3.clone())
    }

    #[test]
    fn speakers_after_a_quote_with_a_complement_a_relative_clause_or_a_partner() {
        let got = run("“Go home,” a spokesman for committee Democrats said.");
        assert_eq!(row(&got, "Go home").1, "a spokesman for committee Democrats");
        let got = run("“Why didn’t Donald Trump pay his?” a narrator in the Clinton ad asks.");
        assert_eq!(row(&got, "pay his").1, "a narrator in the Clinton ad");
        let got = run("“Go home,” Warren, who has not endorsed a candidate, told reporters.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!((got[0].2.as_str(), got[0].3.as_str()), ("told", "Warren"));
        let got = run("“Go home,” the Florida senator and Republican presidential candidate said in a statement.");
        assert_eq!(row(&got, "Go home").1, "the Florida senator and Republican presidential candidate");
        // A phrase after a preposition is still no subject.
        let got = run("Protesters marching through the streets chanted “What curfew?” and kept going.");
        assert_eq!(row(&got, "What curfew").1, "Protesters");
    }

    #[test]
    fn an_opening_participle_an_auxiliary_and_a_possessive_opener() {
        let got = run(
            "Bill Maher spoke. Maher stated of the scandal that the report “wasn’t good.” Adding, “Now, like with all Clinton scandals, it is never that bad.”",
        );
        assert_eq!(row(&got, "the report").0, "the report “wasn’t good.”");
        assert_eq!(row(&got, "Now, like").1, "Maher");
        let got =
            run("It was odd. A spokesman for Bernie Sanders could only quip: “I guess Christmas Eve was booked.”");
        assert_eq!(row(&got, "Christmas").1, "A spokesman");
        let got =
            run("Iowa State University’s Dianne Bystrom agreed. “Mainstream Republicans are running out of time.”");
        assert_eq!(row(&got, "Mainstream").1, "Dianne Bystrom");
    }

    #[test]
    fn a_quote_ending_its_sentence_keeps_its_speaker_from_the_next_sentences_cue() {
        let got = run(
            "“She has two opportunities now,” said Megan Greene, chief economist at Manulife. “They have been laying down sign posts everywhere.” Greene added that the Fed wants to get out of the way.",
        );
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!((got[1].2.as_str(), got[1].3.as_str()), ("said", "Megan Greene"), "{got:?}");
        assert_eq!((got[2].1.as_str(), got[2].2.as_str()), ("the Fed wants to get out of the way", "added"));
        // A bare attribution after the full stop is the quote's.
        let got = run("“I hope you are able to find the 30,000 emails that are missing.” Trump told reporters.");
        assert_eq!((got[0].2.as_str(), got[0].3.as_str()), ("told", "Trump"), "{got:?}");
    }

    #[test]
    fn split_quotes_whose_first_half_runs_on_unquoted_or_is_a_fragment() {
        let got = run(
            "“If there had not been that intervention” by the United States and NATO, Clinton said at a town hall on Monday, “we would be looking at Syria now.”",
        );
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(
            (got[0].1.as_str(), got[0].2.as_str()),
            ("“If there had not been that intervention” by the United States and NATO", "said")
        );
        let got = run(
            "Stephanie Acs spoke. Trump's support means “he must be doing something right,” she says, “but I don't know if I would vote for him.”",
        );
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!((got[0].0, got[0].2.as_str()), (Mixed, "says"));
        assert_eq!((got[1].0, got[1].2.as_str()), (Direct, "says"));
    }

    #[test]
    fn a_person_opening_a_sentence_in_between_ends_the_inheritance() {
        let got = run(
            "“It goes in here and goes out here,” Tom Ebeling said, pointing to his ears. Betsy Ebeling shook her head. “Tom’s much better about it than I am.”",
        );
        assert_eq!(got.len(), 1, "{got:?}");
        let got = run(
            "“It goes in here,” Tom Ebeling said, a friend of Betsy Ebeling. “Tom’s much better about it than I am.”",
        );
        assert_eq!(got.len(), 2, "{got:?}");
    }

    #[test]
    fn a_document_opening_the_sentence_speaks_for_itself() {
        let got = run("The email went on to say, “Today, people just don’t feel as much of a need to show up.”");
        assert_eq!((got[0].2.as_str(), got[0].3.as_str()), ("say", "The email"), "{got:?}");
    }

    #[test]
    fn a_paragraph_ending_with_an_attribution_introduces_the_next_paragraphs_quote() {
        let got = run(
            "Doug Schoen spoke. Schoen elaborated in an editorial piece that superdelegates may reconsider.\n\n“A Sanders win in California would underscore her weakness as a candidate.”",
        );
        let q = got.iter().find(|q| q.1.starts_with("“A Sanders")).expect("the quote");
        assert_eq!((q.2.as_str(), q.3.as_str()), ("elaborated", "Schoen"), "{got:?}");
        // Not from a description the speaker finder may have misread.
        let got = run(
            "Will urged the Republican electorate to abandon all outsider candidates.\n\n“The eruption of war in the capital of a NATO ally is a reminder of what matters.”",
        );
        assert!(got.iter().all(|q| !q.1.starts_with("“The eruption")), "{got:?}");
    }

    #[test]
    fn states_and_reports_are_cues_only_as_verbs_before_that() {
        let got = run("The New York Post reports that the team avoided taking her to the emergency room.");
        assert_eq!(
            (got[0].1.as_str(), got[0].2.as_str()),
            ("the team avoided taking her to the emergency room", "reports")
        );
        let got = run("A document on the campaign's website states that couples would receive the leave.");
        assert_eq!(got[0].2, "states", "{got:?}");
        assert!(run("The United States that we love is a great place.").iter().all(|q| q.2 != "States"));
        assert!(run("News reports said little, and the reports claimed nothing.").iter().all(|q| q.2 != "reports"));
    }
}
