//! gongjiang-tabular: the spreadsheets people exchange — CSV (UTF-8 with or without BOM, or
//! GB18030 as Excel on a Chinese Windows saves it) and XLSX — read as rows of text cells and
//! written with every value as text, so an 18-digit identity number never turns into 1.2E+17.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;

use calamine::{Data, Reader};

pub mod encoding;
mod error;
mod lines;
mod row;
pub mod workbook;
pub mod xlsx;

pub use encoding::{Detected, Encoding};
pub use error::TabularError;
pub use row::RawRow;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    /// The format named by a file's extension.
    pub fn of_path(path: &Path) -> Result<Format, TabularError> {
        match path.extension().and_then(|e| e.to_str()).map(|e| e.to_ascii_lowercase()).as_deref() {
            Some("csv") | Some("txt") => Ok(Format::Csv),
            Some("xlsx") | Some("xlsm") | Some("xls") => Ok(Format::Xlsx),
            _ => Err(TabularError::UnsupportedFormat(path.display().to_string())),
        }
    }
}

enum Source {
    Csv { csv: csv::Reader<Box<dyn Read + Send>>, encoding: Encoding, lines: lines::LineIndex },
    Xlsx(xlsx::XlsxRows),
    Xls(std::vec::IntoIter<RawRow>),
}

/// Reads a CSV or XLSX file row by row; the first row is the header.
pub struct RowReader {
    headers: Vec<String>,
    source: Source,
    record: csv::ByteRecord,
    /// How a CSV file's bytes were read, and on what evidence.
    pub csv_encoding: Option<Detected>,
    /// A row read ahead (looking for headers below a title) and not yet handed out.
    pending: Option<Result<RawRow, TabularError>>,
}

impl RowReader {
    pub fn open(path: &Path) -> Result<RowReader, TabularError> {
        Self::open_with(path, Encoding::Auto)
    }

    /// Opens `path`; a CSV file is read in `encoding` (or, with [`Encoding::Auto`], the one the
    /// whole file's bytes show).
    pub fn open_with(path: &Path, encoding: Encoding) -> Result<RowReader, TabularError> {
        match Format::of_path(path)? {
            Format::Csv => Self::open_csv(path, encoding),
            Format::Xlsx if is_legacy_xls(path) => Self::open_xls(path),
            Format::Xlsx => {
                let (headers, rows) = xlsx::XlsxRows::open(path, xlsx::XlsxLimits::default())?;
                Ok(RowReader {
                    headers,
                    source: Source::Xlsx(rows),
                    record: csv::ByteRecord::new(),
                    csv_encoding: None,
                    pending: None,
                }
                .below_title())
            }
        }
    }

    /// A title row above the headers (`TableWriter::titled`, or a person's own): when the first
    /// row has one cell filled and the next one several, the next one holds the headers. (A
    /// one-column table keeps its first row as headers.)
    fn below_title(mut self) -> RowReader {
        let filled = |cells: &[String]| cells.iter().filter(|c| !c.trim().is_empty()).count();
        if filled(&self.headers) != 1 {
            return self;
        }
        match self.next_row() {
            Some(Ok(row)) if filled(&row.cells) >= 2 => {
                self.headers = row.cells.iter().map(|h| h.trim().to_string()).collect();
            }
            peeked => self.pending = peeked,
        }
        self
    }

    /// Opens an XLSX file under limits of the caller's choosing (tests use small ones).
    pub fn open_xlsx_with(path: &Path, limits: xlsx::XlsxLimits) -> Result<RowReader, TabularError> {
        let (headers, rows) = xlsx::XlsxRows::open(path, limits)?;
        Ok(RowReader {
            headers,
            source: Source::Xlsx(rows),
            record: csv::ByteRecord::new(),
            csv_encoding: None,
            pending: None,
        }
        .below_title())
    }

