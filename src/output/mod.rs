//! Output: the tables of the contract (DESIGN.md / README.md), their rows, and
//! the run-wide folds.
//!
//! Workers format their batch's rows into CSV byte buffers ([`rows`]); the
//! writer thread appends the buffers in input order ([`TableSet`]) and folds
//! the per-article facts into the run-wide tables ([`aggregate`]). Every table
//! is written under `NAME.partial` and renamed when the run completes, so an
//! interrupted run never leaves a table that looks complete.

pub mod aggregate;
pub mod rows;

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

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

struct OpenTable {
    table: Table,
    partial: PathBuf,
    file: BufWriter<File>,
}

/// The output directory's tables while a run writes them.
pub struct TableSet {
    dir: PathBuf,
    open: Vec<OpenTable>,
}

impl TableSet {
    /// Creates the directory if needed and opens every table under its
    /// `.partial` name, header row written.
    pub fn create(dir: &Path) -> Result<TableSet> {
        fs::create_dir_all(dir).with_context(|| format!("cannot create output directory {}", dir.display()))?;
        let mut open = Vec::new();
        for table in PER_ARTICLE.into_iter().chain(RUN_WIDE) {
            let partial = dir.join(format!("{}.partial", table.file_name()));
            let file = File::create(&partial).with_context(|| format!("cannot write {}", partial.display()))?;
            let mut file = BufWriter::with_capacity(1 << 20, file);
            file.write_all(&header_bytes(table)).with_context(|| format!("cannot write {}", partial.display()))?;
            open.push(OpenTable { table, partial, file });
        }
        Ok(TableSet { dir: dir.to_path_buf(), open })
    }

    /// The output directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn get(&mut self, table: Table) -> &mut OpenTable {
        self.open.iter_mut().find(|t| t.table == table).expect("every table is open")
    }

    /// Appends one batch's rows.
    pub fn write_rows(&mut self, rows: &BatchRows) -> Result<()> {
        for (table, bytes) in PER_ARTICLE.into_iter().zip(rows.tables.iter()) {
            if bytes.is_empty() {
                continue;
            }
            let t = self.get(table);
            t.file.write_all(bytes).with_context(|| format!("cannot write {}", t.partial.display()))?;
        }
        Ok(())
    }

    /// Writes the run-wide tables, flushes everything to disk and renames
    /// every table to its final name.
    pub fn finish(mut self, totals: &RunTotals) -> Result<()> {
        let t = self.get(Table::Stance);
        totals.write_stance(&mut t.file).with_context(|| format!("cannot write {}", t.partial.display()))?;
        let t = self.get(Table::Sources);
        totals.write_sources(&mut t.file).with_context(|| format!("cannot write {}", t.partial.display()))?;
        for t in &mut self.open {
            t.file.flush().with_context(|| format!("cannot write {}", t.partial.display()))?;
            t.file.get_ref().sync_all().with_context(|| format!("cannot write {}", t.partial.display()))?;
        }
        for t in &self.open {
            let final_path = self.dir.join(t.table.file_name());
            fs::rename(&t.partial, &final_path)
                .with_context(|| format!("cannot rename {} to {}", t.partial.display(), final_path.display()))?;
        }
        totals.remove_spill()
    }
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
        let set = TableSet::create(dir.path()).unwrap();
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
