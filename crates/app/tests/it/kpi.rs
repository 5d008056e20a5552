//! KPI figures on a small registry built by hand, each expected number worked out by hand in
//! the comments — on every backend.

use gongjiang_app::App;
use gongjiang_app::kpi::{self, KpiReport};
use gongjiang_domain::access::Scope;
use gongjiang_domain::kpi::{DenominatorSource, Grouping, KpiRow};
use gongjiang_domain::records::{NewLevel, NewOrganisation, NewPerson, NewStatistic};
use gongjiang_domain::registry::{EmploymentStatus, IdType, OrgKind};
use gongjiang_store::StoreError;
use gongjiang_store::levels::{self};
use gongjiang_store::persons::{self, PersonWrite};
use gongjiang_store::{organisations, statistics};
use gongjiang_testkit::TestDb;
use time::Date;
use time::macros::date;

const E1: &str = "91120116MA05K1A2XW"; // 滨海新区, manufacturing (C), chains 高端装备 and 新材料
const E2: &str = "91120104MA05K3B4YR"; // 和平区 as registered below, information technology (I), chain 信创

struct P {
    id: &'static str,
    district: &'static str,
    employer: Option<&'static str>,
    occupation: Option<&'static str>,
    status: EmploymentStatus,
    /// (rank, obtained_on)
    levels: &'static [(u8, Date)],
}

/// The registry:
/// - P1 滨海 E1 employed 6-18: 中级工 2010, 高级工 2016, 技师 2022 — several levels, counted once;
/// - P2 滨海 E1 employed 6-18: 初级工 2018, 高级工 2020 revoked from 2024-06-30;
/// - P3 滨海 E1 self-employed 6-18: 学徒工 2024-01-01, 高级工 2026-03-01 (after the as-of dates);
/// - P4 和平 E2 employed 4-04: 初级工 2021;
/// - P5 和平 E2 unemployed: 高级技师 2019 — not an employed person, not counted;
/// - P6 和平, no employer, no occupation, employed: no level;
/// - P7 滨海 E1 retired: 技师 2015 — not counted.
const PERSONS: &[P] = &[
    P {
        id: "E0000001",
        district: "120116",
        employer: Some(E1),
        occupation: Some("6-18-01-01"),
        status: EmploymentStatus::Employed,
        levels: &[(3, date!(2010 - 06 - 01)), (4, date!(2016 - 06 - 01)), (5, date!(2022 - 01 - 01))],
    },
    P {
        id: "E0000002",
        district: "120116",
        employer: Some(E1),
        occupation: Some("6-18-01-01"),
        status: EmploymentStatus::Employed,
        levels: &[(2, date!(2018 - 03 - 01)), (4, date!(2020 - 05 - 01))],
    },
    P {
        id: "E0000003",
        district: "120116",
        employer: Some(E1),
        occupation: Some("6-18-01-02"),
        status: EmploymentStatus::SelfEmployed,
        levels: &[(1, date!(2024 - 01 - 01)), (4, date!(2026 - 03 - 01))],
    },
    P {
        id: "E0000004",
        district: "120101",
        employer: Some(E2),
        occupation: Some("4-04-05-01"),
        status: EmploymentStatus::Employed,
        levels: &[(2, date!(2021 - 09 - 01))],
    },
    P {
        id: "E0000005",
        district: "120101",
        employer: Some(E2),
        occupation: Some("4-04-05-01"),
        status: EmploymentStatus::Unemployed,
        levels: &[(6, date!(2019 - 09 - 01))],
    },
    P {
        id: "E0000006",
        district: "120101",
        employer: None,
        occupation: None,
        status: EmploymentStatus::Employed,
        levels: &[],
    },
    P {
        id: "E0000007",
        district: "120116",
        employer: Some(E1),
        occupation: Some("6-18-01-01"),
        status: EmploymentStatus::Retired,
        levels: &[(5, date!(2015 - 01 - 01))],
    },
];

