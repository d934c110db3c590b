//! One article's stage outputs → CSV rows of the per-article tables.
//!
//! Runs on the workers, so the writer thread only appends bytes. Every offset
//! written is a code point offset into the original `text` (end exclusive),
//! mapped through [`Document::original_span`]; text cells of mentions are the
//! original substring itself, so `text[start:end] == cell` holds in Python.

use crate::input::ArticleRecord;
use crate::output::aggregate::{ArticleFacts, SourceFact, StanceFact, format_thousandths, thousandths};
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
    writers: [csv::Writer<Vec<u8>>; 6],
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

/// The decimal digits of a number, formatted on the stack (rows are written
/// by the million; a `String` per number would be most of the cost).
struct Digits {
    buf: [u8; 10],
    start: usize,
}

impl Digits {
    fn new(mut n: u32) -> Digits {
        let mut buf = [0u8; 10];
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
}

/// A number with three decimals, without a negative zero.
fn decimal(value: f32) -> String {
    let rounded = (value as f64 * 1000.0).round() / 1000.0;
    if rounded == 0.0 { "0.000".to_string() } else { format!("{rounded:.3}") }
}

impl RowWriter {
    pub fn new() -> RowWriter {
        let writer = || csv::WriterBuilder::new().has_headers(false).from_writer(Vec::with_capacity(4096));
        RowWriter { writers: [writer(), writer(), writer(), writer(), writer(), writer()] }
    }

    /// Writes every row of one article and returns its facts for the
    /// run-wide folds.
    pub fn article(&mut self, record: &ArticleRecord, doc: &Document, analysis: &Analysis) -> ArticleFacts {
        let original = OriginalText::new(&record.text);
        let id = record.id.as_str();
        let span = |s: Span| doc.original_span(s.start as usize, s.end as usize);
        let num = |n: u32| n.to_string();
        let w = &mut self.writers;
        let row = |w: &mut csv::Writer<Vec<u8>>, fields: &[&str]| w.write_record(fields).expect("writing to memory");

        row(
            &mut w[ARTICLES],
            &[
                id,
                &record.outlet,
                &record.published,
                &crate::text::clean_field(&record.title),
                &num(doc.original_chars()),
                &doc.sentences().len().to_string(),
                &analysis.entities.entities.len().to_string(),
                &analysis.quotes.len().to_string(),
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
            let (fs, fe) = first.map(|(s, e)| (num(s), num(e))).unwrap_or_default();
            row(
                &mut w[ENTITIES],
                &[
                    id,
                    &num(entity.id),
                    &entity.name,
                    entity.kind.as_str(),
                    &entity.mentions.len().to_string(),
                    &fs,
                    &fe,
                    entity.gender.as_str(),
                ],
            );
        }

        let mut facts = ArticleFacts { id: id.to_string(), outlet: record.outlet.clone(), ..ArticleFacts::default() };
        for (qid, q) in analysis.quotes.iter().enumerate() {
            let (qs, qe) = span(q.content);
            let quote_text = &doc.text()[q.content.start as usize..q.content.end as usize];
            let (cue, cs, ce) = match q.cue {
                Some(c) => {
                    let (s, e) = span(c);
                    (original.slice(s, e), num(s), num(e))
                }
                None => ("", String::new(), String::new()),
            };
            let mut speaker_cells: [String; 7] = Default::default();
            if let Some(sp) = &q.speaker {
                let (ss, se) = span(sp.mention);
                speaker_cells = [
                    sp.name.clone(),
                    num(ss),
                    num(se),
                    sp.kind.map(|k| k.as_str().to_string()).unwrap_or_default(),
                    sp.entity.map(num).unwrap_or_default(),
                    sp.gender.as_str().to_string(),
                    sp.anonymous.to_string(),
                ];
                // An unresolved pronoun names no source.
                if !sp.name.is_empty() {
                    facts.sources.push(SourceFact {
                        name: sp.name.clone(),
                        kind: speaker_cells[3].clone(),
                        gender: sp.gender,
                        anonymous: sp.anonymous,
                    });
                }
            }
            let [name, ss, se, stype, sid, sgender, anonymous] = &speaker_cells;
            row(
                &mut w[QUOTES],
                &[
                    id,
                    &qid.to_string(),
                    q.kind.as_str(),
                    quote_text,
                    &num(qs),
                    &num(qe),
                    cue,
                    &cs,
                    &ce,
                    name,
                    ss,
                    se,
                    stype,
                    sid,
                    sgender,
                    anonymous,
                    &decimal(q.confidence),
                    &decimal(q.polarity),
                ],
            );
        }

        for ev in &analysis.stance {
            let cells = |s: Option<Span>| s.map(span).map(|(a, b)| (num(a), num(b))).unwrap_or_default();
            let (ss, se) = cells(ev.source.span);
            let (ts, te) = cells(ev.target.span);
            let target_type = ev.target.kind.map(|k| k.as_str()).unwrap_or("");
            let source_type = ev.source.kind.map(|k| k.as_str()).unwrap_or("");
            let polarity = thousandths(ev.polarity);
            row(
                &mut w[STANCE_EVIDENCE],
                &[
                    id,
                    &ev.quote.map(num).unwrap_or_default(),
                    &ev.source.name,
                    source_type,
                    &ss,
                    &se,
                    &ev.target.name,
                    target_type,
                    &ts,
                    &te,
                    &format_thousandths(polarity),
                    &ev.cue,
                ],
            );
            facts.stance.push(StanceFact {
                source: ev.source.name.clone(),
                source_type: source_type.to_string(),
                target: ev.target.name.clone(),
                target_type: target_type.to_string(),
                polarity,
            });
        }
        facts
    }

    /// Where every table's rows end now, for [`Self::rollback`].
    pub fn mark(&mut self) -> RowMark {
        RowMark(self.writers.each_mut().map(|w| {
            w.flush().expect("writing to memory");
            w.get_ref().len()
        }))
    }

    /// Drops every row written after `mark` (an article that failed half-way
    /// through its rows). Rare, so rebuilding the writers is fine.
    pub fn rollback(&mut self, mark: RowMark) {
        for (writer, len) in self.writers.iter_mut().zip(mark.0) {
            let fresh = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
            let mut bytes = std::mem::replace(writer, fresh).into_inner().expect("writing to memory");
            bytes.truncate(len);
            *writer = csv::WriterBuilder::new().has_headers(false).from_writer(bytes);
        }
    }

    /// Writes a rejects.csv row.
    pub fn reject(&mut self, file: &str, line: u64, reason: &str) {
        self.writers[REJECTS].write_record([file, &line.to_string(), reason]).expect("writing to memory");
    }

    /// The CSV bytes of every table, in [`super::PER_ARTICLE`] order.
    pub fn finish(self) -> [Vec<u8>; 6] {
        self.writers.map(|w| w.into_inner().expect("writing to memory"))
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
        assert_eq!(facts.sources.len(), 1);
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
        w.writers[MENTIONS].write_record(["half", "written"]).unwrap();
        w.rollback(mark);
        w.reject("f", 3, "third");
        let tables = w.finish();
        assert_eq!(String::from_utf8(tables[REJECTS].clone()).unwrap(), "f,1,first\nf,3,third\n");
        assert!(tables[MENTIONS].is_empty());
    }

    #[test]
    fn decimals() {
        assert_eq!(decimal(0.5), "0.500");
        assert_eq!(decimal(-0.0), "0.000");
        assert_eq!(decimal(-0.25), "-0.250");
        assert_eq!(decimal(1.0), "1.000");
    }
}
