//! Social-insurance spells imported on every backend: Chinese and English headers, CSV in
//! UTF-8 and GB18030 and XLSX; every bad row named by line, column and reason while its good
//! neighbours go in; re-import changes nothing; a later file closes a spell, an empty cell never
//! reopens it; the months counted from what is stored (overlaps once), hand-derived.

use std::path::Path;

use gongjiang_app::Actor;
use gongjiang_app::App;
use gongjiang_app::import::{self, ImportOptions, ImportSummary, Kind};
use gongjiang_domain::insurance::{Spell, months_covered};
use gongjiang_domain::registry::InsuranceScheme;
use gongjiang_store::{insurance, persons};
use gongjiang_tabular::TableWriter;
use gongjiang_testkit::TestDb;
use time::Date;
use time::macros::date;

pub const A: &str = "12010119900101101X";
pub const B: &str = "120102199505052022";
pub const C: &str = "120103199808083033";
pub const D: &str = "120110198512124042";

async fn run(app: &App, kind: Kind, path: &Path) -> ImportSummary {
    let opts = ImportOptions { batch_rows: 3, ..ImportOptions::default() };
    import::run(app, &Actor::cli("test"), kind, path, &opts, &|_| ()).await.unwrap()
}

fn counts(s: &ImportSummary) -> [u64; 5] {
    [s.read, s.inserted, s.updated, s.unchanged, s.rejected]
}

/// One employer and the four persons A–D, registered.
pub async fn registry(app: &App, dir: &Path) {
    let orgs = dir.join("orgs.csv");
    std::fs::write(
        &orgs,
        "统一社会信用代码,单位名称,单位类型,所在区\n91120116MA05K1A2XW,天津滨海精工机械有限公司,企业,滨海新区\n",
    )
    .unwrap();
    let people = dir.join("persons.csv");
    std::fs::write(
        &people,
        format!(
            "身份证号,姓名,所在区,单位统一社会信用代码,职业代码,就业状态\n\
             {A},张一,和平区,91120116MA05K1A2XW,6-18-01-01,在职\n\
             {B},李二,河东区,91120116MA05K1A2XW,6-18-01-01,在职\n\
             {C},王三,河西区,91120116MA05K1A2XW,6-18-01-01,在职\n\
             {D},赵四,东丽区,91120116MA05K1A2XW,6-18-01-01,在职\n"
        ),
    )
    .unwrap();
    for (kind, path) in [(Kind::Orgs, &orgs), (Kind::Persons, &people)] {
        assert_eq!(run(app, kind, path).await.rejected, 0, "{kind:?}");
    }
}

/// The stored months of `scheme` for `id` on `on`.
async fn months(app: &App, id: &str, scheme: InsuranceScheme, on: Date) -> u32 {
    let p = persons::by_id_number(&app.db, id).await.unwrap().unwrap();
    let spells: Vec<Spell> = insurance::of_person(&app.db, p.id)
        .await
        .unwrap()
        .into_iter()
        .filter(|s| s.scheme == scheme.code())
        .map(|s| Spell { starts_on: s.starts_on, ends_on: s.ends_on })
        .collect();
    months_covered(&spells, on)
}

const ROWS: [[&str; 5]; 8] = [
    [A, "失业保险", "2024-01-01", "2024-06-30", "和平区"],
    [A, "unemployment", "2024-04-01", "2024-12-31", ""],
    [A, "养老保险", "2020-01", "", ""],
    [B, "失业保险", "2025-03-01", "", "120102"],
    [B, "失业保险", "2025-01-01", "2024-12-01", ""],
    [C, "商业保险", "2024-01-01", "", ""],
    [D, "失业保险", "2027-01-01", "", ""],
    ["120116198503123011", "失业保险", "2024-01-01", "", ""],
];

fn csv(headers: &str) -> String {
    let mut text = format!("{headers}\n");
    for r in ROWS {
        text.push_str(&r.join(","));
        text.push('\n');
    }
    text
}

