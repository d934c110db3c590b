//! One article's stage outputs → CSV rows of the per-article tables.
//!
//! Runs on the workers, so the writer thread only appends bytes. Every offset
//! written is a code point offset into the original `text` (end exclusive),
//! mapped through [`Document::original_span`]; text cells of mentions are the
//! original substring itself, so `text[start:end] == cell` holds in Python.

use crate::input::ArticleRecord;
use crate::output::aggregate::{ArticleFacts, thousandths};
use crate::stages::{Analysis, Span};
use crate::text::Document;

/// The rows of one batch, per table in [`super::PER_ARTICLE`] order, plus
/// what the writer needs for counts, progress and the run-wide folds.
#[derive(Debug, Default)]
pub struct BatchRows {
    pub seq: u64,
    /// The end of every table's rows after each block's last line in the
    /// batch, with the block's number (see [`crate::input::Batch::blocks`]).
    pub block_ends: Vec<(u64, [usize; 6])>,
    /// The batch's end line (see [`crate::input::Batch`]).
    pub end_line: u64,
    pub tables: [Vec<u8>; 6],
    pub articles: u64,
    pub rejects: u64,
    /// Bytes of input lines this batch covered (uncompressed).
    pub input_bytes: u64,
    pub facts: Vec<ArticleFacts>,
}

const ARTICLES: usize = 0;
const MENTIONS: usize = 1;
const ENTITIES: usize = 2;
const QUOTES: usize = 3;
const STANCE_EVIDENCE: usize = 4;
const REJECTS: usize = 5;

/// The end of every table's rows at one point, from [`RowWriter::mark`].
#[derive(Debug, Clone, Copy)]
pub struct RowMark([usize; 6]);

/// Formats rows into in-memory CSV buffers.
pub struct RowWriter {
    writers: [Csv; 6],
    /// [`OriginalText`]'s table, kept from article to article.
    char_starts: Vec<u32>,
}

/// An in-memory CSV table writing exactly the bytes of the `csv` crate's
/// default writer (which writes the headers and the run-wide tables): a field
/// is quoted when it holds a comma, a quotation mark, CR or LF, quotation
/// marks inside are doubled, and rows end in LF. The crate's general writer
/// was a tenth of the run's time on rows written by the million.
#[derive(Debug, Default)]
struct Csv {
    buf: Vec<u8>,
}

impl Csv {
    /// A whole row of text cells, through the cell writers below (the tests
    /// compare it with the `csv` crate).
    #[cfg(test)]
    fn row(&mut self, fields: &[&str]) {
        if let [""] = fields {
            // A row of one empty field would be a blank line.
            self.buf.extend_from_slice(b"\"\",");
        } else {
            for field in fields {
                self.text(field);
            }
        }
        self.end();
    }

    #[inline]
    fn field(&mut self, bytes: &[u8]) {
        write_field(&mut self.buf, bytes);
    }

    // Cell by cell, for the per-article tables: each cell is followed by a
    // comma and [`Csv::end`] turns the row's last comma into the line end.
    // Cells that cannot hold a comma, a quotation mark or a line break
    // (numbers, type names) skip the check.

    /// A text cell, quoted when it needs it.
    #[inline]
    fn text(&mut self, cell: &str) {
        self.field(cell.as_bytes());
        self.buf.push(b',');
    }

    /// A cell known to need no quotes: a type name, `true`, a gender.
    #[inline]
    fn plain(&mut self, cell: &str) {
        debug_assert!(!needs_quotes(cell.as_bytes()));
        self.buf.extend_from_slice(cell.as_bytes());
        self.buf.push(b',');
    }

    /// A cell written already, comma included ([`cell_bytes`]): a cell
    /// every row of an article repeats.
    #[inline]
    fn cell(&mut self, cell: &[u8]) {
        self.buf.extend_from_slice(cell);
    }

