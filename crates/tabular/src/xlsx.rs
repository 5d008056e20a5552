//! A streaming XLSX reader that bounds everything a file declares.
//!
//! An XLSX file is a zip of XML parts, and a 2 KB file can declare a cell at `XFD1048576`, a
//! million shared strings or a gigabyte of text in one cell. A reader that trusts the file (a
//! dense grid sized by the sheet's dimension, every part decompressed whole) lets such a file
//! take the process down. This one:
//! - never decompresses more of a part than its limit (counted on the bytes that come out, not
//!   on the sizes the zip declares), nor more than [`XlsxLimits::max_run_bytes`] between two
//!   `<`, so no single text node or tag can grow without bound;
//! - keeps shared strings in one arena with a cap on their count and bytes;
//! - streams the sheet row by row on its own thread, through a bounded channel, so memory does
//!   not depend on the number of rows; a row with a cell beyond [`XlsxLimits::max_columns`] is
//!   an error for that row, not an allocation.
//!
//! Cells come out as text the way a person reads them in Excel: whole numbers without ".0",
//! dates (numbers in a date format) as YYYY-MM-DD.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use zip::ZipArchive;

use crate::{RawRow, TabularError};

/// What a file may make the reader hold or do.
#[derive(Debug, Clone, Copy)]
pub struct XlsxLimits {
    /// Columns a row may use (a cell further right rejects its row).
    pub max_columns: usize,
    /// Shared strings, by count and by their total bytes.
    pub max_shared_strings: usize,
    pub max_shared_string_bytes: usize,
    /// Decompressed bytes of the small parts read whole (workbook, relationships, styles) and of
    /// the shared strings part.
    pub max_part_bytes: u64,
    pub max_shared_strings_part_bytes: u64,
    /// Decompressed bytes of the sheet (it is streamed; this bounds the time spent).
    pub max_sheet_bytes: u64,
    /// Bytes between two `<`: the longest text node or tag.
    pub max_run_bytes: usize,
}

impl Default for XlsxLimits {
    fn default() -> Self {
        XlsxLimits {
            // The widest import has 16 columns; a spreadsheet with notes beside it a few more.
            max_columns: 1024,
            // A 1,048,576-row sheet of 15 distinct columns.
            max_shared_strings: 16 << 20,
            max_shared_string_bytes: 256 << 20,
            max_part_bytes: 32 << 20,
            max_shared_strings_part_bytes: 1 << 30,
            max_sheet_bytes: 8 << 30,
            // Excel holds at most 32,767 characters in a cell (≤ 128 KB in UTF-8, escaped).
            max_run_bytes: 1 << 20,
        }
    }
}

fn bad(reason: impl Into<String>) -> TabularError {
    TabularError::Xlsx(reason.into())
}

/// Decompressed bytes of one part, counted and bounded as they come out.
struct Bounded<R> {
    inner: R,
    part: String,
    read: u64,
    limit: u64,
    run: usize,
    max_run: usize,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read > self.limit {
            return Err(std::io::Error::other(format!(
                "{} 解压后超过 {} MB 上限 / {} exceeds {} MB when decompressed",
                self.part,
                self.limit >> 20,
                self.part,
                self.limit >> 20
            )));
        }
        for &b in &buf[..n] {
            if b == b'<' {
                self.run = 0;
            } else {
                self.run += 1;
            }
        }
        if self.run > self.max_run {
            return Err(std::io::Error::other(format!(
                "{} 中有一段超过 {} KB 的文本或标签 / {} holds a text or tag longer than {} KB",
                self.part,
                self.max_run >> 10,
                self.part,
                self.max_run >> 10
            )));
        }
        Ok(n)
    }
}

/// Shared strings in one arena: the text of string `i` is `text[ends[i-1]..ends[i]]`.
#[derive(Default)]
struct SharedStrings {
    text: String,
    ends: Vec<u32>,
}

impl SharedStrings {
    fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        Some(&self.text[start..end])
    }
}

/// What the sheet needs from the rest of the workbook.
struct Book {
    strings: SharedStrings,
    /// Per cell style (`s` attribute): whether its number format is a date.
    date_styles: Vec<bool>,
    date1904: bool,
    sheet_part: String,
}

type Archive = ZipArchive<BufReader<File>>;

