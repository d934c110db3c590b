//! Quotes: direct, mixed and indirect reported speech, each with its cue, the
//! local speaker mention and the resolved speaker.
//!
//! Contract: quotes are in text order of their content; a quote split by its
//! attribution ("A," he said, "B") is two quotes sharing speaker mention and
//! cue. Every span is a cleaned byte range on token boundaries, so it maps to
//! original offsets exactly and never cuts a character.
//!
//! How, in one pass per step over the tokens of one article:
//! - [`direct`] pairs the canonical quotation marks per paragraph (nesting,
//!   doubled single marks as a double mark, the quote that runs on into the
//!   next reopened paragraph, stray marks skipped or closed at the paragraph
//!   end) and tells whole quotes from quoted fragments;
//! - [`attribution`] finds cue verbs ([`cues`]) and the speaker phrase beside
//!   them, and gives each direct quote its attribution: after it ("said X",
//!   "X said", "— X", "according to X"), before it ("X said:", also across a
//!   paragraph break), or inherited from the quote before it;
//! - [`indirect`] turns the remaining cues into reported speech ("X said
//!   (that) CLAUSE", "CLAUSE, X said", "according to X, CLAUSE"), mixed when
//!   the clause carries a quoted fragment, and verbs of intent and stance
//!   into their object ("declined to comment", "criticized the ruling",
//!   "asked the court to ...", "announced his candidacy"); "as X reported"
//!   takes the clause across its comma;
//! - [`frames`] reads quoted fragments after naming and judging verbs
//!   ("called the system “rigged”", "accused X of “…”") as mixed quotes,
//!   then any fragment left with the nearest verb after a speaker ("blamed
//!   the court's “four liberal justices”");
//! - a whole quote still without a speaker takes the last speaker within two
//!   paragraphs when no other person is named in between;
//! - [`resolve`] maps each speaker phrase to an entity: names through the
//!   entity stage, pronouns to the nearest compatible speaker or subject,
//!   descriptions ("the spokesman") through the appositives that introduced
//!   them; unnamed sources keep their description and are marked anonymous.

mod attribution;
mod cues;
mod direct;
mod frames;
mod indirect;
mod resolve;

use crate::stages::entities::Entities;
use crate::stages::{EntityType, Gender, Span};
use crate::text::{Document, Token, TokenKind};

/// How the content is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum QuoteKind {
    /// Entirely inside quotation marks.
    Direct,
    /// Reported speech carrying a quoted fragment.
    Mixed,
    /// Reported speech without quotation marks.
    Indirect,
}

impl QuoteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteKind::Direct => "direct",
            QuoteKind::Mixed => "mixed",
            QuoteKind::Indirect => "indirect",
        }
    }
}

/// Who a quote is attributed to.
#[derive(Debug, Clone, PartialEq)]
pub struct Speaker {
    /// The local mention the attribution was made from ("he", "the spokesman").
    pub mention: Span,
    /// The resolved name, or the description of an unnamed source.
    pub name: String,
    pub kind: Option<EntityType>,
    pub entity: Option<u32>,
    pub gender: Gender,
    pub anonymous: bool,
}

/// One quote.
#[derive(Debug, Clone, PartialEq)]
pub struct Quote {
    pub kind: QuoteKind,
    pub content: Span,
    pub cue: Option<Span>,
    pub speaker: Option<Speaker>,
    /// 0–1.
    pub confidence: f32,
    /// −1–1, the content's overall polarity.
    pub polarity: f32,
}

/// Quote extraction, with its resources.
#[derive(Debug, Default)]
pub struct QuoteStage {
    /// Keep the whole quotes no speaker was found for (speaker empty); by
    /// default every quote is an attribution.
    pub unattributed: bool,
}

impl QuoteStage {
    /// Finds the quotes of one document. Pure.
    pub fn run(&self, doc: &Document, entities: &Entities) -> Vec<Quote> {
        let ctx = Ctx::new(doc, entities);
        let quoted = direct::find(&ctx);
        let cues = attribution::find_cues(&ctx, &quoted);
        let (mut found, used) = attribution::attribute_direct(&ctx, &quoted, &cues);
        found.extend(indirect::find(&ctx, &quoted, &cues, &used));
        found.extend(frames::find(&ctx, &quoted));
        let governed = frames::find_governed(&ctx, &quoted, &found);
        found.extend(governed);
        found.sort_by_key(|q| (q.content.start, q.content.end));
        // Two readings of one attribution ("called for a ban" as a verb's
        // object and as a naming frame): the first, unless only the second
        // has a speaker.
        found.dedup_by(|later, earlier| {
            later.content == earlier.content && (earlier.speaker.is_some() || later.speaker.is_none())
        });
        inherit_nearby(&ctx, &mut found);
        drop_nested(&ctx, &mut found);
        resolve::resolve(&ctx, &found)
    }

