//! Cleaning with exact alignment back to the original text.
//!
//! Real dumps carry HTML entities (named, numeric, double-escaped `&amp;quot;`,
//! orphaned `,quot;` whose ampersand was lost, `&quot` without its semicolon),
//! non-breaking and zero-width spaces, Windows line endings and a zoo of
//! quotation marks. The stages want one clean form; the tables want offsets
//! into the *original* `text`. [`CleanText`] gives both: the cleaned string the
//! stages read, and for every byte boundary of it the original code point
//! offset a span starting or ending there maps to.
//!
//! Invariants:
//! - every edit goes through [`Builder::emit`] (cleaned text standing for an
//!   original range), [`Builder::emit_ascii_run`] (unchanged ASCII) or
//!   [`Builder::extend_last`] (the last emitted character absorbs more of the
//!   original); nothing else touches the alignment, so `original_span` is
//!   exact for every kind of edit;
//! - the alignment costs a few bytes per edit or non-ASCII character, not per
//!   byte of text: unchanged ASCII runs are one segment each.
//! - a cleaned span `[s, e)` maps to the original code points
//!   `[start_of(s), end_of(e))`, which covers exactly the original characters
//!   the cleaned ones stand for (deleted characters at the edges stay outside);
//! - quotation marks come out in one canonical form: `“` opens and `”` closes a
//!   double quote, `‘` opens and `’` closes a single quote, and `'` is an
//!   apostrophe inside a word (`Iran's`, `didn't`, `O'Malley`).

use std::borrow::Cow;

/// Canonical opening double quotation mark in cleaned text.
pub const OPEN_DOUBLE: char = '“';
/// Canonical closing double quotation mark in cleaned text.
pub const CLOSE_DOUBLE: char = '”';
/// Canonical opening single quotation mark in cleaned text.
pub const OPEN_SINGLE: char = '‘';
/// Canonical closing single quotation mark (or a word-final apostrophe, as in
/// `officials’ views`, which only context can tell apart).
pub const CLOSE_SINGLE: char = '’';

/// A cleaned copy of an article's text with its alignment to the original.
#[derive(Debug, Clone, Default)]
pub struct CleanText {
    text: String,
    /// The alignment, in cleaned-text order: runs of ASCII copied unchanged,
    /// and units (one edit or one non-ASCII character) standing for an
    /// original range. Deleted original characters fall between segments.
    segments: Vec<Segment>,
    original_chars: u32,
}

/// One piece of the alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Segment {
    /// First cleaned byte.
    clean: u32,
    /// Original code point range `[orig, orig_end)`.
    orig: u32,
    orig_end: u32,
    /// An unchanged ASCII run: cleaned byte `clean + k` is original code point
    /// `orig + k`. Otherwise the whole segment stands for the whole range.
    identity: bool,
}

impl Segment {
    fn identity_len(&self) -> u32 {
        self.orig_end - self.orig
    }
}

impl CleanText {
    /// Cleans `original`. Pure and deterministic.
    pub fn new(original: &str) -> CleanText {
        let mut builder = Builder::with_capacity(original.len());
        let original_chars = clean_into(original, &mut builder);
        builder.finish(original_chars)
    }

    /// The cleaned text the stages read.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Number of Unicode code points in the original text.
    pub fn original_chars(&self) -> u32 {
        self.original_chars
    }

    /// Maps a cleaned byte span `[start, end)` to original code point offsets.
    ///
    /// # Panics
    /// If `start > end` or `end` is past the cleaned text.
    pub fn original_span(&self, start: usize, end: usize) -> (u32, u32) {
        assert!(start <= end && end <= self.text.len(), "span out of range");
        if start >= self.text.len() {
            return (self.original_chars, self.original_chars);
        }
        let b = start as u32;
        let first = self.segments.partition_point(|s| s.clean <= b);
        let seg = &self.segments[first - 1];
        let from = if seg.identity { seg.orig + (b - seg.clean) } else { seg.orig };
        if start == end {
            return (from, from);
        }
        (from, self.end_of(end as u32, first))
    }

    /// Original offset where a span ending at cleaned byte `e > 0` ends;
    /// `from`: a segment index at or before the one holding byte `e - 1`
    /// (every segment before it starts before `e`).
    fn end_of(&self, e: u32, from: usize) -> u32 {
        // The segment is the last one starting before `e`: usually a few
        // after the span's first segment (spans are short), else searched.
        let rest = &self.segments[from..];
        let after = match rest.iter().take(8).position(|s| s.clean >= e) {
            Some(k) => k,
            None => rest.partition_point(|s| s.clean < e),
        };
        let seg = &self.segments[from + after - 1];
        if seg.identity { seg.orig + (e - seg.clean) } else { seg.orig_end }
    }
}

/// Appends cleaned text while recording the alignment. The only place that
/// writes the segments.
struct Builder {
    text: String,
    segments: Vec<Segment>,
    /// A double quotation mark is open in the current line; breaks ties for
    /// marks whose context says nothing (`said: " We`).
    double_open: bool,
}

