//! Long-running fuzz loop over the article pipeline: random texts built from
//! the fragments the stages treat specially, and mutations (byte flips,
//! splices, cuts, repeated spans) of the bundled sample articles, checked
//! with the same invariants as `tests/fuzz.rs`.
//!
//! ```text
//! cargo run --release --example fuzz -- --seconds 600 [--seed 7]
//! ```
//!
//! Prints the number of batches and lines run. For each distinct problem it
//! writes the failing batch's lines to `target/fuzz-failures/SEED-CASE.jsonl`
//! (a file `wirescan run` can read) and prints the problem; it goes on until
//! the time is up and exits 1 if anything failed.

#[path = "../tests/fuzz_support/mod.rs"]
mod fuzz_support;

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use wirescan::Config;
use wirescan::stages::Stages;

#[path = "support/lcg.rs"]
mod lcg;
use lcg::Lcg;

/// The sample lines and their texts, the seeds of mutation.
fn samples() -> (Vec<Vec<u8>>, Vec<String>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut lines = Vec::new();
    let mut texts = Vec::new();
    for name in ["seed.jsonl", "articles.jsonl", "messy.jsonl", "hostile.jsonl"] {
        let raw = std::fs::read(dir.join(name)).expect("samples/ is readable");
        for line in raw.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            lines.push(line.to_vec());
            if let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(line)
                && let Some(text) = ["text", "body", "maintext", "content"].iter().find_map(|k| map.get(*k)?.as_str())
            {
                texts.push(text.to_string());
            }
        }
    }
    (lines, texts)
}

/// A char boundary at or before `at`.
fn boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn mutate_text(rng: &mut Lcg, text: &str) -> String {
    let mut out = text.to_string();
    for _ in 0..1 + rng.below(8) {
        let a = boundary(&out, rng.below(out.len() + 1));
        let b = boundary(&out, a + rng.below(200));
        match rng.below(5) {
            0 => out.replace_range(a..b, ""),
            1 => {
                let span = out[a..b].to_string();
                out.insert_str(b, &span);
            }
            2 => {
                let piece: String = (0..1 + rng.below(6))
                    .map(|_| fuzz_support::PIECES[rng.below(fuzz_support::PIECES.len())])
                    .collect();
                out.insert_str(a, &piece);
            }
            3 => {
                let c = char::from_u32(rng.below(0x3_0000) as u32).unwrap_or('\u{fffd}');
                out.insert(a, c);
            }
            _ => out.truncate(b),
        }
    }
    out
}

fn random_text(rng: &mut Lcg) -> String {
    (0..rng.below(300)).map(|_| fuzz_support::PIECES[rng.below(fuzz_support::PIECES.len())]).collect()
}

fn mutate_bytes(rng: &mut Lcg, line: &[u8]) -> Vec<u8> {
    let mut out = line.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(out.len() + 1);
        match rng.below(4) {
            0 if at < out.len() => out[at] ^= 1 << rng.below(8),
            1 => out.insert(at, rng.next() as u8),
            2 => out.truncate(at),
            _ => {
                let end = (at + rng.below(64)).min(out.len());
                let span = out[at..end].to_vec();
                out.splice(at..at, span);
            }
        }
    }
    out
}

fn main() -> ExitCode {
    let mut seconds = 60u64;
    let mut seed = 1u64;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().and_then(|v| v.parse().ok());
        match (arg.as_str(), value) {
            ("--seconds", Some(v)) => seconds = v,
            ("--seed", Some(v)) => seed = v,
            _ => {
                eprintln!("usage: fuzz [--seconds N] [--seed N]");
                return ExitCode::from(2);
            }
        }
    }
    let (sample_lines, sample_texts) = samples();
    let stages = Stages::new();
    let config = Config::new(vec![], "out".into());
    let mut rng = Lcg(seed);
    let started = Instant::now();
    let (mut batches, mut lines_run, mut failures) = (0u64, 0u64, 0u64);
    let mut problems: Vec<String> = Vec::new();
    // A stage's panic is caught and checked as a reject; the default hook's
    // backtrace per panic would drown the report.
    std::panic::set_hook(Box::new(|_| {}));
    while started.elapsed() < Duration::from_secs(seconds) {
        let lines: Vec<Vec<u8>> = (0..1 + rng.below(16))
            .map(|i| {
                let id = format!("fz-{batches}-{i}");
                match rng.below(10) {
                    0..=4 => {
                        let seed_text = &sample_texts[rng.below(sample_texts.len())];
                        let text = mutate_text(&mut rng, seed_text);
                        serde_json::json!({"id": id, "outlet": "o", "text": text}).to_string().into_bytes()
                    }
                    5..=7 => {
                        serde_json::json!({"id": id, "title": random_text(&mut rng), "text": random_text(&mut rng)})
                            .to_string()
                            .into_bytes()
                    }
                    _ => {
                        let seed_line = &sample_lines[rng.below(sample_lines.len())];
                        mutate_bytes(&mut rng, seed_line)
                    }
                }
            })
            .collect();
        let rows = fuzz_support::run_batch(&lines, &stages, &config);
        if let Err(problem) = fuzz_support::check(&lines, &rows) {
            // One file per distinct problem (the message up to its first
            // digit, so that line numbers do not make every failure new).
            let kind: String = problem.chars().take_while(|c| !c.is_ascii_digit()).collect();
            if !problems.contains(&kind) {
                let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-failures");
                let _ = std::fs::create_dir_all(&dir);
                let path = dir.join(format!("{seed}-{batches}.jsonl"));
                let _ = std::fs::write(&path, lines.join(&b'\n'));
                eprintln!("fuzz: {problem}\nfuzz: input written to {}", path.display());
                problems.push(kind);
            }
            failures += 1;
        }
        batches += 1;
        lines_run += lines.len() as u64;
    }
    eprintln!(
        "fuzz: {batches} batches, {lines_run} lines in {:.0} s, seed {seed}: {failures} failing batches, {} distinct problems",
        started.elapsed().as_secs_f64(),
        problems.len()
    );
    if failures > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}
