//! Files that used to hurt the importer: a cell declared at the sheet's far corner, a UTF-8 file
//! with one damaged row, a GB18030 file whose Chinese starts late, a million bad rows, names a
//! spreadsheet would run as formulas. The good rows go in; the bad ones are named; nothing
//! decoded with the wrong table is stored — on every backend.

use std::path::Path;

use gongjiang_app::Actor;
use gongjiang_app::import::{self, ImportOptions, ImportSummary, Kind};
use gongjiang_domain::id_number::check_char;
use gongjiang_store::persons;
use gongjiang_tabular::{Encoding, RowReader};
use gongjiang_testkit::TestDb;
use rust_xlsxwriter::Workbook;
use time::macros::date;

/// A valid resident identity number born in Heping district on 1990-01-01, serial `n`.
fn id(n: u32) -> String {
    let body = format!("12010119900101{:03}", n % 1000);
    format!("{body}{}", check_char(&body).unwrap())
}

async fn run(app: &gongjiang_app::App, path: &Path, errors: Option<&Path>, encoding: Encoding) -> ImportSummary {
    let opts = ImportOptions {
        errors_path: errors.map(Path::to_path_buf),
        batch_rows: 7,
        encoding,
        ..ImportOptions::default()
    };
    import::run(app, &Actor::cli("test"), Kind::Persons, path, &opts, &|_| ()).await.unwrap()
}

