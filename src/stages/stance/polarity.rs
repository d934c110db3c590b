//! VADER-style polarity of a run of words: the sum of the words' valences,
//! flipped and dampened by a negation in the three words before, boosted by
//! an intensifier right before, weighed by a contrastive "but" (before it
//! ×0.5, after it ×1.5), normalised into −1–1 as x/√(x²+15).

use super::lexicon::Lexicon;

/// VADER's normalisation constant.
const ALPHA: f32 = 15.0;
/// What a negation multiplies a valence by (VADER's N_SCALAR).
pub const NEGATION: f32 = -0.74;
const INTENSIFY: f32 = 1.3;
/// The valence of "responsible" in "held X responsible".
const HELD_RESPONSIBLE: f32 = -1.5;
/// How many words before a valence word a negation reaches.
const NEGATION_REACH: usize = 3;

pub const INTENSIFIERS: &[&str] = &[
    "very",
    "extremely",
    "deeply",
    "highly",
    "really",
    "so",
    "totally",
    "absolutely",
    "completely",
    "utterly",
    "incredibly",
    "especially",
    "particularly",
    "strongly",
];

/// A negation word ("not", "never", "didn't", ...), lower-case.
pub fn is_negation(word: &str) -> bool {
    matches!(
        word,
        "not" | "never" | "no" | "n't" | "without" | "cannot" | "nor" | "neither" | "none" | "nothing" | "nobody"
    ) || ends_with_nt(word)
}

/// [`ends_with_nt`] of a word's UTF-8 bytes (most words don't end in 't':
/// one byte settles them).
#[inline]
pub fn ends_with_nt_bytes(word: &[u8]) -> bool {
    word.last() == Some(&b't') && (word.ends_with(b"n't") || word.ends_with("n\u{2019}t".as_bytes()))
}

/// "didn't", "won’t": a negation by its ending.
#[inline]
pub fn ends_with_nt(word: &str) -> bool {
    ends_with_nt_bytes(word.as_bytes())
}

/// x/√(x²+15), into −1–1.
pub fn normalize(x: f32) -> f32 {
    if x == 0.0 { 0.0 } else { x / (x * x + ALPHA).sqrt() }
}

/// Word flags the scoring reads (see [`word_flags`]).
pub const BUT: u8 = 1;
pub const INTENSIFIER: u8 = 2;
pub const NEGATOR: u8 = 4;
pub const HOLD: u8 = 8;
pub const RESPONSIBLE: u8 = 16;
/// Not scoring flags, but looked up with them: a passive auxiliary
/// ([`super::clauses::is_passive_aux`]), "by", a clause separator.
pub const PASSIVE_AUX: u8 = 32;
pub const BY: u8 = 64;
pub const SEPARATOR: u8 = 128;

/// Clause separators: `, ; : ( )` and dashes.
pub const SEPARATORS: &[&str] = &[",", ";", ":", "(", ")", "-", "--", "\u{2014}", "\u{2013}"];

/// Words whose [`word_flags`] are not empty (apart from "n't" endings).
pub const FLAGGED_WORDS: &[&str] = &[
    "but",
    "not",
    "never",
    "no",
    "n't",
    "without",
    "cannot",
    "nor",
    "neither",
    "none",
    "nothing",
    "nobody",
    "held",
    "hold",
    "holds",
    "holding",
    "responsible",
    "by",
    "was",
    "were",
    "been",
    "being",
    "is",
    "are",
    "be",
    "got",
    "get",
    "gets",
    ",",
    ";",
    ":",
    "(",
    ")",
    "-",
    "--",
    "\u{2014}",
    "\u{2013}",
];

/// What role a lower-case word plays in scoring its neighbours.
pub fn word_flags(word: &str) -> u8 {
    let mut flags = 0;
    if word == "but" {
        flags |= BUT;
    }
    if INTENSIFIERS.contains(&word) {
        flags |= INTENSIFIER;
    }
    if is_negation(word) {
        flags |= NEGATOR;
    }
    if matches!(word, "held" | "hold" | "holds" | "holding") {
        flags |= HOLD;
    }
    if word == "responsible" {
        flags |= RESPONSIBLE;
    }
    if super::clauses::is_passive_aux(word) {
        flags |= PASSIVE_AUX;
    }
    if word == "by" {
        flags |= BY;
    }
    if SEPARATORS.contains(&word) {
        flags |= SEPARATOR;
    }
    flags
}

