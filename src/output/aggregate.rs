//! Run-wide tables as folds of per-article facts: stance per source
//! (stance.csv) and sources (sources.csv).
//!
//! Both are pure folds over rows of the per-article tables in input order,
//! keyed and sorted by their text columns: stance.csv folds
//! stance_evidence.csv, sources.csv folds quotes.csv with the outlet from
//! articles.csv. A run folds the facts as it writes the rows;
//! [`RunTotals::fold_tables`] folds the same rows read back from the tables —
//! for `wirescan merge` and `--resume` — and the two give the same bytes,
//! because the fold only uses what the rows say: polarities as the integer
//! thousandths their cells show, and an article of stance evidence as a run of
//! consecutive rows with one article_id.
//!
//! A polarity above +0.05 counts as positive, below −0.05 as negative, and
//! anything between as neutral (VADER's convention), judged on the written
//! (three-decimal) value.
//!
//! Memory stays bounded however many sources and targets a dump names: a
//! run's totals ([`RunTotals::spilling`]) are written out as a sorted run file
//! whenever their estimated size passes a budget, and the tables are written
//! by merging the run files with what is left in memory, key by key. Every
//! total is a sum (or, for outlets, a union), so the split changes nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File};
use std::io::{BufWriter, Read, Write};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};

use super::Table;
use crate::stages::Gender;

/// Polarity beyond which evidence counts as positive or negative, in
/// thousandths (0.05).
pub const NEUTRAL_BAND: i64 = 50;

/// A polarity as the integer thousandths its three-decimal cell shows.
pub fn thousandths(polarity: f32) -> i64 {
    (polarity as f64 * 1000.0).round() as i64
}

/// The cell of a polarity in thousandths: `-0.250`, `0.000`, `1.000`.
pub fn format_thousandths(value: i64) -> String {
    let sign = if value < 0 { "-" } else { "" };
    let abs = value.unsigned_abs();
    format!("{sign}{}.{:03}", abs / 1000, abs % 1000)
}

/// Reads a cell written by [`format_thousandths`] back.
pub fn parse_thousandths(cell: &str) -> Option<i64> {
    let (negative, digits) = match cell.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, cell),
    };
    let (whole, fraction) = digits.split_once('.')?;
    if whole.is_empty() || fraction.len() != 3 || !(whole.bytes().chain(fraction.bytes()).all(|b| b.is_ascii_digit())) {
        return None;
    }
    let value = whole.parse::<i64>().ok()?.checked_mul(1000)?.checked_add(fraction.parse::<i64>().ok()?)?;
    Some(if negative { -value } else { value })
}

/// A quoted source in one article.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceFact {
    pub name: String,
    pub kind: String,
    pub gender: Gender,
    pub anonymous: bool,
}

/// One piece of stance evidence in one article.
#[derive(Debug, Clone, PartialEq)]
pub struct StanceFact {
    pub source: String,
    pub source_type: String,
    pub target: String,
    pub target_type: String,
    /// Polarity in thousandths, as written in stance_evidence.csv.
    pub polarity: i64,
}

/// What one article contributes to the run-wide tables.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArticleFacts {
    /// The article_id cell.
    pub id: String,
    pub outlet: String,
    /// One entry per attributed quote.
    pub sources: Vec<SourceFact>,
    pub stance: Vec<StanceFact>,
}

type StanceKey = (String, String, String, String);
type SourceKey = (String, String);

#[derive(Debug, Default, Clone)]
struct StanceTotals {
    evidence: u64,
    articles: u64,
    positive: u64,
    negative: u64,
    neutral: u64,
    /// Sum of the written polarities in thousandths: exact, so any order of
    /// addition and any reading back gives the same mean.
    polarity_sum: i64,
}

#[derive(Debug, Default, Clone)]
struct SourceTotals {
    quotes: u64,
    articles: u64,
    outlets: BTreeSet<String>,
    female: u64,
    male: u64,
    anonymous_quotes: u64,
}