    /// A number cell.
    #[inline]
    fn number(&mut self, n: u64) {
        // Ids and counts are mostly one or two digits, offsets three to five:
        // those are written as arrays of a known length (a few stores, where
        // a slice of a digit buffer costs a call to copy it).
        let pair = |k: u64| {
            let at = k as usize * 2;
            [DIGIT_PAIRS[at], DIGIT_PAIRS[at + 1]]
        };
        match n {
            0..10 => self.buf.extend_from_slice(&[b'0' + n as u8, b',']),
            10..100 => {
                let [a, b] = pair(n);
                self.buf.extend_from_slice(&[a, b, b',']);
            }
            100..1000 => {
                let [b, c] = pair(n % 100);
                self.buf.extend_from_slice(&[b'0' + (n / 100) as u8, b, c, b',']);
            }
            1000..10_000 => {
                let ([a, b], [c, d]) = (pair(n / 100), pair(n % 100));
                self.buf.extend_from_slice(&[a, b, c, d, b',']);
            }
            10_000..100_000 => {
                let ([b, c], [d, e]) = (pair(n / 100 % 100), pair(n % 100));
                self.buf.extend_from_slice(&[b'0' + (n / 10_000) as u8, b, c, d, e, b',']);
            }
            _ => self.long_number(n),
        }
    }

    /// A number cell of six digits or more: two digits per division, from a
    /// table of the hundred pairs.
    fn long_number(&mut self, n: u64) {
        let mut digits = [b','; 21];
        let mut start = digits.len() - 1;
        let mut n = n;
        while n >= 100 {
            let pair = (n % 100) as usize * 2;
            n /= 100;
            start -= 2;
            digits[start..start + 2].copy_from_slice(&DIGIT_PAIRS[pair..pair + 2]);
        }
        if n >= 10 {
            start -= 2;
            digits[start..start + 2].copy_from_slice(&DIGIT_PAIRS[n as usize * 2..n as usize * 2 + 2]);
        } else {
            start -= 1;
            digits[start] = b'0' + n as u8;
        }
        self.buf.extend_from_slice(&digits[start..]);
    }

    /// A number cell, empty when there is none.
    #[inline]
    fn optional_number(&mut self, n: Option<u32>) {
        match n {
            Some(n) => self.number(n as u64),
            None => self.buf.push(b','),
        }
    }

    /// A −1–1 value with three decimals (see [`decimal`]).
    fn decimal(&mut self, value: f32) {
        if value.is_finite() {
            self.thousandths(thousandths(value));
        } else {
            self.plain(&decimal(value));
        }
    }

    /// A value in thousandths as
    /// [`format_thousandths`](super::aggregate::format_thousandths) writes it.
    fn thousandths(&mut self, value: i64) {
        if value < 0 {
            self.buf.push(b'-');
        }
        let abs = value.unsigned_abs();
        let mut digits = [b'0'; 3];
        let mut fraction = abs % 1000;
        for d in digits.iter_mut().rev() {
            *d = b'0' + (fraction % 10) as u8;
            fraction /= 10;
        }
        self.number(abs / 1000);
        // `number` ended the whole part with a comma: it becomes the point.
        *self.buf.last_mut().expect("just written") = b'.';
        self.buf.extend_from_slice(&digits);
        self.buf.push(b',');
    }

    /// Ends the row.
    #[inline]
    fn end(&mut self) {
        *self.buf.last_mut().expect("a row has cells") = b'\n';
    }
}

impl Default for RowWriter {
    fn default() -> Self {
        RowWriter::new()
    }
}

/// Maps code point offsets of the original text to byte offsets, for cutting
/// original substrings. Free for ASCII text; otherwise one pass over the text
/// fills a table of every code point's byte offset (a buffer the
/// [`RowWriter`] reuses from article to article), and each offset is a
/// look-up.
struct OriginalText<'a> {
    text: &'a str,
    /// Per code point, its byte offset, then the text's length; empty for
    /// ASCII text.
    char_starts: &'a [u32],
}

