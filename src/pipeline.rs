//! The run: threads, channels, ordering. The only module that knows the order
//! of the stages.
//!
//! ```text
//! reader thread ──(bounded: Batch)──▶ N rayon workers ──(bounded: BatchRows)──▶ writer (this thread)
//!      ▲                                                                            │
//!      └────────────────────── in-flight tokens (one per batch) ◀─────────────────────┘
//! ```
//!
//! Memory is bounded by the number of batches in flight, not by the input:
//! the reader takes a token before it sends a batch and the writer gives it
//! back once the batch is written, so however slow one batch is, the reorder
//! buffer never holds more than `in_flight` batches. The writer restores input
//! order by sequence number, so the tables are byte-identical for any number
//! of workers.

use std::io::{IsTerminal, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use crossbeam_channel::{Receiver, Sender, bounded};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::{Config, ProgressMode};
use crate::input::{self, ArticleRecord, Batch, BatchLimits, InputSpec, LineSelection, LineSlot};
use crate::output::checkpoint::{self, Checkpoint, RunIdentity};
use crate::output::{BatchRows, RowWriter, RunTotals, Table, TableSet};
use crate::stages::{Analysis, Stages, Upto};
use crate::text::Document;

/// Lines per batch: small enough to spread work evenly, large enough that
/// channel traffic is negligible and that a batch of short articles is a
/// group long enough for the stages to run well one at a time over it
/// ([`process_batch_with`]; 256 lines took about 2–4% off the worker's time
/// against 64, BENCHMARKS.md).
const BATCH_LINES: usize = 256;
/// How often `--progress always` writes a line when standard error is not a
/// terminal.
const PROGRESS_LINE_EVERY: Duration = Duration::from_secs(10);
/// Bytes per batch, so that batches of long articles stay small.
const BATCH_BYTES: usize = 1 << 20;
/// A buffer larger than this (one that held huge articles) is freed when
/// its batch is done instead of being handed back for the next batch.
const SPARE_MAX_BYTES: usize = 8 * BATCH_BYTES;

/// How a run ended.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub articles: u64,
    pub rejects: u64,
    pub blank_lines: u64,
    /// Inputs that could not be read to their end, with what went wrong.
    pub input_errors: Vec<String>,
    /// Uncompressed bytes of the input lines.
    pub input_bytes: u64,
    pub elapsed: Duration,
    /// CPU time of the reader thread, the writer thread and all workers.
    pub cpu: CpuTimes,
    /// Of `input_bytes` and `articles`, those done before `--resume` picked
    /// the run up.
    pub resumed_bytes: u64,
    pub resumed_articles: u64,
}

/// CPU time (user + system) spent by each kind of thread of a run, to show
/// that the single reader and writer threads are not the bottleneck.
#[derive(Debug, Clone, Copy, Default)]
pub struct CpuTimes {
    pub reader: ThreadCpu,
    pub writer: ThreadCpu,
    /// Summed over every worker thread.
    pub workers: ThreadCpu,
}

/// CPU time used by a thread: in all, and the part of it spent in the
/// kernel (system time: reading and writing files, faulting pages in).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ThreadCpu {
    pub total: Duration,
    pub kernel: Duration,
}

impl ThreadCpu {
    /// The time used since `before` (an earlier reading of the same thread).
    pub fn since(self, before: ThreadCpu) -> ThreadCpu {
        ThreadCpu { total: self.total.saturating_sub(before.total), kernel: self.kernel.saturating_sub(before.kernel) }
    }

    /// Outside the kernel: the thread's own code.
    pub fn user(self) -> Duration {
        self.total.saturating_sub(self.kernel)
    }
}

