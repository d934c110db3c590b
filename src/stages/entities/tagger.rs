//! The sequence tagger: features of each token and greedy left-to-right
//! decoding with BIO tags over PER, ORG, LOC and MISC.
//!
//! The same code extracts features and decodes at training time
//! (`train-ner`) and at run time, so the two can never drift apart. Tokens far
//! from anything capitalised or numeric are tagged `O` without scoring (the
//! same rule in training and inference), which keeps the stage fast on
//! running text.

use super::gazetteer::Gazetteer;
use super::model::{
    CLASSES, Model, ascii_affix_hashes, feature, hash_ascii_lowercase_checked, hash_bytes, hash_short, hash_str,
};
use crate::text::{Document, TokenKind};

/// The tag set, in class order.
pub const TAGS: [&str; 9] = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"];
pub const O: usize = 0;

/// Entity type of a tag (`None` for O).
pub fn tag_type(tag: usize) -> Option<usize> {
    (tag != O).then(|| (tag - 1) / 2)
}

pub fn is_inside(tag: usize) -> bool {
    tag != O && (tag - 1) % 2 == 1
}

/// Whether `tag` may follow `prev`: an I- tag continues its own type only.
pub fn allowed(prev: usize, tag: usize) -> bool {
    !is_inside(tag) || tag_type(prev) == tag_type(tag)
}

// Feature templates. The numbers key the shipped weights: never reuse one.
const T_BIAS: u32 = 1;
const T_WORD: u32 = 2;
const T_SHAPE: u32 = 3;
const T_PREFIX3: u32 = 4;
const T_SUFFIX3: u32 = 5;
const T_SUFFIX2: u32 = 6;
const T_WORD_PREV: u32 = 7;
const T_WORD_NEXT: u32 = 8;
const T_WORD_PREV2: u32 = 9;
const T_WORD_NEXT2: u32 = 10;
const T_SHAPE_PREV: u32 = 11;
const T_SHAPE_NEXT: u32 = 12;
const T_FIRST_SHAPE: u32 = 13;
const T_HEADLINE_SHAPE: u32 = 14;
const T_GAZ: u32 = 15;
const T_GAZ_PREV: u32 = 16;
const T_GAZ_NEXT: u32 = 17;
const T_DOC: u32 = 18;
const T_CASED: u32 = 19;
const T_BIGRAM_PREV: u32 = 20;
const T_BIGRAM_NEXT: u32 = 21;
const T_SHAPE_TRIPLE: u32 = 22;
const T_TAG_PREV: u32 = 30;
const T_TAG_PREV2: u32 = 31;
const T_TAG_PREV_WORD: u32 = 32;
const T_TAG_PREV_SHAPE: u32 = 33;

// Gazetteer flags of a token: the word flags of the lists, and these.
const G_PHRASE_BEGIN: u32 = 1 << 12;
const G_PHRASE_INSIDE: u32 = 1 << 13;
const G_DOMAIN: u32 = 1 << 14;
// No list flag shares a bit with these (`capitalized_domain` reads one).
const _: () = {
    use super::gazetteer::*;
    let lists = G_FEMALE
        | G_MALE
        | G_SURNAME
        | G_COUNTRY
        | G_ADMIN1
        | G_CITY
        | G_REGION
        | G_NORP
        | G_ORG
        | G_ORG_HEAD
        | G_ORG_WORD
        | G_TITLE
        | G_PERSON_LAST
        | G_PERSON;
    assert!(lists & (G_PHRASE_BEGIN | G_PHRASE_INSIDE | G_DOMAIN) == 0);
};

/// Context outside the sentence.
const BOUNDARY: u64 = 0x9e37_79b9_7f4a_7c15;

// Document flags of a word.
const D_CAP_MID: u8 = 1;
const D_LOWER: u8 = 2;

/// Per-token facts the features are made of.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct TokenInfo {
    lower: u64,
    cased: u64,
    shape: u64,
    prefix3: u64,
    suffix3: u64,
    suffix2: u64,
    gaz: u32,
    capitalized: bool,
    interesting: bool,
    /// The word is ASCII (nearly all are): its forms are made from bytes.
    ascii: bool,
    /// An ASCII word with a capital letter.
    has_capital: bool,
}

/// The static features of every token of a document, and which tokens are
/// scored.
pub struct DocFeatures {
    info: Vec<TokenInfo>,
    /// Per token its slot in the [`WordFacts`] it was made with (whose
    /// `epoch` is `facts_epoch`), for a short ASCII word near a capital;
    /// [`NO_FACTS`] for the others.
    facts_of: Vec<u32>,
    facts_epoch: u64,
    /// The capitalised tokens, in order (the passes after tagging that look
    /// only at capitals read these instead of every token).
    capitals: Vec<u32>,
    /// Sentence token ranges.
    sentences: Vec<(usize, usize)>,
    /// Sentences set in capitals.
    headline: Vec<bool>,
    /// `D_*` flags of the words across the document, by lowercase hash: read
    /// for the few tokens that are scored or asked about, not copied to all.
    doc_flags: DocWords,
}

/// The `D_*` flags of a document's words, by the hash of the lowercase
/// word: a flat open-addressing table keyed by the whole 64-bit hash (already
/// mixed, so its low bits pick the slot). Only words with a flag are entered,
/// so a slot without flags is empty. Keys and flags in arrays of their own:
/// a new table is zeroed, nine bytes a slot rather than sixteen.
struct DocWords {
    keys: Vec<u64>,
    flags: Vec<u8>,
    mask: usize,
}

impl DocWords {
    /// A table for fewer than `words` distinct words: at most two thirds
    /// full, and for running text (where words repeat) far less.
    fn with_room(words: usize) -> DocWords {
        let size = (words + words / 2 + 1).next_power_of_two().max(16);
        DocWords { keys: vec![0; size], flags: vec![0; size], mask: size - 1 }
    }

    /// Adds `flag` (not 0) to the flags of the word hashed `h`.
    #[inline]
    fn add(&mut self, h: u64, flag: u8) {
        debug_assert!(flag != 0);
        let mut i = h as usize & self.mask;
        loop {
            if self.flags[i] == 0 {
                self.keys[i] = h;
                self.flags[i] = flag;
                return;
            }
            if self.keys[i] == h {
                self.flags[i] |= flag;
                return;
            }
            i = (i + 1) & self.mask;
        }
    }

    /// The flags of the word hashed `h` (0 if it was never entered).
    #[inline]
    fn get(&self, h: u64) -> u8 {
        let mut i = h as usize & self.mask;
        loop {
            match self.flags[i] {
                0 => return 0,
                flags if self.keys[i] == h => return flags,
                _ => i = (i + 1) & self.mask,
            }
        }
    }
}

/// "Xxxx" → "Xx", "U.S." → "X.X.", "1996-08-30" → "d-d-d": character classes
/// with repeats collapsed, at most 8 long.
fn shape(s: &str) -> u64 {
    let mut out = [0u8; 8];
    let mut n = 0;
    let mut push = |class: u8| {
        if (n == 0 || out[n - 1] != class) && n < out.len() {
            out[n] = class;
            n += 1;
        }
    };
    if s.is_ascii() {
        return ascii_shape(s.as_bytes());
    } else {
        for c in s.chars() {
            push(if c.is_uppercase() {
                b'X'
            } else if c.is_lowercase() {
                b'x'
            } else if c.is_ascii_digit() {
                b'd'
            } else if c.is_ascii() {
                c as u8
            } else {
                b'*'
            });
        }
    }
    hash_bytes(&out[..n])
}

/// [`shape`] of an ASCII word: the classes gathered in a register, eight at
/// most.
#[inline]
fn ascii_shape(bytes: &[u8]) -> u64 {
    // Most words are "x" or "Xx": told by one test of the bytes after the
    // first, eight at a time.
    if let Some((&first, rest)) = bytes.split_first()
        && all_ascii_lowercase(rest)
    {
        match first {
            b'a'..=b'z' => return hash_short(b'x' as u64, 1),
            b'A'..=b'Z' if rest.is_empty() => return hash_short(b'X' as u64, 1),
            b'A'..=b'Z' => return hash_short(b'X' as u64 | (b'x' as u64) << 8, 2),
            _ => {}
        }
    }
    let (mut word, mut n, mut last) = (0u64, 0usize, 0u8);
    for &b in bytes {
        let class = match b {
            b'A'..=b'Z' => b'X',
            b'a'..=b'z' => b'x',
            b'0'..=b'9' => b'd',
            other => other,
        };
        if n == 0 || class != last {
            if n == 8 {
                break;
            }
            word |= (class as u64) << (8 * n);
            n += 1;
            last = class;
        }
    }
    hash_short(word, n)
}

