//! Measures the quote stage alone on one core: documents and entities are
//! built first, then only `QuoteStage::run` is timed.
//! `cargo run --release --example quote_throughput -- FILE.jsonl [ROUNDS]`

use std::time::Instant;
use wirescan::input::{FieldMap, parse_line};
use wirescan::stages::Stages;
use wirescan::text::Document;

fn main() {
    let path = std::env::args().nth(1).expect("usage: quote_throughput FILE.jsonl [ROUNDS]");
    let rounds: usize = std::env::args().nth(2).and_then(|r| r.parse().ok()).unwrap_or(5);
    let data = std::fs::read(&path).expect("readable file");
    let stages = Stages::new();
    let mut articles = Vec::new();
    let mut bytes = 0usize;
    for (i, line) in data.split(|&b| b == b'\n').enumerate() {
        let Ok(record) = parse_line(line, &FieldMap::default(), || format!("line {}", i + 1)) else { continue };
        bytes += record.text.len();
        let doc = Document::new(&record.text);
        let entities = stages.entities.run(&doc);
        articles.push((doc, entities));
    }
    let start = Instant::now();
    let mut quotes = 0usize;
    for _ in 0..rounds {
        for (doc, entities) in &articles {
            quotes += stages.quotes.run(doc, entities).len();
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let mb = (bytes * rounds) as f64 / 1e6;
    println!(
        "{} articles x {rounds}: {mb:.1} MB in {secs:.3} s = {:.1} MB/s ({} quotes)",
        articles.len(),
        mb / secs,
        quotes / rounds
    );
}
