//! Output: the tables of the contract (DESIGN.md / README.md), their rows, and
//! the run-wide folds.
//!
//! Workers format their batch's rows into CSV byte buffers ([`rows`]); the
//! writer thread appends the buffers in input order ([`TableSet`]) and folds
//! the per-article facts into the run-wide tables ([`aggregate`]). Every table
//! is written under `NAME.partial` and renamed when the run completes, so an
//! interrupted run never leaves a table that looks complete.

pub mod aggregate;
pub mod checkpoint;
pub mod rows;

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::direct_io::DirectWriter;

pub use aggregate::{ArticleFacts, RunTotals};
pub use rows::{BatchRows, RowWriter};

/// A table of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Articles,
    Mentions,
    Entities,
    Quotes,
    StanceEvidence,
    Rejects,
    Stance,
    Sources,
}

/// Tables written row by row as articles go by, in this order in
/// [`BatchRows`].
pub const PER_ARTICLE: [Table; 6] =
    [Table::Articles, Table::Mentions, Table::Entities, Table::Quotes, Table::StanceEvidence, Table::Rejects];

/// Tables folded over the whole run and written at the end.
pub const RUN_WIDE: [Table; 2] = [Table::Stance, Table::Sources];

impl Table {
    pub fn file_name(self) -> &'static str {
        match self {
            Table::Articles => "articles.csv",
            Table::Mentions => "mentions.csv",
            Table::Entities => "entities.csv",
            Table::Quotes => "quotes.csv",
            Table::StanceEvidence => "stance_evidence.csv",
            Table::Rejects => "rejects.csv",
            Table::Stance => "stance.csv",
            Table::Sources => "sources.csv",
        }
    }

    /// The header row: the contract's columns, in order.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Table::Articles => {
                &["article_id", "outlet", "published", "title", "chars", "sentences", "entities", "quotes"]
            }
            Table::Mentions => &["article_id", "entity_id", "start", "end", "text", "type"],
            Table::Entities => {
                &["article_id", "entity_id", "name", "type", "mentions", "first_start", "first_end", "gender"]
            }
            Table::Quotes => &[
                "article_id",
                "quote_id",
                "kind",
                "quote",
                "quote_start",
                "quote_end",
                "cue",
                "cue_start",
                "cue_end",
                "speaker",
                "speaker_start",
                "speaker_end",
                "speaker_type",
                "speaker_entity_id",
                "speaker_gender",
                "anonymous",
                "confidence",
                "polarity",
            ],
            Table::StanceEvidence => &[
                "article_id",
                "quote_id",
                "source",
                "source_type",
                "source_start",
                "source_end",
                "target",
                "target_type",
                "target_start",
                "target_end",
                "polarity",
                "cue",
            ],
            Table::Rejects => &["file", "line", "reason"],
            Table::Stance => &[
                "source",
                "source_type",
                "target",
                "target_type",
                "evidence",
                "articles",
                "positive",
                "negative",
                "neutral",
                "mean_polarity",
            ],
            Table::Sources => &["source", "source_type", "gender", "quotes", "articles", "outlets", "anonymous"],
        }
    }
}

/// The header row of a table as CSV bytes.
fn header_bytes(table: Table) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(table.columns()).expect("writing to memory");
    w.into_inner().expect("writing to memory")
}

/// The sidecar of a `--shard` run: for every batch, its block number and the
/// bytes its rows took in each per-article table, so that `wirescan merge`
/// can interleave the shards' rows back into input order.
pub const SHARD_INDEX: &str = "shard-index.csv";

struct OpenFile {
    name: &'static str,
    partial: PathBuf,
    file: DirectWriter,
    /// Bytes written so far (the header included).
    len: u64,
    /// `len` when the kernel was last asked to start writing the file out.
    written_out: u64,
}

/// Bytes of a table written between two requests to the kernel to start
/// writing it out to disk (see [`OpenFile::start_write_out`]).
const WRITE_OUT_EVERY: u64 = 16 << 20;

impl OpenFile {
    fn append(&mut self, bytes: &[u8]) -> Result<()> {
        self.file.write_all(bytes).with_context(|| format!("cannot write {}", self.partial.display()))?;
        self.len += bytes.len() as u64;
        if self.len - self.written_out >= WRITE_OUT_EVERY {
            self.start_write_out();
            self.written_out = self.len;
        }
        Ok(())
    }