    /// The quotes that are written: all of them with `unattributed`, else
    /// those with a speaker. Quotes without one still count for the stance
    /// stage (their words are quoted words), so this runs after it and
    /// renumbers the quote indices of `evidence` (only quotes with a speaker
    /// have evidence).
    pub fn keep_written(&self, quotes: &mut Vec<Quote>, evidence: &mut [crate::stages::stance::Evidence]) {
        if self.unattributed || quotes.iter().all(|q| q.speaker.is_some()) {
            return;
        }
        let mut new_index = Vec::with_capacity(quotes.len());
        let mut kept = 0u32;
        for q in quotes.iter() {
            new_index.push(kept);
            kept += q.speaker.is_some() as u32;
        }
        for e in evidence.iter_mut() {
            if let Some(qi) = e.quote.as_mut() {
                debug_assert!(quotes[*qi as usize].speaker.is_some());
                *qi = new_index[*qi as usize];
            }
        }
        quotes.retain(|q| q.speaker.is_some());
    }
}

/// A whole quote nobody was found to say, in the paragraph of an
/// attribution: the speaker quoted last goes on speaking (news quotes run
/// across paragraphs, with the attribution often given once). No cue: the
/// quote is not part of that attribution, only by the same speaker.
fn inherit_nearby(ctx: &Ctx, found: &mut [Found]) {
    let paragraph_at = |byte: u32| {
        let t = ctx.tokens.partition_point(|t| t.start <= byte).saturating_sub(1);
        ctx.paragraph_of(t)
    };
    let mentions = &ctx.entities.mentions;
    // Another person named between the attribution and the quote may be
    // the one speaking: then nobody is inherited.
    let other_person = |from: u32, to: u32, p: &attribution::Phrase| {
        let own = ctx.entity_at(p.head);
        let first = mentions.partition_point(|m| m.span.start < from);
        mentions[first..]
            .iter()
            .take_while(|m| m.span.start < to)
            .any(|m| m.kind == EntityType::Person && Some(m.entity) != own)
    };
    let mut last: Option<(u32, u32, attribution::Phrase)> = None;
    for f in found.iter_mut() {
        match f.speaker {
            Some(p) => {
                let end = f.content.end.max(ctx.tokens[p.to - 1].end);
                last = Some((paragraph_at(f.content.end - 1), end, p));
            }
            None if f.kind == QuoteKind::Direct => {
                if let Some((para, end, p)) = last
                    && paragraph_at(f.content.start) <= para + INHERIT_PARAGRAPHS
                    && !other_person(end, f.content.start, &p)
                {
                    f.speaker = Some(p);
                    f.confidence = 0.4;
                }
            }
            None => {}
        }
    }
}