impl Builder {
    fn with_capacity(bytes: usize) -> Builder {
        Builder { text: String::with_capacity(bytes), segments: Vec::with_capacity(bytes / 64 + 4), double_open: false }
    }

    /// Appends `chars`, which stand for the original code points
    /// `[orig_start, orig_end)`.
    fn emit(&mut self, chars: &str, orig_start: u32, orig_end: u32) {
        if chars.len() == 1 && orig_end == orig_start + 1 {
            // One ASCII character for one original: an identity run.
            self.emit_ascii_run(chars, orig_start);
            return;
        }
        self.segments.push(Segment { clean: self.text.len() as u32, orig: orig_start, orig_end, identity: false });
        self.text.push_str(chars);
    }

    /// Appends one character standing for one original code point, the
    /// common case.
    #[inline]
    fn emit_char(&mut self, c: char, orig: u32) {
        if c.is_ascii() {
            let mut buf = [0u8; 1];
            self.emit_ascii_run(c.encode_utf8(&mut buf), orig);
        } else {
            let mut buf = [0u8; 4];
            self.emit(c.encode_utf8(&mut buf), orig, orig + 1);
        }
    }

    /// Appends an unchanged run of ASCII bytes starting at original code
    /// point `orig`.
    #[inline]
    fn emit_ascii_run(&mut self, run: &str, orig: u32) {
        debug_assert!(run.is_ascii());
        let clean = self.text.len() as u32;
        let n = run.len() as u32;
        match self.segments.last_mut() {
            Some(last) if last.identity && last.orig_end == orig && last.clean + last.identity_len() == clean => {
                last.orig_end += n;
            }
            _ => self.segments.push(Segment { clean, orig, orig_end: orig + n, identity: true }),
        }
        self.text.push_str(run);
    }

    /// The last emitted character also stands for original code points up to
    /// `orig_end` (a collapsed run of white space, say).
    fn extend_last(&mut self, orig_end: u32) {
        let Some(last) = self.segments.last_mut() else { return };
        if !last.identity {
            last.orig_end = orig_end;
            return;
        }
        // Split the run's last byte off into a unit of its own.
        let last_orig = last.orig_end - 1;
        last.orig_end -= 1;
        let empty = last.orig == last.orig_end;
        if empty {
            self.segments.pop();
        }
        let clean = self.text.len() as u32 - 1;
        self.segments.push(Segment { clean, orig: last_orig, orig_end, identity: false });
    }

    fn last_char(&self) -> Option<char> {
        self.text.chars().next_back()
    }

    /// Removes the last `n` bytes (whole characters) of cleaned text and
    /// returns the original offset the first removed byte started at.
    fn pop_bytes(&mut self, n: usize) -> u32 {
        let keep = (self.text.len() - n) as u32;
        let mut first_removed = None;
        while let Some(last) = self.segments.last_mut() {
            if last.clean >= keep {
                first_removed = Some(last.orig);
                self.segments.pop();
                continue;
            }
            if last.identity && last.clean + last.identity_len() > keep {
                let new_end = last.orig + (keep - last.clean);
                first_removed = Some(new_end);
                last.orig_end = new_end;
            }
            break;
        }
        self.text.truncate(keep as usize);
        first_removed.expect("popped bytes belong to segments")
    }

    fn finish(self, original_chars: u32) -> CleanText {
        CleanText { text: self.text, segments: self.segments, original_chars }
    }
}

/// What a decoded or raw character becomes in cleaned text.
enum Norm {
    /// Kept as it is.
    Keep(char),
    /// Replaced by another character.
    Replace(char),
    /// Horizontal white space: becomes one space, runs collapse.
    Space,
    /// Dropped (zero-width characters, soft hyphens, a `\r` before `\n`).
    Delete,
    /// A double quotation mark whose direction comes from context; the mark's
    /// own shape (`Some(true)` opening, `Some(false)` closing) breaks ties.
    DoubleQuote(Option<bool>),
    /// A single quotation mark or apostrophe whose role comes from context.
    SingleQuote,
}