/// Whether every byte of the ASCII `bytes` is a lowercase letter (true when
/// there are none): eight bytes at a time, where `b + 0x1f` has its high bit
/// set from 'a' up and `b + 0x05` from '{' up, without carrying into the next
/// byte (every byte is below 0x80).
fn all_ascii_lowercase(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = ONES * 0x80;
    let lowercase = |word: u64| word.wrapping_add(ONES * 0x1f) & !word.wrapping_add(ONES * 0x05) & HIGHS;
    let n = bytes.len();
    if n < 8 {
        return n == 0 || {
            let wanted = HIGHS >> (8 * (8 - n));
            lowercase(crate::fxhash::short_word(bytes)) & wanted == wanted
        };
    }
    let whole = bytes.chunks_exact(8).all(|c| lowercase(u64::from_le_bytes(c.try_into().expect("8 bytes"))) == HIGHS);
    // The last bytes as one word ending at the end (overlapping words seen).
    whole && lowercase(u64::from_le_bytes(bytes[n - 8..].try_into().expect("8 bytes"))) == HIGHS
}

/// `word` in lower case: `word` itself when it is punctuation without case
/// (nearly every non-ASCII token: curly quotes, dashes, ellipses), else
/// lowercased into `buf`.
fn lowercase<'a>(word: &'a str, buf: &'a mut String) -> &'a str {
    if word.chars().all(is_caseless_punctuation) {
        return word;
    }
    buf.clear();
    buf.extend(word.chars().flat_map(char::to_lowercase));
    buf
}

/// General punctuation and currency signs: no case mappings.
fn is_caseless_punctuation(c: char) -> bool {
    matches!(c, '\u{2000}'..='\u{206F}' | '\u{20A0}'..='\u{20CF}')
}

/// The first `n` characters of `s`.
fn char_prefix(s: &str, n: usize) -> &str {
    if s.len() <= n {
        return s;
    }
    let mut end = n;
    if !s.is_ascii() {
        end = s.char_indices().nth(n).map_or(s.len(), |(i, _)| i);
    }
    &s[..end]
}

/// The last `n` characters of `s`.
fn char_suffix(s: &str, n: usize) -> &str {
    if s.len() <= n {
        return s;
    }
    let mut start = s.len() - n;
    if !s.is_char_boundary(start) || !s[start..].is_ascii() {
        start = s.char_indices().rev().nth(n - 1).map_or(0, |(i, _)| i);
    }
    &s[start..]
}

/// `s.starts_with(char::is_lowercase)`, without decoding an ASCII letter.
fn starts_lowercase(s: &str) -> bool {
    match s.as_bytes().first() {
        Some(b) if b.is_ascii() => b.is_ascii_lowercase(),
        _ => s.starts_with(char::is_lowercase),
    }
}

/// Whether a token's bytes end with '“', '‘' or ':' (as `ends_with` of
/// those characters on its text).
fn opens_a_quote_or_colon(token: &[u8]) -> bool {
    token.ends_with(b":") || token.ends_with("“".as_bytes()) || token.ends_with("‘".as_bytes())
}

/// Whether `bytes` hold a '.': a word at a time (a zero-byte test of the
/// word xor dots), where a loop over bytes cost a branch per byte.
fn has_dot(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let dot_in = |word: u64| {
        let x = word ^ (ONES * b'.' as u64);
        x.wrapping_sub(ONES) & !x & (ONES * 0x80) != 0
    };
    match bytes.len() {
        0 => false,
        // Zero padding is no dot.
        n if n < 8 => dot_in(crate::fxhash::short_word(bytes)),
        n => {
            bytes.chunks_exact(8).any(|c| dot_in(u64::from_le_bytes(c.try_into().expect("8 bytes"))))
                || dot_in(u64::from_le_bytes(bytes[n - 8..].try_into().expect("8 bytes")))
        }
    }
}

/// `word.tld` such as "Khabaronline.ir" or "Dailypulse.ng". (The test for
/// a dot inline: most words have none.)
#[inline]
pub(crate) fn is_domain(s: &str) -> bool {
    has_dot(s.as_bytes()) && is_dotted_domain(s)
}

/// [`is_domain`] of a word with a dot.
fn is_dotted_domain(s: &str) -> bool {
    match s.rsplit_once('.') {
        Some((name, tld)) => {
            name.len() >= 2
                && (2..=6).contains(&tld.len())
                && tld.bytes().all(|b| b.is_ascii_lowercase())
                && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
                && !name.contains("..")
        }
        None => false,
    }
}

/// The cased, prefix, suffix and shape hashes of an ASCII word whose
/// lowercase hash is `lower`: `(cased, prefix3, suffix3, suffix2, shape)`.
#[inline]
fn ascii_forms(bytes: &[u8], lower: u64, has_capital: bool) -> (u64, u64, u64, u64, u64) {
    // Most words are already lowercase: then the cased form hashes the same.
    let cased = if has_capital { hash_bytes(bytes) } else { lower };
    // Prefix and suffixes of the lowercase form: of the word, then
    // lowercased.
    let (prefix3, suffix3, suffix2) = ascii_affix_hashes(bytes, lower);
    (cased, prefix3, suffix3, suffix2, ascii_shape(bytes))
}

/// The gazetteer flags of a word token: the word list's, and [`G_DOMAIN`]
/// for a domain name.
#[inline]
fn word_gaz(g: &Gazetteer, lower: u64, word: &str) -> u32 {
    g.word_flags.get(lower) | if is_domain(word) { G_DOMAIN } else { 0 }
}

/// What a short ASCII word's bytes alone decide of its [`TokenInfo`]: its
/// lowercase and cased hashes, affix and shape hashes, and its gazetteer
/// flags as a word token, kept across documents by the worker (the same words
/// come back in every article). An entry holds the word's bytes and is used
/// only for the same bytes, so the facts are those computed afresh, whatever
/// came before.
#[derive(Debug, Default)]
pub struct WordFacts {
    /// Power-of-two many slots, by a hash of the word's bytes; `len` 0:
    /// empty.
    slots: Vec<FactsSlot>,
    /// Slots filled; the table starts over, between documents, before it
    /// could pass half full.
    filled: usize,
    /// Names this table and this filling of it, unique in the process: a
    /// document's slot numbers are read only in the table, and the filling,
    /// they were found in.
    epoch: u64,
}

/// The next [`WordFacts::epoch`].
static NEXT_FACTS_EPOCH: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

#[derive(Debug, Clone, Copy, Default)]
struct FactsSlot {
    /// The word's bytes (at most [`WordFacts::MAX_LEN`]), little-endian,
    /// zero-padded, and its length.
    bytes: [u64; 2],
    len: u8,
    has_capital: bool,
    lower: u64,
    cased: u64,
    prefix3: u64,
    suffix3: u64,
    suffix2: u64,
    shape: u64,
    /// Gazetteer flags of the word as a word token (domain included).
    gaz: u32,
    /// The word's entry in the word sums ([`WordSums`]) and the filling of
    /// the sums it belongs to (0: none yet).
    sums_entry: u32,
    sums_generation: u32,
}

/// A token whose facts are not in the [`WordFacts`] table.
const NO_FACTS: u32 = u32::MAX;

impl WordFacts {
    /// Longer words are not kept (few are; they are computed each time).
    const MAX_LEN: usize = 16;
    /// Slots of the table: 16,384 of 80 bytes (1.3 MB, less than the L2
    /// cache here; twice that was slower by about 1%, alternating runs).
    const SLOTS: usize = 1 << 14;

    /// [`Self::key`] of `text[start..start + len]`: where sixteen bytes
    /// follow `start`, two whole loads masked to the length, without the
    /// branches on the length that mispredict from word to word.
    #[inline]
    fn key_at(text: &[u8], start: usize, len: usize) -> [u64; 2] {
        debug_assert!((1..=Self::MAX_LEN).contains(&len));
        match text.get(start..start + 16) {
            Some(sixteen) => {
                let word = |k: usize| u64::from_le_bytes(sixteen[k..k + 8].try_into().expect("8 bytes"));
                // The low `8 * n` bits (n bytes, at most eight).
                let mask = |n: usize| if n >= 8 { u64::MAX } else { (1u64 << (8 * n)) - 1 };
                [word(0) & mask(len), word(8) & mask(len.saturating_sub(8))]
            }
            None => Self::key(&text[start..start + len]),
        }
    }

