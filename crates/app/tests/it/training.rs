//! The training system's files on every backend: programmes, enrolments and apprenticeships
//! imported from real CSV (UTF-8 and GB18030) and XLSX files, every rule hit by a bad row with
//! its reason in the error report, good rows kept beside bad ones, and re-imports changing
//! nothing. Identity numbers never reach the training tables in plaintext.

use std::path::{Path, PathBuf};

use gongjiang_app::import::{self, ImportOptions, ImportSummary, Kind};
use gongjiang_app::{Actor, App};
use gongjiang_tabular::{RowReader, TableWriter};
use gongjiang_testkit::TestDb;

pub const P1: &str = "12010119900101101X"; // employed by the enterprise
pub const P2: &str = "120102199505052022"; // employed by the enterprise
pub const P3: &str = "120103199808083033"; // employed by the enterprise
pub const P4: &str = "120110198512124042"; // no employer; a spell with the enterprise from 2025
pub const P5: &str = "120111199203035055"; // employed by another enterprise
pub const P6: &str = "120112198807076060"; // no employment on record
const NOBODY: &str = "120113199309097070"; // not registered

pub const PROVIDER_A: &str = "52120000MJ0000001A";
pub const PROVIDER_B: &str = "52120000MJ0000002D";
pub const ENTERPRISE: &str = "91120116MA05K1A2XW";
const OTHER_ENTERPRISE: &str = "91120110MA05K1B3XW";

pub async fn run(app: &App, kind: Kind, path: &Path, errors: Option<&Path>) -> ImportSummary {
    let opts = ImportOptions { batch_rows: 3, errors_path: errors.map(Path::to_path_buf), ..ImportOptions::default() };
    import::run(app, &Actor::cli("test"), kind, path, &opts, &|_| ()).await.unwrap()
}

fn counts(s: &ImportSummary) -> [u64; 5] {
    [s.read, s.inserted, s.updated, s.unchanged, s.rejected]
}

/// (line, column, reason_zh, reason_en) of each line of an error report.
fn report(path: &Path) -> Vec<[String; 4]> {
    let mut r = RowReader::open(path).unwrap();
    let mut out = Vec::new();
    while let Some(row) = r.next_row() {
        let c = row.unwrap().cells;
        out.push([c[0].clone(), c[1].clone(), c[3].clone(), c[4].clone()]);
    }
    out
}

/// Organisations, persons and one employment spell: what the training files refer to.
pub async fn registry(app: &App, dir: &Path) {
    let orgs = dir.join("orgs.csv");
    std::fs::write(
        &orgs,
        format!(
            "统一社会信用代码,单位名称,单位类型,所在区\n\
             {PROVIDER_A},天津市某职业培训学校,培训机构,河西区\n\
             {PROVIDER_B},天津市某技师学院,技工院校,西青区\n\
             {ENTERPRISE},天津滨海精工机械有限公司,企业,滨海新区\n\
             {OTHER_ENTERPRISE},天津东丽某制造有限公司,企业,东丽区\n"
        ),
    )
    .unwrap();
    let people = dir.join("persons.csv");
    std::fs::write(
        &people,
        format!(
            "身份证号,姓名,所在区,单位统一社会信用代码,职业代码,就业状态\n\
             {P1},张一,和平区,{ENTERPRISE},6-18-01-01,在职\n\
             {P2},李二,河东区,{ENTERPRISE},6-18-01-01,在职\n\
             {P3},王三,河西区,{ENTERPRISE},6-18-01-01,在职\n\
             {P4},赵四,东丽区,,6-18-01-01,在职\n\
             {P5},钱五,东丽区,{OTHER_ENTERPRISE},6-18-01-01,在职\n\
             {P6},孙六,西青区,,6-18-01-01,失业\n"
        ),
    )
    .unwrap();
    let spells = dir.join("employment.csv");
    std::fs::write(&spells, format!("身份证号,单位统一社会信用代码,入职日期\n{P4},{ENTERPRISE},2025-07-01\n")).unwrap();
    for (kind, path) in [(Kind::Orgs, &orgs), (Kind::Persons, &people), (Kind::Employment, &spells)] {
        let s = run(app, kind, path, None).await;
        assert_eq!(s.rejected, 0, "{kind:?}: {:?}", s.rejected_rows);
    }
}