fn classify(c: char) -> Norm {
    match c {
        ' ' | '\t' | '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}' => Norm::Space,
        '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}' => Norm::Delete,
        '\u{2028}' | '\u{2029}' | '\u{85}' => Norm::Replace('\n'),
        // The horizontal bar some outlets set before a quote's author
        // ("“…” ― Esther Tapia") is a dash to every stage.
        '\u{2015}' => Norm::Replace('\u{2014}'),
        '\n' => Norm::Keep('\n'),
        '\u{0}'..='\u{1f}' | '\u{7f}' => Norm::Space,
        '"' => Norm::DoubleQuote(None),
        '“' | '„' | '‟' | '«' => Norm::DoubleQuote(Some(true)),
        '”' | '»' => Norm::DoubleQuote(Some(false)),
        '\'' | '’' | '‘' | '‚' | '‛' | '‹' | '›' => Norm::SingleQuote,
        other => Norm::Keep(other),
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Context a quotation mark's role is read from: the cleaned character before
/// it and the original character after it.
fn double_quote(shape: Option<bool>, prev: Option<char>, next: Option<char>, open_already: bool) -> char {
    let next_closes = match next {
        None => true,
        Some(n) => {
            n.is_whitespace()
                || matches!(
                    n,
                    '.' | ','
                        | ';'
                        | ':'
                        | '!'
                        | '?'
                        | ')'
                        | ']'
                        | '}'
                        | '\u{2014}'
                        | '\u{2013}'
                        | '-'
                        | '\u{2019}'
                        | '\''
                )
        }
    };
    let prev_opens = match prev {
        None => true,
        Some(p) => {
            p.is_whitespace()
                || matches!(
                    p,
                    '(' | '[' | '{' | '\u{2014}' | '\u{2013}' | '-' | '/' | ':' | ',' | ';' | OPEN_DOUBLE | OPEN_SINGLE
                )
        }
    };
    let opens = match (prev_opens, next_closes) {
        (true, false) => true,
        (false, true) => false,
        // Mixed signals (`said "` or `a"b`): trust a curly mark's shape.
        _ => shape.unwrap_or(!open_already),
    };
    if opens { OPEN_DOUBLE } else { CLOSE_DOUBLE }
}

fn single_quote(raw: char, prev: Option<char>, next: Option<char>) -> char {
    let prev_word = prev.is_some_and(is_word_char);
    let next_word = next.is_some_and(is_word_char);
    if prev_word && next_word {
        return '\'';
    }
    match raw {
        '‹' | '‚' | '‛' => OPEN_SINGLE,
        '›' => CLOSE_SINGLE,
        _ => {
            let prev_opens = match prev {
                None => true,
                Some(p) => {
                    p.is_whitespace()
                        || matches!(p, '(' | '[' | '\u{2014}' | '\u{2013}' | OPEN_DOUBLE | '-' | ':' | ',')
                }
            };
            if prev_opens && next.is_some_and(|n| !n.is_whitespace()) {
                // `'90s` and `'til` are apostrophes, not opening quotes.
                if next.is_some_and(|n| n.is_ascii_digit()) && raw != '‘' { '\'' } else { OPEN_SINGLE }
            } else {
                CLOSE_SINGLE
            }
        }
    }
}

/// Pushes one normalized character standing for original `[orig_start, orig_end)`.
fn push_normalized(b: &mut Builder, c: char, orig_start: u32, orig_end: u32, next: Option<char>) {
    let mut buf = [0u8; 4];
    match classify(c) {
        Norm::Keep(k) | Norm::Replace(k) => {
            if k == '\n' {
                b.double_open = false;
            }
            b.emit(k.encode_utf8(&mut buf), orig_start, orig_end)
        }
        Norm::Space => {
            if b.last_char() == Some(' ') {
                b.extend_last(orig_end);
            } else {
                b.emit(" ", orig_start, orig_end);
            }
        }
        Norm::Delete => {}
        Norm::DoubleQuote(shape) => {
            let q = double_quote(shape, b.last_char(), next, b.double_open);
            b.double_open = q == OPEN_DOUBLE;
            b.emit(q.encode_utf8(&mut buf), orig_start, orig_end);
        }
        Norm::SingleQuote => {
            let q = single_quote(c, b.last_char(), next);
            b.emit(q.encode_utf8(&mut buf), orig_start, orig_end);
        }
    }
}

/// Named entities that decode without their semicolon (the HTML legacy set
/// news text actually carries).
const LEGACY_NO_SEMICOLON: &[&str] = &["quot", "amp", "lt", "gt", "nbsp", "apos"];

/// Entity names that are repaired when their ampersand was lost (`,quot;`).
/// Kept short on purpose: `not;` or `reg;` are ordinary words too.
const ORPHAN_NAMES: &[&str] =
    &["quot", "amp", "apos", "rsquo", "lsquo", "rdquo", "ldquo", "nbsp", "mdash", "ndash", "hellip"];

/// Length in bytes of an entity reference at the start of `s` (which begins
/// with `&`), and its decoded text. Chains double escapes (`&amp;quot;`) to a
/// fixpoint of at most three rounds.
fn decode_entity(s: &str) -> Option<(usize, Cow<'static, str>)> {
    let (mut len, mut decoded) = decode_one(s)?;
    for _ in 0..2 {
        if decoded != "&" {
            break;
        }
        // `&amp;` followed by what would be an entity if the `&` were real.
        let mut rest = String::with_capacity(16);
        rest.push('&');
        let mut window_end = s.len().min(len + 40);
        while !s.is_char_boundary(window_end) {
            window_end -= 1;
        }
        rest.push_str(&s[len..window_end]);
        match decode_one(&rest) {
            Some((more, d)) if more > 1 => {
                len += more - 1;
                decoded = d;
            }
            _ => break,
        }
    }
    Some((len, decoded))
}

fn decode_one(s: &str) -> Option<(usize, Cow<'static, str>)> {
    let bytes = s.as_bytes();
    debug_assert_eq!(bytes.first(), Some(&b'&'));
    let mut i = 1;
    let numeric = bytes.get(1) == Some(&b'#');
    if numeric {
        i = 2;
        let hex = matches!(bytes.get(2), Some(b'x' | b'X'));
        if hex {
            i = 3;
        }
        let digits_start = i;
        while i < bytes.len()
            && i - digits_start < 8
            && (if hex { bytes[i].is_ascii_hexdigit() } else { bytes[i].is_ascii_digit() })
        {
            i += 1;
        }
        if i == digits_start {
            return None;
        }
    } else {
        while i < bytes.len() && i < 33 && bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if i == 1 || !bytes[1].is_ascii_alphabetic() {
            return None;
        }
    }
    let has_semicolon = bytes.get(i) == Some(&b';');
    if !numeric && !has_semicolon {
        let name = &s[1..i];
        // `&quotHello` is a quote before "Hello", but `&amplifier` is a word,
        // not `&amp;lifier`: only `quot` decodes with letters right after it.
        let legacy = LEGACY_NO_SEMICOLON.iter().find(|&&l| name == l || (l == "quot" && name.starts_with(l)))?;
        i = 1 + legacy.len();
    }
    let end = if has_semicolon { i + 1 } else { i };
    let candidate = &s[..end];
    if let Some(common) = common_entity(&s[1..i]) {
        return Some((end, Cow::Borrowed(common)));
    }
    let decoded = htmlize::unescape(candidate);
    if decoded == candidate || decoded.contains(';') || (decoded.contains('&') && &s[1..i] != "amp") {
        return None;
    }
    Some((end, Cow::Owned(decoded.into_owned())))
}

/// The entities news text carries most, decoded without a table look-up
/// (the full HTML table is consulted for everything else).
fn common_entity(name: &str) -> Option<&'static str> {
    Some(match name {
        "quot" | "#34" => "\"",
        "amp" | "#38" => "&",
        "apos" | "#39" | "#039" | "#x27" => "'",
        "nbsp" | "#160" => "\u{a0}",
        "lt" => "<",
        "gt" => ">",
        "rsquo" | "#8217" => "’",
        "lsquo" | "#8216" => "‘",
        "rdquo" | "#8221" => "”",
        "ldquo" | "#8220" => "“",
        "mdash" | "#8212" => "—",
        "ndash" | "#8211" => "–",
        "hellip" | "#8230" => "…",
        _ => return None,
    })
}

/// If the cleaned text ends with an orphaned entity name (`quot` in `,quot;`)
/// and `;` comes next, returns the entity as it should have been written.
fn orphan_entity(cleaned: &str) -> Option<(usize, String)> {
    let tail_start = cleaned.len().saturating_sub(8);
    let tail_start = (tail_start..cleaned.len()).find(|&i| cleaned.is_char_boundary(i)).unwrap_or(cleaned.len());
    let tail = &cleaned[tail_start..];
    let bytes = tail.as_bytes();
    // Longest trailing run of [#A-Za-z0-9].
    let mut k = bytes.len();
    while k > 0 && (bytes[k - 1].is_ascii_alphanumeric() || bytes[k - 1] == b'#') {
        k -= 1;
    }
    let mut name = &tail[k..];
    // The run may start with the `#`; anything before it must not be a word.
    if let Some(pos) = name.rfind('#') {
        name = &name[pos..];
    }
    if name.is_empty() {
        return None;
    }
    let is_numeric = name.len() >= 3
        && name.starts_with('#')
        && (name[1..].bytes().all(|b| b.is_ascii_digit())
            || (name[1..].starts_with(['x', 'X'])
                && name.len() > 2
                && name[2..].bytes().all(|b| b.is_ascii_hexdigit())));
    // A numeric reference (`didn#39;t`) can follow a letter: hashtags never
    // end in `;`. A lost-`&` name (`,quot;`) must not end a longer word.
    let before = cleaned[..cleaned.len() - name.len()].chars().next_back();
    let ok = if is_numeric {
        before != Some('&')
    } else {
        ORPHAN_NAMES.contains(&name) && !before.is_some_and(|c| c.is_alphanumeric() || c == '&')
    };
    if !ok {
        return None;
    }
    Some((name.len(), format!("&{name};")))
}

fn next_char_after(original: &str, at: usize) -> Option<char> {
    original[at..].chars().next()
}

/// Bytes the fast path copies as they are: printable ASCII but for the
/// characters that start an entity or a quotation mark.
const PLAIN_ASCII: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0x20;
    while b < 0x7f {
        table[b] = !matches!(b as u8, b'&' | b'"' | b'\'' | b';' | b'<');
        b += 1;
    }
    table
};

