//! Splits a byte stream into lines with bounded memory.
//!
//! A line longer than the limit is never held whole: its first bytes are
//! dropped as soon as it passes the limit and the rest is skipped up to the
//! next newline, so one 10 GB line without a newline costs one buffer, not
//! 10 GB. Line numbers are 1-based physical lines of the decompressed input.

use std::io::{self, BufRead};

/// What one call to [`LineReader::read_into`] found.
#[derive(Debug, PartialEq, Eq)]
pub enum LineEvent {
    /// A line was appended to the output buffer (line ending and a trailing
    /// `\r` removed); `len` bytes long.
    Line { number: u64, len: usize },
    /// A line over the limit was skipped; `bytes` is its full length.
    TooLong { number: u64, bytes: u64 },
}

/// Reads lines from a `BufRead` into a caller's buffer.
pub struct LineReader<R> {
    inner: R,
    line_number: u64,
    max_line: usize,
}

impl<R: BufRead> LineReader<R> {
    pub fn new(inner: R, max_line: usize) -> LineReader<R> {
        LineReader { inner, line_number: 0, max_line }
    }

    /// Number of the last line returned (0 before the first).
    pub fn line_number(&self) -> u64 {
        self.line_number
    }

    /// Appends the next line to `out`. Returns `None` at end of input. On an
    /// I/O error, `out` is left as it was and the error names no line; the
    /// caller knows the line number from [`Self::line_number`] + 1.
    pub fn read_into(&mut self, out: &mut Vec<u8>) -> io::Result<Option<LineEvent>> {
        let start = out.len();
        let mut skipped: u64 = 0; // bytes of an over-long line
        let mut seen_any = false;
        loop {
            let buf = match self.inner.fill_buf() {
                Ok(buf) => buf,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    out.truncate(start);
                    return Err(e);
                }
            };
            if buf.is_empty() {
                if !seen_any {
                    return Ok(None);
                }
                break;
            }
            seen_any = true;
            let (chunk, found_newline) = match memchr::memchr(b'\n', buf) {
                Some(pos) => (&buf[..pos], true),
                None => (buf, false),
            };
            let consumed = chunk.len() + usize::from(found_newline);
            if skipped > 0 || out.len() - start + chunk.len() > self.max_line {
                skipped += (out.len() - start) as u64 + chunk.len() as u64;
                out.truncate(start);
            } else {
                out.extend_from_slice(chunk);
            }
            self.inner.consume(consumed);
            if found_newline {
                break;
            }
        }
        self.line_number += 1;
        if skipped > 0 {
            return Ok(Some(LineEvent::TooLong { number: self.line_number, bytes: skipped }));
        }
        if out.last() == Some(&b'\r') {
            out.pop();
        }
        Ok(Some(LineEvent::Line { number: self.line_number, len: out.len() - start }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], max: usize, capacity: usize) -> Vec<(LineEvent, Vec<u8>)> {
        let mut reader = LineReader::new(io::BufReader::with_capacity(capacity, input), max);
        let mut out = Vec::new();
        let mut buf = Vec::new();
        while let Some(ev) = reader.read_into(&mut buf).unwrap() {
            out.push((ev, std::mem::take(&mut buf)));
        }
        out
    }

    #[test]
    fn splits_crlf_and_keeps_an_unterminated_last_line() {
        let got = lines(b"a\r\n\nbc\nlast", 100, 2);
        let texts: Vec<&[u8]> = got.iter().map(|(_, b)| b.as_slice()).collect();
        assert_eq!(texts, vec![&b"a"[..], b"", b"bc", b"last"]);
        assert_eq!(got[3].0, LineEvent::Line { number: 4, len: 4 });
    }

    #[test]
    fn over_long_lines_are_skipped_whole_with_their_length() {
        let got = lines(b"short\nthis line is too long\nok", 8, 3);
        assert_eq!(got[0].0, LineEvent::Line { number: 1, len: 5 });
        assert_eq!(got[1].0, LineEvent::TooLong { number: 2, bytes: 21 });
        assert!(got[1].1.is_empty());
        assert_eq!(got[2].0, LineEvent::Line { number: 3, len: 2 });
    }

    #[test]
    fn empty_input_has_no_lines() {
        assert!(lines(b"", 10, 4).is_empty());
        assert_eq!(lines(b"\n", 10, 4).len(), 1);
    }
}
