//! Evaluative clauses without quotes: "X VERB Y" where VERB is an evaluative
//! verb with a sign ("Trump blamed China": Trump → China, negative). X is an
//! entity mention ending at most three words before the verb (auxiliaries
//! and adverbs between), Y the first mention after the verb within eight
//! tokens, in the same sentence. The passive "Y was criticised by X" is read
//! the other way round. Without a subject right before the verb, "he"/"she"
//! takes the nearest earlier person and otherwise the sentence's first
//! mention stands in ("X, director of Y, praised Z"), at less weight.

use super::polarity::{BY, NEGATION, PASSIVE_AUX, is_negation};
use super::{Ctx, Evidence, NONE};
use crate::stages::EntityType;

/// Polarity of one evaluative verb, before negation.
const STRENGTH: f32 = 0.6;
/// Polarity of an evaluative verb whose subject is not right before it.
const DISTANT_STRENGTH: f32 = 0.4;
/// How far back, in tokens, "he"/"she" finds its antecedent.
const PRONOUN_REACH: usize = 40;
/// How many words may stand between the subject and the verb.
const SUBJECT_GAP: usize = 3;
/// How far after the verb the object may start, in tokens.
const OBJECT_REACH: usize = 8;

/// Evaluative verb forms with a negative sign, lower-case.
pub const NEGATIVE_VERBS: &[&str] = &[
    "criticised",
    "criticized",
    "criticises",
    "criticizes",
    "criticise",
    "criticize",
    "attacked",
    "attacking",
    "accusing",
    "criticizing",
    "criticising",
    "blaming",
    "condemning",
    "denouncing",
    "threatening",
    "opposing",
    "rejecting",
    "suing",
    "assailed",
    "castigated",
    "dinged",
    "questioned",
    "ridiculed",
    "derided",
    "scolded",
    "berated",
    "excoriated",
    "decried",
    "faulted",
    "barred",
    "banned",
    "blasting",
    "slamming",
    "attacks",
    "blamed",
    "blames",
    "blame",
    "accused",
    "accuses",
    "accuse",
    "condemned",
    "condemns",
    "condemn",
    "denounced",
    "denounces",
    "denounce",
    "slammed",
    "slams",
    "slam",
    "sued",
    "sues",
    "sue",
    "threatened",
    "threatens",
    "threaten",
    "opposed",
    "opposes",
    "oppose",
    "rejected",
    "rejects",
    "reject",
    "warned",
    "rebuked",
    "chided",
    "lambasted",
    "blasted",
    "mocked",
    "insulted",
    "sanctioned",
    "punished",
    "targeted",
    "fired",
    "ousted",
    "impeached",
    "charged",
    "indicted",
    "investigated",
];

/// Evaluative verb forms with a positive sign, lower-case.
pub const POSITIVE_VERBS: &[&str] = &[
    "praised",
    "praises",
    "praise",
    "endorsed",
    "endorses",
    "endorse",
    "backed",
    "backs",
    "back",
    "supported",
    "supports",
    "support",
    "thanked",
    "thanks",
    "thank",
    "welcomed",
    "welcomes",
    "welcome",
    "defended",
    "defends",
    "defend",
    "congratulated",
    "congratulates",
    "congratulate",
    "hailed",
    "hails",
    "hail",
    "applauded",
    "applauds",
    "applaud",
    "lauded",
    "commended",
    "admired",
    "embraced",
    "helped",
    "helps",
];

/// The sign of an evaluative verb form, lower-case. (The stage looks the
/// verbs up by hash, through [`super::lexicon::Lexicon::info_hashed`].)
pub fn verb_sign(word: &str) -> Option<f32> {
    if NEGATIVE_VERBS.contains(&word) {
        Some(-1.0)
    } else if POSITIVE_VERBS.contains(&word) {
        Some(1.0)
    } else {
        None
    }
}

/// "refused to endorse" negates the verb like "did not endorse".
fn is_refusal(word: &str) -> bool {
    matches!(word, "refused" | "refuses" | "refusing" | "declined" | "declines" | "declining" | "failed" | "fails")
}

pub(crate) fn is_passive_aux(word: &str) -> bool {
    matches!(word, "was" | "were" | "been" | "being" | "is" | "are" | "be" | "got" | "get" | "gets")
}

/// The evidence of every evaluative clause of the document.
pub(crate) fn find(ctx: &Ctx) -> Vec<Evidence> {
    let mut out = Vec::new();
    for sentence in ctx.doc.sentences() {
        let (first, end) = (sentence.tokens.start as usize, sentence.tokens.end as usize);
        for v in first..end {
            if ctx.mention_of[v] != NONE {
                continue;
            }
            let Some(sign) = ctx.verb_sign(v) else { continue };
            if let Some(ev) = clause(ctx, first, end, v, sign) {
                out.push(ev);
            }
        }
    }
    out
}

