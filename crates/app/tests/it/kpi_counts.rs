//! Today's KPI counts and the dated changes are maintained on every write: after any random
//! sequence of person, employment and level imports, updates, revocations, employer industry and
//! chain changes and days passing, the maintained counts equal a full recount, and the figures
//! served from them — today, and on random past and future days; the KPIs and the holders each
//! supply count reads — equal the scan of the level history, on every backend.

use gongjiang_app::App;
use gongjiang_app::kpi;
use gongjiang_domain::access::Scope;
use gongjiang_domain::kpi::Grouping;
use gongjiang_domain::level::Level;
use gongjiang_domain::records::{NewEmployment, NewLevel, NewOrganisation, NewPerson};
use gongjiang_domain::registry::{EmploymentStatus, IdType, LevelSource, OrgKind};
use gongjiang_store::demand::{self, GapGrouping};
use gongjiang_store::employment::{self, EmploymentWrite};
use gongjiang_store::levels::{self, LevelWrite};
use gongjiang_store::persons::{self, PersonWrite};
use gongjiang_store::{kpi as store_kpi, kpi_counts, organisations};
use gongjiang_testkit::TestDb;
use proptest::prelude::*;
use time::macros::date;
use time::{Date, Duration};

const START: Date = date!(2025 - 06 - 30);
const ORGS: [&str; 3] = ["91120116MA05K1A2XW", "91120104MA05K3B4YR", "91120101MA05K5C6ZT"];
const DISTRICTS: [&str; 3] = ["120101", "120116", "120104"];
const INDUSTRIES: [&str; 3] = ["C", "I", "F"];
const CHAINS: [&str; 3] = ["xinchuang", "high_end_equipment", "new_materials"];
const OCCUPATIONS: [&str; 3] = ["6-18-01-01", "4-04-05-01", "2-02-01-01"];
const STATUSES: [EmploymentStatus; 4] = [
    EmploymentStatus::Employed,
    EmploymentStatus::SelfEmployed,
    EmploymentStatus::Unemployed,
    EmploymentStatus::Retired,
];
const PEOPLE: usize = 6;

#[derive(Debug, Clone)]
struct PersonOp {
    who: usize,
    district: Option<usize>,
    employer: Option<usize>,
    occupation: Option<usize>,
    status: Option<usize>,
}

#[derive(Debug, Clone)]
struct LevelOp {
    who: usize,
    rank: u8,
    /// Days from today (negative = in the past).
    offset: i64,
    occupation: usize,
}

#[derive(Debug, Clone)]
enum Op {
    /// One persons import batch (a person may appear twice; the later row wins).
    Persons(Vec<PersonOp>),
    /// One levels import batch (the same level twice is recorded once).
    Levels(Vec<LevelOp>),
    /// Revokes the nth unrevoked level from today + offset days.
    Revoke {
        nth: usize,
        offset: i64,
    },
    Spell {
        who: usize,
        employer: usize,
        offset: i64,
    },
    /// An employer's industry changes.
    Industry {
        org: usize,
        industry: usize,
    },
    /// An employer's list of industrial chains is replaced (by none, one or several).
    Chains {
        org: usize,
        chains: Vec<usize>,
    },
    /// Days pass; the KPIs of the new day are read.
    Advance {
        days: i64,
    },
}

fn person_op() -> impl Strategy<Value = PersonOp> {
    (0..PEOPLE, proptest::option::of(0..3usize), proptest::option::of(0..3usize), proptest::option::of(0..3usize))
        .prop_flat_map(|(who, district, employer, occupation)| {
            proptest::option::of(0..STATUSES.len()).prop_map(move |status| PersonOp {
                who,
                district,
                employer,
                occupation,
                status,
            })
        })
}

fn level_op() -> impl Strategy<Value = LevelOp> {
    (0..PEOPLE, 1..=8u8, -900..400i64, 0..3usize).prop_map(|(who, rank, offset, occupation)| LevelOp {
        who,
        rank,
        offset,
        occupation,
    })
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => proptest::collection::vec(person_op(), 1..5).prop_map(Op::Persons),
        4 => proptest::collection::vec(level_op(), 1..5).prop_map(Op::Levels),
        2 => (0..20usize, -300..300i64).prop_map(|(nth, offset)| Op::Revoke { nth, offset }),
        1 => (0..PEOPLE, 0..3usize, -2000..0i64).prop_map(|(who, employer, offset)| Op::Spell { who, employer, offset }),
        1 => (0..3usize, 0..3usize).prop_map(|(org, industry)| Op::Industry { org, industry }),
        1 => (0..3usize, proptest::collection::vec(0..3usize, 0..3)).prop_map(|(org, chains)| Op::Chains { org, chains }),
        2 => (0..400i64).prop_map(|days| Op::Advance { days }),
    ]
}