impl StanceTotals {
    fn fold(&mut self, other: StanceTotals) {
        self.evidence += other.evidence;
        self.articles += other.articles;
        self.positive += other.positive;
        self.negative += other.negative;
        self.neutral += other.neutral;
        self.polarity_sum += other.polarity_sum;
    }
}

impl SourceTotals {
    fn fold(&mut self, other: SourceTotals) {
        self.quotes += other.quotes;
        self.articles += other.articles;
        self.outlets.extend(other.outlets);
        self.female += other.female;
        self.male += other.male;
        self.anonymous_quotes += other.anonymous_quotes;
    }
}

/// Estimated heap bytes of a map entry beyond its strings (tree node share,
/// string headers and allocator rounding, totals): a run over 456,000 keys
/// without a budget peaked about 570 bytes a key above the pipeline's own
/// memory.
const ENTRY_OVERHEAD: usize = 320;

/// Where a run's totals go when they outgrow their budget.
#[derive(Debug)]
struct Spill {
    dir: PathBuf,
    budget: usize,
    /// Estimated bytes of the totals in memory.
    used: usize,
    /// Run files written so far: `stance-N.csv` and `sources-N.csv`.
    runs: usize,
}

/// The run-wide folds.
#[derive(Debug, Default)]
pub struct RunTotals {
    stance: BTreeMap<StanceKey, StanceTotals>,
    sources: BTreeMap<SourceKey, SourceTotals>,
    spill: Option<Spill>,
    /// The article_id of the last evidence row, and the keys its run of rows
    /// has counted in `articles` so far.
    evidence_article: String,
    evidence_keys: Vec<StanceKey>,
}

impl RunTotals {
    /// Totals that keep about `budget` bytes in memory and write the rest to
    /// sorted run files in `dir` (created when first needed, removed by
    /// [`Self::remove_spill`]). [`RunTotals::default`] keeps everything in
    /// memory.
    /// Run files left by a run that was killed are removed first.
    pub fn spilling(dir: PathBuf, budget: usize) -> Result<RunTotals> {
        if dir.exists() {
            fs::remove_dir_all(&dir).with_context(|| format!("cannot remove {}", dir.display()))?;
        }
        Ok(RunTotals { spill: Some(Spill { dir, budget, used: 0, runs: 0 }), ..RunTotals::default() })
    }

    /// Folds in one article's facts.
    pub fn add(&mut self, facts: &ArticleFacts) -> Result<()> {
        for ev in &facts.stance {
            self.add_evidence(&facts.id, ev)?;
        }
        self.add_sources(&facts.outlet, &facts.sources)
    }

    fn grow(&mut self, bytes: usize) {
        if let Some(spill) = &mut self.spill {
            spill.used += bytes;
        }
    }

    /// Writes the totals in memory out as run files if they passed the
    /// budget.
    fn spill_if_full(&mut self) -> Result<()> {
        let Some(spill) = &mut self.spill else { return Ok(()) };
        if spill.used <= spill.budget {
            return Ok(());
        }
        fs::create_dir_all(&spill.dir).with_context(|| format!("cannot create {}", spill.dir.display()))?;
        let n = spill.runs;
        let path = spill.dir.join(format!("stance-{n}.csv"));
        write_run(&path, |w| {
            for ((source, source_type, target, target_type), t) in &self.stance {
                let numbers = [t.evidence, t.articles, t.positive, t.negative, t.neutral].map(|n| n.to_string());
                w.write_record(
                    [source.as_str(), source_type, target, target_type]
                        .into_iter()
                        .chain(numbers.iter().map(String::as_str))
                        .chain([t.polarity_sum.to_string().as_str()]),
                )?;
            }
            Ok(())
        })?;
        let path = spill.dir.join(format!("sources-{n}.csv"));
        write_run(&path, |w| {
            for ((name, kind), t) in &self.sources {
                let numbers = [t.quotes, t.articles, t.female, t.male, t.anonymous_quotes].map(|n| n.to_string());
                w.write_record(
                    [name.as_str(), kind]
                        .into_iter()
                        .chain(numbers.iter().map(String::as_str))
                        .chain(t.outlets.iter().map(String::as_str)),
                )?;
            }
            Ok(())
        })?;
        spill.runs += 1;
        spill.used = 0;
        self.stance.clear();
        self.sources.clear();
        Ok(())
    }