/// An XML reader over one part of the archive, decompressed under its limits.
type PartReader<'a> = Reader<BufReader<Bounded<zip::read::ZipFile<'a, BufReader<File>>>>>;

fn xml_reader<'a>(
    archive: &'a mut Archive,
    name: &str,
    limit: u64,
    limits: &XlsxLimits,
) -> Result<Option<PartReader<'a>>, TabularError> {
    let file = match archive.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(bad(format!("{name}: {e}"))),
    };
    let bounded =
        Bounded { inner: file, part: name.to_string(), read: 0, limit, run: 0, max_run: limits.max_run_bytes };
    let mut reader = Reader::from_reader(BufReader::with_capacity(64 << 10, bounded));
    reader.config_mut().trim_text(false);
    Ok(Some(reader))
}

fn xml_error(part: &str, e: quick_xml::Error) -> TabularError {
    match e {
        quick_xml::Error::Io(io) => bad(io.to_string()),
        other => bad(format!("{part}: XML 格式错误 / malformed XML: {other}")),
    }
}

fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.local_name().as_ref() == local).map(|a| {
        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map(|v| v.into_owned())
            .unwrap_or_else(|_| a.value.clone().into_owned())
    })
}

/// The text an entity reference stands for (`&amp;`, `&#x4E2D;`).
fn entity(r: &quick_xml::events::BytesRef<'_>, out: &mut String) {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        out.push(c);
        return;
    }
    match r.xml10_content().as_ref() {
        "lt" => out.push('<'),
        "gt" => out.push('>'),
        "amp" => out.push('&'),
        "quot" => out.push('"'),
        "apos" => out.push('\''),
        _ => {}
    }
}

/// Opens the workbook and reads everything but the sheet itself.
fn open_book(path: &Path, limits: &XlsxLimits) -> Result<(Archive, Book), TabularError> {
    let file = File::open(path)?;
    let mut archive = ZipArchive::new(BufReader::new(file))
        .map_err(|e| bad(format!("不是有效的 XLSX 文件 / not a valid XLSX file: {e}")))?;

    // The first sheet, as the workbook lists it, through its relationship.
    let mut first_rid = None;
    let mut date1904 = false;
    if let Some(mut r) = xml_reader(&mut archive, "xl/workbook.xml", limits.max_part_bytes, limits)? {
        let mut buf = Vec::new();
        loop {
            match r.read_event_into(&mut buf).map_err(|e| xml_error("workbook.xml", e))? {
                Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                    "workbookPr" => {
                        date1904 = matches!(attr(&e, "date1904").as_deref(), Some("1") | Some("true"));
                    }
                    "sheet" if first_rid.is_none() => first_rid = attr(&e, "id"),
                    _ => {}
                },
                Event::Eof => break,
                _ => {}
            }
            buf.clear();
        }
    }
    let mut sheet_part = None;
    if let Some(rid) = &first_rid
        && let Some(mut r) = xml_reader(&mut archive, "xl/_rels/workbook.xml.rels", limits.max_part_bytes, limits)?
    {
        let mut buf = Vec::new();
        loop {
            match r.read_event_into(&mut buf).map_err(|e| xml_error("workbook.xml.rels", e))? {
                Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                    if attr(&e, "Id").as_deref() == Some(rid.as_str())
                        && let Some(target) = attr(&e, "Target")
                    {
                        sheet_part = Some(match target.strip_prefix('/') {
                            Some(abs) => abs.to_string(),
                            None => format!("xl/{target}"),
                        });
                    }
                }
                Event::Eof => break,
                _ => {}
            }
            buf.clear();
        }
    }
    let sheet_part = sheet_part.unwrap_or_else(|| "xl/worksheets/sheet1.xml".to_string());
    let date_styles = read_date_styles(&mut archive, limits)?;
    let strings = read_shared_strings(&mut archive, limits)?;
    Ok((archive, Book { strings, date_styles, date1904, sheet_part }))
}

