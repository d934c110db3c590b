//! Command-line flags, turned into one immutable [`Config`] that the rest of
//! the program reads. Nothing here does I/O beyond printing help and errors.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};

use crate::input::{FieldMap, Shard};
use crate::stages::Upto;

const AFTER_HELP: &str = "\
Examples:
  wirescan run dump.jsonl.gz -o out/
  wirescan run part-*.jsonl.zst --threads 8 -o out/
  zcat dump.jsonl.gz | wirescan run - -o out/
  wirescan run dump.jsonl --text-field body,content --outlet-field domain -o out/
  wirescan run dump.jsonl.gz --stages entities -o out/   # mentions and entities only
  wirescan run dump.jsonl.gz -o out/ --resume     # continue a killed run
  wirescan run dump.jsonl.gz --shard 1/4 -o part1/  # then: wirescan merge part0/ … -o out/

Input is one JSON object per line; gzip (also concatenated members) and zstd
are recognised by their magic bytes, whatever the file is called. Lines that
cannot be used go to rejects.csv with file, line number and reason; the run
goes on. Blank lines are skipped.

Tables written to DIR: articles.csv, mentions.csv, entities.csv, quotes.csv,
stance_evidence.csv, stance.csv, sources.csv, rejects.csv. Offsets are Unicode
code point offsets into the article's original text (end exclusive).

Long runs save a checkpoint in DIR every 30 s (--checkpoint-every); after a
kill or crash, the same command with --resume ends with the tables an
uninterrupted run writes. A directory holding a checkpoint is refused without
--resume.

Exit status: 0 every line was used, 1 the run finished but some lines were
rejected, 2 the run could not be done or an input could not be read to its end.";

#[derive(Debug, Parser)]
#[command(
    name = "wirescan",
    version,
    about = "Turn news dumps (JSONL, .gz, .zst) into tables of entities, quotes and stance."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

// Parsed once per process: the size of the run's flags does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
enum Command {
    /// Extract every table from one or more JSONL inputs.
    #[command(after_help = AFTER_HELP)]
    Run(RunArgs),
    /// Combine the outputs of `wirescan run --shard K/N` into the tables of a
    /// single run.
    #[command(after_help = MERGE_HELP)]
    Merge(MergeArgs),
}

const MERGE_HELP: &str = "\
Examples (three machines, or three processes, over the same inputs):
  wirescan run dump.jsonl.gz --shard 0/3 -o shard0/
  wirescan run dump.jsonl.gz --shard 1/3 -o shard1/
  wirescan run dump.jsonl.gz --shard 2/3 -o shard2/
  wirescan merge shard0/ shard1/ shard2/ -o out/

The merged tables are byte-identical to those of `wirescan run dump.jsonl.gz
-o out/`: the per-article tables are interleaved back into input order with
each shard's shard-index.csv, and stance.csv and sources.csv are recomputed
from the merged rows. Every shard of the same command (same inputs, as named,
same flags) must be given, each once, and completed.";

#[derive(Debug, clap::Args)]
struct MergeArgs {
    /// Output directories of `wirescan run --shard K/N`, one per shard, in any
    /// order.
    #[arg(value_name = "SHARD_DIR", required = true)]
    shards: Vec<PathBuf>,

    /// Directory to write the merged tables to (created if missing).
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    output: PathBuf,
    /// Memory for the run-wide totals (stance.csv, sources.csv) before they
    /// are written out to sorted run files in DIR/.wirescan-folds and merged
    /// at the end: the tables are the same whatever the size; a smaller size
    /// keeps memory lower on dumps that name millions of sources. Accepts B,
    /// KB, MB, GB suffixes.
    #[arg(long, value_name = "SIZE", default_value = "64MB", value_parser = parse_size)]
    fold_memory: u64,

    /// Write the merged tables through the kernel's page cache, as most
    /// programs do. By default they are written with direct I/O (O_DIRECT)
    /// wherever the file system allows it, as `wirescan run` does. Use this
    /// on a file system where direct I/O is slow (some network or FUSE
    /// mounts). The tables are the same either way.
    #[arg(long)]
    buffered_io: bool,
}