/// Each case registers its own persons in a database shared by all cases, so the registry
/// grows from case to case and every case starts from the previous ones' records.
fn id_number(case: usize, who: usize) -> String {
    format!("C{case:04}P{who:03}")
}

/// Served from the counts == scanned from the level history, for every grouping, today and on
/// each of `days`; and the counts and changes equal a recount from the raw records.
async fn assert_consistent(app: &App, today: Date, days: &[Date], backend: &str) {
    let (s, h) = (app.policy.ladder.skilled_from().rank(), app.policy.ladder.high_skilled_from().rank());
    for by in Grouping::ALL {
        let mut served = kpi_counts::today(&app.db, by, today, s, h)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("{backend}: today's counts must be served from the maintained table"));
        let mut scanned = store_kpi::counts(&app.db, by, today, s, h).await.unwrap();
        served.sort_by(|a, b| (&a.grp, &a.employment_status).cmp(&(&b.grp, &b.employment_status)));
        scanned.sort_by(|a, b| (&a.grp, &a.employment_status).cmp(&(&b.grp, &b.employment_status)));
        assert_eq!(served, scanned, "{backend}: by {by:?} on {today}");
    }
    for &day in days {
        for by in Grouping::ALL {
            let mut served = kpi_counts::on(&app.db, by, day, s, h).await.unwrap();
            let mut scanned = store_kpi::counts(&app.db, by, day, s, h).await.unwrap();
            served.sort_by(|a, b| (&a.grp, &a.employment_status).cmp(&(&b.grp, &b.employment_status)));
            scanned.sort_by(|a, b| (&a.grp, &a.employment_status).cmp(&(&b.grp, &b.employment_status)));
            assert_eq!(served, scanned, "{backend}: by {by:?} on {day} (today {today})");
        }
    }
    let all = kpi_counts::HolderFilter { demanded_only: false, occupation: None };
    for by in [GapGrouping::City, GapGrouping::District, GapGrouping::Chain] {
        let served = kpi_counts::holders_today(&app.db, by, today, all).await.unwrap().expect("served from the counts");
        assert_eq!(served, demand::holders_scan(&app.db, by, today, all).await.unwrap(), "{backend}: holders {by:?}");
        for &day in days {
            let served = kpi_counts::holders_on(&app.db, by, day, all).await.unwrap();
            let scanned = demand::holders_scan(&app.db, by, day, all).await.unwrap();
            assert_eq!(served, scanned, "{backend}: holders {by:?} on {day} (today {today})");
        }
    }
    let check = kpi_counts::check_at(&app.db, days).await.unwrap();
    assert_eq!(check.as_of, today, "{backend}");
    assert!(check.differences.is_empty(), "{backend}: {:?}", check.differences);
    assert_eq!(check.stale_persons, 0, "{backend}: stale person states");
    // The use case answers from the counts too, with the same rows as a past-date scan gives
    // when nothing changes in between (checked above); here only that it answers.
    let report = kpi::compute(app, Grouping::District, today).await.unwrap();
    assert!(!report.rows.is_empty());
}

