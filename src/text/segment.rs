//! Paragraphs, tokens and sentences over cleaned text.
//!
//! Works on the cleaned string of [`super::CleanText`] (one kind of line break,
//! canonical quotation marks, collapsed spaces); every span is a cleaned byte
//! range that [`super::CleanText::original_span`] maps back to the original.
//!
//! Invariants:
//! - tokens never overlap and are in text order; every non-space character
//!   belongs to exactly one token;
//! - a sentence is a contiguous run of tokens inside one paragraph, and every
//!   token belongs to exactly one sentence;
//! - a period after an abbreviation, an initial or a dotted acronym ("Mr.",
//!   "T.", "U.S.") stays in its word token and ends a sentence only when the
//!   next word is one that starts sentences ("U.S. officials" goes on,
//!   "in the U.S. The next day" does not).

use std::ops::Range;
use std::sync::LazyLock;

use crate::fxhash::FxHashMap;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters and digits, with inner hyphens, apostrophes and periods
    /// ("al-Assad", "O'Malley", "U.S.", "Mr.").
    Word,
    /// Digits with inner separators ("1,000", "3.5").
    Number,
    /// A canonical quotation mark: `“ ” ‘ ’`.
    Quote,
    /// Any other non-space character, or a run of `.!?` / `-`.
    Punct,
}

/// A token: a cleaned byte range and its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: u32,
    pub end: u32,
    pub kind: TokenKind,
}

impl Token {
    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// Whether the token (of `text`) starts with an upper-case letter, as
    /// `starts_with(char::is_uppercase)`: by its first byte when ASCII, a
    /// character decoded only otherwise.
    #[inline]
    pub fn starts_upper(&self, text: &str) -> bool {
        match text.as_bytes()[self.range()].first() {
            Some(b) if b.is_ascii() => b.is_ascii_uppercase(),
            _ => text[self.range()].chars().next().is_some_and(char::is_uppercase),
        }
    }
}

/// A sentence: its cleaned byte range, its token indices and its paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub start: u32,
    pub end: u32,
    pub tokens: Range<u32>,
    pub paragraph: u32,
}

/// A paragraph: its cleaned byte range and its sentence indices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    pub start: u32,
    pub end: u32,
    pub sentences: Range<u32>,
}

/// The segmentation of one cleaned text.
#[derive(Debug, Clone, Default)]
pub struct Segmentation {
    pub paragraphs: Vec<Paragraph>,
    pub sentences: Vec<Sentence>,
    pub tokens: Vec<Token>,
}

/// Segments cleaned text into paragraphs, sentences and tokens. Pure.
pub fn segment(text: &str) -> Segmentation {
    let ranges = paragraph_ranges(text);
    // Room for the usual counts at once (news sentences run well over a
    // hundred bytes) rather than growing each list step by step.
    let mut seg = Segmentation {
        paragraphs: Vec::with_capacity(ranges.len()),
        sentences: Vec::with_capacity(text.len() / 100 + ranges.len()),
        tokens: Vec::with_capacity(text.len() / 5 + 1),
    };
    for range in ranges {
        let first_token = seg.tokens.len();
        tokenize_into(text, range.clone(), &mut seg.tokens);
        if seg.tokens.len() == first_token {
            continue;
        }
        let paragraph = seg.paragraphs.len() as u32;
        let first_sentence = seg.sentences.len() as u32;
        split_sentences(text, &seg.tokens, first_token..seg.tokens.len(), paragraph, &mut seg.sentences);
        let tokens = &seg.tokens[first_token..];
        seg.paragraphs.push(Paragraph {
            start: tokens[0].start,
            end: tokens[tokens.len() - 1].end,
            sentences: first_sentence..seg.sentences.len() as u32,
        });
    }
    seg
}