    fn open_csv(path: &Path, choice: Encoding) -> Result<RowReader, TabularError> {
        let detected = encoding::detect(path, choice)?;
        let mut file = BufReader::with_capacity(1 << 20, File::open(path)?);
        if detected.bom {
            let mut bom = [0u8; 3];
            file.read_exact(&mut bom)?;
        }
        let (counting, lines) = lines::CountingReader::new(file);
        let reader: Box<dyn Read + Send> = Box::new(counting);
        let mut csv = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(reader);
        let mut record = csv::ByteRecord::new();
        let has_header = csv.read_byte_record(&mut record).map_err(|e| csv_error(e, &lines))?;
        if !has_header {
            return Err(TabularError::Empty);
        }
        let headers = decode_record(&record, detected.encoding, 1)?.into_iter().map(|h| h.trim().to_string()).collect();
        Ok(RowReader {
            headers,
            source: Source::Csv { csv, encoding: detected.encoding, lines },
            record,
            csv_encoding: Some(detected),
            pending: None,
        }
        .below_title())
    }

    /// The legacy binary `.xls` format: at most 65,536 × 256 cells, so its grid is bounded.
    fn open_xls(path: &Path) -> Result<RowReader, TabularError> {
        let mut book = calamine::open_workbook_auto(path).map_err(|e| TabularError::Xlsx(e.to_string()))?;
        let range =
            book.worksheet_range_at(0).ok_or(TabularError::Empty)?.map_err(|e| TabularError::Xlsx(e.to_string()))?;
        let first_row = range.start().map(|(r, _)| r as u64).unwrap_or(0);
        let mut rows = range
            .rows()
            .enumerate()
            .map(|(i, cells)| RawRow { line: first_row + i as u64 + 1, cells: cells.iter().map(cell_text).collect() });
        let headers = rows.next().ok_or(TabularError::Empty)?.cells.iter().map(|h| h.trim().to_string()).collect();
        let data: Vec<RawRow> = rows.filter(|r| r.cells.iter().any(|c| !c.is_empty())).collect();
        Ok(RowReader {
            headers,
            source: Source::Xls(data.into_iter()),
            record: csv::ByteRecord::new(),
            csv_encoding: None,
            pending: None,
        }
        .below_title())
    }

    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The next non-blank data row, or `None` at the end of the file.
    pub fn next_row(&mut self) -> Option<Result<RawRow, TabularError>> {
        if let Some(row) = self.pending.take() {
            return Some(row);
        }
        match &mut self.source {
            Source::Xlsx(rows) => rows.next(),
            Source::Xls(rows) => rows.next().map(Ok),
            Source::Csv { csv, encoding, lines } => loop {
                match csv.read_byte_record(&mut self.record) {
                    Ok(false) => return None,
                    Err(e) => return Some(Err(csv_error(e, lines))),
                    Ok(true) => {
                        let line = self.record.position().map(|p| lines.line_at(p.byte())).unwrap_or(0);
                        match decode_record(&self.record, *encoding, line) {
                            Ok(cells) if cells.iter().all(|c| c.trim().is_empty()) => continue,
                            Ok(cells) => return Some(Ok(RawRow { line, cells })),
                            Err(e) => return Some(Err(e)),
                        }
                    }
                }
            },
        }
    }
}

impl Iterator for RowReader {
    type Item = Result<RawRow, TabularError>;
    fn next(&mut self) -> Option<Self::Item> {
        self.next_row()
    }
}

/// A `.xls` file is an OLE compound document, whatever its name says.
fn is_legacy_xls(path: &Path) -> bool {
    let mut magic = [0u8; 8];
    File::open(path).and_then(|mut f| f.read_exact(&mut magic)).is_ok()
        && magic == [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
}

/// A CSV record's fields as text in `encoding`; a field that is not valid in it rejects the row.
fn decode_record(record: &csv::ByteRecord, encoding: Encoding, line: u64) -> Result<Vec<String>, TabularError> {
    record
        .iter()
        .enumerate()
        .map(|(i, field)| {
            encoding::decode(field, encoding).ok_or(TabularError::Undecodable { line, column: i + 1, encoding })
        })
        .collect()
}

fn csv_error(e: csv::Error, lines: &lines::LineIndex) -> TabularError {
    let line = e.position().map(|p| lines.line_at(p.byte())).unwrap_or(0);
    TabularError::Csv { line, reason: e.to_string() }
}

/// A cell as text the way a person reads it in Excel: whole numbers without ".0", dates as
/// YYYY-MM-DD.
fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{day:02}")
        }
        Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// Creates (or truncates) a file only its owner can read: every file gongjiang writes may hold