/// The clause around the evaluative verb at token `v` of the sentence
/// `first..end`.
fn clause(ctx: &Ctx, first: usize, end: usize, v: usize, sign: f32) -> Option<Evidence> {
    // Walk back over at most SUBJECT_GAP lower-case words to a mention.
    let mut i = v;
    let mut between = Vec::new();
    let mut strength = STRENGTH;
    let subject = loop {
        if i == first {
            break NONE;
        }
        i -= 1;
        let m = ctx.mention_of[i];
        if m != NONE {
            break m;
        }
        if matches!(ctx.word(i), "he" | "she") {
            // The nearest person (or untagged name) before the pronoun.
            break (i.saturating_sub(PRONOUN_REACH)..i)
                .rev()
                .map(|t| ctx.mention_of[t])
                .find(|&m| m != NONE && matches!(ctx.parties[m as usize].kind, None | Some(EntityType::Person)))
                .unwrap_or(NONE);
        }
        let word = ctx.word(i);
        let token = &ctx.tokens[i];
        let text = &ctx.doc.text()[token.range()];
        if between.len() >= SUBJECT_GAP || token.kind != crate::text::TokenKind::Word || text != word {
            break NONE;
        }
        between.push(i);
    };
    let subject = if subject != NONE {
        subject
    } else {
        // "X, director of the Y department, praised Z": the sentence's
        // first mention (its likely subject), with less weight.
        between.clear();
        strength = DISTANT_STRENGTH;
        let t = (first..v).find(|&t| ctx.mention_of[t] != NONE)?;
        for b in (t + 1..v).rev().take(SUBJECT_GAP) {
            if ctx.tokens[b].kind == crate::text::TokenKind::Word {
                between.push(b);
            }
        }
        ctx.mention_of[t]
    };
    let negated = between.iter().any(|&b| is_negation(ctx.word(b)) || is_refusal(ctx.word(b)));
    // "was criticised by", or the reduced "X, criticised strongly by Y".
    let passive =
        between.iter().any(|&b| is_passive_aux(ctx.word(b))) || (v + 1..(v + 3).min(end)).any(|t| ctx.word(t) == "by");
    let mut polarity = sign * strength;
    if negated {
        polarity *= NEGATION;
    }
    // The object: the first mention after the verb within reach.
    let reach = (v + 1 + OBJECT_REACH).min(end);
    let mut j = v + 1;
    let object = loop {
        if j >= reach {
            return None;
        }
        let m = ctx.mention_of[j];
        if m != NONE {
            break (m, j);
        }
        j += 1;
    };
    let (object, at) = object;
    let (source, target) = if passive {
        // "X was criticised by Y": Y → X, only with the agent there.
        if !(v + 1..at).any(|t| ctx.word(t) == "by") {
            return None;
        }
        (object, subject)
    } else {
        (subject, object)
    };
    if ctx.entity_of(source) == ctx.entity_of(target) {
        return None;
    }
    Some(Evidence {
        quote: None,
        source: ctx.party(source),
        target: ctx.party(target),
        polarity,
        cue: ctx.doc.text()[ctx.tokens[v].range()].to_string(),
    })
}

/// How many tokens may stand between two mentions for the words between them
/// to be read as one's stance toward the other.
const PAIR_GAP: usize = 12;
/// What the between-words polarity of a mention pair is weighed by.
const PAIR_WEIGHT: f32 = 0.5;
/// The least between-words polarity that makes a mention pair evidence.
const PAIR_MIN: f32 = 0.3;

/// Evaluative predicates beyond the verb list: "X (words) Y" in one
/// sentence, mentions at most [`PAIR_GAP`] tokens apart, where the words between carry valence ("Obama promised to embrace
/// America"). Pairs already linked by other evidence are skipped; the cue is
/// the word with the strongest valence.
pub(crate) fn pairs(ctx: &Ctx, linked: &[(u32, u32)]) -> Vec<Evidence> {
    let mut out = Vec::new();
    // A set, not a search of the list per pair: the list grows with the
    // article's names, and so does the number of pairs.
    let linked: crate::fxhash::FxHashSet<(u32, u32)> = linked.iter().copied().collect();
    for sentence in ctx.doc.sentences() {
        let (first, end) = (sentence.tokens.start as usize, sentence.tokens.end as usize);
        let mut t = first;
        while t < end {
            let a = ctx.mention_of[t];
            if a == NONE {
                t += 1;
                continue;
            }
            let mut after = t;
            while after < end && ctx.mention_of[after] == a {
                after += 1;
            }
            // Every later mention within reach.
            let mut j = after;
            let mut last = NONE;
            while j < end && j - after <= PAIR_GAP {
                let b = ctx.mention_of[j];
                if b == NONE || b == last {
                    j += 1;
                    continue;
                }
                last = b;
                if ctx.entity_of(a) != ctx.entity_of(b) && !linked.contains(&(a, b)) && !linked.contains(&(b, a)) {
                    let p = super::polarity::normalize(ctx.range_sum(after..j));
                    if p.abs() >= PAIR_MIN {
                        // "A was praised by B": B → A.
                        let passive = (after..j)
                            .position(|w| ctx.info[w].flags & PASSIVE_AUX != 0)
                            .is_some_and(|aux| (after + aux..j).any(|w| ctx.info[w].flags & BY != 0));
                        let (a, b) = if passive { (b, a) } else { (a, b) };
                        let cue = strongest_word(ctx, after..j);
                        out.push(Evidence {
                            quote: None,
                            source: ctx.party(a),
                            target: ctx.party(b),
                            polarity: p * PAIR_WEIGHT,
                            cue: cue.to_string(),
                        });
                    }
                }
                j += 1;
            }
            t = after;
        }
    }
    out
}

/// The word of `range` with the strongest valence (names not counted), or
/// "" when none has any.
pub(crate) fn strongest_word<'c>(ctx: &'c Ctx, range: std::ops::Range<usize>) -> &'c str {
    range
        .filter(|&t| ctx.mention_of[t] == NONE)
        .filter_map(|t| ctx.info[t].valence.map(|v| (v.abs(), ctx.word(t))))
        .fold((0.0f32, ""), |best, x| if x.0 > best.0 { x } else { best })
        .1
}
