//! Input: files or standard input, decompressed by their magic bytes, split
//! into lines, grouped into batches, and parsed into articles.
//!
//! The reader side ([`open`], [`read_batches`]) does only I/O and line
//! splitting; JSON parsing and field mapping ([`parse_line`]) run on the
//! workers, so the reader thread stays cheap.

mod lines;
mod record;

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{Context, Result, bail};

use crate::direct_io::DirectReader;

pub use lines::{LineEvent, LineReader};
pub use record::{ArticleRecord, FieldMap, parse_line};

const READ_BUFFER: usize = 256 * 1024;

/// One input as named on the command line.
#[derive(Debug, Clone)]
pub struct InputSpec {
    pub path: PathBuf,
    /// How the input is named in rejects.csv and messages (`-` for stdin).
    pub name: Arc<str>,
    /// Size on disk when known (not for stdin or pipes).
    pub size: Option<u64>,
}

impl InputSpec {
    pub fn is_stdin(&self) -> bool {
        self.path.as_os_str() == "-"
    }
}

/// Checks that every input can be opened before the run starts, so that a
/// typo fails at once and not after hours.
pub fn check_inputs(paths: &[PathBuf]) -> Result<Vec<InputSpec>> {
    let mut specs = Vec::with_capacity(paths.len());
    for path in paths {
        let name: Arc<str> = Arc::from(path.to_string_lossy().as_ref());
        if path.as_os_str() == "-" {
            specs.push(InputSpec { path: path.clone(), name, size: None });
            continue;
        }
        let file = File::open(path).with_context(|| format!("cannot open input {}", path.display()))?;
        let meta = file.metadata().with_context(|| format!("cannot read metadata of input {}", path.display()))?;
        if meta.is_dir() {
            bail!("input {} is a directory, not a file", path.display());
        }
        let size = meta.is_file().then_some(meta.len());
        specs.push(InputSpec { path: path.clone(), name, size });
    }
    Ok(specs)
}

/// Counts the raw (compressed) bytes read, for progress and throughput.
struct Counting<R> {
    inner: R,
    counter: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counter.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Compression recognised from the first bytes of a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

/// Looks at the magic bytes without consuming them.
pub fn detect(reader: &mut impl BufRead) -> io::Result<Compression> {
    let head = reader.fill_buf()?;
    Ok(if head.starts_with(&[0x1f, 0x8b]) {
        Compression::Gzip
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Compression::Zstd
    } else {
        Compression::None
    })
}

/// Opens an input, decompressing by magic bytes. Gzip reads every member of a
/// concatenated file (`cat a.gz b.gz`); zstd reads every frame. A file (not
/// standard input, a pipe or a device) is read with direct I/O when `direct`
/// and its file system allow it (see [`crate::direct_io`]).
pub fn open(spec: &InputSpec, direct: bool, bytes_read: Arc<AtomicU64>) -> io::Result<Box<dyn BufRead + Send>> {
    if spec.is_stdin() {
        return decode(Box::new(io::stdin()), bytes_read);
    }
    if spec.size.is_none() {
        return decode(Box::new(File::open(&spec.path)?), bytes_read);
    }
    decode_buffered(Box::new(DirectReader::open(&spec.path, direct, bytes_read)?))
}

/// Wraps a raw stream in the decoder its magic bytes call for.
pub fn decode(raw: Box<dyn Read + Send>, bytes_read: Arc<AtomicU64>) -> io::Result<Box<dyn BufRead + Send>> {
    decode_buffered(Box::new(BufReader::with_capacity(READ_BUFFER, Counting { inner: raw, counter: bytes_read })))
}

/// Wraps a buffered raw stream (which counts its bytes) in the decoder its
/// magic bytes call for.
fn decode_buffered(mut buffered: Box<dyn BufRead + Send>) -> io::Result<Box<dyn BufRead + Send>> {
    Ok(match detect(&mut buffered)? {
        Compression::None => Box::new(buffered),
        Compression::Gzip => {
            Box::new(BufReader::with_capacity(READ_BUFFER, flate2::bufread::MultiGzDecoder::new(buffered)))
        }
        Compression::Zstd => Box::new(BufReader::with_capacity(READ_BUFFER, zstd::Decoder::with_buffer(buffered)?)),
    })
}

/// Where a line sits in a batch, or why it never got there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineSlot {
    /// Bytes `range` of the batch's data.
    Data { number: u64, start: u32, end: u32 },
    /// Rejected while reading (too long, or the input broke off here).
    Rejected { number: u64, reason: String },
}

