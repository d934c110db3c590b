//! Prints how wirescan cleans and segments each article of a JSONL file:
//! `cargo run --example inspect -- samples/messy.jsonl`. A developer's view of
//! the text layer; one sentence per line, paragraphs separated by `¶`.

use wirescan::input::{FieldMap, parse_line};
use wirescan::text::Document;

fn main() {
    let path = std::env::args().nth(1).expect("usage: inspect FILE.jsonl");
    let data = std::fs::read(&path).expect("readable file");
    for (i, line) in data.split(|&b| b == b'\n').enumerate() {
        let Ok(record) = parse_line(line, &FieldMap::default(), || format!("line {}", i + 1)) else {
            continue;
        };
        let doc = Document::new(&record.text);
        println!("=== {} ({} paragraphs, {} sentences)", record.id, doc.paragraphs().len(), doc.sentences().len());
        for p in doc.paragraphs() {
            for s in &doc.sentences()[p.sentences.start as usize..p.sentences.end as usize] {
                println!("  {}", &doc.text()[s.start as usize..s.end as usize]);
            }
            println!("  ¶");
        }
    }
}