/// What `wirescan merge` needs.
#[derive(Debug, Clone)]
pub struct MergeConfig {
    pub shards: Vec<PathBuf>,
    pub output: PathBuf,
    /// Memory for the run-wide totals before they spill (`--fold-memory`).
    pub fold_memory: usize,
    /// Write the tables with direct I/O where possible (not `--buffered-io`).
    pub direct_io: bool,
}

/// The job the command line asks for.
#[derive(Debug, Clone)]
pub enum Job {
    Run(Box<Config>),
    Merge(MergeConfig),
}

#[derive(Debug, clap::Args)]
struct RunArgs {
    /// Input files (JSONL, optionally gzip or zstd); `-` reads standard input.
    #[arg(value_name = "INPUT", default_value = "-")]
    inputs: Vec<PathBuf>,

    /// Directory to write the tables to (created if missing; existing tables
    /// in it are replaced when the run completes).
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    output: PathBuf,

    /// Worker threads for the extraction stages; 0 uses every core.
    #[arg(short = 'j', long, value_name = "N", default_value_t = 0)]
    threads: usize,

    /// Fields holding the article id, first present wins
    /// [default: id,article_id,_id,uuid,url; else FILE:LINE].
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    id_field: Option<Vec<String>>,

    /// Fields holding the article text [default: text,body,maintext,content,article,story_text].
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    text_field: Option<Vec<String>>,

    /// Fields holding the title [default: title,headline].
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    title_field: Option<Vec<String>>,

    /// Fields holding the outlet [default: outlet,source,source_domain,domain,publisher,media].
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    outlet_field: Option<Vec<String>>,

    /// Fields holding the publication date [default: published,date_publish,date,published_at,publish_date].
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    date_field: Option<Vec<String>>,

    /// Fields holding the URL [default: url,link].
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    url_field: Option<Vec<String>>,

    /// Longest input line accepted; longer lines are rejected (and never held
    /// in memory whole). Accepts B, KB, MB, GB suffixes (powers of 1000).
    #[arg(long, value_name = "SIZE", default_value = "8MB", value_parser = parse_size)]
    max_article_bytes: u64,

    /// Run the stages up to this one. `entities` writes mentions.csv and
    /// entities.csv at about twice the speed and leaves quotes.csv and the
    /// stance tables with their headers only (articles.csv then counts 0
    /// quotes); `quotes` leaves out stance (quote polarity 0.000).
    #[arg(long, value_enum, value_name = "STAGE", default_value_t = Upto::All)]
    stages: Upto,

    /// Also write the whole quotes no speaker was found for: rows of
    /// quotes.csv with the speaker columns empty and confidence 0.3 (titles,
    /// slogans and speech whose attribution is out of reach). Off by default,
    /// so that every row of quotes.csv says who said what.
    #[arg(long)]
    unattributed: bool,
    /// Memory for the run-wide totals (stance.csv, sources.csv) before they
    /// are written out to sorted run files in DIR/.wirescan-folds and merged
    /// at the end: the tables are the same whatever the size; a smaller size
    /// keeps memory lower on dumps that name millions of sources. Accepts B,
    /// KB, MB, GB suffixes.
    #[arg(long, value_name = "SIZE", default_value = "64MB", value_parser = parse_size)]
    fold_memory: u64,

    /// Progress bar on standard error: auto shows it when stderr is a terminal.
    /// A one-line summary is printed at the end in every case.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ProgressMode::Auto)]
    progress: ProgressMode,

    /// After the summary, print the CPU time of the reader thread, the writer
    /// thread and all workers (seconds and ms per MB of input), and the
    /// reader's and writer's share of the workers' CPU time — a share far
    /// below 100%/threads means the single reader and writer are not what
    /// limits the run. Example: `wirescan run dump.jsonl -o out/ --stats`.
    #[arg(long)]
    stats: bool,

    /// Process only shard K of N (K from 0): the blocks of 64 input lines,
    /// counted over all inputs in order, whose number is K modulo N. Every
    /// shard reads the whole input but analyses only its part; combine the
    /// shards' output directories with `wirescan merge`. Example:
    /// `--shard 0/3`, `--shard 1/3`, `--shard 2/3` on three machines.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    shard: Option<Shard>,

