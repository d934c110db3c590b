//! Trains the entity tagger from CoreNLP's (silver) annotations of news
//! articles and writes the weights the crate ships.
//!
//! ```text
//! cargo run --release --bin train-ner -- \
//!     --articles ../shared/data/polnear-train.articles.jsonl \
//!     --corenlp ../shared/data/polnear-train.corenlp.jsonl \
//!     --dev-articles ../shared/data/polnear-dev.articles.jsonl \
//!     --dev-corenlp ../shared/data/polnear-dev.corenlp.jsonl \
//!     --out data/models/ner.bin
//! ```
//!
//! Deterministic: the same inputs and flags give the same file. The CoNLL-2003
//! development set is for measuring (scripts/eval.sh), never read here.

use std::collections::HashMap;
use std::fs;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Parser;
use wirescan::stages::entities::gazetteer::Gazetteer;
use wirescan::stages::entities::model::{Perceptron, to_bytes};
use wirescan::stages::entities::resolve::runs;
use wirescan::stages::entities::tagger::{DocFeatures, O, TAGS, best_allowed};
use wirescan::text::Document;

#[derive(Parser)]
#[command(about = "Train the wirescan entity tagger from CoreNLP-annotated articles.")]
struct Args {
    /// Articles (JSONL with id and text); repeat with --corenlp in the same order.
    #[arg(long, required = true)]
    articles: Vec<PathBuf>,
    /// CoreNLP annotations (JSONL with id and tokens [start, end, pos, ner]).
    #[arg(long, required = true)]
    corenlp: Vec<PathBuf>,
    /// Held-out articles to report agreement with CoreNLP after each epoch.
    #[arg(long)]
    dev_articles: Option<PathBuf>,
    #[arg(long)]
    dev_corenlp: Option<PathBuf>,
    #[arg(long, default_value_t = 10)]
    epochs: usize,
    /// Share of articles also trained on with some sentences in capitals
    /// (headline robustness).
    #[arg(long, default_value_t = 0.3)]
    caps_share: f64,
    /// Drop features whose largest averaged weight is below this.
    #[arg(long, default_value_t = 1.0)]
    prune: f32,
    #[arg(long, default_value = "data/models/ner.bin")]
    out: PathBuf,
}

/// One training document: its (possibly re-cased) text and the gold tag of
/// each of its tokens.
struct Example {
    doc: Document,
    tags: Vec<usize>,
}

fn class_of(corenlp: &str) -> Option<usize> {
    match corenlp {
        "PERSON" => Some(0),
        "ORGANIZATION" => Some(1),
        "LOCATION" => Some(2),
        "MISC" => Some(3),
        _ => None,
    }
}

/// Silver entity spans (code point offsets, class) from CoreNLP tokens:
/// runs of tokens with the same class.
fn silver_spans(tokens: &[serde_json::Value]) -> Vec<(u32, u32, usize)> {
    let mut spans: Vec<(u32, u32, usize)> = Vec::new();
    let mut last_class = None;
    for t in tokens {
        let start = t[0].as_u64().unwrap_or(0) as u32;
        let end = t[1].as_u64().unwrap_or(0) as u32;
        let class = class_of(t[3].as_str().unwrap_or("O"));
        match (class, last_class) {
            (Some(c), Some(l)) if c == l => spans.last_mut().expect("open span").1 = end,
            (Some(c), _) => spans.push((start, end, c)),
            _ => {}
        }
        last_class = class;
    }
    spans
}

/// Gold tags for our tokens from silver spans.
fn tags_for(doc: &Document, spans: &[(u32, u32, usize)]) -> Vec<usize> {
    let mut tags = vec![O; doc.tokens().len()];
    let mut k = 0;
    let mut last_span = usize::MAX;
    for (i, t) in doc.tokens().iter().enumerate() {
        let (s, e) = doc.original_span(t.start as usize, t.end as usize);
        while k < spans.len() && spans[k].1 <= s {
            k += 1;
        }
        if k < spans.len() && spans[k].0 <= s && e <= spans[k].1 {
            let class = spans[k].2;
            tags[i] = if last_span == k { 2 + 2 * class } else { 1 + 2 * class };
            last_span = k;
        }
    }
    tags
}

/// A small deterministic generator (training must be reproducible).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn unit(&mut self) -> f64 {
        self.next() as f64 / (1u64 << 31) as f64
    }
}

