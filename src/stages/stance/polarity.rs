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

/// "didn't", "won’t": a negation by its ending.
#[inline]
pub fn ends_with_nt(word: &str) -> bool {
    word.ends_with("n't") || word.ends_with("n\u{2019}t")
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

    #[test]
    fn unscored_words_carry_no_valence() {
        let lex = Lexicon::bundled();
        assert_eq!(polarity(&lex, &["united", "states"], &[false, false]), 0.0);
    }
}
