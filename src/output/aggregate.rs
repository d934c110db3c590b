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

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fs::{self, File};
use std::io::{BufWriter, Read, Write};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};

use super::Table;
use crate::fxhash::FxHashMap;
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

/// Fold keys: the text cells that key a run-wide row — source, source_type,
/// target, target_type for stance.csv; source, source_type for sources.csv —
/// end to end in one byte string that sorts as the tuple of cells does. The
/// totals then live in a hash map looked up by borrowed bytes (no `String`
/// per row, no tree walk of string comparisons) and are sorted once, when
/// they are written.
///
/// A cell is its bytes with each NUL written as `00 FF`, then the terminator
/// `00 00`. The terminator sorts before anything a longer cell can continue
/// with (a byte above 0, or an escaped NUL `00 FF`), so a cell that is a
/// prefix of another sorts first, as in the tuple; `FF` never occurs in UTF-8,
/// so the encoding reads back unambiguously.
fn push_cell(key: &mut Vec<u8>, cell: &str) {
    let bytes = cell.as_bytes();
    // (Cells are short names and types: the standard library's search, a
    // loop over the few bytes, costs less than `memchr`'s dispatch.)
    if !bytes.contains(&0) {
        key.extend_from_slice(bytes);
    } else {
        for &b in bytes {
            key.push(b);
            if b == 0 {
                key.push(0xff);
            }
        }
    }
    key.extend_from_slice(&[0, 0]);
}

/// The cells of a key written by [`push_cell`], in order.
fn key_cells(key: &[u8]) -> impl Iterator<Item = Cow<'_, str>> {
    let mut rest = key;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        // The cell ends at the first NUL followed by another NUL; a NUL
        // followed by FF is an escaped NUL of the cell.
        let (mut end, mut escaped) = (0, false);
        loop {
            end += memchr::memchr(0, &rest[end..]).expect("a terminated cell");
            if rest[end + 1] == 0 {
                break;
            }
            escaped = true;
            end += 2;
        }
        let (cell, tail) = (&rest[..end], &rest[end + 2..]);
        rest = tail;
        let cell = if escaped {
            let mut bytes = Vec::with_capacity(cell.len());
            let mut previous_nul = false;
            for &b in cell {
                if !(previous_nul && b == 0xff) {
                    bytes.push(b);
                }
                previous_nul = b == 0 && !previous_nul;
            }
            Cow::Owned(String::from_utf8(bytes).expect("a key is made of UTF-8 cells"))
        } else {
            Cow::Borrowed(std::str::from_utf8(cell).expect("a key is made of UTF-8 cells"))
        };
        Some(cell)
    })
}

/// A key of `N` cells as an array.
fn key_array<const N: usize>(key: &[u8]) -> [Cow<'_, str>; N] {
    let mut cells = key_cells(key);
    std::array::from_fn(|_| cells.next().expect("a key of N cells"))
}

/// A quoted source in one article: its key (name, type) in the article's
/// key bytes.
#[derive(Debug, Clone, PartialEq)]
struct SourceFact {
    key: std::ops::Range<u32>,
    gender: Gender,
    anonymous: bool,
}

/// One piece of stance evidence in one article: its key (source, type,
/// target, type) in the article's key bytes.
#[derive(Debug, Clone, PartialEq)]
struct StanceFact {
    key: std::ops::Range<u32>,
    /// Polarity in thousandths, as written in stance_evidence.csv.
    polarity: i64,
}

/// What one article contributes to the run-wide tables. Built on a worker,
/// folded on the writer thread: the keys are encoded here, so folding them
/// is a hash and a look-up.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArticleFacts {
    /// The article_id cell.
    pub id: String,
    pub outlet: String,
    /// The fold keys of `sources` and `stance`, end to end (see
    /// [`push_cell`]).
    keys: Vec<u8>,
    /// One entry per attributed quote.
    sources: Vec<SourceFact>,
    stance: Vec<StanceFact>,
}

impl ArticleFacts {
    pub fn new(id: &str, outlet: &str) -> ArticleFacts {
        ArticleFacts { id: id.to_string(), outlet: outlet.to_string(), ..ArticleFacts::default() }
    }

