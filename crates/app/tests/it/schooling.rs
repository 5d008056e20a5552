//! `import education` and `import titles` on every backend: each bad row named by line and
//! column, good rows kept beside bad ones, re-imports that change nothing, a student's later
//! graduation recorded; and the decisions they open (issue 13): a 预备技师班 record opens the
//! 2018 technician route the registry's single "highest education" hid, a title opens a
//! newer-template route, and bridging to a title is judged with the earliest date. The
//! person's data export carries both.

use std::path::{Path, PathBuf};

use gongjiang_app::import::{self, ImportOptions, ImportSummary, Kind};
use gongjiang_app::{Actor, candidate, personal_data, title_eligibility};
use gongjiang_domain::access::Scope;
use gongjiang_domain::standards::Asked;
use gongjiang_store::persons;
use gongjiang_tabular::RowReader;
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

/// (line, column, reason) of each rejected row in an error report.
fn rejected(path: &Path) -> Vec<(String, String, String)> {
    let mut r = RowReader::open(path).unwrap();
    r.by_ref().map(|row| row.unwrap().cells).map(|c| (c[0].clone(), c[1].clone(), c[3].clone())).collect()
}

/// 王建国: registered in 车工 6-18-01-01 with "高级工班" as highest education, working since 2005-07.
const WANG: &str = "120116198503123011";
/// 李秀英 (南开区).
const LI: &str = "120104199207054022";