/// Lines are grouped in blocks of this many physical lines, numbered over all
/// inputs in order (blank lines included); `--shard K/N` takes the blocks
/// whose number is K modulo N. A batch may hold lines of several blocks (it
/// says where each begins) and a block may be cut between two batches.
pub const BLOCK_LINES: u64 = 64;

/// A part of the run's lines, `--shard K/N`: blocks K, K+N, K+2N, …
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

/// Which lines this process handles: a shard's (or all), from a line on.
#[derive(Debug, Clone, Copy, Default)]
pub struct LineSelection {
    pub shard: Option<Shard>,
    /// Run-wide index (0-based, over all inputs) of the first line to handle;
    /// the lines before it were done by the run this one resumes.
    pub start: u64,
}

impl LineSelection {
    pub fn wants(&self, line_index: u64) -> bool {
        line_index >= self.start && self.shard.is_none_or(|s| (line_index / BLOCK_LINES) % s.count == s.index)
    }
}

/// A run of lines from one input, in order. The unit of work and of ordering.
#[derive(Debug)]
pub struct Batch {
    /// Position in the whole run; the writer restores this order.
    pub seq: u64,
    /// The blocks its lines belong to (see [`BLOCK_LINES`]), in order: each
    /// block's number and the index in `lines` of its first line here.
    pub blocks: Vec<(u64, u32)>,
    /// Run-wide index of the line after the last one this batch accounts
    /// for: every line before it is in this batch or an earlier one, or was
    /// not wanted (blank, another shard's).
    pub end_line: u64,
    /// Index of the input in the command line.
    pub input: usize,
    pub name: Arc<str>,
    pub data: Vec<u8>,
    pub lines: Vec<LineSlot>,
}

impl Batch {
    pub fn line_bytes(&self, start: u32, end: u32) -> &[u8] {
        &self.data[start as usize..end as usize]
    }

    /// The block of `lines[slot]`, and whether that line is its block's last
    /// in this batch.
    pub fn block_of(&self, slot: usize) -> (u64, bool) {
        let k = self.blocks.partition_point(|&(_, first)| first as usize <= slot) - 1;
        let end = self.blocks.get(k + 1).map_or(self.lines.len(), |&(_, first)| first as usize);
        (self.blocks[k].0, slot + 1 == end)
    }

    /// Adds `slot`, the line of run-wide index `index`.
    fn push(&mut self, slot: LineSlot, index: u64) {
        let block = index / BLOCK_LINES;
        if self.blocks.last().is_none_or(|&(last, _)| last != block) {
            self.blocks.push((block, self.lines.len() as u32));
        }
        self.lines.push(slot);
    }
}

/// Batch limits: a batch is sent when it holds this many lines or bytes.
#[derive(Debug, Clone, Copy)]
pub struct BatchLimits {
    pub lines: usize,
    pub bytes: usize,
    pub max_line: usize,
}

/// A whole input read: how many lines, and the error that cut it short.
#[derive(Debug, Default)]
pub struct InputSummary {
    pub lines: u64,
    pub blank: u64,
    pub error: Option<String>,
}