    /// Continue an interrupted run (killed, crashed, machine rebooted) from
    /// the checkpoint in DIR: the same command with --resume added ends with
    /// the tables an uninterrupted run writes. Without a checkpoint the run
    /// starts from the beginning, so a retry loop can always pass --resume.
    /// Example: `wirescan run dump.jsonl.gz -o out/ --resume`.
    #[arg(long)]
    resume: bool,

    /// Seconds between checkpoints (the tables are synced to disk and
    /// DIR/checkpoint.json is replaced); 0 checkpoints after every batch.
    /// Standard input is not checkpointed (it cannot be resumed).
    #[arg(long, value_name = "SECONDS", default_value = "30", value_parser = parse_seconds)]
    checkpoint_every: Duration,

    /// Read the input files and write the tables through the kernel's page
    /// cache, as most programs do. By default wirescan reads and writes them
    /// with direct I/O (O_DIRECT) wherever the file system allows it, and
    /// through the page cache elsewhere: that spares the single reader and
    /// writer threads the kernel's copying, most of their CPU time. Use this
    /// on a file system where direct I/O is slow (some network or FUSE
    /// mounts). The tables are the same either way.
    #[arg(long)]
    buffered_io: bool,
}

/// When to draw the progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProgressMode {
    Auto,
    Always,
    Never,
}

/// Everything a run needs to know, fixed before it starts.
#[derive(Debug, Clone)]
pub struct Config {
    /// Inputs in order; `-` is standard input.
    pub inputs: Vec<PathBuf>,
    pub output: PathBuf,
    /// Worker threads, at least 1.
    pub threads: usize,
    pub fields: FieldMap,
    pub max_article_bytes: usize,
    /// Memory for the run-wide totals before they spill (`--fold-memory`).
    pub fold_memory: usize,
    pub progress: ProgressMode,
    /// The last stage that runs.
    pub stages: Upto,
    /// Keep quotes without a speaker (`--unattributed`).
    pub unattributed: bool,
    /// Print CPU time per thread kind at the end (`--stats`).
    pub stats: bool,
    /// This process's part of the input (`--shard K/N`).
    pub shard: Option<Shard>,
    /// Continue from the checkpoint in the output directory (`--resume`).
    pub resume: bool,
    /// How often to checkpoint; `None`: never.
    pub checkpoint_every: Option<Duration>,
    /// Read the input files and write the tables with direct I/O where
    /// possible (not `--buffered-io`).
    pub direct_io: bool,
}

impl Config {
    /// A configuration with default settings, for tests and benches.
    pub fn new(inputs: Vec<PathBuf>, output: PathBuf) -> Config {
        Config {
            inputs,
            output,
            threads: 1,
            fields: FieldMap::default(),
            max_article_bytes: 8_000_000,
            fold_memory: crate::output::FOLD_MEMORY,
            progress: ProgressMode::Never,
            stages: Upto::All,
            unattributed: false,
            stats: false,
            shard: None,
            resume: false,
            checkpoint_every: None,
            direct_io: true,
        }
    }
}

/// Parses the process arguments. On `--help`, `--version` or a usage error,
/// prints what clap prints and returns the exit code to end with (2 for
/// errors).
pub fn parse() -> Result<Job, ExitCode> {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return Err(if err.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS });
        }
    };
    Ok(match cli.command {
        Command::Run(args) => Job::Run(Box::new(config_from(args))),
        Command::Merge(args) => Job::Merge(MergeConfig {
            shards: args.shards,
            output: args.output,
            fold_memory: args.fold_memory as usize,
            direct_io: !args.buffered_io,
        }),
    })
}

