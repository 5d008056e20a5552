//! Competition results (以赛代评) imported on every backend: the promotion each result gives
//! under the Tianjin table in force on its day (hand-derived below), the once-a-year limit,
//! results applied in award-date order whatever the file order, re-import idempotence, the
//! per-row report, and the KPI counts following each promotion on its day.

use std::path::Path;

use gongjiang_app::evaluation::institutions::{self, FileInstitution};
use gongjiang_app::import::{self, ImportOptions, ImportSummary, Kind, competition_results};
use gongjiang_app::{Actor, App};
use gongjiang_domain::access::Scope;
use gongjiang_domain::kpi::Grouping;
use gongjiang_store::{certificates, competitions, levels, persons};
use gongjiang_tabular::RowReader;
use gongjiang_testkit::TestDb;
use time::Date;
use time::macros::date;

const A: &str = "12010119900101101X"; // no level
const B: &str = "120102199505052022"; // 技师 since 2019
const C: &str = "120103199808083033"; // 高级技师 since 2018
const D: &str = "120110198512124042"; // no level; enterprise competitions

async fn run(app: &App, kind: Kind, path: &Path) -> ImportSummary {
    let opts = ImportOptions { batch_rows: 4, ..ImportOptions::default() };
    import::run(app, &Actor::cli("test"), kind, path, &opts, &|_| ()).await.unwrap()
}

fn counts(s: &ImportSummary) -> [u64; 5] {
    [s.read, s.inserted, s.updated, s.unchanged, s.rejected]
}

async fn city(app: &App, on: Date) -> (i64, i64) {
    let r = gongjiang_app::kpi::compute(app, Grouping::City, on).await.unwrap();
    let total = r.rows.last().unwrap();
    (total.skilled, total.high_skilled)
}

/// (level, obtained_on, source) of a person's history, oldest first.
async fn history(app: &App, id: &str) -> Vec<(i16, Date, String)> {
    let p = persons::by_id_number(&app.db, id).await.unwrap().unwrap();
    let h = levels::history(&app.db, &Scope::all(), p.id).await.unwrap();
    h.into_iter().map(|l| (l.level, l.obtained_on, l.source)).collect()
}

async fn registry(app: &App, dir: &Path) {
    let orgs = dir.join("orgs.csv");
    std::fs::write(
        &orgs,
        "统一社会信用代码,单位名称,单位类型,所在区\n91120116MA05K1A2XW,天津滨海精工机械有限公司,企业,滨海新区\n",
    )
    .unwrap();
    let people = dir.join("persons.csv");
    std::fs::write(
        &people,
        format!(
            "身份证号,姓名,所在区,单位统一社会信用代码,职业代码,就业状态\n\
             {A},张一,和平区,91120116MA05K1A2XW,6-18-01-01,在职\n\
             {B},李二,河东区,91120116MA05K1A2XW,6-18-01-01,在职\n\
             {C},王三,河西区,91120116MA05K1A2XW,6-18-01-01,在职\n\
             {D},赵四,东丽区,91120116MA05K1A2XW,6-18-01-01,在职\n"
        ),
    )
    .unwrap();
    let lv = dir.join("levels.csv");
    std::fs::write(
        &lv,
        format!(
            "身份证号,职业代码,技能等级,取得日期\n{B},6-18-01-01,技师,2019-06-01\n{C},6-18-01-01,高级技师,2018-01-01\n"
        ),
    )
    .unwrap();
    for (kind, path) in [(Kind::Orgs, &orgs), (Kind::Persons, &people), (Kind::Levels, &lv)] {
        assert_eq!(run(app, kind, path).await.rejected, 0, "{kind:?}");
    }
    // The institution that certifies 车工 from 中级工 to 高级技师: it issues the promotions'
    // certificates.
    file_institution(app, "000321", "6-18-01-01", date!(2020 - 01 - 01)).await;
}

/// Files an institution (site `site`) for `occupation` at 中级工 … 高级技师 from `from`.
async fn file_institution(app: &App, site: &'static str, occupation: &str, from: Date) -> i64 {
    let who = Actor::cli("test");
    let filing = FileInstitution {
        category: "S",
        body_code: "0000",
        province_code: "12",
        site_serial: site,
        name: "天津市竞赛认定中心",
        organisation_uscc: None,
    };
    let id = institutions::file(app, &who, &filing).await.unwrap();
    for level in ["中级工", "高级工", "技师", "高级技师"] {
        institutions::add_scope(app, &who, id, occupation, level, from, None).await.unwrap();
    }
    id
}

/// (number, level, issue date, basis) of a person's certificates, oldest first.
async fn certificates_of(app: &App, id: &str) -> Vec<(String, i16, Date, String)> {
    let p = persons::by_id_number(&app.db, id).await.unwrap().unwrap();
    let mut c: Vec<_> = certificates::for_person(&app.db, p.id)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.number, c.level, c.issue_date, c.basis.unwrap_or_default()))
        .collect();
    c.sort_by_key(|x| x.2);
    c
}