impl<'a> OriginalText<'a> {
    fn new(text: &'a str, char_starts: &'a mut Vec<u32>) -> OriginalText<'a> {
        if text.is_ascii() {
            return OriginalText { text, char_starts: &[] };
        }
        // The buffer only grows (zeroing it anew for every article cost more
        // than filling it): every slot up to the last code point's is written
        // below, so what an earlier article left is never read.
        if char_starts.len() < text.len() + 1 {
            char_starts.resize(text.len() + 1, 0);
        }
        // Every byte writes its offset into the slot of the next code point:
        // a UTF-8 lead byte claims the slot, the continuation bytes after it
        // write into the following slot, which the next lead byte
        // overwrites. No branch per byte.
        // Eight ASCII bytes (most of any text) are eight code points: their
        // slots are written together.
        let bytes = text.as_bytes();
        let (mut c, mut i) = (0, 0);
        while i < bytes.len() {
            if let Some(chunk) = bytes.get(i..i + 8)
                && u64::from_le_bytes(chunk.try_into().expect("8 bytes")) & 0x8080_8080_8080_8080 == 0
            {
                for (k, slot) in char_starts[c..c + 8].iter_mut().enumerate() {
                    *slot = (i + k) as u32;
                }
                (c, i) = (c + 8, i + 8);
                continue;
            }
            char_starts[c] = i as u32;
            c += usize::from(bytes[i] & 0xc0 != 0x80);
            i += 1;
        }
        char_starts[c] = text.len() as u32;
        OriginalText { text, char_starts: &char_starts[..c + 1] }
    }

    fn byte_of(&self, char_offset: u32) -> usize {
        if self.char_starts.is_empty() {
            return char_offset as usize;
        }
        self.char_starts.get(char_offset as usize).map_or(self.text.len(), |&b| b as usize)
    }

    fn slice(&self, start: u32, end: u32) -> &'a str {
        let from = self.byte_of(start);
        let to = self.byte_of(end);
        &self.text[from..to]
    }
}

/// "00" to "99", two bytes each.
static DIGIT_PAIRS: [u8; 200] = {
    let mut pairs = [0u8; 200];
    let mut n = 0;
    while n < 100 {
        pairs[2 * n] = b'0' + (n / 10) as u8;
        pairs[2 * n + 1] = b'0' + (n % 10) as u8;
        n += 1;
    }
    pairs
};

/// A CSV field's bytes, quoted when it needs it, onto `buf`.
#[inline]
fn write_field(buf: &mut Vec<u8>, bytes: &[u8]) {
    if !needs_quotes(bytes) {
        buf.extend_from_slice(bytes);
        return;
    }
    buf.push(b'"');
    // Cleaned text has curly quotation marks: most quoted fields are quoted
    // for a comma and hold no `"` to double, and are copied whole.
    let mut from = 0;
    for at in memchr::memchr_iter(b'"', bytes) {
        buf.extend_from_slice(&bytes[from..=at]);
        buf.push(b'"');
        from = at + 1;
    }
    buf.extend_from_slice(&bytes[from..]);
    buf.push(b'"');
}

/// A text cell as [`Csv::text`] writes it, comma included.
fn cell_bytes(cell: &str) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(cell.len() + 3);
    write_field(&mut bytes, cell.as_bytes());
    bytes.push(b',');
    bytes
}

/// Whether a CSV field holds a comma, a quotation mark, CR or LF. Short
/// fields (names, types, cue words) eight bytes at a time, each word compared
/// with the four by the zero-byte trick; longer ones (quotes, titles) with
/// `memchr`'s vector search, which covers 32 bytes in a few instructions.
#[inline]
fn needs_quotes(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let has = |word: u64, byte: u8| {
        let x = word ^ (ONES * byte as u64);
        x.wrapping_sub(ONES) & !x & HIGHS != 0
    };
    let special = |word: u64| has(word, b',') || has(word, b'"') || has(word, b'\n') || has(word, b'\r');
    if bytes.len() < 8 {
        return bytes.iter().any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r'));
    }
    if bytes.len() > 32 {
        return memchr::memchr3(b',', b'"', b'\n', bytes).is_some() || memchr::memchr(b'\r', bytes).is_some();
    }
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        if special(u64::from_le_bytes(chunk.try_into().expect("8 bytes"))) {
            return true;
        }
    }
    // The last bytes as one word ending at the field's end (it overlaps the
    // words already seen, which is harmless for a yes/no question).
    !chunks.remainder().is_empty() && special(u64::from_le_bytes(bytes[bytes.len() - 8..].try_into().expect("8 bytes")))
}

