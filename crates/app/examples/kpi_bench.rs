//! KPI latency on an existing registry: today's figures from the maintained counts beside the
//! same aggregate computed by a full scan, one historical date, and the person listing's level
//! filter through the KPI state beside the old per-person subquery (docs/BENCHMARKS.md).
//!
//!   cargo run --release -p gongjiang-app --example kpi_bench -- sqlite://bench/out/gongjiang.db

use std::time::{Duration, Instant};

use gongjiang_app::{App, kpi};
use gongjiang_domain::access::Scope;
use gongjiang_domain::kpi::Grouping;
use gongjiang_store::persons::{self, PersonFilter};
use gongjiang_store::{kpi as store_kpi, kpi_counts};
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

#[tokio::main]
async fn main() {
    let url = std::env::args().nth(1).expect("usage: kpi_bench DB_URL");
    let app = App::open(&url, None).await.expect("open");
    let today = app.today();
    // Runs of each scan (slow at city scale); the counts are read 50 times.
    let scans: usize = std::env::var("SCAN_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(3);
    let (s, h) = (app.policy.ladder.skilled_from().rank(), app.policy.ladder.high_skilled_from().rank());
    println!("persons: {}, today: {today}", persons::count(&app.db).await.unwrap());

    let t = Instant::now();
    kpi_counts::advance(&app.db, today).await.unwrap();
    println!("{:<58} {:>12}", "moving the clock to today (once a day)", ms(t.elapsed()));

    for by in [Grouping::City, Grouping::District] {
        let (d, served) = time(50, || kpi_counts::today(&app.db, by, today, s, h)).await;
        let mut served = served.unwrap().expect("served from the counts");
        println!("{:<58} {:>12}", format!("today by {}: from the counts (store)", by.code()), ms(d));
        let (d, _) = time(50, || kpi::compute(&app, by, today)).await;
        println!("{:<58} {:>12}", format!("today by {}: kpi::compute (counts + statistics)", by.code()), ms(d));
        let (d, scanned) = time(scans, || store_kpi::counts(&app.db, by, today, s, h)).await;
        let mut scanned = scanned.unwrap();
        println!("{:<58} {:>12}", format!("today by {}: full scan (same aggregate)", by.code()), ms(d));
        served.sort_by(|a, b| (&a.grp, &a.employment_status).cmp(&(&b.grp, &b.employment_status)));
        scanned.sort_by(|a, b| (&a.grp, &a.employment_status).cmp(&(&b.grp, &b.employment_status)));
        assert_eq!(served, scanned, "counts and scan differ");
        println!("{:<58} {:>12}", format!("today by {}: counts == scan", by.code()), "yes");
    }
    let past = date!(2024 - 12 - 31);
    let (d, _) = time(scans, || kpi::compute(&app, Grouping::District, past)).await;
    println!("{:<58} {:>12}", format!("as of {past} by district: kpi::compute (scan)"), ms(d));

    // The person listing filtered by a rare current level (8 = 首席技师), first page of 50.
    let f = PersonFilter { level: Some(8), ..Default::default() };
    let all = Scope::all();
    let (d, page) = time(5, || persons::list(&app.db, &all, &f, None, 50)).await;
    let n = page.unwrap().len();
    println!("{:<58} {:>12}", format!("persons?level=8, first 50 ({n}): KPI state index"), ms(d));
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        let old = "SELECT p.id FROM persons p WHERE (SELECT MAX(s.level) FROM skill_levels s \
                   WHERE s.person_id = p.id AND s.revoked_on IS NULL) = 8 ORDER BY p.id LIMIT 50";
        let (d, _) = time(scans, || sqlx::query_scalar::<_, i64>(old).fetch_all(&pool)).await;
        println!("{:<58} {:>12}", "persons?level=8, first 50: old per-person subquery", ms(d));
    }
}
