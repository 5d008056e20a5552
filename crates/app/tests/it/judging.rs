//! A competition scored in gongjiang, on every backend: set-up with entrants checked for
//! eligibility, a judge refused for a conflict of interest, judges two points apart blocking
//! sign-off until they reconcile, a changed mark after sign-off refused, standings (raw,
//! WorldSkills scale, places) computed by hand below, publishing promoting the winner through
//! 以赛代评 into the level history with a clean KPI recount, and an edited ledger caught.

use std::path::Path;

use gongjiang_app::competition::marking::{MarkInput, mark, sign_off, verify};
use gongjiang_app::competition::results::{publish, standings};
use gongjiang_app::competition::setup::{
    CompetitionInput, EventInput, JudgeInput, add_event, add_judge, create, import_entries, set_scheme_file,
};
use gongjiang_app::evaluation::institutions::{self, FileInstitution};
use gongjiang_app::import::{self, ImportOptions, Kind};
use gongjiang_app::{Actor, App, AppError};
use gongjiang_domain::access::Scope;
use gongjiang_store::marks_ledger::LedgerBreak;
use gongjiang_store::{Db, levels, on_writer, persons};
use gongjiang_testkit::TestDb;
use time::macros::date;

const ORG_A: &str = "91120116MA05K1A2XW";
const ORG_B: &str = "91120101MA05K1A2X5";
const ORG_C: &str = "91120102MA05K1B3YD";
const P1: &str = "12010119900101101X"; // org A, no level: the winner
const P2: &str = "120102199505052022"; // org B
const P3: &str = "120103199808083033"; // org A
const YOUNG: &str = "120104201203031018"; // 13 on the first day
const OLD: &str = "120105196301012032"; // a man born 1963-01-01: retired at 60 on 2023-01-01

async fn registry(app: &App, dir: &Path) {
    let orgs = dir.join("orgs.csv");
    std::fs::write(
        &orgs,
        format!("统一社会信用代码,单位名称,单位类型,所在区\n{ORG_A},天津滨海精工机械有限公司,企业,滨海新区\n{ORG_B},天津和平焊接有限公司,企业,和平区\n"),
    )
    .unwrap();
    let people = dir.join("persons.csv");
    std::fs::write(
        &people,
        format!(
            "身份证号,姓名,所在区,单位统一社会信用代码,职业代码,就业状态\n\
             {P1},张一,和平区,{ORG_A},6-18-02-04,在职\n\
             {P2},李二,河东区,{ORG_B},6-18-02-04,在职\n\
             {P3},王三,河西区,{ORG_A},6-18-02-04,在职\n\
             {YOUNG},赵小,河北区,,,\n\
             {OLD},钱老,南开区,{ORG_B},6-18-02-04,在职\n"
        ),
    )
    .unwrap();
    let opts = ImportOptions::default();
    for (kind, path) in [(Kind::Orgs, &orgs), (Kind::Persons, &people)] {
        let s = import::run(app, &Actor::cli("test"), kind, path, &opts, &|_| ()).await.unwrap();
        assert_eq!(s.rejected, 0, "{kind:?}: {:?}", s.rejected_rows.first());
    }
}

fn m(judge: &str, bib: &str, aspect: &str, score: i64) -> MarkInput {
    MarkInput { judge: judge.into(), bib: bib.into(), aspect: aspect.into(), score }
}

async fn tamper(db: &Db, sql: &'static str) {
    on_writer!(db, pool => sqlx::query(sql).execute(pool).await.map(|_| ()).unwrap());
}