async fn build(app: &App) {
    let db = &app.db;
    let org = |uscc: &str, district: &str, industry: &str, chains: &[&str]| NewOrganisation {
        uscc: uscc.to_string(),
        name: format!("单位{uscc}"),
        kind: OrgKind::Enterprise,
        district_code: district.to_string(),
        industry: Some(industry.to_string()),
        chains: Some(chains.iter().map(|c| c.to_string()).collect()),
    };
    organisations::upsert_batch(
        db,
        &[org(E1, "120116", "C", &["high_end_equipment", "new_materials"]), org(E2, "120101", "I", &["xinchuang"])],
    )
    .await
    .unwrap();
    let orgs = organisations::all_ids(db).await.unwrap();
    let people: Vec<NewPerson> = PERSONS
        .iter()
        .map(|p| NewPerson {
            id_type: IdType::Passport,
            id_number: p.id.to_string(),
            id_from_15: false,
            name: format!("人员{}", p.id),
            gender: None,
            birth_date: Some(date!(1985 - 01 - 01)),
            district_code: Some(p.district.to_string()),
            employer_uscc: p.employer.map(str::to_string),
            occupation_code: p.occupation.map(str::to_string),
            education: None,
            employment_status: Some(p.status),
            work_start: None,
        })
        .collect();
    let writes: Vec<PersonWrite<'_>> = people
        .iter()
        .map(|p| PersonWrite { person: p, employer_id: p.employer_uscc.as_ref().map(|u| orgs[u]) })
        .collect();
    persons::upsert_batch(db, &writes).await.unwrap();
    let ids = persons::ids_by_id_number(db, &PERSONS.iter().map(|p| p.id).collect::<Vec<_>>()).await.unwrap();
    let new_levels: Vec<NewLevel> = PERSONS
        .iter()
        .flat_map(|p| {
            p.levels
                .iter()
                .map(|&(rank, on)| crate::support::exam_level(p.id, p.occupation.unwrap_or("6-18-01-01"), rank, on))
        })
        .collect();
    crate::support::record_levels(db, &ids, &new_levels).await;

    // P2's 高级工 is revoked from 2024-06-30.
    let p2 = ids["E0000002"];
    let row = levels::history(db, &Scope::all(), p2).await.unwrap().into_iter().find(|l| l.level == 4).unwrap();
    levels::revoke(db, row.id, date!(2024 - 06 - 30), "证书撤销 / certificate withdrawn").await.unwrap();
    let again = levels::revoke(db, row.id, date!(2024 - 07 - 01), "again").await;
    assert!(matches!(again, Err(StoreError::Conflict { .. })), "a revoked level is not revoked twice: {again:?}");
    assert!(matches!(levels::revoke(db, -1, date!(2024 - 07 - 01), "x").await, Err(StoreError::NotFound)));
    let kept = levels::history(db, &Scope::all(), p2).await.unwrap();
    assert_eq!(kept.len(), 2, "revocation deletes nothing");
    assert_eq!(kept.iter().find(|l| l.id == row.id).unwrap().revoked_on, Some(date!(2024 - 06 - 30)));

    // Official figures for 2025: 滨海 10, the city 20, manufacturing city-wide 6, the 高端装备
    // chain city-wide 8. None for 和平, none for the other chains.
    let stat = |district: &str, industry: &str, chain: &str, n: i64| NewStatistic {
        year: 2025,
        district_code: district.to_string(),
        industry: industry.to_string(),
        chain: chain.to_string(),
        employed_persons: n,
    };
    let stats = [
        stat("120116", "", "", 10),
        stat("120000", "", "", 20),
        stat("120000", "C", "", 6),
        stat("120000", "", "high_end_equipment", 8),
    ];
    statistics::upsert_batch(db, &stats).await.unwrap();
}

fn row<'a>(r: &'a KpiReport, group: &str) -> &'a KpiRow {
    r.rows.iter().find(|x| x.group == group).unwrap_or_else(|| panic!("no row {group}: {:?}", r.rows))
}

