//! One article's stage outputs → CSV rows of the per-article tables.
//!
//! Runs on the workers, so the writer thread only appends bytes. Every offset
//! written is a code point offset into the original `text` (end exclusive),
//! mapped through [`Document::original_span`]; text cells of mentions are the
//! original substring itself, so `text[start:end] == cell` holds in Python.

use crate::input::ArticleRecord;
use crate::output::aggregate::{ArticleFacts, format_thousandths, thousandths};
use crate::stages::{Analysis, Span};
use crate::text::Document;

/// The rows of one batch, per table in [`super::PER_ARTICLE`] order, plus
/// what the writer needs for counts, progress and the run-wide folds.
#[derive(Debug, Default)]
pub struct BatchRows {
    pub seq: u64,
    /// The batch's block and end line (see [`crate::input::Batch`]).
    pub block: u64,
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
    fn row(&mut self, fields: &[&str]) {
        for (i, field) in fields.iter().enumerate() {
            if i > 0 {
                self.buf.push(b',');
            }
            self.field(field.as_bytes());
        }
        if fields.len() == 1 && fields[0].is_empty() {
            // A row of one empty field would be a blank line.
            self.buf.extend_from_slice(b"\"\"");
        }
        self.buf.push(b'\n');
    }

    #[inline]
    fn field(&mut self, bytes: &[u8]) {
        if !needs_quotes(bytes) {
            self.buf.extend_from_slice(bytes);
            return;
        }
        self.buf.push(b'"');
        for part in bytes.split_inclusive(|&b| b == b'"') {
            self.buf.extend_from_slice(part);
            if part.ends_with(b"\"") {
                self.buf.push(b'"');
            }
        }
        self.buf.push(b'"');
    }
}

impl Default for RowWriter {
    fn default() -> Self {
        RowWriter::new()
    }
}

/// Maps code point offsets of the original text to byte offsets, for cutting
/// original substrings. Free for ASCII text; otherwise a cursor walks forward
/// from the last position asked for (rows come mostly in text order), so an
/// article costs about one pass over its text and no allocation.
struct OriginalText<'a> {
    text: &'a str,
    ascii: std::cell::OnceCell<bool>,
    /// (code point offset, byte offset) of the last position asked for.
    cursor: std::cell::Cell<(u32, usize)>,
}

impl<'a> OriginalText<'a> {
    fn new(text: &'a str) -> OriginalText<'a> {
        OriginalText { text, ascii: std::cell::OnceCell::new(), cursor: std::cell::Cell::new((0, 0)) }
    }

    fn byte_of(&self, char_offset: u32) -> usize {
        if *self.ascii.get_or_init(|| self.text.is_ascii()) {
            return char_offset as usize;
        }
        let (mut c, mut b) = self.cursor.get();
        let bytes = self.text.as_bytes();
        if char_offset < c {
            if char_offset < c / 2 {
                (c, b) = (0, 0);
            } else {
                // Step back over whole characters (UTF-8 continuation bytes
                // are 0b10xx_xxxx).
                while c > char_offset {
                    b -= 1;
                    while bytes[b] & 0xc0 == 0x80 {
                        b -= 1;
                    }
                    c -= 1;
                }
            }
        }
        while c < char_offset && b < bytes.len() {
            b += match bytes[b] {
                0x00..=0x7f => 1,
                0xc0..=0xdf => 2,
                0xe0..=0xef => 3,
                _ => 4,
            };
            c += 1;
        }
        self.cursor.set((c, b));
        b
    }

    fn slice(&self, start: u32, end: u32) -> &'a str {
        let from = self.byte_of(start);
        let to = self.byte_of(end);
        &self.text[from..to]
    }
}

