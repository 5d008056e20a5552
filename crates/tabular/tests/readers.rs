//! The readers against files built to hurt them: a cell declared at the sheet's last column and
//! row, shared-string and text bombs, and the cell kinds a real workbook holds.

use std::io::Write;
use std::path::{Path, PathBuf};

use gongjiang_tabular::xlsx::XlsxLimits;
use gongjiang_tabular::{RawRow, RowReader, TabularError};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

fn rows(r: RowReader) -> Vec<Result<RawRow, TabularError>> {
    r.collect()
}

/// A minimal XLSX zip: the parts given, deflated.
fn zip_parts(path: &Path, parts: &[(&str, &[u8])]) {
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        z.start_file(*name, opts).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap();
}

const WORKBOOK: &[u8] = br#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const RELS: &[u8] = br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;

fn sheet(body: &str) -> Vec<u8> {
    format!(r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{body}</sheetData></worksheet>"#).into_bytes()
}

fn workbook_with(dir: &Path, sheet_xml: &[u8], shared: Option<&[u8]>) -> PathBuf {
    let path = dir.join("bomb.xlsx");
    let mut parts: Vec<(&str, &[u8])> = vec![
        ("xl/workbook.xml", WORKBOOK),
        ("xl/_rels/workbook.xml.rels", RELS),
        ("xl/worksheets/sheet1.xml", sheet_xml),
    ];
    if let Some(s) = shared {
        parts.push(("xl/sharedStrings.xml", s));
    }
    zip_parts(&path, &parts);
    path
}

#[test]
fn a_cell_declared_at_xfd1048576_rejects_its_row_and_allocates_nothing_for_the_grid() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("xfd.xlsx");
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.write_string(0, 0, "姓名").unwrap();
    ws.write_string(1, 0, "张三").unwrap();
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    book.save(&path).unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() < 10_000, "a small file");

    let r = RowReader::open(&path).unwrap();
    assert_eq!(r.headers(), ["姓名"]);
    let got = rows(r);
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0].as_ref().unwrap(), &RawRow { line: 2, cells: vec!["张三".into()] });
    let e = got[1].as_ref().unwrap_err();
    assert!(matches!(e, TabularError::RowTooWide { line: 1_048_576, column: 16_384, .. }), "{e:?}");
    assert!(e.to_string().contains("第 1048576 行第 16384 列"), "{e}");
}

#[test]
fn a_shared_strings_bomb_is_an_error_not_an_allocation() {
    let dir = tempfile::tempdir().unwrap();
    let limits = XlsxLimits { max_shared_string_bytes: 1 << 20, max_shared_strings: 50_000, ..XlsxLimits::default() };
    let body = sheet(r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#);

    // Two megabytes of text in one thousand strings.
    let mut big = String::from("<sst>");
    for _ in 0..1000 {
        big.push_str(&format!("<si><t>{}</t></si>", "a".repeat(2000)));
    }
    big.push_str("</sst>");
    let path = workbook_with(dir.path(), &body, Some(big.as_bytes()));
    assert!(std::fs::metadata(&path).unwrap().len() < 50_000, "compresses to little");
    let e = RowReader::open_xlsx_with(&path, limits).err().expect("refused");
    assert!(e.to_string().contains("共享字符串超过上限"), "{e}");

    // A hundred thousand empty strings.
    let many = format!("<sst>{}</sst>", "<si/>".repeat(100_000));
    let path = workbook_with(dir.path(), &body, Some(many.as_bytes()));
    let e = RowReader::open_xlsx_with(&path, limits).err().expect("refused");
    assert!(e.to_string().contains("shared strings exceed the limit"), "{e}");

    // The same file under the real limits is read (its one cell is an empty string: no header).
    assert!(matches!(RowReader::open(&path).err(), Some(TabularError::Empty)));
}

#[test]
fn a_decompression_bomb_in_a_part_stops_at_the_part_limit() {
    let dir = tempfile::tempdir().unwrap();
    let limits = XlsxLimits { max_shared_strings_part_bytes: 1 << 20, ..XlsxLimits::default() };
    let body = sheet(r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#);
    let padded = format!("<sst><si><t>x</t></si>{}</sst>", "<!---->".repeat(400_000));
    let path = workbook_with(dir.path(), &body, Some(padded.as_bytes()));
    let e = RowReader::open_xlsx_with(&path, limits).err().expect("refused");
    assert!(e.to_string().contains("exceeds 1 MB when decompressed"), "{e}");
}

#[test]
fn one_enormous_text_node_is_refused_under_the_real_limits() {
    let dir = tempfile::tempdir().unwrap();
    let huge = "甲".repeat(1 << 20); // 3 MB of UTF-8 in one cell
    let body = sheet(&format!(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>{huge}</t></is></c></row>"#
    ));
    let path = workbook_with(dir.path(), &body, None);
    let r = RowReader::open(&path).unwrap();
    let got = rows(r);
    let e = got.last().unwrap().as_ref().unwrap_err();
    assert!(e.to_string().contains("longer than 1024 KB"), "{e}");
}

#[test]
fn cells_read_as_a_person_sees_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kinds.xlsx");
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    // The table starts in column B, row 2, as people's sheets often do.
    for (i, h) in ["身份证号", "取得日期", "学时", "分数", "在职"].iter().enumerate() {
        ws.write_string(1, i as u16 + 1, *h).unwrap();
    }
    ws.write_string(2, 1, "12010119900307123X").unwrap();
    let date = Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
    ws.write_datetime_with_format(2, 2, ExcelDateTime::from_ymd(2024, 2, 29).unwrap(), &date).unwrap();
    ws.write_number(2, 3, 48.0).unwrap();
    ws.write_number(2, 4, 87.5).unwrap();
    ws.write_boolean(2, 5, true).unwrap();
    ws.write_string(4, 1, "a & b <c>").unwrap(); // after a blank row
    book.save(&path).unwrap();

    let r = RowReader::open(&path).unwrap();
    assert_eq!(r.headers(), ["", "身份证号", "取得日期", "学时", "分数", "在职"]);
    let got: Vec<RawRow> = r.map(Result::unwrap).collect();
    assert_eq!(got[0].line, 3);
    assert_eq!(got[0].cells, ["", "12010119900307123X", "2024-02-29", "48", "87.5", "true"]);
    assert_eq!(got[1], RawRow { line: 5, cells: vec!["".into(), "a & b <c>".into()] });
}

#[test]
fn a_phonetic_guide_is_not_part_of_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let body = sheet(r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row>"#);
    let shared = "<sst><si><t>姓名</t></si><si><r><t>张</t></r><r><t>三</t></r><rPh sb=\"0\" eb=\"2\"><t>zhang san</t></rPh></si></sst>";
    let path = workbook_with(dir.path(), &body, Some(shared.as_bytes()));
    let got = rows(RowReader::open(&path).unwrap());
    assert_eq!(got[0].as_ref().unwrap().cells, ["张三"]);
}

#[test]
fn a_utf8_file_with_one_bad_byte_rejects_that_row_and_keeps_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("one-bad.csv");
    let mut bytes = "姓名,区\n".as_bytes().to_vec();
    for i in 0..50 {
        bytes.extend(format!("张三{i},和平区\n").as_bytes());
    }
    bytes.extend(b"\xd5\xc5,x\n"); // a GB18030 name pasted into a UTF-8 file
    bytes.extend("李四,河西区\n".as_bytes());
    std::fs::write(&path, &bytes).unwrap();
    let r = RowReader::open(&path).unwrap();
    assert_eq!(r.headers(), ["姓名", "区"]);
    let got = rows(r);
    assert_eq!(got.len(), 52);
    assert_eq!(got[0].as_ref().unwrap().cells, ["张三0", "和平区"]);
    let e = got[50].as_ref().unwrap_err();
    assert!(matches!(e, TabularError::Undecodable { line: 52, column: 1, .. }), "{e:?}");
    assert_eq!(got[51].as_ref().unwrap().cells, ["李四", "河西区"]);
}