#[tokio::test(flavor = "multi_thread")]
async fn insurance_spells_import_with_every_bad_row_named_and_months_counted_once() {
    for t in TestDb::all().await {
        let b = t.backend;
        let app = crate::support::open_on(&t, date!(2026 - 03 - 02)).await;
        let dir = tempfile::tempdir().unwrap();
        registry(&app, dir.path()).await;

        let file = dir.path().join("参保.csv");
        std::fs::write(&file, csv("身份证号,险种,起始日期,截止日期,参保区")).unwrap();
        let s = run(&app, Kind::Insurance, &file).await;
        // 8 rows: 4 stored; refused: an end before the start, an unknown scheme, a start in the
        // future, a person not registered — each named by its line and the file's header.
        assert_eq!(counts(&s), [8, 4, 0, 0, 4], "{b}: {s:?}");
        let bad: Vec<(u64, &str)> = s.rejected_rows.iter().map(|r| (r.line, r.errors[0].column.as_str())).collect();
        assert_eq!(bad, [(6, "截止日期"), (7, "险种"), (8, "起始日期"), (9, "身份证号")], "{b}");
        let scheme = &s.rejected_rows[1].errors[0];
        assert!(scheme.reason.zh.contains("失业保险") && scheme.reason.en.contains("unemployment"), "{b}: {scheme:?}");
        assert_eq!(insurance::count(&app.db).await.unwrap(), 4, "{b}");

        let on = date!(2026 - 03 - 02);
        // A: Jan–Jun and Apr–Dec 2024 overlap: Jan–Dec = 12, not 15.
        assert_eq!(months(&app, A, InsuranceScheme::Unemployment, on).await, 12, "{b}");
        // A: pension since January 2020, still paid: 6 years + Jan–Mar 2026 = 75.
        assert_eq!(months(&app, A, InsuranceScheme::Pension, on).await, 75, "{b}");
        // B: since March 2025, still paid: Mar 2025 … Mar 2026 = 13.
        assert_eq!(months(&app, B, InsuranceScheme::Unemployment, on).await, 13, "{b}");
        assert_eq!(months(&app, B, InsuranceScheme::Unemployment, date!(2026 - 01 - 31)).await, 11, "{b}");

        // The same file again changes nothing.
        assert_eq!(counts(&run(&app, Kind::Insurance, &file).await), [8, 0, 0, 4, 4], "{b}: re-import");

        // B's spell closes at the end of 2025 (English headers, XLSX): one update, 10 months.
        let xlsx = dir.path().join("closed.xlsx");
        let mut w = TableWriter::create(&xlsx, &["id_number", "scheme", "starts_on", "ends_on"]).unwrap();
        w.write_row(&[B.to_string(), "unemployment".into(), "2025-03-01".into(), "2025-12-31".into()]).unwrap();
        w.finish().unwrap();
        assert_eq!(counts(&run(&app, Kind::Insurance, &xlsx).await), [1, 0, 1, 0, 0], "{b}: xlsx");
        assert_eq!(months(&app, B, InsuranceScheme::Unemployment, on).await, 10, "{b}");

        // The first file again, as GB18030: its empty end does not reopen B's spell.
        let text = csv("身份证号,险种,起始日期,截止日期,参保区");
        let (gb, _, _) = encoding_rs::GB18030.encode(&text);
        let gb_file = dir.path().join("参保-gb.csv");
        std::fs::write(&gb_file, &gb).unwrap();
        let s = run(&app, Kind::Insurance, &gb_file).await;
        assert_eq!(counts(&s), [8, 0, 0, 4, 4], "{b}: gb18030");
        assert!(s.warnings.iter().any(|w| w.en.contains("GB18030")), "{b}");
        assert_eq!(months(&app, B, InsuranceScheme::Unemployment, on).await, 10, "{b}");
        let stored =
            insurance::of_person(&app.db, persons::by_id_number(&app.db, A).await.unwrap().unwrap().id).await.unwrap();
        let districts: Vec<Option<&str>> = stored.iter().map(|s| s.district_code.as_deref()).collect();
        assert_eq!(districts, [None, Some("120101"), None], "{b}: pension, then the two unemployment spells");
    }
}