    /// `bytes` (1 to [`Self::MAX_LEN`] of them) as two zero-padded words.
    #[inline]
    fn key(bytes: &[u8]) -> [u64; 2] {
        let (lo, hi) = bytes.split_at(bytes.len().min(8));
        let hi = if hi.is_empty() { 0 } else { crate::fxhash::short_word_or_full(hi) };
        [crate::fxhash::short_word_or_full(lo), hi]
    }

    /// Gets ready for a document of `tokens` tokens: whether the table may
    /// take its words (it starts over first if they could fill it past
    /// half; a document of more tokens than that goes without).
    fn start_document(&mut self, tokens: usize) -> bool {
        if self.slots.is_empty() || 2 * (self.filled + tokens) > Self::SLOTS {
            self.slots.clear();
            self.slots.resize(Self::SLOTS, FactsSlot::default());
            self.filled = 0;
            self.epoch = NEXT_FACTS_EPOCH.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        2 * tokens <= Self::SLOTS
    }

    /// The slot of the ASCII word `bytes` (1 to [`Self::MAX_LEN`] of them,
    /// `key` its [`Self::key`]), filled with its facts if new.
    #[inline]
    fn slot(&mut self, bytes: &[u8], key: [u64; 2], g: &Gazetteer) -> usize {
        const K: u64 = 0x9e37_79b9_7f4a_7c15;
        let len = bytes.len() as u8;
        let h = (key[0] ^ key[1].rotate_left(29) ^ len as u64).wrapping_mul(K);
        let mask = self.slots.len() - 1;
        let mut i = (h >> 40) as usize & mask;
        loop {
            let slot = &self.slots[i];
            if slot.len == len && slot.bytes == key {
                return i;
            }
            if slot.len == 0 {
                break;
            }
            i = (i + 1) & mask;
        }
        self.fill(i, bytes, key, g);
        i
    }

    /// Computes the facts of a new word into slot `i`.
    #[cold]
    fn fill(&mut self, i: usize, bytes: &[u8], key: [u64; 2], g: &Gazetteer) {
        let (lower, has_capital) = hash_ascii_lowercase_checked(bytes).expect("an ASCII word");
        let (cased, prefix3, suffix3, suffix2, shape) = ascii_forms(bytes, lower, has_capital);
        self.slots[i] = FactsSlot {
            bytes: key,
            len: bytes.len() as u8,
            has_capital,
            lower,
            cased,
            prefix3,
            suffix3,
            suffix2,
            shape,
            gaz: word_gaz(g, lower, std::str::from_utf8(bytes).expect("ASCII")),
            sums_entry: 0,
            sums_generation: 0,
        };
        self.filled += 1;
    }
}

impl DocFeatures {
    /// Extracts the static features of every token. Pure.
    pub fn new(doc: &Document, g: &Gazetteer) -> DocFeatures {
        // (An empty table, never filled: every word computed afresh.)
        DocFeatures::extract(doc, g, &mut WordFacts::default(), false)
    }

    /// [`Self::new`], reading and keeping the facts of short ASCII words in
    /// `facts` (one per worker): the same features.
    pub fn with_facts(doc: &Document, g: &Gazetteer, facts: &mut WordFacts) -> DocFeatures {
        DocFeatures::extract(doc, g, facts, true)
    }

    /// [`Self::with_facts`]; `use_facts` false leaves `facts` alone.
    fn extract(doc: &Document, g: &Gazetteer, facts: &mut WordFacts, use_facts: bool) -> DocFeatures {
        let text = doc.text();
        let tokens = doc.tokens();
        let mut info = vec![TokenInfo::default(); tokens.len()];
        // Per token its slot in `facts`, if a short ASCII word.
        let keep = use_facts && facts.start_document(tokens.len());
        let mut facts_of = vec![NO_FACTS; tokens.len()];
        let mut capitals = Vec::with_capacity(tokens.len() / 4);
        // Case and the lowercase form's hash of every token (the document
        // flags need it): short ASCII words (nearly all) from `facts`, other
        // ASCII words hashed as if lowercased, without a copy; others are
        // lowercased into `lower`.
        let mut lower = String::new();
        for (k, ((t, slot), facts_slot)) in tokens.iter().zip(info.iter_mut()).zip(facts_of.iter_mut()).enumerate() {
            let bytes = &text.as_bytes()[t.range()];
            match bytes.first() {
                Some(&b) if b.is_ascii() => {
                    slot.capitalized = b.is_ascii_uppercase();
                    slot.interesting = slot.capitalized || b.is_ascii_digit();
                }
                Some(_) => {
                    slot.capitalized = text[t.range()].chars().next().is_some_and(char::is_uppercase);
                    slot.interesting = slot.capitalized;
                }
                None => {}
            }
            if slot.capitalized {
                capitals.push(k as u32);
            }
            if keep && (1..=WordFacts::MAX_LEN).contains(&bytes.len()) {
                let key = WordFacts::key_at(text.as_bytes(), t.start as usize, bytes.len());
                if (key[0] | key[1]) & 0x8080_8080_8080_8080 == 0 {
                    let i = facts.slot(bytes, key, g);
                    let known = &facts.slots[i];
                    slot.ascii = true;
                    slot.has_capital = known.has_capital;
                    slot.lower = known.lower;
                    *facts_slot = i as u32;
                    if slot.interesting {
                        g.phrase_starts.prefetch(slot.lower);
                    }
                    continue;
                }
            }
            match hash_ascii_lowercase_checked(bytes) {
                Some((h, has_capital)) => {
                    slot.ascii = true;
                    slot.has_capital = has_capital;
                    slot.lower = h;
                }
                None => slot.lower = hash_str(lowercase(&text[t.range()], &mut lower)),
            }
            // The word list is read below for the tokens near a capital (a
            // kept word above has its flags): by then from the cache.
            g.word_flags.prefetch(slot.lower);
            if slot.interesting {
                g.phrase_starts.prefetch(slot.lower);
            }
        }
        // Only tokens within two of something capitalised or numeric are ever
        // scored or looked at as context; the rest need only their lowercase
        // hash (for the document flags).
        let mut near = vec![false; tokens.len()];
        for (i, slot) in info.iter().enumerate() {
            if slot.interesting {
                near[i.saturating_sub(2)..(i + 3).min(tokens.len())].iter_mut().for_each(|n| *n = true);
            }
        }
        for (((t, slot), _), &facts_slot) in
            tokens.iter().zip(info.iter_mut()).zip(&near).zip(&facts_of).filter(|((_, near), _)| **near)
        {
            if facts_slot != NO_FACTS {
                let known = &facts.slots[facts_slot as usize];
                (slot.cased, slot.prefix3, slot.suffix3, slot.suffix2, slot.shape) =
                    (known.cased, known.prefix3, known.suffix3, known.suffix2, known.shape);
                if t.kind == TokenKind::Word {
                    slot.gaz = known.gaz;
                }
                continue;
            }
            let bytes = &text.as_bytes()[t.range()];
            if slot.ascii {
                (slot.cased, slot.prefix3, slot.suffix3, slot.suffix2, slot.shape) =
                    ascii_forms(bytes, slot.lower, slot.has_capital);
            } else {
                let word = &text[t.range()];
                let lower = lowercase(word, &mut lower);
                slot.cased = hash_str(word);
                slot.prefix3 = hash_str(char_prefix(lower, 3));
                slot.suffix3 = hash_str(char_suffix(lower, 3));
                slot.suffix2 = hash_str(char_suffix(lower, 2));
                slot.shape = shape(word);
            }
            if t.kind == TokenKind::Word {
                slot.gaz = word_gaz(g, slot.lower, &text[t.range()]);
            }
        }
        mark_phrases(g, doc, &mut info);

        let sentences: Vec<(usize, usize)> =
            doc.sentences().iter().map(|s| (s.tokens.start as usize, s.tokens.end as usize)).collect();
        let headline: Vec<bool> = sentences.iter().map(|&(a, b)| is_headline(text, &tokens[a..b])).collect();

        // Document evidence: is this word capitalised mid-sentence somewhere,
        // lowercase somewhere?
        let mut doc_flags = DocWords::with_room(tokens.len());
        let bytes = text.as_bytes();
        for (s, &(a, b)) in sentences.iter().enumerate() {
            if headline[s] {
                continue;
            }
            for i in a..b {
                if tokens[i].kind != TokenKind::Word {
                    continue;
                }
                // (By bytes: the token's first byte, the last bytes of the
                // token before, without slicing the text.)
                let flag = if info[i].capitalized {
                    if i == a || opens_a_quote_or_colon(&bytes[tokens[i - 1].range()]) { 0 } else { D_CAP_MID }
                } else if match bytes[tokens[i].start as usize] {
                    b if b.is_ascii() => b.is_ascii_lowercase(),
                    _ => starts_lowercase(&text[tokens[i].range()]),
                } {
                    D_LOWER
                } else {
                    0
                };
                // A word without a flag reads as 0 whether listed or not.
                if flag != 0 {
                    doc_flags.add(info[i].lower, flag);
                }
            }
        }
        // Only the tokens given all their facts keep their slot: the word
        // sums are keyed by all of them.
        for (slot, &near) in facts_of.iter_mut().zip(&near) {
            if !near {
                *slot = NO_FACTS;
            }
        }
        DocFeatures { info, facts_of, facts_epoch: facts.epoch, capitals, sentences, headline, doc_flags }
    }