impl CpuTimes {
    /// The `--stats` lines: CPU seconds per thread kind, per MB of input, and
    /// the reader's and writer's share of the workers' CPU time; then the
    /// part of each spent in the kernel, and the share without it (the
    /// reader's and writer's own code).
    pub fn report(&self, input_bytes: u64) -> String {
        let mb = (input_bytes as f64 / 1e6).max(1e-9);
        let ms_per_mb = |d: Duration| d.as_secs_f64() * 1e3 / mb;
        let percent = |part: Duration, of: Duration| part.as_secs_f64() / of.as_secs_f64().max(1e-9) * 100.0;
        let share = percent(self.reader.total + self.writer.total, self.workers.total);
        let own_share = percent(self.reader.user() + self.writer.user(), self.workers.user());
        format!(
            "wirescan: cpu reader {:.2} s ({:.1} ms/MB), writer {:.2} s ({:.1} ms/MB), workers {:.2} s ({:.1} ms/MB); \
             reader+writer = {share:.1}% of worker cpu\n\
             wirescan: of which in the kernel: reader {:.1} ms/MB, writer {:.1} ms/MB, workers {:.1} ms/MB; \
             outside the kernel, reader+writer = {own_share:.1}% of worker cpu",
            self.reader.total.as_secs_f64(),
            ms_per_mb(self.reader.total),
            self.writer.total.as_secs_f64(),
            ms_per_mb(self.writer.total),
            self.workers.total.as_secs_f64(),
            ms_per_mb(self.workers.total),
            ms_per_mb(self.reader.kernel),
            ms_per_mb(self.writer.kernel),
            ms_per_mb(self.workers.kernel),
        )
    }
}

/// CPU time the calling thread has used so far: in all
/// (`CLOCK_THREAD_CPUTIME_ID`) and in the kernel (`getrusage`, Linux only;
/// zero elsewhere).
#[cfg(unix)]
pub fn thread_cpu() -> ThreadCpu {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid, writable timespec for the duration of the call.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    let total = if rc == 0 { Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32) } else { Duration::ZERO };
    ThreadCpu { total, kernel: thread_kernel_time().min(total) }
}

#[cfg(target_os = "linux")]
fn thread_kernel_time() -> Duration {
    // SAFETY: an all-zero rusage is a valid value of the plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is a valid, writable rusage for the duration of the call.
    if unsafe { libc::getrusage(libc::RUSAGE_THREAD, &mut usage) } != 0 {
        return Duration::ZERO;
    }
    Duration::new(usage.ru_stime.tv_sec as u64, usage.ru_stime.tv_usec as u32 * 1000)
}

#[cfg(all(unix, not(target_os = "linux")))]
fn thread_kernel_time() -> Duration {
    Duration::ZERO
}

/// CPU time the calling thread has used so far (not measured on this
/// platform).
#[cfg(not(unix))]
pub fn thread_cpu() -> ThreadCpu {
    ThreadCpu::default()
}

impl Outcome {
    /// 0 every line used, 1 some lines rejected, 2 an input could not be read
    /// to its end.
    pub fn exit_code(&self) -> u8 {
        if !self.input_errors.is_empty() {
            2
        } else if self.rejects > 0 {
            1
        } else {
            0
        }
    }

    /// The one-line summary printed at the end of every run.
    pub fn summary(&self, config: &Config) -> String {
        let secs = self.elapsed.as_secs_f64().max(1e-9);
        let mb = self.input_bytes as f64 / 1e6;
        // A resumed run's rate is of this process's part.
        let part_mb = (self.input_bytes - self.resumed_bytes) as f64 / 1e6;
        let part_articles = (self.articles - self.resumed_articles) as f64;
        let resumed = if self.resumed_bytes > 0 {
            format!(" ({:.1} MB of them before --resume)", self.resumed_bytes as f64 / 1e6)
        } else {
            String::new()
        };
        let mut line = format!(
            "wirescan: {} articles, {} rejected, {:.1} MB{resumed} in {:.2} s ({:.1} MB/s, {:.0} articles/s) -> {}",
            self.articles,
            self.rejects,
            mb,
            secs,
            part_mb / secs,
            part_articles / secs,
            config.output.display()
        );
        if self.rejects > 0 {
            line.push_str(&format!(" (reasons in {})", config.output.join("rejects.csv").display()));
        }
        line
    }
}

/// Runs every stage on one document, in order. Pure.
pub fn analyze(stages: &Stages, doc: &Document) -> Analysis {
    let mut analysis = Analysis::default();
    for step in STEPS {
        step(stages, doc, &mut analysis);
    }
    analysis
}

/// A stage's part of the analysis: reads what the steps before it found
/// and adds its own. A stage past `stages.upto` adds nothing.
type Step = fn(&Stages, &Document, &mut Analysis);

/// The stages, in order.
const STEPS: [Step; 3] = [find_entities, find_quotes, find_stance];

fn find_entities(stages: &Stages, doc: &Document, analysis: &mut Analysis) {
    analysis.entities = stages.entities.run(doc);
}