/// `offsets`: days from the final today on which the history is checked.
async fn run(ops: &[Op], offsets: &[i64], app: &App, backend: &str, case: usize) {
    let mut app = app.clone();
    let id_number = |who: usize| id_number(case, who);
    let mut today = START;
    app.today_override = Some(today);
    // The clock starts at the real date (and the previous case moved it): bring it to the
    // case's first day, recomputing everything.
    kpi_counts::rebuild(&app.db, today).await.unwrap();
    let db = app.db.clone();
    // `None` keeps what is stored.
    let org = |i: usize, industry: Option<usize>, chains: Option<Vec<usize>>| NewOrganisation {
        uscc: ORGS[i].to_string(),
        name: format!("单位{i}"),
        kind: OrgKind::Enterprise,
        district_code: DISTRICTS[i].to_string(),
        industry: industry.map(|x| INDUSTRIES[x].to_string()),
        chains: chains.map(|c| {
            let mut ids: Vec<String> = c.iter().map(|&i| CHAINS[i].to_string()).collect();
            ids.sort();
            ids.dedup();
            ids
        }),
    };
    // Organisation 0 in two chains, 1 in one, 2 in none.
    let orgs = [org(0, Some(0), Some(vec![0, 1])), org(1, Some(1), Some(vec![2])), org(2, Some(2), Some(vec![]))];
    organisations::upsert_batch(&db, &orgs).await.unwrap();
    let orgs = organisations::all_ids(&db).await.unwrap();
    let mut known: Vec<usize> = Vec::new();
    for op in ops {
        match op {
            Op::Persons(batch) => {
                let people: Vec<NewPerson> = batch
                    .iter()
                    .map(|p| NewPerson {
                        id_type: IdType::Passport,
                        id_number: id_number(p.who),
                        id_from_15: false,
                        name: format!("人员{}", p.who),
                        gender: None,
                        birth_date: None,
                        district_code: p.district.map(|d| DISTRICTS[d].to_string()),
                        employer_uscc: p.employer.map(|e| ORGS[e].to_string()),
                        occupation_code: p.occupation.map(|o| OCCUPATIONS[o].to_string()),
                        education: None,
                        employment_status: p.status.map(|s| STATUSES[s]),
                        work_start: None,
                    })
                    .collect();
                let writes: Vec<PersonWrite<'_>> = people
                    .iter()
                    .map(|p| PersonWrite { person: p, employer_id: p.employer_uscc.as_ref().map(|u| orgs[u]) })
                    .collect();
                persons::upsert_batch(&db, &writes).await.unwrap();
                known.extend(batch.iter().map(|p| p.who));
            }
            Op::Levels(batch) => {
                let levels: Vec<NewLevel> = batch
                    .iter()
                    .filter(|l| known.contains(&l.who))
                    .map(|l| NewLevel {
                        id_number: id_number(l.who),
                        occupation_code: OCCUPATIONS[l.occupation].to_string(),
                        trade: String::new(),
                        level: Level::new(l.rank).unwrap(),
                        obtained_on: today + Duration::days(l.offset),
                        source: LevelSource::Exam,
                        certificate_no: None,
                        issuer_uscc: None,
                    })
                    .collect();
                let keys: Vec<&str> = levels.iter().map(|l| l.id_number.as_str()).collect();
                let ids = persons::ids_by_id_number(&db, &keys).await.unwrap();
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
                levels::record_batch(&db, &writes).await.unwrap();
            }
            Op::Revoke { nth, offset } => {
                let numbers: Vec<String> = (0..PEOPLE).map(id_number).collect();
                let keys: Vec<&str> = numbers.iter().map(String::as_str).collect();
                let ids = persons::ids_by_id_number(&db, &keys).await.unwrap();
                let mut open = Vec::new();
                for who in 0..PEOPLE {
                    if let Some(&pid) = ids.get(&id_number(who)) {
                        open.extend(
                            levels::history(&db, &Scope::all(), pid)
                                .await
                                .unwrap()
                                .into_iter()
                                .filter(|l| l.revoked_on.is_none()),
                        );
                    }
                }
                if !open.is_empty() {
                    let l = &open[nth % open.len()];
                    levels::revoke(&db, l.id, today + Duration::days(*offset), "test").await.unwrap();
                }
            }
            Op::Spell { who, employer, offset } => {
                if known.contains(who) {
                    let spell = NewEmployment {
                        id_number: id_number(*who),
                        employer_uscc: ORGS[*employer].to_string(),
                        start: today + Duration::days(*offset),
                        end: None,
                        occupation_code: None,
                    };
                    let pid =
                        persons::ids_by_id_number(&db, &[spell.id_number.as_str()]).await.unwrap()[&spell.id_number];
                    let w = EmploymentWrite { spell: &spell, person_id: pid, employer_id: orgs[&spell.employer_uscc] };
                    employment::upsert_batch(&db, &[w]).await.unwrap();
                }
            }
            Op::Industry { org: o, industry } => {
                organisations::upsert_batch(&db, &[org(*o, Some(*industry), None)]).await.unwrap();
            }
            Op::Chains { org: o, chains } => {
                organisations::upsert_batch(&db, &[org(*o, None, Some(chains.clone()))]).await.unwrap();
            }
            Op::Advance { days } => {
                today += Duration::days(*days);
                app.today_override = Some(today);
                // A month-end and a day inside a month, both in the past.
                let days = [today - Duration::days(i64::from(today.day())), today - Duration::days(45)];
                assert_consistent(&app, today, &days, backend).await;
            }
        }
    }
    let days: Vec<Date> = offsets.iter().map(|o| today + Duration::days(*o)).collect();
    assert_consistent(&app, today, &days, backend).await;
    // A rebuild from the raw records leaves the same figures, today and on the days.
    let before = kpi_counts::today(&db, Grouping::District, today, 2, 4).await.unwrap();
    let before_on = kpi_counts::on(&db, Grouping::Chain, days[0], 2, 4).await.unwrap();
    kpi_counts::rebuild(&db, today).await.unwrap();
    assert_eq!(kpi_counts::today(&db, Grouping::District, today, 2, 4).await.unwrap(), before, "{backend}");
    assert_eq!(kpi_counts::on(&db, Grouping::Chain, days[0], 2, 4).await.unwrap(), before_on, "{backend}");
}