#[test]
fn a_gb18030_file_whose_first_64_kib_is_ascii_is_read_whole_as_gb18030() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("late-chinese.csv");
    let mut text = String::from("code,name\n");
    let mut n = 0;
    while text.len() < 100_000 {
        text.push_str(&format!("{n},abc\n"));
        n += 1;
    }
    text.push_str("x,张三\n");
    let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
    std::fs::write(&path, &bytes).unwrap();
    let got: Vec<RawRow> = RowReader::open(&path).unwrap().map(Result::unwrap).collect();
    assert_eq!(got.last().unwrap().cells, ["x", "张三"]);
}

/// Arbitrary input (property tests in place of cargo-fuzz): any bytes as a CSV file, and a real
/// workbook with bytes flipped, cut or spliced, are read to an answer — rows or a reasoned
/// error — never a panic, and never more rows than the file has lines.
mod arbitrary_input {
    use super::*;
    use proptest::prelude::*;

    fn cases() -> u32 {
        std::env::var("FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(2_000) / 4 + 1
    }

    fn a_workbook() -> Vec<u8> {
        let mut book = Workbook::new();
        let ws = book.add_worksheet();
        for (c, h) in ["身份证号", "姓名", "取得日期"].iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for r in 1..20u32 {
            ws.write_string(r, 0, format!("12010119900101{r:03}X")).unwrap();
            ws.write_string(r, 1, format!("工人{r}")).unwrap();
            ws.write_number(r, 2, 45_000.0 + f64::from(r)).unwrap();
        }
        book.save_to_buffer().unwrap()
    }

    fn read(bytes: &[u8], name: &str) -> usize {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        match RowReader::open(&path) {
            Ok(r) => r.filter(Result::is_ok).count(),
            Err(e) => {
                assert!(!e.to_string().is_empty());
                0
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

        #[test]
        fn any_bytes_as_csv(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
            let lines = bytes.iter().filter(|b| **b == b'\n' || **b == b'\r').count() + 1;
            prop_assert!(read(&bytes, "f.csv") <= lines);
        }

        #[test]
        fn a_damaged_workbook(flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
                              cut in any::<prop::sample::Index>(), how in 0u8..3) {
            let mut bytes = a_workbook();
            match how {
                0 => for (at, b) in flips { let i = at.index(bytes.len()); bytes[i] = b; },
                1 => bytes.truncate(cut.index(bytes.len())),
                _ => { let i = cut.index(bytes.len()); bytes.splice(i..i, flips.into_iter().map(|(_, b)| b)); }
            }
            prop_assert!(read(&bytes, "f.xlsx") <= 19);
        }
    }
}
