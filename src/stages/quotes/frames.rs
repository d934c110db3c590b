//! Naming and judging frames: a quoted fragment after "call", "describe",
//! "dub", "label", "accuse", "blast", "praise" ("Trump called the system
//! “rigged”", "described the party as “a six-lane highway”", "what aide
//! Kevin Phillips called “a new era”", "accused Sanders of a “flip-flop”"). The content is
//! the object and the fragment, from the word after the verb to the closing
//! mark; the speaker is the verb's subject (for ", calling X “…”", the
//! sentence's subject).

use std::sync::LazyLock;

use super::attribution::{document_author, phrase_left, skip_adverbs_left, subject_of};
use super::direct::Quoted;
use super::{Ctx, Found, NONE, QuoteKind, cues};
use crate::fxhash::FxHashSet;
use crate::text::TokenKind;

/// Verbs that name something with a quoted fragment; sorted.
const FRAMES: &[&str] = &[
    "accused",
    "accuses",
    "accusing",
    "blasted",
    "blasting",
    "branded",
    "call",
    "called",
    "calling",
    "calls",
    "characterized",
    "characterizes",
    "characterizing",
    "criticized",
    "criticizing",
    "decried",
    "decrying",
    "deemed",
    "derided",
    "describe",
    "described",
    "describes",
    "describing",
    "dismissed",
    "dismissing",
    "dubbed",
    "dubbing",
    "dubs",
    "hailed",
    "hailing",
    "hails",
    "heralded",
    "heralding",
    "labeled",
    "labelled",
    "labels",
    "lambasted",
    "lauded",
    "lauding",
    "mocked",
    "mocking",
    "praised",
    "praising",
    "ridiculed",
    "slammed",
    "slamming",
    "termed",
    "touted",
    "touting",
];

/// [`FRAMES`] as a set: asked of most words before a quoted fragment, where
/// a binary search costs a string comparison a step.
static FRAME_SET: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| FRAMES.iter().copied().collect());

fn is_frame(lower: &str) -> bool {
    FRAME_SET.contains(lower)
}

/// Finds the naming frames around quoted fragments.
pub fn find(ctx: &Ctx, quoted: &[Quoted]) -> Vec<Found> {
    let mut out = Vec::new();
    let mut next = 0;
    for q in quoted {
        if q.whole || q.close.is_none() {
            continue;
        }
        let sentence = ctx.sentence_tokens(ctx.sentence_of[q.open]);
        // The frame verb within ten tokens before the fragment, nothing but
        // words, commas and a possessive in between.
        let floor = sentence.start.max(q.open.saturating_sub(10)).max(next);
        let mut verb = None;
        for i in (floor..q.open).rev() {
            let w = ctx.word(i);
            if matches!(w, "." | ";" | ":" | "?" | "!" | "“" | "”" | "(" | ")" | "—" | "–") {
                break;
            }
            let Some(lw) = ctx.lower(i) else { continue };
            if cues::cue_verb(lw).is_some() {
                break;
            }
            if is_frame(lw) {
                verb = Some(i);
                break;
            }
        }
        let Some(v) = verb else { continue };
        if v + 1 < q.open && ["for", "on", "off", "up", "out", "in", "back"].iter().any(|w| ctx.is(v + 1, w)) {
            continue;
        }
        let lo = sentence.start;
        let participle = ctx.word(v).ends_with("ing");
        let speaker = if participle && v > lo && (ctx.is_punct(v - 1, ",") || ctx.is(v - 1, "and")) {
            subject_of(ctx, lo, v)
        } else {
            skip_adverbs_left(ctx, v, lo).and_then(|h| phrase_left(ctx, h, lo))
        };
        let Some(speaker) = speaker else { continue };
        // "released a statement describing …": the statement's author.
        let speaker = document_author(ctx, lo, speaker);
        // "a play called “X”" names a thing, not what someone said.
        let h = speaker.head;
        let who = ctx.mention_of[h] != NONE
            || ctx.is_capitalized(h)
            || ctx.lower(h).is_some_and(|w| cues::pronoun(w).is_some() || cues::speaker_noun(w).is_some());
        if ctx.tokens[h].kind != TokenKind::Word || !who {
            continue;
        }
        // "what aide Kevin Phillips called “…”": the relative word opens it.
        let relative = (speaker.from.saturating_sub(3).max(lo)..speaker.from)
            .rev()
            .take_while(|&w| ctx.tokens[w].kind == TokenKind::Word)
            .find(|&w| ["what", "which", "that", "whom"].iter().any(|r| ctx.is(w, r)));
        let from = relative.unwrap_or(v + 1);
        // The fragment's clause runs on to the next pause ("called Obama a
        // “petulant child” who's acting “as if he is a king”"), unless the
        // fragment closes it (",”").
        let to = clause_end(ctx, quoted, q, sentence.end);
        next = to;
        out.push(Found {
            kind: QuoteKind::Mixed,
            content: ctx.span(from, to),
            cue: Some(ctx.span(v, v + 1)),
            speaker: Some(speaker),
            confidence: 0.6,
        });
    }
    out
}