    /// Removes the run files, once the tables are written.
    pub fn remove_spill(&self) -> Result<()> {
        match &self.spill {
            Some(spill) if spill.runs > 0 => {
                fs::remove_dir_all(&spill.dir).with_context(|| format!("cannot remove {}", spill.dir.display()))
            }
            _ => Ok(()),
        }
    }

    /// Folds in one stance_evidence.csv row. `articles` counts a key once per
    /// run of consecutive rows with the same article_id.
    pub fn add_evidence(&mut self, article_id: &str, ev: &StanceFact) -> Result<()> {
        let key = (ev.source.clone(), ev.source_type.clone(), ev.target.clone(), ev.target_type.clone());
        if self.evidence_article != article_id {
            self.evidence_article.clear();
            self.evidence_article.push_str(article_id);
            self.evidence_keys.clear();
        }
        let first_in_article = !self.evidence_keys.contains(&key);
        if !self.stance.contains_key(&key) {
            self.grow(key.0.len() + key.1.len() + key.2.len() + key.3.len() + ENTRY_OVERHEAD);
        }
        let totals = match self.stance.get_mut(&key) {
            Some(totals) => totals,
            None => self.stance.entry(key.clone()).or_default(),
        };
        totals.evidence += 1;
        if ev.polarity > NEUTRAL_BAND {
            totals.positive += 1;
        } else if ev.polarity < -NEUTRAL_BAND {
            totals.negative += 1;
        } else {
            totals.neutral += 1;
        }
        totals.polarity_sum += ev.polarity;
        if first_in_article {
            totals.articles += 1;
            self.evidence_keys.push(key);
        }
        self.spill_if_full()
    }

    /// Folds in the quoted sources of one article.
    pub fn add_sources(&mut self, outlet: &str, sources: &[SourceFact]) -> Result<()> {
        for s in sources {
            let key = (s.name.clone(), s.kind.clone());
            if !self.sources.contains_key(&key) {
                self.grow(key.0.len() + key.1.len() + ENTRY_OVERHEAD);
            }
            let totals = self.sources.entry(key).or_default();
            totals.quotes += 1;
            match s.gender {
                Gender::Female => totals.female += 1,
                Gender::Male => totals.male += 1,
                Gender::Unknown => {}
            }
            totals.anonymous_quotes += u64::from(s.anonymous);
        }
        let keys: BTreeSet<SourceKey> = sources.iter().map(|s| (s.name.clone(), s.kind.clone())).collect();
        let mut grown = 0;
        for key in keys {
            let totals = self.sources.get_mut(&key).expect("added above");
            totals.articles += 1;
            if !outlet.is_empty() && !totals.outlets.contains(outlet) {
                totals.outlets.insert(outlet.to_string());
                grown += outlet.len() + 96;
            }
        }
        self.grow(grown);
        self.spill_if_full()
    }