fn find_quotes(stages: &Stages, doc: &Document, analysis: &mut Analysis) {
    if stages.upto == Upto::Entities {
        return;
    }
    analysis.quotes = stages.quotes.run(doc, &analysis.entities);
    if stages.upto == Upto::Quotes {
        stages.quotes.keep_written(&mut analysis.quotes, &mut []);
    }
}

fn find_stance(stages: &Stages, doc: &Document, analysis: &mut Analysis) {
    if stages.upto != Upto::All {
        return;
    }
    analysis.stance = stages.stance.score_quotes_and_run(doc, &analysis.entities, &mut analysis.quotes);
    stages.quotes.keep_written(&mut analysis.quotes, &mut analysis.stance);
}

/// Processes one batch into its table rows. Pure.
pub fn process_batch(batch: &Batch, stages: &Stages, config: &Config) -> BatchRows {
    process_batch_into(batch, stages, config, None)
}

/// [`process_batch`], writing the rows into `buffers` (see
/// [`RowWriter::reusing`]) when given. Never inlined: one batch is a frame of
/// its own for profilers (`scripts/bench.sh` counts the instructions inside it).
#[inline(never)]
fn process_batch_into(batch: &Batch, stages: &Stages, config: &Config, buffers: Option<[Vec<u8>; 6]>) -> BatchRows {
    process_batch_with(batch, stages, config, buffers, &STEPS)
}

/// Lines of a batch that go through the stages together (see
/// [`process_batch_with`]): a whole batch of short articles.
const GROUP_LINES: usize = BATCH_LINES;
/// Input bytes of a group: it ends with the line that takes it to this many
/// (so an article near the size cap shares its group with less than this).
/// The group's documents and findings, held until its rows are written, grow
/// with its bytes.
const GROUP_BYTES: usize = 512 << 10;

/// [`process_batch_into`] with the stages `steps`.
///
/// The lines go through the stages a group at a time and a stage at a time:
/// every article of the group is parsed, cleaned and segmented, then each
/// stage runs on every article in turn, then the rows are written in line
/// order. A stage's tables, word lists and caches stay in the processor's
/// caches from one article to the next instead of being pushed out by the
/// other stages': on the bench corpus, groups of 256 lines take about a
/// sixth off the worker's time (BENCHMARKS.md). Each stage is a pure
/// function of one article, so the rows are the ones article by article
/// would give.
fn process_batch_with(
    batch: &Batch,
    stages: &Stages,
    config: &Config,
    buffers: Option<[Vec<u8>; 6]>,
    steps: &[Step],
) -> BatchRows {
    let mut rows = RowWriter::reusing(batch.data.len(), buffers);
    let mut out = BatchRows {
        seq: batch.seq,
        end_line: batch.end_line,
        input_bytes: batch.data.len() as u64,
        ..BatchRows::default()
    };
    let mut first = 0;
    while first < batch.lines.len() {
        let mut len = 0;
        let mut bytes = 0;
        let rest = &batch.lines[first..];
        while len < rest.len() && len < GROUP_LINES && (len == 0 || bytes < GROUP_BYTES) {
            if let LineSlot::Data { start, end, .. } = rest[len] {
                bytes += (end - start) as usize;
            }
            len += 1;
        }
        process_group(batch, first..first + len, stages, config, steps, &mut rows, &mut out);
        first += len;
    }
    out.tables = rows.finish();
    out
}

/// One line of a group on its way through the stages. Nearly every line is
/// an article, so the large variant is not boxed (a box would be one more
/// allocation per article).
#[allow(clippy::large_enum_variant)]
enum Line<'a> {
    /// An article and what the stages found in it so far.
    Article { record: ArticleRecord, doc: Document, analysis: Analysis },
    /// A line for rejects.csv, with the reason.
    Rejected(std::borrow::Cow<'a, str>),
}

