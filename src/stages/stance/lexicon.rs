//! The polarity lexicon: VADER's word valences (`data/lexicons/vader.tsv`,
//! MIT) with project-written news and politics words on top
//! (`data/lexicons/news.tsv`), both on VADER's −4–4 scale.

use crate::fxhash::FxHashMap;

const VADER: &str = include_str!("../../../data/lexicons/vader.tsv");
const NEWS: &str = include_str!("../../../data/lexicons/news.tsv");

/// Word → valence, lower-case keys.
#[derive(Debug, Default)]
pub struct Lexicon {
    valence: FxHashMap<String, f32>,
}

impl Lexicon {
    /// The bundled lists; the news words override VADER's.
    pub fn bundled() -> Lexicon {
        let mut lexicon = Lexicon::default();
        lexicon.add_tsv(VADER);
        lexicon.add_tsv(NEWS);
        lexicon
    }

    /// Adds `word<TAB>valence` lines after a header line.
    fn add_tsv(&mut self, tsv: &str) {
        for line in tsv.lines().skip(1) {
            let mut cols = line.split('\t');
            if let (Some(word), Some(value)) = (cols.next(), cols.next())
                && let Ok(value) = value.trim().parse::<f32>()
            {
                self.valence.insert(word.to_string(), value);
            }
        }
    }

    /// The valence of a lower-case word, if it has one.
    pub fn get(&self, word: &str) -> Option<f32> {
        self.valence.get(word).copied()
    }

    pub fn len(&self) -> usize {
        self.valence.len()
    }

    pub fn is_empty(&self) -> bool {
        self.valence.is_empty()
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
    }
}