/// Paragraph byte ranges. Where the text separates paragraphs with blank
/// lines, a single line break inside a block is a wrapped line unless the line
/// before it ends a sentence; where it never has a blank line, every line is a
/// paragraph (one paragraph per line is how many dumps store articles).
fn paragraph_ranges(text: &str) -> Vec<Range<usize>> {
    // Cleaned text has only spaces and `\n` for white space.
    let is_blank = |r: &Range<usize>| text.as_bytes()[r.clone()].iter().all(|&b| b == b' ');
    let uses_blank_lines = line_ranges(text).any(|r| is_blank(&r));
    let lines = line_ranges(text);
    // Room for the usual count (news paragraphs run a few hundred bytes).
    let mut out = Vec::with_capacity(text.len() / 256 + 4);
    let mut current: Option<Range<usize>> = None;
    for line in lines {
        if is_blank(&line) {
            if let Some(p) = current.take() {
                out.push(p);
            }
            continue;
        }
        current = match current {
            Some(p) if uses_blank_lines && !ends_sentence(&text[p.clone()]) => Some(p.start..line.end),
            Some(p) => {
                out.push(p);
                Some(line)
            }
            None => Some(line),
        };
    }
    out.extend(current);
    out
}

fn line_ranges(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = 0;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        match memchr::memchr(b'\n', &text.as_bytes()[start..]) {
            Some(pos) => {
                let r = start..start + pos;
                start += pos + 1;
                Some(r)
            }
            None => {
                done = true;
                Some(start..text.len())
            }
        }
    })
}

fn ends_sentence(line: &str) -> bool {
    line.trim_end().ends_with(['.', '!', '?', '”', '’', ':', '…'])
}

fn is_closing(c: char) -> bool {
    matches!(c, '”' | '’' | ')' | ']' | '}')
}

/// Characters that may sit inside a word when a letter or digit follows.
fn is_word_joiner(b: u8) -> bool {
    matches!(b, b'\'' | b'-' | b'.' | b'&' | b'_' | b',' | b'/' | b'@')
}

fn tokenize_into(text: &str, range: Range<usize>, tokens: &mut Vec<Token>) {
    let base = range.start;
    let para = &text[range];
    let bytes = para.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b' ' || b == b'\n' {
            i += 1;
            continue;
        }
        let start = i;
        let apostrophe;
        if b.is_ascii_alphanumeric() {
            (i, apostrophe) = word_end(para, i);
        } else if b < 0x80 {
            i += 1;
            if matches!(b, b'.' | b'!' | b'?' | b'-') {
                let run = if b == b'-' { &b"-"[..] } else { &b".!?"[..] };
                while i < bytes.len() && run.contains(&bytes[i]) {
                    i += 1;
                }
            }
            tokens.push(Token { start: (base + start) as u32, end: (base + i) as u32, kind: TokenKind::Punct });
            continue;
        } else if b == 0xE2 && matches!(bytes.get(i + 1), Some(0x80 | 0x81)) {
            // General punctuation (curly quotes, dashes, ellipsis): cleaned text
            // has no Unicode spaces left, so this is a quote or punctuation.
            let c = para[i..].chars().next().expect("char boundary");
            i += c.len_utf8();
            let kind = if matches!(c, '“' | '”' | '‘' | '’') { TokenKind::Quote } else { TokenKind::Punct };
            tokens.push(Token { start: (base + start) as u32, end: (base + i) as u32, kind });
            continue;
        } else {
            let c = para[i..].chars().next().expect("char boundary");
            if c.is_whitespace() {
                i += c.len_utf8();
                continue;
            }
            if !c.is_alphanumeric() {
                i += c.len_utf8();
                let kind = if matches!(c, '“' | '”' | '‘' | '’') { TokenKind::Quote } else { TokenKind::Punct };
                tokens.push(Token { start: (base + start) as u32, end: (base + i) as u32, kind });
                continue;
            }
            (i, apostrophe) = word_end(para, i);
        }
        push_word(para, base, start, i, apostrophe, tokens);
        // An abbreviation, initial or acronym keeps its period.
        if bytes.get(i) == Some(&b'.') && bytes.get(i + 1) != Some(&b'.') && keeps_period(&para[start..i]) {
            let last = tokens.last_mut().expect("word was pushed");
            last.end += 1;
            i += 1;
        }
    }
}

