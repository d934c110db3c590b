//! Shared by the fuzz test (`tests/fuzz.rs`, proptest, a few cases in every
//! `cargo test`) and the long fuzz loop (`examples/fuzz.rs`): inputs that
//! stress the article pipeline, and the invariants its rows must keep
//! whatever the input.

use wirescan::Config;
use wirescan::input::{Batch, LineSlot};
use wirescan::output::BatchRows;
use wirescan::pipeline::process_batch;
use wirescan::stages::Stages;

/// Fragments that the text layer and the stages treat specially: quotation
/// marks of every kind, entities (whole, double-escaped, orphaned),
/// abbreviations, cue verbs, names, invisible and multi-byte characters.
pub const PIECES: &[&str] = &[
    "a",
    "Mr. ",
    "U.S. ",
    " ",
    "\n",
    "\n\n",
    "\r\n",
    ".",
    "?",
    "!",
    ",",
    ":",
    ";",
    "&quot;",
    ",quot;",
    "&amp;",
    "&amp;quot;",
    "#39;",
    "&#8220;",
    "&#x201d;",
    "&nbsp;",
    "&",
    "<",
    ">",
    "<p>",
    "</p>",
    "<br/>",
    "<b>",
    "</b>",
    "<a href=\"",
    "=",
    "<!--",
    "-->",
    "<script>",
    "</script>",
    "\"",
    "'",
    "“",
    "”",
    "‘",
    "’",
    "«",
    "»",
    "„",
    "é",
    "日本",
    "\u{a0}",
    "\u{200b}",
    "\u{ad}",
    "\u{feff}",
    "—",
    "said",
    " said ",
    "says",
    "told",
    "according to",
    "criticised",
    "praised",
    "blamed",
    "by",
    "he",
    "she",
    "they",
    "The ",
    "Iran's",
    "O'Malley",
    "Donald Trump",
    "Trump",
    "Ali Rabiei",
    "the spokesman",
    "a senior official",
    "Washington",
    "China",
    "United Nations",
    "(",
    ")",
    "not",
    "very",
    "good",
    "bad",
    "but",
    "Dr.",
    "Sept. 11",
    "A.",
    "\t",
    "\u{2028}",
    "🙂",
    "\u{301}",
];

/// Runs `lines` as one batch of input file "fuzz" through every stage.
pub fn run_batch(lines: &[Vec<u8>], stages: &Stages, config: &Config) -> BatchRows {
    let mut data = Vec::new();
    let mut slots = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let start = data.len() as u32;
        data.extend_from_slice(line);
        slots.push(LineSlot::Data { number: i as u64 + 1, start, end: data.len() as u32 });
    }
    let batch = Batch { seq: 0, blocks: vec![(0, 0)], end_line: 0, input: 0, name: "fuzz".into(), data, lines: slots };
    process_batch(&batch, stages, config)
}

/// The `text` of a line when it is an object with a unique string `id` and a
/// string `text`: then the rows of that article can be checked against it.
fn known_texts(lines: &[Vec<u8>]) -> std::collections::HashMap<String, Option<String>> {
    let mut texts = std::collections::HashMap::new();
    for line in lines {
        let Ok(s) = std::str::from_utf8(line) else { continue };
        let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(s) else { continue };
        let Some(serde_json::Value::String(id)) = map.get("id") else { continue };
        // With a key given twice, wirescan takes the first and serde_json's
        // map the last: do not check such an id rather than guess.
        let Some(serde_json::Value::String(text)) =
            map.get("text").filter(|_| s.matches("\"id\"").count() == 1 && s.matches("\"text\"").count() == 1)
        else {
            texts.insert(id.clone(), None);
            continue;
        };
        // An id seen twice cannot tell its rows apart: check neither.
        texts.entry(id.clone()).and_modify(|t| *t = None).or_insert_with(|| Some(text.clone()));
    }
    texts
}

fn char_slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end.saturating_sub(start)).collect()
}

/// Checks what must hold for any input: every line is an article or a
/// reject, no stage failed ("internal error"), every table is well-formed CSV
/// with its contract's column count, and offsets are code point offsets into
/// the original text (a mention's cell is the original substring).
pub fn check(lines: &[Vec<u8>], rows: &BatchRows) -> Result<(), String> {
    if rows.articles + rows.rejects != lines.len() as u64 {
        return Err(format!("{} lines but {} articles + {} rejects", lines.len(), rows.articles, rows.rejects));
    }
    let texts = known_texts(lines);
    let columns = wirescan::output::PER_ARTICLE.map(|t| t.columns().len());
    let mut parsed = Vec::new();
    for (i, bytes) in rows.tables.iter().enumerate() {
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(bytes.as_slice());
        let mut records = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| format!("table {i}: invalid CSV: {e}"))?;
            if record.len() != columns[i] {
                return Err(format!("table {i}: {} cells, expected {}: {record:?}", record.len(), columns[i]));
            }
            records.push(record);
        }
        parsed.push(records);
    }
    if parsed[0].len() as u64 != rows.articles || parsed[5].len() as u64 != rows.rejects {
        return Err("row counts differ from the batch's counts".into());
    }
    for reject in &parsed[5] {
        if reject[2].contains("internal error") {
            return Err(format!("a stage failed: line {}: {}", &reject[1], &reject[2]));
        }
    }
    let text_of = |id: &str| texts.get(id).and_then(|t| t.as_deref());
    let offsets = |id: &str, start: &str, end: &str, what: &str| -> Result<(), String> {
        if start.is_empty() && end.is_empty() {
            return Ok(());
        }
        let (s, e): (usize, usize) = match (start.parse(), end.parse()) {
            (Ok(s), Ok(e)) => (s, e),
            _ => return Err(format!("{what} of {id}: offsets {start:?}..{end:?} are not numbers")),
        };
        if s > e {
            return Err(format!("{what} of {id}: start {s} after end {e}"));
        }
        if let Some(text) = text_of(id)
            && e > text.chars().count()
        {
            return Err(format!("{what} of {id}: end {e} beyond the text's {} code points", text.chars().count()));
        }
        Ok(())
    };
    for article in &parsed[0] {
        if let Some(text) = text_of(&article[0])
            && article[4] != *text.chars().count().to_string()
        {
            return Err(format!("article {}: chars {} but the text has {}", &article[0], &article[4], text.len()));
        }
    }
    for m in &parsed[1] {
        offsets(&m[0], &m[2], &m[3], "mention")?;
        if let Some(text) = text_of(&m[0]) {
            let slice = char_slice(text, m[2].parse().unwrap(), m[3].parse().unwrap());
            if slice != m[4] {
                return Err(format!(
                    "mention of {}: cell {:?} but text[{}:{}] is {slice:?}",
                    &m[0], &m[4], &m[2], &m[3]
                ));
            }
        }
    }
    for e in &parsed[2] {
        offsets(&e[0], &e[5], &e[6], "entity")?;
    }
    for q in &parsed[3] {
        offsets(&q[0], &q[4], &q[5], "quote")?;
        offsets(&q[0], &q[7], &q[8], "cue")?;
        offsets(&q[0], &q[10], &q[11], "speaker")?;
    }
    let evidence = wirescan::output::Table::StanceEvidence.columns();
    let at = |name: &str| evidence.iter().position(|c| *c == name).expect("a column of stance_evidence");
    for ev in &parsed[4] {
        offsets(&ev[0], &ev[at("source_start")], &ev[at("source_end")], "evidence source")?;
        offsets(&ev[0], &ev[at("target_start")], &ev[at("target_end")], "evidence target")?;
    }
    Ok(())
}