/// Reads one input into batches, calling `send` for each (which blocks when
/// the pipeline is full). `next_seq` numbers batches across inputs;
/// `first_line` is the run-wide index of this input's first line, and only
/// the lines `select` wants are batched. Stops early when `send` returns
/// `false` (the pipeline shut down). A new batch's line buffer is one
/// `spare_data` gives back (emptied) if it has one: a buffer a worker is
/// done with, instead of fresh memory.
#[allow(clippy::too_many_arguments)]
pub fn read_batches(
    spec: &InputSpec,
    input_index: usize,
    reader: Box<dyn BufRead + Send>,
    limits: BatchLimits,
    position: (u64, &mut u64),
    select: LineSelection,
    spare_data: &dyn Fn() -> Option<Vec<u8>>,
    send: &mut dyn FnMut(Batch) -> bool,
) -> InputSummary {
    let (first_line, next_seq) = position;
    let mut lines = LineReader::new(reader, limits.max_line);
    let mut summary = InputSummary::default();
    let new_batch = |seq: u64| Batch {
        seq,
        blocks: Vec::new(),
        end_line: 0,
        input: input_index,
        name: spec.name.clone(),
        data: match spare_data() {
            Some(mut data) => {
                data.clear();
                data
            }
            None => Vec::with_capacity(limits.bytes + limits.bytes / 4),
        },
        lines: Vec::with_capacity(limits.lines),
    };
    let mut batch = new_batch(*next_seq);
    // Sends the batch when it is full (or `force`), accounting for the lines
    // before `line`.
    let mut flush = |batch: &mut Batch, next_seq: &mut u64, line: u64, force: bool| -> bool {
        let full = batch.lines.len() >= limits.lines || batch.data.len() >= limits.bytes;
        if batch.lines.is_empty() || !(force || full) {
            return true;
        }
        *next_seq += 1;
        let mut full_batch = std::mem::replace(batch, new_batch(*next_seq));
        full_batch.end_line = line;
        send(full_batch)
    };
    loop {
        let start = batch.data.len();
        let event = lines.read_into(&mut batch.data);
        let (number, slot) = match event {
            Ok(Some(LineEvent::Line { number, len })) => {
                summary.lines = number;
                if is_blank(&batch.data[start..start + len]) {
                    batch.data.truncate(start);
                    summary.blank += u64::from(select.wants(first_line + number - 1));
                    continue;
                }
                (number, LineSlot::Data { number, start: start as u32, end: (start + len) as u32 })
            }
            Ok(Some(LineEvent::TooLong { number, bytes })) => {
                summary.lines = number;
                let reason =
                    format!("line is {bytes} bytes, over the limit of {} (--max-article-bytes)", limits.max_line);
                (number, LineSlot::Rejected { number, reason })
            }
            Ok(None) => break,
            Err(e) => {
                let number = lines.line_number() + 1;
                let reason = format!("read error: {e}; the rest of this input was not read");
                summary.error = Some(format!("{}: line {number}: {e}", spec.name));
                summary.lines = number;
                (number, LineSlot::Rejected { number, reason })
            }
        };
        let index = first_line + number - 1;
        if !select.wants(index) {
            batch.data.truncate(start);
        } else {
            batch.push(slot, index);
            if !flush(&mut batch, next_seq, index + 1, false) {
                return summary;
            }
        }
        if summary.error.is_some() {
            break;
        }
    }
    flush(&mut batch, next_seq, first_line + summary.lines, true);
    summary
}