/// The results, in an order that is not the award-date order (A's 2024 result comes first).
fn results_file(dir: &Path) -> std::path::PathBuf {
    let f = dir.join("results.csv");
    std::fs::write(
        &f,
        format!(
            "竞赛名称,竞赛级别,成绩公布日期,职业代码,组别,名次,参赛人数,身份证号\n\
             2024年海河工匠杯数控车工竞赛,市级一类,2024-05-10,6-18-01-01,职工,3,40,{A}\n\
             2023年海河工匠杯数控车工竞赛,市级一类,2023-09-15,6-18-01-01,职工,5,40,{A}\n\
             2023年天津市职工职业技能大赛,city_1,2023-12-01,6-18-01-01,employee,2,30,{A}\n\
             2022年海河工匠杯数控车工竞赛,市级一类,2022-06-01,6-18-01-01,职工,10,,{B}\n\
             2024年海河工匠杯数控车工竞赛,市级一类,2024-03-01,6-18-01-01,职工,1,40,{C}\n\
             精工公司技能比武,企业/院校级,2024-10-20,6-18-01-01,职工,3,10,{D}\n\
             精工公司技能比武,企业级,2025-03-01,6-18-01-01,职工,2,10,{D}\n\
             某赛,省级,2025-03-01,6-18-01-01,职工,1,10,{D}\n\
             精工公司技能比武,企业级,2025-06-01,6-18-01-01,职工,1,,{D}\n\
             某赛,区级,2025-03-01,6-18-01-01,职工,0,10,{D}\n\
             某赛,区级,2025-03-01,6-18-01-01,职工,1,10,120116198503123011\n"
        ),
    )
    .unwrap();
    f
}

