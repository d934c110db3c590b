//! Naming and judging frames: a quoted fragment after "call", "describe",
//! "dub", "label", "accuse", "blast", "praise" ("Trump called the system
//! “rigged”", "described the party as “a six-lane highway”", "what aide
//! Kevin Phillips called “a new era”", "accused Sanders of a “flip-flop”"). The content is
//! the object and the fragment, from the word after the verb to the closing
//! mark; the speaker is the verb's subject (for ", calling X “…”", the
//! sentence's subject).

use super::attribution::{phrase_left, skip_adverbs_left, subject_of};
use super::direct::Quoted;
use super::{Ctx, Found, NONE, QuoteKind, cues};
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
    "labeled",
    "labelled",
    "labels",
    "lambasted",
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

fn is_frame(lower: &str) -> bool {
    FRAMES.binary_search(&lower).is_ok()
}

/// Finds the naming frames around quoted fragments.
pub fn find(ctx: &Ctx, quoted: &[Quoted]) -> Vec<Found> {
    let mut out = Vec::new();
    let mut buf = [0u8; 24];
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
            let Some(lw) = ctx.lower(i, &mut buf) else { continue };
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
        // "a play called “X”" names a thing, not what someone said.
        let h = speaker.head;
        let who = ctx.mention_of[h] != NONE
            || ctx.is_capitalized(h)
            || ctx.lower(h, &mut buf).is_some_and(|w| cues::pronoun(w).is_some() || cues::speaker_noun(w).is_some());
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
        let mut to = q.end;
        let closes = q.close.is_some_and(|k| k > q.open + 1 && ctx.is_punct(k - 1, ","));
        if !closes {
            while to < sentence.end
                && !matches!(ctx.word(to), "," | ";" | ":" | "—" | "–" | "(" | "." | "?" | "!")
                && ctx.tokens[to].kind != TokenKind::Quote
            {
                to += 1;
            }
            // Further fragments of the same clause.
            while let Some(n) = quoted.iter().find(|n| n.open == to && !n.whole) {
                to = n.end;
                while to < sentence.end
                    && !matches!(ctx.word(to), "," | ";" | ":" | "—" | "–" | "(" | "." | "?" | "!")
                    && ctx.tokens[to].kind != TokenKind::Quote
                {
                    to += 1;
                }
            }
        }
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

#[cfg(test)]
mod tests {
    use super::super::QuoteKind::*;
    use super::super::testing::run;

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
    }
}
