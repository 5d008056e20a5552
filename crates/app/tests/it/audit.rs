//! The audit trail of registry writes: every kind of write leaves exactly its entries, in the
//! transaction that makes it (a write that fails leaves none; a write whose entry cannot be
//! written does not happen), and the chain verifies after a demo city and a whole workflow.
//! Both backends.

use std::path::Path;

use gongjiang_app::evaluation::certificates::{self as cert_cases, Appoint};
use gongjiang_app::evaluation::institutions::{self, FileInstitution};
use gongjiang_app::export::{self, HeaderLanguage};
use gongjiang_app::import::{self, ImportOptions, Kind};
use gongjiang_app::{Actor, AppError, demand};
use gongjiang_crypto::digest::RowsDigest;
use gongjiang_domain::access::Scope;
use gongjiang_domain::level::Level;
use gongjiang_domain::records::NewLevel;
use gongjiang_domain::registry::LevelSource;
use gongjiang_store::audit::{self, AuditFilter, Entry};
use gongjiang_store::levels::{self, LevelWrite};
use gongjiang_store::{Db, applications as app_store, institutions as institution_store, on_writer, persons};
use gongjiang_testkit::TestDb;
use serde_json::{Value, json};
use time::macros::date;

use crate::support::{OCCUPATION, app_on, import_city_as, workflow};

fn clerk() -> Actor {
    Actor { label: "user:clerk".into(), user_id: Some(7), client_addr: Some("10.0.0.7".into()) }
}

/// Every entry, oldest first.
async fn entries(db: &Db) -> Vec<Entry> {
    let mut v = audit::search(db, &AuditFilter::default(), None, 100_000).await.unwrap();
    v.reverse();
    v
}

fn after(e: &Entry) -> Value {
    serde_json::from_str(e.after_json.as_deref().unwrap_or("null")).unwrap()
}

fn before(e: &Entry) -> Value {
    serde_json::from_str(e.before_json.as_deref().unwrap_or("null")).unwrap()
}

fn actions(v: &[Entry]) -> Vec<&str> {
    v.iter().map(|e| e.action.as_str()).collect()
}

/// The rows of a CSV file as the importer reads them, in batches of `size`: the digest of each.
fn batch_digests(path: &Path, size: usize) -> Vec<String> {
    let mut reader = gongjiang_tabular::RowReader::open(path).unwrap();
    let mut out = Vec::new();
    let (mut d, mut n) = (RowsDigest::new(), 0);
    while let Some(row) = reader.next_row() {
        let row = row.unwrap();
        d.row(row.line, &row.cells);
        n += 1;
        if n == size {
            out.push(std::mem::take(&mut d).finish());
            n = 0;
        }
    }
    if n > 0 {
        out.push(d.finish());
    }
    out
}

async fn tamper(db: &Db, sql: &'static str) {
    on_writer!(db, pool => sqlx::query(sql).execute(pool).await.map(|_| ()).unwrap());
}