/// The programmes file, GB18030-encoded with Chinese headers.
pub fn programmes_file(dir: &Path) -> PathBuf {
    let text = format!(
        "项目编号,培训机构信用代码,项目名称,职业代码,培训等级,培训方式,学时,开班日期,结业日期,计划人数,平台地址,培训类型\n\
         TJ-001,{PROVIDER_A},数控车工高级工线上班,6-18-01-01,高级工,线上,72,2026-01-10,2026-06-30,2,https://learn.a.example.cn,在岗提升\n\
         TJ-002,{PROVIDER_B},数控车工中级工班,6-18-01-01,中级工,线下,40.5,2026-02-01,2026-12-31,5,,\n\
         TJ-003,91120000MA0000003Y,无此机构的项目,6-18-01-01,高级工,线下,40,2026-02-01,2026-12-31,5,,\n\
         TJ-004,{PROVIDER_A},日期颠倒的项目,6-18-01-01,高级工,线下,40,2026-12-01,2026-02-01,5,,\n\
         TJ-005,{PROVIDER_A},方式和学时都不对,6-18-01-01,高级工,函授,0,2026-02-01,2026-12-31,5,learn.example,\n\
         TJ-006,{PROVIDER_B},数控车工技师班,6-18-01-01,技师,线上线下结合,120,2026-03-01,2027-02-28,30,https://learn.b.example.cn,项目制\n"
    );
    let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
    let f = dir.join("programmes.csv");
    std::fs::write(&f, bytes).unwrap();
    f
}

/// The enrolments file as XLSX with English headers.
pub fn enrolments_file(dir: &Path) -> PathBuf {
    let f = dir.join("enrolments.xlsx");
    let mut w = TableWriter::create(
        &f,
        &["programme_code", "id_number", "learner_id", "enrolled_on", "hours", "status", "completed_on"],
    )
    .unwrap();
    for row in [
        ["TJ-001", P1, "stu0001", "2026-01-05", "", "", ""],
        ["TJ-001", P2, "stu0002", "2026-01-06", "3.5", "", ""],
        ["TJ-001", P3, "stu0003", "2026-01-07", "", "", ""], // the programme has 2 places
        ["TJ-001", P1, "stu0009", "2026-01-08", "", "", ""], // P1 twice in this file
        ["TJ-999", P4, "stu0004", "2026-01-05", "", "", ""], // no such programme
        ["TJ-002", P1, "", "2026-02-01", "12.25", "", ""],
        ["TJ-002", P4, "", "2026-02-02", "40.5", "", "2026-03-01"],
        ["TJ-002", NOBODY, "", "2026-02-02", "", "", ""],
        ["TJ-006", P2, "stu0002", "2026-03-05", "", "", ""], // after today
        ["TJ-006", P3, "x1", "2026-02-20", "", "completed", ""], // completed without a day
    ] {
        w.write_row(&row.map(str::to_owned)).unwrap();
    }
    w.finish().unwrap();
    f
}

/// The apprenticeships file, UTF-8 with Chinese headers.
pub fn apprenticeships_file(dir: &Path) -> PathBuf {
    let f = dir.join("apprenticeships.csv");
    std::fs::write(
        &f,
        format!(
            "企业信用代码,身份证号,培训机构信用代码,劳动合同截止日期,开始日期,结束日期,职业代码,目标等级,企业导师,院校导师,延期原因\n\
             {ENTERPRISE},{P1},{PROVIDER_B},2029-12-31,2026-03-01,2028-02-29,6-18-01-01,技师,王师傅,李老师,\n\
             {ENTERPRISE},{P2},{PROVIDER_B},2026-12-31,2026-03-01,2027-02-28,6-18-01-01,高级工,王师傅,李老师,\n\
             {ENTERPRISE},{P3},{PROVIDER_B},无固定期限,2026-03-01,2029-06-01,6-18-01-01,高级工,王师傅,李老师,\n\
             {ENTERPRISE},{P3},{PROVIDER_B},无固定期限,2025-09-01,2028-03-01,6-18-01-01,高级工,王师傅,李老师,\n\
             {ENTERPRISE},{P4},{PROVIDER_B},无固定期限,2025-09-01,2028-03-01,6-18-01-01,高级工,王师傅,李老师,企业技术改造周期延长\n\
             {ENTERPRISE},{P2},{PROVIDER_B},无固定期限,2026-04-01,2027-04-01,6-18-01-01,初级工,王师傅,李老师,\n\
             {ENTERPRISE},{P5},{PROVIDER_B},2030-01-01,2026-03-01,2027-06-01,6-18-01-01,高级工,王师傅,李老师,\n\
             {ENTERPRISE},{P6},{PROVIDER_B},2030-01-01,2026-03-01,2027-06-01,6-18-01-01,中级工,王师傅,李老师,\n\
             {ENTERPRISE},{P2},91120000MA0000003Y,2030-01-01,2026-03-01,2027-06-01,6-18-01-01,中级工,王师傅,李老师,\n"
        ),
    )
    .unwrap();
    f
}