/// Whether the character starting at byte `at` is a letter or digit (or a
/// combining acute accent, which decomposed text puts inside words).
fn alnum_at(s: &str, at: usize) -> Option<usize> {
    let b = *s.as_bytes().get(at)?;
    if b < 0x80 {
        return b.is_ascii_alphanumeric().then_some(1);
    }
    // General punctuation (U+2000–U+206F: dashes, curly quotes, spaces) is
    // common in news and never part of a word; skip the Unicode tables.
    if b == 0xE2 && matches!(s.as_bytes().get(at + 1), Some(0x80 | 0x81)) {
        return None;
    }
    let c = s[at..].chars().next()?;
    (c.is_alphanumeric() || c == '\u{301}').then(|| c.len_utf8())
}

/// `is_ascii_alphanumeric` by byte: one load in the loop over a word's
/// letters instead of range comparisons.
static ASCII_ALNUM: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    table
};

/// The first byte at or after `i` that is no ASCII letter or digit (or the
/// end). Eight bytes at a time ([`alnum_bytes`]): a branch per eight bytes
/// rather than per byte, whose exit the varying word lengths mispredict.
#[inline]
fn alnum_run_end(bytes: &[u8], mut i: usize) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let others = !alnum_bytes(u64::from_le_bytes(chunk.try_into().expect("8 bytes"))) & HIGH;
        if others != 0 {
            return i + (others.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < bytes.len() && ASCII_ALNUM[bytes[i] as usize] {
        i += 1;
    }
    i
}

/// Bit 7 of each byte set where that byte of `w` is an ASCII letter or
/// digit, the others clear. (On a byte's low seven bits `x`, `x + 0x80 - lo`
/// sets bit 7 exactly when `x >= lo`, and carries into no other byte.)
#[inline]
fn alnum_bytes(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let x = w & !HIGH;
    let at_least = |lo: u8| x + ONES * (0x80 - lo) as u64;
    let within = |lo: u8, hi: u8| at_least(lo) & !at_least(hi + 1);
    (within(b'0', b'9') | within(b'A', b'Z') | within(b'a', b'z')) & !w & HIGH
}

/// End of the word starting at `start`: letters and digits, joined by
/// [`is_word_joiner`] characters when a letter or digit follows them.
fn word_end(s: &str, start: usize) -> (usize, bool) {
    let bytes = s.as_bytes();
    let mut i = start;
    let mut apostrophe = false;
    loop {
        i = alnum_run_end(bytes, i);
        let Some(&b) = bytes.get(i) else { return (i, apostrophe) };
        if b >= 0x80 {
            match alnum_at(s, i) {
                Some(len) => {
                    i += len;
                    continue;
                }
                None => return (i, apostrophe),
            }
        }
        if !is_word_joiner(b) {
            return (i, apostrophe);
        }
        // Digits join digits only with `,` (1,000); the others join anything
        // (U.S, 3.5, Khabaronline.ir, al-Assad, O'Malley).
        let next_alnum = match bytes.get(i + 1) {
            Some(&n) if n < 0x80 => n.is_ascii_alphanumeric(),
            Some(_) => alnum_at(s, i + 1).is_some(),
            None => false,
        };
        if !next_alnum || (b == b',' && !(bytes[i - 1].is_ascii_digit() && bytes[i + 1].is_ascii_digit())) {
            return (i, apostrophe);
        }
        apostrophe |= b == b'\'';
        i += 1;
    }
}

/// Pushes a word, splitting English clitics off it ("Iran's" → "Iran" "'s",
/// "didn't" → "did" "n't").
fn push_word(s: &str, base: usize, start: usize, end: usize, apostrophe: bool, tokens: &mut Vec<Token>) {
    let word = &s[start..end];
    let split = if apostrophe { clitic_start(word).map(|k| start + k) } else { None };
    let kind =
        if word.as_bytes()[0].is_ascii_digit() && word.bytes().all(|b| b.is_ascii_digit() || b == b',' || b == b'.') {
            TokenKind::Number
        } else {
            TokenKind::Word
        };
    match split {
        Some(at) if at > start => {
            tokens.push(Token { start: (base + start) as u32, end: (base + at) as u32, kind });
            tokens.push(Token { start: (base + at) as u32, end: (base + end) as u32, kind: TokenKind::Word });
        }
        _ => tokens.push(Token { start: (base + start) as u32, end: (base + end) as u32, kind }),
    }
}

fn clitic_start(word: &str) -> Option<usize> {
    let lower_ends = |suffix: &str| {
        let at = word.len().wrapping_sub(suffix.len());
        word.len() > suffix.len() && word.is_char_boundary(at) && word[at..].eq_ignore_ascii_case(suffix)
    };
    if lower_ends("n't") {
        return Some(word.len() - 3);
    }
    for suffix in ["'s", "'re", "'ve", "'ll", "'d", "'m"] {
        if lower_ends(suffix) {
            return Some(word.len() - suffix.len());
        }
    }
    None
}

/// Abbreviations whose period never ends a sentence before a capital:
/// titles and months ("Mr. Asgari", "Sept. 11").
const HARD_ABBREVIATIONS: &[&str] = &[
    "Adm", "Amb", "Apr", "Ariz", "Ark", "Assn", "Atty", "Aug", "Ave", "Blvd", "Brig", "Calif", "Capt", "Cdr", "Cmdr",
    "Col", "Colo", "Conn", "Cpl", "Cpt", "Dec", "Del", "Dept", "Det", "Dr", "Drs", "Feb", "Fla", "Fr", "Ft", "Ga",
    "Gen", "Gens", "Gov", "Govs", "Hon", "Ill", "Ind", "Insp", "Jan", "Jul", "Jun", "Kan", "Ky", "La", "Lt", "Maj",
    "Mar", "Mass", "Md", "Messrs", "Mich", "Minn", "Miss", "Mmes", "Mo", "Mont", "Mr", "Mrs", "Ms", "Mt", "Neb", "Nev",
    "No", "Nos", "Nov", "Oct", "Okla", "Ore", "Pa", "Pres", "Prof", "Pvt", "Rep", "Reps", "Rev", "Sec", "Secy", "Sen",
    "Sens", "Sep", "Sept", "Sgt", "Supt", "Tenn", "Tex", "Univ", "Va", "Vt", "Wash", "Wis", "Wyo", "approx", "v", "vs",
];

/// Abbreviations that often end a sentence too ("... Haines Jr. The ...").
const SOFT_ABBREVIATIONS: &[&str] =
    &["Bros", "Co", "Corp", "Esq", "Inc", "Jr", "LLC", "Ltd", "Ph.D", "Plc", "Rd", "St", "al", "etc"];

// The word lists a word is in, a bit each.
const HARD: u8 = 1;
const SOFT: u8 = 2;
const STARTER: u8 = 4;

/// Every listed word with its lists: one look-up instead of a binary
/// search (a string comparison a step) per list.
static LISTED: LazyLock<FxHashMap<&'static str, u8>> = LazyLock::new(|| {
    let mut listed = FxHashMap::default();
    for (list, bit) in [(HARD_ABBREVIATIONS, HARD), (SOFT_ABBREVIATIONS, SOFT), (SENTENCE_STARTERS, STARTER)] {
        for &word in list {
            *listed.entry(word).or_insert(0) |= bit;
        }
    }
    listed
});