/// Length of the longest prefix of whole 8-byte words of `bytes` that are
/// plain ASCII ([`PLAIN_ASCII`]) with no two spaces in a row; `after_space`:
/// the byte before `bytes` was a space. Eight bytes at a time, so that long
/// runs of ordinary text cost a few instructions per word, not per byte.
fn plain_words(bytes: &[u8], mut after_space: bool) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    // Some byte of `x` equals `b` (exact as a yes/no answer).
    let has = |x: u64, b: u8| {
        let y = x ^ (ONES * b as u64);
        y.wrapping_sub(ONES) & !y & HIGH != 0
    };
    let mut i = 0;
    while i + 8 <= bytes.len() {
        let x = u64::from_le_bytes(bytes[i..i + 8].try_into().expect("8 bytes"));
        let control = x.wrapping_sub(ONES * 0x20) & !x & HIGH != 0;
        if x & HIGH != 0
            || control
            || has(x, 0x7f)
            || has(x, b'&')
            || has(x, b'"')
            || has(x, b'\'')
            || has(x, b';')
            || has(x, b'<')
        {
            break;
        }
        // Exact mask of the spaces: 0x80 in every byte that is a space.
        let y = x ^ (ONES * b' ' as u64);
        let spaces = !(((y & LOW7).wrapping_add(LOW7)) | y | LOW7);
        if spaces & (spaces << 8) != 0 || (after_space && spaces & 0x80 != 0) {
            break;
        }
        after_space = spaces >> 63 != 0;
        i += 8;
    }
    i
}

