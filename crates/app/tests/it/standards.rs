//! `import standards`: the standard that governs an occupation decides the edition of the
//! application conditions — on every backend. Also: an employment row without an occupation
//! counts as work in the registered occupation.

use std::path::{Path, PathBuf};

use gongjiang_app::Actor;
use gongjiang_app::candidate;
use gongjiang_app::import::{self, ImportOptions, ImportSummary, Kind};
use gongjiang_domain::standards::{Asked, Basis};
use gongjiang_tabular::{RowReader, TableWriter};
use gongjiang_testkit::TestDb;
use time::macros::date;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures").join(name)
}

async fn run(app: &gongjiang_app::App, kind: Kind, path: &Path, errors: Option<&Path>) -> ImportSummary {
    let opts = ImportOptions { errors_path: errors.map(Path::to_path_buf), ..ImportOptions::default() };
    import::run(app, &Actor::cli("test"), kind, path, &opts, &|_| ()).await.unwrap()
}

fn counts(s: &ImportSummary) -> [u64; 5] {
    [s.read, s.inserted, s.updated, s.unchanged, s.rejected]
}

/// 李秀英: 高级工 in 6-25-04-01 since 2019-12-01 (fixtures/levels_mixed.csv).
const LI: &str = "120104199207054022";
/// 赵老旧: registered in 电工 6-31-01-03, working since 1985-03, no level.
const ZHAO: &str = "130503196704010016";