/// The unnormalised VADER sum of `words` (lower-case); words whose `scored`
/// flag is false (names) carry no valence but still count as context.
pub fn raw_sum(lexicon: &Lexicon, words: &[&str], scored: &[bool]) -> f32 {
    let flags: Vec<u8> = words.iter().map(|w| word_flags(w)).collect();
    sum_flagged(
        words.len(),
        |i| if scored.get(i).copied().unwrap_or(true) { lexicon.get(words[i]) } else { None },
        |i| flags[i],
    )
}

/// [`raw_sum`] over `n` words given by index: `valence(i)` the word's
/// lexicon valence (None for none or a name), `flags(i)` its
/// [`word_flags`]. Lets a caller look every word up once per article
/// instead of once per window.
pub fn sum_flagged(n: usize, valence: impl Fn(usize) -> Option<f32>, flags: impl Fn(usize) -> u8) -> f32 {
    let but = (0..n).rev().find(|&i| flags(i) & BUT != 0);
    let mut sum = 0.0;
    for i in 0..n {
        let Some(mut v) = valence(i) else { continue };
        // "held X responsible (for)" blames; VADER reads "responsible" as praise.
        if flags(i) & RESPONSIBLE != 0 && (i.saturating_sub(6)..i).any(|j| flags(j) & HOLD != 0) {
            v = HELD_RESPONSIBLE;
        }
        if i > 0 && flags(i - 1) & INTENSIFIER != 0 {
            v *= INTENSIFY;
        }
        if (i.saturating_sub(NEGATION_REACH)..i).any(|j| flags(j) & NEGATOR != 0) {
            v *= NEGATION;
        }
        if let Some(b) = but {
            v *= if i < b { 0.5 } else { 1.5 };
        }
        sum += v;
    }
    sum
}

/// What [`sum_flagged`] needs of an article to sum many token ranges of it
/// quickly: the words with a valence, in order, and per token where the
/// next of them and the last "but" are. A range's sum then visits only its
/// words with a valence — most words have none — instead of every token,
/// with the same operations in the same order, so the same `f32`.
#[derive(Debug, Default)]
pub struct ValenceIndex {
    /// The tokens whose valence counts, with it.
    valued: Vec<(u32, f32)>,
    /// Per token (and one past the last): the index in `valued` of the first
    /// valued token at or after it.
    first_valued: Vec<u32>,
    /// Per token: the nearest token at or before it flagged [`BUT`], or
    /// `u32::MAX`.
    last_but: Vec<u32>,
}

impl ValenceIndex {
    /// The index of `n` tokens: `valence(t)` a token's valence (None for
    /// none or a name), `flags(t)` its [`word_flags`].
    pub fn new(n: usize, valence: impl Fn(usize) -> Option<f32>, flags: impl Fn(usize) -> u8) -> ValenceIndex {
        // Room for the usual count of valued words (a few in a hundred).
        let mut valued = Vec::with_capacity(n / 16 + 1);
        let mut first_valued = vec![0; n + 1];
        let mut last_but = vec![u32::MAX; n];
        let mut but = u32::MAX;
        for t in 0..n {
            first_valued[t] = valued.len() as u32;
            if let Some(v) = valence(t) {
                valued.push((t as u32, v));
            }
            if flags(t) & BUT != 0 {
                but = t as u32;
            }
            last_but[t] = but;
        }
        first_valued[n] = valued.len() as u32;
        ValenceIndex { valued, first_valued, last_but }
    }

