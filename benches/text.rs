//! Byte-throughput benches for the text layer and for one batch end to end.
//!
//! Inputs are the bundled `samples/*.jsonl`, read when the bench starts (run
//! from the crate root, as `cargo bench` does). Every bench processes all of
//! them per iteration and reports `Throughput::Bytes` of what it consumed:
//! original text bytes for cleaning and `Document::new`, cleaned text bytes
//! for segmentation, raw line bytes for the batch.
//!
//! `cargo bench --bench text` runs in well under a minute; see BENCHMARKS.md
//! and scripts/bench.sh for whole-corpus numbers.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use wirescan::input::{Batch, LineSlot};
use wirescan::stages::Stages;
use wirescan::text::{CleanText, Document, segment};

/// The sample files, sorted so every run benches the same bytes.
fn sample_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("readable directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no samples/*.jsonl found");
    files
}

/// The article text (`text`, else `body`) of every sample line that parses.
fn sample_texts() -> Vec<String> {
    let mut texts = Vec::new();
    for path in sample_files() {
        let data = std::fs::read(&path).expect("readable sample");
        for line in data.split(|&b| b == b'\n') {
            let Ok(value) = serde_json::from_slice::<serde_json::Value>(line) else {
                continue;
            };
            let text = ["text", "body"].iter().find_map(|k| value.get(k).and_then(|v| v.as_str()));
            if let Some(text) = text.filter(|t| !t.trim().is_empty()) {
                texts.push(text.to_string());
            }
        }
    }
    assert!(!texts.is_empty(), "no article text in the samples");
    texts
}

/// One batch holding every non-blank line of every sample, as the reader
/// would build it (hostile lines included: they cost a reject row each).
fn sample_batch() -> Batch {
    let mut data = Vec::new();
    let mut lines = Vec::new();
    let mut number = 0u64;
    for path in sample_files() {
        let raw = std::fs::read(&path).expect("readable sample");
        for line in raw.split(|&b| b == b'\n') {
            number += 1;
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let start = data.len() as u32;
            data.extend_from_slice(line);
            lines.push(LineSlot::Data { number, start, end: data.len() as u32 });
        }
    }
    Batch { seq: 0, blocks: vec![(0, 0)], end_line: 0, input: 0, name: Arc::from("samples"), data, lines }
}

fn total_bytes<S: AsRef<str>>(texts: &[S]) -> u64 {
    texts.iter().map(|t| t.as_ref().len() as u64).sum()
}

fn text_layer(c: &mut Criterion) {
    let texts = sample_texts();
    let cleaned: Vec<String> = texts.iter().map(|t| CleanText::new(t).as_str().to_string()).collect();

    let mut group = c.benchmark_group("text");

    group.throughput(Throughput::Bytes(total_bytes(&texts)));
    group.bench_function("clean", |b| {
        b.iter(|| {
            for text in &texts {
                black_box(CleanText::new(black_box(text)));
            }
        })
    });

    group.throughput(Throughput::Bytes(total_bytes(&cleaned)));
    group.bench_function("segment", |b| {
        b.iter(|| {
            for text in &cleaned {
                black_box(segment(black_box(text)));
            }
        })
    });

    group.throughput(Throughput::Bytes(total_bytes(&texts)));
    group.bench_function("document", |b| {
        b.iter(|| {
            for text in &texts {
                black_box(Document::new(black_box(text)));
            }
        })
    });

    group.finish();
}

fn batch(c: &mut Criterion) {
    let batch = sample_batch();
    let stages = Stages::new();
    let config = wirescan::Config::new(vec![], "out".into());

    let mut group = c.benchmark_group("pipeline");
    group.throughput(Throughput::Bytes(batch.data.len() as u64));
    group.bench_function("process_batch", |b| {
        b.iter(|| black_box(wirescan::pipeline::process_batch(&batch, &stages, &config)))
    });
    group.finish();
}

/// The extraction stages on their own, over documents already cleaned and
/// segmented (bytes = the articles' text).
fn stages(c: &mut Criterion) {
    let texts = sample_texts();
    let docs: Vec<Document> = texts.iter().map(|t| Document::new(t)).collect();
    let stages = Stages::new();
    let mut group = c.benchmark_group("stages");
    group.throughput(Throughput::Bytes(total_bytes(&texts)));
    group.bench_function("entities", |b| {
        b.iter(|| {
            for doc in &docs {
                black_box(stages.entities.run(black_box(doc)));
            }
        })
    });
    let entities: Vec<_> = docs.iter().map(|doc| stages.entities.run(doc)).collect();
    group.bench_function("quotes", |b| {
        b.iter(|| {
            for (doc, found) in docs.iter().zip(&entities) {
                black_box(stages.quotes.run(black_box(doc), found));
            }
        })
    });
    // The stance stage as the pipeline runs it (quote polarities, then the
    // evidence), given the entities and quotes found outside the timed loop.
    let mut quotes: Vec<_> = docs.iter().zip(&entities).map(|(doc, found)| stages.quotes.run(doc, found)).collect();
    group.bench_function("stance", |b| {
        b.iter(|| {
            for ((doc, found), quotes) in docs.iter().zip(&entities).zip(&mut quotes) {
                black_box(stages.stance.score_quotes_and_run(black_box(doc), found, quotes));
            }
        })
    });
    group.finish();
}

fn quick() -> Criterion {
    Criterion::default().sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = quick();
    targets = text_layer, stages, batch
}
criterion_main!(benches);