    /// Makes room for `sources` sources and `stance` stance rows whose
    /// cells hold `cell_bytes` bytes in all, so that the pushes that follow
    /// do not grow the lists step by step.
    pub fn reserve(&mut self, sources: usize, stance: usize, cell_bytes: usize) {
        // Each cell's terminator: two cells a source, four a stance row.
        self.keys.reserve_exact(cell_bytes + 2 * (2 * sources + 4 * stance));
        self.sources.reserve_exact(sources);
        self.stance.reserve_exact(stance);
    }

    /// Adds a quote's source (the speaker cells of a quotes.csv row).
    pub fn push_source(&mut self, name: &str, kind: &str, gender: Gender, anonymous: bool) {
        let start = self.keys.len() as u32;
        push_cell(&mut self.keys, name);
        push_cell(&mut self.keys, kind);
        self.sources.push(SourceFact { key: start..self.keys.len() as u32, gender, anonymous });
    }

    /// Adds a stance_evidence.csv row; `polarity` in thousandths.
    pub fn push_stance(&mut self, source: &str, source_type: &str, target: &str, target_type: &str, polarity: i64) {
        let start = self.keys.len() as u32;
        for cell in [source, source_type, target, target_type] {
            push_cell(&mut self.keys, cell);
        }
        self.stance.push(StanceFact { key: start..self.keys.len() as u32, polarity });
    }

    /// How many quoted sources the article has.
    pub fn source_count(&self) -> usize {
        self.sources.len()
    }

    fn key(&self, range: &std::ops::Range<u32>) -> &[u8] {
        &self.keys[range.start as usize..range.end as usize]
    }
}

/// An encoded key (see [`push_cell`]).
type Key = Box<[u8]>;

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
    /// The run of evidence rows (see [`RunTotals::evidence_run`]) that last
    /// counted this key in `articles`; 0 none. Not written out.
    counted_in: u64,
}

/// The totals of a source as run files hold them and as they are merged.
#[derive(Debug, Default, Clone)]
struct SourceTotals {
    quotes: u64,
    articles: u64,
    outlets: BTreeSet<String>,
    female: u64,
    male: u64,
    anonymous_quotes: u64,
}

/// The totals of a source while the run folds: outlets by number (see
/// [`Outlets`]), so an article's outlet costs one look-up, not a `String`
/// per source.
#[derive(Debug, Default, Clone)]
struct SourceCounts {
    quotes: u64,
    articles: u64,
    /// Sorted outlet numbers.
    outlets: Vec<u32>,
    female: u64,
    male: u64,
    anonymous_quotes: u64,
    /// The article (see [`RunTotals::source_article`]) that last counted
    /// this source in `articles`; 0 none.
    counted_in: u64,
}

impl SourceCounts {
    /// The totals with the outlets' names.
    fn totals(&self, outlets: &Outlets) -> SourceTotals {
        SourceTotals {
            quotes: self.quotes,
            articles: self.articles,
            outlets: self.outlets.iter().map(|&n| outlets.names[n as usize].to_string()).collect(),
            female: self.female,
            male: self.male,
            anonymous_quotes: self.anonymous_quotes,
        }
    }
}

/// Every outlet the run has seen, numbered. Kept across spills: a dump
/// names few outlets next to its sources and targets.
#[derive(Debug, Default)]
struct Outlets {
    numbers: FxHashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

impl Outlets {
    fn number(&mut self, outlet: &str) -> u32 {
        if let Some(&n) = self.numbers.get(outlet) {
            return n;
        }
        let n = self.names.len() as u32;
        self.names.push(outlet.into());
        self.numbers.insert(outlet.into(), n);
        n
    }
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
/// memory (measured when the totals were trees of `String` tuples; the hash
/// maps take less, so the estimate errs on the safe side).
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

/// Adds to the estimated bytes of the totals in memory.
fn grow(spill: &mut Option<Spill>, bytes: usize) {
    if let Some(spill) = spill {
        spill.used += bytes;
    }
}

/// The run-wide folds.
#[derive(Debug, Default)]
pub struct RunTotals {
    stance: FxHashMap<Key, StanceTotals>,
    sources: FxHashMap<Key, SourceCounts>,
    outlets: Outlets,
    spill: Option<Spill>,
    /// The article_id of the last evidence row (None before the first).
    evidence_article: Option<String>,
    /// Numbers the runs of evidence rows with one article_id, from 1: a key
    /// counts in `articles` once per run.
    evidence_run: u64,
    /// Keys the current run of evidence rows counted before a spill took
    /// their totals out of memory (they must not count again in this run).
    counted_before_spill: Vec<Key>,
    /// Numbers the articles folded by [`Self::add_sources`], from 1.
    source_article: u64,
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
            self.add_evidence(&facts.id, facts.key(&ev.key), ev.polarity)?;
        }
        self.add_sources(&facts.outlet, facts.sources.iter().map(|s| (facts.key(&s.key), s)))
    }