/// The lines `group` of `batch` through `steps` and into `rows`: see
/// [`process_batch_with`]. A panic in a stage costs its article one reject
/// row and nothing else.
fn process_group<'a>(
    batch: &'a Batch,
    group: std::ops::Range<usize>,
    stages: &Stages,
    config: &Config,
    steps: &[Step],
    rows: &mut RowWriter,
    out: &mut BatchRows,
) {
    let internal = |message: String| Line::Rejected(format!("internal error: {message}").into());
    let first = group.start;
    let mut lines: Vec<(u64, Line<'a>)> = batch.lines[group]
        .iter()
        .map(|slot| match slot {
            LineSlot::Data { number, start, end } => {
                let fallback_id = || format!("{}:{}", batch.name, number);
                let line = batch.line_bytes(*start, *end);
                let parsed = catch_panic(|| {
                    input::parse_line(line, &config.fields, fallback_id).map(|record| {
                        let doc = Document::new(&record.text);
                        (record, doc)
                    })
                });
                let line = match parsed {
                    Ok(Ok((record, doc))) => Line::Article { record, doc, analysis: Analysis::default() },
                    Ok(Err(reason)) => Line::Rejected(reason.into()),
                    Err(message) => internal(message),
                };
                (*number, line)
            }
            LineSlot::Rejected { number, reason } => (*number, Line::Rejected(reason.as_str().into())),
        })
        .collect();
    for step in steps {
        for (_, line) in &mut lines {
            if let Line::Article { doc, analysis, .. } = line
                && let Err(message) = catch_panic(|| step(stages, doc, analysis))
            {
                *line = internal(message);
            }
        }
    }
    for (k, (number, line)) in lines.iter().enumerate() {
        match line {
            Line::Article { record, doc, analysis } => {
                let mark = rows.mark();
                match catch_panic(|| rows.article(record, doc, analysis)) {
                    Ok(facts) => {
                        out.facts.push(facts);
                        out.articles += 1;
                    }
                    Err(message) => {
                        // Rows the article wrote before the panic are taken
                        // back: it is one reject row and nothing else.
                        rows.rollback(mark);
                        rows.reject(&batch.name, *number, &format!("internal error: {message}"));
                        out.rejects += 1;
                    }
                }
            }
            Line::Rejected(reason) => {
                rows.reject(&batch.name, *number, reason);
                out.rejects += 1;
            }
        }
        if let (block, true) = batch.block_of(first + k) {
            out.block_ends.push((block, rows.lengths()));
        }
    }
}

/// Runs `f`, turning a panic into its message, so that one bad article costs
/// one reject row, not the run. Covers parsing, every stage and the row
/// formatting.
fn catch_panic<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a stage panicked".to_string())
    })
}

/// A panic inside a stage is caught per article (see [`catch_panic`]) and
/// the article goes to rejects.csv; say so in one line on stderr instead of a
/// backtrace per article.
fn install_panic_message() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let location = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_default();
            eprintln!(
                "wirescan: internal error{location}: {message} (the article goes to rejects.csv; please report it)"
            );
        }));
    });
}