#[tokio::test(flavor = "multi_thread")]
async fn each_kind_of_write_leaves_exactly_its_entries() {
    for t in TestDb::all().await {
        let b = t.backend;
        let mut app = app_on(&t).await;
        let dir = tempfile::tempdir().unwrap();
        let ids = import_city_as(&app, &clerk(), dir.path(), 250, 100).await;

        // Imports: one entry per committed batch, with the file, the counts and the digest of
        // exactly the rows of that batch.
        let all = entries(&app.db).await;
        for (kind, file) in [("orgs", "orgs.csv"), ("persons", "persons.csv"), ("levels", "levels.csv")] {
            let mine: Vec<&Entry> = all.iter().filter(|e| e.action == "import.batch" && e.resource == kind).collect();
            let digests = batch_digests(&dir.path().join(file), 100);
            assert_eq!(mine.len(), digests.len(), "{b} {kind}: one entry per batch");
            for (i, (e, digest)) in mine.iter().zip(&digests).enumerate() {
                let a = after(e);
                assert_eq!((a["file"].as_str(), a["batch"].as_u64()), (Some(file), Some(i as u64 + 1)), "{b}");
                assert_eq!(a["rows_sha256"].as_str(), Some(digest.as_str()), "{b} {kind} batch {}", i + 1);
                assert_eq!((e.actor.as_str(), e.client_addr.as_deref()), ("user:clerk", Some("10.0.0.7")), "{b}");
                assert_eq!(e.record_id, mine[0].record_id, "{b}: the import run");
            }
            let read: u64 = mine.iter().map(|e| after(e)["read"].as_u64().unwrap()).sum();
            assert_eq!(read as usize, batch_digests(&dir.path().join(file), 1).len(), "{b}");
        }
        let persons_entries: Vec<Value> = all.iter().filter(|e| e.resource == "persons").map(after).collect::<Vec<_>>();
        assert_eq!(persons_entries.iter().map(|a| a["inserted"].as_u64().unwrap()).sum::<u64>(), 250, "{b}");
        for e in &all {
            let text = format!("{:?}{:?}", e.before_json, e.after_json);
            assert!(!ids.iter().any(|id| text.contains(id.as_str())), "{b}: no identity number in {text}");
        }

        // The evaluation workflow: each step its entry, in order.
        let start = all.len();
        let issued = workflow(&mut app, &clerk(), &ids[..4]).await;
        let all = entries(&app.db).await;
        let new = &all[start..];
        let session = new.iter().find(|e| e.action == "session.plan").unwrap().record_id.clone().unwrap();
        let stored = app_store::for_session(&app.db, session.parse().unwrap()).await.unwrap();
        let mut expected = vec!["institution.file", "institution.scope_add", "session.plan", "session.status"];
        for a in &stored {
            expected.push("application.submit");
            if a.override_by.is_some() {
                expected.push("application.override");
            }
        }
        expected.extend(["session.examiners", "session.examiners", "session.status"]);
        expected.extend(["application.scores"; 4]);
        expected.extend(["session.publish", "objection.lodge", "objection.resolve", "session.finalise"]);
        assert_eq!(actions(new), expected, "{b}");
        let statuses: Vec<(Value, Value)> =
            new.iter().filter(|e| e.action == "session.status").map(|e| (before(e), after(e))).collect();
        assert_eq!(
            statuses,
            [
                (json!({"status": "planned"}), json!({"status": "open"})),
                (json!({"status": "open"}), json!({"status": "examined"}))
            ],
            "{b}"
        );
        let finalise = after(new.last().unwrap());
        let numbers: Vec<&str> = issued.iter().map(|c| c.number.as_str()).collect();
        assert_eq!(finalise["certificates"], json!(numbers), "{b}");
        assert!(new.iter().all(|e| e.actor == "user:clerk"), "{b}");

        // Certificates: suspend, reinstate, revoke — one entry each, from and to.
        let start = all.len();
        let number = &issued[0].number;
        cert_cases::suspend(&app, &clerk(), number, "核查中", date!(2026 - 06 - 01)).await.unwrap();
        cert_cases::reinstate(&app, &clerk(), number, "核查完毕", date!(2026 - 06 - 10)).await.unwrap();
        cert_cases::revoke(&app, &clerk(), number, "考试作弊", date!(2026 - 06 - 20)).await.unwrap();
        let all = entries(&app.db).await;
        let changes: Vec<(&str, Value, Value)> =
            all[start..].iter().map(|e| (e.record_id.as_deref().unwrap(), before(e), after(e))).collect();
        assert_eq!(changes.len(), 3, "{b}");
        assert!(changes.iter().all(|(n, _, _)| n == number));
        let flow: Vec<(&str, &str)> =
            changes.iter().map(|(_, x, y)| (x["status"].as_str().unwrap(), y["status"].as_str().unwrap())).collect();
        assert_eq!(flow, [("valid", "suspended"), ("suspended", "valid"), ("valid", "revoked")], "{b}");
        assert_eq!(changes[2].2["level_revoked"], true, "{b}");

        // Levels graded, revoked and appointed; demand reported; an export.
        let start = all.len();
        let org = first_org(dir.path());
        cert_cases::grade_apprentice(&app, &clerk(), &ids[10], &org, OCCUPATION, date!(2026 - 01 - 10), "hr")
            .await
            .unwrap();
        let person = persons::by_id_number(&app.db, &ids[10]).await.unwrap().unwrap();
        let history = levels::history(&app.db, &Scope::all(), person.id).await.unwrap();
        let graded = history.iter().find(|l| l.source == "enterprise_evaluation").unwrap();
        cert_cases::revoke_level(&app, &clerk(), graded.id, date!(2026 - 02 - 01), "误录").await.unwrap();
        let e = cert_cases::revoke_level(&app, &clerk(), graded.id, date!(2026 - 02 - 02), "again").await;
        assert!(matches!(e, Err(AppError::Invalid(_))), "{b}: revoked already");
        // A fixture through the store's own transaction: no use case, no entry.
        let senior = persons::ids_by_id_number(&app.db, &[ids[11].as_str()]).await.unwrap()[&ids[11]];
        let held = NewLevel {
            id_number: ids[11].clone(),
            occupation_code: OCCUPATION.into(),
            trade: String::new(),
            level: Level::new(6).unwrap(),
            obtained_on: date!(2015 - 06 - 01),
            source: LevelSource::Exam,
            certificate_no: None,
            issuer_uscc: None,
        };
        let fixture =
            LevelWrite { revoked: None, level: &held, person_id: senior, issuer_id: None, recorded_by: "fixture" };
        levels::record_batch(&app.db, &[fixture]).await.unwrap();
        let appoint = Appoint {
            id_number: &ids[11],
            employer_uscc: &org,
            occupation: OCCUPATION,
            level: "特级技师",
            appointed_on: date!(2026 - 03 - 01),
            term_from: date!(2026 - 03 - 01),
            term_to: date!(2029 - 02 - 28),
            evidence: "津聘〔2026〕1号",
            by: "hr",
        };
        cert_cases::appoint(&app, &clerk(), &appoint).await.unwrap();
        let rows = json!([{"reporter_uscc": org, "occupation": OCCUPATION, "level": "高级工", "people": 3,
            "period": "2026", "district": "120116"}, {"reporter_uscc": org, "occupation": "bad"}]);
        let r = demand::submit(&app, &clerk(), &Scope::all(), rows.as_array().unwrap()).await.unwrap();
        assert_eq!((r.inserted, r.rejected.len()), (1, 1), "{b}");
        let out = dir.path().join("out.csv");
        let n = export::run(&app, &clerk(), Kind::Persons, &out, HeaderLanguage::English, &|_| ()).await.unwrap();
        let all = entries(&app.db).await;
        let new = &all[start..];
        assert_eq!(
            actions(new),
            ["level.record", "level.revoke", "appointment.record", "demand.submit", "export.file"],
            "{b}"
        );
        assert_eq!(new[1].record_id, Some(graded.id.to_string()), "{b}");
        assert_eq!((after(&new[3])["inserted"].as_u64(), after(&new[3])["rejected"].as_u64()), (Some(1), Some(1)));
        assert_eq!(after(&new[4])["rows"].as_u64(), Some(n), "{b}");

        let v = audit::verify(&app.db).await.unwrap();
        assert_eq!((v.broken, v.checked), (None, all.len() as i64), "{b}");
        app.db.close().await;
    }
}

