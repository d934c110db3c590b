//! The text layer: a cleaned working copy of an article's text that remembers
//! where every character came from, and its segmentation.
//!
//! Stages read [`Document::text`] (cleaned) and its tokens, sentences and
//! paragraphs, all as cleaned byte ranges; they report spans through
//! [`Document::original_span`], which gives the code point offsets into the
//! original `text` field that every table uses.

mod clean;
mod segment;

pub use clean::{CLOSE_DOUBLE, CLOSE_SINGLE, CleanText, OPEN_DOUBLE, OPEN_SINGLE};
pub use segment::{Paragraph, Segmentation, Sentence, Token, TokenKind, segment};

/// An article's text, cleaned and segmented. Built once per article and read
/// by every stage.
#[derive(Debug, Clone)]
pub struct Document {
    clean: CleanText,
    pub segmentation: Segmentation,
}

impl Document {
    /// Cleans and segments `original`. Pure.
    pub fn new(original: &str) -> Document {
        let clean = CleanText::new(original);
        let segmentation = segment(clean.as_str());
        Document { clean, segmentation }
    }

    /// The cleaned text (cleaned byte offsets index into it).
    pub fn text(&self) -> &str {
        self.clean.as_str()
    }

    /// Code point offsets into the original text for a cleaned byte range.
    pub fn original_span(&self, start: usize, end: usize) -> (u32, u32) {
        self.clean.original_span(start, end)
    }

    /// Length of the original text in code points.
    pub fn original_chars(&self) -> u32 {
        self.clean.original_chars()
    }

    pub fn tokens(&self) -> &[Token] {
        &self.segmentation.tokens
    }

    pub fn sentences(&self) -> &[Sentence] {
        &self.segmentation.sentences
    }

    pub fn paragraphs(&self) -> &[Paragraph] {
        &self.segmentation.paragraphs
    }
}

/// A metadata field (a title) cleaned the way article text is: entities
/// decoded, white space collapsed and trimmed, quotation marks canonical.
pub fn clean_field(raw: &str) -> String {
    CleanText::new(raw).as_str().trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn original_slice(text: &str, (s, e): (u32, u32)) -> String {
        text.chars().skip(s as usize).take((e - s) as usize).collect()
    }

    #[test]
    fn tokens_map_back_to_the_original_through_every_kind_of_edit() {
        let original = "An Iranian site,\u{a0}Khabaronline.ir, quoted Ali\u{200b} Rabiei: &quot;No deal,quot; he said.\r\nMr.&nbsp;Asgari&#39;s case";
        let doc = Document::new(original);
        let mapped: Vec<String> = doc
            .tokens()
            .iter()
            .map(|t| original_slice(original, doc.original_span(t.start as usize, t.end as usize)))
            .collect();
        assert!(mapped.contains(&"Khabaronline.ir".to_string()));
        assert!(mapped.contains(&"Rabiei".to_string()));
        assert!(mapped.contains(&"&quot;".to_string()));
        assert!(mapped.contains(&"quot;".to_string()));
        assert!(mapped.contains(&"Asgari".to_string()));
        assert!(mapped.contains(&"&#39;s".to_string()));
        assert_eq!(doc.paragraphs().len(), 2);
        // The cleaned sentence of the quote maps back to exactly its original.
        let s = &doc.sentences()[0];
        assert_eq!(
            original_slice(original, doc.original_span(s.start as usize, s.end as usize)),
            "An Iranian site,\u{a0}Khabaronline.ir, quoted Ali\u{200b} Rabiei: &quot;No deal,quot; he said."
        );
    }
}

/// Calls `f` with the lowercase form of `s`: lowercased in a stack buffer
/// when `s` is short ASCII (most words), else allocated.
pub fn with_lowercase<R>(s: &str, f: impl FnOnce(&str) -> R) -> R {
    let mut buf = [0u8; 48];
    if s.len() <= buf.len() && s.is_ascii() {
        let buf = &mut buf[..s.len()];
        buf.copy_from_slice(s.as_bytes());
        buf.make_ascii_lowercase();
        // SAFETY: `buf` holds the bytes of the ASCII `s` lowercased, which
        // are ASCII, so UTF-8 (checking them again cost a call per word).
        f(unsafe { std::str::from_utf8_unchecked(buf) })
    } else {
        f(&s.to_lowercase())
    }
}

#[cfg(test)]
mod lowercase_tests {
    #[test]
    fn with_lowercase_matches_to_lowercase() {
        for s in ["", "Iran", "WASHINGTON", "Téhéran", "already", &"Long".repeat(20)] {
            assert_eq!(super::with_lowercase(s, str::to_string), s.to_lowercase());
        }
    }
}