/// Cleans `original` into `b`; returns the original's length in code points.
/// An HTML tag (or comment, or script or style element) at the start of
/// some text: its length in bytes and whether it breaks a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct HtmlTag {
    len: usize,
    breaks_line: bool,
}

/// The longest a tag may be; a `<` with no `>` this close is text.
const MAX_TAG: usize = 2048;
/// The longest script or style element stripped whole.
const MAX_SCRIPT: usize = 1 << 16;

/// Elements a browser sets on a line of their own.
const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "td",
    "th",
    "tr",
    "ul",
];

/// The HTML tag `bytes` starts with, if it does: `<name ...>` or `</name>`
/// (a letter, then letters, digits or hyphens; attributes only as
/// `key=value` pairs, so that prose such as "a <b and c> d" or "x<y" is
/// left alone), `<!-- ... -->`, or a whole `<script>` or `<style>` element.
/// A tag never spans a line unless inside a quoted attribute value.
fn html_tag(bytes: &[u8]) -> Option<HtmlTag> {
    debug_assert_eq!(bytes.first(), Some(&b'<'));
    let window = &bytes[..bytes.len().min(MAX_TAG)];
    if window.starts_with(b"<!--") {
        let end = memchr::memmem::find(&bytes[4..bytes.len().min(MAX_SCRIPT)], b"-->")?;
        return Some(HtmlTag { len: 4 + end + 3, breaks_line: false });
    }
    let closing = window.get(1) == Some(&b'/');
    let name_start = 1 + closing as usize;
    if !window.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let name_len = window[name_start..].iter().take_while(|&&c| c.is_ascii_alphanumeric() || c == b'-').count();
    let name = &window[name_start..name_start + name_len];
    // Attributes: up to the `>` outside quoted values.
    let mut at = name_start + name_len;
    let mut quote = None;
    let mut has_value = false;
    let mut other = false;
    loop {
        let &c = window.get(at)?;
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'>') => break,
            (None, b'<' | b'\n') => return None,
            (None, b'"' | b'\'') => quote = Some(c),
            (None, b'=') => has_value = true,
            (None, b' ' | b'\t' | b'\r' | b'/') => {}
            (None, _) => other = true,
        }
        at += 1;
    }
    if other && !has_value || closing && has_value {
        return None;
    }
    let mut len = at + 1;
    let name_lower = name.to_ascii_lowercase();
    if !closing && (name_lower == b"script" || name_lower == b"style") {
        // The element's content is code, not text: up to its end tag.
        let rest = &bytes[len..bytes.len().min(len + MAX_SCRIPT)];
        let end_tag = [b"</".as_slice(), &name_lower].concat();
        if let Some(end) = rest.windows(end_tag.len()).position(|w| w.eq_ignore_ascii_case(&end_tag))
            && let Some(close) = memchr::memchr(b'>', &rest[end..])
        {
            len += end + close + 1;
        }
    }
    let breaks_line = BLOCK_TAGS.iter().any(|t| t.as_bytes() == name_lower.as_slice());
    Some(HtmlTag { len, breaks_line })
}

