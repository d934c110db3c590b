//! Trains the stance stage's pair model from DSA-style data (sentences with
//! two marked entities p and q and who is positive or negative toward whom)
//! and writes the weights the crate ships.
//!
//! ```text
//! cargo run --release --bin train-stance -- \
//!     --articles ../shared/data/dsa-train.articles.jsonl \
//!     --gold ../shared/data/dsa-train.gold.jsonl \
//!     --out data/models/stance.bin
//! ```
//!
//! Every gold pair is matched to the mention pair the stance stage would
//! score (p and q overlapping the earlier and later mention); pairs the
//! entity stage does not find are left out (the stage cannot score them
//! either). The model decides the pairs the rules leave neutral, so it is
//! trained on those. An averaged perceptron learns the five labels; a bias on the
//! neutral class is then chosen on a tenth of the training pairs held out
//! from a first training run (macro-F1 over the five labels), and the model
//! is trained again on all pairs. Deterministic: the same inputs and flags
//! give the same file. `--dev-articles`/`--dev-gold` report the figures on
//! held-out data after training; they are never trained on.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Parser;
use wirescan::stages::Stages;
use wirescan::stages::entities::model::Perceptron;
use wirescan::stages::stance::model::{ALL_TEMPLATES, CLASSES, LABELS, NEUTRAL, best_of, hash_str, to_bytes};
use wirescan::text::Document;

#[derive(Parser)]
#[command(about = "Train the wirescan stance pair model from labelled entity pairs.")]
struct Args {
    /// Sentences (JSONL with id and text).
    #[arg(long)]
    articles: PathBuf,
    /// Labelled pairs (JSONL with id, p and q {start, end} code point spans, label).
    #[arg(long)]
    gold: PathBuf,
    /// Held-out sentences and pairs to report figures on.
    #[arg(long)]
    dev_articles: Option<PathBuf>,
    #[arg(long)]
    dev_gold: Option<PathBuf>,
    #[arg(long, default_value_t = 8)]
    epochs: usize,
    /// Drop features whose largest averaged weight is below this.
    #[arg(long, default_value_t = 1.0)]
    prune: f32,
    /// Keep only features seen in at least this many training pairs.
    #[arg(long, default_value_t = 1)]
    min_count: usize,
    /// Feature templates to leave out (numbers of `model::template`).
    #[arg(long, value_delimiter = ',')]
    drop: Vec<u32>,
    #[arg(long, default_value = "data/models/stance.bin")]
    out: PathBuf,
}

/// One gold pair: its label and, when the stage finds the pair, the features
/// and the rules' own label.
struct Example {
    /// A hash of the sentence: pairs of one sentence are held out together.
    sentence: u64,
    label: usize,
    found: Option<(Vec<u64>, usize)>,
}

fn label_index(label: &str) -> Result<usize> {
    LABELS.iter().position(|l| *l == label).with_context(|| format!("unknown label {label:?}"))
}

fn overlaps(a: (u32, u32), b: (u32, u32)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

fn read_jsonl(path: &Path) -> Result<Vec<serde_json::Value>> {
    let text = fs::read_to_string(path).with_context(|| format!("failed to read {}", path.display()))?;
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(n, l)| serde_json::from_str(l).with_context(|| format!("{}:{}: invalid JSON", path.display(), n + 1)))
        .collect()
}

/// Runs the stages on every sentence and matches the gold pairs.
fn examples(stages: &Stages, articles: &Path, gold: &Path, templates: u64) -> Result<Vec<Example>> {
    let mut texts: HashMap<String, String> = HashMap::new();
    for a in read_jsonl(articles)? {
        let id = a["id"].as_str().map(str::to_string).unwrap_or_else(|| a["id"].to_string());
        texts.insert(id, a["text"].as_str().unwrap_or_default().to_string());
    }
    let mut out = Vec::new();
    for g in read_jsonl(gold)? {
        let id = g["id"].as_str().map(str::to_string).unwrap_or_else(|| g["id"].to_string());
        let span = |k: &str| (g[k]["start"].as_u64().unwrap_or(0) as u32, g[k]["end"].as_u64().unwrap_or(0) as u32);
        let (p, q) = (span("p"), span("q"));
        let label = label_index(g["label"].as_str().unwrap_or_default())?;
        let text = texts.get(&id).with_context(|| format!("no article {id} for a gold pair"))?;
        let doc = Document::new(text);
        let entities = stages.entities.run(&doc);
        let quotes = stages.quotes.run(&doc, &entities);
        let found = stages.stance.pair_candidates(&doc, &entities, &quotes, templates).into_iter().find_map(|c| {
            let a = doc.original_span(c.a.start as usize, c.a.end as usize);
            let b = doc.original_span(c.b.start as usize, c.b.end as usize);
            (overlaps(a, p) && overlaps(b, q)).then_some((c.features, c.rule))
        });
        out.push(Example { sentence: hash_str(text), label, found });
    }
    Ok(out)
}

/// Macro-F1 over the five labels of (gold, predicted) pairs.
fn macro_f1(pairs: &[(usize, usize)]) -> f64 {
    let mut sum = 0.0;
    for l in 0..CLASSES {
        let tp = pairs.iter().filter(|(g, p)| *g == l && *p == l).count() as f64;
        let fp = pairs.iter().filter(|(g, p)| *g != l && *p == l).count() as f64;
        let fne = pairs.iter().filter(|(g, p)| *g == l && *p != l).count() as f64;
        let (pr, rc) =
            (if tp + fp > 0.0 { tp / (tp + fp) } else { 0.0 }, if tp + fne > 0.0 { tp / (tp + fne) } else { 0.0 });
        sum += if pr + rc > 0.0 { 2.0 * pr * rc / (pr + rc) } else { 0.0 };
    }
    sum / CLASSES as f64
}