#[test]
fn incremental_counts_equal_a_recount_and_the_scan() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let dbs = rt.block_on(TestDb::all());
    let apps: Vec<(App, &str)> = rt.block_on(async { futures_apps(&dbs).await });
    let case = std::sync::atomic::AtomicUsize::new(0);
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig { cases: 32, ..ProptestConfig::default() });
    let days = proptest::collection::vec(-1500..400i64, 1..4);
    let result = runner.run(&(proptest::collection::vec(op(), 1..30), days), |(ops, offsets)| {
        let n = case.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        rt.block_on(async {
            for (app, backend) in &apps {
                run(&ops, &offsets, app, backend, n).await;
            }
        });
        Ok(())
    });
    for (app, _) in &apps {
        rt.block_on(app.db.close());
    }
    if let Err(e) = result {
        panic!("{e}");
    }
}

async fn futures_apps(dbs: &[TestDb]) -> Vec<(App, &'static str)> {
    let mut v = Vec::new();
    for t in dbs {
        v.push((crate::support::open(t).await, t.backend));
    }
    v
}

/// A level obtained in the future counts from its day on; one revoked from a future day stops
/// counting on that day — served from the counts, without any write in between.
#[tokio::test(flavor = "multi_thread")]
async fn future_dates_take_effect_when_the_day_arrives() {
    for t in TestDb::all().await {
        let mut app = crate::support::open(&t).await;
        app.today_override = Some(START);
        kpi_counts::rebuild(&app.db, START).await.unwrap();
        let db = app.db.clone();
        let p = |id: &str| NewPerson {
            id_type: IdType::Passport,
            id_number: id.to_string(),
            id_from_15: false,
            name: id.to_string(),
            gender: None,
            birth_date: None,
            district_code: Some("120116".into()),
            employer_uscc: None,
            occupation_code: None,
            education: None,
            employment_status: Some(EmploymentStatus::Employed),
            work_start: None,
        };
        let (a, b) = (p("A"), p("B"));
        persons::upsert_batch(
            &db,
            &[PersonWrite { person: &a, employer_id: None }, PersonWrite { person: &b, employer_id: None }],
        )
        .await
        .unwrap();
        let ids = persons::ids_by_id_number(&db, &["A", "B"]).await.unwrap();
        let lvl = |id: &str, rank: u8, on: Date| NewLevel {
            id_number: id.to_string(),
            occupation_code: "6-18-01-01".into(),
            trade: String::new(),
            level: Level::new(rank).unwrap(),
            obtained_on: on,
            source: LevelSource::Exam,
            certificate_no: None,
            issuer_uscc: None,
        };
        // A: 高级工 from 2025-09-01 (after today). B: 技师 since 2020, revoked from 2025-08-01.
        let (la, lb) = (lvl("A", 4, date!(2025 - 09 - 01)), lvl("B", 5, date!(2020 - 01 - 01)));
        let writes: Vec<LevelWrite<'_>> = [&la, &lb]
            .into_iter()
            .map(|l| LevelWrite {
                revoked: None,
                level: l,
                person_id: ids[&l.id_number],
                issuer_id: None,
                recorded_by: "t",
            })
            .collect();
        levels::record_batch(&db, &writes).await.unwrap();
        let b_row = levels::history(&db, &Scope::all(), ids["B"]).await.unwrap()[0].id;
        levels::revoke(&db, b_row, date!(2025 - 08 - 01), "t").await.unwrap();

        let skilled = |r: &kpi::KpiReport| r.rows.last().map(|r| (r.registry_employed, r.skilled, r.high_skilled));
        let r = kpi::compute(&app, Grouping::City, START).await.unwrap();
        assert_eq!(skilled(&r), Some((2, 1, 1)), "{}: on {START} only B's 技师 counts", t.backend);
        for (day, expected) in [
            (date!(2025 - 07 - 31), (2, 1, 1)),
            (date!(2025 - 08 - 01), (2, 0, 0)),
            (date!(2025 - 08 - 31), (2, 0, 0)),
            (date!(2025 - 09 - 01), (2, 1, 1)),
        ] {
            app.today_override = Some(day);
            let r = kpi::compute(&app, Grouping::City, day).await.unwrap();
            assert_eq!(skilled(&r), Some(expected), "{} on {day}", t.backend);
            assert_eq!(kpi_counts::clock(&db).await.unwrap(), day, "{}: served from the counts", t.backend);
        }
        // A past date is served from the dated changes; the clock stays.
        let r = kpi::compute(&app, Grouping::City, date!(2025 - 08 - 15)).await.unwrap();
        assert_eq!(skilled(&r), Some((2, 0, 0)));
        assert_eq!(kpi_counts::clock(&db).await.unwrap(), date!(2025 - 09 - 01));
        db.close().await;
    }
}