    /// The `D_*` flags of the word of token `i` across the document.
    fn doc(&self, i: usize) -> u8 {
        self.doc_flags.get(self.info[i].lower)
    }

    /// Whether the word of token `i` also appears in lower case somewhere in
    /// the document (outside headlines): then it is a common word.
    pub fn seen_lowercase(&self, i: usize) -> bool {
        self.doc(i) & D_LOWER != 0
    }

    /// The tokens that start with an uppercase letter ([`Self::capitalized`]),
    /// in order.
    pub fn capitalized_tokens(&self) -> impl Iterator<Item = usize> + '_ {
        self.capitals.iter().map(|&i| i as usize)
    }

    /// Whether token `i` starts with an uppercase letter (as
    /// `word.starts_with(char::is_uppercase)`).
    pub fn capitalized(&self, i: usize) -> bool {
        self.info[i].capitalized
    }

    /// Whether token `i`, a capitalised word, is a domain name
    /// ([`is_domain`]): its gazetteer flags say so (every capitalised token
    /// has them).
    pub fn capitalized_domain(&self, i: usize) -> bool {
        debug_assert!(self.info[i].capitalized);
        self.info[i].gaz & G_DOMAIN != 0
    }

    /// Hash of the lowercase form of token `i` ([`super::model::hash_str`]).
    pub fn lower_hash(&self, i: usize) -> u64 {
        self.info[i].lower
    }

    /// [`Self::lower_hash`] of every token.
    pub fn lower_hashes(&self) -> Vec<u64> {
        self.info.iter().map(|i| i.lower).collect()
    }

    pub fn sentences(&self) -> &[(usize, usize)] {
        &self.sentences
    }

    /// Whether token `i` is scored (given the previous tag).
    pub fn scored(&self, i: usize, prev_tag: usize, sentence: (usize, usize)) -> bool {
        if prev_tag != O || self.info[i].interesting {
            return true;
        }
        (i > sentence.0 && self.info[i - 1].interesting) || (i + 1 < sentence.1 && self.info[i + 1].interesting)
    }

    /// The features of token `i` of sentence `sentence` given the two
    /// previous tags, into `out`. Computed when a token is scored, not before:
    /// most tokens never are.
    pub fn features_into(&self, i: usize, sentence: usize, prev_tag: usize, prev2_tag: usize, out: &mut Vec<u64>) {
        out.clear();
        out.push(bias_feature());
        self.token_features_into(i, sentence, out);
        out.extend_from_slice(&tag_features(prev_tag, prev2_tag));
        out.extend_from_slice(&tag_token_features(prev_tag, &self.info[i]));
    }

    /// The features of token `i` that do not depend on the tags before it
    /// (but the bias), appended to `out`.
    fn token_features_into(&self, i: usize, sentence: usize, out: &mut Vec<u64>) {
        self.word_features_into(i, sentence, out);
        let me = &self.info[i];
        let (prev, next) = self.neighbour_gaz(i, sentence);
        for (template, flags, extra) in
            [(T_GAZ, me.gaz, me.capitalized as u64), (T_GAZ_PREV, prev, 0), (T_GAZ_NEXT, next, 0)]
        {
            for flag in flag_bits(flags) {
                out.push(feature(template, flag as u64, extra));
            }
        }
    }

    /// The gazetteer flags of the tokens before and after token `i` in its
    /// sentence (none outside it).
    fn neighbour_gaz(&self, i: usize, sentence: usize) -> (u32, u32) {
        let (a, b) = self.sentences[sentence];
        let prev = if i > a { self.info[i - 1].gaz } else { 0 };
        let next = if i + 1 < b { self.info[i + 1].gaz } else { 0 };
        (prev, next)
    }

    /// [`Self::token_features_into`] but the gazetteer features.
    fn word_features_into(&self, i: usize, sentence: usize, out: &mut Vec<u64>) {
        let (a, b) = self.sentences[sentence];
        let info = &self.info;
        let me = &info[i];
        let boundary = TokenInfo { lower: BOUNDARY, shape: BOUNDARY, ..TokenInfo::default() };
        let at = |j: isize| -> &TokenInfo {
            let j = i as isize + j;
            if j >= a as isize && j < b as isize { &info[j as usize] } else { &boundary }
        };
        let (prev, next) = (at(-1), at(1));
        out.extend_from_slice(&[
            feature(T_WORD, me.lower, 0),
            feature(T_CASED, me.cased, 0),
            feature(T_SHAPE, me.shape, 0),
            feature(T_PREFIX3, me.prefix3, 0),
            feature(T_SUFFIX3, me.suffix3, 0),
            feature(T_SUFFIX2, me.suffix2, 0),
            feature(T_WORD_PREV, prev.lower, 0),
            feature(T_WORD_NEXT, next.lower, 0),
            feature(T_WORD_PREV2, at(-2).lower, 0),
            feature(T_WORD_NEXT2, at(2).lower, 0),
            feature(T_SHAPE_PREV, prev.shape, 0),
            feature(T_SHAPE_NEXT, next.shape, 0),
            feature(T_BIGRAM_PREV, prev.lower, me.lower),
            feature(T_BIGRAM_NEXT, me.lower, next.lower),
            feature(T_SHAPE_TRIPLE, prev.shape ^ me.shape.rotate_left(7), next.shape),
            feature(T_DOC, self.doc(i) as u64, me.shape),
        ]);
        if i == a {
            out.push(feature(T_FIRST_SHAPE, me.shape, 0));
        }
        if self.headline[sentence] {
            out.push(feature(T_HEADLINE_SHAPE, me.shape, 0));
        }
    }
}

/// The set bits of `flags`, each as a number of its own, lowest first.
fn flag_bits(flags: u32) -> impl Iterator<Item = u32> {
    let mut bits = flags;
    std::iter::from_fn(move || {
        (bits != 0).then(|| {
            let flag = bits & bits.wrapping_neg();
            bits &= bits - 1;
            flag
        })
    })
}

fn bias_feature() -> u64 {
    feature(T_BIAS, 0, 0)
}

/// The features of the two previous tags alone.
fn tag_features(prev_tag: usize, prev2_tag: usize) -> [u64; 2] {
    [feature(T_TAG_PREV, prev_tag as u64 + 1, 0), feature(T_TAG_PREV2, prev_tag as u64 + 1, prev2_tag as u64 + 1)]
}

/// The features of the previous tag with the token's word and shape.
fn tag_token_features(prev_tag: usize, me: &TokenInfo) -> [u64; 2] {
    [feature(T_TAG_PREV_WORD, prev_tag as u64 + 1, me.lower), feature(T_TAG_PREV_SHAPE, prev_tag as u64 + 1, me.shape)]
}