fn first_org(dir: &Path) -> String {
    let mut reader = gongjiang_tabular::RowReader::open(&dir.join("orgs.csv")).unwrap();
    reader.next_row().unwrap().unwrap().cells[0].clone()
}

/// A write that fails leaves no entry; a write whose entry cannot be written (the chain's head
/// tampered so the next entry collides) is rolled back with it — nothing half-done.
#[tokio::test(flavor = "multi_thread")]
async fn a_failed_write_leaves_no_entry_and_a_failed_entry_undoes_its_write() {
    for t in TestDb::all().await {
        let b = t.backend;
        let app = app_on(&t).await;
        let dir = tempfile::tempdir().unwrap();
        let ids = import_city_as(&app, &clerk(), dir.path(), 30, 100).await;
        let filing = |site: &'static str| FileInstitution {
            category: "S",
            body_code: "0000",
            province_code: "12",
            site_serial: site,
            name: "天津市某职业技能等级认定中心",
            organisation_uscc: None,
        };
        institutions::file(&app, &clerk(), &filing("000321")).await.unwrap();
        let n = entries(&app.db).await.len();
        assert!(institutions::file(&app, &clerk(), &filing("000321")).await.is_err(), "{b}: filed already");
        assert_eq!(entries(&app.db).await.len(), n, "{b}: the refused write left no entry");

        // The head now says one entry fewer: the next entry collides with the last one.
        tamper(&app.db, "UPDATE audit_head SET seq = seq - 1 WHERE id = 1").await;
        let e = institutions::file(&app, &clerk(), &filing("000322")).await;
        assert!(e.is_err(), "{b}: the entry cannot be written");
        let filed = institution_store::list(&app.db).await.unwrap();
        assert!(!filed.iter().any(|i| i.site_serial == "000322"), "{b}: and neither is the institution");
        let persons_before = persons::count(&app.db).await.unwrap();
        std::fs::write(dir.path().join("more.csv"), "id_number,name\n11010519491231002X,新人\n").unwrap();
        let r = import::run(
            &app,
            &clerk(),
            Kind::Persons,
            &dir.path().join("more.csv"),
            &ImportOptions::default(),
            &|_| (),
        )
        .await;
        assert!(r.is_err(), "{b}");
        assert_eq!(persons::count(&app.db).await.unwrap(), persons_before, "{b}: the batch was rolled back");
        assert_eq!(entries(&app.db).await.len(), n, "{b}");

        tamper(&app.db, "UPDATE audit_head SET seq = seq + 1 WHERE id = 1").await;
        institutions::file(&app, &clerk(), &filing("000322")).await.unwrap();
        assert_eq!(entries(&app.db).await.len(), n + 1, "{b}");
        let v = audit::verify(&app.db).await.unwrap();
        assert_eq!(v.broken, None, "{b}");
        assert!(persons::by_id_number(&app.db, &ids[0]).await.unwrap().is_some());
        app.db.close().await;
    }
}

