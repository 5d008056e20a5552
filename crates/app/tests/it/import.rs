//! Import of files with good and bad rows mixed: exact counts, an exact error report, and
//! idempotent re-import — on every backend.

use std::path::{Path, PathBuf};

use gongjiang_app::Actor;
use gongjiang_app::import::{self, ImportOptions, ImportSummary, Kind};
use gongjiang_app::{App, AppError};
use gongjiang_domain::access::Scope;
use gongjiang_tabular::{RowReader, TableWriter};
use gongjiang_testkit::TestDb;
use time::macros::date;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures").join(name)
}

async fn app_on(t: &TestDb) -> App {
    crate::support::open_on(t, date!(2026 - 11 - 25)).await
}

async fn import(app: &App, kind: Kind, path: &Path, errors: Option<&Path>) -> ImportSummary {
    import_with(app, kind, path, errors, None).await
}

async fn import_with(app: &App, kind: Kind, path: &Path, errors: Option<&Path>, defer: Option<bool>) -> ImportSummary {
    let opts = ImportOptions {
        errors_path: errors.map(Path::to_path_buf),
        batch_rows: 3,
        defer_indexes: defer,
        ..ImportOptions::default()
    };
    import::run(app, &Actor::cli("test"), kind, path, &opts, &|_| ()).await.unwrap()
}

fn counts(s: &ImportSummary) -> [u64; 5] {
    [s.read, s.inserted, s.updated, s.unchanged, s.rejected]
}