/// Runs the whole job described by `config`.
pub fn run(config: &Config) -> Result<Outcome> {
    let started = Instant::now();
    let inputs = input::check_inputs(&config.inputs)?;
    if inputs.iter().filter(|i| i.is_stdin()).count() > 1 {
        bail!("standard input (-) can be read only once");
    }
    let reads_stdin = inputs.iter().any(InputSpec::is_stdin);
    if reads_stdin && std::io::stdin().is_terminal() {
        eprintln!(
            "wirescan: reading JSONL from standard input (end with Ctrl-D; name input files to read them instead)"
        );
    }
    let identity = RunIdentity::of(config, &inputs);
    let mut outcome = Outcome::default();
    let mut checkpoint = Checkpoint::new(identity.clone(), &inputs);
    let shard = config.shard.is_some();
    let (mut tables, totals) = match (Checkpoint::load(&config.output)?, config.resume) {
        (Some(_), true) | (None, true) if reads_stdin => {
            bail!("--resume needs input files: standard input cannot be checked to be the same stream")
        }
        (Some(previous), false) => bail!(
            "{} holds the checkpoint of an interrupted run ({} articles written): add --resume to continue it, or \
             delete {} to start over",
            config.output.display(),
            previous.articles,
            config.output.join(checkpoint::FILE_NAME).display()
        ),
        (Some(previous), true) => {
            previous.check(&config.output, &identity, &inputs)?;
            let tables = TableSet::reopen(&config.output, shard, config.direct_io, &previous.lengths)?;
            let totals = fold_tables(&tables, &previous.lengths, config.fold_memory)?;
            eprintln!(
                "wirescan: resuming at line {} of the run ({} articles, {} rejects written)",
                previous.next_line + 1,
                previous.articles,
                previous.rejects
            );
            outcome.articles = previous.articles;
            outcome.rejects = previous.rejects;
            outcome.input_bytes = previous.input_bytes;
            outcome.resumed_bytes = previous.input_bytes;
            outcome.resumed_articles = previous.articles;
            checkpoint = previous;
            (tables, totals)
        }
        (None, resume) => {
            if resume {
                eprintln!("wirescan: no checkpoint in {}: starting from the beginning", config.output.display());
            }
            let tables = TableSet::create(&config.output, shard, config.direct_io)?;
            let totals = RunTotals::spilling(tables.fold_spill_dir(), config.fold_memory)?;
            (tables, totals)
        }
    };
    let selection = LineSelection { shard: config.shard, start: checkpoint.next_line };
    // Standard input cannot be resumed, so it is not checkpointed.
    let checkpoints = config.checkpoint_every.filter(|_| !reads_stdin);
    install_panic_message();
    let mut stages = Stages::upto(config.stages);
    stages.quotes.unattributed = config.unattributed;
    let workers = config.threads.max(1);
    let in_flight = 4 * workers + 4;
    let bytes_read = Arc::new(AtomicU64::new(0));
    let progress = progress_bar(config.progress, &inputs);

    let (work_tx, work_rx) = bounded::<Batch>(in_flight);
    let (done_tx, done_rx) = bounded::<BatchRows>(in_flight);
    let (token_tx, token_rx) = bounded::<()>(in_flight);
    // Buffers handed back for the next batch: a batch's line buffer from its
    // worker to the reader, its table buffers from the writer to the
    // workers. Fresh multi-megabyte blocks for every batch cost a page fault
    // per page, most of the reader's time; the bytes are the same.
    let (spare_data_tx, spare_data_rx) = bounded::<Vec<u8>>(in_flight);
    let (spare_rows_tx, spare_rows_rx) = bounded::<[Vec<u8>; 6]>(in_flight);
    for _ in 0..in_flight {
        token_tx.send(()).expect("channel has room for every token");
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers)
        .thread_name(|i| format!("wirescan-worker-{i}"))
        .build()
        .context("cannot start worker threads")?;

    let limits = BatchLimits { lines: BATCH_LINES, bytes: BATCH_BYTES, max_line: config.max_article_bytes };
    let worker_cpu_nanos = [AtomicU64::new(0), AtomicU64::new(0)];
    let writer_cpu_before = thread_cpu();
    let mut writer = Writer {
        tables: &mut tables,
        totals,
        checkpoint: &mut checkpoint,
        every: checkpoints,
        dir: &config.output,
        log_every: (config.progress == ProgressMode::Always && !std::io::stderr().is_terminal())
            .then_some(PROGRESS_LINE_EVERY),
        total_bytes: inputs.iter().map(|i| i.size).sum(),
    };
    let mut total_lines = 0;
    let write_result = std::thread::scope(|scope| {
        let reader = {
            let bytes_read = bytes_read.clone();
            let progress = progress.clone();
            let inputs = &inputs;
            let direct_io = config.direct_io;
            std::thread::Builder::new()
                .name("wirescan-reader".into())
                .spawn_scoped(scope, move || {
                    let read = read_all(
                        inputs,
                        limits,
                        selection,
                        direct_io,
                        &spare_data_rx,
                        bytes_read,
                        &progress,
                        token_rx,
                        work_tx,
                    );
                    (read, thread_cpu())
                })
                .context("cannot start the reader thread")?
        };
        let stages = &stages;
        let worker_cpu = &worker_cpu_nanos;
        scope.spawn(move || {
            pool.scope(|s| {
                for _ in 0..workers {
                    let work_rx = work_rx.clone();
                    let done_tx = done_tx.clone();
                    let spares = (spare_data_tx.clone(), spare_rows_rx.clone());
                    s.spawn(move |_| {
                        let before = thread_cpu();
                        worker(work_rx, done_tx, spares, stages, config);
                        let used = thread_cpu().since(before);
                        worker_cpu[0].fetch_add(used.total.as_nanos() as u64, Ordering::Relaxed);
                        worker_cpu[1].fetch_add(used.kernel.as_nanos() as u64, Ordering::Relaxed);
                    });
                }
            });
        });
        let written = writer.write_all(done_rx, (token_tx, spare_rows_tx), &progress, &bytes_read, &mut outcome);
        let ((summaries, lines), reader_cpu) = reader.join().expect("the reader thread does not panic");
        outcome.cpu.reader = reader_cpu;
        total_lines = lines;
        outcome.blank_lines = summaries.iter().map(|s| s.blank).sum();
        outcome.input_errors = summaries.into_iter().filter_map(|s| s.error).collect();
        written
    });
    write_result?;
    let totals = writer.totals;
    if let Some(shard) = config.shard {
        crate::merge::ShardInfo::new(shard, total_lines, identity).save(&config.output)?;
    }
    tables.finish(&totals)?;
    progress.finish_and_clear();
    outcome.elapsed = started.elapsed();
    outcome.cpu.writer = thread_cpu().since(writer_cpu_before);
    let [total, kernel] = worker_cpu_nanos.each_ref().map(|n| Duration::from_nanos(n.load(Ordering::Relaxed)));
    outcome.cpu.workers = ThreadCpu { total, kernel };
    eprintln!("{}", outcome.summary(config));
    if config.stats {
        eprintln!("{}", outcome.cpu.report(outcome.input_bytes));
    }
    Ok(outcome)
}