/// The lists above that `word` is in (bits of `HARD`, `SOFT`, `STARTER`).
fn lists_of(word: &str) -> u8 {
    // Every entry is short and capitalised but for a few; most words at a
    // sentence end are neither, and need no look-up.
    let first = word.as_bytes().first().copied().unwrap_or(b' ');
    let may_be_listed =
        word.len() <= 10 && (first.is_ascii_uppercase() || matches!(word, "al" | "approx" | "etc" | "v" | "vs"));
    if may_be_listed { LISTED.get(word).copied().unwrap_or(0) } else { 0 }
}

fn keeps_period(word: &str) -> bool {
    is_initial(word) || is_dotted_acronym(word) || lists_of(word) & (HARD | SOFT) != 0
}

fn is_initial(word: &str) -> bool {
    let mut chars = word.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase())
}

/// "U.S", "D.C", "p.m", "e.g" (the final period is not yet attached).
fn is_dotted_acronym(word: &str) -> bool {
    word.contains('.') && word.split('.').all(|part| part.chars().count() == 1 && part.chars().all(char::is_alphabetic))
}

/// Words that begin sentences after a soft abbreviation or acronym.
const SENTENCE_STARTERS: &[&str] = &[
    "A",
    "According",
    "After",
    "Also",
    "Although",
    "An",
    "And",
    "As",
    "Asked",
    "At",
    "Before",
    "Both",
    "But",
    "By",
    "Despite",
    "During",
    "Each",
    "Earlier",
    "For",
    "From",
    "He",
    "Her",
    "Here",
    "His",
    "How",
    "However",
    "I",
    "If",
    "In",
    "It",
    "Its",
    "Last",
    "Later",
    "Many",
    "Meanwhile",
    "Most",
    "My",
    "No",
    "Not",
    "Now",
    "Officials",
    "On",
    "One",
    "Or",
    "Other",
    "Our",
    "She",
    "Since",
    "So",
    "Some",
    "Still",
    "That",
    "The",
    "Their",
    "Then",
    "There",
    "These",
    "They",
    "This",
    "Those",
    "To",
    "Under",
    "We",
    "What",
    "When",
    "Where",
    "While",
    "Who",
    "Why",
    "With",
    "Yet",
    "You",
];