/// The error report as (line, column) pairs.
fn report(path: &Path) -> Vec<(String, String)> {
    let mut r = RowReader::open(path).unwrap();
    assert_eq!(r.headers(), import::ERROR_REPORT_HEADERS);
    r.by_ref().map(|row| row.unwrap().cells).map(|c| (c[0].clone(), c[1].clone())).collect()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn mixed_files_import_exactly_and_reimport_changes_nothing() {
    for t in TestDb::all().await {
        let app = app_on(&t).await;
        let dir = tempfile::tempdir().unwrap();
        let b = t.backend;

        let errs = dir.path().join("orgs-errors.csv");
        let s = import(&app, Kind::Orgs, &fixture("orgs_mixed.csv"), Some(&errs)).await;
        assert_eq!(counts(&s), [7, 3, 0, 0, 4], "{b}: orgs");
        assert_eq!(s.warnings.len(), 1, "{b}: the 备注 column is ignored with a warning");
        assert_eq!(
            report(&errs),
            pairs(&[("5", "统一社会信用代码"), ("6", "统一社会信用代码"), ("7", "所在区"), ("8", "单位类型")]),
            "{b}"
        );

        let errs = dir.path().join("persons-errors.xlsx");
        let s = import(&app, Kind::Persons, &fixture("persons_mixed.csv"), Some(&errs)).await;
        assert_eq!(counts(&s), [8, 3, 0, 0, 5], "{b}: persons");
        let lines: Vec<String> = report(&errs).into_iter().map(|(l, _)| l).collect();
        // Line 8 has four bad cells (occupation, education, work start; the employer is
        // checked only once the row is otherwise valid): one report line per problem.
        assert_eq!(lines, ["5", "6", "7", "8", "8", "8", "9"], "{b}: {lines:?}");
        let legacy = gongjiang_store::persons::by_id_number(&app.db, "130503196704010016").await.unwrap().unwrap();
        assert_eq!(legacy.name, "赵老旧", "{b}: the 15-digit number was stored converted to 18");

        let errs = dir.path().join("levels-errors.csv");
        let s = import(&app, Kind::Levels, &fixture("levels_mixed.csv"), Some(&errs)).await;
        assert_eq!(counts(&s), [8, 3, 0, 0, 5], "{b}: levels");
        assert_eq!(
            report(&errs),
            pairs(&[
                ("5", "身份证号"),
                ("6", "技能等级"),
                ("7", "取得日期"),
                ("8", "证书编号"),
                ("9", "发证机构信用代码"),
            ]),
            "{b}"
        );

        // The same files again: nothing changes, the same rows are refused.
        for (kind, file, read, rejected) in [
            (Kind::Orgs, "orgs_mixed.csv", 7, 4),
            (Kind::Persons, "persons_mixed.csv", 8, 5),
            (Kind::Levels, "levels_mixed.csv", 8, 5),
        ] {
            let s = import(&app, kind, &fixture(file), None).await;
            assert_eq!(counts(&s), [read, 0, 0, read - rejected, rejected], "{b}: re-import {file}");
        }
        let p = gongjiang_store::persons::by_id_number(&app.db, "120116198503123011").await.unwrap().unwrap();
        assert_eq!(p.current_level, Some(4), "{b}");
        app.db.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn xlsx_and_gb18030_files_read_like_utf8_csv() {
    let t = TestDb::sqlite();
    let app = app_on(&t).await;
    let dir = tempfile::tempdir().unwrap();
    import(&app, Kind::Orgs, &fixture("orgs_mixed.csv"), None).await;

    // The persons fixture re-saved as XLSX and as GB18030 CSV gives the same outcome.
    let mut rows = RowReader::open(&fixture("persons_mixed.csv")).unwrap();
    let headers: Vec<String> = rows.headers().to_vec();
    let data: Vec<Vec<String>> = rows.by_ref().map(|r| r.unwrap().cells).collect();
    let xlsx = dir.path().join("persons.xlsx");
    let mut w = TableWriter::create(&xlsx, &headers.iter().map(String::as_str).collect::<Vec<_>>()).unwrap();
    for r in &data {
        w.write_row(r).unwrap();
    }
    w.finish().unwrap();
    let s = import(&app, Kind::Persons, &xlsx, None).await;
    assert_eq!(counts(&s), [8, 3, 0, 0, 5]);

    let text = std::fs::read_to_string(fixture("persons_mixed.csv")).unwrap();
    let (gb, _, _) = encoding_rs::GB18030.encode(&text);
    let gbk = dir.path().join("persons-gbk.csv");
    std::fs::write(&gbk, &gb).unwrap();
    let s = import(&app, Kind::Persons, &gbk, None).await;
    assert_eq!(counts(&s), [8, 0, 0, 3, 5], "same people, already there");
    assert!(s.warnings.iter().any(|w| w.en.contains("GB18030")));
}

/// The report's line is the row a person sees in Excel or an editor: the same for LF and CRLF
/// line ends (the CSV reader's own count was one low with CRLF), after a blank line, and in XLSX.
#[tokio::test(flavor = "multi_thread")]
async fn error_lines_are_the_rows_a_person_sees_whatever_the_line_ends() {
    let t = TestDb::sqlite();
    let app = app_on(&t).await;
    let dir = tempfile::tempdir().unwrap();
    import(&app, Kind::Orgs, &fixture("orgs_mixed.csv"), None).await;
    let text = std::fs::read_to_string(fixture("persons_mixed.csv")).unwrap();
    // A blank line after the third line: the bad rows 5–9 of the fixture move to 6–10.
    let mut lines: Vec<&str> = text.lines().collect();
    lines.insert(3, "");
    let expected_after_blank = ["6", "7", "8", "9", "9", "9", "10"];
    for (name, ending) in [("lf.csv", "\n"), ("crlf.csv", "\r\n")] {
        let path = dir.path().join(name);
        std::fs::write(&path, lines.join(ending) + ending).unwrap();
        let errs = dir.path().join(format!("{name}-errors.csv"));
        import(&app, Kind::Persons, &path, Some(&errs)).await;
        let got: Vec<String> = report(&errs).into_iter().map(|(l, _)| l).collect();
        assert_eq!(got, expected_after_blank, "{name}");
    }

    let mut rows = RowReader::open(&fixture("persons_mixed.csv")).unwrap();
    let headers: Vec<String> = rows.headers().to_vec();
    let xlsx = dir.path().join("persons.xlsx");
    let mut w = TableWriter::create(&xlsx, &headers.iter().map(String::as_str).collect::<Vec<_>>()).unwrap();
    for r in rows.by_ref() {
        w.write_row(&r.unwrap().cells).unwrap();
    }
    w.finish().unwrap();
    let errs = dir.path().join("xlsx-errors.csv");
    import(&app, Kind::Persons, &xlsx, Some(&errs)).await;
    let got: Vec<String> = report(&errs).into_iter().map(|(l, _)| l).collect();
    assert_eq!(got, ["5", "6", "7", "8", "8", "8", "9"], "xlsx");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_missing_a_required_column_is_refused_whole() {
    let t = TestDb::sqlite();
    let app = app_on(&t).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.csv");
    std::fs::write(&path, "姓名,所在区\n张三,和平区\n").unwrap();
    let e = import::run(&app, &Actor::cli("test"), Kind::Persons, &path, &ImportOptions::default(), &|_| ())
        .await
        .unwrap_err();
    let AppError::BadFile(m) = e else { panic!("expected BadFile, got {e:?}") };
    assert!(m.zh.contains("身份证号") && m.en.contains("id_number"), "{m}");
    assert_eq!(gongjiang_store::persons::count(&app.db).await.unwrap(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bulk_load_with_indexes_dropped_and_rebuilt_gives_the_same_registry() {
    for t in TestDb::all().await {
        let app = app_on(&t).await;
        import(&app, Kind::Orgs, &fixture("orgs_mixed.csv"), None).await;
        let s = import_with(&app, Kind::Persons, &fixture("persons_mixed.csv"), None, Some(true)).await;
        assert_eq!(counts(&s), [8, 3, 0, 0, 5], "{}", t.backend);
        let s = import_with(&app, Kind::Levels, &fixture("levels_mixed.csv"), None, Some(true)).await;
        assert_eq!(counts(&s), [8, 3, 0, 0, 5], "{}", t.backend);
        // Filters that use the rebuilt indexes find the rows.
        let f = gongjiang_store::persons::PersonFilter { district_code: Some("120116".into()), ..Default::default() };
        assert_eq!(
            gongjiang_store::persons::list(&app.db, &Scope::all(), &f, None, 10).await.unwrap().len(),
            1,
            "{}",
            t.backend
        );
        let f = gongjiang_store::persons::PersonFilter { name: Some("李秀英".into()), ..Default::default() };
        assert_eq!(
            gongjiang_store::persons::list(&app.db, &Scope::all(), &f, None, 10).await.unwrap().len(),
            1,
            "{}",
            t.backend
        );
        app.db.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn holders_of_other_documents_get_levels_too() {
    let t = TestDb::sqlite();
    let app = app_on(&t).await;
    let dir = tempfile::tempdir().unwrap();
    let persons = dir.path().join("p.csv");
    std::fs::write(&persons, "证件号码,姓名,证件类型,职业代码\nE12345678,金民洙,护照,6-18-01-01\nH12,太短,passport,\n")
        .unwrap();
    let s = import(&app, Kind::Persons, &persons, None).await;
    assert_eq!(counts(&s), [2, 1, 0, 0, 1]);
    assert_eq!(s.rejected_rows[0].line, 3);
    let levels = dir.path().join("l.csv");
    std::fs::write(&levels, "证件号码,职业代码,技能等级,取得日期\ne12345678,6-18-01-01,中级工,2021-05-01\nE99999999,6-18-01-01,中级工,2021-05-01\n").unwrap();
    let s = import(&app, Kind::Levels, &levels, None).await;
    assert_eq!(counts(&s), [2, 1, 0, 0, 1], "the second holder is not registered");
    let p = gongjiang_store::persons::by_id_number(&app.db, "E12345678").await.unwrap().unwrap();
    assert_eq!((p.id_type.as_str(), p.current_level), ("passport", Some(3)));
}

#[tokio::test(flavor = "multi_thread")]
async fn organisations_carry_their_industrial_chains() {
    for t in TestDb::all().await {
        let app = app_on(&t).await;
        let dir = tempfile::tempdir().unwrap();
        let b = t.backend;
        let path = dir.path().join("orgs.csv");
        // Ids or Chinese names, separated by ; ； or 、, repeats ignored; one unknown chain refuses
        // its row only, naming the column.
        std::fs::write(
            &path,
            "统一社会信用代码,单位名称,单位类型,所在区,行业门类,产业链\n\
             91120116MA05K1A2XW,天津滨海精工机械有限公司,企业,滨海新区,C,高端装备；xinchuang、高端装备\n\
             91120104MA05K3B4YR,天津南开电子科技有限公司,企业,南开区,C,集成电路;芯片\n\
             52120101MJ0000001X,天津市职业技能培训中心,职业培训机构,和平区,P,\n",
        )
        .unwrap();
        let errs = dir.path().join("errors.csv");
        let s = import(&app, Kind::Orgs, &path, Some(&errs)).await;
        assert_eq!(counts(&s), [3, 2, 0, 0, 1], "{b}");
        assert_eq!(report(&errs), pairs(&[("3", "产业链")]), "{b}");
        let reason = RowReader::open(&errs).unwrap().next().unwrap().unwrap().cells.join("|");
        assert!(reason.contains("芯片") && reason.contains("industrial chains"), "{b}: {reason}");
        let chains = |uscc: &'static str| {
            let db = app.db.clone();
            async move { gongjiang_store::organisations::chains_of(&db, uscc).await.unwrap() }
        };
        assert_eq!(chains("91120116MA05K1A2XW").await, ["high_end_equipment", "xinchuang"], "{b}");
        assert!(chains("52120101MJ0000001X").await.is_empty(), "{b}");

        // Re-import: an empty cell keeps the stored list, a new list replaces it, the same list
        // changes nothing.
        std::fs::write(
            &path,
            "统一社会信用代码,单位名称,单位类型,所在区,产业链\n\
             91120116MA05K1A2XW,天津滨海精工机械有限公司,企业,滨海新区,\n\
             52120101MJ0000001X,天津市职业技能培训中心,职业培训机构,和平区,aerospace\n",
        )
        .unwrap();
        let s = import(&app, Kind::Orgs, &path, None).await;
        assert_eq!(counts(&s), [2, 0, 1, 1, 0], "{b}");
        assert_eq!(chains("91120116MA05K1A2XW").await, ["high_end_equipment", "xinchuang"], "{b}");
        assert_eq!(chains("52120101MJ0000001X").await, ["aerospace"], "{b}");
        std::fs::write(
            &path,
            "统一社会信用代码,单位名称,单位类型,所在区,产业链\n\
             91120116MA05K1A2XW,天津滨海精工机械有限公司,企业,滨海新区,新材料\n\
             52120101MJ0000001X,天津市职业技能培训中心,职业培训机构,和平区,航空航天\n",
        )
        .unwrap();
        let s = import(&app, Kind::Orgs, &path, None).await;
        assert_eq!(counts(&s), [2, 0, 1, 1, 0], "{b}");
        assert_eq!(chains("91120116MA05K1A2XW").await, ["new_materials"], "{b}");
        app.db.close().await;
    }
}

/// The city's (skilled, high-skilled) employed persons as of `on`.
async fn city_kpi(app: &App, on: time::Date) -> (i64, i64) {
    let r = gongjiang_app::kpi::compute(app, gongjiang_domain::kpi::Grouping::City, on).await.unwrap();
    let total = r.rows.last().unwrap();
    (total.skilled, total.high_skilled)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_levels_file_can_revoke_a_level_and_the_kpis_follow() {
    for t in TestDb::all().await {
        let app = app_on(&t).await;
        let dir = tempfile::tempdir().unwrap();
        let b = t.backend;
        import(&app, Kind::Orgs, &fixture("orgs_mixed.csv"), None).await;
        import(&app, Kind::Persons, &fixture("persons_mixed.csv"), None).await;
        import(&app, Kind::Levels, &fixture("levels_mixed.csv"), None).await;
        let holder = "120116198503123011";
        let before = city_kpi(&app, date!(2026 - 11 - 25)).await;
        let level_of = async |app: &App| {
            gongjiang_store::persons::by_id_number(&app.db, holder).await.unwrap().unwrap().current_level
        };
        assert_eq!(level_of(&app).await, Some(4), "{b}: 王建国 holds 高级工 (rank 4) before");

        // 王建国's 高级工 of 2016-06-01 revoked from 2024-03-01; a second row revokes an unknown
        // level (it is recorded, revoked); the rest are refused with their reason.
        let file = dir.path().join("revoke.csv");
        std::fs::write(
            &file,
            "身份证号,职业代码,工种,技能等级,取得日期,撤销日期,撤销原因\n\
             120116198503123011,6-18-01-01,数控车工,三级/高级工,2016-06-01,2024-03-01,证书造假\n\
             120116198503123011,6-18-01-01,数控车工,技师,2020-06-01,2020-06-01,同日撤销\n\
             120116198503123011,6-18-01-01,数控车工,中级工,2010-06-01,2024-03-01,\n\
             120116198503123011,6-18-01-01,数控车工,中级工,2010-06-01,,没有日期\n\
             120116198503123011,6-18-01-01,数控车工,中级工,2010-06-01,2009-01-01,早于取得\n",
        )
        .unwrap();
        let errs = dir.path().join("errors.csv");
        let s = import(&app, Kind::Levels, &file, Some(&errs)).await;
        assert_eq!(counts(&s), [5, 1, 1, 0, 3], "{b}: {s:?}");
        assert_eq!(report(&errs), pairs(&[("4", "撤销原因"), ("5", "撤销日期"), ("6", "撤销日期")]), "{b}");
        assert_eq!(level_of(&app).await, Some(3), "{b}: back to 中级工 today");
        let after = city_kpi(&app, date!(2026 - 11 - 25)).await;
        assert_eq!((after.0, after.1), (before.0, before.1 - 1), "{b}: still skilled, no longer high-skilled");
        assert_eq!(city_kpi(&app, date!(2024 - 02 - 29)).await, before, "{b}: counted until the day before");
        let c = gongjiang_app::kpi::recount_check(&app, &[date!(2024 - 02 - 29), date!(2024 - 03 - 01)]).await.unwrap();
        assert!(c.differences.is_empty(), "{b}: the maintained counts follow the revocation: {c:?}");

        // Importing it again changes nothing; another day for the same revocation is refused.
        let s = import(&app, Kind::Levels, &file, None).await;
        assert_eq!(counts(&s), [5, 0, 0, 2, 3], "{b}: {s:?}");
        std::fs::write(
            &file,
            "身份证号,职业代码,工种,技能等级,取得日期,撤销日期,撤销原因\n\
             120116198503123011,6-18-01-01,数控车工,三级/高级工,2016-06-01,2025-01-01,另一日期\n",
        )
        .unwrap();
        let s = import(&app, Kind::Levels, &file, None).await;
        assert_eq!(counts(&s), [1, 0, 0, 0, 1], "{b}: {s:?}");
        assert!(s.rejected_rows[0].errors[0].reason.zh.contains("2024-03-01"), "{b}: {:?}", s.rejected_rows);
        let history = gongjiang_store::levels::history(&app.db, &Scope::all(), {
            gongjiang_store::persons::by_id_number(&app.db, holder).await.unwrap().unwrap().id
        })
        .await
        .unwrap();
        let revoked: Vec<_> = history.iter().filter_map(|h| h.revoked_on.map(|d| (h.level, d))).collect();
        assert_eq!(revoked, [(4, date!(2024 - 03 - 01)), (5, date!(2020 - 06 - 01))], "{b}");

        // The export carries the revocations, and importing it back changes nothing.
        let out = dir.path().join("levels-export.csv");
        let lang = gongjiang_app::export::HeaderLanguage::Chinese;
        gongjiang_app::export::run(&app, &Actor::cli("test"), Kind::Levels, &out, lang, &|_| ()).await.unwrap();
        let mut r = RowReader::open(&out).unwrap();
        let headers = r.headers().to_vec();
        let at = |name: &str| headers.iter().position(|h| h == name).unwrap_or_else(|| panic!("{name}: {headers:?}"));
        let (on, why) = (at("撤销日期"), at("撤销原因"));
        let mut exported: Vec<(String, String)> = r
            .by_ref()
            .map(|row| row.unwrap().cells)
            .filter(|c| !c[on].is_empty())
            .map(|c| (c[on].clone(), c[why].clone()))
            .collect();
        exported.sort();
        assert_eq!(exported, pairs(&[("2020-06-01", "同日撤销"), ("2024-03-01", "证书造假")]), "{b}");
        let s = import(&app, Kind::Levels, &out, None).await;
        assert_eq!((s.inserted, s.updated, s.rejected), (0, 0, 0), "{b}: {s:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_level_backed_by_a_certificate_issued_here_is_revoked_through_the_certificate() {
    let t = TestDb::sqlite();
    let app = app_on(&t).await;
    gongjiang_demo::load(&app, 3000, 7, &|_| ()).await.unwrap();
    let issued = gongjiang_demo::evaluation::run(&app).await.unwrap();
    assert!(issued.certificates > 0, "{issued:?}");
    let people = gongjiang_store::persons::list(&app.db, &Scope::all(), &Default::default(), None, 5000).await.unwrap();
    let mut found = None;
    for p in &people {
        let certs = gongjiang_store::certificates::for_person(&app.db, p.id).await.unwrap();
        if let Some(c) = certs.into_iter().find(|c| c.skill_level_id.is_some()) {
            found = Some((p.clone(), c));
            break;
        }
    }
    let (holder, cert) = found.expect("the demo issues certificates");
    let history = gongjiang_store::levels::history(&app.db, &Scope::all(), holder.id).await.unwrap();
    let level = history.iter().find(|h| Some(h.id) == cert.skill_level_id).expect("the certificate's level");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("revoke.csv");
    std::fs::write(
        &file,
        format!(
            "身份证号,职业代码,工种,技能等级,取得日期,撤销日期,撤销原因\n{},{},{},{},{},2026-11-25,核查\n",
            holder.id_number,
            level.occupation_code,
            if level.trade.is_empty() { "--" } else { &level.trade },
            level.level,
            gongjiang_domain::dates::iso(level.obtained_on),
        ),
    )
    .unwrap();
    let s = import(&app, Kind::Levels, &file, None).await;
    assert_eq!(counts(&s), [1, 0, 0, 0, 1], "{s:?}");
    let reason = &s.rejected_rows[0].errors[0].reason;
    assert!(reason.zh.contains(&cert.number) && reason.en.contains("cert revoke"), "{reason:?}");
    let after = gongjiang_store::levels::history(&app.db, &Scope::all(), holder.id).await.unwrap();
    assert!(after.iter().all(|h| h.revoked_on.is_none() || h.id != level.id), "the level is not revoked");
}

/// A former district (塘沽区, merged into 滨海新区 in 2009) is taken as its successor, and the
/// summary says so for that row instead of mapping it silently; a current name says nothing.
#[tokio::test(flavor = "multi_thread")]
async fn a_former_district_is_recorded_as_its_successor_with_a_warning_on_its_row() {
    let t = TestDb::sqlite();
    let app = app_on(&t).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("persons.csv");
    std::fs::write(
        &path,
        "身份证号,姓名,所在区\n11010519491231002X,甲,塘沽区\n130503196704010016,乙,滨海新区\n320102199410175131,丙,120107\n",
    )
    .unwrap();
    let s = import(&app, Kind::Persons, &path, None).await;
    assert_eq!(counts(&s), [3, 3, 0, 0, 0]);
    let notes: Vec<&str> = s.warnings.iter().map(|w| w.zh.as_str()).filter(|w| w.starts_with("第 ")).collect();
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert!(
        notes[0].starts_with("第 2 行：「塘沽区」是已撤销的区划") && notes[0].contains("滨海新区（120116）"),
        "{notes:?}"
    );
    assert!(notes[1].starts_with("第 4 行：「120107」"), "{notes:?}");
    let p = gongjiang_store::persons::by_id_number(&app.db, "11010519491231002X").await.unwrap().unwrap();
    assert_eq!(p.district_code.as_deref(), Some("120116"));
}

/// A Chinese-header export reads as a person would write it — Chinese values, a title row with
/// the date, a named sheet — and still imports back unchanged.
#[tokio::test(flavor = "multi_thread")]
async fn a_chinese_export_has_chinese_values_a_title_and_imports_back_unchanged() {
    use calamine::Reader;
    let t = TestDb::sqlite();
    let app = app_on(&t).await;
    let dir = tempfile::tempdir().unwrap();
    import(&app, Kind::Orgs, &fixture("orgs_mixed.csv"), None).await;
    let s = import(&app, Kind::Persons, &fixture("persons_mixed.csv"), None).await;
    assert_eq!(s.inserted, 3);
    let lang = gongjiang_app::export::HeaderLanguage::Chinese;
    for (kind, file, sheet, title) in [
        (Kind::Persons, "人员.xlsx", "人员", "人员名单（截至 2026-11-25"),
        (Kind::Orgs, "单位.xlsx", "单位", "单位名单（截至 2026-11-25"),
    ] {
        let out = dir.path().join(file);
        gongjiang_app::export::run(&app, &Actor::cli("test"), kind, &out, lang, &|_| ()).await.unwrap();
        let mut book = calamine::open_workbook_auto(&out).unwrap();
        assert_eq!(book.sheet_names(), [sheet]);
        let grid = book.worksheet_range(sheet).unwrap();
        let first = grid.get_value((0, 0)).map(|c| c.to_string()).unwrap_or_default();
        assert!(first.starts_with(title), "{first}");
        let values: Vec<String> = grid.rows().skip(2).flat_map(|r| r.iter().map(|c| c.to_string())).collect();
        for code in ["resident_id", "employed", "enterprise", "120116", "bachelor"] {
            assert!(!values.contains(&code.to_string()), "{file}: no bare code {code}: {values:?}");
        }
        let back = import(&app, kind, &out, None).await;
        assert_eq!((back.inserted, back.updated, back.rejected), (0, 0, 0), "{file}: {back:?}");
    }
    let out = dir.path().join("人员.xlsx");
    let mut r = RowReader::open(&out).unwrap();
    let headers = r.headers().to_vec();
    let at = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<Vec<String>> = r.by_ref().map(|x| x.unwrap().cells).collect();
    assert!(rows.iter().any(|c| c[at("证件类型")] == "居民身份证" && c[at("工作所在区")] == "滨海新区"), "{rows:?}");
}
