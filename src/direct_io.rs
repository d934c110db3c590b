//! Reading the input and writing the tables without the kernel's page cache
//! (`O_DIRECT`), where the file system allows it.
//!
//! Why: the reader and the writer are one thread each, and with ordinary
//! reads and writes most of their time was the kernel copying every byte
//! between its page cache and our buffers: 2–9 ms per MB of input on our test
//! machine (a KVM guest), against a worker's 60. At the slow end that single
//! reader would cap a run at about six workers. With direct I/O the device
//! moves the bytes to and from our buffers itself; what is left is a system
//! call per few MB and the threads' own work (BENCHMARKS.md has the figures).
//!
//! Invariants: a direct transfer's buffer address, file offset and length are
//! multiples of `ALIGN`. What cannot be (the last bytes of a file, the tail
//! of a table at a checkpoint) goes through the page cache, as does
//! everything on a file system that refuses `O_DIRECT` (the open fails, or a
//! transfer fails with `EINVAL` or `EOPNOTSUPP`): the bytes read or written
//! are the same either way, only who copies them differs.

use std::fs::File;
use std::io::{self, BufRead, Read, Write};
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Alignment of direct transfers: the page size, a multiple of every common
/// device's logical block size.
const ALIGN: usize = 4096;

/// Bytes the reader asks for at a time.
const READ_BLOCK: usize = 4 << 20;

/// Bytes a table collects before they are written.
const WRITE_BLOCK: usize = 1 << 20;

/// A zeroed buffer whose first byte is at an `ALIGN`ed address.
struct AlignedBuf {
    storage: Vec<u8>,
    start: usize,
    len: usize,
}

impl AlignedBuf {
    fn new(len: usize) -> AlignedBuf {
        assert!(len > 0 && len.is_multiple_of(ALIGN), "aligned buffers are whole blocks");
        let storage = vec![0u8; len + ALIGN];
        let start = storage.as_ptr().align_offset(ALIGN);
        AlignedBuf { storage, start, len }
    }

    fn bytes(&self) -> &[u8] {
        &self.storage[self.start..self.start + self.len]
    }

    fn bytes_mut(&mut self) -> &mut [u8] {
        &mut self.storage[self.start..self.start + self.len]
    }
}

/// Turns `O_DIRECT` on or off for an open file.
#[cfg(target_os = "linux")]
fn set_direct(file: &File, on: bool) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let fd = file.as_raw_fd();
    // SAFETY: fcntl on a descriptor that `file` keeps open; F_GETFL and
    // F_SETFL touch none of our memory.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        if flags < 0 {
            return Err(io::Error::last_os_error());
        }
        let flags = if on { flags | libc::O_DIRECT } else { flags & !libc::O_DIRECT };
        if libc::fcntl(fd, libc::F_SETFL, flags) < 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn set_direct(_file: &File, _on: bool) -> io::Result<()> {
    Ok(())
}

/// Whether an error says that this transfer cannot be direct (and the same
/// one through the page cache can work): `EINVAL` (a file system without
/// direct I/O, or alignment it does not accept) or `EOPNOTSUPP`.
fn refused(e: &io::Error) -> bool {
    matches!(e.kind(), io::ErrorKind::InvalidInput | io::ErrorKind::Unsupported)
}

/// Runs `transfer` on `file` through the page cache: with `O_DIRECT`
/// turned off for it if the file is `direct`, and back on after.
fn through_cache<T>(file: &File, direct: bool, transfer: impl FnOnce(&File) -> io::Result<T>) -> io::Result<T> {
    if !direct {
        return transfer(file);
    }
    set_direct(file, false)?;
    let result = transfer(file);
    set_direct(file, true)?;
    result
}

/// Opens `path` with `options` plus `O_DIRECT`; without it when the file
/// system refuses. Returns the file and whether it is direct.
fn open_with(path: &Path, options: &mut std::fs::OpenOptions, direct: bool) -> io::Result<(File, bool)> {
    #[cfg(target_os = "linux")]
    if direct {
        use std::os::unix::fs::OpenOptionsExt;
        match options.clone().custom_flags(libc::O_DIRECT).open(path) {
            Ok(file) => return Ok((file, true)),
            Err(e) if refused(&e) => {}
            Err(e) => return Err(e),
        }
    }
    let _ = direct;
    Ok((options.open(path)?, false))
}

/// A plain file read front to back in `READ_BLOCK`s, directly when it can
/// be. Counts the bytes it reads into `counter`.
pub struct DirectReader {
    file: File,
    buf: AlignedBuf,
    /// The unread bytes are `buf[pos..filled]`.
    pos: usize,
    filled: usize,
    /// File offset of the next read.
    offset: u64,
    direct: bool,
    counter: Arc<AtomicU64>,
}

impl DirectReader {
    /// Opens `path` for reading, direct when `direct` and the file system
    /// allows it.
    pub fn open(path: &Path, direct: bool, counter: Arc<AtomicU64>) -> io::Result<DirectReader> {
        let (file, direct) = open_with(path, std::fs::OpenOptions::new().read(true), direct)?;
        Ok(DirectReader::with_block(file, direct, READ_BLOCK, counter))
    }

