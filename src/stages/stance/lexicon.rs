//! The polarity lexicon: VADER's word valences (`data/lexicons/vader.tsv`,
//! MIT) with project-written news and politics words on top
//! (`data/lexicons/news.tsv`), both on VADER's −4–4 scale.
//!
//! Keys are the 64-bit [`hash_str`] of the lower-case word, the hash the
//! stance stage computes once per token anyway (for the pair model), so a
//! look-up is one probe with no string comparison. Two words of the ~7,500
//! sharing a 64-bit hash is not a practical concern.

use super::clauses::{NEGATIVE_VERBS, POSITIVE_VERBS};
use super::polarity::{FLAGGED_WORDS, INTENSIFIERS, word_flags};
use crate::fxhash::{FxHashMap, FxHashSet};
use crate::stages::entities::model::hash_str;

const VADER: &str = include_str!("../../../data/lexicons/vader.tsv");
const NEWS: &str = include_str!("../../../data/lexicons/news.tsv");
/// SCOWL's most common English words, lower case (see data/README.md).
const COMMON: &str = include_str!("../../../data/lexicons/common_words.tsv");

/// What the stance stage knows of a word: its valence, its sign as an
/// evaluative verb, its scoring flags ([`super::polarity::word_flags`]).
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct WordInfo {
    pub valence: Option<f32>,
    /// ±1 for an evaluative verb form ([`super::clauses::verb_sign`]), else 0.
    pub verb: f32,
    pub flags: u8,
}

/// Bits of the [`Lexicon`]'s filter: 2^19 (64 KB) let through about 1.4% of
/// the words not listed (2^16 let through 11%, each then a map probe).
const MAYBE_BITS: u32 = 19;

/// Word → [`WordInfo`], keyed by the hash of the lower-case word.
#[derive(Debug, Default)]
pub struct Lexicon {
    words: FxHashMap<u64, WordInfo>,
    /// One bit per value of a hash's top [`MAYBE_BITS`] bits, set for the
    /// words in `words`: most tokens of a text are in no list, and one bit
    /// settles them before the map is probed.
    maybe: Vec<u64>,
    /// Hashes of the common words: asked only of capitalised words at the
    /// start of a sentence, so kept apart from `words`, which every token
    /// reads.
    common: FxHashSet<u64>,
}

impl Lexicon {
    /// The bundled lists; the news words override VADER's.
    pub fn bundled() -> Lexicon {
        let mut lexicon = Lexicon::default();
        lexicon.add_tsv(VADER);
        lexicon.add_tsv(NEWS);
        lexicon.common = COMMON.lines().skip(1).map(hash_str).collect();
        let verbs = NEGATIVE_VERBS.iter().map(|w| (w, -1.0)).chain(POSITIVE_VERBS.iter().map(|w| (w, 1.0)));
        for (word, sign) in verbs {
            lexicon.words.entry(hash_str(word)).or_default().verb = sign;
        }
        for word in FLAGGED_WORDS.iter().chain(INTENSIFIERS) {
            lexicon.words.entry(hash_str(word)).or_default().flags = word_flags(word);
        }
        lexicon.maybe = vec![0; (1 << MAYBE_BITS) / 64];
        for &h in lexicon.words.keys() {
            let bit = (h >> (64 - MAYBE_BITS)) as usize;
            lexicon.maybe[bit / 64] |= 1 << (bit % 64);
        }
        lexicon
    }

    /// Adds `word<TAB>valence` lines after a header line.
    fn add_tsv(&mut self, tsv: &str) {
        for line in tsv.lines().skip(1) {
            let mut cols = line.split('\t');
            if let (Some(word), Some(value)) = (cols.next(), cols.next())
                && let Ok(value) = value.trim().parse::<f32>()
            {
                self.words.entry(hash_str(word)).or_default().valence = Some(value);
            }
        }
    }

    /// The valence of a lower-case word, if it has one.
    pub fn get(&self, word: &str) -> Option<f32> {
        self.get_hashed(hash_str(word))
    }

    /// The valence of the lower-case word whose [`hash_str`] is `hash`.
    #[inline]
    pub fn get_hashed(&self, hash: u64) -> Option<f32> {
        self.words.get(&hash).and_then(|w| w.valence)
    }

    /// Everything known of the lower-case word whose [`hash_str`] is `hash`.
    #[inline]
    pub fn info_hashed(&self, hash: u64) -> WordInfo {
        let bit = (hash >> (64 - MAYBE_BITS)) as usize;
        if self.maybe.get(bit / 64).is_some_and(|w| w & (1 << (bit % 64)) == 0) {
            return WordInfo::default();
        }
        self.words.get(&hash).copied().unwrap_or_default()
    }

    /// Whether the lower-case word whose [`hash_str`] is `hash` is a common
    /// English word ("every", "people", "call").
    #[inline]
    pub fn is_common_hashed(&self, hash: u64) -> bool {
        self.common.contains(&hash)
    }

    /// How many words have a valence.
    pub fn len(&self) -> usize {
        self.words.values().filter(|w| w.valence.is_some()).count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_lists_load_and_news_words_are_there() {
        let lex = Lexicon::bundled();
        assert!(lex.len() > 7000);
        assert!(lex.get("good").unwrap() > 0.0);
        assert!(lex.get("corrupt").unwrap() < 0.0);
        assert!(lex.get("praised").unwrap() > 0.0);
        assert_eq!(lex.get("the"), None);
        let h = |w: &str| lex.info_hashed(hash_str(w));
        assert_eq!(h("blamed").verb, -1.0);
        assert_eq!(h("praised").verb, 1.0);
        assert!(h("praised").valence.unwrap() > 0.0);
        assert_eq!(h("but").flags, super::super::polarity::BUT);
        assert_ne!(h("very").flags & super::super::polarity::INTENSIFIER, 0);
        assert_eq!(h("table"), WordInfo::default());
    }
}
