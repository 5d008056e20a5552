//! The line a person sees in a text editor or Excel for a CSV record, counted from the bytes.
//!
//! The csv crate's own line count follows its parser's states: with CRLF line ends it comes out
//! one lower than with LF for the same rows. Here the bytes the parser reads are watched: each
//! line's first byte that is not a line end is remembered with its line number, and a record's
//! line is that of the first such byte at or after where the parser says the record starts (the
//! parser counts the line ends before a record as part of it). The same for LF and CRLF files,
//! after quoted fields that span lines and after blank lines. Only the line starts the parser
//! has read ahead of the current record are kept, so memory stays bounded by its read-ahead
//! buffer, whatever the file's length.

use std::collections::VecDeque;
use std::io::Read;
use std::sync::{Arc, Mutex};

/// Where lines' content begins: (byte offset, 1-based line), for the bytes read but not yet
/// passed by a record.
#[derive(Debug)]
struct Starts {
    ahead: VecDeque<(u64, u64)>,
    /// The line of the last start passed, for an offset beyond every start read.
    last: u64,
}

/// Remembers where lines' content begins in what a reader yields, for [`LineIndex::line_at`].
pub(crate) struct CountingReader<R> {
    inner: R,
    offset: u64,
    line: u64,
    at_line_start: bool,
    starts: Arc<Mutex<Starts>>,
}

/// Answers "on which line does the record starting at byte N begin" for the bytes a
/// [`CountingReader`] has yielded.
#[derive(Clone, Debug)]
pub(crate) struct LineIndex {
    starts: Arc<Mutex<Starts>>,
}

impl<R: Read> CountingReader<R> {
    pub(crate) fn new(inner: R) -> (CountingReader<R>, LineIndex) {
        let starts = Arc::new(Mutex::new(Starts { ahead: VecDeque::new(), last: 1 }));
        (
            CountingReader { inner, offset: 0, line: 1, at_line_start: true, starts: starts.clone() },
            LineIndex { starts },
        )
    }
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut starts = self.starts.lock().unwrap_or_else(|p| p.into_inner());
        for (i, b) in buf[..n].iter().enumerate() {
            match b {
                b'\n' => {
                    self.line += 1;
                    self.at_line_start = true;
                }
                b'\r' => {}
                _ if self.at_line_start => {
                    starts.ahead.push_back((self.offset + i as u64, self.line));
                    self.at_line_start = false;
                }
                _ => {}
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}

impl LineIndex {
    /// The 1-based line on which the record the parser starts at `offset` begins. Offsets must
    /// not go backwards between calls (records are read in order).
    pub(crate) fn line_at(&self, offset: u64) -> u64 {
        let mut starts = self.starts.lock().unwrap_or_else(|p| p.into_inner());
        while let Some(&(at, line)) = starts.ahead.front() {
            if at >= offset {
                return line;
            }
            starts.last = line;
            starts.ahead.pop_front();
        }
        starts.last
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of_records(text: &str) -> Vec<(u64, Vec<String>)> {
        let (reader, index) = CountingReader::new(text.as_bytes());
        let mut csv = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(reader);
        let mut record = csv::ByteRecord::new();
        let mut out = Vec::new();
        while csv.read_byte_record(&mut record).unwrap() {
            let line = index.line_at(record.position().unwrap().byte());
            out.push((line, record.iter().map(|f| String::from_utf8_lossy(f).into_owned()).collect()));
        }
        out
    }

    #[test]
    fn lf_and_crlf_give_the_lines_an_editor_shows() {
        let lf = "h1,h2\na,b\n\nc,\"multi\nline\"\nd,e\n";
        let crlf = lf.replace('\n', "\r\n");
        for text in [lf.to_string(), crlf] {
            let lines: Vec<u64> = lines_of_records(&text).iter().map(|(l, _)| *l).collect();
            // header 1, a 2, blank 3, c 4 (its field runs onto 5), d 6
            assert_eq!(lines, vec![1, 2, 4, 6], "{text:?}");
        }
    }

    #[test]
    fn a_file_without_a_final_line_end_counts_its_last_line() {
        let lines: Vec<u64> = lines_of_records("h\r\nx\r\ny").iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, vec![1, 2, 3]);
    }
}