    /// The in-memory totals sorted by key.
    fn sorted<V>(map: &FxHashMap<Key, V>) -> Vec<(&[u8], &V)> {
        let mut entries: Vec<(&[u8], &V)> = map.iter().map(|(k, v)| (&**k, v)).collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
        entries
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
            for (key, t) in Self::sorted(&self.stance) {
                let numbers = [t.evidence, t.articles, t.positive, t.negative, t.neutral].map(|n| n.to_string());
                let cells: [Cow<str>; 4] = key_array(key);
                w.write_record(
                    cells
                        .iter()
                        .map(|c| &**c)
                        .chain(numbers.iter().map(String::as_str))
                        .chain([t.polarity_sum.to_string().as_str()]),
                )?;
            }
            Ok(())
        })?;
        let path = spill.dir.join(format!("sources-{n}.csv"));
        let outlets = &self.outlets;
        write_run(&path, |w| {
            for (key, t) in Self::sorted(&self.sources) {
                let numbers = [t.quotes, t.articles, t.female, t.male, t.anonymous_quotes].map(|n| n.to_string());
                let cells: [Cow<str>; 2] = key_array(key);
                let mut names: Vec<&str> = t.outlets.iter().map(|&n| &*outlets.names[n as usize]).collect();
                names.sort_unstable();
                w.write_record(cells.iter().map(|c| &**c).chain(numbers.iter().map(String::as_str)).chain(names))?;
            }
            Ok(())
        })?;
        spill.runs += 1;
        spill.used = 0;
        let run = self.evidence_run;
        self.counted_before_spill.extend(self.stance.drain().filter(|(_, t)| t.counted_in == run).map(|(key, _)| key));
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

    /// Folds in one stance_evidence.csv row, its key encoded. `articles`
    /// counts a key once per run of consecutive rows with the same
    /// article_id.
    fn add_evidence(&mut self, article_id: &str, key: &[u8], polarity: i64) -> Result<()> {
        if self.evidence_article.as_deref() != Some(article_id) {
            let last = self.evidence_article.get_or_insert_with(String::new);
            last.clear();
            last.push_str(article_id);
            self.evidence_run += 1;
            self.counted_before_spill.clear();
        }
        let run = self.evidence_run;
        let totals = match self.stance.get_mut(key) {
            Some(totals) => totals,
            None => {
                grow(&mut self.spill, key.len() + ENTRY_OVERHEAD);
                let counted = self.counted_before_spill.iter().any(|k| **k == *key);
                let totals = self.stance.entry(key.into()).or_default();
                if counted {
                    totals.counted_in = run;
                }
                totals
            }
        };
        totals.evidence += 1;
        if polarity > NEUTRAL_BAND {
            totals.positive += 1;
        } else if polarity < -NEUTRAL_BAND {
            totals.negative += 1;
        } else {
            totals.neutral += 1;
        }
        totals.polarity_sum += polarity;
        if totals.counted_in != run {
            totals.counted_in = run;
            totals.articles += 1;
        }
        self.spill_if_full()
    }

    /// Folds in the quoted sources of one article, keys encoded.
    fn add_sources<'f>(
        &mut self,
        outlet: &str,
        sources: impl Iterator<Item = (&'f [u8], &'f SourceFact)>,
    ) -> Result<()> {
        self.source_article += 1;
        let article = self.source_article;
        let outlet_number = (!outlet.is_empty()).then(|| self.outlets.number(outlet));
        let mut grown = 0;
        for (key, s) in sources {
            let totals = match self.sources.get_mut(key) {
                Some(totals) => totals,
                None => {
                    grown += key.len() + ENTRY_OVERHEAD;
                    self.sources.entry(key.into()).or_default()
                }
            };
            totals.quotes += 1;
            match s.gender {
                Gender::Female => totals.female += 1,
                Gender::Male => totals.male += 1,
                Gender::Unknown => {}
            }
            totals.anonymous_quotes += u64::from(s.anonymous);
            if totals.counted_in != article {
                totals.counted_in = article;
                totals.articles += 1;
                if let Some(number) = outlet_number
                    && let Err(at) = totals.outlets.binary_search(&number)
                {
                    totals.outlets.insert(at, number);
                    grown += outlet.len() + 96;
                }
            }
        }
        grow(&mut self.spill, grown);
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
        let mut key = Vec::new();
        for record in evidence.records() {
            let r = record.with_context(|| format!("cannot read {evidence_name}"))?;
            let value = parse_thousandths(&r[polarity]).with_context(|| {
                format!("{evidence_name}:{}: polarity {:?} is not a number like -0.250", line_of(&r), &r[polarity])
            })?;
            key.clear();
            for cell in [source, source_type, target, target_type] {
                push_cell(&mut key, &r[cell]);
            }
            totals.add_evidence(&r[id], &key, value)?;
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
        for record in articles.records() {
            let a = record.with_context(|| format!("cannot read {articles_name}"))?;
            let n: u64 = a[count]
                .parse()
                .with_context(|| format!("{articles_name}:{}: quotes {:?} is not a count", line_of(&a), &a[count]))?;
            let mut facts = ArticleFacts::default();
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
                let gender = match &row[gender] {
                    "female" => Gender::Female,
                    "male" => Gender::Male,
                    _ => Gender::Unknown,
                };
                facts.push_source(&row[speaker], &row[speaker_type], gender, &row[anonymous] == "true");
            }
            totals.add_sources(&a[outlet], facts.sources.iter().map(|s| (facts.key(&s.key), s)))?;
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
        let mut runs: Vec<Run<'_, Cow<[u8]>, StanceTotals>> = Vec::new();
        for path in self.run_files("stance") {
            runs.push(Box::new(read_run(path, |r| {
                let number = |i: usize| r.get(i).and_then(|c| c.parse::<u64>().ok());
                let mut key = Vec::new();
                for i in 0..4 {
                    push_cell(&mut key, r.get(i)?);
                }
                let totals = StanceTotals {
                    evidence: number(4)?,
                    articles: number(5)?,
                    positive: number(6)?,
                    negative: number(7)?,
                    neutral: number(8)?,
                    polarity_sum: r.get(9)?.parse().ok()?,
                    counted_in: 0,
                };
                Some((Cow::Owned(key), totals))
            })?));
        }
        runs.push(Box::new(Self::sorted(&self.stance).into_iter().map(|(k, t)| Ok((Cow::Borrowed(k), t.clone())))));
        merge_runs(runs, StanceTotals::fold, |key, t| {
            let [source, source_type, target, target_type] = key_array(&key);
            let mean = t.polarity_sum as f64 / t.evidence as f64 / 1000.0;
            w.write_record([
                &*source,
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
        let mut runs: Vec<Run<'_, Cow<[u8]>, SourceTotals>> = Vec::new();
        for path in self.run_files("sources") {
            runs.push(Box::new(read_run(path, |r| {
                let number = |i: usize| r.get(i).and_then(|c| c.parse::<u64>().ok());
                let mut key = Vec::new();
                for i in 0..2 {
                    push_cell(&mut key, r.get(i)?);
                }
                let totals = SourceTotals {
                    quotes: number(2)?,
                    articles: number(3)?,
                    female: number(4)?,
                    male: number(5)?,
                    anonymous_quotes: number(6)?,
                    outlets: r.iter().skip(7).map(str::to_string).collect(),
                };
                Some((Cow::Owned(key), totals))
            })?));
        }
        let outlets = &self.outlets;
        runs.push(Box::new(
            Self::sorted(&self.sources).into_iter().map(|(k, t)| Ok((Cow::Borrowed(k), t.totals(outlets)))),
        ));
        merge_runs(runs, SourceTotals::fold, |key, t| {
            let [name, kind] = key_array(&key);
            let gender = match t.female.cmp(&t.male) {
                std::cmp::Ordering::Greater => Gender::Female,
                std::cmp::Ordering::Less => Gender::Male,
                std::cmp::Ordering::Equal => Gender::Unknown,
            };
            let anonymous = t.anonymous_quotes * 2 > t.quotes;
            w.write_record([
                &*name,
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

    /// An article's facts as the tests write them (sources typed PERSON,
    /// targets GPE), turned into [`ArticleFacts`] by [`Facts::build`].
    #[derive(Clone)]
    struct Facts {
        id: String,
        outlet: String,
        sources: Vec<(String, Gender, bool)>,
        stance: Vec<(String, String, i64)>,
    }

    impl Facts {
        fn build(&self) -> ArticleFacts {
            let mut facts = ArticleFacts::new(&self.id, &self.outlet);
            for (name, gender, anonymous) in &self.sources {
                facts.push_source(name, "PERSON", *gender, *anonymous);
            }
            for (source, target, polarity) in &self.stance {
                facts.push_stance(source, "PERSON", target, "GPE", *polarity);
            }
            facts
        }
    }

    fn stance(source: &str, target: &str, polarity: f32) -> (String, String, i64) {
        (source.into(), target.into(), thousandths(polarity))
    }

    fn source(name: &str, gender: Gender, anonymous: bool) -> (String, Gender, bool) {
        (name.into(), gender, anonymous)
    }

    fn tables(articles: &[Facts]) -> (String, String) {
        tables_of(RunTotals::default(), articles)
    }

    fn tables_of(mut totals: RunTotals, articles: &[Facts]) -> (String, String) {
        for a in articles {
            totals.add(&a.build()).unwrap();
        }
        let (mut s, mut p) = (Vec::new(), Vec::new());
        totals.write_stance(&mut s).unwrap();
        totals.write_sources(&mut p).unwrap();
        totals.remove_spill().unwrap();
        (String::from_utf8(s).unwrap(), String::from_utf8(p).unwrap())
    }

    /// Encoded keys sort as the tuples of their cells, also when a cell is a
    /// prefix of another or holds a NUL, and read back to the same cells.
    #[test]
    fn keys_sort_as_tuples_of_cells() {
        let cells = ["", "a", "a\0", "a\0b", "ab", "a b", "\0", "\0\0", "é", "b"];
        let mut tuples = Vec::new();
        for x in cells {
            for y in cells {
                tuples.push((x, y));
            }
        }
        let encode = |(x, y): (&str, &str)| {
            let mut key = Vec::new();
            push_cell(&mut key, x);
            push_cell(&mut key, y);
            key
        };
        for &a in &tuples {
            let key = encode(a);
            let [x, y]: [Cow<str>; 2] = key_array(&key);
            assert_eq!((&*x, &*y), a);
            for &b in &tuples {
                assert_eq!(key.cmp(&encode(b)), a.cmp(&b), "{a:?} {b:?}");
            }
        }
    }

    /// Totals written out to run files every few articles give the same
    /// tables as totals held in memory.
    #[test]
    fn spilled_totals_merge_into_the_same_tables() {
        let articles: Vec<Facts> = (0..40)
            .map(|i| Facts {
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
                totals.add(&a.build()).unwrap();
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
        let a = Facts {
            id: "a".into(),
            outlet: "wire".into(),
            sources: vec![source("Ali Rabiei", Gender::Male, false), source("Ali Rabiei", Gender::Male, false)],
            stance: vec![stance("Ali Rabiei", "United States", -0.6), stance("Ali Rabiei", "United States", 0.0)],
        };
        let b = Facts {
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
        let articles: Vec<Facts> = (0..6)
            .map(|i| Facts {
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
        let facts = |id: &str| Facts {
            id: id.into(),
            outlet: String::new(),
            sources: vec![],
            stance: vec![stance("S", "T", 0.5)],
        };
        let (stance_csv, _) = tables(&[facts("x"), facts("x"), facts("y"), facts("x")]);
        assert_eq!(stance_csv, "S,PERSON,T,GPE,4,3,4,0,0,0.500\n");
    }
}