fn load(articles: &PathBuf, corenlp: &PathBuf, caps_share: f64, rng: &mut Lcg) -> Result<Vec<Example>> {
    let mut texts: HashMap<String, String> = HashMap::new();
    for line in fs::read_to_string(articles).with_context(|| format!("cannot read {}", articles.display()))?.lines() {
        let v: serde_json::Value = serde_json::from_str(line)?;
        texts.insert(
            v["id"].as_str().unwrap_or_default().to_string(),
            v["text"].as_str().unwrap_or_default().to_string(),
        );
    }
    let mut out = Vec::new();
    for line in fs::read_to_string(corenlp).with_context(|| format!("cannot read {}", corenlp.display()))?.lines() {
        let v: serde_json::Value = serde_json::from_str(line)?;
        let id = v["id"].as_str().unwrap_or_default();
        let Some(text) = texts.get(id) else { continue };
        let spans = silver_spans(v["tokens"].as_array().map(Vec::as_slice).unwrap_or_default());
        let doc = Document::new(text);
        let tags = tags_for(&doc, &spans);
        out.push(Example { doc, tags });
        if rng.unit() < caps_share {
            // The same article with some sentences in capitals. ASCII
            // upper-casing keeps every offset, so the spans still apply.
            let mut bytes = text.clone().into_bytes();
            let plain = Document::new(text);
            for s in plain.sentences() {
                if rng.unit() < 0.25 {
                    let (a, b) = plain.original_span(s.start as usize, s.end as usize);
                    let (a, b) = (byte_of(text, a), byte_of(text, b));
                    bytes[a..b].make_ascii_uppercase();
                }
            }
            let upper = String::from_utf8(bytes).expect("ASCII upper-casing keeps UTF-8");
            let doc = Document::new(&upper);
            let tags = tags_for(&doc, &spans);
            out.push(Example { doc, tags });
        }
    }
    if out.is_empty() {
        bail!("no article of {} has annotations in {}", articles.display(), corenlp.display());
    }
    Ok(out)
}

fn byte_of(text: &str, char_offset: u32) -> usize {
    text.char_indices().nth(char_offset as usize).map(|(b, _)| b).unwrap_or(text.len())
}

/// Entity spans (token ranges with class) of a tag sequence.
fn entities(tags: &[usize]) -> Vec<(usize, usize, usize)> {
    runs(tags).into_iter().map(|m| (m.first, m.end, m.class)).collect()
}

fn main() -> Result<()> {
    let args = Args::parse();
    if args.articles.len() != args.corenlp.len() {
        bail!("give one --corenlp for each --articles");
    }
    let gazetteer = Gazetteer::bundled();
    let mut rng = Lcg(0x5eed);
    let mut train = Vec::new();
    for (a, c) in args.articles.iter().zip(&args.corenlp) {
        train.extend(load(a, c, args.caps_share, &mut rng)?);
    }
    let dev = match (&args.dev_articles, &args.dev_corenlp) {
        (Some(a), Some(c)) => load(a, c, 0.0, &mut rng)?,
        _ => Vec::new(),
    };
    eprintln!("train-ner: {} training documents, {} held-out", train.len(), dev.len());
    let train_features: Vec<DocFeatures> = train.iter().map(|e| DocFeatures::new(&e.doc, &gazetteer)).collect();
    let dev_features: Vec<DocFeatures> = dev.iter().map(|e| DocFeatures::new(&e.doc, &gazetteer)).collect();

    let mut model = Perceptron::new(TAGS.len());
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut buf = Vec::new();
    let mut scores = vec![0f32; TAGS.len()];
    for epoch in 1..=args.epochs {
        for i in (1..order.len()).rev() {
            order.swap(i, rng.next() as usize % (i + 1));
        }
        let (mut right, mut total) = (0usize, 0usize);
        for &d in &order {
            let (features, gold) = (&train_features[d], &train[d].tags);
            for (s, &(a, b)) in features.sentences().iter().enumerate() {
                let (mut prev, mut prev2) = (O, O);
                for (i, &truth) in gold.iter().enumerate().take(b).skip(a) {
                    let guess = if features.scored(i, prev, (a, b)) {
                        features.features_into(i, s, prev, prev2, &mut buf);
                        model.scores(&buf, &mut scores);
                        let guess = best_allowed(&scores, prev);
                        model.update(&buf, truth, guess);
                        guess
                    } else {
                        O
                    };
                    right += (guess == truth) as usize;
                    total += 1;
                    prev2 = prev;
                    prev = guess;
                }
            }
        }
        let averaged =
            wirescan::stages::entities::model::Model::from_bytes(&to_bytes(TAGS.len(), &model.averaged(), 0.0))
                .expect("fresh model");
        let (mut tp, mut npred, mut ngold) = (0usize, 0usize, 0usize);
        for (features, example) in dev_features.iter().zip(&dev) {
            let predicted = wirescan::stages::entities::tagger::decode(features, |f, s| averaged.score(f, s));
            let p = entities(&predicted);
            let g = entities(&example.tags);
            npred += p.len();
            ngold += g.len();
            tp += p.iter().filter(|x| g.contains(x)).count();
        }
        let f1 = if npred + ngold > 0 { 2.0 * tp as f64 / (npred + ngold) as f64 } else { 0.0 };
        eprintln!(
            "train-ner: epoch {epoch}: training token accuracy {:.4}; held-out entity F1 against CoreNLP {f1:.4}",
            right as f64 / total.max(1) as f64
        );
    }
    let bytes = to_bytes(TAGS.len(), &model.averaged(), args.prune);
    if let Some(dir) = args.out.parent() {
        fs::create_dir_all(dir)?;
    }
    fs::write(&args.out, &bytes).with_context(|| format!("cannot write {}", args.out.display()))?;
    eprintln!("train-ner: wrote {} ({} bytes)", args.out.display(), bytes.len());
    Ok(())
}