/// The end of the clause a fragment sits in: the next pause ("called Obama
/// a “petulant child” who's acting “as if he is a king”"), unless the
/// fragment closes it (",”").
fn clause_end(ctx: &Ctx, quoted: &[Quoted], q: &Quoted, sentence_end: usize) -> usize {
    let mut to = q.end;
    let closes = q.close.is_some_and(|k| k > q.open + 1 && ctx.is_punct(k - 1, ","));
    if closes {
        return to;
    }
    // Nor does it run on past "and" (", calling it “disqualifying” and
    // asserting that ..."), unless another fragment follows ("a “train
    // wreck” and “outsourcer in chief”").
    if ctx.is(to, "and") {
        let mut k = to + 1;
        if ctx.lower(k).is_some_and(|w| matches!(w, "a" | "an" | "the")) {
            k += 1;
        }
        let next = quoted.get(quoted.partition_point(|n| n.open < k)).filter(|n| n.open == k && !n.whole);
        match next {
            Some(n) if n.close.is_some() => return clause_end(ctx, quoted, n, sentence_end),
            _ => return to,
        }
    }
    let run_on = |mut to: usize| {
        while to < sentence_end
            && !matches!(ctx.word(to), "," | ";" | ":" | "—" | "–" | "(" | "." | "?" | "!")
            && ctx.tokens[to].kind != TokenKind::Quote
        {
            to += 1;
        }
        to
    };
    to = run_on(to);
    // Further fragments of the same clause.
    // (Quoted stretches are in text order: a binary search finds the next.)
    while let Some(n) = quoted.get(quoted.partition_point(|n| n.open < to)).filter(|n| n.open == to && !n.whole) {
        to = run_on(n.end);
    }
    to
}

/// Irregular past forms that govern a quoted fragment ("made “a mistake”").
const IRREGULAR: &[&str] =
    &["began", "brought", "chose", "gave", "held", "kept", "made", "meant", "saw", "sought", "spoke", "took"];

/// Participles after a comma that report what the subject said or wants
/// (", declaring it “another super Tuesday”"); others ("wearing",
/// "carrying") only describe.
fn reports(participle: &str) -> bool {
    matches!(
        participle,
        "blaming"
            | "citing"
            | "condemning"
            | "declaring"
            | "demanding"
            | "denouncing"
            | "pledging"
            | "promising"
            | "proposing"
            | "quoting"
            | "referring"
            | "urging"
            | "vowing"
            | "warning"
    )
}

/// Particles between a verb and its object, left out of the content
/// ("warned against the “fevered dreams”", "talks about “spoiling the party”").
fn is_particle(lower: &str) -> bool {
    matches!(lower, "about" | "against" | "for" | "of" | "on" | "up" | "out" | "off" | "with" | "back" | "down")
}