/// Folds the run-wide tables from the rows of the per-article tables up to
/// the given lengths (a resumed run's state).
fn fold_tables(
    tables: &TableSet,
    lengths: &std::collections::BTreeMap<String, u64>,
    fold_memory: usize,
) -> Result<RunTotals> {
    let open = |table: Table| -> Result<(String, Box<dyn std::io::Read>)> {
        let path = tables.partial_path(table);
        let len = lengths.get(table.file_name()).copied().unwrap_or(0);
        let file = std::fs::File::open(&path).with_context(|| format!("cannot read {}", path.display()))?;
        Ok((path.display().to_string(), Box::new(std::io::BufReader::new(file).take(len))))
    };
    let (a, q, e) = (open(Table::Articles)?, open(Table::Quotes)?, open(Table::StanceEvidence)?);
    RunTotals::spilling(tables.fold_spill_dir(), fold_memory)?.fold_tables([(&a.0, a.1), (&q.0, q.1), (&e.0, e.1)])
}

/// Reads every input in order; returns what happened to each and the number
/// of lines of the run (over all inputs). A new batch takes its line buffer
/// from `spare_data` when a worker has handed one back.
#[allow(clippy::too_many_arguments)]
fn read_all(
    inputs: &[InputSpec],
    limits: BatchLimits,
    selection: LineSelection,
    direct_io: bool,
    spare_data: &Receiver<Vec<u8>>,
    bytes_read: Arc<AtomicU64>,
    progress: &ProgressBar,
    tokens: Receiver<()>,
    work: Sender<Batch>,
) -> (Vec<input::InputSummary>, u64) {
    let mut next_seq = 0;
    let mut first_line = 0;
    let mut summaries = Vec::with_capacity(inputs.len());
    let mut send = |batch: Batch| tokens.recv().is_ok() && work.send(batch).is_ok();
    for (index, spec) in inputs.iter().enumerate() {
        let summary = match input::open(spec, direct_io, bytes_read.clone()) {
            Ok(reader) => {
                let position = (first_line, &mut next_seq);
                let spare = || spare_data.try_recv().ok();
                input::read_batches(spec, index, reader, limits, position, selection, &spare, &mut send)
            }
            Err(e) => {
                // The file was checked at start-up; it vanished or its first
                // bytes could not be read or decoded.
                if selection.wants(first_line) {
                    let reason = format!("read error: {e}; this input was not read");
                    let batch = Batch {
                        seq: next_seq,
                        blocks: vec![(first_line / input::BLOCK_LINES, 0)],
                        end_line: first_line + 1,
                        input: index,
                        name: spec.name.clone(),
                        data: Vec::new(),
                        lines: vec![LineSlot::Rejected { number: 1, reason }],
                    };
                    next_seq += 1;
                    send(batch);
                }
                input::InputSummary { lines: 1, error: Some(format!("{}: {e}", spec.name)), ..Default::default() }
            }
        };
        first_line += summary.lines;
        if let Some(error) = &summary.error {
            progress.suspend(|| eprintln!("wirescan: {error}"));
        }
        summaries.push(summary);
    }
    (summaries, first_line)
}