/// (employed_persons, registry_employed, skilled, high_skilled, source)
fn counts(r: &KpiRow) -> (Option<i64>, i64, i64, i64, DenominatorSource) {
    (r.employed_persons, r.registry_employed, r.skilled, r.high_skilled, r.denominator_source)
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

#[tokio::test(flavor = "multi_thread")]
async fn kpis_computed_by_hand() {
    for t in TestDb::all().await {
        let b = t.backend;
        let app = crate::support::open(&t).await;
        build(&app).await;
        let end_2025 = date!(2025 - 12 - 31);
        use DenominatorSource::{OfficialStatistics as Off, Registry as Reg};

        // City, 2025-12-31. Employed: P1 P2 P3 P4 P6 = 5 (P5 unemployed, P7 retired).
        // Highest valid level: P1 技师(5), P2 初级工(2; 高级工 revoked), P3 学徒工(1; 高级工 not yet),
        // P4 初级工(2), P6 none → skilled (≥2) P1 P2 P4 = 3, high-skilled (≥4) P1 = 1.
        // Denominator: the official city figure 20 → 3/20 = 0.15; 1/3 high-skilled.
        let city = kpi::compute(&app, Grouping::City, end_2025).await.unwrap();
        assert_eq!(city.rows.len(), 1, "{b}: the total row only");
        let total = row(&city, "total");
        assert_eq!(counts(total), (Some(20), 5, 3, 1, Off), "{b}");
        assert!(close(total.skilled_share, 0.15), "{b}: {total:?}");
        assert!(close(total.high_skilled_share, 1.0 / 3.0), "{b}");
        // Targets: > 0.40 and > 0.35, due 2025-12-31; gaps 0.25 and 0.35 − 1/3.
        assert_eq!(total.target_skilled_share.as_ref().map(|t| (t.value, t.due)), Some((0.40, end_2025)), "{b}");
        assert!(close(total.gap_skilled_share, 0.25), "{b}");
        assert!(close(total.gap_high_skilled_share, 0.35 - 1.0 / 3.0), "{b}");
        assert_eq!(total.target_skilled_share.as_ref().and_then(|t| t.met), Some(false));

        // By district: 滨海 P1 P2 P3 employed, skilled P1 P2, high P1, official 10 → 0.2, 0.5.
        // 和平 P4 P6 employed, skilled P4, high 0, no official figure → registry 2 → 0.5, 0.
        let by = kpi::compute(&app, Grouping::District, end_2025).await.unwrap();
        let binhai = row(&by, "120116");
        assert_eq!(counts(binhai), (Some(10), 3, 2, 1, Off), "{b}");
        assert!(close(binhai.skilled_share, 0.2) && close(binhai.high_skilled_share, 0.5), "{b}: {binhai:?}");
        let heping = row(&by, "120101");
        assert_eq!(counts(heping), (Some(2), 2, 1, 0, Reg), "{b}: falls back to the registry and says so");
        assert!(close(heping.skilled_share, 0.5) && close(heping.high_skilled_share, 0.0), "{b}");
        assert_eq!(heping.name_zh.as_deref(), Some("和平区"));
        // A district with nobody: zeros, no share.
        let hexi = row(&by, "120103");
        assert_eq!((counts(hexi), hexi.skilled_share), ((Some(0), 0, 0, 0, Reg), None), "{b}");
        assert_eq!(by.rows.last().map(|r| r.group.as_str()), Some("total"));
        assert_eq!(counts(row(&by, "total")), (Some(20), 5, 3, 1, Off), "{b}: the same total whatever the grouping");
        assert_eq!(by.rows.len(), app.policy.districts.len() + 1, "{b}");

        // By industry: C = P1 P2 P3 (official 6 → 2/6), I = P4, unknown = P6 (no employer).
        let by = kpi::compute(&app, Grouping::Industry, end_2025).await.unwrap();
        assert_eq!(counts(row(&by, "C")), (Some(6), 3, 2, 1, Off), "{b}");
        assert!(close(row(&by, "C").skilled_share, 2.0 / 6.0), "{b}");
        assert_eq!(counts(row(&by, "I")), (Some(1), 1, 1, 0, Reg), "{b}");
        assert_eq!(counts(row(&by, "unknown")), (Some(1), 1, 0, 0, Reg), "{b}");

        // By occupation major group: 6 = P1 P2 P3, 4 = P4, unknown = P6.
        let by = kpi::compute(&app, Grouping::Occupation, end_2025).await.unwrap();
        assert_eq!(counts(row(&by, "6")), (Some(3), 3, 2, 1, Reg), "{b}");
        assert_eq!(counts(row(&by, "4")), (Some(1), 1, 1, 0, Reg), "{b}");
        assert_eq!(counts(row(&by, "unknown")), (Some(1), 1, 0, 0, Reg), "{b}");

        // By chain: 高端装备 and 新材料 = E1's P1 P2 P3 (each counts in both), 信创 = E2's P4,
        // none = P6 (no employer). 高端装备 has an official figure (8 → 2/8); the others fall back
        // to the registry. The rows add up to 8 employed, not the city's 5, and the report says so.
        let by = kpi::compute(&app, Grouping::Chain, end_2025).await.unwrap();
        assert_eq!(counts(row(&by, "high_end_equipment")), (Some(8), 3, 2, 1, Off), "{b}");
        assert!(close(row(&by, "high_end_equipment").skilled_share, 0.25), "{b}");
        assert_eq!(counts(row(&by, "new_materials")), (Some(3), 3, 2, 1, Reg), "{b}");
        assert_eq!(counts(row(&by, "xinchuang")), (Some(1), 1, 1, 0, Reg), "{b}");
        assert_eq!(counts(row(&by, "none")), (Some(1), 1, 0, 0, Reg), "{b}");
        assert_eq!(row(&by, "none").name_en.as_deref(), Some("in no key industrial chain"));
        assert_eq!(row(&by, "xinchuang").name_zh.as_deref(), Some("信创"));
        assert_eq!(counts(row(&by, "aerospace")), (Some(0), 0, 0, 0, Reg), "{b}: every chain of the policy appears");
        assert_eq!(by.rows.len(), app.policy.industrial_chains.len() + 2, "{b}: chains, none, total");
        assert_eq!(counts(row(&by, "total")), (Some(20), 5, 3, 1, Off), "{b}");
        let summed: i64 = by.rows.iter().filter(|r| r.group != "total").map(|r| r.registry_employed).sum();
        assert_eq!(summed, 8, "{b}: chain rows overlap");
        assert!(by.notes.iter().any(|n| n.en.contains("do not add up")), "{b}: {:?}", by.notes);
        let csv = kpi::csv_rows(&by);
        let note = csv.last().and_then(|r| r.last()).cloned().unwrap_or_default();
        assert!(note.contains("不等于全市合计") && note.contains("do not add up"), "{b}: {note}");
        assert!(csv[0].last().is_some_and(String::is_empty), "{b}: the note is in the total row only");
        // A district grouping has no overlap note.
        assert!(
            kpi::compute(&app, Grouping::District, end_2025)
                .await
                .unwrap()
                .notes
                .iter()
                .all(|n| !n.en.contains("overlap"))
        );

        // By highest level: 1 = P3, 2 = P2 P4, 5 = P1, none = P6.
        let by = kpi::compute(&app, Grouping::Level, end_2025).await.unwrap();
        let groups: Vec<(&str, i64)> = by.rows.iter().map(|r| (r.group.as_str(), r.registry_employed)).collect();
        assert_eq!(groups, [("1", 1), ("2", 2), ("5", 1), ("none", 1), ("total", 5)], "{b}");

        // The day before the revocation: P2 still high-skilled (高级工). 2024 has no official
        // figures: the registry's 5 → 3/5, 2/3.
        let before = kpi::compute(&app, Grouping::City, date!(2024 - 06 - 29)).await.unwrap();
        let total = row(&before, "total");
        assert_eq!(counts(total), (Some(5), 5, 3, 2, Reg), "{b}");
        assert!(close(total.skilled_share, 0.6) && close(total.high_skilled_share, 2.0 / 3.0), "{b}");
        // From the revocation date on, it no longer counts.
        let on = kpi::compute(&app, Grouping::City, date!(2024 - 06 - 30)).await.unwrap();
        assert_eq!(counts(row(&on, "total")), (Some(5), 5, 3, 1, Reg), "{b}");

        // 2026-03-01: P3's 高级工 counts from the day it is obtained.
        let later = kpi::compute(&app, Grouping::City, date!(2026 - 03 - 01)).await.unwrap();
        assert_eq!(counts(row(&later, "total")), (Some(5), 5, 4, 2, Reg), "{b}");
        let day_before = kpi::compute(&app, Grouping::City, date!(2026 - 02 - 28)).await.unwrap();
        assert_eq!(counts(row(&day_before, "total")), (Some(5), 5, 3, 1, Reg), "{b}");

        // 2019-12-31: P1 高级工, P2 初级工, P4 and P3 nothing yet → skilled 2, high 1.
        let old = kpi::compute(&app, Grouping::City, date!(2019 - 12 - 31)).await.unwrap();
        assert_eq!(counts(row(&old, "total")), (Some(5), 5, 2, 1, Reg), "{b}");

        // The CSV cells of a row: fractions with four decimals.
        let cells = kpi::csv_cells(row(&city, "total"));
        assert_eq!(&cells[..8], ["total", "20", "3", "1", "0.1500", "0.3333", "official_statistics", "天津市"], "{b}");
        assert_eq!(cells.len(), kpi::CSV_HEADERS.len());
        app.db.close().await;
    }
}

/// Every person of every page, following the keyset from page to page (ids strictly rising).
async fn behind_all(app: &App, q: &kpi::DrillDown) -> Vec<persons::Person> {
    const PAGE: i64 = 97;
    let mut out: Vec<persons::Person> = Vec::new();
    let mut after = None;
    loop {
        let page = kpi::persons_behind(app, &Scope::all(), q, after, PAGE).await.unwrap();
        let n = page.len() as i64;
        for p in page {
            assert!(out.last().is_none_or(|l| l.id < p.id), "ids rise from page to page");
            after = Some(p.id);
            out.push(p);
        }
        if n < PAGE {
            return out;
        }
    }
}

fn drill(app: &App, by: Grouping, group: &str, measure: kpi::Measure, as_of: Date) -> kpi::DrillDown {
    let group = kpi::Group::parse(app, by, Some(group)).unwrap_or_else(|m| panic!("{by:?} {group}: {m}"));
    kpi::DrillDown { by, group, measure, as_of }
}

#[tokio::test(flavor = "multi_thread")]
async fn drill_down_lists_exactly_the_persons_counted() {
    use kpi::Measure::{Employed, HighSkilled, Skilled};
    for t in TestDb::all().await {
        let b = t.backend;
        let mut app = crate::support::open(&t).await;
        app.today_override = Some(date!(2026 - 06 - 30));
        gongjiang_demo::load(&app, 800, 3, &|_| ()).await.unwrap();

        // Every row of every grouping, every figure, today and at two past year-ends.
        for as_of in [date!(2026 - 06 - 30), date!(2025 - 12 - 31), date!(2018 - 12 - 31)] {
            for by in Grouping::ALL {
                let report = kpi::compute(&app, by, as_of).await.unwrap();
                for row in &report.rows {
                    for measure in kpi::Measure::ALL {
                        let got = behind_all(&app, &drill(&app, by, &row.group, measure, as_of)).await;
                        assert_eq!(
                            got.len() as i64,
                            measure.of(row),
                            "{b}: {as_of} by {} group {} {}",
                            by.code(),
                            row.group,
                            measure.code()
                        );
                    }
                }
            }
        }
        let total = kpi::compute(&app, Grouping::City, date!(2025 - 12 - 31)).await.unwrap();
        assert!(row(&total, "total").high_skilled > 0, "{b}: the demo city has high-skilled persons");

        // A revoked level: the person leaves `skilled` from the revocation date, not before.
        let day = date!(2025 - 01 - 01);
        let eve = date!(2024 - 12 - 31);
        let skilled_from = i16::from(app.policy.ladder.skilled_from().rank());
        let before = kpi::compute(&app, Grouping::District, day).await.unwrap();
        let first = behind_all(&app, &drill(&app, Grouping::City, "total", Skilled, eve)).await;
        let who = first.first().expect("someone is skilled").clone();
        for l in levels::history(&app.db, &Scope::all(), who.id).await.unwrap() {
            if l.level >= skilled_from && l.revoked_on.is_none() && l.obtained_on < day {
                levels::revoke(&app.db, l.id, day, "测试 / test").await.unwrap();
            }
        }
        let district = who.district_code.clone().expect("demo persons have a district");
        let ids = |v: Vec<persons::Person>| v.into_iter().map(|p| p.id).collect::<Vec<_>>();
        for (as_of, counted) in [(eve, true), (day, false)] {
            for (by, group) in [(Grouping::City, "total"), (Grouping::District, district.as_str())] {
                let listed = ids(behind_all(&app, &drill(&app, by, group, Skilled, as_of)).await);
                assert_eq!(listed.contains(&who.id), counted, "{b}: {as_of} by {} {group}", by.code());
                let employed = ids(behind_all(&app, &drill(&app, by, group, Employed, as_of)).await);
                assert!(employed.contains(&who.id), "{b}: still employed on {as_of}");
            }
        }
        let after = kpi::compute(&app, Grouping::District, day).await.unwrap();
        assert_eq!(row(&after, &district).skilled, row(&before, &district).skilled - 1, "{b}");
        for r in &after.rows {
            for measure in [Skilled, HighSkilled] {
                let got = behind_all(&app, &drill(&app, Grouping::District, &r.group, measure, day)).await;
                assert_eq!(
                    got.len() as i64,
                    measure.of(r),
                    "{b}: after the revocation, {} {}",
                    r.group,
                    measure.code()
                );
            }
        }
        app.db.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn drill_down_on_the_hand_built_registry() {
    use kpi::Measure::{Employed, HighSkilled, Skilled};
    for t in TestDb::all().await {
        let b = t.backend;
        let app = crate::support::open(&t).await;
        build(&app).await;
        let names = |v: Vec<persons::Person>| v.into_iter().map(|p| p.id_number).collect::<Vec<_>>();
        let list = |by, group: &'static str, measure, as_of| {
            let q = drill(&app, by, group, measure, as_of);
            let app = app.clone();
            async move { names(behind_all(&app, &q).await) }
        };
        let end_2025 = date!(2025 - 12 - 31);
        // 滨海: employed P1 P2 P3 (P7 retired), skilled P1 P2, high-skilled P1.
        assert_eq!(list(Grouping::District, "120116", Employed, end_2025).await, ["E0000001", "E0000002", "E0000003"]);
        assert_eq!(list(Grouping::District, "滨海新区", Skilled, end_2025).await, ["E0000001", "E0000002"], "{b}");
        assert_eq!(list(Grouping::District, "120116", HighSkilled, end_2025).await, ["E0000001"], "{b}");
        // P2's 高级工 counts the day before its revocation, not from the day itself.
        assert_eq!(
            list(Grouping::City, "total", HighSkilled, date!(2024 - 06 - 29)).await,
            ["E0000001", "E0000002"],
            "{b}"
        );
        assert_eq!(list(Grouping::City, "total", HighSkilled, date!(2024 - 06 - 30)).await, ["E0000001"], "{b}");
        // The `unknown` and `none` rows: P6 (no employer, no occupation, no level).
        assert_eq!(list(Grouping::Industry, "unknown", Employed, end_2025).await, ["E0000006"], "{b}");
        assert_eq!(list(Grouping::Occupation, "unknown", Employed, end_2025).await, ["E0000006"], "{b}");
        assert_eq!(list(Grouping::Level, "none", Employed, end_2025).await, ["E0000006"], "{b}");
        assert!(list(Grouping::Level, "none", Skilled, end_2025).await.is_empty(), "{b}");
        // By level: highest valid level 2 = P2 (高级工 revoked) and P4; by name too.
        assert_eq!(list(Grouping::Level, "2", Skilled, end_2025).await, ["E0000002", "E0000004"], "{b}");
        assert_eq!(list(Grouping::Level, "技师", HighSkilled, end_2025).await, ["E0000001"], "{b}");
        assert!(list(Grouping::Level, "2", HighSkilled, end_2025).await.is_empty(), "{b}");
        assert_eq!(list(Grouping::Industry, "C", Skilled, end_2025).await, ["E0000001", "E0000002"], "{b}");
        assert_eq!(list(Grouping::Occupation, "4", Skilled, end_2025).await, ["E0000004"], "{b}");
        // By chain: 高端装备 (E1) skilled P1 P2, by id or name; 信创 (E2) P4; in no chain: P6.
        assert_eq!(list(Grouping::Chain, "high_end_equipment", Skilled, end_2025).await, ["E0000001", "E0000002"]);
        assert_eq!(list(Grouping::Chain, "新材料", Employed, end_2025).await, ["E0000001", "E0000002", "E0000003"]);
        assert_eq!(list(Grouping::Chain, "信创", Employed, end_2025).await, ["E0000004"], "{b}");
        assert_eq!(list(Grouping::Chain, "none", Employed, end_2025).await, ["E0000006"], "{b}");
        assert!(list(Grouping::Chain, "aerospace", Employed, end_2025).await.is_empty(), "{b}");

        // Groups that do not parse.
        for (by, g) in [
            (Grouping::District, "120199x"),
            (Grouping::City, "120116"),
            (Grouping::Occupation, "61"),
            (Grouping::Level, "9"),
            (Grouping::Industry, "none"),
            (Grouping::Chain, "unknown"),
            (Grouping::Chain, "钢铁"),
        ] {
            assert!(kpi::Group::parse(&app, by, Some(g)).is_err(), "{by:?} {g}");
        }
        assert!(kpi::Group::parse(&app, Grouping::District, None).is_err(), "by district, group is required");
        assert_eq!(kpi::Group::parse(&app, Grouping::City, None), Ok(kpi::Group::All));
        assert_eq!(kpi::Measure::parse("HIGH_SKILLED"), Ok(HighSkilled));
        assert!(kpi::Measure::parse("share").is_err());
        app.db.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn official_skill_counts_are_shown_beside_the_registry_with_its_coverage() {
    use gongjiang_app::Actor;
    use gongjiang_app::import::{self, ImportOptions, Kind};
    for t in TestDb::all().await {
        let b = t.backend;
        let app = crate::support::open(&t).await;
        build(&app).await;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("statistics.csv");
        std::fs::write(
            &file,
            "年份,区,就业人员数,产业链,技能人才数,高技能人才数\n\
             2025,全市,,,12,4\n\
             2025,120116,,,5,\n\
             2025,120101,10,,,\n\
             2025,120103,,,,\n\
             2025,120116,,,3,4\n\
             2025,120102,2,,3,\n",
        )
        .unwrap();
        let opts = ImportOptions { errors_path: Some(dir.path().join("errors.csv")), ..ImportOptions::default() };
        let s = import::run(&app, &Actor::cli("test"), Kind::Statistics, &file, &opts, &|_| ()).await.unwrap();
        assert_eq!([s.read, s.inserted, s.updated, s.unchanged, s.rejected], [6, 3, 0, 0, 3], "{b}");
        let bad: Vec<(String, String)> = gongjiang_tabular::RowReader::open(&dir.path().join("errors.csv"))
            .unwrap()
            .map(|r| r.unwrap().cells)
            .map(|c| (c[0].clone(), c[1].clone()))
            .collect();
        let bad: Vec<(&str, &str)> = bad.iter().map(|(l, c)| (l.as_str(), c.as_str())).collect();
        assert_eq!(bad, [("5", "就业人员数"), ("6", "高技能人才数"), ("7", "技能人才数")], "{b}");

        // City, 2025-12-31: the registry's 3 skilled and 1 high-skilled (kpis_computed_by_hand)
        // beside the official 12 and 4: coverage 3/12 and 1/4; the official high-skilled share
        // 4/12. The denominator is still the official 20 employed persons.
        let city = kpi::compute(&app, Grouping::City, date!(2025 - 12 - 31)).await.unwrap();
        let total = row(&city, "total");
        assert_eq!((total.official_skilled, total.official_high_skilled), (Some(12), Some(4)), "{b}");
        assert!(close(total.skilled_coverage, 0.25) && close(total.high_skilled_coverage, 0.25), "{b}: {total:?}");
        assert!(close(total.official_high_skilled_share, 4.0 / 12.0), "{b}");
        assert_eq!(total.employed_persons, Some(20), "{b}");
        // 滨海: 2 skilled of the official 5; no official high-skilled count. 和平: the official
        // employed figure 10 is now the denominator.
        let by = kpi::compute(&app, Grouping::District, date!(2025 - 12 - 31)).await.unwrap();
        let binhai = row(&by, "120116");
        assert_eq!((binhai.official_skilled, binhai.official_high_skilled), (Some(5), None), "{b}");
        assert!(close(binhai.skilled_coverage, 0.4) && binhai.high_skilled_coverage.is_none(), "{b}");
        assert_eq!(counts(row(&by, "120101")), (Some(10), 2, 1, 0, DenominatorSource::OfficialStatistics), "{b}");
        // The CSV form carries the columns before the note.
        let cells = kpi::csv_cells(total);
        let at = |h: &str| kpi::CSV_HEADERS.iter().position(|x| *x == h).unwrap();
        assert_eq!((cells[at("official_skilled")].as_str(), cells[at("skilled_coverage")].as_str()), ("12", "0.2500"));
        app.db.close().await;
    }
}
