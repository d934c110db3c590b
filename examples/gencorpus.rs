//! Writes a synthetic JSONL corpus of at least `--bytes` bytes from the
//! bundled samples, for scripts/bench.sh.
//!
//! ```text
//! cargo run --release --example gencorpus -- --bytes 1000000000 --out target/bench/corpus.jsonl
//! ```
//!
//! Every line is `{id, title, outlet, published, text}` with a distinct id
//! (`bench-000000123`). The templates are the articles of samples/seed.jsonl,
//! samples/articles.jsonl and samples/messy.jsonl; each output article takes
//! one template, rotates its paragraphs and perhaps drops one, and numbers its
//! title, so no two lines are byte-identical. The variation comes from a
//! fixed-seed LCG: the same arguments give the same bytes, and a smaller
//! `--bytes` gives a prefix of a larger one (whole lines).
//!
//! `--unique-sources` opens every article with a paragraph in which a person
//! no other article names criticises a place and an organisation no other
//! article names, so the number of distinct sources and stance pairs grows
//! with the corpus as it does in a real dump (the plain corpus repeats the
//! samples' few names): the corpus for showing that the run-wide folds keep
//! memory flat.
//!
//! The file is written to `OUT.partial` and renamed when complete, so an
//! existing OUT is always whole.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;

const SAMPLES: [&str; 3] = ["seed.jsonl", "articles.jsonl", "messy.jsonl"];

/// An article of the samples, split into paragraphs.
struct Template {
    title: String,
    outlet: String,
    published: String,
    paragraphs: Vec<String>,
}

#[derive(Serialize)]
struct Line<'a> {
    id: &'a str,
    title: &'a str,
    outlet: &'a str,
    published: &'a str,
    text: &'a str,
}

#[path = "support/lcg.rs"]
mod lcg;
use lcg::Lcg;

struct Args {
    bytes: u64,
    out: PathBuf,
    samples: PathBuf,
    unique_sources: bool,
}

fn usage() -> String {
    "usage: gencorpus --bytes N --out FILE [--samples DIR] [--unique-sources]".to_string()
}

fn parse_args() -> Result<Args, String> {
    let mut bytes = None;
    let mut out = None;
    let mut samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut unique_sources = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--bytes" => {
                let v = value()?;
                bytes = Some(v.parse::<u64>().map_err(|_| format!("--bytes {v:?} is not a number"))?);
            }
            "--out" => out = Some(PathBuf::from(value()?)),
            "--samples" => samples = PathBuf::from(value()?),
            "--unique-sources" => unique_sources = true,
            "-h" | "--help" => return Err(usage()),
            other => return Err(format!("unknown argument {other:?}\n{}", usage())),
        }
    }
    Ok(Args { bytes: bytes.ok_or_else(usage)?, out: out.ok_or_else(usage)?, samples, unique_sources })
}

/// The first of `keys` that holds a string.
fn field(value: &serde_json::Value, keys: &[&str]) -> String {
    keys.iter().find_map(|k| value.get(k).and_then(|v| v.as_str())).unwrap_or_default().to_string()
}

fn load_templates(dir: &Path) -> Result<Vec<Template>, String> {
    let mut templates = Vec::new();
    for name in SAMPLES {
        let path = dir.join(name);
        let data = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        for (i, line) in data.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let value: serde_json::Value =
                serde_json::from_str(line).map_err(|e| format!("{}:{}: {e}", path.display(), i + 1))?;
            let text = field(&value, &["text", "body"]);
            let paragraphs: Vec<String> =
                text.split('\n').map(str::trim_end).filter(|p| !p.trim().is_empty()).map(str::to_string).collect();
            if paragraphs.is_empty() {
                continue;
            }
            templates.push(Template {
                title: field(&value, &["title", "headline"]),
                outlet: field(&value, &["outlet", "source", "source_domain"]),
                published: field(&value, &["published", "date_publish"]),
                paragraphs,
            });
        }
    }
    if templates.is_empty() {
        return Err(format!("no articles in {}", dir.display()));
    }
    Ok(templates)
}

/// A capitalised made-up word for `n`, distinct for every `n`: syllables as
/// the digits of `n` in base 16.
fn made_up_name(mut n: u64, salt: usize) -> String {
    const SYLLABLES: [&str; 16] =
        ["ba", "ko", "ri", "te", "mu", "sa", "lo", "ven", "da", "mi", "tor", "ne", "fa", "gu", "zel", "ha"];
    let mut name = String::from(["Al", "Bor", "Cas", "Dum"][salt % 4]);
    loop {
        name.push_str(SYLLABLES[(n % 16) as usize]);
        n /= 16;
        if n == 0 {
            return name;
        }
    }
}

/// Writes articles until at least `target` bytes; returns (bytes, articles).
fn generate(
    templates: &[Template],
    target: u64,
    unique_sources: bool,
    out: &mut impl Write,
) -> std::io::Result<(u64, u64)> {
    let mut rng = Lcg(0x5eed_3a11_c0de_2024);
    let mut written = 0u64;
    let mut count = 0u64;
    let mut line = Vec::with_capacity(16 * 1024);
    let mut text = String::with_capacity(8 * 1024);
    while written < target {
        let t = &templates[rng.below(templates.len())];
        let n = t.paragraphs.len();
        let rotate = rng.below(n);
        // One article in four loses a paragraph (never its only one).
        let skip = if n > 2 && rng.below(4) == 0 { Some(rng.below(n)) } else { None };
        text.clear();
        if unique_sources {
            let (first, last, place, org) =
                (made_up_name(count, 0), made_up_name(count, 1), made_up_name(count, 2), made_up_name(count, 3));
            text.push_str(&format!(
                "{first} {last}, a spokesman for the {org} Party, said on Monday that {place} had \
                 \u{201c}betrayed and humiliated\u{201d} its neighbours. {last} condemned {place} and \
                 praised the {org} Party for its courage."
            ));
        }
        for k in 0..n {
            let p = (k + rotate) % n;
            if Some(p) == skip {
                continue;
            }
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&t.paragraphs[p]);
        }
        let id = format!("bench-{count:09}");
        let base = if t.title.is_empty() { "Untitled" } else { &t.title };
        let title = format!("{base} ({count})");
        let published = if t.published.is_empty() {
            format!("2024-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28))
        } else {
            t.published.clone()
        };
        line.clear();
        serde_json::to_writer(
            &mut line,
            &Line { id: &id, title: &title, outlet: &t.outlet, published: &published, text: &text },
        )?;
        line.push(b'\n');
        out.write_all(&line)?;
        written += line.len() as u64;
        count += 1;
    }
    Ok((written, count))
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let templates = load_templates(&args.samples)?;
    let mut partial = args.out.clone().into_os_string();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let file = File::create(&partial).map_err(|e| format!("cannot create {}: {e}", partial.display()))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let (bytes, articles) = generate(&templates, args.bytes, args.unique_sources, &mut out)
        .and_then(|r| out.flush().map(|_| r))
        .map_err(|e| format!("cannot write {}: {e}", partial.display()))?;
    drop(out);
    std::fs::rename(&partial, &args.out).map_err(|e| format!("cannot rename to {}: {e}", args.out.display()))?;
    eprintln!(
        "gencorpus: {articles} articles, {bytes} bytes from {} templates -> {}",
        templates.len(),
        args.out.display()
    );
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("gencorpus: {message}");
            ExitCode::from(2)
        }
    }
}