/// A number with three decimals, without a negative zero.
fn decimal(value: f32) -> String {
    let rounded = (value as f64 * 1000.0).round() / 1000.0;
    if rounded == 0.0 { "0.000".to_string() } else { format!("{rounded:.3}") }
}

impl RowWriter {
    pub fn new() -> RowWriter {
        RowWriter { writers: Default::default(), char_starts: Vec::new() }
    }

    /// A writer whose tables each have room for `bytes` bytes of rows
    /// before they grow: a batch's rows, in its largest tables, run to about
    /// its input's length, and growing a buffer from empty copies it over and
    /// over. Quotes repeat their text in full and often run past it: that
    /// table gets twice the room. (Room reserved and never written is never
    /// touched.)
    pub fn with_room(bytes: usize) -> RowWriter {
        RowWriter::reusing(bytes, None)
    }

    /// [`Self::with_room`], writing into `buffers` (emptied first) when
    /// given: the tables of a batch already written.
    pub fn reusing(bytes: usize, buffers: Option<[Vec<u8>; 6]>) -> RowWriter {
        let room = |table| if table == QUOTES { 2 * bytes } else { bytes };
        let mut buffers = buffers.unwrap_or_default();
        for (table, buf) in buffers.iter_mut().enumerate() {
            buf.clear();
            buf.reserve(room(table));
        }
        RowWriter { writers: buffers.map(|buf| Csv { buf }), char_starts: Vec::new() }
    }