/// The demo city (with its evaluation sessions) and a whole workflow: every write has its
/// entry, the demo's as the system, and `audit verify` finds the chain intact.
#[tokio::test(flavor = "multi_thread")]
async fn audit_verify_stays_intact_after_a_demo_and_a_workflow() {
    for t in TestDb::all().await {
        let b = t.backend;
        let mut app = app_on(&t).await;
        let s = gongjiang_demo::load(&app, 400, 7, &|_| ()).await.unwrap();
        gongjiang_demo::evaluation::run(&app).await.unwrap();
        let all = entries(&app.db).await;
        let demo_batches = all.iter().filter(|e| e.action == "demo.batch").count();
        assert!(demo_batches >= 4, "{b}: organisations, persons, statistics, demand");
        assert!(all.iter().all(|e| e.actor == "system:demo"), "{b}");
        let persons_written: u64 = all
            .iter()
            .filter(|e| e.action == "demo.batch" && e.resource == "persons")
            .map(|e| after(e)["persons"]["inserted"].as_u64().unwrap())
            .sum();
        assert_eq!(persons_written, s.persons, "{b}");
        assert!(all.iter().any(|e| e.action == "session.finalise"), "{b}: the demo's sessions are audited");

        let ids: Vec<String> = persons::list(&app.db, &Scope::all(), &Default::default(), None, 3)
            .await
            .unwrap()
            .into_iter()
            .map(|p| p.id_number)
            .collect();
        workflow(&mut app, &clerk(), &ids).await;
        let v = audit::verify(&app.db).await.unwrap();
        assert_eq!(v.broken, None, "{b}");
        assert_eq!(v.checked, entries(&app.db).await.len() as i64, "{b}");
        app.db.close().await;
    }
}