/// Drops the attributions made inside another one's reported words ("Sanders
/// said he plans to support the nominee": "plans" is part of what Sanders
/// said): cue and content both inside the content of a quote with a speaker,
/// when the nested one is mixed or its cue a verb of stance or intent. A
/// nested report of speech stays ("Iran says it is ready for talks, Iranian
/// media reported"). On PolNeAR train such nested rows were mostly not
/// annotated (direct content strict F1 +0.0045).
fn drop_nested(ctx: &Ctx, found: &mut Vec<Found>) {
    let attitude = |cue: Span| {
        let t = ctx.tokens.partition_point(|t| t.start < cue.start);
        ctx.lower(t).is_some_and(|w| cues::cue_verb(w).is_none() && cues::attitude_verb(w).is_some())
    };
    // (Or overlapping it, the cue inside: "Grayson said Randolph “would have
    // no chance to win,” the source recalled".)
    // `found` is sorted by content start: the other quote starts before the
    // nested one ends.
    let inside = |inner: Span, outer: Span| outer.start <= inner.start && inner.end <= outer.end;
    let overlap = |a: Span, b: Span| a.start < b.end && b.start < a.end;
    // The furthest content end of the quotes up to each: the search for the
    // quote around a cue goes back from the last quote starting before the
    // nested one ends, and stops where no quote that early reaches the cue
    // (a pass over every earlier quote per quote would take the square of
    // an article's quotes).
    let reach: Vec<u32> = found
        .iter()
        .scan(0, |end, f| {
            *end = f.content.end.max(*end);
            Some(*end)
        })
        .collect();
    let nested: Vec<bool> = found
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let Some(cue) = f.cue else { return false };
            let before = found.partition_point(|o| o.content.start < f.content.end);
            (f.kind == QuoteKind::Mixed || attitude(cue))
                && (0..before).rev().take_while(|&j| reach[j] > cue.start).map(|j| (j, &found[j])).any(|(j, o)| {
                    j != i
                        && o.speaker.is_some()
                        && o.content != f.content
                        && overlap(f.content, o.content)
                        && !inside(o.content, f.content)
                        && o.content.start <= cue.start
                        && cue.start < o.content.end
                        // Each inside the other's words: the later cue
                        // frames the sentence (“…, the source recalled”).
                        && !o.cue.is_some_and(|oc| {
                            f.content.start <= oc.start && oc.start < f.content.end && oc.start < cue.start
                        })
                })
        })
        .collect();
    let mut k = 0;
    found.retain(|_| {
        k += 1;
        !nested[k - 1]
    });
}

/// How many paragraphs on an attribution may carry (see [`inherit_nearby`]):
/// none past its own. On PolNeAR train only one in six of the quotes one or
/// two paragraphs further on were the last speaker's.
const INHERIT_PARAGRAPHS: u32 = 0;

/// Sentinel for "no mention" / "no quote" in the per-token tables.
pub(crate) const NONE: u32 = u32::MAX;

/// One article seen by the quote stage: the text, its tokens, and per token
/// the entity mention, sentence and paragraph it belongs to.
pub(crate) struct Ctx<'a> {
    pub text: &'a str,
    pub doc: &'a Document,
    pub tokens: &'a [Token],
    pub entities: &'a Entities,
    /// Per token: index into `entities.mentions`, or [`NONE`].
    pub mention_of: Vec<u32>,
    /// Per token: its sentence.
    pub sentence_of: Vec<u32>,
    /// The text with ASCII letters lowercased, and per token the range of
    /// its lowercase form there when it is a short ASCII word (empty past its
    /// start for other tokens): the word lists are asked about every word
    /// several times.
    lowered: String,
    lower_at: Vec<(u32, u32)>,
}