#[tokio::test(flavor = "multi_thread")]
async fn programmes_enrolments_and_apprenticeships_import_with_every_rule() {
    for t in TestDb::all().await {
        let b = t.backend;
        let app = crate::support::app_on(&t).await;
        let dir = tempfile::tempdir().unwrap();
        registry(&app, dir.path()).await;

        // Programmes: 6 rows, 3 refused (unknown provider, ends before it starts, mode + hours + URL).
        let file = programmes_file(dir.path());
        let errors = dir.path().join("programmes-errors.csv");
        let s = run(&app, Kind::Programmes, &file, Some(&errors)).await;
        assert_eq!(counts(&s), [6, 3, 0, 0, 3], "{b}: {:?}", s.rejected_rows);
        assert!(s.warnings.iter().any(|w| w.en.contains("GB18030")), "{b}: {:?}", s.warnings);
        let r = report(&errors);
        let cells: Vec<(&str, &str)> = r.iter().map(|l| (l[0].as_str(), l[1].as_str())).collect();
        assert_eq!(
            cells,
            [("4", "培训机构信用代码"), ("5", "结业日期"), ("6", "培训方式"), ("6", "学时"), ("6", "平台地址")],
            "{b}: {r:?}"
        );
        assert!(r[0][2].contains("培训机构未登记") && r[0][3].contains("training provider not registered"), "{b}");
        assert!(r[1][2].contains("早于开班日期") && r[1][3].contains("ends before it starts"), "{b}");
        let stored = gongjiang_store::programmes::list(&app.db).await.unwrap();
        type Facts<'a> = (&'a str, i16, &'a str, i64, i32, Option<&'a str>);
        let summary: Vec<Facts<'_>> = stored
            .iter()
            .map(|p| (p.code.as_str(), p.level, p.mode.as_str(), p.required_seconds, p.capacity, p.kind.as_deref()))
            .collect();
        assert_eq!(
            summary,
            [
                ("TJ-001", 4, "online", 72 * 3600, 2, Some("on_job")),
                ("TJ-002", 3, "offline", 40 * 3600 + 1800, 5, None),
                ("TJ-006", 5, "blended", 120 * 3600, 30, Some("project")),
            ],
            "{b}"
        );
        // Again: nothing changes. A code that another provider holds is refused.
        assert_eq!(counts(&run(&app, Kind::Programmes, &file, None).await), [6, 0, 0, 3, 3], "{b}");
        let taken = dir.path().join("taken.csv");
        std::fs::write(
            &taken,
            format!(
                "code,provider_uscc,name,occupation,level,mode,hours,starts_on,ends_on,capacity\n\
                 TJ-002,{PROVIDER_A},冒用编号,6-18-01-01,中级工,offline,10,2026-02-01,2026-12-31,5\n\
                 TJ-001,{PROVIDER_A},数控车工高级工线上班,6-18-01-01,高级工,online,80,2026-01-10,2026-06-30,3\n"
            ),
        )
        .unwrap();
        let s = run(&app, Kind::Programmes, &taken, None).await;
        assert_eq!(counts(&s), [2, 0, 1, 0, 1], "{b}: {:?}", s.rejected_rows);
        assert!(s.rejected_rows[0].errors[0].reason.en.contains("another provider"), "{b}");
        // Back to two places for the enrolments below.
        assert_eq!(counts(&run(&app, Kind::Programmes, &file, None).await), [6, 0, 1, 2, 3], "{b}");

        // Enrolments: 10 rows, 4 in; over capacity, duplicate in the file, unknown programme,
        // unregistered person, a future day, a completion without its day refused.
        let file = enrolments_file(dir.path());
        let errors = dir.path().join("enrolments-errors.csv");
        let s = run(&app, Kind::Enrolments, &file, Some(&errors)).await;
        assert_eq!(counts(&s), [10, 4, 0, 0, 6], "{b}: {:?}", s.rejected_rows);
        let r = report(&errors);
        let cells: Vec<(&str, &str)> = r.iter().map(|l| (l[0].as_str(), l[1].as_str())).collect();
        assert_eq!(
            cells,
            [
                ("4", "programme_code"),
                ("5", "id_number"),
                ("6", "programme_code"),
                ("9", "id_number"),
                ("10", "enrolled_on"),
                ("11", "completed_on"),
            ],
            "{b}: {r:?}"
        );
        assert!(r[0][2].contains("已满员") && r[0][3].contains("full: 2 places, 2 enrolled"), "{b}: {:?}", r[0]);
        // Line 5 is in the second batch of three: its first enrolment (line 2) is stored by then.
        assert!(
            r[1][2].contains("重复报名") && r[1][3].contains("enrolled in the programme on 2026-01-05"),
            "{b}: {:?}",
            r[1]
        );
        assert!(r[2][3].contains("no such programme"), "{b}: {:?}", r[2]);

        // A second enrolment of P1 in TJ-001 on another day is a duplicate; new hours update.
        let more = dir.path().join("more.csv");
        std::fs::write(
            &more,
            format!(
                "项目编号,身份证号,学员账号,报名日期,已学学时\n\
                 TJ-001,{P1},stu0001,2026-01-09,\n\
                 TJ-002,{P1},,2026-02-01,20\n\
                 TJ-001,{P2},stu0002,2026-01-06,3.5\n"
            ),
        )
        .unwrap();
        let s = run(&app, Kind::Enrolments, &more, None).await;
        assert_eq!(counts(&s), [3, 0, 1, 1, 1], "{b}: {:?}", s.rejected_rows);
        let why = &s.rejected_rows[0].errors[0].reason;
        assert!(why.zh.contains("已于 2026-01-05 报名") && why.en.contains("duplicate enrolment"), "{b}: {why:?}");

        // Apprenticeships: 9 rows, 3 in.
        let file = apprenticeships_file(dir.path());
        let errors = dir.path().join("apprenticeships-errors.csv");
        let s = run(&app, Kind::Apprenticeships, &file, Some(&errors)).await;
        assert_eq!(counts(&s), [9, 3, 0, 0, 6], "{b}: {:?}", s.rejected_rows);
        assert!(s.warnings.iter().any(|w| w.en.contains("1 apprentice(s) have no employment on record")), "{b}");
        let r = report(&errors);
        let cells: Vec<(&str, &str)> = r.iter().map(|l| (l[0].as_str(), l[1].as_str())).collect();
        assert_eq!(
            cells,
            [
                ("3", "劳动合同截止日期"),
                ("4", "结束日期"),
                ("5", "结束日期"),
                ("7", "目标等级"),
                ("8", "身份证号"),
                ("10", "培训机构信用代码"),
            ],
            "{b}: {r:?}"
        );
        assert!(
            r[0][2].contains("劳动合同应为 12 个月以上") && r[0][3].contains("at least 12 months"),
            "{b}: {:?}",
            r[0]
        );
        assert!(r[1][2].contains("不得超过 24 个月") && !r[1][2].contains("延期原因"), "{b}: over 3 years: {:?}", r[1]);
        assert!(r[2][2].contains("不得超过 24 个月") && r[2][2].contains("须填写延期原因"), "{b}: {:?}", r[2]);
        assert!(r[3][2].contains("中级工 至 高级技师") && r[3][3].contains("national-2021"), "{b}: {:?}", r[3]);
        assert!(r[4][3].contains("not employed by the enterprise") && r[4][3].contains("inferred"), "{b}: {:?}", r[4]);
        assert_eq!(gongjiang_store::apprenticeships::count(&app.db).await.unwrap(), 3, "{b}");
        let again = run(&app, Kind::Apprenticeships, &file, None).await;
        assert_eq!(counts(&again), [9, 0, 0, 3, 6], "{b}");

        // A code twice in one file: the same row again is unchanged, other details are refused
        // naming the line it first appeared on.
        let twice = dir.path().join("twice.csv");
        let row = format!("TJ-007,{PROVIDER_A},焊工班,6-18-01-01,中级工,offline,40,2026-02-01,2026-12-31,5");
        let other = format!("TJ-007,{PROVIDER_A},焊工班（改）,6-18-01-01,中级工,offline,40,2026-02-01,2026-12-31,5");
        let head = "code,provider_uscc,name,occupation,level,mode,hours,starts_on,ends_on,capacity";
        std::fs::write(&twice, format!("{head}\n{row}\n{row}\n{other}\n")).unwrap();
        let s = run(&app, Kind::Programmes, &twice, None).await;
        assert_eq!(counts(&s), [3, 1, 0, 1, 1], "{b}: {:?}", s.rejected_rows);
        let why = &s.rejected_rows[0].errors[0].reason;
        assert!(why.zh.contains("项目编号在本文件第 2 行已出现") && why.en.contains("line 2"), "{b}: {why:?}");

        if b == "sqlite" {
            no_plaintext_identity_numbers(&t.url);
        }
    }
}

/// No identity number appears anywhere in the database files.
fn no_plaintext_identity_numbers(url: &str) {
    let path = url.trim_start_matches("sqlite://").split('?').next().unwrap().to_owned();
    let mut bytes = Vec::new();
    for suffix in ["", "-wal"] {
        if let Ok(b) = std::fs::read(format!("{path}{suffix}")) {
            bytes.extend(b);
        }
    }
    assert!(bytes.len() > 10_000, "read the database file {path}");
    for id in [P1, P2, P3, P4, P5, P6] {
        assert!(!bytes.windows(id.len()).any(|w| w == id.as_bytes()), "{id} in plaintext");
    }
}