    /// Asks the kernel to start writing the file's dirty pages to disk, and
    /// returns without waiting. Otherwise they wait in memory (up to the
    /// kernel's thresholds) and the sync at the run's end, which the table
    /// must pass, waits for all of them: 0.2 s on 200 MB of input here, with
    /// the disk idle the whole run before. An error is not lost: the sync at
    /// the next checkpoint or at the end reports it. Written directly, a table
    /// has no dirty pages but a checkpoint's partial block, and the call
    /// costs nothing; it matters with `--buffered-io` or where the file
    /// system refuses direct I/O.
    #[cfg(target_os = "linux")]
    fn start_write_out(&self) {
        use std::os::fd::AsRawFd;
        // SAFETY: sync_file_range reads and writes none of our memory; the
        // descriptor is open while `self.file` is.
        unsafe {
            libc::sync_file_range(self.file.get_ref().as_raw_fd(), 0, 0, libc::SYNC_FILE_RANGE_WRITE);
        }
    }

    #[cfg(not(target_os = "linux"))]
    fn start_write_out(&self) {}
}

/// Streams the run-wide tables into the file.
impl Write for OpenFile {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write(bytes)?;
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

impl OpenFile {
    /// Flushes the buffer and asks the disk to keep the data: a full disk or
    /// an I/O error shows up here at the latest, naming the file.
    fn sync(&mut self) -> Result<()> {
        self.file.flush().with_context(|| format!("cannot write {}", self.partial.display()))?;
        self.file.get_ref().sync_data().with_context(|| format!("cannot write {}", self.partial.display()))
    }
}

/// The output directory's tables while a run writes them: the per-article
/// tables, the run-wide tables and, for a shard, [`SHARD_INDEX`], each under
/// its `.partial` name.
pub struct TableSet {
    dir: PathBuf,
    /// [`PER_ARTICLE`], then [`RUN_WIDE`], then the shard index if any.
    open: Vec<OpenFile>,
}

impl TableSet {
    /// Creates the directory if needed and opens every table under its
    /// `.partial` name, header row written. The tables are written with
    /// direct I/O when `direct` and the file system allow it (see
    /// [`crate::direct_io`]).
    pub fn create(dir: &Path, shard_index: bool, direct: bool) -> Result<TableSet> {
        TableSet::open(dir, shard_index, direct, None)
    }

    /// Reopens the `.partial` tables of an interrupted run, cut back to the
    /// byte lengths its checkpoint recorded (`lengths` by file name); the
    /// run-wide tables start again from their header.
    pub fn reopen(dir: &Path, shard_index: bool, direct: bool, lengths: &BTreeMap<String, u64>) -> Result<TableSet> {
        TableSet::open(dir, shard_index, direct, Some(lengths))
    }