impl<'a> Ctx<'a> {
    pub fn new(doc: &'a Document, entities: &'a Entities) -> Ctx<'a> {
        let tokens = doc.tokens();
        let mut mention_of = vec![NONE; tokens.len()];
        let mut m = 0;
        for (i, t) in tokens.iter().enumerate() {
            while m < entities.mentions.len() && entities.mentions[m].span.end <= t.start {
                m += 1;
            }
            if let Some(mention) = entities.mentions.get(m)
                && mention.span.start < t.end
                && t.start < mention.span.end
            {
                mention_of[i] = m as u32;
            }
        }
        let mut sentence_of = vec![0u32; tokens.len()];
        for (si, s) in doc.sentences().iter().enumerate() {
            for i in s.tokens.clone() {
                sentence_of[i as usize] = si as u32;
            }
        }
        let text = doc.text();
        // The whole text ASCII-lowercased in one (vectorised) pass: a short
        // ASCII word's lowercase form is then its own range of it.
        let lowered = text.to_ascii_lowercase();
        // Whether a word is ASCII, from the offsets of the text's non-ASCII
        // bytes (few: quotation marks, dashes, accents), passed in order
        // with the tokens; a test per token without a branch on its length
        // or kind, which the mix of words and punctuation made mispredicted.
        let non_ascii = non_ascii_offsets(text.as_bytes());
        let mut next = 0;
        let lower_at = tokens
            .iter()
            .map(|t| {
                while non_ascii[next] < t.start {
                    next += 1;
                }
                let keep = (t.kind == TokenKind::Word)
                    & (t.end - t.start <= cues::MAX_WORD as u32)
                    & (non_ascii[next] >= t.end);
                if keep { (t.start, t.end) } else { (1, 0) }
            })
            .collect();
        Ctx { text, doc, tokens, entities, mention_of, sentence_of, lowered, lower_at }
    }

    pub fn word(&self, i: usize) -> &'a str {
        &self.text[self.tokens[i].range()]
    }

    /// The token's lowercase form when it is a short ASCII word; `None` past
    /// the last token (callers look ahead: "said on" ending the text).
    pub fn lower(&self, i: usize) -> Option<&str> {
        let &(start, end) = self.lower_at.get(i)?;
        (start <= end).then(|| {
            let bytes = &self.lowered.as_bytes()[start as usize..end as usize];
            // SAFETY: `lower_at` holds the ranges of ASCII words only (see
            // `new`), and ASCII-lowercasing keeps their bytes ASCII: UTF-8,
            // without checking the slice's ends for character boundaries
            // (this runs for nearly every word, several times).
            unsafe { std::str::from_utf8_unchecked(bytes) }
        })
    }

    /// The entity stage's hash of token `i`'s lowercase form (which for the
    /// words [`Self::lower`] gives is `hash_str` of it), when it made them.
    pub fn lower_hash(&self, i: usize) -> Option<u64> {
        let hashes = &self.entities.word_hashes;
        if hashes.len() == self.tokens.len() { hashes.get(i).copied() } else { None }
    }

    /// Token `i`'s bytes (the slice of [`Self::word`] without a check of
    /// its ends: token ends are character boundaries).
    #[inline]
    fn word_bytes(&self, i: usize) -> &[u8] {
        &self.text.as_bytes()[self.tokens[i].range()]
    }

    pub fn is(&self, i: usize, word: &str) -> bool {
        i < self.tokens.len() && self.word_bytes(i).eq_ignore_ascii_case(word.as_bytes())
    }

    pub fn is_punct(&self, i: usize, p: &str) -> bool {
        i < self.tokens.len() && self.tokens[i].kind == TokenKind::Punct && self.word_bytes(i) == p.as_bytes()
    }

    /// Whether token `i` closes a quote: "”", or the second of two single
    /// marks typed for a double one (NYT's ''…'', cleaned to ‘’ or ’’).
    pub fn closes_quote(&self, i: usize) -> bool {
        match self.word(i) {
            "”" => true,
            "’" | "‘" => {
                i > 0
                    && matches!(self.word(i - 1), "’" | "‘")
                    && self.tokens[i - 1].end == self.tokens[i].start
                    && self.tokens[i - 1].kind == TokenKind::Quote
            }
            _ => false,
        }
    }

    /// The entity of the mention token `t` is in, if any.
    pub fn entity_at(&self, t: usize) -> Option<u32> {
        match self.mention_of[t] {
            NONE => None,
            m => Some(self.entities.mentions[m as usize].entity),
        }
    }

    /// The closing mark that token `t` follows, directly or after a comma
    /// ("“…,” a narrator", "“…”, said"): its index.
    pub fn closing_mark_before(&self, t: usize) -> Option<usize> {
        if t >= 1 && self.closes_quote(t - 1) {
            Some(t - 1)
        } else if t >= 2 && self.is_punct(t - 1, ",") && self.closes_quote(t - 2) {
            Some(t - 2)
        } else {
            None
        }
    }

    pub fn is_capitalized(&self, i: usize) -> bool {
        self.tokens[i].kind == TokenKind::Word && self.tokens[i].starts_upper(self.text)
    }

    pub fn paragraph_of(&self, i: usize) -> u32 {
        self.doc.sentences()[self.sentence_of[i] as usize].paragraph
    }

    /// Token range of a sentence.
    pub fn sentence_tokens(&self, s: u32) -> std::ops::Range<usize> {
        let r = &self.doc.sentences()[s as usize].tokens;
        r.start as usize..r.end as usize
    }

    /// Token range of a paragraph.
    pub fn paragraph_tokens(&self, p: u32) -> std::ops::Range<usize> {
        let para = &self.doc.paragraphs()[p as usize];
        let first = self.sentence_tokens(para.sentences.start).start;
        let last = self.sentence_tokens(para.sentences.end - 1).end;
        first..last
    }

    /// The cleaned byte span of tokens `[from, to)` (non-empty).
    pub fn span(&self, from: usize, to: usize) -> Span {
        Span { start: self.tokens[from].start, end: self.tokens[to - 1].end }
    }

    /// Token range of the mention token `i` belongs to.
    pub fn mention_tokens(&self, i: usize) -> std::ops::Range<usize> {
        let m = self.mention_of[i];
        let mut a = i;
        while a > 0 && self.mention_of[a - 1] == m {
            a -= 1;
        }
        let mut b = i + 1;
        while b < self.tokens.len() && self.mention_of[b] == m {
            b += 1;
        }
        a..b
    }
}