#[tokio::test(flavor = "multi_thread")]
async fn competition_results_promote_by_the_table_in_force_once_a_year() {
    for t in TestDb::all().await {
        let b = t.backend;
        let app = crate::support::open_on(&t, date!(2026 - 03 - 02)).await;
        let dir = tempfile::tempdir().unwrap();
        registry(&app, dir.path()).await;
        let days = [date!(2023 - 09 - 14), date!(2023 - 09 - 15), date!(2024 - 12 - 31), date!(2025 - 03 - 01)];
        let mut before = Vec::new();
        for d in days {
            before.push(city(&app, d).await);
        }

        let file = results_file(dir.path());
        let s = run(&app, Kind::CompetitionResults, &file).await;
        // 11 rows: 7 recorded, 4 refused (tier 省级, no entrants for a percentage row, place 0,
        // a person not registered).
        assert_eq!(counts(&s), [11, 7, 0, 0, 4], "{b}: {s:?}");
        let bad: Vec<(u64, &str)> = s.rejected_rows.iter().map(|r| (r.line, r.errors[0].column.as_str())).collect();
        assert_eq!(bad, [(9, "竞赛级别"), (10, "参赛人数"), (11, "名次"), (12, "身份证号")], "{b}");
        assert!(s.rejected_rows[1].errors[0].reason.zh.contains("须填写参赛人数"), "{b}");
        // Promoted: A on 2023-09-15 (技师) and 2024-05-10 (高级技师), B (高级技师), D on 2025-03-01.
        assert_eq!(s.promoted, Some(4), "{b}");
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["promoted"], 4, "{b}: --format json carries promoted");

        // A: 2021 table, place 5 of 市级一类 → 技师; a second qualifying result in 2023 is
        // recorded but refused; 2024 steps 技师 up to 高级技师 (applied in award-date order).
        let comp = "competition".to_string();
        assert_eq!(
            history(&app, A).await,
            [(5, date!(2023 - 09 - 15), comp.clone()), (6, date!(2024 - 05 - 10), comp.clone())],
            "{b}"
        );
        let a = persons::by_id_number(&app.db, A).await.unwrap().unwrap();
        let stored = competitions::of_person(&app.db, a.id).await.unwrap();
        let outcomes: Vec<(&str, Option<i16>, Option<i16>)> =
            stored.iter().map(|r| (r.outcome.as_str(), r.level_before, r.level_after)).collect();
        assert_eq!(
            outcomes,
            [("promoted", None, Some(5)), ("year_limit", Some(5), None), ("promoted", Some(5), Some(6))],
            "{b}"
        );
        assert!(stored[1].explanation_zh.contains("已于 2023-09-15 通过竞赛晋升技师，同一年内只能晋升一次"), "{b}");
        assert_eq!(stored[0].rule_id.as_deref(), Some("tj2021-city1-employee"), "{b}");
        // Each promotion came with a certificate of the filed institution, issued on the award
        // day, its level code in the number (技师 = 2, 高级技师 = 1), the competition as its
        // basis; the level row carries the number.
        let a_certs = certificates_of(&app, A).await;
        let summary: Vec<(i16, Date, char)> =
            a_certs.iter().map(|c| (c.1, c.2, c.0.chars().nth(15).unwrap())).collect();
        assert_eq!(summary, [(5, date!(2023 - 09 - 15), '2'), (6, date!(2024 - 05 - 10), '1')], "{b}");
        assert!(a_certs[0].0.starts_with("S000012000321232"), "{b}: {a_certs:?}");
        assert_eq!(
            a_certs[0].3,
            "竞赛 competition: 2023年海河工匠杯数控车工竞赛（市级一类 city_1，职工 employee，第5名（共40人） place 5 of 40）",
            "{b}"
        );
        let a_levels = levels::history(&app.db, &Scope::all(), a.id).await.unwrap();
        let numbers: Vec<Option<String>> = a_levels.iter().map(|l| l.certificate_no.clone()).collect();
        assert_eq!(numbers, [Some(a_certs[0].0.clone()), Some(a_certs[1].0.clone())], "{b}");
        assert_eq!(certificates_of(&app, C).await.len(), 0, "{b}: no promotion, no certificate");
        assert_eq!(certificates_of(&app, D).await.len(), 1, "{b}");

        // B: already 技师 → 高级技师. C: 高级技师 already, above what the rule gives.
        assert_eq!(history(&app, B).await.last().unwrap().0, 6, "{b}");
        assert_eq!(history(&app, C).await.len(), 1, "{b}: nothing added for C");
        let c = persons::by_id_number(&app.db, C).await.unwrap().unwrap();
        let cr = competitions::of_person(&app.db, c.id).await.unwrap();
        assert_eq!((cr[0].outcome.as_str(), cr[0].level_before), ("already_held", Some(6)), "{b}");
        // D: the enterprise top-30 % row promotes from 2024-10-25 only: nothing on 2024-10-20,
        // 中级工 on 2025-03-01.
        assert_eq!(history(&app, D).await, [(3, date!(2025 - 03 - 01), comp.clone())], "{b}");
        let d = persons::by_id_number(&app.db, D).await.unwrap().unwrap();
        let dr = competitions::of_person(&app.db, d.id).await.unwrap();
        assert_eq!(dr[0].outcome, "no_rule", "{b}");
        assert_eq!(dr[1].rule_id.as_deref(), Some("tj2024-enterprise-employee"), "{b}");

        // KPI counts follow each promotion on its day: A enters skilled and high-skilled on
        // 2023-09-15 (not the day before); D is skilled (中级工) from 2025-03-01.
        let mut after = Vec::new();
        for d in days {
            after.push(city(&app, d).await);
        }
        let delta: Vec<(i64, i64)> = before.iter().zip(&after).map(|(x, y)| (y.0 - x.0, y.1 - x.1)).collect();
        assert_eq!(delta, [(0, 0), (1, 1), (1, 1), (2, 1)], "{b}");
        let check = gongjiang_app::kpi::recount_check(&app, &days).await.unwrap();
        assert!(check.differences.is_empty() && check.stale_persons == 0, "{b}: {check:?}");

        // The same file again changes nothing: no second promotion.
        let levels_before = levels::count(&app.db).await.unwrap();
        let s2 = run(&app, Kind::CompetitionResults, &file).await;
        assert_eq!(counts(&s2), [11, 0, 0, 7, 4], "{b}: {s2:?}");
        assert_eq!(s2.promoted, Some(0), "{b}");
        assert_eq!(levels::count(&app.db).await.unwrap(), levels_before, "{b}");
        assert_eq!(competitions::count(&app.db).await.unwrap(), 7, "{b}");
        assert_eq!(certificates_of(&app, A).await, a_certs, "{b}: no second certificate");
        assert_eq!(after[3], city(&app, date!(2025 - 03 - 01)).await, "{b}");

        // The report: one line per row in file order — the rule and the levels before and after
        // for a recorded result, the reasons for a refused one.
        let report = dir.path().join("report.csv");
        competition_results::write_report(&report, &app.policy, &s2.decisions, &s2.rejected_rows).unwrap();
        let mut r = RowReader::open(&report).unwrap();
        assert_eq!(r.headers(), competition_results::REPORT_HEADERS);
        let rows: Vec<Vec<String>> = r.by_ref().map(|row| row.unwrap().cells).collect();
        assert_eq!(rows.len(), 11, "{b}");
        let lines: Vec<&str> = rows.iter().map(|c| c[0].as_str()).collect();
        assert_eq!(lines, ["2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"], "{b}");
        assert_eq!(rows[8][5], "拒绝 rejected", "{b}");
        assert!(rows[8][10].starts_with("参赛人数："), "{b}: {:?}", rows[8]);
        // Line 4 is A's second 2023 result.
        let line4 = rows.iter().find(|c| c[0] == "4").unwrap();
        assert_eq!(&line4[5..10], ["已记录 recorded already", "year_limit", "tj2021-city1-employee", "技师", ""]);
        assert_eq!(line4[1], "1201**********101X", "{b}: masked");

        // A recorded result with another place is refused with its reason.
        let changed = dir.path().join("changed.csv");
        std::fs::write(
            &changed,
            format!("竞赛名称,竞赛级别,成绩公布日期,职业代码,组别,名次,参赛人数,身份证号\n2023年海河工匠杯数控车工竞赛,市级一类,2023-09-15,6-18-01-01,职工,6,40,{A}\n"),
        )
        .unwrap();
        let s3 = run(&app, Kind::CompetitionResults, &changed).await;
        assert_eq!(counts(&s3), [1, 0, 0, 0, 1], "{b}");
        assert!(s3.rejected_rows[0].errors[0].reason.zh.contains("该成绩已记录"), "{b}");
    }
}

