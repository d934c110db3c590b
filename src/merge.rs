//! `wirescan merge`: the outputs of `wirescan run --shard K/N` back into the
//! tables of one run.
//!
//! A shard handles the blocks of [`BLOCK_LINES`] input lines whose number is
//! K modulo N, and writes, besides its tables, `shard-index.csv` (per batch:
//! its block and the bytes its rows took in each per-article table) and
//! `shard.json` (K, N, the run's line count and the command's identity). The
//! merge walks the blocks in order, copying each block's rows from the shard
//! that owns it, so the per-article tables come out byte for byte as one
//! run's; stance.csv and sources.csv are then folded from the merged rows
//! ([`RunTotals::fold_tables`]), as a single run folds the same rows.

use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use crate::cli::MergeConfig;
use crate::input::{BLOCK_LINES, Shard};
use crate::output::checkpoint::RunIdentity;
use crate::output::{PER_ARTICLE, RunTotals, SHARD_INDEX, Table, TableSet};

/// The file a completed shard writes next to its tables.
pub const SHARD_FILE: &str = "shard.json";
const FORMAT: u32 = 1;

/// What a completed shard says about itself (`shard.json`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ShardInfo {
    pub format: u32,
    pub shard: Shard,
    pub block_lines: u64,
    /// Lines of the whole run, over all inputs (every shard reads them all).
    pub lines: u64,
    pub identity: RunIdentity,
}

impl ShardInfo {
    pub fn new(shard: Shard, lines: u64, identity: RunIdentity) -> ShardInfo {
        ShardInfo { format: FORMAT, shard, block_lines: BLOCK_LINES, lines, identity }
    }

    /// Writes `shard.json` into `dir` (atomically).
    pub fn save(&self, dir: &Path) -> Result<()> {
        let path = dir.join(SHARD_FILE);
        let tmp = dir.join(format!("{SHARD_FILE}.tmp"));
        let json = serde_json::to_vec_pretty(self).expect("shard info serialises");
        fs::write(&tmp, json).with_context(|| format!("cannot write {}", tmp.display()))?;
        fs::rename(&tmp, &path).with_context(|| format!("cannot rename {} to {}", tmp.display(), path.display()))
    }

    fn load(dir: &Path) -> Result<ShardInfo> {
        let path = dir.join(SHARD_FILE);
        let bytes = fs::read(&path).with_context(|| {
            format!(
                "{} is not the output of a completed `wirescan run --shard K/N`: cannot read {}",
                dir.display(),
                path.display()
            )
        })?;
        let info: ShardInfo =
            serde_json::from_slice(&bytes).with_context(|| format!("{} is not a shard description", path.display()))?;
        if info.format != FORMAT || info.block_lines != BLOCK_LINES {
            bail!("{} was written by another version of wirescan", path.display());
        }
        Ok(info)
    }
}

/// One shard's tables, read in step with its index.
struct ShardReader {
    dir: PathBuf,
    tables: Vec<(PathBuf, BufReader<File>)>,
    index: csv::StringRecordsIntoIter<BufReader<File>>,
    /// The next index row: block and bytes per table.
    next: Option<(u64, [u64; 6])>,
}