/// An attribution found before resolution: what was said, by which phrase.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Found {
    pub kind: QuoteKind,
    pub content: Span,
    pub cue: Option<Span>,
    pub speaker: Option<attribution::Phrase>,
    pub confidence: f32,
}

/// The offsets of the bytes of `bytes` past ASCII, in order, then
/// `u32::MAX`. Eight bytes at a time where they are all ASCII.
fn non_ascii_offsets(bytes: &[u8]) -> Vec<u32> {
    let mut out = Vec::new();
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        if u64::from_le_bytes(chunk.try_into().expect("8 bytes")) & 0x8080_8080_8080_8080 != 0 {
            out.extend((at..at + 8).filter(|&i| bytes[i] >= 0x80).map(|i| i as u32));
        }
        at += 8;
    }
    out.extend((at..bytes.len()).filter(|&i| bytes[i] >= 0x80).map(|i| i as u32));
    out.push(u32::MAX);
    out
}

#[cfg(test)]
mod ctx_tests {
    use super::*;

    #[test]
    fn non_ascii_offsets_are_the_bytes_past_ascii() {
        for text in ["", "plain", "Téhéran — “quoted” 1,000 ü", "12345678é", "ééééééééé", "abcdefgh", "x\u{10348}y"]
        {
            let want: Vec<u32> = text.bytes().enumerate().filter(|(_, b)| *b >= 0x80).map(|(i, _)| i as u32).collect();
            let got = non_ascii_offsets(text.as_bytes());
            assert_eq!(got[..got.len() - 1], want[..], "{text:?}");
            assert_eq!(got.last(), Some(&u32::MAX));
        }
    }

    /// The context's short ASCII words are those `is_ascii` tells apart.
    #[test]
    fn ascii_words_are_those_is_ascii_says() {
        let text =
            "Said Téhéran, “Extraordinarilyunbelievablylongword” OK: naïve café-goers, 1,000 élan Zürich's U.S. done é";
        let doc = Document::new(text);
        let entities = Entities::default();
        let ctx = Ctx::new(&doc, &entities);
        for (i, t) in ctx.tokens.iter().enumerate() {
            let word = &doc.text()[t.range()];
            let short_ascii = t.kind == TokenKind::Word && word.len() <= cues::MAX_WORD && word.is_ascii();
            assert_eq!(ctx.lower(i).is_some(), short_ascii, "{word:?}");
        }
    }

    #[test]
    fn lowercase_forms_of_short_ascii_words_only() {
        let doc = Document::new("Said Téhéran, “Extraordinarilyunbelievablylongword” OK");
        let entities = Entities::default();
        let ctx = Ctx::new(&doc, &entities);
        let lowered: Vec<Option<&str>> = (0..ctx.tokens.len() + 1).map(|i| ctx.lower(i)).collect();
        assert_eq!(lowered[0], Some("said"));
        assert_eq!(lowered[1], None, "not ASCII");
        assert!(lowered.contains(&Some("ok")));
        assert!(lowered.iter().flatten().all(|w| w.len() <= cues::MAX_WORD), "{lowered:?}");
        assert_eq!(lowered[ctx.tokens.len()], None, "past the last token");
    }
}