/// A small deterministic generator for the epoch shuffles.
struct Lcg(u64);
impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n
    }
}

fn train(examples: &[&Example], epochs: usize) -> HashMap<u64, Vec<f32>> {
    let mut model = Perceptron::new(CLASSES);
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng = Lcg(0x5eed);
    let mut scores = vec![0.0f32; CLASSES];
    for _ in 0..epochs {
        for i in (1..order.len()).rev() {
            order.swap(i, rng.below(i + 1));
        }
        for &i in &order {
            // Pairs the rules give a stance are theirs (see `apply_model`).
            let Some((features, NEUTRAL)) = &examples[i].found else { continue };
            model.scores(features, &mut scores);
            let guess = (0..CLASSES).fold(0, |b, c| if scores[c] > scores[b] { c } else { b });
            model.update(features, examples[i].label, guess);
        }
    }
    model.averaged()
}

/// Predictions as the stage makes them: the rules' label where they give
/// one, else the averaged weights' with a neutral bias; pairs the stage does
/// not find are neutral.
fn predict(weights: &HashMap<u64, Vec<f32>>, bias: f32, examples: &[&Example]) -> Vec<(usize, usize)> {
    examples
        .iter()
        .map(|e| {
            let guess = e.found.as_ref().map_or(NEUTRAL, |(features, rule)| {
                if *rule != NEUTRAL {
                    return *rule;
                }
                let mut s = [0.0f32; CLASSES];
                s[NEUTRAL] = bias;
                for h in features {
                    if let Some(w) = weights.get(h) {
                        for (s, w) in s.iter_mut().zip(w) {
                            *s += w;
                        }
                    }
                }
                best_of(&s).0
            });
            (e.label, guess)
        })
        .collect()
}

fn rules(examples: &[&Example]) -> Vec<(usize, usize)> {
    examples.iter().map(|e| (e.label, e.found.as_ref().map_or(NEUTRAL, |f| f.1))).collect()
}

fn main() -> Result<()> {
    let args = Args::parse();
    let templates = args.drop.iter().fold(ALL_TEMPLATES, |t, d| t & !(1u64 << d));
    let stages = Stages::new();
    let mut all = examples(&stages, &args.articles, &args.gold, templates)?;
    let mut counts: HashMap<u64, usize> = HashMap::new();
    for e in &all {
        for h in e.found.iter().flat_map(|f| &f.0) {
            *counts.entry(*h).or_default() += 1;
        }
    }
    for e in &mut all {
        if let Some((features, _)) = &mut e.found {
            features.retain(|h| counts[h] >= args.min_count);
        }
    }
    let found = all.iter().filter(|e| e.found.is_some()).count();
    eprintln!("train: {} pairs, {} found by the entity stage", all.len(), found);

    // Choose the neutral bias on a tenth of the sentences, trained on the
    // rest: sentences recur with other pairs, and a bias chosen on sentences
    // the model has seen would trust it too much.
    let held: Vec<&Example> = all.iter().filter(|e| e.sentence % 10 == 0).collect();
    let rest: Vec<&Example> = all.iter().filter(|e| e.sentence % 10 != 0).collect();
    let weights = train(&rest, args.epochs);
    let mut best = (f64::MIN, 0.0f32);
    for step in -40..=80 {
        let bias = step as f32 * 0.25;
        let f1 = macro_f1(&predict(&weights, bias, &held));
        if f1 > best.0 {
            best = (f1, bias);
        }
    }
    let bias = best.1;
    eprintln!(
        "held-out tenth of the sentences: rules macro-F1(5) {:.3}, model {:.3} (neutral bias {bias})",
        macro_f1(&rules(&held)),
        best.0
    );

    let everything: Vec<&Example> = all.iter().collect();
    let weights = train(&everything, args.epochs);
    eprintln!(
        "train: rules macro-F1(5) {:.3}, model {:.3}",
        macro_f1(&rules(&everything)),
        macro_f1(&predict(&weights, bias, &everything))
    );
    if let (Some(articles), Some(gold)) = (&args.dev_articles, &args.dev_gold) {
        let dev = examples(&stages, articles, gold, templates)?;
        let seen: std::collections::HashSet<u64> = all.iter().map(|e| e.sentence).collect();
        let dev_all: Vec<&Example> = dev.iter().collect();
        let dev_new: Vec<&Example> = dev.iter().filter(|e| !seen.contains(&e.sentence)).collect();
        for (name, set) in [("dev", &dev_all), ("dev sentences not in train", &dev_new)] {
            eprintln!(
                "{name} ({} pairs): rules macro-F1(5) {:.3}, model {:.3}",
                set.len(),
                macro_f1(&rules(set)),
                macro_f1(&predict(&weights, bias, set))
            );
        }
    }
    let bytes = to_bytes(&weights, bias, templates, args.prune);
    fs::write(&args.out, &bytes).with_context(|| format!("failed to write {}", args.out.display()))?;
    eprintln!("wrote {} ({} bytes)", args.out.display(), bytes.len());
    Ok(())
}