/// identity numbers or names.
pub fn create_private(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(path)?;
    // An existing file keeps its mode on open: narrow it.
    #[cfg(unix)]
    file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
    Ok(file)
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or carriage return
/// before them) gets a leading `'`, OWASP's rule for CSV injection; a plain number ("-3.5")
/// stays a number.
pub fn neutralise_formula(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let number = cell.parse::<f64>().is_ok()
        && !cell.starts_with(['\t', '\r'])
        && !cell.contains(['e', 'E', 'i', 'I', 'n', 'N']);
    if risky && !number { std::borrow::Cow::Owned(format!("'{cell}")) } else { std::borrow::Cow::Borrowed(cell) }
}

enum Sink {
    Csv(Box<csv::Writer<Box<dyn Write + Send>>>),
    Xlsx { book: Box<rust_xlsxwriter::Workbook>, sheet: usize, row: u32, path: std::path::PathBuf },
}

/// Writes a table to CSV (UTF-8 with a BOM, which Excel needs to show Chinese) or XLSX; or, with
/// [`TableWriter::csv_to`], to CSV on any writer (standard output, say) without a BOM.
pub struct TableWriter {
    sink: Sink,
}

const XLSX_MAX_ROW: u32 = 1_048_575;

impl TableWriter {
    pub fn create(path: &Path, headers: &[&str]) -> Result<TableWriter, TabularError> {
        let sink = match Format::of_path(path)? {
            Format::Csv => {
                let mut file = BufWriter::with_capacity(1 << 20, create_private(path)?);
                file.write_all(&[0xEF, 0xBB, 0xBF])?;
                Sink::Csv(Box::new(csv::Writer::from_writer(Box::new(file))))
            }
            Format::Xlsx => {
                let mut book = Box::new(rust_xlsxwriter::Workbook::new());
                book.add_worksheet_with_constant_memory().map_err(|e| TabularError::Xlsx(e.to_string()))?;
                Sink::Xlsx { book, sheet: 0, row: 0, path: path.to_path_buf() }
            }
        };
        let mut w = TableWriter { sink };
        w.write_row(headers)?;
        if let Sink::Xlsx { book, .. } = &mut w.sink
            && let Ok(sheet) = book.worksheet_from_index(0)
        {
            let _ = sheet.set_freeze_panes(1, 0);
        }
        Ok(w)
    }

    /// Like [`TableWriter::create`], for a person to read: in XLSX a title row above the headers
    /// (what the file holds and as of when), the sheet named `sheet`, columns wide enough for
    /// their headers, and the title and headers frozen. Reading the file back skips the title
    /// (see [`RowReader::open`]). A CSV file gets the headers only (other programs read it).
    pub fn titled(path: &Path, title: &str, sheet: &str, headers: &[&str]) -> Result<TableWriter, TabularError> {
        if Format::of_path(path)? == Format::Csv {
            return TableWriter::create(path, headers);
        }
        let mut book = Box::new(rust_xlsxwriter::Workbook::new());
        let xl = |e: rust_xlsxwriter::XlsxError| TabularError::Xlsx(e.to_string());
        let ws = book.add_worksheet_with_constant_memory().map_err(xl)?;
        ws.set_name(sheet).map_err(xl)?;
        for (col, h) in headers.iter().enumerate() {
            // A CJK character is about two Latin ones wide.
            let width = h.chars().map(|c| if c.is_ascii() { 1.0 } else { 2.0 }).sum::<f64>() + 2.0;
            ws.set_column_width(col as u16, width.max(12.0)).map_err(xl)?;
        }
        let bold = rust_xlsxwriter::Format::new().set_bold();
        ws.write_string_with_format(0, 0, title, &bold).map_err(xl)?;
        ws.set_freeze_panes(2, 0).map_err(xl)?;
        let mut w = TableWriter { sink: Sink::Xlsx { book, sheet: 0, row: 1, path: path.to_path_buf() } };
        w.write_row(headers)?;
        Ok(w)
    }

    /// CSV written to `out` as it goes, without a BOM: for standard output or a pipe, where the
    /// reader is another program rather than Excel. Quoting and line ends as in a file.
    pub fn csv_to<W: Write + Send + 'static>(out: W, headers: &[&str]) -> Result<TableWriter, TabularError> {
        let out: Box<dyn Write + Send> = Box::new(out);
        let mut w = TableWriter { sink: Sink::Csv(Box::new(csv::Writer::from_writer(out))) };
        w.write_row(headers)?;
        Ok(w)
    }

    pub fn write_row<S: AsRef<str>>(&mut self, cells: &[S]) -> Result<(), TabularError> {
        match &mut self.sink {
            Sink::Csv(w) => w
                .write_record(cells.iter().map(|c| neutralise_formula(c.as_ref()).into_owned()))
                .map_err(|e| TabularError::Csv { line: 0, reason: e.to_string() }),
            Sink::Xlsx { book, sheet, row, .. } => {
                if *row > XLSX_MAX_ROW {
                    return Err(TabularError::TooManyRowsForXlsx);
                }
                let sheet = book.worksheet_from_index(*sheet).map_err(|e| TabularError::Xlsx(e.to_string()))?;
                for (col, cell) in cells.iter().enumerate() {
                    sheet
                        .write_string(*row, col as u16, cell.as_ref())
                        .map_err(|e| TabularError::Xlsx(e.to_string()))?;
                }
                *row += 1;
                Ok(())
            }
        }
    }

    /// Names the sheet being written (XLSX; up to 31 characters, none of `[]:*?/\\`). A CSV
    /// file has no sheets: nothing to do.
    pub fn name_sheet(&mut self, name: &str) -> Result<(), TabularError> {
        if let Sink::Xlsx { book, sheet, .. } = &mut self.sink {
            let ws = book.worksheet_from_index(*sheet).map_err(|e| TabularError::Xlsx(e.to_string()))?;
            ws.set_name(name).map_err(|e| TabularError::Xlsx(e.to_string()))?;
        }
        Ok(())
    }

    /// Starts another sheet, named, with its header row (XLSX only: a CSV file holds one table).
    pub fn next_sheet(&mut self, name: &str, headers: &[&str]) -> Result<(), TabularError> {
        let Sink::Xlsx { book, sheet, row, .. } = &mut self.sink else {
            return Err(TabularError::Xlsx("a CSV file holds one table; write XLSX for several".into()));
        };
        let ws = book.add_worksheet_with_constant_memory().map_err(|e| TabularError::Xlsx(e.to_string()))?;
        ws.set_name(name).map_err(|e| TabularError::Xlsx(e.to_string()))?;
        let _ = ws.set_freeze_panes(1, 0);
        *sheet += 1;
        *row = 0;
        self.write_row(headers)
    }

    pub fn finish(self) -> Result<(), TabularError> {
        match self.sink {
            Sink::Csv(mut w) => w.flush().map_err(TabularError::Io),
            Sink::Xlsx { mut book, path, .. } => {
                let file = BufWriter::new(create_private(&path)?);
                book.save_to_writer(file).map_err(|e| TabularError::Xlsx(e.to_string()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_in_csv_and_files_are_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        let mut w = TableWriter::create(&path, &["name", "delta"]).unwrap();
        w.write_row(&["=HYPERLINK(\"http://x\",\"y\")", "-3.5"]).unwrap();
        w.write_row(&["@SUM(A1)", "+1+1"]).unwrap();
        w.write_row(&["\t=1", "-inf"]).unwrap();
        w.finish().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",-3.5\n"), "{text}");
        assert!(text.contains("'@SUM(A1),'+1+1\n"), "{text}");
        assert!(text.contains("'\t=1,'-inf"), "{text}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            for name in ["t.csv", "t.xlsx"] {
                let p = dir.path().join(name);
                if name.ends_with("xlsx") {
                    std::fs::write(&p, b"old").unwrap();
                    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
                    TableWriter::create(&p, &["a"]).unwrap().finish().unwrap();
                }
                assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o600, "{name}");
            }
        }
    }

    #[test]
    fn csv_to_a_writer_has_no_bom_and_quotes_like_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        let mut w = TableWriter::csv_to(std::fs::File::create(&path).unwrap(), &["group", "note"]).unwrap();
        w.write_row(&["120116", "a, \"b\""]).unwrap();
        w.write_row(&["total", ""]).unwrap();
        w.finish().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "group,note\n120116,\"a, \"\"b\"\"\"\ntotal,\n");
    }

    #[test]
    fn an_xlsx_file_holds_several_named_sheets() {
        use calamine::Reader;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.xlsx");
        let mut w = TableWriter::create(&path, &["字段", "值"]).unwrap();
        w.name_sheet("基本信息").unwrap();
        w.write_row(&["姓名", "张三"]).unwrap();
        w.next_sheet("等级", &["职业", "等级"]).unwrap();
        w.write_row(&["6-18-01-01", "4"]).unwrap();
        w.finish().unwrap();
        let mut book = calamine::open_workbook_auto(&path).unwrap();
        assert_eq!(book.sheet_names(), ["基本信息", "等级"]);
        let second = book.worksheet_range("等级").unwrap();
        assert_eq!(second.get_value((1, 1)).map(|v| v.to_string()), Some("4".to_string()));
        let csv = dir.path().join("t.csv");
        let mut w = TableWriter::create(&csv, &["a"]).unwrap();
        assert!(w.next_sheet("b", &["b"]).is_err(), "CSV has one table");
    }

    fn read_all(path: &Path) -> (Vec<String>, Vec<RawRow>) {
        let mut r = RowReader::open(path).unwrap();
        let headers = r.headers().to_vec();
        let rows = r.by_ref().map(|x| x.unwrap()).collect();
        (headers, rows)
    }

    #[test]
    fn a_titled_workbook_reads_back_from_its_headers_with_the_rows_excel_shows() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["t.xlsx", "t.csv"] {
            let path = dir.path().join(name);
            let mut w =
                TableWriter::titled(&path, "人员名单（截至 2026-12-07）", "人员", &["身份证号", "姓名"]).unwrap();
            w.write_row(&["11010519491231002X", "张三"]).unwrap();
            w.finish().unwrap();
            let mut r = RowReader::open(&path).unwrap();
            assert_eq!(r.headers(), ["身份证号", "姓名"], "{name}");
            let row = r.next().unwrap().unwrap();
            assert_eq!(row.cells, ["11010519491231002X", "张三"], "{name}");
            assert_eq!(row.line, if name.ends_with("xlsx") { 3 } else { 2 }, "{name}: title, headers, then the row");
        }
        // A CSV with a title line of its own reads the same.
        let path = dir.path().join("own.csv");
        std::fs::write(&path, "单位名单\n统一社会信用代码,名称\n91350100M000100Y43,某公司\n").unwrap();
        let mut r = RowReader::open(&path).unwrap();
        assert_eq!(r.headers(), ["统一社会信用代码", "名称"]);
        assert_eq!(r.next().unwrap().unwrap().line, 3);
    }

    #[test]
    fn csv_and_xlsx_round_trip_keep_long_numbers_as_text() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["t.csv", "t.xlsx"] {
            let path = dir.path().join(name);
            let mut w = TableWriter::create(&path, &["身份证号", "姓名"]).unwrap();
            w.write_row(&["12010119900307123X", "张三"]).unwrap();
            w.write_row(&["120101199003071234", "李四,\"小\""]).unwrap();
            w.finish().unwrap();
            let (h, rows) = read_all(&path);
            assert_eq!(h, ["身份证号", "姓名"], "{name}");
            assert_eq!(rows.len(), 2);
            assert_eq!(rows[0].cells, ["12010119900307123X", "张三"]);
            assert_eq!(rows[1].cells, ["120101199003071234", "李四,\"小\""]);
            assert_eq!(rows[1].line, 3, "{name}: line numbers are the file's");
        }
    }

    #[test]
    fn gb18030_csv_is_decoded_and_blank_lines_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gbk.csv");
        let (bytes, _, _) = encoding_rs::GB18030.encode("姓名,区\n张三,和平区\n,\n李四,河西区\n");
        std::fs::write(&path, &bytes).unwrap();
        let mut r = RowReader::open(&path).unwrap();
        assert_eq!(r.csv_encoding.unwrap().encoding, Encoding::Gb18030);
        assert_eq!(r.headers(), ["姓名", "区"]);
        let rows: Vec<RawRow> = r.by_ref().map(|x| x.unwrap()).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1], RawRow { line: 4, cells: vec!["李四".into(), "河西区".into()] });
    }

    #[test]
    fn unsupported_extension_is_named() {
        let e = RowReader::open(Path::new("data.pdf")).err().unwrap();
        assert!(e.to_string().contains("data.pdf"));
    }
}
