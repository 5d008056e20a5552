//! Competition judging at scale (issue 15): ENTRANTS (default 5,000) entrants of one event with
//! 20 aspects (10 judgement, 10 measurement) each marked by 3 judges — 300,000 scores — into a
//! fresh SQLite registry: marks accepted per second through the marking use case (checks,
//! hash-chained ledger, audit entry per batch), sign-off, ranking and standardisation, ledger
//! verification, and publishing with 以赛代评 (promotions applied per second).
//!
//!   cargo run --release -p gongjiang-app --example competition_bench -- [ENTRANTS] [DIR]

use std::path::PathBuf;
use std::time::Instant;

use gongjiang_app::competition::marking::{MarkInput, mark, sign_off, verify};
use gongjiang_app::competition::results::{publish, standings};
use gongjiang_app::competition::setup::{
    CompetitionInput, EventInput, JudgeInput, add_event, add_judge, create, import_entries, set_scheme_file,
};
use gongjiang_app::evaluation::institutions::{self, FileInstitution};
use gongjiang_app::import::{self, ImportOptions, Kind};
use gongjiang_app::{Actor, App};
use gongjiang_domain::marking::{rank, standardise};
use time::macros::date;

const ASPECTS: usize = 20;
const JUDGES: usize = 3;
/// Scores per call of the marking use case: one judge's sheet for 10 entrants × 20 aspects.
const BATCH: usize = 200;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(5_000);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "bench-data/competition".into()));
    std::fs::create_dir_all(&dir).expect("dir");
    let db = dir.join("competition.db");
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
    }
    let _ = std::fs::remove_file(dir.join("pii-keys.toml"));
    let mut app = App::open(&format!("sqlite://{}", db.display()), None).await.expect("open");
    app.today_override = Some(date!(2026 - 06 - 30));
    let who = Actor::cli("bench");

    // Persons: the demo city, then the first N of working age (18–49 on the first day).
    let csv = dir.join("csv");
    gongjiang_demo::write_csv(&app.policy, &app.catalogue, (n as u64) * 2, 7, date!(2026 - 06 - 30), &csv)
        .expect("demo");
    let opts = ImportOptions::default();
    for (kind, file) in [(Kind::Orgs, "orgs.csv"), (Kind::Persons, "persons.csv")] {
        import::run(&app, &who, kind, &csv.join(file), &opts, &|_| ()).await.expect("import");
    }
    let text = std::fs::read_to_string(csv.join("persons.csv")).expect("persons");
    let mut entries = String::from("id_number,group,bib\n");
    let mut taken = 0;
    for line in text.lines().skip(1) {
        let id = line.split(',').next().unwrap_or("");
        let year: i32 = id.get(6..10).and_then(|y| y.parse().ok()).unwrap_or(0);
        if id.len() == 18 && (1978..=2007).contains(&year) && taken < n {
            taken += 1;
            entries.push_str(&format!("{id},employee,{taken:05}\n"));
        }
    }
    std::fs::write(dir.join("entries.csv"), entries).expect("entries");

    create(
        &app,
        &who,
        &CompetitionInput {
            code: "BENCH",
            name: "企业技能竞赛（基准测试）",
            tier: "enterprise",
            organiser: "基准",
            organisation_id: None,
            starts_on: date!(2026 - 06 - 01),
        },
    )
    .await
    .expect("create");
    let ev = EventInput {
        code: "E1",
        name: "焊工",
        occupation: "6-18-02-04",
        level_min: "1",
        level_max: "8",
        team_size: 1,
        occupation_required: false,
    };
    add_event(&app, &who, "BENCH", &ev).await.expect("event");
    let mut scheme =
        String::from("code,kind,description,max_mark,descriptor_0,descriptor_1,descriptor_2,descriptor_3\n");
    for a in 0..ASPECTS {
        if a % 2 == 0 {
            scheme.push_str(&format!("A{a:02},judgement,aspect {a},5,0,1,2,3\n"));
        } else {
            scheme.push_str(&format!("A{a:02},measurement,aspect {a},5,,,,\n"));
        }
    }
    std::fs::write(dir.join("scheme.csv"), scheme).expect("scheme");
    set_scheme_file(&app, &who, "BENCH", "E1", &dir.join("scheme.csv")).await.expect("scheme");
    for j in 0..JUDGES {
        add_judge(
            &app,
            &who,
            "BENCH",
            "E1",
            &JudgeInput { code: &format!("J{j}"), name: &format!("judge {j}"), uscc: None, username: None },
        )
        .await
        .expect("judge");
    }
    let t = Instant::now();
    let s = import_entries(&app, &who, "BENCH", "E1", &dir.join("entries.csv"), None).await.expect("entries");
    println!("entries: {} accepted of {} in {:.2} s", s.accepted, s.read, t.elapsed().as_secs_f64());
    let n = s.accepted as usize;

    // Deterministic scores: judgement scores within one point of each other; measurements agree.
    let mut sheets: Vec<MarkInput> = Vec::with_capacity(n * ASPECTS * JUDGES);
    for j in 0..JUDGES {
        for e in 1..=n {
            for a in 0..ASPECTS {
                let base = ((e * 7 + a * 3) % 3) as i64;
                let score = if a % 2 == 0 { base + i64::from(j == 0 && base < 3) } else { ((e + a) % 2) as i64 };
                sheets.push(MarkInput {
                    judge: format!("J{j}"),
                    bib: format!("{e:05}"),
                    aspect: format!("A{a:02}"),
                    score,
                });
            }
        }
    }
    let t = Instant::now();
    let mut accepted = 0;
    for chunk in sheets.chunks(BATCH) {
        accepted += mark(&app, &who, "BENCH", "E1", chunk).await.expect("marks");
    }
    let secs = t.elapsed().as_secs_f64();
    println!("marks: {accepted} accepted in {secs:.2} s = {:.0} marks/s (batches of {BATCH})", accepted as f64 / secs);

    let t = Instant::now();
    let so = sign_off(&app, &who, "BENCH", "E1", None).await.expect("sign-off");
    println!(
        "sign-off: {} entrants in {:.2} s ({} blocked)",
        so.signed.len(),
        t.elapsed().as_secs_f64(),
        so.blocked.len()
    );

    let totals: Vec<(usize, u32, u32)> = so.signed.iter().enumerate().map(|(i, (_, tot))| (i, *tot, 0)).collect();
    let raw: Vec<u32> = totals.iter().map(|x| x.1).collect();
    let t = Instant::now();
    let placed = rank(&totals);
    let std = standardise(&raw);
    println!(
        "ranking + standardisation (domain, {} entrants): {:.2} ms ({} places, {} scores)",
        totals.len(),
        t.elapsed().as_secs_f64() * 1000.0,
        placed.len(),
        std.len()
    );
    let t = Instant::now();
    let st = standings(&app, "BENCH", "E1").await.expect("standings");
    println!(
        "standings (read entries, rank, standardise, awards): {:.2} ms for {} entrants",
        t.elapsed().as_secs_f64() * 1000.0,
        st.groups.iter().map(|g| g.rows.len()).sum::<usize>()
    );

    let t = Instant::now();
    let v = verify(&app, "BENCH", "E1").await.expect("verify");
    println!("ledger verify: {} rows in {:.2} s (broken: {:?})", v.checked, t.elapsed().as_secs_f64(), v.broken);

    // The institution that issues the promotions' certificates (one per promotion, in the
    // publishing transaction).
    let filing = FileInstitution {
        category: "S",
        body_code: "0000",
        province_code: "12",
        site_serial: "000999",
        name: "基准测试认定中心",
        organisation_uscc: None,
    };
    let inst = institutions::file(&app, &who, &filing).await.expect("institution");
    for level in ["中级工", "高级工"] {
        institutions::add_scope(&app, &who, inst, "6-18-02-04", level, date!(2020 - 01 - 01), None)
            .await
            .expect("scope");
    }

    let t = Instant::now();
    let p = publish(&app, &who, "BENCH", "E1", date!(2026 - 06 - 30)).await.expect("publish");
    let secs = t.elapsed().as_secs_f64();
    println!(
        "publish: {} results recorded, {} promoted with {} certificates in {secs:.2} s = {:.0} results/s, {:.0} promotions/s",
        p.results.len(),
        p.promoted,
        p.certificates.len(),
        p.results.len() as f64 / secs,
        p.promoted as f64 / secs
    );
}
