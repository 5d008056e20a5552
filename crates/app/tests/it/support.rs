//! What several test modules share: the app opened on a test database (with the test's key
//! ring), a small demo city imported from its CSV files, and one evaluation session from filing
//! to certificates.

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::Path;

use gongjiang_app::evaluation::applications::{self, Apply};
use gongjiang_app::evaluation::institutions::{self, FileInstitution};
use gongjiang_app::evaluation::{results, scores, sessions};
use gongjiang_app::import::{self, ImportOptions, Kind};
use gongjiang_app::pii_keys::Keys;
use gongjiang_app::{Actor, App};
use gongjiang_domain::evaluation::{ExaminerRole, Resolution};
use gongjiang_domain::level::Level;
use gongjiang_domain::records::NewLevel;
use gongjiang_domain::registry::LevelSource;
use gongjiang_store::Db;
use gongjiang_store::certificates::Certificate;
use gongjiang_store::levels::{self, LevelWrite};
use gongjiang_testkit::TestDb;
use time::Date;
use time::macros::date;

pub const TODAY: Date = date!(2026 - 03 - 02);
pub const OCCUPATION: &str = "6-18-01-01";

/// An examined level (no certificate, no issuer) of the person `id_number`.
pub fn exam_level(id_number: &str, occupation: &str, rank: u8, on: Date) -> NewLevel {
    NewLevel {
        id_number: id_number.to_string(),
        occupation_code: occupation.to_string(),
        trade: String::new(),
        level: Level::new(rank).expect("a rank 1–8"),
        obtained_on: on,
        source: LevelSource::Exam,
        certificate_no: None,
        issuer_uscc: None,
    }
}

/// Records `levels` (unrevoked, by "test") for registered persons, `ids` by identity number.
pub async fn record_levels(db: &Db, ids: &HashMap<String, i64>, levels: &[NewLevel]) {
    let writes: Vec<LevelWrite<'_>> = levels
        .iter()
        .map(|l| LevelWrite {
            revoked: None,
            level: l,
            person_id: ids[&l.id_number],
            issuer_id: None,
            recorded_by: "test",
        })
        .collect();
    levels::record_batch(db, &writes).await.expect("levels recorded");
}

/// The app on `t`, with the shipped policy and the test database's key ring.
pub async fn open(t: &TestDb) -> App {
    App::open_with(&t.url, None, &Keys::Ring(t.keys())).await.expect("open")
}

/// [`open`], with "today" fixed.
pub async fn open_on(t: &TestDb, today: Date) -> App {
    let mut app = open(t).await;
    app.today_override = Some(today);
    app
}

/// [`open_on`] [`TODAY`].
pub async fn app_on(t: &TestDb) -> App {
    open_on(t, TODAY).await
}

/// Writes a small demo city as CSV files into `dir` and imports them as `actor` (`batch_rows`
/// per transaction); returns the identity numbers in persons.csv.
pub async fn import_city_as(app: &App, actor: &Actor, dir: &Path, persons: u64, batch_rows: usize) -> Vec<String> {
    gongjiang_demo::write_csv(&app.policy, &app.catalogue, persons, 11, TODAY, dir).unwrap();
    let opts = ImportOptions { batch_rows, ..ImportOptions::default() };
    for (kind, file) in [
        (Kind::Orgs, "orgs.csv"),
        (Kind::Persons, "persons.csv"),
        (Kind::Levels, "levels.csv"),
        (Kind::Employment, "employment.csv"),
    ] {
        let s = import::run(app, actor, kind, &dir.join(file), &opts, &|_| ()).await.unwrap();
        assert_eq!(s.rejected, 0, "{file}: {:?}", s.rejected_rows.first());
    }
    let mut reader = gongjiang_tabular::RowReader::open(&dir.join("persons.csv")).unwrap();
    let mut ids = Vec::new();
    while let Some(row) = reader.next_row() {
        ids.push(row.unwrap().cells[0].clone());
    }
    ids
}

pub async fn import_city(app: &App, dir: &Path, persons: u64) -> Vec<String> {
    import_city_as(app, &Actor::cli("test"), dir, persons, ImportOptions::default().batch_rows).await
}

/// One evaluation session for `candidates` as `actor`, from filing to certificates: refused
/// applications admitted by override, everyone scored and passing, an objection against the
/// first candidate lodged and dismissed during publicity.
pub async fn workflow(app: &mut App, actor: &Actor, candidates: &[String]) -> Vec<Certificate> {
    let filing = FileInstitution {
        category: "S",
        body_code: "0000",
        province_code: "12",
        site_serial: "000321",
        name: "天津市某职业技能等级认定中心",
        organisation_uscc: None,
    };
    let inst = institutions::file(app, actor, &filing).await.unwrap();
    let (from, to) = (date!(2025 - 01 - 01), Some(date!(2027 - 12 - 31)));
    institutions::add_scope(app, actor, inst, OCCUPATION, "高级工", from, to).await.unwrap();
    let plan = sessions::PlanSession {
        institution_id: inst,
        occupation: OCCUPATION,
        trade: "",
        level: "高级工",
        standard_edition: "2018版",
        theory_on: date!(2026 - 04 - 01),
        practical_on: date!(2026 - 04 - 02),
        review_on: None,
        site: "天津市河西区某路1号",
        capacity: u32::try_from(candidates.len()).unwrap(),
        theory_rooms: 1,
    };
    let s = sessions::plan(app, actor, &plan).await.unwrap();
    sessions::open_applications(app, actor, s).await.unwrap();
    let mut first_application = None;
    for id in candidates {
        let a = Apply { session_id: s, id_number: id, name: None, applied_on: TODAY, submitted_by: "本人" };
        let done = applications::apply(app, actor, &a).await.unwrap();
        first_application.get_or_insert(done.application_id);
        if !done.admitted {
            applications::admit_by_override(app, actor, done.application_id, "管理员", "技术骨干，破格").await.unwrap();
        }
    }
    let names: Vec<String> = (1..=9).map(|i| format!("考评员{i}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    for role in [ExaminerRole::Invigilator, ExaminerRole::Examiner] {
        sessions::assign_examiners(app, actor, s, role, &names).await.unwrap();
    }
    sessions::mark_examined(app, actor, s).await.unwrap();
    for id in candidates {
        scores::enter(app, actor, s, id, ["82", "79.5", ""], "阅卷人").await.unwrap();
    }
    app.today_override = Some(date!(2026 - 04 - 15));
    results::publish(app, actor, s).await.unwrap();
    let application = first_application.expect("a candidate");
    let objection = results::lodge_objection(app, actor, application, "王某", "实操时间不足").await.unwrap();
    results::resolve_objection(app, actor, objection, Resolution::Dismissed, "管理员", "经核查符合标准").await.unwrap();
    app.today_override = Some(date!(2026 - 05 - 20));
    let done = results::finalise(app, actor, s, "管理员").await.unwrap();
    app.today_override = Some(TODAY);
    assert_eq!(done.issued.len(), candidates.len());
    done.issued
}