/// A promotion comes with its certificate: with no institution filed to certify the level the
/// row is refused (and nothing recorded); with two, the file must name one; a named institution
/// not filed for it is refused; the named one issues the certificate.
#[tokio::test(flavor = "multi_thread")]
async fn a_promotion_no_institution_can_certify_is_refused_until_one_is_filed_or_named() {
    for t in TestDb::all().await {
        let b = t.backend;
        let app = crate::support::open_on(&t, date!(2026 - 03 - 02)).await;
        let dir = tempfile::tempdir().unwrap();
        registry(&app, dir.path()).await;
        let lathe = gongjiang_store::institutions::list(&app.db).await.unwrap()[0].id;
        let header = "竞赛名称,竞赛级别,成绩公布日期,职业代码,组别,名次,参赛人数,身份证号,评价机构编号";
        let write = |name: &str, rows: &str| {
            let f = dir.path().join(name);
            std::fs::write(&f, format!("{header}\n{rows}")).unwrap();
            f
        };
        // 焊工 (6-18-02-04): no institution is filed for it.
        let weld = format!("2025年焊工竞赛,市级一类,2025-05-01,6-18-02-04,职工,1,30,{A},\n");
        let s = run(&app, Kind::CompetitionResults, &write("none.csv", &weld)).await;
        assert_eq!(counts(&s), [1, 0, 0, 0, 1], "{b}: {s:?}");
        let e = &s.rejected_rows[0].errors[0];
        assert_eq!(e.column, "评价机构编号", "{b}");
        assert!(e.reason.zh.contains("没有评价机构备案认定6-18-02-04 二级/技师（2025-05-01）"), "{b}: {}", e.reason.zh);
        assert!(history(&app, A).await.is_empty() && competitions::count(&app.db).await.unwrap() == 0, "{b}");

        // Two filed for it: the file must say which.
        let one = file_institution(&app, "000401", "6-18-02-04", date!(2020 - 01 - 01)).await;
        let two = file_institution(&app, "000402", "6-18-02-04", date!(2020 - 01 - 01)).await;
        let s = run(&app, Kind::CompetitionResults, &write("two.csv", &weld)).await;
        assert_eq!(counts(&s), [1, 0, 0, 0, 1], "{b}: {s:?}");
        let why = &s.rejected_rows[0].errors[0].reason;
        assert!(
            why.zh.contains(&format!("有 2 家评价机构备案认定6-18-02-04 二级/技师（2025-05-01）（编号 {one}、{two}）")),
            "{b}: {}",
            why.zh
        );

        // Naming one that is not filed for 焊工 is refused; naming the second issues its
        // certificate (site 000402, year 25, level code 2, its first serial).
        let named = format!(
            "2025年焊工竞赛,市级一类,2025-05-01,6-18-02-04,职工,1,30,{A},{lathe}\n2025年焊工竞赛,市级一类,2025-05-01,6-18-02-04,职工,2,30,{D},{two}\n"
        );
        let s = run(&app, Kind::CompetitionResults, &write("named.csv", &named)).await;
        assert_eq!(counts(&s), [2, 1, 0, 0, 1], "{b}: {s:?}");
        assert!(s.rejected_rows[0].errors[0].reason.zh.contains(&format!("评价机构 {lathe} 未备案认定")), "{b}");
        assert_eq!(s.promoted, Some(1), "{b}");
        let d = certificates_of(&app, D).await;
        assert_eq!(d.len(), 1, "{b}");
        assert_eq!((d[0].0.as_str(), d[0].1), ("S000012000402252000001", 5), "{b}");
    }
}