#[tokio::test(flavor = "multi_thread")]
async fn education_and_titles_import_row_by_row_and_open_the_routes_they_stand_for() {
    for t in TestDb::all().await {
        let b = t.backend;
        let app = crate::support::open_on(&t, date!(2026 - 11 - 25)).await;
        let dir = tempfile::tempdir().unwrap();
        for (kind, file) in [(Kind::Orgs, "orgs_mixed.csv"), (Kind::Persons, "persons_mixed.csv")] {
            run(&app, kind, &fixture(file), None).await;
        }
        let technician = app.policy.ladder.parse_level("技师").unwrap();
        let on = date!(2026 - 01 - 01);
        // The registry says only "高级工班": the pre-technician route (2018-L5-2b) is closed.
        let before = candidate::decide(&app, WANG, technician, None, on, Asked::Edition("2018")).await.unwrap();
        assert!(!before.eligible, "{b}: {:?}", before.reasons);

        let file = dir.path().join("education.csv");
        std::fs::write(
            &file,
            "身份证号,学历,专业,毕业日期,预计毕业日期\n\
             120116198503123011,预备技师班,数控加工,2007-07-01,\n\
             120116198503123011,大专,机械制造,2015-07-01,\n\
             120116198503123011,技师学院,数控加工,2007-07-01,\n\
             120104199207054022,高级工班,,,\n\
             120104199207054022,高级工班,,2012-07-01,2013-07-01\n\
             110101199003071233,本科,,2012-07-01,\n\
             120104199207054022,本科,,2030-07-01,\n\
             120104199207054022,本科,软件工程,,2027-07-01\n",
        )
        .unwrap();
        let errors = dir.path().join("education-errors.csv");
        let s = run(&app, Kind::Education, &file, Some(&errors)).await;
        assert_eq!(counts(&s), [8, 3, 0, 0, 5], "{b}");
        let bad = rejected(&errors);
        assert_eq!(
            bad.iter().map(|(l, c, _)| (l.as_str(), c.as_str())).collect::<Vec<_>>(),
            [("4", "学历"), ("5", "毕业日期"), ("6", "预计毕业日期"), ("7", "身份证号"), ("8", "毕业日期")],
            "{b}: {bad:?}"
        );
        assert!(bad[0].2.contains("预备技师班、高级工班或中级工班"), "{b}: {}", bad[0].2);
        assert_eq!(counts(&run(&app, Kind::Education, &file, None).await), [8, 0, 0, 3, 5], "{b}: re-import");
        // The student graduates: the same key, now with a graduation date.
        let grad = dir.path().join("graduation.csv");
        std::fs::write(
            &grad,
            "id_number,education,major,graduated_on,expected_graduation_on\n120104199207054022,bachelor,软件工程,2026-07-01,\n",
        )
        .unwrap();
        assert_eq!(counts(&run(&app, Kind::Education, &grad, None).await), [1, 0, 1, 0, 0], "{b}: graduation");

        // Every record counts with its date: the 预备技师班 (2007) beside the later 大专.
        let after = candidate::decide(&app, WANG, technician, None, on, Asked::Edition("2018")).await.unwrap();
        assert_eq!((after.eligible, after.rule.as_deref()), (true, Some("2018-L5-2b")), "{b}: {:?}", after.reasons);

        let file = dir.path().join("titles.csv");
        std::fs::write(
            &file,
            "身份证号,职称系列,职称级别,职称名称,取得日期\n\
             120116198503123011,工程技术,中级,机械工程师,2018-05-01\n\
             120116198503123011,炼金术,中级,炼金师,2018-05-01\n\
             120116198503123011,工程技术,特级,机械工程师,2018-05-01\n\
             120116198503123011,工程技术,初级,,2018-05-01\n\
             120116198503123011,工程技术,初级,助理工程师,2099-01-01\n",
        )
        .unwrap();
        let errors = dir.path().join("titles-errors.csv");
        let s = run(&app, Kind::Titles, &file, Some(&errors)).await;
        assert_eq!(counts(&s), [5, 1, 0, 0, 4], "{b}");
        let bad = rejected(&errors);
        assert_eq!(
            bad.iter().map(|(l, c, _)| (l.as_str(), c.as_str())).collect::<Vec<_>>(),
            [("3", "职称系列"), ("4", "职称级别"), ("5", "职称名称"), ("6", "取得日期")],
            "{b}: {bad:?}"
        );
        assert!(bad[1].2.contains("deputy_senior 副高级"), "{b}: the grades are named: {}", bad[1].2);
        // The title counts toward 技师 in the newer template (2023-L5-3): 机械 ↔ 6-18 is an [I]
        // row, so the answer says it needs review.
        let by_title = candidate::decide(&app, WANG, technician, None, on, Asked::Edition("2023")).await.unwrap();
        assert_eq!((by_title.eligible, by_title.rule.as_deref()), (true, Some("2023-L5-3")), "{b}");
        assert!(by_title.inferred, "{b}");

        // Bridging: 技师 since 2021-06-01 → 工程师 after 3 years.
        let levels = dir.path().join("levels.csv");
        std::fs::write(&levels, "身份证号,职业代码,技能等级,取得日期\n120116198503123011,6-18-01-01,技师,2021-06-01\n")
            .unwrap();
        assert_eq!(counts(&run(&app, Kind::Levels, &levels, None).await), [1, 1, 0, 0, 0], "{b}");
        let not_yet = title_eligibility::decide(&app, WANG, "工程师", None, date!(2024 - 05 - 31)).await.unwrap();
        assert!(!not_yet.eligible, "{b}");
        assert_eq!(not_yet.earliest_eligible_on, Some(date!(2024 - 06 - 01)), "{b}");
        let yes = title_eligibility::decide(&app, WANG, "工程师", None, date!(2024 - 06 - 01)).await.unwrap();
        assert_eq!((yes.eligible, yes.rule.as_deref()), (true, Some("bridge-engineering-intermediate")), "{b}");
        // He already holds 机械工程师 (中级): said, and judged anyway.
        assert!(yes.notes.iter().any(|n| n.zh.starts_with("已于 2018-05-01 取得机械工程师")), "{b}: {:?}", yes.notes);

        // The person's copy of their data holds both.
        let wang = persons::by_id_number(&app.db, WANG).await.unwrap().unwrap();
        let data = personal_data::export(&app, &Actor::cli("test"), &Scope::all(), wang.id).await.unwrap();
        assert_eq!(data.education.len(), 2, "{b}");
        assert_eq!(data.titles.len(), 1, "{b}");
        assert_eq!(
            (data.titles[0].title.as_str(), data.titles[0].grade.as_str()),
            ("机械工程师", "intermediate"),
            "{b}"
        );
        let li = persons::by_id_number(&app.db, LI).await.unwrap().unwrap();
        let data = personal_data::export(&app, &Actor::cli("test"), &Scope::all(), li.id).await.unwrap();
        assert_eq!(
            (data.education.len(), data.education[0].graduated_on, data.education[0].expected_graduation_on),
            (1, Some(date!(2026 - 07 - 01)), None),
            "{b}"
        );
        app.db.close().await;
    }
}