/// Whether a CSV field holds a comma, a quotation mark, CR or LF: eight bytes
/// at a time, each compared with the four by the zero-byte trick.
#[inline]
fn needs_quotes(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let has = |word: u64, byte: u8| {
        let x = word ^ (ONES * byte as u64);
        x.wrapping_sub(ONES) & !x & HIGHS != 0
    };
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        if has(word, b',') || has(word, b'"') || has(word, b'\n') || has(word, b'\r') {
            return true;
        }
    }
    chunks.remainder().iter().any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
}

/// The decimal digits of a number, formatted on the stack (rows are written
/// by the million; a `String` per number would be most of the cost).
struct Digits {
    buf: [u8; 20],
    start: usize,
}

impl Digits {
    fn new(n: u32) -> Digits {
        Digits::new_u64(n as u64)
    }

    fn new_u64(mut n: u64) -> Digits {
        let mut buf = [0u8; 20];
        let mut start = buf.len();
        loop {
            start -= 1;
            buf[start] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        Digits { buf, start }
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf[self.start..]).expect("ASCII digits")
    }

    /// The cell of an optional number: empty when absent.
    fn cell(n: &Option<Digits>) -> &str {
        n.as_ref().map_or("", Digits::as_str)
    }
}

/// A number with three decimals, without a negative zero.
fn decimal(value: f32) -> String {
    let rounded = (value as f64 * 1000.0).round() / 1000.0;
    if rounded == 0.0 { "0.000".to_string() } else { format!("{rounded:.3}") }
}

impl RowWriter {
    pub fn new() -> RowWriter {
        RowWriter { writers: Default::default() }
    }

    /// Writes every row of one article and returns its facts for the
    /// run-wide folds.
    pub fn article(&mut self, record: &ArticleRecord, doc: &Document, analysis: &Analysis) -> ArticleFacts {
        let original = OriginalText::new(&record.text);
        let id = record.id.as_str();
        let span = |s: Span| doc.original_span(s.start as usize, s.end as usize);
        let num = Digits::new;
        let w = &mut self.writers;
        let row = |w: &mut Csv, fields: &[&str]| w.row(fields);

        row(
            &mut w[ARTICLES],
            &[
                id,
                &record.outlet,
                &record.published,
                &crate::text::clean_field(&record.title),
                num(doc.original_chars()).as_str(),
                num(doc.sentences().len() as u32).as_str(),
                num(analysis.entities.entities.len() as u32).as_str(),
                num(analysis.quotes.len() as u32).as_str(),
            ],
        );

        for m in &analysis.entities.mentions {
            let (s, e) = span(m.span);
            let (entity, start, end) = (Digits::new(m.entity), Digits::new(s), Digits::new(e));
            row(
                &mut w[MENTIONS],
                &[id, entity.as_str(), start.as_str(), end.as_str(), original.slice(s, e), m.kind.as_str()],
            );
        }

        for entity in &analysis.entities.entities {
            let first = entity.mentions.first().map(|&i| span(analysis.entities.mentions[i as usize].span));
            let (fs, fe) = (first.map(|(s, _)| num(s)), first.map(|(_, e)| num(e)));
            row(
                &mut w[ENTITIES],
                &[
                    id,
                    num(entity.id).as_str(),
                    &entity.name,
                    entity.kind.as_str(),
                    num(entity.mentions.len() as u32).as_str(),
                    Digits::cell(&fs),
                    Digits::cell(&fe),
                    entity.gender.as_str(),
                ],
            );
        }

        let mut facts = ArticleFacts::new(id, &record.outlet);
        for (qid, q) in analysis.quotes.iter().enumerate() {
            let (qs, qe) = span(q.content);
            let quote_text = &doc.text()[q.content.start as usize..q.content.end as usize];
            let (cue, cs, ce) = match q.cue {
                Some(c) => {
                    let (s, e) = span(c);
                    (original.slice(s, e), Some(num(s)), Some(num(e)))
                }
                None => ("", None, None),
            };
            let (mut name, mut ss, mut se, mut stype, mut sid, mut sgender, mut anonymous) =
                ("", None, None, "", None, "", "");
            if let Some(sp) = &q.speaker {
                let (s, e) = span(sp.mention);
                name = &sp.name;
                (ss, se) = (Some(num(s)), Some(num(e)));
                stype = sp.kind.map_or("", |k| k.as_str());
                sid = sp.entity.map(num);
                sgender = sp.gender.as_str();
                anonymous = if sp.anonymous { "true" } else { "false" };
                // An unresolved pronoun names no source.
                if !sp.name.is_empty() {
                    facts.push_source(&sp.name, stype, sp.gender, sp.anonymous);
                }
            }
            row(
                &mut w[QUOTES],
                &[
                    id,
                    num(qid as u32).as_str(),
                    q.kind.as_str(),
                    quote_text,
                    num(qs).as_str(),
                    num(qe).as_str(),
                    cue,
                    Digits::cell(&cs),
                    Digits::cell(&ce),
                    name,
                    Digits::cell(&ss),
                    Digits::cell(&se),
                    stype,
                    Digits::cell(&sid),
                    sgender,
                    anonymous,
                    &decimal(q.confidence),
                    &decimal(q.polarity),
                ],
            );
        }

        for ev in &analysis.stance {
            let cells = |s: Option<Span>| {
                let offsets = s.map(span);
                (offsets.map(|(a, _)| num(a)), offsets.map(|(_, b)| num(b)))
            };
            let (ss, se) = cells(ev.source.span);
            let (ts, te) = cells(ev.target.span);
            let target_type = ev.target.kind.map(|k| k.as_str()).unwrap_or("");
            let source_type = ev.source.kind.map(|k| k.as_str()).unwrap_or("");
            let polarity = thousandths(ev.polarity);
            row(
                &mut w[STANCE_EVIDENCE],
                &[
                    id,
                    Digits::cell(&ev.quote.map(num)),
                    &ev.source.name,
                    source_type,
                    Digits::cell(&ss),
                    Digits::cell(&se),
                    &ev.target.name,
                    target_type,
                    Digits::cell(&ts),
                    Digits::cell(&te),
                    &format_thousandths(polarity),
                    &ev.cue,
                ],
            );
            facts.push_stance(&ev.source.name, source_type, &ev.target.name, target_type, polarity);
        }
        facts
    }