fn worker(
    work: Receiver<Batch>,
    done: Sender<BatchRows>,
    (spare_data, spare_rows): (Sender<Vec<u8>>, Receiver<[Vec<u8>; 6]>),
    stages: &Stages,
    config: &Config,
) {
    for batch in work {
        let rows = process_batch_into(&batch, stages, config, spare_rows.try_recv().ok());
        if batch.data.capacity() <= SPARE_MAX_BYTES {
            // (None wanted when the reader has enough already.)
            let _ = spare_data.try_send(batch.data);
        }
        if done.send(rows).is_err() {
            return;
        }
    }
}

/// The writer's state: the tables, the run-wide folds and the checkpoint.
struct Writer<'a> {
    tables: &'a mut TableSet,
    totals: RunTotals,
    checkpoint: &'a mut Checkpoint,
    /// How often to save a checkpoint; `None`: never.
    every: Option<Duration>,
    dir: &'a std::path::Path,
    /// `--progress always` with standard error not a terminal (a log file):
    /// how often to write a progress line.
    log_every: Option<Duration>,
    /// Total input size when every input is a file, for progress lines.
    total_bytes: Option<u64>,
}

impl Writer<'_> {
    /// Writes batches in input order, folds the run-wide tables and saves
    /// checkpoints.
    fn write_all(
        &mut self,
        done: Receiver<BatchRows>,
        (tokens, spare_rows): (Sender<()>, Sender<[Vec<u8>; 6]>),
        progress: &ProgressBar,
        bytes_read: &AtomicU64,
        outcome: &mut Outcome,
    ) -> Result<()> {
        let started = Instant::now();
        let mut last_checkpoint = Instant::now();
        let mut last_log = Instant::now();
        let mut pending = std::collections::BTreeMap::new();
        let mut next = 0u64;
        for rows in done {
            pending.insert(rows.seq, rows);
            while let Some(rows) = pending.remove(&next) {
                self.tables.write_rows(&rows)?;
                for facts in &rows.facts {
                    self.totals.add(facts)?;
                }
                outcome.articles += rows.articles;
                outcome.rejects += rows.rejects;
                outcome.input_bytes += rows.input_bytes;
                self.checkpoint.next_line = rows.end_line;
                next += 1;
                // The reader may be gone already; a token nobody takes is fine.
                let _ = tokens.send(());
                if rows.tables.iter().map(Vec::capacity).sum::<usize>() <= SPARE_MAX_BYTES {
                    // (Dropped when the workers have enough, or are gone.)
                    let _ = spare_rows.try_send(rows.tables);
                }
                if self.every.is_some_and(|every| last_checkpoint.elapsed() >= every) {
                    self.save_checkpoint(outcome)?;
                    last_checkpoint = Instant::now();
                }
            }
            if self.log_every.is_some_and(|every| last_log.elapsed() >= every) {
                last_log = Instant::now();
                let read = bytes_read.load(Ordering::Relaxed);
                let of_total = self.total_bytes.map(|t| format!(" of {:.1}", t as f64 / 1e6)).unwrap_or_default();
                eprintln!(
                    "wirescan: {:.1}{of_total} MB read ({:.1} MB/s), {} articles, {} rejected",
                    read as f64 / 1e6,
                    read as f64 / 1e6 / started.elapsed().as_secs_f64().max(1e-3),
                    outcome.articles,
                    outcome.rejects
                );
            }
            progress.set_position(bytes_read.load(Ordering::Relaxed));
            if !progress.is_hidden() {
                let rate = outcome.articles as f64 / started.elapsed().as_secs_f64().max(1e-3);
                progress
                    .set_message(format!("{} articles ({rate:.0}/s), {} rejected", outcome.articles, outcome.rejects));
            }
        }
        debug_assert!(pending.is_empty(), "every batch was written");
        Ok(())
    }

    fn save_checkpoint(&mut self, outcome: &Outcome) -> Result<()> {
        self.checkpoint.lengths = self.tables.sync()?;
        self.checkpoint.articles = outcome.articles;
        self.checkpoint.rejects = outcome.rejects;
        self.checkpoint.input_bytes = outcome.input_bytes;
        self.checkpoint.save(self.dir)
    }
}

