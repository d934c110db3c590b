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

const INTENSIFIERS: &[&str] = &[
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
    ) || word.ends_with("n't")
        || word.ends_with("n\u{2019}t")
}

/// x/√(x²+15), into −1–1.
pub fn normalize(x: f32) -> f32 {
    if x == 0.0 { 0.0 } else { x / (x * x + ALPHA).sqrt() }
}

/// The unnormalised VADER sum of `words` (lower-case); words whose `scored`
/// flag is false (names) carry no valence but still count as context.
pub fn raw_sum(lexicon: &Lexicon, words: &[&str], scored: &[bool]) -> f32 {
    let but = words.iter().rposition(|w| *w == "but");
    let mut sum = 0.0;
    for (i, word) in words.iter().enumerate() {
        if !scored.get(i).copied().unwrap_or(true) {
            continue;
        }
        let Some(mut v) = lexicon.get(word) else { continue };
        // "held X responsible (for)" blames; VADER reads "responsible" as praise.
        if *word == "responsible"
            && words[i.saturating_sub(6)..i].iter().any(|w| matches!(*w, "held" | "hold" | "holds" | "holding"))
        {
            v = HELD_RESPONSIBLE;
        }
        if i > 0 && INTENSIFIERS.contains(&words[i - 1]) {
            v *= INTENSIFY;
        }
        if words[i.saturating_sub(NEGATION_REACH)..i].iter().any(|w| is_negation(w)) {
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
    fn unscored_words_carry_no_valence() {
        let lex = Lexicon::bundled();
        assert_eq!(polarity(&lex, &["united", "states"], &[false, false]), 0.0);
    }
}