    /// [`sum_flagged`] over the tokens `range` (valences and flags as given
    /// to [`Self::new`]).
    pub fn sum(&self, range: std::ops::Range<usize>, flags: impl Fn(usize) -> u8) -> f32 {
        let (start, end) = (range.start, range.end);
        if start >= end {
            return 0.0;
        }
        let but = Some(self.last_but[end - 1] as usize).filter(|&b| b != u32::MAX as usize && b >= start);
        let mut sum = 0.0;
        for &(t, valence) in &self.valued[self.first_valued[start] as usize..] {
            let t = t as usize;
            if t >= end {
                break;
            }
            // As in `sum_flagged`, with `i = t - start`.
            let mut v = valence;
            if flags(t) & RESPONSIBLE != 0 && (t.saturating_sub(6).max(start)..t).any(|j| flags(j) & HOLD != 0) {
                v = HELD_RESPONSIBLE;
            }
            if t > start && flags(t - 1) & INTENSIFIER != 0 {
                v *= INTENSIFY;
            }
            if (t.saturating_sub(NEGATION_REACH).max(start)..t).any(|j| flags(j) & NEGATOR != 0) {
                v *= NEGATION;
            }
            if let Some(b) = but {
                v *= if t < b { 0.5 } else { 1.5 };
            }
            sum += v;
        }
        sum
    }
}

/// The polarity of `words`, −1–1.
pub fn polarity(lexicon: &Lexicon, words: &[&str], scored: &[bool]) -> f32 {
    normalize(raw_sum(lexicon, words, scored))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(text: &str) -> f32 {
        let lex = Lexicon::bundled();
        let words: Vec<&str> = text.split_whitespace().collect();
        polarity(&lex, &words, &[])
    }

    #[test]
    fn sign_negation_intensifier_and_contrast() {
        assert!(score("a good deal") > 0.0);
        assert!(score("a corrupt regime") < 0.0);
        assert_eq!(score("the table"), 0.0);
        assert!(score("not a good deal") < 0.0);
        assert!(score("didn't support it") < 0.0);
        assert!(score("very good") > score("good"));
        assert!(score("a responsible leader") > 0.0);
        assert!(score("held the government responsible for it") < 0.0);
        // After "but" weighs more than before it.
        assert!(score("good but terrible") < 0.0);
        assert!(score("terrible but good") > 0.0);
        let p = score("great great great great great great");
        assert!(p < 1.0 && p > 0.9);
    }

    #[test]
    fn word_flags_mark_the_scoring_words() {
        assert_eq!(word_flags("but"), BUT);
        assert_eq!(word_flags("very"), INTENSIFIER);
        assert_eq!(word_flags("won\u{2019}t"), NEGATOR);
        assert_eq!(word_flags("held"), HOLD);
        assert_eq!(word_flags("responsible"), RESPONSIBLE);
        assert_eq!(word_flags("table"), 0);
        assert_eq!(word_flags("by"), BY);
        assert_eq!(word_flags("were"), PASSIVE_AUX);
        assert_eq!(word_flags("\u{2014}"), SEPARATOR);
        for w in FLAGGED_WORDS.iter().chain(INTENSIFIERS) {
            assert_ne!(word_flags(w), 0, "{w}");
        }
    }

    /// Every range of a word list sums through the index to exactly what
    /// `sum_flagged` gives.
    #[test]
    fn the_index_sums_ranges_as_sum_flagged_does() {
        let lex = Lexicon::bundled();
        let text = "but he did not hold them responsible , very good but never bad ; \
                    they held the very corrupt officials responsible for a good deal but not a great one no";
        let words: Vec<&str> = text.split_whitespace().collect();
        let scored: Vec<bool> = (0..words.len()).map(|i| i % 7 != 3).collect();
        let valence = |i: usize| if scored[i] { lex.get(words[i]) } else { None };
        let flags: Vec<u8> = words.iter().map(|w| word_flags(w)).collect();
        let index = ValenceIndex::new(words.len(), valence, |i| flags[i]);
        for start in 0..=words.len() {
            for end in start..=words.len() {
                let direct = sum_flagged(end - start, |i| valence(start + i), |i| flags[start + i]);
                let indexed = index.sum(start..end, |t| flags[t]);
                assert_eq!(direct.to_bits(), indexed.to_bits(), "{start}..{end}");
            }
        }
    }

    #[test]
    fn unscored_words_carry_no_valence() {
        let lex = Lexicon::bundled();
        assert_eq!(polarity(&lex, &["united", "states"], &[false, false]), 0.0);
    }
}
