//! The supply-gap pipeline (在途) on every backend: the persons in training, apprenticeships and
//! open evaluation applications aiming at an occupation × level, each source counted and a
//! person in several counted once, holders of the level left out; supply = holders + pipeline,
//! and the forecast's training per year is what remains beyond the pipeline. Every figure below
//! is derived by hand from the rows imported.

use gongjiang_app::evaluation::applications::{self, Apply};
use gongjiang_app::evaluation::institutions::{self, FileInstitution};
use gongjiang_app::evaluation::sessions;
use gongjiang_app::import::Kind;
use gongjiang_app::supply::{self, GapGrouping, GapQuery, GapRow, PipelineParts};
use gongjiang_app::{Actor, App};
use gongjiang_domain::supply::Period;
use gongjiang_testkit::TestDb;
use time::macros::date;

use crate::support::{OCCUPATION, TODAY};
use crate::training::{ENTERPRISE, P2, P3, P6, apprenticeships_file, enrolments_file, programmes_file, registry, run};

/// An evaluation session at 高级工 in OCCUPATION, open, with `who` admitted (by override when the
/// rules refuse).
async fn open_applications(app: &App, who: &[&str]) {
    let actor = Actor::cli("test");
    let filing = FileInstitution {
        category: "S",
        body_code: "0000",
        province_code: "12",
        site_serial: "000321",
        name: "天津市某职业技能等级认定中心",
        organisation_uscc: None,
    };
    let inst = institutions::file(app, &actor, &filing).await.unwrap();
    institutions::add_scope(app, &actor, inst, OCCUPATION, "高级工", date!(2025 - 01 - 01), None).await.unwrap();
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
        capacity: 10,
        theory_rooms: 1,
    };
    let s = sessions::plan(app, &actor, &plan).await.unwrap();
    sessions::open_applications(app, &actor, s).await.unwrap();
    for id in who {
        let a = Apply { session_id: s, id_number: id, name: None, applied_on: TODAY, submitted_by: "本人" };
        let done = applications::apply(app, &actor, &a).await.unwrap();
        if !done.admitted {
            applications::admit_by_override(app, &actor, done.application_id, "管理员", "技术骨干，破格")
                .await
                .unwrap();
        }
    }
}

fn parts(training: i64, apprenticeship: i64, application: i64, persons: i64) -> PipelineParts {
    PipelineParts { training, apprenticeship, application, persons }
}

fn row<'r>(rows: &'r [GapRow], level: u8, group: &str) -> &'r GapRow {
    rows.iter().find(|r| r.level == level && r.group == group).unwrap_or_else(|| panic!("no row {level} {group}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_pipeline_is_the_training_apprenticeships_and_open_applications_behind_it() {
    for t in TestDb::all().await {
        let b = t.backend;
        let app = crate::support::app_on(&t).await;
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        registry(&app, d).await;
        // P6 holds 中级工 since 2024: a holder at 中级工, so not pipeline there.
        let levels = d.join("levels.csv");
        std::fs::write(&levels, format!("身份证号,职业代码,技能等级,取得日期\n{P6},{OCCUPATION},中级工,2024-06-01\n"))
            .unwrap();
        let demand = d.join("demand.csv");
        std::fs::write(
            &demand,
            format!(
                "reporter_uscc,occupation,level,people,period,district\n\
                 {ENTERPRISE},{OCCUPATION},中级工,10,2026,和平区\n\
                 {ENTERPRISE},{OCCUPATION},高级工,5,2026,河东区\n\
                 {ENTERPRISE},{OCCUPATION},高级工,20,2026,滨海新区\n\
                 {ENTERPRISE},{OCCUPATION},技师,3,2026,滨海新区\n"
            ),
        )
        .unwrap();
        for (kind, path) in [
            (Kind::Levels, levels),
            (Kind::Demand, demand),
            (Kind::Programmes, programmes_file(d)),
            (Kind::Enrolments, enrolments_file(d)),
            (Kind::Apprenticeships, apprenticeships_file(d)),
        ] {
            assert!(run(&app, kind, &path, None).await.inserted > 0, "{b}: {kind:?}");
        }
        // P2 is in training for 高级工 and applies for it too; P3 only applies.
        open_applications(&app, &[P2, P3]).await;

        // On TODAY (2026-03-02), what the files hold, by target level in 6-18-01-01:
        // 中级工 (TJ-002): P1 enrolled; P4 completed on 2026-03-01 (not counted); apprentice P6
        //   holds 中级工 already (not counted) → training 1, apprenticeship 0, persons 1.
        // 高级工 (TJ-001): P1, P2 enrolled; apprentice P4 (since 2025-09-01); applicants P2, P3
        //   → 2 + 1 + 2, persons {P1, P2, P3, P4} = 4.
        // 技师: apprentice P1 (since 2026-03-01) → persons 1.
        let q = |by| GapQuery { by, period: Period { year: 2026, quarter: None }, occupation: None, as_of: None };
        let r = supply::gap_report(&app, &q(GapGrouping::City)).await.unwrap();
        assert_eq!(r.pipeline_source.code, "training+apprenticeship+application");
        let got: Vec<(u8, i64, i64, PipelineParts, i64)> =
            r.rows.iter().map(|x| (x.level, x.demand, x.holders, x.pipeline_parts, x.supply)).collect();
        let mut got = got;
        got.sort_by_key(|g| g.0);
        assert_eq!(
            got,
            [(3, 10, 1, parts(1, 0, 0, 1), 2), (4, 25, 0, parts(2, 1, 2, 4), 4), (5, 3, 0, parts(0, 1, 0, 1), 1)],
            "{b}"
        );
        for x in &r.rows {
            assert_eq!(x.pipeline, x.pipeline_parts.persons, "{b}");
            assert_eq!(x.gap, x.demand - x.holders - x.pipeline, "{b}");
        }
        assert_eq!(r.pipeline_source.counted, parts(3, 2, 2, 6), "{b}");

        // By district, 河东 (P2's): P2 in training and applying → both sources, one person.
        let r = supply::gap_report(&app, &q(GapGrouping::District)).await.unwrap();
        assert_eq!(row(&r.rows, 4, "120102").pipeline_parts, parts(1, 0, 1, 1), "{b}");
        assert_eq!(row(&r.rows, 4, "120116").pipeline_parts, parts(0, 0, 0, 0), "{b}");

        // On 2026-02-28: P1's 技师 apprenticeship has not begun; P4 had not completed 中级工.
        let early = GapQuery { as_of: Some(date!(2026 - 02 - 28)), ..q(GapGrouping::City) };
        let r = supply::gap_report(&app, &early).await.unwrap();
        assert_eq!(row(&r.rows, 5, "city").pipeline, 0, "{b}");
        assert_eq!(row(&r.rows, 3, "city").pipeline_parts, parts(2, 0, 0, 2), "{b}");

        // The forecast: one year of demand, so the 高级工 gap (25 − 0 holders) stays constant; to
        // 2029 the 4 in the pipeline leave ⌈(25 − 4) / 3⌉ = 7 a year to train.
        let f = supply::forecast(&app, &q(GapGrouping::City), Some(2029), 10).await.unwrap();
        let high = f.rows.iter().find(|x| x.level == 4).unwrap();
        assert_eq!((high.pipeline, high.gap_at_target, high.training_per_year), (4, 25.0, 7), "{b}");
    }
}