    /// Writes every row of one article and returns its facts for the
    /// run-wide folds.
    pub fn article(&mut self, record: &ArticleRecord, doc: &Document, analysis: &Analysis) -> ArticleFacts {
        let original = OriginalText::new(&record.text, &mut self.char_starts);
        let id = record.id.as_str();
        // The id cell opens every row of the article: quoted (if it must
        // be) once.
        let id_cell = cell_bytes(id);
        let span = |s: Span| doc.original_span(s.start as usize, s.end as usize);
        let w = &mut self.writers;

        let articles = &mut w[ARTICLES];
        articles.cell(&id_cell);
        articles.text(&record.outlet);
        articles.text(&record.published);
        articles.text(&crate::text::clean_field(&record.title));
        articles.number(doc.original_chars() as u64);
        articles.number(doc.sentences().len() as u64);
        articles.number(analysis.entities.entities.len() as u64);
        articles.number(analysis.quotes.len() as u64);
        articles.end();

        // Original offsets of every mention, mapped once: the entities'
        // first mentions are among them.
        let mention_spans: Vec<(u32, u32)> = analysis.entities.mentions.iter().map(|m| span(m.span)).collect();
        let mentions = &mut w[MENTIONS];
        for (m, &(s, e)) in analysis.entities.mentions.iter().zip(&mention_spans) {
            mentions.cell(&id_cell);
            mentions.number(m.entity as u64);
            mentions.number(s as u64);
            mentions.number(e as u64);
            mentions.text(original.slice(s, e));
            mentions.plain(m.kind.as_str());
            mentions.end();
        }

        let entities = &mut w[ENTITIES];
        for entity in &analysis.entities.entities {
            let first = entity.mentions.first().map(|&i| mention_spans[i as usize]);
            entities.cell(&id_cell);
            entities.number(entity.id as u64);
            entities.text(&entity.name);
            entities.plain(entity.kind.as_str());
            entities.number(entity.mentions.len() as u64);
            entities.optional_number(first.map(|(s, _)| s));
            entities.optional_number(first.map(|(_, e)| e));
            entities.plain(entity.gender.as_str());
            entities.end();
        }

        let mut facts = ArticleFacts::new(id, &record.outlet);
        // Room for the facts the loops below push: at most a source per
        // quote; cells of about a dozen bytes (room to spare costs nothing,
        // growing step by step does).
        facts.reserve(
            analysis.quotes.len(),
            analysis.stance.len(),
            32 * analysis.quotes.len() + 64 * analysis.stance.len(),
        );
        let quotes = &mut w[QUOTES];
        for (qid, q) in analysis.quotes.iter().enumerate() {
            let (qs, qe) = span(q.content);
            quotes.cell(&id_cell);
            quotes.number(qid as u64);
            quotes.plain(q.kind.as_str());
            quotes.text(&doc.text()[q.content.start as usize..q.content.end as usize]);
            quotes.number(qs as u64);
            quotes.number(qe as u64);
            let cue = q.cue.map(span);
            quotes.text(cue.map_or("", |(s, e)| original.slice(s, e)));
            quotes.optional_number(cue.map(|(s, _)| s));
            quotes.optional_number(cue.map(|(_, e)| e));
            match &q.speaker {
                Some(sp) => {
                    let (s, e) = span(sp.mention);
                    let kind = sp.kind.map_or("", |k| k.as_str());
                    quotes.text(&sp.name);
                    quotes.number(s as u64);
                    quotes.number(e as u64);
                    quotes.plain(kind);
                    quotes.optional_number(sp.entity);
                    quotes.plain(sp.gender.as_str());
                    quotes.plain(if sp.anonymous { "true" } else { "false" });
                    // An unresolved pronoun names no source.
                    if !sp.name.is_empty() {
                        facts.push_source(&sp.name, kind, sp.gender, sp.anonymous);
                    }
                }
                None => {
                    for _ in 0..7 {
                        quotes.plain("");
                    }
                }
            }
            quotes.decimal(q.confidence);
            quotes.decimal(q.polarity);
            quotes.end();
        }

        let evidence = &mut w[STANCE_EVIDENCE];
        for ev in &analysis.stance {
            let source_span = ev.source.span.map(span);
            let target_span = ev.target.span.map(span);
            let target_type = ev.target.kind.map(|k| k.as_str()).unwrap_or("");
            let source_type = ev.source.kind.map(|k| k.as_str()).unwrap_or("");
            let polarity = thousandths(ev.polarity);
            evidence.cell(&id_cell);
            evidence.optional_number(ev.quote);
            evidence.text(&ev.source.name);
            evidence.plain(source_type);
            evidence.optional_number(source_span.map(|(s, _)| s));
            evidence.optional_number(source_span.map(|(_, e)| e));
            evidence.text(&ev.target.name);
            evidence.plain(target_type);
            evidence.optional_number(target_span.map(|(s, _)| s));
            evidence.optional_number(target_span.map(|(_, e)| e));
            evidence.thousandths(polarity);
            evidence.text(&ev.cue);
            evidence.end();
            facts.push_stance(&ev.source.name, source_type, &ev.target.name, target_type, polarity);
        }
        facts
    }

    /// Where every table's rows end now, for [`Self::rollback`].
    pub fn mark(&mut self) -> RowMark {
        RowMark(self.lengths())
    }

    /// The bytes of every table's rows so far.
    pub fn lengths(&self) -> [usize; 6] {
        self.writers.each_ref().map(|w| w.buf.len())
    }

    /// Drops every row written after `mark` (an article that failed half-way
    /// through its rows).
    pub fn rollback(&mut self, mark: RowMark) {
        for (writer, len) in self.writers.iter_mut().zip(mark.0) {
            writer.buf.truncate(len);
        }
    }

    /// Writes a rejects.csv row.
    pub fn reject(&mut self, file: &str, line: u64, reason: &str) {
        let rejects = &mut self.writers[REJECTS];
        rejects.text(file);
        rejects.number(line);
        rejects.text(reason);
        rejects.end();
    }