fn is_blank(line: &[u8]) -> bool {
    line.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn spec() -> InputSpec {
        InputSpec { path: PathBuf::from("t.jsonl"), name: Arc::from("t.jsonl"), size: None }
    }

    fn batches_of(raw: Vec<u8>, limits: BatchLimits) -> (Vec<Batch>, InputSummary) {
        let reader = decode(Box::new(io::Cursor::new(raw)), Arc::new(AtomicU64::new(0))).unwrap();
        let mut out = Vec::new();
        let mut seq = 0;
        let summary =
            read_batches(&spec(), 0, reader, limits, (0, &mut seq), LineSelection::default(), &|| None, &mut |b| {
                out.push(b);
                true
            });
        (out, summary)
    }

    const LIMITS: BatchLimits = BatchLimits { lines: 2, bytes: 1 << 20, max_line: 1 << 20 };

    #[test]
    fn multi_member_gzip_reads_every_member() {
        let mut raw = Vec::new();
        for part in ["{\"text\":\"a\"}\n", "{\"text\":\"b\"}\n", "{\"text\":\"c\"}\n"] {
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            enc.write_all(part.as_bytes()).unwrap();
            raw.extend(enc.finish().unwrap());
        }
        let (batches, summary) = batches_of(raw, LIMITS);
        assert_eq!(summary.lines, 3);
        assert_eq!(batches.iter().map(|b| b.lines.len()).sum::<usize>(), 3);
        assert_eq!(batches.iter().map(|b| b.seq).collect::<Vec<_>>(), vec![0, 1]);
    }

    #[test]
    fn zstd_is_detected_by_magic() {
        let raw = zstd::encode_all(&b"{\"text\":\"a\"}\n\n  \n{\"text\":\"b\"}"[..], 3).unwrap();
        let (batches, summary) = batches_of(raw, LIMITS);
        assert_eq!(summary.lines, 4);
        assert_eq!(summary.blank, 2);
        let b = &batches[0];
        assert_eq!(b.lines[1], LineSlot::Data { number: 4, start: 12, end: 24 });
    }

    #[test]
    fn truncated_gzip_keeps_what_was_read_and_reports_the_line() {
        let text: String =
            (0..2000).map(|i| format!("{{\"id\":{i},\"text\":\"article number {i} with some words\"}}\n")).collect();
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(text.as_bytes()).unwrap();
        let mut raw = enc.finish().unwrap();
        raw.truncate(raw.len() / 2);
        let (batches, summary) = batches_of(raw, BatchLimits { lines: 64, ..LIMITS });
        let error = summary.error.expect("a truncated stream is an error");
        assert!(error.starts_with("t.jsonl: line "), "{error}");
        let slots: Vec<&LineSlot> = batches.iter().flat_map(|b| &b.lines).collect();
        assert!(slots.len() > 100);
        match slots.last().unwrap() {
            LineSlot::Rejected { number, reason } => {
                assert_eq!(*number as usize, slots.len());
                assert!(reason.starts_with("read error"));
            }
            other => panic!("last slot should be the read error, got {other:?}"),
        }
    }

    /// A shard's batches hold only its blocks' lines, say where each block
    /// begins and up to which run-wide line they account for; lines before a
    /// resumed run's start are skipped.
    #[test]
    fn shards_take_whole_blocks_and_batches_say_where_each_begins() {
        let raw: String =
            (1..=300).map(|i| if i % 7 == 0 { "\n".to_string() } else { format!("{{\"n\":{i}}}\n") }).collect();
        let limits = BatchLimits { lines: 50, bytes: 1 << 20, max_line: 1 << 20 };
        let select = |shard: Option<Shard>, start: u64| {
            let reader =
                decode(Box::new(io::Cursor::new(raw.clone().into_bytes())), Arc::new(AtomicU64::new(0))).unwrap();
            let (mut out, mut seq) = (Vec::new(), 0);
            read_batches(
                &spec(),
                0,
                reader,
                limits,
                (1000, &mut seq),
                LineSelection { shard, start },
                &|| None,
                &mut |b| {
                    out.push(b);
                    true
                },
            );
            out
        };
        let numbers = |batches: &[Batch]| -> Vec<u64> {
            batches
                .iter()
                .flat_map(|b| &b.lines)
                .map(|slot| match slot {
                    LineSlot::Data { number, .. } | LineSlot::Rejected { number, .. } => *number,
                })
                .collect()
        };
        // Run-wide index of line n is 999 + n: blocks start at lines 25, 89, 153, 217, 281.
        let shard = select(Some(Shard { index: 1, count: 2 }), 0);
        // Every line's block and whether it is the last of its block in its
        // batch, as the batch tells it and as the line numbers say.
        for b in &shard {
            let block = |n: u64| (999 + n) / BLOCK_LINES;
            let lines = numbers(std::slice::from_ref(b));
            for (k, &number) in lines.iter().enumerate() {
                let last = lines.get(k + 1).is_none_or(|&next| block(next) != block(number));
                assert_eq!(b.block_of(k), (block(number), last), "line {number}");
                assert_eq!(block(number) % 2, 1);
            }
        }
        // Batches of 50 lines hold lines of two blocks, and cut blocks.
        assert!(shard.iter().any(|b| b.blocks.len() == 2));
        assert!(shard.windows(2).any(|w| w[0].blocks.last().unwrap().0 == w[1].blocks[0].0));
        let got = numbers(&shard);
        let expected: Vec<u64> = (1..=300u64).filter(|n| n % 7 != 0 && ((999 + n) / BLOCK_LINES) % 2 == 1).collect();
        assert_eq!(got, expected);
        assert_eq!(shard.last().unwrap().end_line, 1300);
        let all = select(None, 0);
        assert!(all.windows(2).all(|w| w[0].end_line
            <= 999
                + match &w[1].lines[0] {
                    LineSlot::Data { number, .. } | LineSlot::Rejected { number, .. } => *number,
                }));
        let resumed = select(None, 1100);
        assert_eq!(numbers(&resumed)[0], 101);
    }
}