/// The verb and subject governing a fragment no other rule took: "Sanders
/// promised Sunday to end “the wasteful regime”", "Gov. McCrory blamed the
/// court's “four liberal justices”", ", declaring it “another super
/// Tuesday”". The nearest word before the fragment that reads as a verb
/// after a speaker phrase (a name, a personal pronoun, a speaker noun); the
/// content runs from after the verb to the end of the fragment's clause.
pub fn find_governed(ctx: &Ctx, quoted: &[Quoted], taken: &[Found]) -> Vec<Found> {
    let mut out = Vec::new();
    let mut next = 0;
    // Per token: inside some content already found.
    let mut covered = vec![false; ctx.tokens.len()];
    for f in taken {
        let a = ctx.tokens.partition_point(|t| t.end <= f.content.start);
        let b = ctx.tokens.partition_point(|t| t.start < f.content.end);
        if a < b {
            covered[a..b].fill(true);
        }
    }
    for q in quoted {
        if q.whole || q.close.is_none() || q.open < next || covered[q.open..q.end].iter().any(|&c| c) {
            continue;
        }
        let sentence = ctx.sentence_tokens(ctx.sentence_of[q.open]);
        let lo = sentence.start;
        let floor = lo.max(q.open.saturating_sub(12));
        let mut hit = None;
        for v in (floor..q.open).rev() {
            let w = ctx.word(v);
            if matches!(w, "." | ";" | ":" | "?" | "!" | "“" | "”" | "(" | ")" | "—" | "–") {
                break;
            }
            if ctx.tokens[v].kind != TokenKind::Word || ctx.is_capitalized(v) || v == lo {
                continue;
            }
            let Some(lw) = ctx.lower(v) else { continue };
            if (cues::cue_verb(lw).is_some() && !reports(lw)) || lw == "as" {
                break;
            }
            if lw.len() < 3
                || cues::is_stop(lw)
                || cues::is_determiner(lw)
                || cues::is_adverb(lw)
                || cues::pronoun(lw).is_some()
                || cues::speaker_noun(lw).is_some()
            {
                continue;
            }
            let participle = lw.ends_with("ing");
            let present = lw.ends_with('s') && !lw.ends_with("ss");
            if !(lw.ends_with("ed") || participle || present || IRREGULAR.contains(&lw)) {
                continue;
            }
            let speaker = if participle {
                (reports(lw) && (ctx.is_punct(v - 1, ",") || ctx.is(v - 1, "and")))
                    .then(|| subject_of(ctx, lo, v))
                    .flatten()
            } else {
                skip_adverbs_left(ctx, v, lo).filter(|&h| !ctx.is_punct(h, ",")).and_then(|h| phrase_left(ctx, h, lo))
            };
            let Some(speaker) = speaker else { continue };
            let h = speaker.head;
            // "Clinton emails", "Sanders protesters": after a bare name an -s
            // word is as often a noun as a verb; only a pronoun settles it.
            if present && ctx.lower(h).is_none_or(|w| cues::pronoun(w).is_none()) {
                continue;
            }
            let who = match ctx.mention_of[h] {
                NONE => ctx.lower(h).is_some_and(|w| {
                    cues::pronoun(w).is_some_and(|p| p != cues::Pronoun::It) || cues::speaker_noun(w).is_some()
                }),
                m => matches!(
                    ctx.entities.mentions[m as usize].kind,
                    crate::stages::EntityType::Person | crate::stages::EntityType::Org
                ),
            };
            // "the remarks of Trump aides": a speaker phrase after a
            // preposition is no subject.
            let governed = speaker.from == lo
                || !ctx.lower(speaker.from - 1).is_some_and(|w| {
                    matches!(w, "of" | "for" | "to" | "with" | "about" | "by" | "from" | "in" | "on" | "at" | "against")
                });
            if who && governed {
                hit = Some((v, speaker));
                break;
            }
        }
        let Some((v, speaker)) = hit else { continue };
        let mut from = v + 1;
        if from < q.open && ctx.lower(from).is_some_and(is_particle) {
            from += 1;
        }
        let to = clause_end(ctx, quoted, q, sentence.end);
        next = to;
        out.push(Found {
            kind: QuoteKind::Mixed,
            content: ctx.span(from, to),
            cue: Some(ctx.span(v, v + 1)),
            speaker: Some(speaker),
            confidence: 0.5,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::QuoteKind::*;
    use super::super::testing::run;

    #[test]
    fn heralded_and_characterized_name_with_a_fragment() {
        let got = run("Germany’s Chancellor Angela Merkel heralded the deal with Turkey as a “breakthrough.”");
        assert_eq!(
            (got[0].1.as_str(), got[0].2.as_str()),
            ("the deal with Turkey as a “breakthrough.”", "heralded"),
            "{got:?}"
        );
    }

    #[test]
    fn frames_sorted() {
        assert!(super::FRAMES.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn called_and_described_fragments() {
        let got = run("Trump called the system “rigged,” then left.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!((got[0].0, got[0].1.as_str(), got[0].3.as_str()), (Mixed, "the system “rigged,”", "Trump"));
        let got = run("Christie called Obama a “petulant child” who is acting “as if he is a king.”");
        assert_eq!(got[0].1, "Obama a “petulant child” who is acting “as if he is a king.”", "{got:?}");
        let got = run("Cruz belittled the issue of the loans, calling it a “paperwork error” on Monday.");
        assert_eq!((got[0].1.as_str(), got[0].3.as_str()), ("it a “paperwork error” on Monday", "Cruz"), "{got:?}");
        let got = run("They went on to what aide Kevin Phillips called “the beginning of a new era” in his book.");
        assert_eq!(got[0].1, "what aide Kevin Phillips called “the beginning of a new era” in his book", "{got:?}");
        let got = run("The senator called for “a new approach” to trade.");
        assert!(got.is_empty(), "{got:?}");
        // "and" ends the fragment's clause: the subject's next verb follows.
        let got = run("Romney blasted Trump, calling it “disqualifying” and asserting that he hid something.");
        let calling = got.iter().find(|q| q.2 == "calling").expect("calling");
        assert_eq!(calling.1, "it “disqualifying”", "{got:?}");
        // Unless another fragment follows "and".
        let got = run("Gowdy’s office rejected the lawsuit, calling it “meritless” and “improper.”");
        let calling = got.iter().find(|q| q.2 == "calling").expect("calling");
        assert_eq!(calling.1, "it “meritless” and “improper.”", "{got:?}");
        // A statement's words are its author's.
        let got =
            run("Donald Trump and Paul Ryan issued a statement describing their meeting as “a very positive step.”");
        let describing = got.iter().find(|q| q.2 == "describing").expect("describing");
        assert_eq!(describing.3, "Donald Trump", "{got:?}");
    }

    #[test]
    fn a_fragment_governed_by_any_verb_after_its_subject() {
        let got = run("Gov. Pat McCrory blamed the court's “four liberal justices” for the ruling.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!((got[0].0, got[0].1.as_str()), (Mixed, "the court's “four liberal justices” for the ruling"));
        assert_eq!((got[0].2.as_str(), got[0].3.as_str()), ("blamed", "Gov. Pat McCrory"));
        let got = run("Cruz railed against the “fevered dreams” of a brokered convention.");
        assert_eq!((got[0].1.as_str(), got[0].3.as_str()), ("the “fevered dreams” of a brokered convention", "Cruz"));
        let got = run("Clinton celebrated in Florida, declaring it “another super Tuesday for our campaign.”");
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!((got[0].1.as_str(), got[0].3.as_str()), ("it “another super Tuesday for our campaign.”", "Clinton"));
    }

    #[test]
    fn no_governed_fragment_after_a_describing_participle_or_a_noun() {
        let got = run("Kelsey Atkinson stood by, wearing a shirt that read “Animal liberation now.”");
        assert!(got.is_empty(), "{got:?}");
        let got = run("The Clinton emails contained “confidential” material.");
        assert!(got.is_empty(), "{got:?}");
    }
}