#[tokio::test(flavor = "multi_thread")]
async fn an_imported_2018_standard_decides_the_edition_and_an_asked_edition_overrides_it() {
    for t in TestDb::all().await {
        let b = t.backend;
        let app = crate::support::open_on(&t, date!(2026 - 11 - 25)).await;
        let dir = tempfile::tempdir().unwrap();
        for (kind, file) in
            [(Kind::Orgs, "orgs_mixed.csv"), (Kind::Persons, "persons_mixed.csv"), (Kind::Levels, "levels_mixed.csv")]
        {
            run(&app, kind, &fixture(file), None).await;
        }
        let on = date!(2024 - 01 - 01);
        let target = app.policy.ladder.parse_level("技师").unwrap();

        // Before any standard is on file: the policy's default on 2024-01-01 is the newer
        // template, 5 years as 高级工 (met on 2024-12-01).
        let before = candidate::decide(&app, LI, target, None, on, Asked::Nothing).await.unwrap();
        assert_eq!(
            (before.eligible, before.edition.as_str(), before.edition_basis),
            (false, "2023", Basis::Default),
            "{b}"
        );
        assert_eq!(before.earliest_eligible_on, Some(date!(2024 - 12 - 01)), "{b}");

        let file = dir.path().join("standards.csv");
        std::fs::write(
            &file,
            "职业代码,标准版本,施行日期,标准名称,来源\n\
             6-25-04-01,2018版,2019-01-01,国家职业技能标准 测试工（2018年版）,测试用\n\
             6-25-04-01,1999,2019-01-01,,\n\
             9-99-99-99,2018,2019-01-01,,\n\
             6-18-01-01,2023,2020-13-01,,\n\
             6-18-01-01,2023,2022-06-01,,\n",
        )
        .unwrap();
        let errors = dir.path().join("errors.csv");
        let s = run(&app, Kind::Standards, &file, Some(&errors)).await;
        assert_eq!(counts(&s), [5, 1, 0, 0, 4], "{b}");
        let mut r = RowReader::open(&errors).unwrap();
        let bad: Vec<(String, String, String)> =
            r.by_ref().map(|row| row.unwrap().cells).map(|c| (c[0].clone(), c[1].clone(), c[3].clone())).collect();
        assert_eq!(
            bad.iter().map(|(l, c, _)| (l.as_str(), c.as_str())).collect::<Vec<_>>(),
            [("3", "标准版本"), ("4", "职业代码"), ("5", "施行日期"), ("6", "施行日期")],
            "{b}"
        );
        assert!(bad[0].2.contains("2018、2023"), "{b}: the allowed editions are named: {}", bad[0].2);
        assert!(bad[3].2.contains("2023-01-01"), "{b}: before the edition itself: {}", bad[3].2);
        let again = run(&app, Kind::Standards, &file, None).await;
        assert_eq!(counts(&again), [5, 0, 0, 1, 4], "{b}: re-import changes nothing");
        // The same good row as XLSX with English headers: nothing new.
        let xlsx = dir.path().join("standards.xlsx");
        let mut w =
            TableWriter::create(&xlsx, &["occupation", "edition", "effective_from", "standard_name", "reference"])
                .unwrap();
        w.write_row(&["6-25-04-01", "2018", "2019-01-01", "国家职业技能标准 测试工（2018年版）", "测试用"]).unwrap();
        w.finish().unwrap();
        assert_eq!(counts(&run(&app, Kind::Standards, &xlsx, None).await), [1, 0, 0, 1, 0], "{b}: xlsx");

        // Now the occupation's 2018 standard governs: 4 years as 高级工 (2023-12-01) suffice.
        let d = candidate::decide(&app, LI, target, None, on, Asked::Nothing).await.unwrap();
        assert!(d.eligible, "{b}: {:?}", d.reasons);
        assert_eq!(
            (d.edition.as_str(), d.edition_basis, d.rule.as_deref()),
            ("2018", Basis::Standard, Some("2018-L5-1")),
            "{b}"
        );
        assert_eq!(
            d.edition_reason.zh,
            "职业 6-25-04-01 适用国家职业技能标准 测试工（2018年版）（2019-01-01 施行），其申报条件为 2018 版",
            "{b}"
        );
        assert!(!d.inferred, "{b}");
        // Asking for 2023 overrides the standard.
        let asked = candidate::decide(&app, LI, target, None, on, Asked::Edition("2023")).await.unwrap();
        assert_eq!(
            (asked.eligible, asked.edition.as_str(), asked.edition_basis),
            (false, "2023", Basis::Requested),
            "{b}"
        );
        // The city-wide count follows the standard too: 李秀英 counts on 2024-01-01.
        let city = candidate::city_wide(&app, target, on, &|_| ()).await.unwrap();
        let nankai = city.by_district.iter().find(|x| x.district == "120104").unwrap();
        assert_eq!((nankai.eligible, nankai.evaluated), (1, 1), "{b}");
        app.db.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_employment_row_without_occupation_counts_in_the_registered_occupation() {
    for t in TestDb::all().await {
        let b = t.backend;
        let app = crate::support::open_on(&t, date!(2026 - 11 - 25)).await;
        let dir = tempfile::tempdir().unwrap();
        for (kind, file) in [(Kind::Orgs, "orgs_mixed.csv"), (Kind::Persons, "persons_mixed.csv")] {
            run(&app, kind, &fixture(file), None).await;
        }
        // One spell at 南开电子 from 2018-03-01 with no occupation: it replaces the work start
        // date (1985) as the record of his work, and counts as 电工.
        let file = dir.path().join("employment.csv");
        std::fs::write(&file, "身份证号,单位统一社会信用代码,入职日期,离职日期,职业代码\n130503670401001,91120104MA05K3B4YR,2018-03-01,,\n")
            .unwrap();
        assert_eq!(counts(&run(&app, Kind::Employment, &file, None).await), [1, 1, 0, 0, 0], "{b}");
        let target = app.policy.ladder.parse_level("中级工").unwrap();
        // 2023-L3-1: 5 years of work, met on 2023-03-01.
        let d = candidate::decide(&app, ZHAO, target, None, date!(2023 - 03 - 01), Asked::Nothing).await.unwrap();
        assert_eq!((d.eligible, d.rule.as_deref()), (true, Some("2023-L3-1")), "{b}: {:?}", d.reasons);
        assert!(
            d.reasons.iter().any(|r| r.zh
                == "本职业（含相关职业）累计工作 5 年，规则要求 5 年（其中 1 段工作未登记职业，按登记职业 6-31-01-03 计）"),
            "{b}: {:?}",
            d.reasons
        );
        let day_before =
            candidate::decide(&app, ZHAO, target, None, date!(2023 - 02 - 28), Asked::Nothing).await.unwrap();
        assert_eq!((day_before.eligible, day_before.earliest_eligible_on), (false, Some(date!(2023 - 03 - 01))), "{b}");
        app.db.close().await;
    }
}