    /// Folds into these (empty) totals, which may spill, the rows of
    /// articles.csv, quotes.csv and stance_evidence.csv (each with its header
    /// row) read back from `tables`, in that order; `names` name them in
    /// errors. Gives the same totals as [`Self::add`] over the articles that
    /// wrote these rows.
    pub fn fold_tables(self, tables: [(&str, Box<dyn Read + '_>); 3]) -> Result<RunTotals> {
        let [(articles_name, articles), (quotes_name, quotes), (evidence_name, evidence)] = tables;
        let mut totals = self;
        let column = |table: Table, name: &str| -> usize {
            table.columns().iter().position(|c| *c == name).expect("a column of the contract")
        };
        let line_of = |r: &csv::StringRecord| r.position().map_or(0, |p| p.line());

        let mut evidence = csv::Reader::from_reader(evidence);
        check_header(evidence.headers(), Table::StanceEvidence, evidence_name)?;
        let at = |name| column(Table::StanceEvidence, name);
        let (id, source, source_type, target, target_type, polarity) =
            (at("article_id"), at("source"), at("source_type"), at("target"), at("target_type"), at("polarity"));
        for record in evidence.records() {
            let r = record.with_context(|| format!("cannot read {evidence_name}"))?;
            let value = parse_thousandths(&r[polarity]).with_context(|| {
                format!("{evidence_name}:{}: polarity {:?} is not a number like -0.250", line_of(&r), &r[polarity])
            })?;
            let fact = StanceFact {
                source: r[source].to_string(),
                source_type: r[source_type].to_string(),
                target: r[target].to_string(),
                target_type: r[target_type].to_string(),
                polarity: value,
            };
            totals.add_evidence(&r[id], &fact)?;
        }

        let mut articles = csv::Reader::from_reader(articles);
        check_header(articles.headers(), Table::Articles, articles_name)?;
        let mut quotes = csv::Reader::from_reader(quotes);
        check_header(quotes.headers(), Table::Quotes, quotes_name)?;
        let (outlet, count) = (column(Table::Articles, "outlet"), column(Table::Articles, "quotes"));
        let q = |name| column(Table::Quotes, name);
        let (speaker, speaker_type, gender, anonymous) =
            (q("speaker"), q("speaker_type"), q("speaker_gender"), q("anonymous"));
        let mut quote_rows = quotes.records();
        let mut sources = Vec::new();
        for record in articles.records() {
            let a = record.with_context(|| format!("cannot read {articles_name}"))?;
            let n: u64 = a[count]
                .parse()
                .with_context(|| format!("{articles_name}:{}: quotes {:?} is not a count", line_of(&a), &a[count]))?;
            sources.clear();
            for _ in 0..n {
                let Some(row) = quote_rows.next() else {
                    bail!(
                        "{quotes_name} ends before the quotes of {articles_name}:{} (tables of different runs?)",
                        line_of(&a)
                    );
                };
                let row = row.with_context(|| format!("cannot read {quotes_name}"))?;
                if row[speaker].is_empty() {
                    continue;
                }
                sources.push(SourceFact {
                    name: row[speaker].to_string(),
                    kind: row[speaker_type].to_string(),
                    gender: match &row[gender] {
                        "female" => Gender::Female,
                        "male" => Gender::Male,
                        _ => Gender::Unknown,
                    },
                    anonymous: &row[anonymous] == "true",
                });
            }
            totals.add_sources(&a[outlet], &sources)?;
        }
        if let Some(extra) = quote_rows.next() {
            let line = extra.map(|r| line_of(&r)).unwrap_or(0);
            bail!("{quotes_name}:{line}: a quote row no article of {articles_name} counts (tables of different runs?)");
        }
        Ok(totals)
    }

    /// stance.csv rows (no header), sorted by source, source type, target,
    /// target type.
    pub fn write_stance(&self, out: &mut dyn Write) -> Result<()> {
        let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(out);
        let mut runs: Vec<Run<'_, StanceKey, StanceTotals>> = Vec::new();
        for path in self.run_files("stance") {
            runs.push(Box::new(read_run(path, |r| {
                let number = |i: usize| r.get(i).and_then(|c| c.parse::<u64>().ok());
                let key = (r.get(0)?.to_string(), r.get(1)?.to_string(), r.get(2)?.to_string(), r.get(3)?.to_string());
                let totals = StanceTotals {
                    evidence: number(4)?,
                    articles: number(5)?,
                    positive: number(6)?,
                    negative: number(7)?,
                    neutral: number(8)?,
                    polarity_sum: r.get(9)?.parse().ok()?,
                };
                Some((key, totals))
            })?));
        }
        runs.push(Box::new(self.stance.iter().map(|(k, t)| Ok((k.clone(), t.clone())))));
        merge_runs(runs, StanceTotals::fold, |(source, source_type, target, target_type), t| {
            let mean = t.polarity_sum as f64 / t.evidence as f64 / 1000.0;
            w.write_record([
                source.as_str(),
                &source_type,
                &target,
                &target_type,
                &t.evidence.to_string(),
                &t.articles.to_string(),
                &t.positive.to_string(),
                &t.negative.to_string(),
                &t.neutral.to_string(),
                &format_mean(mean),
            ])?;
            Ok(())
        })?;
        w.flush()?;
        Ok(())
    }

    /// sources.csv rows (no header), sorted by source and source type.
    /// `gender` is the majority of the genders its quotes carried (empty on a
    /// tie or none); `anonymous` is true when most of its quotes were
    /// anonymous.
    pub fn write_sources(&self, out: &mut dyn Write) -> Result<()> {
        let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(out);
        let mut runs: Vec<Run<'_, SourceKey, SourceTotals>> = Vec::new();
        for path in self.run_files("sources") {
            runs.push(Box::new(read_run(path, |r| {
                let number = |i: usize| r.get(i).and_then(|c| c.parse::<u64>().ok());
                let key = (r.get(0)?.to_string(), r.get(1)?.to_string());
                let totals = SourceTotals {
                    quotes: number(2)?,
                    articles: number(3)?,
                    female: number(4)?,
                    male: number(5)?,
                    anonymous_quotes: number(6)?,
                    outlets: r.iter().skip(7).map(str::to_string).collect(),
                };
                Some((key, totals))
            })?));
        }
        runs.push(Box::new(self.sources.iter().map(|(k, t)| Ok((k.clone(), t.clone())))));
        merge_runs(runs, SourceTotals::fold, |(name, kind), t| {
            let gender = match t.female.cmp(&t.male) {
                std::cmp::Ordering::Greater => Gender::Female,
                std::cmp::Ordering::Less => Gender::Male,
                std::cmp::Ordering::Equal => Gender::Unknown,
            };
            let anonymous = t.anonymous_quotes * 2 > t.quotes;
            w.write_record([
                name.as_str(),
                &kind,
                gender.as_str(),
                &t.quotes.to_string(),
                &t.articles.to_string(),
                &t.outlets.len().to_string(),
                &anonymous.to_string(),
            ])?;
            Ok(())
        })?;
        w.flush()?;
        Ok(())
    }

    /// The run files of one table, in the order they were written.
    fn run_files(&self, table: &str) -> Vec<PathBuf> {
        match &self.spill {
            Some(spill) => (0..spill.runs).map(|n| spill.dir.join(format!("{table}-{n}.csv"))).collect(),
            None => Vec::new(),
        }
    }
}

/// Sorted (key, totals) pairs: a run file or the totals in memory.
type Run<'a, K, V> = Box<dyn Iterator<Item = Result<(K, V)>> + 'a>;

/// Writes one run file through a CSV writer.
fn write_run(
    path: &std::path::Path,
    rows: impl FnOnce(&mut csv::Writer<BufWriter<File>>) -> csv::Result<()>,
) -> Result<()> {
    let file = File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    let mut w = csv::WriterBuilder::new().has_headers(false).flexible(true).from_writer(BufWriter::new(file));
    rows(&mut w).with_context(|| format!("cannot write {}", path.display()))?;
    let file =
        w.into_inner().map_err(|e| e.into_error()).with_context(|| format!("cannot write {}", path.display()))?;
    file.into_inner()
        .map_err(|e| e.into_error())
        .and_then(|f| f.sync_all())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Reads a run file back, row by row.
fn read_run<K, V>(
    path: PathBuf,
    parse: impl Fn(&csv::StringRecord) -> Option<(K, V)>,
) -> Result<impl Iterator<Item = Result<(K, V)>>> {
    let file = File::open(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(std::io::BufReader::new(file));
    Ok(reader.into_records().map(move |record| {
        let record = record.with_context(|| format!("cannot read {}", path.display()))?;
        parse(&record).with_context(|| format!("{}: a row the run wrote does not read back", path.display()))
    }))
}

/// Merges sorted runs (each with distinct keys) into one sorted sequence,
/// folding the totals of equal keys, and hands each key to `emit` once.
fn merge_runs<K: Ord, V>(
    mut runs: Vec<Run<'_, K, V>>,
    fold: impl Fn(&mut V, V),
    mut emit: impl FnMut(K, V) -> Result<()>,
) -> Result<()> {
    let mut heads: Vec<Option<(K, V)>> = Vec::with_capacity(runs.len());
    for run in &mut runs {
        heads.push(run.next().transpose()?);
    }
    loop {
        let mut least: Option<usize> = None;
        for (i, head) in heads.iter().enumerate() {
            if let Some((key, _)) = head
                && least.is_none_or(|l| heads[l].as_ref().is_some_and(|(least_key, _)| key < least_key))
            {
                least = Some(i);
            }
        }
        let Some(i) = least else { return Ok(()) };
        let (key, mut totals) = heads[i].take().expect("the least head");
        heads[i] = runs[i].next().transpose()?;
        for j in 0..heads.len() {
            if heads[j].as_ref().is_some_and(|(k, _)| *k == key) {
                let (_, more) = heads[j].take().expect("checked");
                fold(&mut totals, more);
                heads[j] = runs[j].next().transpose()?;
            }
        }
        emit(key, totals)?;
    }
}

/// Checks that a table read back has the contract's header row.
fn check_header(header: csv::Result<&csv::StringRecord>, table: Table, name: &str) -> Result<()> {
    let header = header.with_context(|| format!("cannot read {name}"))?;
    if !header.iter().eq(table.columns().iter().copied()) {
        bail!("{name}: the header is not {}'s ({})", table.file_name(), table.columns().join(","));
    }
    Ok(())
}

fn format_mean(mean: f64) -> String {
    let rounded = (mean * 1000.0).round() / 1000.0;
    if rounded == 0.0 { "0.000".to_string() } else { format!("{rounded:.3}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stance(source: &str, target: &str, polarity: f32) -> StanceFact {
        StanceFact {
            source: source.into(),
            source_type: "PERSON".into(),
            target: target.into(),
            target_type: "GPE".into(),
            polarity: thousandths(polarity),
        }
    }

    fn source(name: &str, gender: Gender, anonymous: bool) -> SourceFact {
        SourceFact { name: name.into(), kind: "PERSON".into(), gender, anonymous }
    }

    fn tables(articles: &[ArticleFacts]) -> (String, String) {
        tables_of(RunTotals::default(), articles)
    }

    fn tables_of(mut totals: RunTotals, articles: &[ArticleFacts]) -> (String, String) {
        for a in articles {
            totals.add(a).unwrap();
        }
        let (mut s, mut p) = (Vec::new(), Vec::new());
        totals.write_stance(&mut s).unwrap();
        totals.write_sources(&mut p).unwrap();
        totals.remove_spill().unwrap();
        (String::from_utf8(s).unwrap(), String::from_utf8(p).unwrap())
    }

    /// Totals written out to run files every few articles give the same
    /// tables as totals held in memory.
    #[test]
    fn spilled_totals_merge_into_the_same_tables() {
        let articles: Vec<ArticleFacts> = (0..40)
            .map(|i| ArticleFacts {
                id: format!("a{}", i / 2),
                outlet: format!("outlet, \"{}\"", i % 5),
                sources: vec![
                    source(&format!("S{}", i % 7), if i % 3 == 0 { Gender::Female } else { Gender::Male }, i % 4 == 0),
                    source(&format!("S{}", (i * 3) % 11), Gender::Unknown, false),
                ],
                stance: vec![
                    stance(&format!("S{}", i % 7), &format!("T{}", i % 3), (i as f32 - 20.0) / 17.0),
                    stance(&format!("S{}", i % 5), "T,\"1\"", 0.01 * i as f32),
                ],
            })
            .collect();
        let expected = tables(&articles);
        for budget in [0, 300, 2000] {
            let dir = tempfile::tempdir().unwrap();
            let spill_dir = dir.path().join("folds");
            let mut totals = RunTotals::spilling(spill_dir.clone(), budget).unwrap();
            for a in &articles {
                totals.add(a).unwrap();
            }
            assert!(totals.spill.as_ref().unwrap().runs > 0, "budget {budget} spilled");
            assert!(spill_dir.join("stance-0.csv").exists());
            let (mut s, mut p) = (Vec::new(), Vec::new());
            totals.write_stance(&mut s).unwrap();
            totals.write_sources(&mut p).unwrap();
            totals.remove_spill().unwrap();
            assert!(!spill_dir.exists());
            assert_eq!((String::from_utf8(s).unwrap(), String::from_utf8(p).unwrap()), expected, "budget {budget}");
        }
    }

    #[test]
    fn folds_count_evidence_articles_and_signs() {
        let a = ArticleFacts {
            id: "a".into(),
            outlet: "wire".into(),
            sources: vec![source("Ali Rabiei", Gender::Male, false), source("Ali Rabiei", Gender::Male, false)],
            stance: vec![stance("Ali Rabiei", "United States", -0.6), stance("Ali Rabiei", "United States", 0.0)],
        };
        let b = ArticleFacts {
            id: "b".into(),
            outlet: "post".into(),
            sources: vec![
                source("Ali Rabiei", Gender::Unknown, false),
                source("a senior official", Gender::Unknown, true),
            ],
            stance: vec![stance("Ali Rabiei", "United States", 0.3), stance("Ali Rabiei", "Iran", 0.5)],
        };
        let (stance_csv, sources_csv) = tables(&[a, b]);
        assert_eq!(
            stance_csv,
            "Ali Rabiei,PERSON,Iran,GPE,1,1,1,0,0,0.500\nAli Rabiei,PERSON,United States,GPE,3,2,1,1,1,-0.100\n"
        );
        assert_eq!(sources_csv, "Ali Rabiei,PERSON,male,3,2,2,false\na senior official,PERSON,,1,1,1,true\n");
    }

    #[test]
    fn rows_are_sorted_by_key_whatever_the_input_order() {
        let articles: Vec<ArticleFacts> = (0..6)
            .map(|i| ArticleFacts {
                id: i.to_string(),
                outlet: format!("o{}", i % 2),
                sources: vec![source(&format!("S{}", 5 - i), Gender::Female, false)],
                // Exact binary fractions, so the sums do not depend on order.
                stance: vec![stance(&format!("S{}", i % 3), "T", (i as f32 - 2.0) / 4.0)],
            })
            .collect();
        let forward = tables(&articles);
        let mut reversed = articles.clone();
        reversed.reverse();
        assert_eq!(forward, tables(&reversed));
        assert!(forward.1.starts_with("S0,"));
        assert!(forward.0.starts_with("S0,PERSON,T,GPE,2,2,1,1,0,-0.125\n"), "{}", forward.0);
    }

    #[test]
    fn polarity_cells_round_trip_as_thousandths() {
        for (value, cell) in
            [(0.5, "0.500"), (-0.25, "-0.250"), (-0.0004, "0.000"), (1.0, "1.000"), (-0.0506, "-0.051")]
        {
            let k = thousandths(value);
            assert_eq!(format_thousandths(k), cell);
            assert_eq!(parse_thousandths(cell), Some(k));
        }
        for bad in ["", "1", "0.5", "-.500", "1.5000", "a.bcd", "--0.100"] {
            assert_eq!(parse_thousandths(bad), None, "{bad}");
        }
    }

    /// Two articles in a row with the same id are one article to the fold,
    /// as they are to a fold of the rows read back (which cannot tell them
    /// apart).
    #[test]
    fn an_article_is_a_run_of_rows_with_one_id() {
        let facts = |id: &str| ArticleFacts {
            id: id.into(),
            outlet: String::new(),
            sources: vec![],
            stance: vec![stance("S", "T", 0.5)],
        };
        let (stance_csv, _) = tables(&[facts("x"), facts("x"), facts("y"), facts("x")]);
        assert_eq!(stance_csv, "S,PERSON,T,GPE,4,3,4,0,0,0.500\n");
    }
}