fn invalid(e: AppError) -> String {
    match e {
        AppError::Invalid(m) => format!("{} | {}", m.zh, m.en),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_event_is_set_up_marked_signed_off_published_and_promotes_its_winner() {
    for t in TestDb::all().await {
        let b = t.backend;
        let app = crate::support::open_on(&t, date!(2026 - 03 - 02)).await;
        let who = Actor::cli("organiser");
        let dir = tempfile::tempdir().unwrap();
        registry(&app, dir.path()).await;

        let input = CompetitionInput {
            code: "HHGJ2025",
            name: "第六届海河工匠杯技能大赛",
            tier: "市级一类",
            organiser: "天津市人社局",
            organisation_id: None,
            starts_on: date!(2025 - 05 - 10),
        };
        create(&app, &who, &input).await.unwrap();
        let dup = create(
            &app,
            &who,
            &CompetitionInput {
                code: "HHGJ2025",
                name: "x",
                tier: "city_1",
                organiser: "x",
                organisation_id: None,
                starts_on: date!(2025 - 05 - 10),
            },
        )
        .await
        .unwrap_err();
        assert!(invalid(dup).contains("已被使用"), "{b}");
        let ev = EventInput {
            code: "W1",
            name: "焊工",
            occupation: "6-18-02-04",
            level_min: "高级工",
            level_max: "技师",
            team_size: 1,
            occupation_required: true,
        };
        add_event(&app, &who, "HHGJ2025", &ev).await.unwrap();
        let scheme = dir.path().join("scheme.csv");
        std::fs::write(
            &scheme,
            "评分项代码,类型,说明,分值,0分描述,1分描述,2分描述,3分描述\n\
             A1,评价,焊缝外观,6,不合格,合格,良好,优秀\n\
             B1,测量,焊缝尺寸 ±0.5 mm,4,,,,\n",
        )
        .unwrap();
        let s = set_scheme_file(&app, &who, "HHGJ2025", "W1", &scheme).await.unwrap();
        assert_eq!(s.total_tenths(), 100, "{b}");
        let bad = dir.path().join("bad_scheme.csv");
        std::fs::write(&bad, "评分项代码,类型,说明,分值\nA1,评价,外观,6\nB1,打分,尺寸,x\n").unwrap();
        let e = invalid(set_scheme_file(&app, &who, "HHGJ2025", "W1", &bad).await.unwrap_err());
        assert!(
            e.contains("第 3 行 类型") && e.contains("第 3 行 分值") && e.contains("第 2 行 descriptors"),
            "{b}: {e}"
        );

        for (code, org) in [("J1", ORG_C), ("J2", ORG_C), ("J3", ORG_A), ("J4", ORG_B)] {
            add_judge(
                &app,
                &who,
                "HHGJ2025",
                "W1",
                &JudgeInput { code, name: &format!("裁判{code}"), uscc: Some(org), username: None },
            )
            .await
            .unwrap();
        }

        let entries = dir.path().join("entries.csv");
        std::fs::write(
            &entries,
            format!(
                "身份证号,组别,参赛号\n{P1},职工,001\n{P2},employee,002\n{P3},职工,003\n{YOUNG},学生,004\n{OLD},职工,005\n{P2},职工,006\n"
            ),
        )
        .unwrap();
        let report = dir.path().join("entries_errors.csv");
        let s = import_entries(&app, &who, "HHGJ2025", "W1", &entries, Some(&report)).await.unwrap();
        assert_eq!((s.read, s.accepted, s.rejected), (6, 3, 3), "{b}: {:?}", s.report);
        let reasons: Vec<String> = s
            .report
            .iter()
            .map(|r| r.errors.iter().map(|e| e.reason.zh.clone()).collect::<Vec<_>>().join("|"))
            .collect();
        // The young entrant: under 16 and not a welder (the event takes practitioners only).
        assert!(reasons[0].contains("未满 16 周岁") && reasons[0].contains("限本职业从业人员"), "{b}: {reasons:?}");
        // Born 1963-01-01, before the gradual raise: retired at 60 on 2023-01-01.
        assert!(reasons[1].contains("已于 2023-01-01 达到法定退休年龄"), "{b}: {reasons:?}");
        // Line 7 names line 3's person again.
        assert!(reasons[2].contains("与第 3 行为同一人"), "{b}: {reasons:?}");
        assert!(std::fs::read_to_string(&report).unwrap().contains("未满 16 周岁"), "{b}");

        // J3 comes from org A, like 001 and 003: refused, and nothing of the batch is written.
        let e = invalid(
            mark(&app, &who, "HHGJ2025", "W1", &[m("J1", "001", "A1", 3), m("J3", "001", "A1", 3)]).await.unwrap_err(),
        );
        assert!(e.contains("第 2 条") && e.contains("回避") && e.contains("conflict of interest"), "{b}: {e}");
        let e = invalid(
            mark(&app, &who, "HHGJ2025", "W1", &[m("J1", "001", "B1", 2), m("J1", "001", "A1", 4)]).await.unwrap_err(),
        );
        assert!(e.contains("只能记 1") && e.contains("0 到 3"), "{b}: {e}");

        // 001: A1 3, 3, 2 → 8/9 × 6 = 5.33; B1 1 → 4.00; total 9.33.
        // 002: A1 2, 2, 2 → 6/9 × 6 = 4.00; B1 1 → 4.00; total 8.00.
        // 003: A1 1, 3, 2 → two points apart: blocked until J1 marks again (2) → 7/9 × 6 = 4.67;
        //      B1 0; total 4.67.
        let marks = [
            m("J1", "001", "A1", 3),
            m("J2", "001", "A1", 3),
            m("J4", "001", "A1", 2),
            m("J1", "001", "B1", 1),
            m("J1", "002", "A1", 2),
            m("J2", "002", "A1", 2),
            m("J3", "002", "A1", 2),
            m("J2", "002", "B1", 1),
            m("J1", "003", "A1", 1),
            m("J2", "003", "A1", 3),
            m("J4", "003", "A1", 2),
            m("J1", "003", "B1", 0),
        ];
        assert_eq!(mark(&app, &who, "HHGJ2025", "W1", &marks).await.unwrap(), 12, "{b}");
        let s = sign_off(&app, &who, "HHGJ2025", "W1", None).await.unwrap();
        assert_eq!(s.signed, [("001".to_string(), 933), ("002".to_string(), 800)], "{b}");
        assert_eq!(s.blocked.len(), 1, "{b}");
        assert!(s.blocked[0].1[0].zh.contains("A1：裁判评分 1 与 3 相差超过 1 分"), "{b}: {:?}", s.blocked);
        let e = invalid(publish(&app, &who, "HHGJ2025", "W1", date!(2025 - 06 - 01)).await.unwrap_err());
        assert!(e.contains("003"), "{b}: {e}");

        // A changed mark after sign-off is refused.
        let e = invalid(mark(&app, &who, "HHGJ2025", "W1", &[m("J1", "001", "A1", 2)]).await.unwrap_err());
        assert!(e.contains("已签字确认并锁定"), "{b}: {e}");
        mark(&app, &who, "HHGJ2025", "W1", &[m("J1", "003", "A1", 2)]).await.unwrap();
        let s = sign_off(&app, &who, "HHGJ2025", "W1", Some("003")).await.unwrap();
        assert_eq!(s.signed, [("003".to_string(), 467)], "{b}");

        // Totals 9.33, 8.00, 4.67: median 8.00, mean 7.3333, population sd 1.95998;
        // 9.33 → 700 + 1.33 / 1.95998 × 100 = 767.86; 4.67 → 700 − 3.33 / 1.95998 × 100 = 530.10.
        let st = standings(&app, "HHGJ2025", "W1").await.unwrap();
        let rows: Vec<(&str, u32, u32, i64)> = st.groups[0]
            .rows
            .iter()
            .map(|r| (r.bib.as_str(), r.place, r.total_hundredths, r.standardised_tenths))
            .collect();
        assert_eq!(rows, [("001", 1, 933, 7679), ("002", 2, 800, 7000), ("003", 3, 467, 5301)], "{b}");

        // No institution is filed to certify 焊工 at 技师: publishing is refused (a promotion
        // comes with its certificate) and records nothing; once one is filed it issues them.
        let e = invalid(publish(&app, &who, "HHGJ2025", "W1", date!(2025 - 06 - 01)).await.unwrap_err());
        assert!(e.contains("没有评价机构备案认定6-18-02-04 二级/技师（2025-06-01）"), "{b}: {e}");
        let filing = FileInstitution {
            category: "S",
            body_code: "0000",
            province_code: "12",
            site_serial: "000501",
            name: "天津市焊接技能认定中心",
            organisation_uscc: None,
        };
        let inst = institutions::file(&app, &who, &filing).await.unwrap();
        institutions::add_scope(&app, &who, inst, "6-18-02-04", "技师", date!(2020 - 01 - 01), None).await.unwrap();

        let before = crate::support::open_on(&t, date!(2026 - 03 - 02)).await;
        let p = publish(&app, &who, "HHGJ2025", "W1", date!(2025 - 06 - 01)).await.unwrap();
        // One certificate per promotion, in place order: site 000501, 2025, level code 2 (技师).
        assert_eq!(
            p.certificates,
            ["S000012000501252000001", "S000012000501252000002", "S000012000501252000003"],
            "{b}"
        );
        // Tianjin 2024 table, 市级一类 employee top 10 → 技师 for each (none held a level).
        assert_eq!(p.promoted, 3, "{b}: {:?}", p.results);
        assert_eq!(p.results[0].bib, "001", "{b}");
        assert!(p.results[0].explanation.zh.contains("tj2024-city1-employee"), "{b}: {:?}", p.results[0]);
        // 1st of a 市级一类 event (employee): ¥20,000 (top 3), 天津市技术能手, the 五一 medal.
        let opens: Vec<&str> = p.results[0].opens.iter().map(|m| m.zh.as_str()).collect();
        assert_eq!(opens.len(), 3, "{b}: {opens:?}");
        assert!(
            opens[0].starts_with("本市一类竞赛前 3 名奖励 2 万元") && opens[1].contains("天津市技术能手"),
            "{b}: {opens:?}"
        );
        let person = persons::by_id_number(&before.db, P1).await.unwrap().unwrap();
        let h = levels::history(&before.db, &Scope::all(), person.id).await.unwrap();
        let h: Vec<(i16, time::Date, &str)> = h.iter().map(|l| (l.level, l.obtained_on, l.source.as_str())).collect();
        assert_eq!(h, [(5, date!(2025 - 06 - 01), "competition")], "{b}");
        let cert = gongjiang_store::certificates::by_number(&app.db, "S000012000501252000001").await.unwrap().unwrap();
        assert_eq!((cert.person_id, cert.level, cert.issue_date), (person.id, 5, date!(2025 - 06 - 01)), "{b}");
        assert!(
            cert.basis
                .as_deref()
                .unwrap()
                .contains("第六届海河工匠杯技能大赛（市级一类 city_1，职工 employee，第1名（共3人）"),
            "{b}: {:?}",
            cert.basis
        );
        let check =
            gongjiang_app::kpi::recount_check(&app, &[date!(2025 - 06 - 01), date!(2026 - 03 - 02)]).await.unwrap();
        assert!(check.differences.is_empty() && check.stale_persons == 0, "{b}: {check:?}");
        let e = invalid(mark(&app, &who, "HHGJ2025", "W1", &[m("J1", "003", "A1", 2)]).await.unwrap_err());
        assert!(e.contains("已于 2025-06-01 公布"), "{b}: {e}");

        // The ledger verifies; a score edited in the database is caught at its row.
        let v = verify(&app, "HHGJ2025", "W1").await.unwrap();
        assert_eq!((v.checked, v.head_seq, v.broken), (13, 13, None), "{b}");
        tamper(&app.db, "UPDATE competition_marks SET score = 3 WHERE seq = 9").await;
        let v = verify(&app, "HHGJ2025", "W1").await.unwrap();
        assert_eq!(v.broken, Some((9, LedgerBreak::Altered)), "{b}");
        tamper(&app.db, "UPDATE competition_marks SET score = 1 WHERE seq = 9").await;
        tamper(&app.db, "DELETE FROM competition_marks WHERE seq = 13").await;
        let v = verify(&app, "HHGJ2025", "W1").await.unwrap();
        assert_eq!(v.broken, Some((13, LedgerBreak::HeadMismatch)), "{b}");
    }
}

/// A team event (two a team) ranks teams as one unit: a team's total is the mean of its
/// members' signed-off totals, the group's entrants count teams, every member gets the team's
/// place, and publishing promotes each member by the rule (with a certificate each); a team
/// short of members is not ranked and holds publishing back.
#[tokio::test(flavor = "multi_thread")]
async fn a_team_event_ranks_teams_and_promotes_every_member() {
    const P4: &str = "120101199202021011";
    const P5: &str = "120102199303032031";
    const P6: &str = "120103199404043051";
    for t in TestDb::all().await {
        let b = t.backend;
        let app = crate::support::open_on(&t, date!(2026 - 03 - 02)).await;
        let who = Actor::cli("organiser");
        let dir = tempfile::tempdir().unwrap();
        registry(&app, dir.path()).await;
        let more = dir.path().join("more.csv");
        std::fs::write(
            &more,
            format!(
                "身份证号,姓名,所在区,职业代码,就业状态\n{P4},孙四,和平区,6-18-02-04,在职\n{P5},周五,河东区,6-18-02-04,在职\n{P6},吴六,河西区,6-18-02-04,在职\n"
            ),
        )
        .unwrap();
        let s = import::run(&app, &who, Kind::Persons, &more, &ImportOptions::default(), &|_| ()).await.unwrap();
        assert_eq!(s.rejected, 0, "{b}: {:?}", s.rejected_rows.first());
        let input = CompetitionInput {
            code: "TEAM2025",
            name: "2025年天津市焊接团体赛",
            tier: "市级二类",
            organiser: "天津市总工会",
            organisation_id: None,
            starts_on: date!(2025 - 05 - 10),
        };
        create(&app, &who, &input).await.unwrap();
        for code in ["T1", "T2"] {
            let ev = EventInput {
                code,
                name: "焊接团体",
                occupation: "6-18-02-04",
                level_min: "1",
                level_max: "8",
                team_size: 2,
                occupation_required: false,
            };
            add_event(&app, &who, "TEAM2025", &ev).await.unwrap();
            let scheme = dir.path().join(format!("scheme-{code}.csv"));
            std::fs::write(&scheme, "code,kind,description,max_mark\nM1,measurement,尺寸,60\nM2,measurement,外观,40\n")
                .unwrap();
            set_scheme_file(&app, &who, "TEAM2025", code, &scheme).await.unwrap();
            add_judge(
                &app,
                &who,
                "TEAM2025",
                code,
                &JudgeInput { code: "J1", name: "裁判甲", uscc: Some(ORG_C), username: None },
            )
            .await
            .unwrap();
        }
        // T1: team 甲 (P1 001, P3 002), team 乙 (P2 003, P4 004).
        let entries = dir.path().join("t1.csv");
        std::fs::write(
            &entries,
            format!("身份证号,组别,参赛号,队名\n{P1},职工,001,甲队\n{P3},职工,002,甲队\n{P2},职工,003,乙队\n{P4},职工,004,乙队\n"),
        )
        .unwrap();
        let sum = import_entries(&app, &who, "TEAM2025", "T1", &entries, None).await.unwrap();
        assert_eq!(sum.accepted, 4, "{b}: {:?}", sum.report);
        // 甲队: 001 has 100, 002 has 60 → mean 80.00; 乙队: both 100 → 100.00.
        let marks = [
            m("J1", "001", "M1", 1),
            m("J1", "001", "M2", 1),
            m("J1", "002", "M1", 1),
            m("J1", "002", "M2", 0),
            m("J1", "003", "M1", 1),
            m("J1", "003", "M2", 1),
            m("J1", "004", "M1", 1),
            m("J1", "004", "M2", 1),
        ];
        mark(&app, &who, "TEAM2025", "T1", &marks).await.unwrap();
        sign_off(&app, &who, "TEAM2025", "T1", None).await.unwrap();
        let st = standings(&app, "TEAM2025", "T1").await.unwrap();
        assert_eq!(st.groups[0].entrants, 2, "{b}: two teams, not four persons");
        let rows: Vec<(&str, Option<&str>, u32, u32)> = st.groups[0]
            .rows
            .iter()
            .map(|r| (r.bib.as_str(), r.team.as_deref(), r.place, r.total_hundredths))
            .collect();
        assert_eq!(
            rows,
            [
                ("003", Some("乙队"), 1, 10000),
                ("004", Some("乙队"), 1, 10000),
                ("001", Some("甲队"), 2, 8000),
                ("002", Some("甲队"), 2, 8000)
            ],
            "{b}"
        );
        // Two teams: raw 100 and 80 → median 90, sd 10 → 800.0 and 600.0 on the scale.
        assert_eq!(
            st.groups[0].rows.iter().map(|r| r.standardised_tenths).collect::<Vec<_>>(),
            [8000, 8000, 6000, 6000],
            "{b}"
        );

        // T2: a team of one where two are needed is not ranked and holds publishing back.
        let short = dir.path().join("t2.csv");
        std::fs::write(&short, format!("身份证号,组别,参赛号,队名\n{P5},职工,101,丙队\n{P6},职工,102,丁队\n")).unwrap();
        import_entries(&app, &who, "TEAM2025", "T2", &short, None).await.unwrap();
        mark(&app, &who, "TEAM2025", "T2", &[m("J1", "101", "M1", 1), m("J1", "101", "M2", 1)]).await.unwrap();
        mark(&app, &who, "TEAM2025", "T2", &[m("J1", "102", "M1", 1), m("J1", "102", "M2", 1)]).await.unwrap();
        sign_off(&app, &who, "TEAM2025", "T2", None).await.unwrap();
        let st2 = standings(&app, "TEAM2025", "T2").await.unwrap();
        assert!(st2.groups.is_empty() && st2.unsigned == ["101", "102"], "{b}: {:?}", st2.unsigned);
        let e = invalid(publish(&app, &who, "TEAM2025", "T2", date!(2025 - 06 - 01)).await.unwrap_err());
        assert!(e.contains("团队不完整") && e.contains("101"), "{b}: {e}");

        // Publishing T1: 市级二类 employees top 6 → 高级工 for all four (places 1 and 2 of 2 teams),
        // each with a certificate.
        let filing = FileInstitution {
            category: "S",
            body_code: "0000",
            province_code: "12",
            site_serial: "000502",
            name: "天津市焊接技能认定中心",
            organisation_uscc: None,
        };
        let inst = institutions::file(&app, &who, &filing).await.unwrap();
        institutions::add_scope(&app, &who, inst, "6-18-02-04", "高级工", date!(2020 - 01 - 01), None).await.unwrap();
        let p = publish(&app, &who, "TEAM2025", "T1", date!(2025 - 06 - 01)).await.unwrap();
        assert_eq!((p.promoted, p.certificates.len()), (4, 4), "{b}: {:?}", p.results);
        let person = persons::by_id_number(&app.db, P3).await.unwrap().unwrap();
        let stored = gongjiang_store::competitions::of_person(&app.db, person.id).await.unwrap();
        assert_eq!((stored[0].place, stored[0].entrants, stored[0].level_after), (2, Some(2), Some(4)), "{b}");
    }
}