#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use crate::stages::entities::EntityStage;
    use std::sync::OnceLock;

    /// The entity stage, loaded once for all quote tests.
    pub fn entity_stage() -> &'static EntityStage {
        static STAGE: OnceLock<EntityStage> = OnceLock::new();
        STAGE.get_or_init(EntityStage::new)
    }

    /// Runs the stage and returns, per quote, (kind, original quote text,
    /// original cue text, original speaker mention text, speaker name).
    pub fn run(original: &str) -> Vec<(QuoteKind, String, String, String, String)> {
        run_with(&QuoteStage::default(), original)
    }

    /// [`run`] with the given stage settings.
    pub fn run_with(stage: &QuoteStage, original: &str) -> Vec<(QuoteKind, String, String, String, String)> {
        let doc = Document::new(original);
        let entities = entity_stage().run(&doc);
        let mut quotes = stage.run(&doc, &entities);
        stage.keep_written(&mut quotes, &mut []);
        let slice = |s: Span| {
            let (a, b) = doc.original_span(s.start as usize, s.end as usize);
            original.chars().skip(a as usize).take((b - a) as usize).collect::<String>()
        };
        quotes
            .iter()
            .map(|q| {
                (
                    q.kind,
                    slice(q.content),
                    q.cue.map(slice).unwrap_or_default(),
                    q.speaker.as_ref().map(|s| slice(s.mention)).unwrap_or_default(),
                    q.speaker.as_ref().map(|s| s.name.clone()).unwrap_or_default(),
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::entities::Entities;

    #[test]
    fn a_quote_with_no_attribution_in_the_paragraph_inherits_the_last_speaker() {
        let text = "John Smith said the rally was a success. The crowd cheered. “We will keep going whatever happens next week.”";
        let got = testing::run(text);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!((got[1].2.as_str(), got[1].3.as_str()), ("", "John Smith"), "{got:?}");
        // Too far, or someone else between: nobody is found to say it. Such
        // a quote is left out, unless asked for (`--unattributed`).
        let far = "John Smith said the rally was a success.\n\nThe crowd cheered.\n\n“We will keep going whatever happens next week.”";
        let other = "John Smith said the rally was a success. Then Mary Jones took the stage. “We will keep going whatever happens next week.”";
        let keep = QuoteStage { unattributed: true };
        for text in [far, other] {
            let got = testing::run(text);
            assert_eq!(got.len(), 1, "{got:?}");
            let got = testing::run_with(&keep, text);
            assert_eq!(got.len(), 2, "{got:?}");
            assert_eq!(
                (got[1].1.as_str(), got[1].3.as_str()),
                ("“We will keep going whatever happens next week.”", "")
            );
        }
    }

    /// No input, however malformed its quotation marks, makes the stage panic
    /// or produce a span that is not on character boundaries.
    #[test]
    fn an_attribution_inside_reported_words_is_part_of_them() {
        let got = testing::run(
            "Bernie Sanders said he plans to support the nominee and that Trump would be “a disaster” for the country.",
        );
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!((got[0].2.as_str(), got[0].4.as_str()), ("said", "Bernie Sanders"));
        // Overlapping, with the cue inside the other's words.
        let got = testing::run(
            "Alan Grayson spoke. Grayson said Randolph “would have no chance to win,” the source recalled.",
        );
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].2, "recalled");
        // A nested report of speech stays.
        let got = testing::run(
            "Iran says it is ready for unconditional talks with the United States, Iranian media reported.",
        );
        assert_eq!(got.len(), 2, "{got:?}");
        // Side by side, both stay.
        let got = testing::run("Bernie Sanders said it was over. Hillary Clinton plans to campaign in Ohio on Monday.");
        assert_eq!(got.len(), 2, "{got:?}");
    }

    #[test]
    fn pathological_quotation_marks_never_panic() {
        let many = "“a ”b“ ‘c’’ ''d ”“".repeat(2000);
        let deep = "“one ‘two “three ‘four “five deep” said X’ he said” she said’ they said” said Rabiei.";
        let cases = [
            "“unclosed and said Rabiei",
            "””””““““ said ”",
            "“A,” said",
            "said",
            "“",
            "according to",
            ", said the",
            "é“ü”ö said Müller, “ß",
            deep,
            many.as_str(),
        ];
        for text in cases {
            let doc = Document::new(text);
            let entities = crate::stages::quotes::testing::entity_stage().run(&doc);
            for (entities, unattributed) in [(entities, false), (Entities::default(), true)] {
                for q in (QuoteStage { unattributed }).run(&doc, &entities) {
                    let spans = [Some(q.content), q.cue, q.speaker.as_ref().map(|s| s.mention)];
                    for s in spans.into_iter().flatten() {
                        assert!(s.start <= s.end && doc.text().get(s.start as usize..s.end as usize).is_some());
                        doc.original_span(s.start as usize, s.end as usize);
                    }
                }
            }
        }
    }
}