impl ShardReader {
    fn open(dir: &Path) -> Result<ShardReader> {
        let mut tables = Vec::new();
        for table in PER_ARTICLE {
            let path = dir.join(table.file_name());
            let file = File::open(&path).with_context(|| format!("cannot read {}", path.display()))?;
            let mut reader = BufReader::new(file);
            let mut header = Vec::new();
            reader.read_until(b'\n', &mut header).with_context(|| format!("cannot read {}", path.display()))?;
            let expected = format!("{}\n", table.columns().join(","));
            if header != expected.as_bytes() {
                bail!("{}: the header is not {}'s", path.display(), table.file_name());
            }
            tables.push((path, reader));
        }
        let path = dir.join(SHARD_INDEX);
        let file = File::open(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let index = csv::Reader::from_reader(BufReader::new(file)).into_records();
        let mut reader = ShardReader { dir: dir.to_path_buf(), tables, index, next: None };
        reader.advance()?;
        Ok(reader)
    }

    fn advance(&mut self) -> Result<()> {
        let path = self.dir.join(SHARD_INDEX);
        self.next = match self.index.next() {
            None => None,
            Some(record) => {
                let record = record.with_context(|| format!("cannot read {}", path.display()))?;
                let line = record.position().map_or(0, |p| p.line());
                let numbers: Vec<u64> = record
                    .iter()
                    .map(|c| c.parse())
                    .collect::<Result<_, _>>()
                    .ok()
                    .filter(|v: &Vec<u64>| v.len() == 7)
                    .with_context(|| format!("{}:{line}: not seven numbers", path.display()))?;
                let mut lengths = [0; 6];
                lengths.copy_from_slice(&numbers[1..]);
                Some((numbers[0], lengths))
            }
        };
        Ok(())
    }
}

/// Runs `wirescan merge`.
pub fn merge(config: &MergeConfig) -> Result<()> {
    let started = std::time::Instant::now();
    let infos: Vec<ShardInfo> = config.shards.iter().map(|d| ShardInfo::load(d)).collect::<Result<_>>()?;
    let first = &infos[0];
    let count = first.shard.count;
    let mut by_index: Vec<Option<usize>> = vec![None; count as usize];
    for (i, info) in infos.iter().enumerate() {
        let dir = config.shards[i].display();
        if info.shard.count != count {
            bail!(
                "{dir} is shard {}/{} but {} is shard {}/{count}: shards of different splits",
                info.shard.index,
                info.shard.count,
                config.shards[0].display(),
                first.shard.index
            );
        }
        let unsharded = |id: &RunIdentity| RunIdentity { shard: None, ..id.clone() };
        if let Some(difference) = unsharded(&first.identity).difference(&unsharded(&info.identity)) {
            bail!("{dir} and {} come from different commands: {difference}", config.shards[0].display());
        }
        if info.lines != first.lines {
            bail!(
                "{dir} read {} input lines but {} read {}: the inputs differ",
                info.lines,
                config.shards[0].display(),
                first.lines
            );
        }
        if let Some(other) = by_index[info.shard.index as usize].replace(i) {
            bail!("shard {}/{count} is given twice: {} and {dir}", info.shard.index, config.shards[other].display());
        }
    }
    if let Some(missing) = by_index.iter().position(Option::is_none) {
        bail!("shard {missing}/{count} is missing (give the output directory of every shard)");
    }
    for shard in &config.shards {
        if fs::canonicalize(shard).ok() == fs::canonicalize(&config.output).ok() {
            bail!("the output directory {} is one of the shards; merge into another directory", shard.display());
        }
    }
    let mut readers: Vec<ShardReader> =
        by_index.iter().map(|i| ShardReader::open(&config.shards[i.expect("checked above")])).collect::<Result<_>>()?;

    let mut tables = TableSet::create(&config.output, false, config.direct_io)?;
    let blocks = first.lines.div_ceil(BLOCK_LINES);
    let mut buffer = Vec::new();
    for block in 0..blocks {
        let reader = &mut readers[(block % count) as usize];
        while let Some((at, lengths)) = reader.next {
            if at != block {
                if at < block || at % count != block % count {
                    bail!("{}: block {at} is out of order or not this shard's", reader.dir.join(SHARD_INDEX).display());
                }
                break;
            }
            for ((table, (path, source)), len) in PER_ARTICLE.into_iter().zip(&mut reader.tables).zip(lengths) {
                buffer.clear();
                source.take(len).read_to_end(&mut buffer).with_context(|| format!("cannot read {}", path.display()))?;
                if buffer.len() as u64 != len {
                    bail!("{} ends before its rows of block {block} (an incomplete shard?)", path.display());
                }
                tables.write_raw(table, &buffer)?;
            }
            reader.advance()?;
        }
    }
    for reader in &mut readers {
        if let Some((block, _)) = reader.next {
            bail!(
                "{}: block {block} is past the {} lines of the run",
                reader.dir.join(SHARD_INDEX).display(),
                first.lines
            );
        }
        for (path, source) in &mut reader.tables {
            let mut rest = [0u8; 1];
            if source.read(&mut rest).with_context(|| format!("cannot read {}", path.display()))? != 0 {
                bail!("{} has rows its shard-index.csv does not list", path.display());
            }
        }
    }

    let lengths = tables.sync()?;
    let open = |table: Table| -> Result<(String, Box<dyn Read>)> {
        let path = tables.partial_path(table);
        let file = File::open(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let len = lengths.get(table.file_name()).copied().unwrap_or(0);
        Ok((path.display().to_string(), Box::new(io::BufReader::new(file).take(len))))
    };
    let (a, q, e) = (open(Table::Articles)?, open(Table::Quotes)?, open(Table::StanceEvidence)?);
    let totals = RunTotals::spilling(tables.fold_spill_dir(), config.fold_memory)?.fold_tables([
        (&a.0, a.1),
        (&q.0, q.1),
        (&e.0, e.1),
    ])?;
    tables.finish(&totals)?;
    eprintln!(
        "wirescan: merged {count} shards ({} input lines) in {:.2} s -> {}",
        first.lines,
        started.elapsed().as_secs_f64(),
        config.output.display()
    );
    Ok(())
}