    fn with_block(file: File, direct: bool, block: usize, counter: Arc<AtomicU64>) -> DirectReader {
        DirectReader { file, buf: AlignedBuf::new(block), pos: 0, filled: 0, offset: 0, direct, counter }
    }

    fn fall_back(&mut self) -> io::Result<()> {
        set_direct(&self.file, false)?;
        self.direct = false;
        Ok(())
    }

    /// Reads the next block into the buffer; 0 at the end of the file.
    fn read_block(&mut self) -> io::Result<usize> {
        loop {
            // After a short read (the end of the file, which may yet grow)
            // the offset is no longer aligned.
            if self.direct && !self.offset.is_multiple_of(ALIGN as u64) {
                self.fall_back()?;
            }
            match self.file.read_at(self.buf.bytes_mut(), self.offset) {
                Ok(n) => {
                    self.offset += n as u64;
                    self.counter.fetch_add(n as u64, Ordering::Relaxed);
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if self.direct && refused(&e) => self.fall_back()?,
                Err(e) => return Err(e),
            }
        }
    }
}

impl BufRead for DirectReader {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos == self.filled {
            self.filled = self.read_block()?;
            self.pos = 0;
        }
        Ok(&self.buf.bytes()[self.pos..self.filled])
    }

    fn consume(&mut self, amount: usize) {
        self.pos = (self.pos + amount).min(self.filled);
    }
}

impl Read for DirectReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

/// A file written front to back in `WRITE_BLOCK`s, directly when it can
/// be. [`Write::flush`] puts every byte written so far into the file (the
/// last partial block through the page cache); the caller syncs.
pub struct DirectWriter {
    file: File,
    buf: AlignedBuf,
    /// Bytes in `buf` not yet written, or written only through the page
    /// cache by a flush (they are written again with the block they start).
    len: usize,
    /// File offset of `buf[0]`: aligned while direct.
    offset: u64,
    direct: bool,
}

impl DirectWriter {
    /// Creates (or empties) `path`, direct when `direct` and the file system
    /// allows it.
    pub fn create(path: &Path, direct: bool) -> io::Result<DirectWriter> {
        let (file, direct) =
            open_with(path, std::fs::OpenOptions::new().write(true).create(true).truncate(true), direct)?;
        DirectWriter::at(file, direct, 0, WRITE_BLOCK)
    }

    /// Opens the existing `path`, at least `len` bytes long, to write on from
    /// byte `len`. The caller cuts the file to that length; the bytes before
    /// it stay as they are.
    pub fn append_at(path: &Path, direct: bool, len: u64) -> io::Result<DirectWriter> {
        let (file, direct) = open_with(path, std::fs::OpenOptions::new().read(true).write(true), direct)?;
        DirectWriter::at(file, direct, len, WRITE_BLOCK)
    }

    fn at(file: File, direct: bool, len: u64, block: usize) -> io::Result<DirectWriter> {
        let mut w = DirectWriter { file, buf: AlignedBuf::new(block), len: 0, offset: len, direct };
        if direct {
            // Start at the block that holds `len`, with its bytes so far.
            w.offset = len - len % ALIGN as u64;
            w.len = (len - w.offset) as usize;
            if w.len > 0 {
                // Not whole blocks: read back through the page cache.
                let (head, offset) = (&mut w.buf.bytes_mut()[..w.len], w.offset);
                through_cache(&w.file, true, |file| file.read_exact_at(head, offset))?;
            }
        }
        Ok(w)
    }

    /// The file, for syncing.
    pub fn get_ref(&self) -> &File {
        &self.file
    }

    /// Writes `buf[..end]` at `offset`: directly if `end` is whole blocks and
    /// the file is direct, else through the page cache.
    fn write_out(&mut self, end: usize) -> io::Result<()> {
        if self.direct && end.is_multiple_of(ALIGN) {
            match self.file.write_all_at(&self.buf.bytes()[..end], self.offset) {
                Ok(()) => return Ok(()),
                Err(e) if refused(&e) => {
                    set_direct(&self.file, false)?;
                    self.direct = false;
                }
                Err(e) => return Err(e),
            }
        }
        through_cache(&self.file, self.direct, |file| file.write_all_at(&self.buf.bytes()[..end], self.offset))
    }
}

impl Write for DirectWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let room = self.buf.len - self.len;
        let n = bytes.len().min(room);
        self.buf.bytes_mut()[self.len..self.len + n].copy_from_slice(&bytes[..n]);
        self.len += n;
        if self.len == self.buf.len {
            self.write_out(self.len)?;
            self.offset += self.len as u64;
            self.len = 0;
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        // Direct, the whole blocks go directly and the partial block through
        // the page cache; it stays in the buffer and is written again,
        // directly, with the block it starts.
        let whole = if self.direct { self.len - self.len % ALIGN } else { self.len };
        if whole > 0 {
            self.write_out(whole)?;
            self.offset += whole as u64;
        }
        let start = self.buf.start;
        self.buf.storage.copy_within(start + whole..start + self.len, start);
        self.len -= whole;
        if self.len > 0 {
            self.write_out(self.len)?;
        }
        Ok(())
    }
}