    fn open(dir: &Path, shard_index: bool, direct: bool, lengths: Option<&BTreeMap<String, u64>>) -> Result<TableSet> {
        fs::create_dir_all(dir).with_context(|| format!("cannot create output directory {}", dir.display()))?;
        let mut names: Vec<(&'static str, Option<Table>)> =
            PER_ARTICLE.into_iter().chain(RUN_WIDE).map(|t| (t.file_name(), Some(t))).collect();
        if shard_index {
            names.push((SHARD_INDEX, None));
        }
        let mut open = Vec::new();
        for (name, table) in names {
            let partial = dir.join(format!("{name}.partial"));
            let kept =
                lengths.and_then(|l| l.get(name).copied()).filter(|_| !table.is_some_and(|t| RUN_WIDE.contains(&t)));
            let (file, len) = match kept {
                Some(len) => {
                    let on_disk = fs::metadata(&partial)
                        .with_context(|| format!("cannot reopen {} to resume", partial.display()))?
                        .len();
                    if on_disk < len {
                        bail!(
                            "cannot resume: {} has {on_disk} bytes, fewer than the {len} the checkpoint recorded",
                            partial.display()
                        );
                    }
                    let writer = DirectWriter::append_at(&partial, direct, len)
                        .with_context(|| format!("cannot reopen {} to resume", partial.display()))?;
                    writer
                        .get_ref()
                        .set_len(len)
                        .with_context(|| format!("cannot cut {} back to its checkpoint", partial.display()))?;
                    (writer, len)
                }
                None => (
                    DirectWriter::create(&partial, direct)
                        .with_context(|| format!("cannot write {}", partial.display()))?,
                    0,
                ),
            };
            let mut t = OpenFile { name, partial, file, len, written_out: len };
            if len == 0 {
                match table {
                    Some(table) => t.append(&header_bytes(table))?,
                    None => t.append(SHARD_INDEX_HEADER.as_bytes())?,
                }
            }
            open.push(t);
        }
        Ok(TableSet { dir: dir.to_path_buf(), open })
    }

    fn get(&mut self, name: &str) -> &mut OpenFile {
        self.open.iter_mut().find(|t| t.name == name).expect("every table is open")
    }

    /// Appends one batch's rows (and, for a shard, a line in the index for
    /// each block of the batch).
    pub fn write_rows(&mut self, rows: &BatchRows) -> Result<()> {
        for (t, bytes) in self.open.iter_mut().zip(rows.tables.iter()) {
            if !bytes.is_empty() {
                t.append(bytes)?;
            }
        }
        if let Some(index) = self.open.get_mut(PER_ARTICLE.len() + RUN_WIDE.len()) {
            let mut line = String::new();
            let mut start = [0; 6];
            for (block, end) in &rows.block_ends {
                line.push_str(&block.to_string());
                for (s, e) in start.iter().zip(end) {
                    line.push(',');
                    line.push_str(&(e - s).to_string());
                }
                line.push('\n');
                start = *end;
            }
            index.append(line.as_bytes())?;
        }
        Ok(())
    }

    /// Appends bytes to one table as they are (`wirescan merge`).
    pub fn write_raw(&mut self, table: Table, bytes: &[u8]) -> Result<()> {
        self.get(table.file_name()).append(bytes)
    }

    /// The `.partial` path of a table.
    pub fn partial_path(&self, table: Table) -> PathBuf {
        self.dir.join(format!("{}.partial", table.file_name()))
    }

    /// Flushes and syncs every per-article table and the shard index, and
    /// returns their byte lengths by file name: the state a checkpoint
    /// records.
    pub fn sync(&mut self) -> Result<BTreeMap<String, u64>> {
        let mut lengths = BTreeMap::new();
        for t in &mut self.open {
            if RUN_WIDE.iter().any(|r| r.file_name() == t.name) {
                continue;
            }
            t.sync()?;
            lengths.insert(t.name.to_string(), t.len);
        }
        Ok(lengths)
    }

    /// Writes the run-wide tables, flushes everything to disk, removes the
    /// checkpoint (a run killed from here on starts again with `--resume`)
    /// and renames every table to its final name.
    pub fn finish(mut self, totals: &RunTotals) -> Result<()> {
        let t = self.get(Table::Stance.file_name());
        totals.write_stance(t).with_context(|| format!("cannot write {}", t.partial.display()))?;
        let t = self.get(Table::Sources.file_name());
        totals.write_sources(t).with_context(|| format!("cannot write {}", t.partial.display()))?;
        for t in &mut self.open {
            t.sync()?;
        }
        checkpoint::remove(&self.dir)?;
        for t in &self.open {
            let final_path = self.dir.join(t.name);
            fs::rename(&t.partial, &final_path)
                .with_context(|| format!("cannot rename {} to {}", t.partial.display(), final_path.display()))?;
        }
        sync_dir(&self.dir)?;
        totals.remove_spill()
    }

    /// Where the run-wide totals spill: inside the output directory, removed
    /// when the tables are finished.
    pub fn fold_spill_dir(&self) -> PathBuf {
        self.dir.join(FOLD_SPILL_DIR)
    }
}

/// Bytes the run-wide totals (stance per source, sources) may take in
/// memory before they are written out to sorted run files: the number of
/// distinct sources and targets grows with the dump, memory must not.
pub const FOLD_MEMORY: usize = 64 << 20;
/// Where those run files go, inside the output directory.
const FOLD_SPILL_DIR: &str = ".wirescan-folds";

/// The header of [`SHARD_INDEX`].
const SHARD_INDEX_HEADER: &str = "block,articles,mentions,entities,quotes,stance_evidence,rejects\n";

/// Makes renames and new files in `dir` durable.
pub fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir).and_then(|d| d.sync_all()).with_context(|| format!("cannot sync directory {}", dir.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_the_contract() {
        assert_eq!(
            header_bytes(Table::Articles),
            b"article_id,outlet,published,title,chars,sentences,entities,quotes\n"
        );
        assert_eq!(header_bytes(Table::Rejects), b"file,line,reason\n");
        assert_eq!(Table::Quotes.columns().len(), 18);
        assert_eq!(Table::StanceEvidence.columns().len(), 12);
    }

    #[test]
    fn tables_appear_only_when_finished() {
        let dir = tempfile::tempdir().unwrap();
        let set = TableSet::create(dir.path(), false, true).unwrap();
        assert!(!dir.path().join("articles.csv").exists());
        assert!(dir.path().join("articles.csv.partial").exists());
        set.finish(&RunTotals::default()).unwrap();
        assert!(dir.path().join("articles.csv").exists());
        assert!(!dir.path().join("articles.csv.partial").exists());
        assert_eq!(
            fs::read_to_string(dir.path().join("sources.csv")).unwrap(),
            "source,source_type,gender,quotes,articles,outlets,anonymous\n"
        );
    }
}