fn split_sentences(text: &str, all: &[Token], range: Range<usize>, paragraph: u32, out: &mut Vec<Sentence>) {
    let tokens = &all[range.clone()];
    let mut first = 0;
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        let bytes = text.as_bytes();
        let terminal = match t.kind {
            // `…` is E2 80 A6.
            TokenKind::Punct => {
                let at = t.start as usize;
                matches!(bytes[at], b'.' | b'!' | b'?')
                    || (bytes[at] == 0xE2 && t.end as usize - at == 3 && bytes[at + 1] == 0x80 && bytes[at + 2] == 0xA6)
            }
            TokenKind::Word => bytes[t.end as usize - 1] == b'.',
            _ => false,
        };
        if !terminal {
            i += 1;
            continue;
        }
        // Closing marks after the period belong to this sentence.
        let mut j = i + 1;
        while j < tokens.len() && text[tokens[j].range()].chars().next().is_some_and(is_closing) {
            j += 1;
        }
        if j >= tokens.len() {
            break;
        }
        if breaks_before(text, t, &text[t.range()], &tokens[j]) {
            push_sentence(text, all, range.start + first, range.start + j, paragraph, out);
            first = j;
        }
        i = j;
    }
    if first < tokens.len() {
        push_sentence(text, all, range.start + first, range.end, paragraph, out);
    }
}

/// Whether a sentence ends after `terminal` (a `.!?` token or a word with its
/// period) when `next` is the following token.
fn breaks_before(text: &str, terminal: &Token, terminal_text: &str, next: &Token) -> bool {
    let next_text = &text[next.range()];
    let next_first = next_text.chars().next().expect("tokens are not empty");
    if next_first.is_lowercase() || matches!(next_first, ',' | ';' | ':' | ')' | '-') {
        return false;
    }
    if terminal.kind == TokenKind::Punct {
        return true;
    }
    let word = &terminal_text[..terminal_text.len() - 1];
    if lists_of(word) & HARD != 0 || next_first.is_ascii_digit() {
        return false;
    }
    // Initials, acronyms and soft abbreviations end a sentence before a word
    // that starts sentences, or an opening quotation mark.
    next_first == '“' || lists_of(next_text) & STARTER != 0
}

/// The most tokens a sentence may have. The longest in the development data
/// (news in four collections) has 220; text with no sentence punctuation
/// (a transcript, a list, a table flattened to one line) can run to
/// thousands, and the stages' work on a sentence grows with the square of
/// its length (every cue's quote runs to the sentence's end, every pair of
/// names may be scored), so longer runs are cut into pieces this long.
pub const MAX_SENTENCE_TOKENS: usize = 400;

fn push_sentence(text: &str, tokens: &[Token], mut first: usize, end: usize, paragraph: u32, out: &mut Vec<Sentence>) {
    while end - first > MAX_SENTENCE_TOKENS {
        // Cut after the last comma, semicolon or colon of the piece's last
        // quarter, else at the limit.
        let limit = first + MAX_SENTENCE_TOKENS;
        let cut = (limit - MAX_SENTENCE_TOKENS / 4..limit)
            .rev()
            .find(|&i| {
                tokens[i].kind == TokenKind::Punct
                    && matches!(text.as_bytes()[tokens[i].start as usize], b',' | b';' | b':')
            })
            .map_or(limit, |i| i + 1);
        push_one(tokens, first, cut, paragraph, out);
        first = cut;
    }
    push_one(tokens, first, end, paragraph, out);
}