async fn name_of(app: &gongjiang_app::App, n: u32) -> Option<String> {
    persons::by_id_number(&app.db, &id(n)).await.unwrap().map(|p| p.name)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cell_at_xfd1048576_rejects_its_row_and_the_others_go_in() {
    for t in TestDb::all().await {
        let app = crate::support::open_on(&t, date!(2026 - 11 - 25)).await;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("人员.xlsx");
        let mut book = Workbook::new();
        let ws = book.add_worksheet();
        for (c, h) in ["身份证号", "姓名", "所在区"].iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for r in 1..=2u32 {
            ws.write_string(r, 0, id(r)).unwrap();
            ws.write_string(r, 1, format!("工人{r}")).unwrap();
            ws.write_string(r, 2, "和平区").unwrap();
        }
        ws.write_string(1_048_575, 16_383, "x").unwrap();
        book.save(&path).unwrap();

        let s = run(&app, &path, None, Encoding::Auto).await;
        assert_eq!([s.read, s.inserted, s.rejected], [3, 2, 1], "{}: {:?}", t.backend, s.rejected_rows);
        let bad = &s.rejected_rows[0];
        assert_eq!(bad.line, 1_048_576);
        assert!(bad.errors[0].reason.zh.contains("超过 1024 列的上限"), "{:?}", bad.errors);
        assert!(bad.errors[0].reason.en.contains("beyond the limit of 1024 columns"), "{:?}", bad.errors);
        assert_eq!(name_of(&app, 2).await.as_deref(), Some("工人2"));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn one_damaged_row_in_a_utf8_file_is_rejected_and_nothing_is_stored_as_mojibake() {
    for t in TestDb::all().await {
        let app = crate::support::open_on(&t, date!(2026 - 11 - 25)).await;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("persons.csv");
        let mut bytes = "id_number,name,district\n".as_bytes().to_vec();
        for n in 1..=20 {
            bytes.extend(format!("{},张{n},和平区\n", id(n)).as_bytes());
        }
        // Row 22: a name pasted from a GB18030 file ("张三" in GB18030 bytes).
        bytes.extend(format!("{},", id(21)).as_bytes());
        bytes.extend(b"\xd5\xc5\xc8\xfd,\xba\xcd\xc6\xbd\xc7\xf8\n");
        std::fs::write(&path, &bytes).unwrap();
        let errors = dir.path().join("errors.csv");

        let s = run(&app, &path, Some(&errors), Encoding::Auto).await;
        assert_eq!([s.read, s.inserted, s.rejected], [21, 20, 1], "{}: {:?}", t.backend, s.rejected_rows);
        assert!(s.warnings.iter().any(|w| w.zh.contains("按 UTF-8 读取")), "{:?}", s.warnings);
        assert_eq!(name_of(&app, 1).await.as_deref(), Some("张1"), "UTF-8 kept");
        assert_eq!(name_of(&app, 21).await, None, "the damaged row is not stored");
        let report: Vec<Vec<String>> = RowReader::open(&errors).unwrap().map(|r| r.unwrap().cells).collect();
        assert_eq!(report[0][0], "22");
        assert!(report[0][3].contains("不是有效的 UTF-8 编码文本"), "{report:?}");

        // Asked to read it as GB18030, the same file is all mojibake: the caller chose, and the
        // Chinese rows become names nobody would accept — so the check is that the choice is
        // reported, and the caller's override is honoured for the damaged row.
        let s = run(&app, &path, None, Encoding::Gb18030).await;
        assert!(s.warnings.iter().any(|w| w.zh.contains("指定的 GB18030")), "{:?}", s.warnings);
        assert_eq!(name_of(&app, 21).await.as_deref(), Some("张三"));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_gb18030_file_whose_chinese_starts_after_64_kib_is_read_as_gb18030() {
    for t in TestDb::all().await {
        let app = crate::support::open_on(&t, date!(2026 - 11 - 25)).await;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("persons.csv");
        // A long ASCII note column first, then the Chinese names.
        let mut text = String::from("身份证号,姓名,所在区,备注\n");
        text = text.replacen("身份证号,姓名,所在区,备注", "id_number,name,district,note", 1);
        let pad = "x".repeat(5000);
        for n in 1..=20 {
            text.push_str(&format!("{},Worker {n},120101,{pad}\n", id(n)));
        }
        text.push_str(&format!("{},李四,河西区,\n", id(30)));
        let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
        assert!(bytes.len() > 65_536);
        std::fs::write(&path, &bytes).unwrap();

        let s = run(&app, &path, None, Encoding::Auto).await;
        assert_eq!([s.read, s.inserted, s.rejected], [21, 21, 0], "{}: {:?}", t.backend, s.rejected_rows);
        assert_eq!(name_of(&app, 30).await.as_deref(), Some("李四"));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn names_a_spreadsheet_would_run_are_refused() {
    for t in TestDb::all().await {
        let app = crate::support::open_on(&t, date!(2026 - 11 - 25)).await;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("persons.csv");
        let mut text = String::from("id_number,name,district\n");
        for (n, name) in
            [(1, "=HYPERLINK(\"http://evil\",\"点我\")"), (2, "+1+1"), (3, "-2"), (4, "@SUM(A1)"), (5, "王-五")]
        {
            text.push_str(&format!("{},\"{}\",和平区\n", id(n), name.replace('"', "\"\"")));
        }
        std::fs::write(&path, text).unwrap();
        let s = run(&app, &path, None, Encoding::Auto).await;
        assert_eq!([s.inserted, s.rejected], [1, 4], "{}: {:?}", t.backend, s.rejected_rows);
        assert!(s.rejected_rows.iter().all(|r| r.errors[0].reason.zh.contains("公式")));
        assert_eq!(name_of(&app, 5).await.as_deref(), Some("王-五"));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_of_bad_rows_keeps_a_bounded_sample_and_reports_every_row_to_disk() {
    let t = TestDb::sqlite();
    let app = crate::support::open_on(&t, date!(2026 - 11 - 25)).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("persons.csv");
    let bad = import::report::KEPT_REJECTIONS + 500;
    let mut text = String::from("id_number,name,district\n");
    for n in 0..bad {
        text.push_str(&format!("12345{n},名{n},和平区\n"));
    }
    std::fs::write(&path, text).unwrap();
    let errors = dir.path().join("errors.csv");
    let opts = ImportOptions { errors_path: Some(errors.clone()), ..ImportOptions::default() };
    let s = import::run(&app, &Actor::cli("test"), Kind::Persons, &path, &opts, &|_| ()).await.unwrap();
    assert_eq!(s.rejected as usize, bad);
    assert_eq!(s.rejected_rows.len(), import::report::KEPT_REJECTIONS, "only a sample is held");
    let lines: Vec<u64> = RowReader::open(&errors).unwrap().map(|r| r.unwrap().cells[0].parse().unwrap()).collect();
    assert_eq!(lines.len(), bad, "every rejected row is in the report");
    assert!(lines.windows(2).all(|w| w[0] < w[1]), "in line order");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&errors).unwrap().permissions().mode() & 0o777, 0o600, "owner-only");
    }
}