fn clean_into(original: &str, b: &mut Builder) -> u32 {
    let bytes = original.as_bytes();
    let mut i = 0; // byte offset in original
    let mut ci: u32 = 0; // code point offset in original
    while i < bytes.len() {
        // Fast path: a run of ordinary ASCII. A space joins it unless it
        // would make two in a row (runs of white space collapse).
        let run_start = i;
        if !(bytes[i] == b' ' && b.text.ends_with(' ')) {
            i += plain_words(&bytes[i..], b.text.ends_with(' '));
            while i < bytes.len() && PLAIN_ASCII[bytes[i] as usize] {
                if bytes[i] == b' ' && i > run_start && bytes[i - 1] == b' ' {
                    break;
                }
                i += 1;
            }
        }
        if i > run_start {
            b.emit_ascii_run(&original[run_start..i], ci);
            ci += (i - run_start) as u32;
            continue;
        }
        let byte = bytes[i];
        match byte {
            b' ' => {
                if b.last_char() == Some(' ') {
                    b.extend_last(ci + 1);
                } else {
                    b.emit_char(' ', ci);
                }
                i += 1;
                ci += 1;
            }
            b'&' => {
                if let Some((len, decoded)) = decode_entity(&original[i..]) {
                    let orig_len = original[i..i + len].chars().count() as u32;
                    let next = next_char_after(original, i + len);
                    push_decoded(b, &decoded, ci, ci + orig_len, next);
                    i += len;
                    ci += orig_len;
                } else {
                    b.emit_char('&', ci);
                    i += 1;
                    ci += 1;
                }
            }
            b';' => {
                if let Some((name_len, entity)) = orphan_entity(b.text.as_str())
                    && let Some((_, decoded)) = decode_entity(&entity)
                {
                    let orig_start = b.pop_bytes(name_len);
                    let next = next_char_after(original, i + 1);
                    push_decoded(b, &decoded, orig_start, ci + 1, next);
                    i += 1;
                    ci += 1;
                    continue;
                }
                b.emit_char(';', ci);
                i += 1;
                ci += 1;
            }
            b'<' => match html_tag(&bytes[i..]) {
                Some(tag) => {
                    // A tag is markup, not text: it goes, and one that
                    // breaks a line in a browser leaves a line break (two
                    // at most in a row, none at the start).
                    let orig_len = original[i..i + tag.len].chars().count() as u32;
                    if tag.breaks_line && !b.text.is_empty() && !b.text.ends_with("\n\n") {
                        b.double_open = false;
                        b.emit("\n", ci, ci + orig_len);
                    }
                    i += tag.len;
                    ci += orig_len;
                }
                None => {
                    b.emit_char('<', ci);
                    i += 1;
                    ci += 1;
                }
            },
            b'\r' => {
                // `\r\n` becomes `\n`; a lone `\r` is a line break too.
                b.double_open = false;
                if bytes.get(i + 1) == Some(&b'\n') {
                    b.emit("\n", ci, ci + 2);
                    i += 2;
                    ci += 2;
                } else {
                    b.emit_char('\n', ci);
                    i += 1;
                    ci += 1;
                }
            }
            _ => {
                let c = original[i..].chars().next().expect("index is on a char boundary");
                let len = c.len_utf8();
                let next = next_char_after(original, i + len);
                push_normalized(b, c, ci, ci + 1, next);
                i += len;
                ci += 1;
            }
        }
    }
    ci
}