/// Weight sums looked up once per model instead of once per token: those of
/// the features every scored token has whatever its text (the bias and the
/// two previous tags), and those of the gazetteer features, whose values are
/// one flag bit (and for the token itself whether it is capitalised).
#[derive(Debug, Clone)]
pub struct TagWeights {
    /// By previous tag, then the tag before it.
    sums: Vec<[[i32; CLASSES]; TAGS.len()]>,
    /// `T_GAZ` by capitalised, then flag bit; `T_GAZ_PREV` and `T_GAZ_NEXT`
    /// by flag bit.
    gaz: [[[i32; CLASSES]; 32]; 2],
    gaz_prev: [[i32; CLASSES]; 32],
    gaz_next: [[i32; CLASSES]; 32],
}

impl TagWeights {
    pub fn new(model: &Model) -> TagWeights {
        let sums = (0..TAGS.len())
            .map(|prev| {
                let mut row = [[0; CLASSES]; TAGS.len()];
                for (prev2, sum) in row.iter_mut().enumerate() {
                    model.add_weights(&[bias_feature()], sum);
                    model.add_weights(&tag_features(prev, prev2), sum);
                }
                row
            })
            .collect();
        let by_bit = |template: u32, extra: u64| {
            let mut sums = [[0; CLASSES]; 32];
            for (bit, sum) in sums.iter_mut().enumerate() {
                model.add_weights(&[feature(template, 1u64 << bit, extra)], sum);
            }
            sums
        };
        TagWeights {
            sums,
            gaz: [by_bit(T_GAZ, 0), by_bit(T_GAZ, 1)],
            gaz_prev: by_bit(T_GAZ_PREV, 0),
            gaz_next: by_bit(T_GAZ_NEXT, 0),
        }
    }

    /// Adds the weights of token `i`'s gazetteer features into `sum`.
    fn add_gaz(&self, features: &DocFeatures, i: usize, sentence: usize, sum: &mut [i32; CLASSES]) {
        let me = &features.info[i];
        let (prev, next) = features.neighbour_gaz(i, sentence);
        for (table, flags) in
            [(&self.gaz[me.capitalized as usize], me.gaz), (&self.gaz_prev, prev), (&self.gaz_next, next)]
        {
            for flag in flag_bits(flags) {
                for (s, &w) in sum.iter_mut().zip(&table[flag.trailing_zeros() as usize]) {
                    *s += w;
                }
            }
        }
    }
}

/// The parts of a token's score that are functions of one token's facts
/// (its `TokenInfo` hashes) alone, summed once and kept across documents:
/// the same words ("said", "the", "Trump") are scored over and over, in
/// every article.
///
/// Each part is the integer weight sum of a few features, so adding the part
/// gives the score bit for bit what adding its features one by one gives
/// (see [`Model::add_weights`]). An entry is keyed by every hash its features
/// are made of, so a part is exact whatever words share a slot. Parts are
/// summed when first asked for. The sums belong to the model (and
/// [`TagWeights`]) they were made with: one `WordSums` per model.
#[derive(Debug, Default)]
pub struct WordSums {
    /// The facts of the words the worker has seen (for
    /// [`DocFeatures::with_facts`]).
    pub facts: WordFacts,
    /// By lower, cased, shape, prefix3, suffix3, suffix2: the `W_*` parts.
    words: SumTable<[u64; 6], W_PARTS>,
    /// By shape: the `S_*` parts.
    shapes: SumTable<u64, S_PARTS>,
    /// The `words` entry of each token of the current document (`NO_ENTRY`
    /// until asked for).
    entry_of: Vec<u32>,
}

// Parts of a `words` entry: the token's own word features; its word (and
// shape) seen from the token after it (`AS_PREV`), before it, two after, two
// before; the previous-tag features after an O.
const W_SELF: usize = 0;
const W_AS_PREV: usize = 1;
const W_AS_NEXT: usize = 2;
const W_AS_PREV2: usize = 3;
const W_AS_NEXT2: usize = 4;
const W_TAG_O: usize = 5;
const W_PARTS: usize = 6;
// Parts of a `shapes` entry: the sentence-start and headline shape, then
// `T_DOC` by document flags.
const S_FIRST: usize = 0;
const S_HEADLINE: usize = 1;
const S_DOC: usize = 2;
const S_PARTS: usize = S_DOC + 4;

const NO_ENTRY: u32 = u32::MAX;

/// Weight sums of `P` parts per key, filled when first asked for.
#[derive(Debug)]
struct SumTable<K, const P: usize> {
    /// How many times the table started over (entry numbers hold within
    /// one generation).
    generation: u32,
    /// Index + 1 into `entries` (0 for an empty slot); a power of two long,
    /// at most half full.
    slots: Vec<u32>,
    entries: Vec<SumEntry<K, P>>,
}

impl<K, const P: usize> Default for SumTable<K, P> {
    fn default() -> Self {
        SumTable { generation: 0, slots: Vec::new(), entries: Vec::new() }
    }
}

#[derive(Debug, Clone)]
struct SumEntry<K, const P: usize> {
    key: K,
    /// Bit `p` set when `parts[p]` is summed.
    filled: u8,
    parts: [[i32; CLASSES]; P],
}

/// A key of a [`SumTable`]: hashes, the first one already mixed.
trait SumKey: Copy {
    fn slot_hash(&self) -> u64;
    fn same(&self, other: &Self) -> bool;
}

impl SumKey for u64 {
    #[inline]
    fn slot_hash(&self) -> u64 {
        *self
    }

    #[inline]
    fn same(&self, other: &Self) -> bool {
        self == other
    }
}

impl SumKey for [u64; 6] {
    #[inline]
    fn slot_hash(&self) -> u64 {
        self[0] ^ self[1].rotate_left(23) ^ self[2].rotate_left(41)
    }

    /// Field by field, the word hash first (a call to `memcmp` otherwise).
    #[inline]
    fn same(&self, other: &Self) -> bool {
        self.iter().zip(other).all(|(a, b)| a == b)
    }
}

impl<K: SumKey, const P: usize> SumTable<K, P> {
    /// Starts over if `capacity` entries are kept (or none are yet).
    fn start_over_at(&mut self, capacity: usize) {
        if self.entries.len() >= capacity || self.slots.is_empty() {
            self.entries.clear();
            self.slots.clear();
            self.slots.resize(2 * capacity, 0);
            self.generation += 1;
        }
    }

    /// The entry of `key`, made if new.
    #[inline]
    fn entry(&mut self, key: K) -> u32 {
        let mask = self.slots.len() - 1;
        let mut i = key.slot_hash() as usize & mask;
        loop {
            match self.slots[i] {
                0 => break,
                e if self.entries[e as usize - 1].key.same(&key) => return e - 1,
                _ => i = (i + 1) & mask,
            }
        }
        let e = self.entries.len() as u32;
        self.entries.push(SumEntry { key, filled: 0, parts: [[0; CLASSES]; P] });
        self.slots[i] = e + 1;
        if 2 * self.entries.len() > self.slots.len() {
            self.grow();
        }
        e
    }

    /// Doubles the slots (a document with more new words than the capacity).
    #[cold]
    fn grow(&mut self) {
        let size = 2 * self.slots.len();
        self.slots.clear();
        self.slots.resize(size, 0);
        let mask = size - 1;
        for (e, entry) in self.entries.iter().enumerate() {
            let mut i = entry.key.slot_hash() as usize & mask;
            while self.slots[i] != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = e as u32 + 1;
        }
    }

    /// Adds the parts `parts` (a bit each) of entry `e` into `sum`, summing
    /// those still missing first from `features` (a part's features into a
    /// buffer).
    #[inline]
    fn add(
        &mut self,
        model: &Model,
        e: u32,
        parts: u8,
        sum: &mut [i32; CLASSES],
        features: impl Fn(&K, usize, &mut [u64; 6]) -> usize,
    ) {
        let entry = &mut self.entries[e as usize];
        let missing = parts & !entry.filled;
        if missing != 0 {
            entry.fill(model, missing, features);
        }
        // Over all the parts, testing each bit: unrolled, without a bounds
        // check per part.
        for (k, part) in entry.parts.iter().enumerate() {
            if parts & (1 << k) != 0 {
                for (s, &w) in sum.iter_mut().zip(part) {
                    *s += w;
                }
            }
        }
    }
}

