//! KPI and supply latency on an existing registry: each figure served from the counts
//! maintained on every write beside the same aggregate computed by a full scan of the records,
//! in the same run, with a check that both give the same rows (docs/BENCHMARKS.md).
//!
//!   cargo run --release -p gongjiang-app --example kpi_bench -- sqlite://bench/out/gongjiang.db
//!
//! `SCAN_RUNS` (default 3) is how often each scan runs; the maintained paths run 20 times. The
//! median is printed.

use std::time::{Duration, Instant};

use gongjiang_app::supply::{self, GapGrouping, GapQuery};
use gongjiang_app::{App, kpi};
use gongjiang_domain::access::Scope;
use gongjiang_domain::kpi::Grouping;
use gongjiang_domain::supply::Period;
use gongjiang_store::demand;
use gongjiang_store::kpi::GroupCounts;
use gongjiang_store::kpi_counts::{self, HolderFilter};
use gongjiang_store::persons::{self, PersonFilter};
use gongjiang_store::{Db, kpi as store_kpi};
use time::Date;
use time::macros::date;

async fn time<F, Fut, T>(runs: usize, mut f: F) -> (Duration, T)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        last = Some(f().await);
        times.push(t.elapsed());
    }
    times.sort();
    (times[times.len() / 2], last.expect("at least one run"))
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn line(what: &str, served: Duration, scanned: Duration) {
    let ratio = scanned.as_secs_f64() / served.as_secs_f64().max(1e-9);
    println!("| {what} | {} | {} | {ratio:.0}× |", ms(served), ms(scanned));
}

fn sorted(mut rows: Vec<GroupCounts>) -> Vec<GroupCounts> {
    rows.sort_by(|a, b| (&a.grp, &a.employment_status).cmp(&(&b.grp, &b.employment_status)));
    rows
}

const RUNS: usize = 20;

/// One KPI aggregate: from the maintained counts (today's or the dated changes) and by scan.
async fn kpi_line(app: &App, scans: usize, by: Grouping, on: Date, what: &str) {
    let (s, h) = (app.policy.ladder.skilled_from().rank(), app.policy.ladder.high_skilled_from().rank());
    let db: &Db = &app.db;
    let (served_t, served) = if on == app.today() {
        let (d, r) = time(RUNS, || kpi_counts::today(db, by, on, s, h)).await;
        (d, r.expect("counts").expect("served from today's counts"))
    } else {
        let (d, r) = time(RUNS, || kpi_counts::on(db, by, on, s, h)).await;
        (d, r.expect("changes"))
    };
    let (scan_t, scanned) = time(scans, || store_kpi::counts(db, by, on, s, h)).await;
    assert_eq!(sorted(served), sorted(scanned.expect("scan")), "{what}: maintained and scan differ");
    line(what, served_t, scan_t);
}

#[tokio::main]
async fn main() {
    let url = std::env::args().nth(1).expect("usage: kpi_bench DB_URL");
    let app = App::open(&url, None).await.expect("open");
    let today = app.today();
    let scans: usize = std::env::var("SCAN_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(3);
    println!("persons: {}, today: {today}, scan runs: {scans}", persons::count(&app.db).await.unwrap());

    let t = Instant::now();
    kpi_counts::advance(&app.db, today).await.unwrap();
    println!("moving the clock to today (once a day): {}", ms(t.elapsed()));
    println!();
    println!("| what | maintained | full scan | scan ÷ maintained |");
    println!("|---|---:|---:|---:|");

    kpi_line(&app, scans, Grouping::City, today, "today, city").await;
    kpi_line(&app, scans, Grouping::District, today, "today, by district").await;
    kpi_line(&app, scans, Grouping::Chain, today, "today, by chain").await;
    let year_end = date!(2024 - 12 - 31);
    kpi_line(&app, scans, Grouping::District, year_end, "as of 2024-12-31 (a year-end), by district").await;
    let inside = date!(2024 - 06 - 17);
    kpi_line(&app, scans, Grouping::District, inside, "as of 2024-06-17 (inside a month), by district").await;
    kpi_line(&app, scans, Grouping::Chain, year_end, "as of 2024-12-31, by chain").await;

    // kpi::compute: counts + official statistics + targets, as the API answers.
    let (d, _) = time(RUNS, || kpi::compute(&app, Grouping::District, today)).await;
    println!("| kpi::compute today by district (counts + statistics + targets) | {} | | |", ms(d));
    let (d, _) = time(RUNS, || kpi::compute(&app, Grouping::District, year_end)).await;
    println!("| kpi::compute as of 2024-12-31 by district | {} | | |", ms(d));
    let (d, _) = time(3, || {
        gongjiang_app::kpi_series::series(
            &app,
            Grouping::District,
            today.year() - 5,
            today.year(),
            gongjiang_domain::forecast::Step::Quarter,
        )
    })
    .await;
    println!("| series by district, quarter-ends of the last six years | {} | | |", ms(d));

    // Supply: the holders a gap report reads, maintained and by scan, and the whole report.
    let demanded = HolderFilter { demanded_only: true, occupation: None };
    for (by, on, what) in [
        (GapGrouping::District, today, "supply holders today, by district"),
        (GapGrouping::Chain, today, "supply holders today, by chain"),
        (GapGrouping::District, year_end, "supply holders at 2024-12-31, by district"),
        (GapGrouping::District, inside, "supply holders on 2024-06-17, by district"),
    ] {
        let (served_t, served) = time(RUNS, || supply::holders(&app, by, on, None)).await;
        let (scan_t, scanned) = time(scans, || demand::holders_scan(&app.db, by, on, demanded)).await;
        assert_eq!(served.expect("served"), scanned.expect("scan"), "{what}: maintained and scan differ");
        line(what, served_t, scan_t);
    }
    let period = Period { year: today.year(), quarter: None };
    let q = GapQuery { by: GapGrouping::District, period, occupation: None, as_of: None };
    let (d, r) = time(RUNS, || supply::gap_report(&app, &q)).await;
    println!(
        "| supply-gap report, by district, {} ({} rows) | {} | | |",
        period.code(),
        r.expect("gap").rows.len(),
        ms(d)
    );
    let (d, r) = time(3, || supply::forecast(&app, &q, None, 50)).await;
    println!("| supply-gap forecast, by district ({} rows) | {} | | |", r.expect("forecast").rows.len(), ms(d));

    // The person listing filtered by a rare current level (8 = 首席技师), first page of 50.
    let f = PersonFilter { level: Some(8), ..Default::default() };
    let all = Scope::all();
    let (d, page) = time(5, || persons::list(&app.db, &all, &f, None, 50)).await;
    let n = page.unwrap().len();
    println!("| persons?level=8, first 50 ({n}): KPI state index | {} | | |", ms(d));
}