/// Whether each cell style (`cellXfs`) shows its number as a date.
fn read_date_styles(archive: &mut Archive, limits: &XlsxLimits) -> Result<Vec<bool>, TabularError> {
    let Some(mut r) = xml_reader(archive, "xl/styles.xml", limits.max_part_bytes, limits)? else {
        return Ok(Vec::new());
    };
    let mut custom: Vec<(u32, bool)> = Vec::new();
    let mut xf_formats: Vec<u32> = Vec::new();
    let mut in_cell_xfs = false;
    let mut buf = Vec::new();
    loop {
        match r.read_event_into(&mut buf).map_err(|e| xml_error("styles.xml", e))? {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "numFmt" => {
                    if let (Some(id), Some(code)) = (attr(&e, "numFmtId"), attr(&e, "formatCode"))
                        && let Ok(id) = id.parse()
                    {
                        custom.push((id, is_date_format(&code)));
                    }
                }
                "cellXfs" => in_cell_xfs = true,
                "xf" if in_cell_xfs => {
                    xf_formats.push(attr(&e, "numFmtId").and_then(|v| v.parse().ok()).unwrap_or(0));
                }
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == "cellXfs" => in_cell_xfs = false,
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(xf_formats
        .into_iter()
        .map(|id| custom.iter().find(|(c, _)| *c == id).map(|(_, d)| *d).unwrap_or_else(|| is_builtin_date(id)))
        .collect())
}

/// The built-in number formats that are dates, including the East Asian ones (27–36, 50–58).
fn is_builtin_date(id: u32) -> bool {
    matches!(id, 14..=22 | 27..=36 | 45..=47 | 50..=58)
}

/// A custom format is a date when, outside quoted text, escapes and `[…]` sections, it has a
/// year, month, day, hour or second part.
fn is_date_format(code: &str) -> bool {
    let mut quoted = false;
    let mut bracket = false;
    let mut escaped = false;
    for c in code.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '"' => quoted = !quoted,
            '\\' if !quoted => escaped = true,
            '[' if !quoted => bracket = true,
            ']' if !quoted => bracket = false,
            _ if quoted || bracket => {}
            'y' | 'Y' | 'm' | 'M' | 'd' | 'D' | 'h' | 'H' | 's' | 'S' => return true,
            _ => {}
        }
    }
    false
}

fn read_shared_strings(archive: &mut Archive, limits: &XlsxLimits) -> Result<SharedStrings, TabularError> {
    let mut strings = SharedStrings::default();
    let Some(mut r) = xml_reader(archive, "xl/sharedStrings.xml", limits.max_shared_strings_part_bytes, limits)? else {
        return Ok(strings);
    };
    let too_many = || {
        bad(format!(
            "共享字符串超过上限（{} 个或 {} MB）/ shared strings exceed the limit ({} strings or {} MB)",
            limits.max_shared_strings,
            limits.max_shared_string_bytes >> 20,
            limits.max_shared_strings,
            limits.max_shared_string_bytes >> 20
        ))
    };
    // Text counts inside `<t>`, but not inside a phonetic run (`<rPh>`, furigana/pinyin hints).
    let mut in_t = false;
    let mut in_phonetic = false;
    let mut buf = Vec::new();
    loop {
        let event = r.read_event_into(&mut buf).map_err(|e| xml_error("sharedStrings.xml", e))?;
        match event {
            Event::Start(e) => match e.local_name().as_ref() {
                "t" => in_t = true,
                "rPh" => in_phonetic = true,
                _ => {}
            },
            Event::Empty(e) if e.local_name().as_ref() == "si" => {
                if strings.ends.len() >= limits.max_shared_strings {
                    return Err(too_many());
                }
                strings.ends.push(strings.text.len() as u32);
            }
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_t = false,
                "rPh" => in_phonetic = false,
                "si" => {
                    if strings.ends.len() >= limits.max_shared_strings {
                        return Err(too_many());
                    }
                    strings.ends.push(strings.text.len() as u32);
                }
                _ => {}
            },
            Event::Text(t) if in_t && !in_phonetic => strings.text.push_str(&t.xml10_content()),
            Event::CData(t) if in_t && !in_phonetic => strings.text.push_str(&t.xml10_content()),
            Event::GeneralRef(g) if in_t && !in_phonetic => entity(&g, &mut strings.text),
            Event::Eof => break,
            _ => {}
        }
        if strings.text.len() > limits.max_shared_string_bytes {
            return Err(too_many());
        }
        buf.clear();
    }
    Ok(strings)
}