    /// The CSV bytes of every table, in [`super::PER_ARTICLE`] order.
    pub fn finish(self) -> [Vec<u8>; 6] {
        self.writers.map(|w| w.buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::entities::{Entities, Entity, Mention};
    use crate::stages::quotes::{Quote, QuoteKind, Speaker};
    use crate::stages::{EntityType, Gender};

    fn py_slice(text: &str, start: &str, end: &str) -> String {
        let (s, e): (usize, usize) = (start.parse().unwrap(), end.parse().unwrap());
        text.chars().skip(s).take(e - s).collect()
    }

    #[test]
    fn rows_carry_original_code_point_offsets() {
        let text = "Téhéran:\u{a0}&quot;No deal,&quot; said Ali Rabiei.";
        let record = ArticleRecord { id: "a1".into(), text: text.into(), outlet: "wire".into(), ..Default::default() };
        let doc = Document::new(text);
        let clean = doc.text();
        let find = |s: &str| {
            let at = clean.find(s).unwrap();
            Span::new(at, at + s.len())
        };
        let analysis = Analysis {
            entities: Entities {
                mentions: vec![Mention { entity: 0, span: find("Ali Rabiei"), kind: EntityType::Person }],
                entities: vec![Entity {
                    id: 0,
                    name: "Ali Rabiei".into(),
                    kind: EntityType::Person,
                    gender: Gender::Male,
                    mentions: vec![0],
                }],
                word_hashes: Vec::new(),
            },
            quotes: vec![Quote {
                kind: QuoteKind::Direct,
                content: find("“No deal,”"),
                cue: Some(find("said")),
                speaker: Some(Speaker {
                    mention: find("Ali Rabiei"),
                    name: "Ali Rabiei".into(),
                    kind: Some(EntityType::Person),
                    entity: Some(0),
                    gender: Gender::Male,
                    anonymous: false,
                }),
                confidence: 0.9,
                polarity: -0.0001,
            }],
            stance: vec![],
        };
        let mut w = RowWriter::new();
        let facts = w.article(&record, &doc, &analysis);
        assert_eq!(facts.source_count(), 1);
        let tables = w.finish();
        let mentions = String::from_utf8(tables[MENTIONS].clone()).unwrap();
        let cells: Vec<&str> = mentions.trim_end().split(',').collect();
        assert_eq!(cells[4], "Ali Rabiei");
        assert_eq!(py_slice(text, cells[2], cells[3]), "Ali Rabiei");
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(tables[QUOTES].as_slice());
        let quote = reader.records().next().unwrap().unwrap();
        assert_eq!(&quote[3], "“No deal,”");
        assert_eq!(py_slice(text, &quote[4], &quote[5]), "&quot;No deal,&quot;");
        assert_eq!(&quote[6], "said");
        assert_eq!(&quote[15], "false");
        assert_eq!(&quote[17], "0.000");
        let articles = String::from_utf8(tables[ARTICLES].clone()).unwrap();
        assert_eq!(articles, format!("a1,wire,,,{},1,1,1\n", text.chars().count()));
    }

    #[test]
    fn number_cells_and_original_slices() {
        let mut csv = Csv::default();
        for n in [0, 7, 10, 99, 100, 4_294_967_295, u64::MAX] {
            csv.number(n);
        }
        csv.optional_number(None);
        csv.optional_number(Some(12));
        csv.end();
        assert_eq!(String::from_utf8(csv.buf).unwrap(), format!("0,7,10,99,100,4294967295,{},,12\n", u64::MAX));
        let values = (0..20_000u64)
            .chain((0..64).map(|k| 1u64 << k))
            .chain((1..20).flat_map(|k| [10u64.pow(k) - 1, 10u64.pow(k)]));
        for n in values {
            let mut csv = Csv::default();
            csv.number(n);
            assert_eq!(csv.buf, format!("{n},").into_bytes(), "{n}");
        }
        assert_eq!(cell_bytes("a,b"), b"\"a,b\",");
        assert_eq!(cell_bytes("id-1"), b"id-1,");
        let mut table = Vec::new();
        for text in [
            "Ä “b” ⅲ cd é",
            "plain ascii text",
            "日本語𝄞x",
            "eight ascii bytes, then “quotes”, then 12345678 and é at 8k: abcdefgé",
            "abcdefghé",
        ] {
            let original = OriginalText::new(text, &mut table);
            let chars: Vec<char> = text.chars().collect();
            for s in 0..=chars.len() {
                for e in s..=chars.len() {
                    let expected: String = chars[s..e].iter().collect();
                    assert_eq!(original.slice(s as u32, e as u32), expected, "{s}..{e}");
                }
            }
        }
        // Past the end of a non-ASCII text: the end, as the cursor gave.
        let original = OriginalText::new("é", &mut table);
        assert_eq!(original.slice(0, 5), "é");
    }

    /// An article that fails half-way through its rows leaves none behind
    /// (the pipeline rolls back to the mark taken before it).
    #[test]
    fn rollback_drops_the_rows_after_the_mark() {
        let mut w = RowWriter::new();
        w.reject("f", 1, "first");
        let mark = w.mark();
        w.reject("f", 2, "second");
        w.writers[MENTIONS].row(&["half", "written"]);
        w.rollback(mark);
        w.reject("f", 3, "third");
        let tables = w.finish();
        assert_eq!(String::from_utf8(tables[REJECTS].clone()).unwrap(), "f,1,first\nf,3,third\n");
        assert!(tables[MENTIONS].is_empty());
    }

    #[test]
    fn csv_rows_are_the_csv_crates_bytes() {
        let cells = [
            "",
            "plain",
            "a,b",
            "say \"no\"",
            "\"",
            "line\nbreak",
            "cr\rhere",
            "“curly”",
            "Téhéran",
            ",",
            "\"\"",
            " lead",
            "trail ",
            "x\r\n",
            "#hash",
            "'single'",
            "\"a long field\", with \"\"doubled\"\" marks, past thirty-two bytes\"",
            "a long field with a line break at its very end, past 32 bytes\n",
        ];
        let mut rows: Vec<Vec<&str>> = vec![vec![""], vec!["", ""], vec!["only"]];
        for (i, a) in cells.iter().enumerate() {
            rows.push(vec![a, cells[(i * 7 + 3) % cells.len()], cells[(i * 5 + 1) % cells.len()]]);
        }
        let mut ours = Csv::default();
        let mut theirs = csv::WriterBuilder::new().has_headers(false).flexible(true).from_writer(Vec::new());
        for row in &rows {
            ours.row(row);
            theirs.write_record(row).unwrap();
        }
        assert_eq!(String::from_utf8(ours.buf).unwrap(), String::from_utf8(theirs.into_inner().unwrap()).unwrap());
        for (i, special) in [b',', b'"', b'\n', b'\r'].into_iter().enumerate() {
            // Past 32 bytes the search is `memchr`'s.
            for len in 1..=70 {
                for at in 0..len {
                    let mut field = vec![b'a' + i as u8; len];
                    assert!(!needs_quotes(&field));
                    field[at] = special;
                    assert!(needs_quotes(&field), "{special} at {at} of {len}");
                    // Bytes one off the specials are not special.
                    field[at] = special + 1;
                    assert!(!needs_quotes(&field));
                }
            }
        }
    }

    #[test]
    fn decimals() {
        assert_eq!(decimal(0.5), "0.500");
        assert_eq!(decimal(-0.0), "0.000");
        assert_eq!(decimal(-0.25), "-0.250");
        assert_eq!(decimal(1.0), "1.000");
        // The cell writer gives the same text as `decimal` and as the
        // thousandths of stance_evidence.csv.
        let mut state = 7u32;
        let mut values = vec![0.0, -0.0, 0.0005, -0.0005, 0.0015, -0.9995, 1.0, -1.0, 0.05, -0.0504, f32::NAN];
        for _ in 0..20_000 {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            values.push((state >> 8) as f32 / (1 << 23) as f32 * 2.2 - 1.1);
        }
        for v in values {
            let mut csv = Csv::default();
            csv.decimal(v);
            csv.thousandths(thousandths(v));
            csv.end();
            let expected = format!("{},{}\n", decimal(v), decimal(v));
            if v.is_finite() {
                assert_eq!(String::from_utf8(csv.buf).unwrap(), expected, "{v}");
                assert_eq!(crate::output::aggregate::format_thousandths(thousandths(v)), decimal(v));
            } else {
                assert!(String::from_utf8(csv.buf).unwrap().starts_with("NaN,"));
            }
        }
    }
}