    /// Where every table's rows end now, for [`Self::rollback`].
    pub fn mark(&mut self) -> RowMark {
        RowMark(self.writers.each_ref().map(|w| w.buf.len()))
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
        self.writers[REJECTS].row(&[file, Digits::new_u64(line).as_str(), reason]);
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
    fn digits_and_original_slices() {
        for n in [0, 7, 10, 4_294_967_295] {
            assert_eq!(Digits::new(n).as_str(), n.to_string());
        }
        assert_eq!(Digits::new_u64(u64::MAX).as_str(), u64::MAX.to_string());
        let text = "Ä “b” ⅲ cd é";
        let original = OriginalText::new(text);
        let chars: Vec<char> = text.chars().collect();
        for (s, e) in [(0, 1), (2, 5), (6, 7), (1, 11), (8, 10), (0, 0), (11, 12)] {
            let expected: String = chars[s..e].iter().collect();
            assert_eq!(original.slice(s as u32, e as u32), expected, "{s}..{e}");
        }
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
            for at in 0..20 {
                let mut field = vec![b'a' + i as u8; 20];
                assert!(!needs_quotes(&field));
                field[at] = special;
                assert!(needs_quotes(&field), "{special} at {at}");
                // Bytes one off the specials are not special.
                field[at] = special + 1;
                assert!(!needs_quotes(&field));
            }
        }
    }

    #[test]
    fn decimals() {
        assert_eq!(decimal(0.5), "0.500");
        assert_eq!(decimal(-0.0), "0.000");
        assert_eq!(decimal(-0.25), "-0.250");
        assert_eq!(decimal(1.0), "1.000");
    }
}