/// `B12` → (column 1, row 12).
fn cell_ref(r: &str) -> Option<(usize, u64)> {
    let letters = r.bytes().take_while(u8::is_ascii_alphabetic).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let col = r[..letters].bytes().fold(0usize, |acc, b| acc * 26 + (b.to_ascii_uppercase() - b'A' + 1) as usize) - 1;
    let row = r[letters..].parse().ok()?;
    Some((col, row))
}

/// Days since 1970-01-01 → (year, month, day); Howard Hinnant's civil-from-days.
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// An Excel date serial as YYYY-MM-DD (the 1900 system counts a 29 February 1900 that never
/// was, so serials before 61 are one day off from 1899-12-30).
fn excel_date(serial: f64, date1904: bool) -> Option<String> {
    if !(0.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let whole = serial.floor() as i64;
    let days_from_1970 = if date1904 {
        whole - 24_107
    } else if whole < 61 {
        whole - 25_568
    } else {
        whole - 25_569
    };
    let (y, m, d) = civil(days_from_1970);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

fn number_text(v: &str) -> String {
    match v.trim().parse::<f64>() {
        Ok(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
        Ok(f) => f.to_string(),
        Err(_) => v.to_string(),
    }
}

/// One cell being read: its type, style and raw value.
#[derive(Default)]
struct CellState {
    col: usize,
    kind: String,
    style: usize,
    value: String,
    inline: String,
}

/// Streams the sheet's rows into `tx`; stops when the receiver is gone.
fn stream_sheet(mut archive: Archive, book: Book, limits: XlsxLimits, tx: SyncSender<Result<RawRow, TabularError>>) {
    let result = (|| -> Result<(), TabularError> {
        let Some(mut r) = xml_reader(&mut archive, &book.sheet_part, limits.max_sheet_bytes, &limits)? else {
            return Err(bad(format!("找不到工作表 {} / the sheet {} is missing", book.sheet_part, book.sheet_part)));
        };
        let mut buf = Vec::new();
        let mut row_no: u64 = 0;
        let mut cells: Vec<String> = Vec::new();
        let mut too_wide: Option<usize> = None;
        let mut cell: Option<CellState> = None;
        let mut next_col = 0usize;
        // Which text we are inside: the cell's <v>, or an inline string's <t> (not <rPh>).
        let mut in_v = false;
        let mut in_t = false;
        let mut in_phonetic = false;
        loop {
            let event = r.read_event_into(&mut buf).map_err(|e| xml_error(&book.sheet_part, e))?;
            match event {
                Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "row" => {
                    row_no = attr(&e, "r").and_then(|v| v.parse().ok()).unwrap_or(row_no + 1);
                    cells.clear();
                    too_wide = None;
                    next_col = 0;
                }
                Event::Start(e) if e.local_name().as_ref() == "c" => {
                    cell = Some(start_cell(&e, &mut next_col));
                }
                Event::Empty(e) if e.local_name().as_ref() == "c" => {
                    start_cell(&e, &mut next_col);
                }
                Event::Start(e) => match e.local_name().as_ref() {
                    "v" => in_v = true,
                    "t" => in_t = true,
                    "rPh" => in_phonetic = true,
                    _ => {}
                },
                Event::Text(t) => push_text(&mut cell, in_v, in_t && !in_phonetic, &t.xml10_content()),
                Event::CData(t) => push_text(&mut cell, in_v, in_t && !in_phonetic, &t.xml10_content()),
                Event::GeneralRef(g) => {
                    let mut s = String::new();
                    entity(&g, &mut s);
                    push_text(&mut cell, in_v, in_t && !in_phonetic, &s);
                }
                Event::End(e) => match e.local_name().as_ref() {
                    "v" => in_v = false,
                    "t" => in_t = false,
                    "rPh" => in_phonetic = false,
                    "c" => {
                        if let Some(c) = cell.take() {
                            if c.col >= limits.max_columns {
                                too_wide.get_or_insert(c.col);
                            } else {
                                let text = cell_text(&c, &book);
                                if !text.is_empty() {
                                    if cells.len() <= c.col {
                                        cells.resize(c.col + 1, String::new());
                                    }
                                    cells[c.col] = text;
                                }
                            }
                        }
                    }
                    "row" => {
                        let row = match too_wide.take() {
                            Some(col) => Some(Err(TabularError::RowTooWide {
                                line: row_no,
                                column: col + 1,
                                max: limits.max_columns,
                            })),
                            None if cells.iter().all(|c| c.trim().is_empty()) => None,
                            None => Some(Ok(RawRow { line: row_no, cells: std::mem::take(&mut cells) })),
                        };
                        if let Some(row) = row
                            && tx.send(row).is_err()
                        {
                            return Ok(());
                        }
                    }
                    _ => {}
                },
                Event::Eof => return Ok(()),
                _ => {}
            }
            buf.clear();
        }
    })();
    if let Err(e) = result {
        let _ = tx.send(Err(e));
    }
}

fn start_cell(e: &BytesStart<'_>, next_col: &mut usize) -> CellState {
    let col = attr(e, "r").and_then(|r| cell_ref(&r)).map(|(c, _)| c).unwrap_or(*next_col);
    *next_col = col + 1;
    CellState {
        col,
        kind: attr(e, "t").unwrap_or_default(),
        style: attr(e, "s").and_then(|v| v.parse().ok()).unwrap_or(0),
        ..CellState::default()
    }
}

fn push_text(cell: &mut Option<CellState>, in_v: bool, in_t: bool, text: &str) {
    if let Some(c) = cell {
        if in_v {
            c.value.push_str(text);
        } else if in_t {
            c.inline.push_str(text);
        }
    }
}

fn cell_text(c: &CellState, book: &Book) -> String {
    match c.kind.as_str() {
        "s" => c.value.trim().parse().ok().and_then(|i| book.strings.get(i)).unwrap_or_default().to_string(),
        "inlineStr" => c.inline.clone(),
        "str" | "e" => c.value.clone(),
        "b" => if c.value.trim() == "1" { "true" } else { "false" }.to_string(),
        "d" => c.value.get(..10).unwrap_or(&c.value).to_string(),
        _ => {
            if book.date_styles.get(c.style).copied().unwrap_or(false)
                && let Ok(serial) = c.value.trim().parse::<f64>()
                && let Some(date) = excel_date(serial, book.date1904)
            {
                return date;
            }
            number_text(&c.value)
        }
    }
}

/// An XLSX sheet being read: the header row, then the data rows from a reader thread.
pub(crate) struct XlsxRows {
    rows: Receiver<Result<RawRow, TabularError>>,
}

impl XlsxRows {
    /// Opens the file's first sheet and reads up to its first non-blank row, the header.
    pub(crate) fn open(path: &Path, limits: XlsxLimits) -> Result<(Vec<String>, XlsxRows), TabularError> {
        let (archive, book) = open_book(path, &limits)?;
        let (tx, rx) = sync_channel(1024);
        std::thread::Builder::new()
            .name("xlsx-reader".into())
            .spawn(move || stream_sheet(archive, book, limits, tx))
            .map_err(TabularError::Io)?;
        let mut rows = XlsxRows { rows: rx };
        let header = rows.next().ok_or(TabularError::Empty)??;
        Ok((header.cells.iter().map(|h| h.trim().to_string()).collect(), rows))
    }
}

impl Iterator for XlsxRows {
    type Item = Result<RawRow, TabularError>;
    fn next(&mut self) -> Option<Self::Item> {
        self.rows.recv().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references_and_dates() {
        assert_eq!(cell_ref("A1"), Some((0, 1)));
        assert_eq!(cell_ref("XFD1048576"), Some((16_383, 1_048_576)));
        assert_eq!(cell_ref("AA10"), Some((26, 10)));
        assert_eq!(excel_date(45_658.0, false).as_deref(), Some("2025-01-01"));
        assert_eq!(excel_date(1.0, false).as_deref(), Some("1900-01-01"));
        assert_eq!(excel_date(61.0, false).as_deref(), Some("1900-03-01"));
        assert_eq!(excel_date(0.0, true).as_deref(), Some("1904-01-01"));
        assert!(is_date_format("yyyy\"年\"m\"月\"d\"日\""));
        assert!(is_date_format("[$-F800]dddd, mmmm dd, yyyy"));
        assert!(!is_date_format("0.00_);[Red](0.00)"));
        assert!(!is_date_format("\"days\" 0"));
        assert!(!is_date_format("@"));
    }
}