fn progress_bar(mode: ProgressMode, inputs: &[InputSpec]) -> ProgressBar {
    // A bar needs a terminal (indicatif draws nothing elsewhere); `always`
    // without one writes progress lines instead (see `Writer::log_every`).
    let visible = mode != ProgressMode::Never && std::io::stderr().is_terminal();
    if !visible {
        return ProgressBar::hidden();
    }
    let total: Option<u64> = inputs.iter().map(|i| i.size).sum();
    let bar = match total {
        Some(total) => {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{elapsed_precise} [{wide_bar}] {decimal_bytes}/{decimal_total_bytes} {decimal_bytes_per_sec} ETA {eta} {msg}",
                )
                .expect("valid template")
                .progress_chars("=> "),
            );
            bar
        }
        None => {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} {elapsed_precise} {decimal_bytes} read, {decimal_bytes_per_sec} {msg}",
                )
                .expect("valid template"),
            );
            bar
        }
    };
    bar.enable_steady_tick(Duration::from_millis(250));
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch_of(lines: &[(u64, &str)]) -> Batch {
        let mut data = Vec::new();
        let mut slots = Vec::new();
        for &(number, text) in lines {
            let line = serde_json::json!({ "id": format!("a{number}"), "text": text }).to_string();
            let start = data.len() as u32;
            data.extend_from_slice(line.as_bytes());
            slots.push(LineSlot::Data { number, start, end: data.len() as u32 });
        }
        Batch { seq: 0, blocks: vec![(0, 0)], end_line: 0, input: 0, name: "t".into(), data, lines: slots }
    }

    /// A panic in a stage, whichever, costs its article one reject row and
    /// nothing else: the other articles' rows are those of the batch
    /// without it.
    #[test]
    fn a_panic_in_any_stage_rejects_its_article_alone() {
        fn boom(_: &Stages, doc: &Document, _: &mut Analysis) {
            if doc.text().contains("Boom") {
                panic!("boom in a stage");
            }
        }
        let texts = [
            (1, "“We will not talk,” said Ali Rabiei, the government spokesman. He praised Germany."),
            (2, "Boom. Angela Merkel said the talks failed, and she blamed Iran."),
            (3, "Tehran criticised Washington. “No,” Rabiei said."),
        ];
        let stages = Stages::new();
        let config = Config::new(vec![], "out".into());
        let without = process_batch(&batch_of(&[texts[0], texts[2]]), &stages, &config);
        assert_eq!((without.articles, without.rejects), (2, 0));
        assert!(!without.tables[3].is_empty() && !without.tables[4].is_empty(), "quotes and stance rows to compare");
        for at in 0..=STEPS.len() {
            let mut steps = STEPS.to_vec();
            steps.insert(at, boom);
            let rows = process_batch_with(&batch_of(&texts), &stages, &config, None, &steps);
            assert_eq!((rows.articles, rows.rejects), (2, 1), "panic after {at} stages");
            assert_eq!(rows.tables[..5], without.tables[..5], "panic after {at} stages");
            assert_eq!(String::from_utf8_lossy(&rows.tables[5]), "t,2,internal error: boom in a stage\n");
            assert_eq!(rows.facts.len(), 2);
        }
    }

    /// Pseudo-random articles mixing entities, quotes, invisible characters and
    /// multi-byte text run through every stage without a panic, and every line
    /// is accounted for.
    #[test]
    fn arbitrary_articles_never_hit_an_internal_error() {
        const PIECES: &[&str] = &[
            "a",
            "Mr. ",
            "U.S. ",
            " ",
            "\n",
            "\r\n",
            ".",
            "?",
            "!",
            "&quot;",
            ",quot;",
            "&amp;",
            "&amp;quot;",
            "#39;",
            "&#8220;",
            "\"",
            "'",
            "“",
            "”",
            "‘",
            "’",
            "«",
            "»",
            "é",
            "日本",
            "\u{a0}",
            "\u{200b}",
            "—",
            "said",
            "Iran's",
            "O'Malley",
        ];
        let mut state: u64 = 42;
        let mut next = |n: usize| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) as usize % n
        };
        let texts: Vec<(u64, String)> =
            (1..=400u64).map(|number| (number, (0..next(120)).map(|_| PIECES[next(PIECES.len())]).collect())).collect();
        let batch = batch_of(&texts.iter().map(|(number, text)| (*number, text.as_str())).collect::<Vec<_>>());
        let config = Config::new(vec![], "out".into());
        let rows = process_batch(&batch, &Stages::new(), &config);
        let rejects = String::from_utf8(rows.tables[5].clone()).unwrap();
        assert!(!rejects.contains("internal error"), "{rejects}");
        assert_eq!(rows.articles + rows.rejects, 400);
    }
}
