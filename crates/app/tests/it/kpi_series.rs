//! Year-end KPI series and the projection to each target, on a registry built by hand with
//! levels dated across 2021–2025 — every expected value worked out by hand in the comments, on
//! every backend.

use std::sync::Arc;

use gongjiang_app::App;
use gongjiang_app::kpi_series::{self, GroupProjection, GroupSeries, KpiProjection, Outlook, SeriesReport};
use gongjiang_domain::forecast::{self, Method, Period, Step};
use gongjiang_domain::kpi::{DenominatorSource, Grouping};
use gongjiang_domain::policy::{Comparison, KpiKind, KpiTarget};
use gongjiang_domain::records::{NewLevel, NewPerson, NewStatistic};
use gongjiang_domain::registry::{EmploymentStatus, IdType};
use gongjiang_store::persons::{self, PersonWrite};
use gongjiang_store::statistics;
use gongjiang_testkit::TestDb;
use time::Date;
use time::macros::date;

/// 20 employed persons K00…K19; even numbers in 滨海新区 (120116), odd in 和平区 (120101).
const PERSONS: usize = 20;

/// (person, rank, obtained_on): K00…K04 become skilled (初级工, rank 2) one a year from 2021;
/// K00 becomes high-skilled (高级工, rank 4) in 2023; K05 becomes skilled after mid-2025.
const LEVELS: &[(usize, u8, Date)] = &[
    (0, 2, date!(2021 - 03 - 01)),
    (1, 2, date!(2022 - 03 - 01)),
    (2, 2, date!(2023 - 03 - 01)),
    (3, 2, date!(2024 - 03 - 01)),
    (4, 2, date!(2025 - 03 - 01)),
    (0, 4, date!(2023 - 05 - 01)),
    (5, 2, date!(2025 - 09 - 01)),
];

fn id(k: usize) -> String {
    format!("K00001{k:02}")
}

async fn build(app: &App) {
    let db = &app.db;
    let people: Vec<NewPerson> = (0..PERSONS)
        .map(|k| NewPerson {
            id_type: IdType::Passport,
            id_number: id(k),
            id_from_15: false,
            name: format!("人员{k:02}"),
            gender: None,
            birth_date: Some(date!(1990 - 01 - 01)),
            district_code: Some(if k.is_multiple_of(2) { "120116" } else { "120101" }.to_string()),
            employer_uscc: None,
            occupation_code: Some("6-18-01-01".to_string()),
            education: None,
            employment_status: Some(EmploymentStatus::Employed),
            work_start: None,
        })
        .collect();
    let writes: Vec<PersonWrite<'_>> = people.iter().map(|p| PersonWrite { person: p, employer_id: None }).collect();
    persons::upsert_batch(db, &writes).await.unwrap();
    let numbers: Vec<String> = (0..PERSONS).map(id).collect();
    let ids = persons::ids_by_id_number(db, &numbers.iter().map(String::as_str).collect::<Vec<_>>()).await.unwrap();
    let new_levels: Vec<NewLevel> =
        LEVELS.iter().map(|&(k, rank, on)| crate::support::exam_level(&id(k), "6-18-01-01", rank, on)).collect();
    crate::support::record_levels(db, &ids, &new_levels).await;
    // One official figure: 滨海新区 in 2023, 40 employed persons.
    let stat = NewStatistic {
        year: 2023,
        district_code: "120116".into(),
        industry: String::new(),
        chain: String::new(),
        employed_persons: 40,
    };
    statistics::upsert_batch(db, &[stat]).await.unwrap();
}

fn group<'a>(s: &'a SeriesReport, g: &str) -> &'a GroupSeries {
    s.groups.iter().find(|x| x.group == g).unwrap_or_else(|| panic!("no group {g}"))
}

fn kpi_of<'a>(groups: &'a [GroupProjection], g: &str, kpi: KpiKind) -> &'a KpiProjection {
    let g = groups.iter().find(|x| x.group == g).unwrap_or_else(|| panic!("no group {g}"));
    g.kpis.iter().find(|k| k.kpi == kpi).unwrap_or_else(|| panic!("no {kpi:?} in {}", g.group))
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