fn push_one(tokens: &[Token], first: usize, end: usize, paragraph: u32, out: &mut Vec<Sentence>) {
    out.push(Sentence {
        start: tokens[first].start,
        end: tokens[end - 1].end,
        tokens: first as u32..end as u32,
        paragraph,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_alnum_table_is_is_ascii_alphanumeric() {
        for b in 0..=255u8 {
            assert_eq!(ASCII_ALNUM[b as usize], b.is_ascii_alphanumeric(), "{b}");
        }
    }

    fn sentences(text: &str) -> Vec<&str> {
        segment(text).sentences.iter().map(|s| &text[s.start as usize..s.end as usize]).collect()
    }

    fn tokens(text: &str) -> Vec<&str> {
        segment(text).tokens.iter().map(|t| &text[t.range()]).collect()
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        let text = "US authorities have been trying to deport Mr. Asgari since last year. U.S. officials met on Sept. 11 with Kenneth T. Cuccinelli II, the official said. He left.";
        assert_eq!(
            sentences(text),
            vec![
                "US authorities have been trying to deport Mr. Asgari since last year.",
                "U.S. officials met on Sept. 11 with Kenneth T. Cuccinelli II, the official said.",
                "He left."
            ]
        );
    }

    #[test]
    fn acronym_at_sentence_end_before_a_starter() {
        let text = "The talks were held in the U.S. The next round is in Oman. Robert J. Haines Jr. Said nothing.";
        let got = sentences(text);
        assert_eq!(got[0], "The talks were held in the U.S.");
        assert_eq!(got[1], "The next round is in Oman.");
    }

    #[test]
    fn quotes_close_sentences_and_questions_continue() {
        let text = "“Why now?” he asked. “We agree.” The minister left! Then: nothing.";
        assert_eq!(
            sentences(text),
            vec!["“Why now?” he asked.", "“We agree.”", "The minister left!", "Then: nothing."]
        );
    }

    #[test]
    fn every_line_is_a_paragraph_without_blank_lines() {
        let text = "First line.\nSecond line\nThird.";
        let seg = segment(text);
        assert_eq!(seg.paragraphs.len(), 3);
        assert_eq!(seg.sentences.len(), 3);
        assert_eq!(seg.sentences[1].paragraph, 1);
    }

    #[test]
    fn wrapped_lines_join_when_blank_lines_separate_paragraphs() {
        let text = "A long sentence that\nwraps here.\n\nNext paragraph.";
        let seg = segment(text);
        assert_eq!(seg.paragraphs.len(), 2);
        assert_eq!(
            &text[seg.paragraphs[0].start as usize..seg.paragraphs[0].end as usize],
            "A long sentence that\nwraps here."
        );
    }

    #[test]
    fn tokens_keep_names_and_split_clitics() {
        assert_eq!(
            tokens("Iran's al-Assad O'Malley didn't pay $1,000.50 to Khabaronline.ir, Mr. T. U.S."),
            vec![
                "Iran",
                "'s",
                "al-Assad",
                "O'Malley",
                "did",
                "n't",
                "pay",
                "$",
                "1,000.50",
                "to",
                "Khabaronline.ir",
                ",",
                "Mr.",
                "T.",
                "U.S."
            ]
        );
    }

    #[test]
    fn token_kinds() {
        let text = "“No,” he said 42 times...";
        let seg = segment(text);
        let kinds: Vec<TokenKind> = seg.tokens.iter().map(|t| t.kind).collect();
        use TokenKind::*;
        assert_eq!(kinds, vec![Quote, Word, Punct, Quote, Word, Word, Number, Word, Punct]);
    }

    #[test]
    fn sentences_without_an_end_are_cut_into_bounded_pieces() {
        // 1,500 tokens with no sentence punctuation, a comma every 7 words.
        let text = "the minister said that workers would, ".repeat(200);
        let seg = segment(&text);
        let lens: Vec<usize> = seg.sentences.iter().map(|s| (s.tokens.end - s.tokens.start) as usize).collect();
        assert!(lens.len() >= 1600 / MAX_SENTENCE_TOKENS, "{lens:?}");
        assert!(lens.iter().all(|&n| n <= MAX_SENTENCE_TOKENS), "{lens:?}");
        // Cut after a comma where one is near the limit.
        for s in &seg.sentences[..seg.sentences.len() - 1] {
            assert_eq!(&text[seg.tokens[s.tokens.end as usize - 1].range()], ",");
        }
        // No comma at all: cut at the limit.
        let text = "word ".repeat(1000);
        let lens: Vec<u32> = segment(&text).sentences.iter().map(|s| s.tokens.end - s.tokens.start).collect();
        assert_eq!(lens, vec![400, 400, 200]);
    }

    #[test]
    fn every_token_is_in_exactly_one_sentence() {
        let text = "Mr. A said “hi.” B left.\n\nC. D. E? f! G\n“H” i.";
        let seg = segment(text);
        let mut next = 0;
        for s in &seg.sentences {
            assert_eq!(s.tokens.start, next);
            next = s.tokens.end;
        }
        assert_eq!(next as usize, seg.tokens.len());
    }

    /// Arbitrary mixes of multi-byte letters, quotes, joiners and periods
    /// never panic and keep the token and sentence invariants.
    #[test]
    fn arbitrary_text_keeps_the_invariants() {
        const ALPHABET: &[&str] = &[
            "a", "É", "é", "ß", "’", "'", "s", "t", "n", ".", "-", ",", "1", " ", "\n", "“", "”", "U", "?", "…", "&",
            "日",
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..(state % 24) {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                text.push_str(ALPHABET[(state >> 33) as usize % ALPHABET.len()]);
            }
            let seg = segment(&text);
            let mut last_end = 0;
            for t in &seg.tokens {
                assert!(t.start >= last_end && t.end > t.start, "{text:?}");
                assert!(text.is_char_boundary(t.start as usize) && text.is_char_boundary(t.end as usize), "{text:?}");
                last_end = t.end;
            }
            let covered: u32 = seg.sentences.iter().map(|s| s.tokens.end - s.tokens.start).sum();
            assert_eq!(covered as usize, seg.tokens.len(), "{text:?}");
        }
    }

    /// Every byte value in every position of the eight-byte classifier, and
    /// runs ending everywhere.
    #[test]
    fn alnum_bytes_and_runs_are_the_byte_tests() {
        for b in 0..=255u8 {
            for pos in 0..8 {
                let mut bytes = [b'x'; 8];
                bytes[pos] = b;
                let m = alnum_bytes(u64::from_le_bytes(bytes));
                for (k, &c) in bytes.iter().enumerate() {
                    assert_eq!(m >> (8 * k + 7) & 1 == 1, c.is_ascii_alphanumeric(), "{b} at {pos}");
                    assert_eq!(m >> (8 * k) & 0x7f, 0);
                }
            }
        }
        let text = "abcdefghijklmnop qrstuvwxyz0123456789-AB é12345678 x";
        let bytes = text.as_bytes();
        for i in 0..=bytes.len() {
            let want = i + bytes[i..].iter().take_while(|b| b.is_ascii_alphanumeric()).count();
            assert_eq!(alnum_run_end(bytes, i), want, "{i}");
        }
    }

    #[test]
    fn every_listed_word_is_found_in_its_lists_only() {
        let lists = [(HARD_ABBREVIATIONS, HARD), (SOFT_ABBREVIATIONS, SOFT), (SENTENCE_STARTERS, STARTER)];
        for (list, bit) in lists {
            // Sorted and without repeats, for whoever edits them.
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?}");
            // `lists_of` skips the look-up for what cannot be listed.
            for word in list.iter() {
                assert!(lists_of(word) & bit != 0, "{word}");
                for (other, other_bit) in lists {
                    assert_eq!(lists_of(word) & other_bit != 0, other.contains(word), "{word}");
                }
            }
        }
        assert_eq!(lists_of("Mrs"), HARD);
        assert_eq!(lists_of("Mrsx"), 0);
        assert_eq!(lists_of("mr"), 0);
    }

    #[test]
    fn empty_and_blank_text() {
        assert!(segment("").sentences.is_empty());
        assert!(segment(" \n \n").paragraphs.is_empty());
    }
}