fn push_decoded(b: &mut Builder, decoded: &str, orig_start: u32, orig_end: u32, next: Option<char>) {
    let mut chars = decoded.chars().peekable();
    while let Some(c) = chars.next() {
        let after = chars.peek().copied().or(next);
        push_normalized(b, c, orig_start, orig_end, after);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(original: &str) -> CleanText {
        CleanText::new(original)
    }

    /// The original substring a cleaned span maps back to.
    fn back(original: &str, clean: &CleanText, cleaned_sub: &str) -> String {
        let start =
            clean.as_str().find(cleaned_sub).unwrap_or_else(|| panic!("{cleaned_sub:?} not in {:?}", clean.as_str()));
        let (s, e) = clean.original_span(start, start + cleaned_sub.len());
        original.chars().skip(s as usize).take((e - s) as usize).collect()
    }

    #[test]
    fn html_tags_go_and_block_tags_leave_line_breaks() {
        let original = "<p>The minister, <b>Ali Rabiei</b>, said: <a href=\"https://x.ir/?a=1&b=2\" \
                        title='say \"hi\"'>it was</a> cruel.</p><p>Next<br/>line</p>";
        let c = clean(original);
        assert_eq!(c.as_str(), "The minister, Ali Rabiei, said: it was cruel.\n\nNext\nline\n");
        assert_eq!(back(original, &c, "Ali Rabiei"), "Ali Rabiei");
        assert_eq!(back(original, &c, "it was"), "it was");
        assert_eq!(back(original, &c, "cruel."), "cruel.");
        // Comments, scripts and styles go whole; tags in any case.
        let original =
            "A<!-- x > y -->B<SCRIPT type=\"t\">if (a<b) { x = \"</p>\"; }</script>C<Style>p{}</STYLE>D<TD>E";
        assert_eq!(clean(original).as_str(), "ABCD\nE");
        // A custom element with attributes (as in some dumps' embedded tweets).
        assert_eq!(clean("<tweet id=\"67\" author=\"@x\">hi</tweet>.").as_str(), "hi.");
    }

    #[test]
    fn angle_brackets_in_prose_stay() {
        for text in [
            "3 < 4 and 5 > 4",
            "a <b and c> d",
            "x<y",
            "I <3 it",
            "<!DOCTYPE html>",
            "an unclosed <p and then",
            "<p\n>",
            "</a href=x>",
            "ends with <",
        ] {
            assert_eq!(clean(text).as_str(), text, "{text:?}");
        }
    }

    #[test]
    fn word_at_a_time_scan_agrees_with_the_byte_table() {
        let samples: &[&[u8]] = &[
            b"plain words and more plain words here ok",
            b"two  spaces later",
            b"ends with space ",
            b"has & in it here.",
            b"quote \" inside ...",
            b"tab\there and more",
            b"caf\xc3\xa9 au lait and so on",
            b"semi; colon and so on",
            b"a tag <p> inside it",
            b"        eight spaces",
        ];
        for bytes in samples {
            for after_space in [false, true] {
                let n = plain_words(bytes, after_space);
                assert_eq!(n % 8, 0);
                let mut prev = after_space;
                for &b in &bytes[..n] {
                    assert!(PLAIN_ASCII[b as usize] && !(prev && b == b' '), "{:?}", String::from_utf8_lossy(bytes));
                    prev = b == b' ';
                }
                // The next word, if whole, really holds something special.
                if n + 8 <= bytes.len() {
                    let mut prev = n > 0 && bytes[n - 1] == b' ' || (n == 0 && after_space);
                    let special = bytes[n..n + 8].iter().any(|&b| {
                        let bad = !PLAIN_ASCII[b as usize] || (prev && b == b' ');
                        prev = b == b' ';
                        bad
                    });
                    assert!(special, "{:?} at {n}", String::from_utf8_lossy(bytes));
                }
            }
        }
    }

    #[test]
    fn plain_text_is_identity() {
        let t = "Iran says it is ready.";
        let c = clean(t);
        assert_eq!(c.as_str(), t);
        assert_eq!(back(t, &c, "ready"), "ready");
        assert_eq!(c.original_chars(), 22);
    }

    #[test]
    fn non_ascii_offsets_are_code_points() {
        let t = "Café Müller met Ali — in Tehrân.";
        let c = clean(t);
        assert_eq!(back(t, &c, "Tehrân"), "Tehrân");
        assert_eq!(
            c.original_span(c.as_str().find("Tehrân").unwrap(), c.as_str().find("Tehrân").unwrap() + "Tehrân".len()),
            (25, 31)
        );
    }

    #[test]
    fn seed_broken_entity_becomes_closing_quote() {
        let t = "there is a \"provision for all prisoners,quot; to be discussed";
        let c = clean(t);
        assert_eq!(c.as_str(), "there is a “provision for all prisoners,” to be discussed");
        assert_eq!(back(t, &c, "“provision for all prisoners,”"), "\"provision for all prisoners,quot;");
        assert_eq!(back(t, &c, "”"), "quot;");
        assert_eq!(back(t, &c, "to be"), "to be");
    }

    #[test]
    fn named_numeric_and_double_escaped_entities() {
        let t = "He said &quot;yes&quot; &amp; &#8220;no&#8221; &amp;quot;maybe&amp;quot; AT&T R&D";
        let c = clean(t);
        assert_eq!(c.as_str(), "He said “yes” & “no” “maybe” AT&T R&D");
        assert_eq!(back(t, &c, "“yes”"), "&quot;yes&quot;");
        assert_eq!(back(t, &c, "“no”"), "&#8220;no&#8221;");
        assert_eq!(back(t, &c, "“maybe”"), "&amp;quot;maybe&amp;quot;");
        assert_eq!(back(t, &c, "AT&T"), "AT&T");
    }

    #[test]
    fn missing_semicolon_and_hex_entities() {
        let t = "&quotHello world&quot and Iran&#x2019;s &amplifier";
        let c = clean(t);
        assert_eq!(c.as_str(), "“Hello world” and Iran's &amplifier");
        assert_eq!(back(t, &c, "'"), "&#x2019;");
        assert_eq!(back(t, &c, "and"), "and");
        assert_eq!(back(t, &c, "&amplifier"), "&amplifier");
    }

    #[test]
    fn orphan_numeric_apostrophe() {
        let t = "it#39;s fine, he said #39;ok#39; #hashtag; activists#39; costs";
        let c = clean(t);
        assert_eq!(c.as_str(), "it's fine, he said ‘ok’ #hashtag; activists’ costs");
        assert_eq!(back(t, &c, "‘"), "#39;");
        assert_eq!(back(t, &c, "it's"), "it#39;s");
    }

    #[test]
    fn spaces_collapse_and_invisible_characters_go() {
        let t = "Ali\u{a0}\u{a0}Rabiei  said\u{200b} no\u{ad}thing\r\nNext";
        let c = clean(t);
        assert_eq!(c.as_str(), "Ali Rabiei said nothing\nNext");
        assert_eq!(back(t, &c, "Ali Rabiei"), "Ali\u{a0}\u{a0}Rabiei");
        assert_eq!(back(t, &c, "said"), "said");
        assert_eq!(back(t, &c, "nothing"), "no\u{ad}thing");
        assert_eq!(back(t, &c, "\nNext"), "\r\nNext");
    }

    /// Regression: the look-ahead after `&amp;` (for double escapes) once cut
    /// the text inside a multi-byte character and panicked.
    #[test]
    fn double_escape_look_ahead_stops_on_a_character_boundary() {
        for pad in 30..45 {
            let t = format!("&amp;{}日本 “x”", "a".repeat(pad));
            let c = clean(&t);
            assert!(c.as_str().starts_with('&'), "{pad}");
            assert_eq!(back(&t, &c, "日本"), "日本");
        }
    }

    #[test]
    fn ambiguous_double_quotes_follow_open_and_close_parity() {
        let t = "told reporters: \" We are grateful. \" Then\nhe said \" so \" again";
        let c = clean(t);
        assert_eq!(c.as_str(), "told reporters: “ We are grateful. ” Then\nhe said “ so ” again");
    }

    #[test]
    fn quotation_marks_become_canonical() {
        let t = "«Oui» „ja“ ‹non› \"yes,\" he said. 'Maybe,' she said. Iran's O'Malley didn’t ‘90s officials' view";
        let c = clean(t);
        assert_eq!(
            c.as_str(),
            "“Oui” “ja” ‘non’ “yes,” he said. ‘Maybe,’ she said. Iran's O'Malley didn't ‘90s officials’ view"
        );
        assert_eq!(back(t, &c, "“yes,”"), "\"yes,\"");
        assert_eq!(back(t, &c, "didn't"), "didn’t");
    }

    #[test]
    fn every_cleaned_span_maps_inside_the_original() {
        let t = "A&amp;B \u{200b}“x” &nbsp;&nbsp;y\r\n&#39;z&#39; ,quot; end";
        let c = clean(t);
        let n = t.chars().count() as u32;
        for s in 0..=c.as_str().len() {
            for e in s..=c.as_str().len() {
                if c.as_str().is_char_boundary(s) && c.as_str().is_char_boundary(e) {
                    let (os, oe) = c.original_span(s, e);
                    assert!(os <= oe && oe <= n, "{s}..{e} -> {os}..{oe}");
                }
            }
        }
        assert_eq!(c.original_span(c.as_str().len(), c.as_str().len()), (n, n));
    }

    /// The end of a span, searched from the span's first segment, is where a
    /// search of every segment puts it.
    #[test]
    fn span_ends_match_a_search_of_every_segment() {
        let text = "A&amp;B \u{200b}“x” &nbsp;&nbsp;y\r\n&#39;z&#39; ,quot; é日本 — ‘q’ end".repeat(3);
        let c = clean(&text);
        let search = |e: u32| {
            let seg = &c.segments[c.segments.partition_point(|s| s.clean < e) - 1];
            if seg.identity { seg.orig + (e - seg.clean) } else { seg.orig_end }
        };
        let len = c.as_str().len();
        for s in (0..len).filter(|&b| c.as_str().is_char_boundary(b)) {
            for e in (s + 1..=len).filter(|&b| c.as_str().is_char_boundary(b)) {
                assert_eq!(c.original_span(s, e).1, search(e as u32), "{s}..{e}");
            }
        }
    }

    /// Arbitrary mixes of entity fragments, quotes and invisible characters
    /// never panic, and the alignment stays monotonic and inside the original.
    #[test]
    fn arbitrary_text_keeps_the_alignment_monotonic() {
        const ALPHABET: &[&str] = &[
            "&", "quot", ";", "#39", "amp", "#", "x2019", "\u{a0}", "\u{200b}", "\r", "\n", "é", "\"", "'", "’", "a",
            " ", "&#8220;", ",", "日", "nbsp",
        ];
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..5000 {
            let mut text = String::new();
            for _ in 0..(state % 60) {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                text.push_str(ALPHABET[(state >> 33) as usize % ALPHABET.len()]);
            }
            let c = clean(&text);
            let n = text.chars().count() as u32;
            assert_eq!(c.original_chars(), n);
            let boundaries: Vec<usize> = (0..=c.as_str().len()).filter(|&b| c.as_str().is_char_boundary(b)).collect();
            let mut last = (0, 0);
            for &b in &boundaries {
                let (s, e) = (c.original_span(b, c.as_str().len()).0, c.original_span(0, b).1);
                assert!(s >= last.0 && e >= last.1 && s <= n && e <= n, "{text:?} at {b}");
                last = (s, e);
            }
        }
    }
}