/// A count that drifts from the records is reported key by key, and a recount repairs it.
#[tokio::test(flavor = "multi_thread")]
async fn check_reports_a_drifted_count_and_recount_repairs_it() {
    for t in TestDb::all().await {
        let app = crate::support::open(&t).await;
        let today = app.today();
        let db = app.db.clone();
        let person = NewPerson {
            id_type: IdType::Passport,
            id_number: "D1".into(),
            id_from_15: false,
            name: "D1".into(),
            gender: None,
            birth_date: None,
            district_code: Some("120116".into()),
            employer_uscc: None,
            occupation_code: Some("6-18-01-01".into()),
            education: None,
            employment_status: Some(EmploymentStatus::Employed),
            work_start: None,
        };
        persons::upsert_batch(&db, &[PersonWrite { person: &person, employer_id: None }]).await.unwrap();
        let c = kpi::recount_check(&app, &[]).await.unwrap();
        assert!(c.differences.is_empty() && c.stale_persons == 0, "{}: {c:?}", t.backend);
        assert_eq!(c.days.len(), 2, "a year-end and a day inside a month by default");

        let raw = |sql: &'static str| {
            let (url, backend) = (t.url.clone(), t.backend);
            async move {
                if backend == "sqlite" {
                    let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url).await.unwrap();
                    sqlx::raw_sql(sql).execute(&mut conn).await.unwrap();
                } else {
                    let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&url).await.unwrap();
                    sqlx::raw_sql(sql).execute(&mut conn).await.unwrap();
                }
            }
        };
        raw("UPDATE kpi_counts SET persons = persons + 2 WHERE dimension = 'district' AND grp = '120116'").await;
        let c = kpi::recount_check(&app, &[]).await.unwrap();
        assert_eq!(c.differences.len(), 1, "{}: {c:?}", t.backend);
        let d = &c.differences[0];
        assert_eq!(
            (d.table, d.dimension.as_str(), d.grp.as_str(), d.top_level, d.employment_status.as_str()),
            ("kpi_counts", "district", "120116", 0, "employed"),
            "{}",
            t.backend
        );
        assert_eq!((d.stored, d.recounted), (3, 1), "{}", t.backend);

        // A dated change that drifts shows as itself and in the history of a day after it.
        let drift = "UPDATE kpi_count_changes SET persons = persons + 5 WHERE dimension = 'city' AND period = 0";
        raw(drift).await;
        let day = date!(2020 - 03 - 15);
        let c = kpi::recount_check(&app, &[day]).await.unwrap();
        type Seen<'a> = (&'a str, Option<i32>, Option<Date>, i64, i64);
        let tables: Vec<Seen<'_>> =
            c.differences.iter().map(|d| (d.table, d.period, d.on, d.stored, d.recounted)).collect();
        assert_eq!(
            tables,
            [
                ("kpi_counts", None, None, 3, 1),
                ("kpi_count_changes", Some(0), None, 6, 1),
                ("history", None, Some(day), 6, 1)
            ],
            "{}",
            t.backend
        );
        let r = kpi::recount(&app).await.unwrap();
        assert_eq!((r.as_of, r.persons), (today, 1));
        let c = kpi::recount_check(&app, &[day]).await.unwrap();
        assert!(c.differences.is_empty(), "{}: {c:?}", t.backend);
        db.close().await;
    }
}