impl Drop for DirectWriter {
    /// Writes what is left, as `BufWriter` does; errors are for
    /// [`Write::flush`] to report, which every table calls before it is
    /// done.
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines of pseudo-random lengths, `len` bytes in all.
    fn text(len: usize, seed: u64) -> Vec<u8> {
        let mut next = crate::test_rng(seed);
        let mut out = Vec::with_capacity(len);
        while out.len() < len {
            let line = (next() % 300) as usize;
            out.extend((0..line).map(|i| b'a' + ((i as u64 + next()) % 26) as u8));
            out.push(b'\n');
        }
        out.truncate(len);
        out
    }

    /// Both ways, with blocks small enough that a file takes several, every
    /// byte comes back once and in order, consumed in odd amounts; a size
    /// that is not whole blocks ends in a short read at an unaligned offset,
    /// which direct I/O cannot do and the page cache then does.
    #[test]
    fn reading_returns_every_byte_once() {
        let dir = tempfile::tempdir().unwrap();
        for (len, direct) in [(5 * 8192 + 1234, true), (5 * 8192 + 1234, false), (3 * 8192, true), (0, true)] {
            let path = dir.path().join("in.jsonl");
            let bytes = text(len, 7);
            std::fs::write(&path, &bytes).unwrap();
            let (file, direct) = open_with(&path, std::fs::OpenOptions::new().read(true), direct).unwrap();
            let counter = Arc::new(AtomicU64::new(0));
            let mut reader = DirectReader::with_block(file, direct, 8192, counter.clone());
            let mut got = Vec::new();
            let mut step = 1;
            loop {
                let chunk = reader.fill_buf().unwrap();
                if chunk.is_empty() {
                    break;
                }
                let n = chunk.len().min(step);
                got.extend_from_slice(&chunk[..n]);
                reader.consume(n);
                step = step * 3 % 9001 + 1;
            }
            assert_eq!(got, bytes, "{len} bytes, direct {direct}");
            assert_eq!(counter.load(Ordering::Relaxed), len as u64);
        }
    }

    /// A transfer the kernel refuses (here: a buffer one byte off its
    /// alignment, so that a direct transfer fails with `EINVAL`) is done
    /// through the page cache instead, and the file stays that way. (On a
    /// file system without direct I/O the files are never direct.)
    #[test]
    fn a_refused_transfer_goes_through_the_page_cache() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        let bytes = text(3 * 8192 + 100, 5);
        std::fs::write(&path, &bytes).unwrap();
        let (file, direct) = open_with(&path, std::fs::OpenOptions::new().read(true), true).unwrap();
        let mut reader = DirectReader::with_block(file, direct, 8192, Arc::new(AtomicU64::new(0)));
        reader.buf.start += 1;
        let mut got = Vec::new();
        reader.read_to_end(&mut got).unwrap();
        assert_eq!(got, bytes);
        assert!(!reader.direct);

        let out = dir.path().join("g");
        let (file, direct) =
            open_with(&out, std::fs::OpenOptions::new().write(true).create(true).truncate(true), true).unwrap();
        let mut writer = DirectWriter::at(file, direct, 0, 8192).unwrap();
        writer.buf.start += 1;
        writer.write_all(&bytes).unwrap();
        writer.flush().unwrap();
        assert!(!writer.direct);
        assert_eq!(std::fs::read(&out).unwrap(), bytes);
    }

    /// Writes of odd sizes with flushes between them (a checkpoint's) leave
    /// exactly the bytes written so far in the file after every flush; a
    /// writer reopened at a length that is not whole blocks (a resumed run's
    /// cut) goes on from there.
    #[test]
    fn writing_leaves_the_bytes_written_at_every_flush_and_after_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        for direct in [true, false] {
            let bytes = text(200_000, 11);
            let mut next = crate::test_rng(13);
            let (file, is_direct) =
                open_with(&path, std::fs::OpenOptions::new().write(true).create(true).truncate(true), direct).unwrap();
            let mut writer = DirectWriter::at(file, is_direct, 0, 8192).unwrap();
            let mut at = 0;
            while at < 150_000 {
                let n = (next() % 5000) as usize;
                writer.write_all(&bytes[at..at + n]).unwrap();
                at += n;
                if next().is_multiple_of(4) {
                    writer.flush().unwrap();
                    assert_eq!(std::fs::read(&path).unwrap(), &bytes[..at], "direct {direct}");
                }
            }
            drop(writer);
            assert_eq!(std::fs::read(&path).unwrap(), &bytes[..at]);

            let cut = 100_003;
            std::fs::OpenOptions::new().write(true).open(&path).unwrap().set_len(cut as u64).unwrap();
            let (file, is_direct) =
                open_with(&path, std::fs::OpenOptions::new().read(true).write(true), direct).unwrap();
            let mut writer = DirectWriter::at(file, is_direct, cut as u64, 8192).unwrap();
            writer.write_all(&bytes[cut..]).unwrap();
            writer.flush().unwrap();
            assert_eq!(std::fs::read(&path).unwrap(), bytes, "direct {direct}");
        }
    }
}