impl<K, const P: usize> SumEntry<K, P> {
    /// Sums the parts `parts` (a bit each).
    #[cold]
    fn fill(&mut self, model: &Model, parts: u8, features: impl Fn(&K, usize, &mut [u64; 6]) -> usize) {
        let mut buf = [0u64; 6];
        let mut bits = parts;
        while bits != 0 {
            let part = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            let n = features(&self.key, part, &mut buf);
            for &h in &buf[..n] {
                model.add_weight(h, &mut self.parts[part]);
            }
        }
        self.filled |= parts;
    }
}

/// The features of part `part` of a `words` entry, into `out`; how many.
fn word_part_features(key: &[u64; 6], part: usize, out: &mut [u64; 6]) -> usize {
    let [lower, cased, shape, prefix3, suffix3, suffix2] = *key;
    let features: &[u64] = match part {
        W_SELF => &[
            feature(T_WORD, lower, 0),
            feature(T_CASED, cased, 0),
            feature(T_SHAPE, shape, 0),
            feature(T_PREFIX3, prefix3, 0),
            feature(T_SUFFIX3, suffix3, 0),
            feature(T_SUFFIX2, suffix2, 0),
        ],
        W_AS_PREV => &[feature(T_WORD_PREV, lower, 0), feature(T_SHAPE_PREV, shape, 0)],
        W_AS_NEXT => &[feature(T_WORD_NEXT, lower, 0), feature(T_SHAPE_NEXT, shape, 0)],
        W_AS_PREV2 => &[feature(T_WORD_PREV2, lower, 0)],
        W_AS_NEXT2 => &[feature(T_WORD_NEXT2, lower, 0)],
        _ => &tag_token_features(O, &TokenInfo { lower, shape, ..TokenInfo::default() }),
    };
    out[..features.len()].copy_from_slice(features);
    features.len()
}

/// The feature of part `part` of a `shapes` entry, into `out`; how many (1).
fn shape_part_features(&shape: &u64, part: usize, out: &mut [u64; 6]) -> usize {
    out[0] = match part {
        S_FIRST => feature(T_FIRST_SHAPE, shape, 0),
        S_HEADLINE => feature(T_HEADLINE_SHAPE, shape, 0),
        _ => feature(T_DOC, (part - S_DOC) as u64, shape),
    };
    1
}

impl WordSums {
    /// Word entries kept before the table starts over (at a document's
    /// start): about 9 MB.
    const WORDS: usize = 1 << 15;
    /// Shape entries kept (far fewer shapes than words).
    const SHAPES: usize = 1 << 11;

    /// Gets ready for a document of `tokens` tokens.
    fn start_document(&mut self, tokens: usize) {
        self.words.start_over_at(Self::WORDS);
        self.shapes.start_over_at(Self::SHAPES);
        self.entry_of.clear();
        self.entry_of.resize(tokens, NO_ENTRY);
    }

    /// The `words` entry of token `i` of the current document.
    #[inline]
    fn entry_of(&mut self, features: &DocFeatures, i: usize) -> u32 {
        match self.entry_of[i] {
            NO_ENTRY => {
                let t = &features.info[i];
                let key = [t.lower, t.cased, t.shape, t.prefix3, t.suffix3, t.suffix2];
                // A word with its facts kept knows its entry (from an
                // earlier document) while the sums keep their entries.
                let facts = if features.facts_epoch == self.facts.epoch { features.facts_of[i] } else { NO_FACTS };
                let e = match self.facts.slots.get_mut(facts as usize) {
                    Some(slot) if slot.sums_generation == self.words.generation => slot.sums_entry,
                    Some(slot) => {
                        let e = self.words.entry(key);
                        (slot.sums_entry, slot.sums_generation) = (e, self.words.generation);
                        e
                    }
                    None => self.words.entry(key),
                };
                self.entry_of[i] = e;
                e
            }
            e => e,
        }
    }
}

/// A sentence set in capitals (a headline or a wire slug): case says nothing.
/// Its ASCII letters decide (other scripts count as neither): nine in ten
/// capitals, six letters or more, two words or more.
fn is_headline(text: &str, tokens: &[crate::text::Token]) -> bool {
    let (Some(first), Some(last)) = (tokens.first(), tokens.last()) else { return false };
    // Only word tokens hold ASCII letters (punctuation, numbers, quotation
    // marks and the spaces between tokens hold none): the letters of the
    // sentence's bytes are its words' letters, counted eight bytes at a time.
    let bytes = &text.as_bytes()[first.start as usize..last.end as usize];
    let (mut upper, mut letters, mut seen) = (0, 0, 0);
    for chunk in bytes.chunks(8) {
        let word = match chunk.try_into() {
            Ok(eight) => u64::from_le_bytes(eight),
            Err(_) => crate::fxhash::short_word(chunk),
        };
        let (u, l) = ascii_case_counts(word);
        upper += u;
        letters += u + l;
        seen += chunk.len();
        // Even if every byte left were a capital, the lowercase letters seen
        // already make more than a tenth: running text, decided early.
        if 9 * (letters - upper) > upper + (bytes.len() - seen) {
            return false;
        }
    }
    letters >= 6 && upper * 10 >= letters * 9 && tokens.iter().filter(|t| t.kind == TokenKind::Word).nth(1).is_some()
}

/// How many bytes of `word` are ASCII capitals and how many ASCII lowercase
/// letters. Per byte, its low seven bits plus `0x80 - c` reach the high bit
/// when they are `c` or more (without carrying into the next byte).
#[inline]
fn ascii_case_counts(word: u64) -> (usize, usize) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = ONES * 0x80;
    let low7 = word & !HIGHS;
    let ascii = !word & HIGHS;
    let at_least = |c: u8| low7.wrapping_add(ONES * (0x80 - c) as u64) & HIGHS;
    let upper = at_least(b'A') & !at_least(b'Z' + 1) & ascii;
    let lower = at_least(b'a') & !at_least(b'z' + 1) & ascii;
    // One bit per byte: their sum collects in the top byte.
    let count = |bits: u64| ((bits >> 7).wrapping_mul(ONES) >> 56) as usize;
    (count(upper), count(lower))
}

/// Marks tokens that begin or continue a multi-word list entry (places,
/// organisations, titles, NORP words) and single-token places and
/// organisations.
fn mark_phrases(g: &Gazetteer, doc: &Document, info: &mut [TokenInfo]) {
    let tokens = doc.tokens();
    // The lowercase form of token `j`, appended to `key` (as `DocFeatures`
    // hashes it).
    let push_lower = |key: &mut String, j: usize| {
        let word = &doc.text()[tokens[j].range()];
        if word.is_ascii() {
            let at = key.len();
            key.push_str(word);
            key[at..].make_ascii_lowercase();
        } else {
            key.extend(word.chars().flat_map(char::to_lowercase));
        }
    };
    let mut key = String::new();
    for sentence in doc.sentences() {
        let (a, b) = (sentence.tokens.start as usize, sentence.tokens.end as usize);
        let mut i = a;
        while i < b {
            if !info[i].interesting || tokens[i].kind != TokenKind::Word || g.phrase_starts.get(info[i].lower) == 0 {
                i += 1;
                continue;
            }
            let mut best: Option<(usize, u32)> = None;
            key.clear();
            for j in i..b.min(i + g.max_phrase_words) {
                if j > i {
                    key.push(' ');
                }
                push_lower(&mut key, j);
                if j == i {
                    // Single words carry their flags already.
                    continue;
                }
                let h = hash_str(&key);
                let flag = g.phrase_flags.get(h);
                if flag != 0 {
                    best = Some((j + 1, flag));
                }
                if g.phrase_prefixes.get(h) == 0 {
                    // No listed phrase goes on from here.
                    break;
                }
            }
            match best {
                Some((end, flag)) => {
                    info[i].gaz |= flag | G_PHRASE_BEGIN;
                    for t in &mut info[i + 1..end] {
                        t.gaz |= flag | G_PHRASE_INSIDE;
                    }
                    i = end;
                }
                None => i += 1,
            }
        }
    }
}

/// Greedy decoding with `score` giving class scores for a feature list.
/// Returns one tag per token.
pub fn decode(features: &DocFeatures, mut score: impl FnMut(&[u64], &mut [f32])) -> Vec<usize> {
    let mut tags = vec![O; features.info.len()];
    let mut buf = Vec::with_capacity(64);
    let mut scores = [0f32; TAGS.len()];
    for (s, &(a, b)) in features.sentences().iter().enumerate() {
        let (mut prev, mut prev2) = (O, O);
        for (i, slot) in tags.iter_mut().enumerate().take(b).skip(a) {
            let tag = if features.scored(i, prev, (a, b)) {
                features.features_into(i, s, prev, prev2, &mut buf);
                scores.iter_mut().for_each(|s| *s = 0.0);
                score(&buf, &mut scores);
                best_allowed(&scores, prev)
            } else {
                O
            };
            *slot = tag;
            prev2 = prev;
            prev = tag;
        }
    }
    tags
}