#[tokio::test(flavor = "multi_thread")]
async fn year_end_series_and_projection_by_hand() {
    for t in TestDb::all().await {
        let b = t.backend;
        let mut app = crate::support::open(&t).await;
        app.today_override = Some(date!(2025 - 06 - 30));
        build(&app).await;

        // City, registry denominator 20 every year. Skilled at each year-end: 2021 K00 → 0.05,
        // 2022 +K01 → 0.10, 2023 +K02 → 0.15, 2024 +K03 → 0.20; 2025 as of today (06-30)
        // +K04 → 0.25 (K05's level of 2025-09-01 not yet). High-skilled ÷ skilled: 0/1, 0/2,
        // 1/3 (K00 高级工 2023), 1/4, 1/5.
        let s = kpi_series::series(&app, Grouping::City, 2021, 2025, Step::Year).await.unwrap();
        assert_eq!(s.groups.len(), 1, "{b}");
        let total = group(&s, "total");
        let years: Vec<(i32, Date, bool)> = total.values.iter().map(|v| (v.year, v.as_of, v.complete)).collect();
        assert_eq!(
            years,
            [
                (2021, date!(2021 - 12 - 31), true),
                (2022, date!(2022 - 12 - 31), true),
                (2023, date!(2023 - 12 - 31), true),
                (2024, date!(2024 - 12 - 31), true),
                (2025, date!(2025 - 06 - 30), false),
            ],
            "{b}"
        );
        let skilled: Vec<(i64, Option<i64>, i64)> =
            total.values.iter().map(|v| (v.skilled, v.employed_persons, v.high_skilled)).collect();
        assert_eq!(skilled, [(1, Some(20), 0), (2, Some(20), 0), (3, Some(20), 1), (4, Some(20), 1), (5, Some(20), 1)]);
        for (v, (share, high)) in
            total.values.iter().zip([(0.05, 0.0), (0.10, 0.0), (0.15, 1.0 / 3.0), (0.20, 0.25), (0.25, 0.2)])
        {
            assert!(close(v.skilled_share, share) && close(v.high_skilled_share, high), "{b}: {v:?}");
            assert_eq!(v.denominator_source, DenominatorSource::Registry, "{b}");
            // Against the 2025 target (> 0.40): gap = 0.40 − share.
            assert!(close(v.gap_skilled_share, 0.40 - share), "{b}: {v:?}");
        }

        // By district. 滨海 (K00 K02 K04 …, 10 persons): 2021 K00 → 1/10, 2022 1/10, 2023 K02 →
        // 2 over the official 40 → 0.05 (official), 2024 2/10. 和平 (K01 K03 …): 0, 1/10, 1/10, 2/10.
        let s = kpi_series::series(&app, Grouping::District, 2021, 2024, Step::Year).await.unwrap();
        assert_eq!(s.groups.last().map(|g| g.group.as_str()), Some("total"), "{b}");
        assert_eq!(s.groups.len(), app.policy.districts.len() + 1, "{b}");
        let binhai = group(&s, "120116");
        let got: Vec<(i64, Option<i64>, DenominatorSource)> =
            binhai.values.iter().map(|v| (v.skilled, v.employed_persons, v.denominator_source)).collect();
        use DenominatorSource::{OfficialStatistics as Off, Registry as Reg};
        assert_eq!(got, [(1, Some(10), Reg), (1, Some(10), Reg), (2, Some(40), Off), (2, Some(10), Reg)], "{b}");
        assert!(close(binhai.values[2].skilled_share, 0.05), "{b}");
        let heping: Vec<i64> = group(&s, "120101").values.iter().map(|v| v.skilled).collect();
        assert_eq!(heping, [0, 1, 1, 2], "{b}");
        assert_eq!(group(&s, "120101").name_zh.as_deref(), Some("和平区"));

        // Projection of the city: fitted on the complete year-ends 2021–2024 (0.05 … 0.20, a
        // straight line rising 0.05 a year); today's part-year figure is shown, not fitted.
        // Target > 0.40 due 2025-12-31: 2025 → 0.25 (gap 0.15); 0.20 + 0.05·h > 0.40 needs
        // h > 4 (h = 4 gives exactly 0.40, not above it) → reached in 2029, after the due date.
        let p = kpi_series::projection(&app, Grouping::City, 2021, Step::Year).await.unwrap();
        let k = kpi_of(&p.groups, "total", KpiKind::SkilledShare);
        assert_eq!(k.values.len(), 5, "{b}");
        let fit = k.fit.as_ref().expect("a fit");
        assert_eq!((fit.method, fit.first_year, fit.last_year), (Method::Holt, 2021, 2024), "{b}");
        assert!(close(Some(fit.trend), 0.05) && close(fit.rmse, 0.0), "{b}: {fit:?}");
        assert_eq!(k.projected.first().map(|x| x.year), Some(2025));
        assert_eq!(k.projected.last().map(|x| x.year), Some(2024 + 15));
        assert!(close(k.projected.iter().find(|x| x.year == 2029).map(|x| x.value), 0.45), "{b}");
        assert!(!k.mixed_denominators);
        let t = &k.targets[0];
        assert_eq!((t.id.as_str(), t.due, t.comparison), ("tj-14fyp-skilled-share", date!(2025 - 12 - 31), ">"));
        assert!(close(t.value_at_due, 0.25) && close(t.gap_at_due, 0.15), "{b}: {t:?}");
        assert_eq!((t.observed_at_due, t.met_at_due), (false, Some(false)), "{b}");
        assert_eq!(t.reached.map(|r| (r.year, r.observed)), Some((2029, false)), "{b}");
        assert_eq!(t.outlook, Outlook::Late, "{b}");
        // The quarter, on the yearly line 0.20 + 0.05·t: t = 4.25 (end of 2029-Q1) → 0.4125 > 0.40.
        let r = t.reached.unwrap();
        assert_eq!((r.quarter.label(), r.quarter_end), ("2029-Q1".to_string(), date!(2029 - 03 - 31)), "{b}");
        assert!(t.message.en.contains("not reached by the target date") && t.message.en.contains("reached in 2029-Q1"));
        assert!(t.message.zh.contains("2029 年第 1 季度达到"), "{}", t.message.zh);
        // The high-skilled share has its own target (> 0.35) and projection.
        let h = kpi_of(&p.groups, "total", KpiKind::HighSkilledShare);
        assert_eq!(h.targets[0].id, "tj-14fyp-high-skilled-share");
        assert!(h.fit.is_some(), "{b}");

        // A 2030 target the city adds, ≥ 0.50: 0.20 + 0.05·6 = 0.50 → reached in 2030, on time.
        let mut policy = (*app.policy).clone();
        policy.kpi_targets.push(KpiTarget {
            id: "test-2030-skilled-share".into(),
            kpi: KpiKind::SkilledShare,
            comparison: Comparison::GreaterOrEqual,
            value: 0.50,
            due: date!(2030 - 12 - 31),
            district: None,
            source: "test".into(),
            note: None,
        });
        let mut with_2030 = app.clone();
        with_2030.policy = Arc::new(policy);
        let p = kpi_series::projection(&with_2030, Grouping::City, 2021, Step::Year).await.unwrap();
        let k = kpi_of(&p.groups, "total", KpiKind::SkilledShare);
        let ids: Vec<&str> = k.targets.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["tj-14fyp-skilled-share", "test-2030-skilled-share"], "by due date");
        let t = &k.targets[1];
        assert_eq!((t.reached.map(|r| r.year), t.outlook), (Some(2030), Outlook::OnTrack), "{b}: {t:?}");
        // ≥ 0.50 on the line first at t = 6 itself (5.75 → 0.4875): the fourth quarter.
        assert!(t.message.en.contains("reached in 2030-Q4") && t.met_at_due == Some(true), "{b}: {t:?}");
        assert!(close(t.value_at_due, 0.50) && close(t.gap_at_due, 0.0), "{b}");
        // A target already met: ≥ 0.20 at the end of 2024.
        let mut policy = (*app.policy).clone();
        policy.kpi_targets.iter_mut().for_each(|t| {
            if t.kpi == KpiKind::SkilledShare {
                (t.value, t.comparison) = (0.20, Comparison::GreaterOrEqual);
            }
        });
        let mut low = app.clone();
        low.policy = Arc::new(policy);
        let p = kpi_series::projection(&low, Grouping::City, 2021, Step::Year).await.unwrap();
        let t = &kpi_of(&p.groups, "total", KpiKind::SkilledShare).targets[0];
        assert_eq!((t.outlook, t.reached.map(|r| (r.year, r.observed))), (Outlook::Met, Some((2024, true))), "{b}");
        assert_eq!(t.reached.map(|r| r.quarter.label()), Some("2024-Q4".into()), "{b}: the last year-end's quarter");

        // By district: 滨海's fitted values mix an official denominator (2023) with the registry.
        let p = kpi_series::projection(&app, Grouping::District, 2021, Step::Year).await.unwrap();
        assert!(kpi_of(&p.groups, "120116", KpiKind::SkilledShare).mixed_denominators, "{b}");
        assert!(!kpi_of(&p.groups, "120101", KpiKind::SkilledShare).mixed_denominators, "{b}");
        // By level: a level's shares are 0 or 1 by construction, so only the city is projected.
        let p = kpi_series::projection(&app, Grouping::Level, 2021, Step::Year).await.unwrap();
        assert!(p.groups.iter().all(|g| g.kpis.is_empty() == (g.group != "total")), "{b}");

        // On 31 December the current year is complete and fitted: 2025 → K00…K05 = 6/20 = 0.30.
        let mut year_end = app.clone();
        year_end.today_override = Some(date!(2025 - 12 - 31));
        let s = kpi_series::series(&year_end, Grouping::City, 2024, 2025, Step::Year).await.unwrap();
        let last = group(&s, "total").values.last().cloned().unwrap();
        assert_eq!((last.as_of, last.complete, last.skilled), (date!(2025 - 12 - 31), true, 6), "{b}");
        assert!(close(last.skilled_share, 0.30));
        let p = kpi_series::projection(&year_end, Grouping::City, 2021, Step::Year).await.unwrap();
        let k = kpi_of(&p.groups, "total", KpiKind::SkilledShare);
        assert_eq!(k.fit.as_ref().map(|f| f.last_year), Some(2025), "{b}");
        let t = &k.targets[0];
        assert_eq!((t.observed_at_due, t.met_at_due), (true, Some(false)), "{b}: 0.30 is observed at the due date");
        assert!(close(t.gap_at_due, 0.10), "{b}");

        // Ranges: not past the current year, not backwards, not too long.
        for (from, to) in [(2024, 2026), (2025, 2024), (1900, 2025), (1990, 2025)] {
            assert!(kpi_series::series(&app, Grouping::City, from, to, Step::Year).await.is_err(), "{from}–{to}");
        }
        app.db.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn quarter_end_series_and_projection_by_hand() {
    for t in TestDb::all().await {
        let b = t.backend;
        let mut app = crate::support::open(&t).await;
        // Mid-September: 2025-Q3 is under way (as of today, not fitted), 2025-Q4 has not begun.
        app.today_override = Some(date!(2025 - 09 - 15));
        build(&app).await;

        // City, registry denominator 20. Skilled at each quarter-end from 2023: K00 K01 K02 (the
        // last on 2023-03-01) → 3 through 2023; K03 (2024-03-01) → 4 from 2024-Q1; K04
        // (2025-03-01) → 5 from 2025-Q1; K05 (2025-09-01) → 6 in 2025-Q3 as of today.
        // High-skilled: K00's 高级工 of 2023-05-01 counts from 2023-Q2, not at 2023-03-31.
        let s = kpi_series::series(&app, Grouping::City, 2023, 2025, Step::Quarter).await.unwrap();
        assert_eq!(s.step, Step::Quarter);
        let total = group(&s, "total");
        let got: Vec<(String, Date, bool, i64, i64)> =
            total.values.iter().map(|v| (v.period.label(), v.as_of, v.complete, v.skilled, v.high_skilled)).collect();
        let want = [
            ("2023-Q1", date!(2023 - 03 - 31), true, 3, 0),
            ("2023-Q2", date!(2023 - 06 - 30), true, 3, 1),
            ("2023-Q3", date!(2023 - 09 - 30), true, 3, 1),
            ("2023-Q4", date!(2023 - 12 - 31), true, 3, 1),
            ("2024-Q1", date!(2024 - 03 - 31), true, 4, 1),
            ("2024-Q2", date!(2024 - 06 - 30), true, 4, 1),
            ("2024-Q3", date!(2024 - 09 - 30), true, 4, 1),
            ("2024-Q4", date!(2024 - 12 - 31), true, 4, 1),
            ("2025-Q1", date!(2025 - 03 - 31), true, 5, 1),
            ("2025-Q2", date!(2025 - 06 - 30), true, 5, 1),
            ("2025-Q3", date!(2025 - 09 - 15), false, 6, 1),
        ];
        let want: Vec<(String, Date, bool, i64, i64)> =
            want.iter().map(|&(p, d, c, s, h)| (p.to_string(), d, c, s, h)).collect();
        assert_eq!(got, want, "{b}");
        assert_eq!((total.values[1].year, total.values[1].quarter), (2023, Some(2)));
        assert!(close(total.values[8].skilled_share, 0.25) && close(total.values[1].high_skilled_share, 1.0 / 3.0));

        // The projection fits the ten complete quarter-ends 2023-Q1 … 2025-Q2 (today's part
        // quarter is shown, not fitted) and projects in quarters.
        let p = kpi_series::projection(&app, Grouping::City, 2023, Step::Quarter).await.unwrap();
        assert_eq!(p.step, Step::Quarter);
        let k = kpi_of(&p.groups, "total", KpiKind::SkilledShare);
        assert_eq!(k.values.len(), 11, "{b}");
        let fit = k.fit.as_ref().expect("a fit");
        assert_eq!(
            (fit.step, fit.method, fit.first.label(), fit.last.label()),
            (Step::Quarter, Method::Holt, "2023-Q1".into(), "2025-Q2".into()),
            "{b}"
        );
        assert_eq!(k.projected.first().map(|x| x.period.label()), Some("2025-Q3".into()), "{b}");
        assert_eq!(k.projected.len(), 60, "{b}: fifteen years of quarters");
        // By hand from the fit: the target > 0.40 due 2025-12-31 (2025-Q4, two quarters on) is
        // met at the first h with level + h·trend > 0.40.
        assert!(fit.trend > 0.0, "{b}: {fit:?}");
        let t = &k.targets[0];
        assert!(close(t.value_at_due, fit.level + 2.0 * fit.trend), "{b}: {t:?}");
        assert!(!t.observed_at_due);
        let h =
            (1..=60).find(|&h| forecast::meets(fit.level + h as f64 * fit.trend, 0.40, Comparison::Greater)).unwrap();
        let quarter = Period::of_quarter(2025, 2).plus(h);
        let r = t.reached.expect("reached within fifteen years");
        assert_eq!((r.quarter, r.period, r.year, r.observed), (quarter, quarter, quarter.year(), false), "{b}");
        assert!(t.message.en.contains(&format!("reached in {}", quarter.label())), "{b}: {}", t.message.en);
        assert!(t.message.zh.contains(&quarter.label_zh()), "{b}: {}", t.message.zh);

        // A target met already is reached in the last complete quarter: ≥ 0.25 at 2025-06-30.
        let mut policy = (*app.policy).clone();
        policy.kpi_targets.iter_mut().for_each(|t| {
            if t.kpi == KpiKind::SkilledShare {
                (t.value, t.comparison) = (0.25, Comparison::GreaterOrEqual);
            }
        });
        let mut low = app.clone();
        low.policy = Arc::new(policy);
        let p = kpi_series::projection(&low, Grouping::City, 2023, Step::Quarter).await.unwrap();
        let t = &kpi_of(&p.groups, "total", KpiKind::SkilledShare).targets[0];
        assert_eq!(t.outlook, Outlook::Met, "{b}: {t:?}");
        assert_eq!(t.reached.map(|r| (r.quarter.label(), r.observed)), Some(("2025-Q2".into(), true)), "{b}");

        // Quarterly ranges are shorter: ten years at most.
        assert!(kpi_series::series(&app, Grouping::City, 2016, 2025, Step::Quarter).await.is_ok());
        assert!(kpi_series::series(&app, Grouping::City, 2015, 2025, Step::Quarter).await.is_err());
        app.db.close().await;
    }
}

/// The outlook agrees with today's figure and speaks of a passed deadline in the past tense.
/// Today 2026-06-30; city skilled shares at year-ends 2021–2024: 0.05, 0.10, 0.15, 0.20; end of
/// 2025 K00–K05 → 6/20 = 0.30; 2026 to date still 0.30.
#[tokio::test(flavor = "multi_thread")]
async fn a_passed_deadline_is_past_and_a_target_met_today_is_met() {
    let t = TestDb::sqlite();
    let mut app = crate::support::open(&t).await;
    app.today_override = Some(date!(2026 - 06 - 30));
    build(&app).await;
    let target = |id: &str, comparison, value, due| KpiTarget {
        id: id.into(),
        kpi: KpiKind::SkilledShare,
        comparison,
        value,
        due,
        district: None,
        source: "test".into(),
        note: None,
    };
    let mut policy = (*app.policy).clone();
    policy.kpi_targets.retain(|t| t.kpi != KpiKind::SkilledShare);
    policy.kpi_targets.extend([
        // End of 2024: 0.20, missed; today 0.30 > 0.28.
        target("missed-then-met-now", Comparison::Greater, 0.28, date!(2024 - 12 - 31)),
        // End of 2025: 0.30, missed; today 0.30, still short of 0.40.
        target("missed-still-short", Comparison::Greater, 0.40, date!(2025 - 12 - 31)),
        // Due next year; today 0.30 ≥ 0.30 already.
        target("met-ahead-of-time", Comparison::GreaterOrEqual, 0.30, date!(2027 - 12 - 31)),
    ]);
    app.policy = Arc::new(policy);
    let p = kpi_series::projection(&app, Grouping::City, 2021, Step::Year).await.unwrap();
    let k = kpi_of(&p.groups, "total", KpiKind::SkilledShare);
    let by_id = |id: &str| k.targets.iter().find(|t| t.id == id).unwrap();

    let t = by_id("missed-then-met-now");
    assert_eq!((t.met_at_due, t.outlook), (Some(false), Outlook::Late), "{t:?}");
    assert_eq!(t.message.zh, "2024 年底目标未达到；目前已达到（截至 2026-06-30：0.3000）");
    assert_eq!(t.message.en, "the end-2024 target was not met; met now (2026-06-30: 0.3000)");

    let t = by_id("missed-still-short");
    assert_eq!(t.met_at_due, Some(false), "{t:?}");
    assert!(t.message.zh.starts_with("2025 年底目标未达到；"), "{}", t.message.zh);
    assert!(!t.message.zh.contains("不能达到") && !t.message.en.contains("not reached by"), "no future tense: {t:?}");
    match t.reached {
        Some(r) => {
            assert_eq!(t.outlook, Outlook::Late);
            assert!(
                t.message.zh.ends_with(&format!("按当前趋势预计 {}达到", r.quarter.label_zh())),
                "{}",
                t.message.zh
            );
        }
        None => assert_eq!(t.outlook, Outlook::NotReached),
    }

    let t = by_id("met-ahead-of-time");
    assert_eq!(t.outlook, Outlook::Met, "{t:?}");
    assert!(t.message.zh.starts_with("已达到（2025 年末 0.3000") && !t.message.zh.contains("不能"), "{}", t.message.zh);
}