/// Parses a number of seconds such as "30" or "0.5".
fn parse_seconds(s: &str) -> Result<Duration, String> {
    let seconds: f64 = s.trim().parse().map_err(|_| format!("{s:?} is not a number of seconds (try 30 or 0.5)"))?;
    if !(0.0..=1e9).contains(&seconds) {
        return Err(format!("{s:?} must be between 0 and 1000000000 seconds"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// Parses "K/N" with 0 <= K < N.
fn parse_shard(s: &str) -> Result<Shard, String> {
    let usage = || format!("{s:?} is not a shard: use K/N with 0 <= K < N, e.g. 0/3");
    let (k, n) = s.split_once('/').ok_or_else(usage)?;
    let (index, count): (u64, u64) = (k.trim().parse().map_err(|_| usage())?, n.trim().parse().map_err(|_| usage())?);
    if count == 0 || index >= count {
        return Err(usage());
    }
    Ok(Shard { index, count })
}

fn config_from(args: RunArgs) -> Config {
    let threads = if args.threads == 0 {
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
    } else {
        args.threads
    };
    let mut fields = FieldMap::default();
    let overrides = [
        (&mut fields.id, args.id_field),
        (&mut fields.text, args.text_field),
        (&mut fields.title, args.title_field),
        (&mut fields.outlet, args.outlet_field),
        (&mut fields.published, args.date_field),
        (&mut fields.url, args.url_field),
    ];
    for (slot, names) in overrides {
        if let Some(names) = names {
            *slot = names.into_iter().map(|n| n.trim().to_string()).filter(|n| !n.is_empty()).collect();
        }
    }
    Config {
        inputs: args.inputs,
        output: args.output,
        threads,
        fields,
        max_article_bytes: args.max_article_bytes as usize,
        fold_memory: args.fold_memory as usize,
        progress: args.progress,
        stages: args.stages,
        unattributed: args.unattributed,
        stats: args.stats,
        shard: args.shard,
        resume: args.resume,
        checkpoint_every: Some(args.checkpoint_every),
        direct_io: !args.buffered_io,
    }
}

/// Parses "8MB", "500KB", "1GB", "1024" into bytes (powers of 1000).
fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let upper = t.to_ascii_uppercase();
    let (digits, unit) = match upper.find(|c: char| !c.is_ascii_digit()) {
        Some(pos) => upper.split_at(pos),
        None => (upper.as_str(), ""),
    };
    let n: u64 = digits.parse().map_err(|_| format!("{s:?} is not a size (try 8MB, 500KB or 1048576)"))?;
    let factor = match unit.trim() {
        "" | "B" => 1,
        "K" | "KB" => 1_000,
        "M" | "MB" => 1_000_000,
        "G" | "GB" => 1_000_000_000,
        other => {
            return Err(format!("unknown size unit {other:?} in {s:?} (use B, KB, MB or GB)"));
        }
    };
    let bytes = n.checked_mul(factor).ok_or_else(|| format!("{s:?} is too large"))?;
    if bytes == 0 || bytes > u32::MAX as u64 / 2 {
        return Err(format!("{s:?} must be between 1 byte and 2GB"));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("8MB"), Ok(8_000_000));
        assert_eq!(parse_size("500kb"), Ok(500_000));
        assert_eq!(parse_size("1024"), Ok(1024));
        assert!(parse_size("0").is_err());
        assert!(parse_size("ten").is_err());
        assert!(parse_size("5TB").is_err());
    }

    #[test]
    fn shards() {
        assert_eq!(parse_shard("1/3"), Ok(Shard { index: 1, count: 3 }));
        assert!(parse_shard("3/3").is_err());
        assert!(parse_shard("0/0").is_err());
        assert!(parse_shard("1").is_err());
        assert_eq!(parse_seconds("0.5"), Ok(Duration::from_millis(500)));
        assert!(parse_seconds("inf").is_err() && parse_seconds("-1").is_err() && parse_seconds("NaN").is_err());
    }

    #[test]
    fn field_overrides_replace_the_alias_list() {
        let cli = Cli::try_parse_from([
            "wirescan",
            "run",
            "a.jsonl",
            "-o",
            "out",
            "--text-field",
            "body, content",
            "-j",
            "3",
        ])
        .unwrap();
        let Command::Run(args) = cli.command else { panic!("a run") };
        let config = config_from(args);
        assert_eq!(config.fields.text, vec!["body", "content"]);
        assert_eq!(config.fields.title, vec!["title", "headline"]);
        assert_eq!(config.threads, 3);
    }

    #[test]
    fn cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