/// [`decode`] with the shipped model's scores: the same tags.
///
/// The model sums integer weights, so a token's score may be put together
/// from parts without changing a bit of it: the bias, previous-tag and
/// gazetteer parts come from `tag_weights`, the parts that depend on one
/// token's facts alone from `sums` (kept across documents), and only the
/// features of two or three tokens together are looked up per token.
/// `tag_weights` and `sums` must have been made with `model`.
pub fn decode_with(features: &DocFeatures, model: &Model, tag_weights: &TagWeights, sums: &mut WordSums) -> Vec<usize> {
    let info = &features.info;
    let mut tags = vec![O; info.len()];
    sums.start_document(info.len());
    let boundary = sums.words.entry([BOUNDARY, 0, BOUNDARY, 0, 0, 0]);
    let mut buf = Vec::with_capacity(8);
    for (s, &(a, b)) in features.sentences().iter().enumerate() {
        let (mut prev, mut prev2) = (O, O);
        for i in a..b {
            if !features.scored(i, prev, (a, b)) {
                prev2 = prev;
                prev = O;
                continue;
            }
            let me = &info[i];
            let mut sum = tag_weights.sums[prev][prev2];
            tag_weights.add_gaz(features, i, s, &mut sum);
            // The parts of the token's own entries, then those of its
            // neighbours' (the boundary's outside the sentence).
            let own = sums.entry_of(features, i);
            let own_parts = 1 << W_SELF | ((prev == O) as u8) << W_TAG_O;
            sums.words.add(model, own, own_parts, &mut sum, word_part_features);
            let shape_parts = 1 << (S_DOC + features.doc(i) as usize)
                | ((i == a) as u8) << S_FIRST
                | (features.headline[s] as u8) << S_HEADLINE;
            let shape = sums.shapes.entry(me.shape);
            sums.shapes.add(model, shape, shape_parts, &mut sum, shape_part_features);
            for (offset, part) in [(-1isize, W_AS_PREV), (1, W_AS_NEXT), (-2, W_AS_PREV2), (2, W_AS_NEXT2)] {
                let j = i as isize + offset;
                let e = if j >= a as isize && j < b as isize { sums.entry_of(features, j as usize) } else { boundary };
                sums.words.add(model, e, 1 << part, &mut sum, word_part_features);
            }
            let (prev_lower, prev_shape) =
                if i > a { (info[i - 1].lower, info[i - 1].shape) } else { (BOUNDARY, BOUNDARY) };
            let (next_lower, next_shape) =
                if i + 1 < b { (info[i + 1].lower, info[i + 1].shape) } else { (BOUNDARY, BOUNDARY) };
            buf.clear();
            buf.extend_from_slice(&[
                feature(T_BIGRAM_PREV, prev_lower, me.lower),
                feature(T_BIGRAM_NEXT, me.lower, next_lower),
                feature(T_SHAPE_TRIPLE, prev_shape ^ me.shape.rotate_left(7), next_shape),
            ]);
            if prev != O {
                buf.extend_from_slice(&tag_token_features(prev, me));
            }
            model.add_weights(&buf, &mut sum);
            // The tag the scores (sum × the positive scale) would pick: a
            // sum under 2^22 in size (a few dozen features of at most
            // `i16::MAX` each) is exact as an `f32`, and the product's
            // rounding moves it by under a quarter of the scale, so scores
            // keep the sums' order, ties included.
            debug_assert!(sum.iter().all(|s| s.unsigned_abs() < 1 << 22), "{sum:?}");
            let tag = best_allowed(&sum, prev);
            tags[i] = tag;
            prev2 = prev;
            prev = tag;
        }
    }
    tags
}

/// The highest-scoring tag that may follow `prev` (the first of equals).
pub fn best_allowed<S: PartialOrd>(scores: &[S], prev: usize) -> usize {
    let mut best = O;
    for tag in 1..scores.len() {
        if allowed(prev, tag) && scores[tag] > scores[best] {
            best = tag;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Facts kept across documents (and across a table that starts over)
    /// give every token the features a fresh extraction gives.
    #[test]
    fn kept_word_facts_give_the_same_features() {
        let g = Gazetteer::bundled();
        let texts = [
            "Ali Rabiei said the government spokesman's remarks were false.",
            "RABIEI SAID IT. Rabiei said it again at reuters.com and Reuters.",
            "The counterrevolutionaries' extraordinarily long words: internationalization, Internationalization.",
            "Téhéran: “No deal,” said Rabiei — 1,000 people in U.S. and u.s. on 1996-08-30.",
            "said Said SAID sAid 3.5 Khabaronline.ir al-Assad O'Malley didn't",
        ];
        let mut facts = WordFacts::default();
        for round in 0..3 {
            for text in texts {
                let doc = Document::new(text);
                let fresh = DocFeatures::new(&doc, &g);
                let kept = DocFeatures::with_facts(&doc, &g, &mut facts);
                assert_eq!(fresh.info, kept.info, "round {round}: {text}");
            }
            if round < 2 {
                // Nearly full: the table starts over at the next document.
                facts.filled = facts.slots.len() / 2 - 1;
            }
        }
        assert!(facts.filled < 100, "the table started over");
    }

    /// The tag of the weight sums is the tag of the scores made of them,
    /// ties and near-ties included, at the bounds of the sums and for
    /// scales from tiny to large.
    #[test]
    fn sums_pick_the_tag_their_scores_pick() {
        let model = |scale: f32| Model::with_entries(scale, std::iter::empty()).expect("an empty model");
        let mut next = crate::test_rng(0x2545_f491_4f6c_dd1du64);
        let limit = (1i64 << 22) - 1;
        for scale in [1e-30f32, 3.0e-5, 0.1, 1.0 / 3.0, 1.0, 7.77e3, 1e30] {
            let model = model(scale);
            for round in 0..20_000 {
                let mut sum = [0i32; CLASSES];
                for s in &mut sum {
                    *s = match round % 3 {
                        // Near the bound, a few apart: the closest scores.
                        0 => (limit - (next() % 4) as i64) as i32 * if next() & 1 == 0 { 1 } else { -1 },
                        1 => (next() % 7) as i32 - 3,
                        _ => ((next() % (2 * limit as u64 + 1)) as i64 - limit) as i32,
                    };
                }
                let mut scores = [0f32; CLASSES];
                model.add_scores(&sum, &mut scores);
                for prev in 0..TAGS.len() {
                    assert_eq!(best_allowed(&sum, prev), best_allowed(&scores, prev), "{scale} {sum:?} {prev}");
                }
            }
        }
    }

    /// A word's key read with masked loads is the key of its bytes, at
    /// every start and length, up to the text's end.
    #[test]
    fn keys_at_a_position_are_the_keys_of_the_bytes() {
        let text = b"Ali Rabiei said: the counterrevolutionaries' 1,000 words, internationally. End";
        for start in 0..text.len() {
            for len in 1..=WordFacts::MAX_LEN.min(text.len() - start) {
                let bytes = &text[start..start + len];
                assert_eq!(WordFacts::key_at(text, start, len), WordFacts::key(bytes), "{start} {len}");
            }
        }
    }

    #[test]
    fn tags_and_transitions() {
        assert_eq!(tag_type(1), Some(0));
        assert_eq!(tag_type(4), Some(1));
        assert!(is_inside(2) && !is_inside(1) && !is_inside(O));
        assert!(allowed(1, 2) && !allowed(O, 2) && !allowed(3, 2) && allowed(2, 3));
    }

    #[test]
    fn shapes_and_domains() {
        assert_eq!(shape("Asgari"), shape("Xx"));
        assert_eq!(shape("U.S."), hash_str("X.X."));
        assert!(is_domain("Khabaronline.ir"));
        assert!(!is_domain("U.S"));
        assert!(!is_domain("3.5"));
    }

    #[test]
    fn ascii_shapes_are_the_collapsed_classes() {
        fn reference(s: &str) -> String {
            let mut out = String::new();
            for b in s.bytes() {
                let class = match b {
                    b'A'..=b'Z' => 'X',
                    b'a'..=b'z' => 'x',
                    b'0'..=b'9' => 'd',
                    other => other as char,
                };
                if out.len() < 8 && !out.ends_with(class) {
                    out.push(class);
                }
            }
            out
        }
        for w in [
            "",
            "a",
            "Xx",
            "McDonald's",
            "1996-08-30",
            "a1b2c3d4e5f6",
            "aaaaaaaaaaaaB",
            "\0\0a",
            "--",
            "U.S.A.B.C.D",
            "A",
            "Z",
            "z",
            "Ab",
            "ab",
            "abcdefg",
            "abcdefgh",
            "Abcdefgh",
            "abcdefghijklmnop",
            "abcdefghijklmnoP",
            "government",
            "Government",
            "governmenT",
            "gov`rnment",
            "gov{rnment",
            "@bc",
            "[bc",
            "a@",
            "a[",
            "za`",
        ] {
            assert_eq!(ascii_shape(w.as_bytes()), hash_str(&reference(w)), "{w:?}");
            assert_eq!(all_ascii_lowercase(w.as_bytes()), w.bytes().all(|b| b.is_ascii_lowercase()), "{w:?}");
        }
    }

    #[test]
    fn capitalised_words_know_whether_they_are_domains() {
        let g = Gazetteer::bundled();
        let doc = Document::new(
            "Khabaronline.ir said U.S. officials met Dailypulse.ng staff. Reuters.com had it, as had Mr. Smith.",
        );
        let features = DocFeatures::new(&doc, &g);
        let mut domains = 0;
        for (i, t) in doc.tokens().iter().enumerate() {
            if t.kind == TokenKind::Word && features.capitalized(i) {
                let word = &doc.text()[t.range()];
                assert_eq!(features.capitalized_domain(i), is_domain(word), "{word}");
                domains += is_domain(word) as usize;
            }
        }
        assert_eq!(domains, 3);
    }

    #[test]
    fn dots_and_quote_ends_are_found_in_bytes() {
        for s in [
            "",
            ".",
            "a.",
            ".a",
            "abcdefg",
            "abcdefg.",
            "abcdefgh",
            "abcdefgh.",
            "abcdefghijklmnop.q",
            "U.S.",
            "\u{2e}x",
        ] {
            assert_eq!(has_dot(s.as_bytes()), s.contains('.'), "{s:?}");
        }
        for s in ["“", "‘", ":", "a:", "x“", "”", "’", "", "a", "said:", "“a"] {
            assert_eq!(opens_a_quote_or_colon(s.as_bytes()), s.ends_with(['“', '‘', ':']), "{s:?}");
        }
    }

    #[test]
    fn caseless_punctuation_lowercases_to_itself() {
        for c in ('\u{2000}'..='\u{20CF}').filter(|&c| is_caseless_punctuation(c)) {
            assert!(c.to_lowercase().eq([c]), "{c:?}");
        }
        let mut buf = String::new();
        assert_eq!(lowercase("“", &mut buf), "“");
        assert_eq!(lowercase("Ünal", &mut buf), "ünal");
        assert_eq!(lowercase("—İ", &mut buf), "—i\u{307}");
    }

    #[test]
    fn doc_words_keep_the_flags_of_each_hash() {
        let mut words = DocWords::with_room(3);
        // Same low bits: one probe run.
        let (a, b, c) = (5u64, 5 + (1 << 40), 6u64);
        words.add(a, D_LOWER);
        words.add(b, D_CAP_MID);
        words.add(a, D_CAP_MID);
        words.add(c, D_LOWER);
        assert_eq!(words.get(a), D_LOWER | D_CAP_MID);
        assert_eq!(words.get(b), D_CAP_MID);
        assert_eq!(words.get(c), D_LOWER);
        assert_eq!(words.get(7), 0);
        assert_eq!(words.get(5 + (2 << 40)), 0);
    }

    #[test]
    fn decoding_with_tag_weights_gives_the_tags_of_plain_scoring() {
        let model = Model::from_bytes(include_bytes!("../../../data/models/ner.bin")).unwrap();
        let tag_weights = TagWeights::new(&model);
        let g = Gazetteer::bundled();
        let seed = include_str!("../../../tests/golden/seed/input.jsonl");
        let mut texts: Vec<String> = seed
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| v.get("text").and_then(|t| t.as_str()).map(str::to_string))
            .collect();
        texts.push("CRICKET - LEICESTERSHIRE TAKE OVER AT TOP.\nBONN 1996-08-30\nMr. Asgari met Angela Merkel in Tehran on Monday, the U.S. State Department said.".into());
        let mut named = 0;
        // One `WordSums` across the texts (twice over), as in a run: with
        // its word facts (whose entries learn their word sums), and without.
        let mut sums = WordSums::default();
        for text in texts.iter().chain(&texts) {
            let doc = Document::new(text);
            let features = DocFeatures::new(&doc, &g);
            let plain = decode(&features, |f, s| model.score(f, s));
            assert_eq!(decode_with(&features, &model, &tag_weights, &mut sums), plain);
            let mut facts = std::mem::take(&mut sums.facts);
            let kept = DocFeatures::with_facts(&doc, &g, &mut facts);
            sums.facts = facts;
            assert!(kept.facts_of.iter().any(|&f| f != NO_FACTS));
            assert_eq!(decode_with(&kept, &model, &tag_weights, &mut sums), plain);
            named += plain.iter().filter(|&&t| t != O).count();
        }
        assert!(named > 10, "the texts have names: {named}");
    }

    /// The headline test of a token at a time, which the byte count must
    /// match.
    fn is_headline_by_tokens(text: &str, tokens: &[crate::text::Token]) -> bool {
        let (mut upper, mut letters, mut words) = (0usize, 0usize, 0usize);
        for t in tokens.iter().filter(|t| t.kind == TokenKind::Word) {
            words += 1;
            for &b in &text.as_bytes()[t.range()] {
                letters += b.is_ascii_alphabetic() as usize;
                upper += b.is_ascii_uppercase() as usize;
            }
        }
        words >= 2 && letters >= 6 && upper * 10 >= letters * 9
    }

    #[test]
    fn headlines_are_counted_as_by_tokens() {
        let text = "CRICKET - LEICESTERSHIRE TAKE OVER AT TOP.\nThe match was won.\nNEW YORK 1996-08-30.\n\
            “WE WIN,” SAID McDONALD'S CEO É. ZOLA @ 3.5%.\nTÉHÉRAN ÉTÉ À NOUS.\nAB.\nABCDEF GH.\n\
            ABCDEFGHIJ k.\nABCDEFGHIJKLMNOPQRS tu.\nU.S. [Z] `A` {Q} OK!\n@@ ZZZZZZ ZZ.\nMOSTLY CAPITALS, but NOT ALL OF THEM.";
        let doc = Document::new(text);
        let mut headlines = 0;
        for s in doc.sentences() {
            let tokens = &doc.tokens()[s.tokens.start as usize..s.tokens.end as usize];
            let expected = is_headline_by_tokens(doc.text(), tokens);
            assert_eq!(
                is_headline(doc.text(), tokens),
                expected,
                "{:?}",
                &doc.text()[s.start as usize..s.end as usize]
            );
            headlines += expected as usize;
        }
        assert!(headlines >= 4, "{headlines}");
        for word in [0u64, u64::MAX, u64::from_le_bytes(*b"AZaz@[`{"), u64::from_le_bytes(*b"\xc1\xdaAb\x80\xffzZ")] {
            let bytes = word.to_le_bytes();
            let upper = bytes.iter().filter(|b| b.is_ascii_uppercase()).count();
            let lower = bytes.iter().filter(|b| b.is_ascii_lowercase()).count();
            assert_eq!(ascii_case_counts(word), (upper, lower), "{bytes:?}");
        }
    }

    #[test]
    fn headlines_are_detected() {
        let doc = Document::new("CRICKET - LEICESTERSHIRE TAKE OVER AT TOP.\nThe match was won.");
        let s = &doc.sentences()[0];
        assert!(is_headline(doc.text(), &doc.tokens()[s.tokens.start as usize..s.tokens.end as usize]));
        let s = &doc.sentences()[1];
        assert!(!is_headline(doc.text(), &doc.tokens()[s.tokens.start as usize..s.tokens.end as usize]));
    }
}
