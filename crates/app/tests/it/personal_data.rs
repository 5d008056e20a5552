//! Personal data at rest: identity numbers imported from files, printed on certificates and
//! used by every lookup never reach the database files in plaintext; a database from before
//! encryption is sealed when the application opens it; `keys reencrypt` after a rotation.
//! Real files, real SQLite files read byte by byte, real PostgreSQL tables read as text.

mod legacy;
mod scan;

use std::collections::HashSet;
use std::sync::Arc;

use gongjiang_app::accounts;
use gongjiang_app::personal_data::{self, Request};
use gongjiang_app::pii_keys::{self, Keys};
use gongjiang_app::{Actor, App, AppError};
use gongjiang_crypto::pii_keys::KeyRing;
use gongjiang_domain::access::Scope;
use gongjiang_domain::id_number::check_char;
use gongjiang_store::audit::{self, AuditFilter};
use gongjiang_store::{Db, certificates, corrections, levels, persons};
use gongjiang_testkit::TestDb;

use crate::support::{app_on, import_city, workflow};
use scan::{Found, scan_database};

fn clerk() -> Actor {
    Actor { label: "user:clerk".into(), user_id: None, client_addr: Some("10.0.0.9".into()) }
}

/// The "done means": after imports and certificates, no identity number — nor its
/// region-and-birth part, its birth-and-sequence part, its 15-digit form or its masked form —
/// is anywhere in the SQLite files or in any PostgreSQL table, while the numbers still read
/// back and every lookup still finds its person.
#[tokio::test(flavor = "multi_thread")]
async fn imported_identity_numbers_never_reach_the_database_in_plaintext() {
    for t in TestDb::all().await {
        let b = t.backend;
        let mut app = app_on(&t).await;
        let dir = tempfile::tempdir().unwrap();
        let ids = import_city(&app, dir.path(), 300).await;
        assert_eq!(ids.len(), 300);
        let issued = workflow(&mut app, &Actor::cli("test"), &ids[..5]).await;

        // Everything still works through the keys: lookups, reads, certificates.
        let found =
            persons::ids_by_id_number(&app.db, &ids.iter().map(String::as_str).collect::<Vec<_>>()).await.unwrap();
        assert_eq!(found.len(), ids.len(), "{b}");
        let p = persons::by_id_number(&app.db, &ids[42]).await.unwrap().unwrap();
        assert_eq!(p.id_number, ids[42], "{b}");
        assert!(!format!("{p:?}").contains(&ids[42]), "{b}: Debug must not print the number");
        let c = certificates::by_number(&app.db, &issued[0].number).await.unwrap().unwrap();
        assert_eq!(c.id_number, ids[0], "{b}: the certificate prints its holder's number");
        assert!(!format!("{c:?}").contains(&ids[0]), "{b}");

        // The scan itself reads the data: certificate numbers (digit runs too) are there.
        let certificate_digits: Vec<String> = issued.iter().map(|c| c.number[1..].to_string()).collect();
        let Found { needles_found, others_found } = scan_database(&t, &app.db, &ids, &certificate_digits).await;
        assert!(others_found > 0, "{b}: the scan must see the certificate numbers it is shown");
        assert!(needles_found.is_empty(), "{b}: identity numbers in plaintext: {needles_found:?}");
        app.db.close().await;
    }
}

/// A database from before encryption: the migration moves the numbers out of `persons` and
/// drops the plaintext columns (SQLite rebuilds the table, keeping every other column, index
/// and reference); opening the application encrypts them and deletes the plaintext, with
/// `secure_delete` zeroing what was deleted — so after a checkpoint the file holds none.
#[tokio::test(flavor = "multi_thread")]
async fn a_database_from_before_encryption_is_sealed_when_opened() {
    for t in TestDb::all().await {
        let b = t.backend;
        let ids = legacy::create(&t).await;
        // The scan sees plaintext where there is some.
        let raw = legacy::raw_db(&t).await;
        let before = scan_database(&t, &raw, &ids, &[]).await;
        let holders: HashSet<&str> = before.needles_found.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(holders.len(), ids.len(), "{b}: the legacy rows hold the numbers");
        raw.close().await;

        let app = app_on(&t).await;
        assert_eq!(persons::unsealed_count(&app.db).await.unwrap(), 0, "{b}");
        for (i, id) in ids.iter().enumerate() {
            let p = persons::by_id_number(&app.db, id).await.unwrap().unwrap_or_else(|| panic!("{b}: {id}"));
            assert_eq!(p.id_number, *id, "{b}");
            assert_eq!(p.name, format!("旧{i}"), "{b}");
        }
        // The certificate kept no copy, and reads its holder's number.
        let c = certificates::by_number(&app.db, &legacy::certificate()).await.unwrap().unwrap();
        assert_eq!(c.id_number, ids[0], "{b}");
        // Levels still point at their persons; the KPI state survived the rebuild.
        let holder = persons::by_id_number(&app.db, &ids[0]).await.unwrap().unwrap();
        assert_eq!(holder.current_level, Some(4), "{b}");
        if let Db::Sqlite { write, .. } = &app.db {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(write).await.unwrap();
        }
        let after = scan_database(&t, &app.db, &ids, &[]).await;
        assert!(after.needles_found.is_empty(), "{b}: plaintext left after sealing: {:?}", after.needles_found);
        // A write after sealing goes through.
        let dir = tempfile::tempdir().unwrap();
        let more = import_city(&app, dir.path(), 20).await;
        assert_eq!(persons::ids_by_id_number(&app.db, &[more[0].as_str()]).await.unwrap().len(), 1, "{b}");
        app.db.close().await;
    }
}

/// `keys rotate` then `keys reencrypt`: rows under the old key are found and read meanwhile;
/// the walk rewrites each once, resumes from where it stopped, and a second run rewrites
/// nothing; afterwards no value uses the old key, and the old key is no longer needed.
#[tokio::test(flavor = "multi_thread")]
async fn reencrypt_after_a_rotation_rewrites_every_value_once_and_resumes() {
    for t in TestDb::all().await {
        let b = t.backend;
        let app = app_on(&t).await;
        let dir = tempfile::tempdir().unwrap();
        let ids = import_city(&app, dir.path(), 120).await;
        // An xAPI attachment (a scan carrying a number) is sealed under the same key.
        let scan = format!("结业证明 {}", ids[0]).into_bytes();
        let mut tx = gongjiang_store::tx::begin(&app.db).await.unwrap();
        gongjiang_store::xapi_attachments::put_in(&mut tx, "abc123", "text/plain", &scan, "2026-12-07T00:00:00.000Z")
            .await
            .unwrap();
        tx.commit().await.unwrap();
        app.db.close().await;

        let mut rotated: KeyRing = (*t.keys()).clone();
        assert_eq!(rotated.rotate().unwrap(), "k2");
        let rotated = Arc::new(rotated);
        let app = App::open_with(&t.url, None, &Keys::Ring(rotated.clone())).await.unwrap();
        // Before re-encryption: stale rows are found and read, new ones go under k2.
        assert_eq!(persons::by_id_number(&app.db, &ids[7]).await.unwrap().unwrap().id_number, ids[7], "{b}");
        let per_key = persons::values_per_key(&app.db).await.unwrap();
        assert_eq!(per_key, vec![("k1".to_string(), 120, 120)], "{b}");

        // Interrupted after a first batch of 50 …
        let (last, first) = persons::reseal_batch(&app.db, 0, 50).await.unwrap().unwrap();
        assert_eq!(first, 50, "{b}");
        // … and resumed from the last id it printed.
        let r = pii_keys::reencrypt(&app.db, last, &|_| ()).await.unwrap();
        assert_eq!(r.rewritten, 70, "{b}");
        assert_eq!(r.attachments, 1, "{b}: the attachment rewritten under k2");
        assert_eq!(r.per_key, vec![("k2".to_string(), 120, 120)], "{b}");
        let again = pii_keys::reencrypt(&app.db, 0, &|_| ()).await.unwrap();
        assert_eq!((again.rewritten, again.attachments), (0, 0), "{b}: idempotent");

        let all =
            persons::ids_by_id_number(&app.db, &ids.iter().map(String::as_str).collect::<Vec<_>>()).await.unwrap();
        assert_eq!(all.len(), ids.len(), "{b}");
        let distinct: HashSet<i64> = all.values().copied().collect();
        assert_eq!(distinct.len(), ids.len(), "{b}: no one registered twice");
        app.db.close().await;

        // The old key can go: a ring with k2 alone opens everything.
        let mut only_k2 = (*rotated).clone();
        only_k2.remove("k1").unwrap();
        assert!(only_k2.remove("k2").is_err(), "the current key cannot be removed");
        let app = App::open_with(&t.url, None, &Keys::Ring(Arc::new(only_k2))).await.unwrap();
        assert_eq!(persons::by_id_number(&app.db, &ids[3]).await.unwrap().unwrap().id_number, ids[3], "{b}");
        let read = gongjiang_store::xapi_attachments::by_sha2(&app.db, &["abc123"]).await.unwrap();
        assert_eq!(read["abc123"].bytes, scan, "{b}: the attachment opens with k2 alone");
        app.db.close().await;
    }
}

/// A key file that does not open the stored numbers is refused at open, naming the problem; a
/// default key file made on that occasion is not left behind.
#[tokio::test(flavor = "multi_thread")]
async fn the_wrong_key_file_is_refused() {
    for t in TestDb::all().await {
        let b = t.backend;
        let app = app_on(&t).await;
        let dir = tempfile::tempdir().unwrap();
        import_city(&app, dir.path(), 10).await;
        app.db.close().await;
        let stranger = Arc::new(KeyRing::generate().unwrap());
        let e = App::open_with(&t.url, None, &Keys::Ring(stranger)).await.err().expect("refused");
        assert!(matches!(e, AppError::Keys(_)), "{b}: {e}");
        assert!(e.to_string().contains("密钥") && e.to_string().contains("key file"), "{b}: {e}");
        if let Some(d) = t.dir() {
            // The default key file beside this database does not exist: opening makes one,
            // finds it does not open the data, and removes it again.
            let e = App::open(&t.url, None).await.err().expect("refused");
            assert!(matches!(e, AppError::Keys(_)), "{b}: {e}");
            assert!(!d.join(pii_keys::DEFAULT_FILE_NAME).exists(), "{b}");
        }
    }
}

/// PostgreSQL has no default place for the key file: opening without one says so.
#[tokio::test(flavor = "multi_thread")]
async fn postgres_needs_the_key_file_named() {
    let Some(t) = TestDb::postgres().await else { return };
    let e = App::open(&t.url, None).await.err().expect("refused");
    assert!(e.to_string().contains("GONGJIANG_KEYS") && e.to_string().contains("PostgreSQL"), "{e}");
}

/// 查询/复制: a person's copy holds everything held about them — the record with the number in
/// full, levels, employment, applications, certificates, and who read the record — as JSON and
/// as a workbook; it is itself in the trail, and a scope that does not reach the person gets
/// nothing.
#[tokio::test(flavor = "multi_thread")]
async fn a_person_gets_a_copy_of_everything_held_about_them() {
    for t in TestDb::all().await {
        let b = t.backend;
        let mut app = app_on(&t).await;
        let dir = tempfile::tempdir().unwrap();
        let ids = import_city(&app, dir.path(), 60).await;
        let issued = workflow(&mut app, &clerk(), &ids[..2]).await;
        let p = persons::by_id_number(&app.db, &ids[0]).await.unwrap().unwrap();
        let public_id = p.public_id.to_string();
        accounts::record_reads(
            &app.db,
            &clerk(),
            "person.read_personal_data",
            "persons",
            std::slice::from_ref(&public_id),
        )
        .await
        .unwrap();

        let other = persons::by_id_number(&app.db, &ids[5]).await.unwrap().unwrap();
        let refused = personal_data::export(&app, &clerk(), &Scope::person(other.id), p.id).await;
        assert!(matches!(refused, Err(AppError::NotFound(_))), "{b}: out of scope");

        let data = personal_data::export(&app, &clerk(), &Scope::all(), p.id).await.unwrap();
        assert_eq!(data.person.id_number, ids[0], "{b}");
        let history = levels::history(&app.db, &Scope::all(), p.id).await.unwrap();
        assert!(!history.is_empty());
        assert_eq!(data.levels.len(), history.len(), "{b}");
        assert_eq!(data.applications.len(), 1, "{b}");
        assert_eq!(
            data.certificates.iter().map(|c| c.number.as_str()).collect::<Vec<_>>(),
            [issued[0].number.as_str()]
        );
        let seen: Vec<&str> = data.access_log.iter().map(|e| e.action.as_str()).collect();
        assert!(seen.contains(&"person.read_personal_data"), "{b}: {seen:?}");

        let json_path = dir.path().join("copy.json");
        personal_data::write(&data, &json_path).unwrap();
        let back: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
        assert_eq!(back["person"]["id_number"].as_str(), Some(ids[0].as_str()), "{b}");
        let xlsx = dir.path().join("copy.xlsx");
        personal_data::write(&data, &xlsx).unwrap();
        let mut first = gongjiang_tabular::RowReader::open(&xlsx).unwrap();
        let mut found = false;
        while let Some(row) = first.next_row() {
            let row = row.unwrap();
            found |= row.cells.first().map(String::as_str) == Some("id_number") && row.cells[1] == ids[0];
        }
        assert!(found, "{b}: the workbook's first sheet has the record");
        assert!(personal_data::write(&data, &dir.path().join("copy.pdf")).is_err());

        let f = AuditFilter { action: Some("person.export".into()), ..AuditFilter::default() };
        let exports = audit::search(&app.db, &f, None, 10).await.unwrap();
        assert_eq!(exports.len(), 1, "{b}: the refused export left no entry");
        assert_eq!(exports[0].record_id.as_deref(), Some(public_id.as_str()), "{b}");
        app.db.close().await;
    }
}

/// A request for someone else's identity number is filed like any other — the requester learns
/// nothing about which numbers are registered — and refused when an officer accepts it; a person
/// may have at most ten open requests.
#[tokio::test(flavor = "multi_thread")]
async fn a_correction_request_does_not_tell_whether_a_number_is_registered() {
    for t in TestDb::all().await {
        let b = t.backend;
        let app = app_on(&t).await;
        let dir = tempfile::tempdir().unwrap();
        let ids = import_city(&app, dir.path(), 30).await;
        let p = persons::by_id_number(&app.db, &ids[1]).await.unwrap().unwrap();
        let all = Scope::all();
        let body = "12010119991212077";
        let free = format!("{body}{}", check_char(body).unwrap());
        fn ask<'a>(person_id: i64, field: &'static str, proposed: &'a str) -> Request<'a> {
            Request { person_id, field, proposed, reason: "本人申请", requested_by: "本人" }
        }
        let taken = personal_data::request_correction(&app, &clerk(), &all, &ask(p.id, "id_number", &ids[2])).await;
        let unregistered =
            personal_data::request_correction(&app, &clerk(), &all, &ask(p.id, "id_number", &free)).await;
        assert!(taken.is_ok() && unregistered.is_ok(), "{b}: the same answer either way");
        let e = personal_data::decide_correction(&app, &clerk(), taken.unwrap(), true, "核实").await.unwrap_err();
        assert!(e.to_string().contains("另一人名下"), "{b}: the officer is told: {e}");
        for n in 2..personal_data::MAX_OPEN_REQUESTS {
            personal_data::request_correction(&app, &clerk(), &all, &ask(p.id, "name", "改名"))
                .await
                .unwrap_or_else(|e| panic!("{b}: request {n}: {e}"));
        }
        let e =
            personal_data::request_correction(&app, &clerk(), &all, &ask(p.id, "id_number", &free)).await.unwrap_err();
        assert!(e.to_string().contains("待处理"), "{b}: {e}");
        app.db.close().await;
    }
}

/// 记录更正请求: a request's value is checked with the import's rules and stored encrypted; an
/// accepted request changes the record in the same transaction (a new identity number
/// re-encrypted and re-hashed: the old one finds nobody), a rejected one or an `other` one does
/// not; a decided request cannot be decided again; each step is in the trail, and no identity
/// number — old, new or proposed — is in any entry or in plaintext anywhere in the database.
#[tokio::test(flavor = "multi_thread")]
async fn correction_requests_are_recorded_decided_and_applied() {
    for t in TestDb::all().await {
        let b = t.backend;
        let app = app_on(&t).await;
        let dir = tempfile::tempdir().unwrap();
        let ids = import_city(&app, dir.path(), 30).await;
        let p = persons::by_id_number(&app.db, &ids[1]).await.unwrap().unwrap();
        let body = "12010119991212077";
        let new_id = format!("{body}{}", check_char(body).unwrap());
        let ask = |field: &'static str, value: &'static str| Request {
            person_id: p.id,
            field,
            proposed: value,
            reason: "本人申请",
            requested_by: "本人",
        };
        let all = Scope::all();
        let rename = personal_data::request_correction(&app, &clerk(), &all, &ask("name", "改名后")).await.unwrap();
        let r = Request { proposed: &new_id, ..ask("id_number", "") };
        let renumber = personal_data::request_correction(&app, &clerk(), &all, &r).await.unwrap();
        let gender = personal_data::request_correction(&app, &clerk(), &all, &ask("gender", "女")).await.unwrap();
        let other = personal_data::request_correction(&app, &clerk(), &all, &ask("other", "2019年的等级记录缺失"))
            .await
            .unwrap();
        let e = personal_data::request_correction(&app, &clerk(), &all, &ask("district", "火星区")).await.unwrap_err();
        assert!(e.to_string().contains("更正值有误") && e.to_string().contains("district"), "{b}: {e}");
        assert!(personal_data::request_correction(&app, &clerk(), &all, &ask("salary", "1")).await.is_err());

        let listed = corrections::list(&app.db, Some(p.id), None).await.unwrap();
        let values: Vec<&str> = listed.iter().map(|c| c.proposed.as_str()).collect();
        assert_eq!(values, ["改名后", new_id.as_str(), "女", "2019年的等级记录缺失"], "{b}: decrypted, as given");
        assert!(!format!("{:?}", listed[1]).contains(&new_id), "{b}: Debug hides the value");

        let d = personal_data::decide_correction(&app, &clerk(), rename, true, "核实户籍").await.unwrap();
        assert_eq!((d.accepted, d.applied), (true, true));
        assert!(personal_data::decide_correction(&app, &clerk(), rename, false, "again").await.is_err(), "{b}");
        personal_data::decide_correction(&app, &clerk(), renumber, true, "证件更换").await.unwrap();
        personal_data::decide_correction(&app, &clerk(), gender, false, "与证件不符").await.unwrap();
        let d = personal_data::decide_correction(&app, &clerk(), other, true, "转等级核查").await.unwrap();
        assert_eq!((d.accepted, d.applied), (true, false), "{b}");

        let now = persons::by_id_number(&app.db, &new_id).await.unwrap().expect("found by the new number");
        assert_eq!((now.id, now.name.as_str(), now.id_number.as_str()), (p.id, "改名后", new_id.as_str()), "{b}");
        assert_eq!(now.gender, p.gender, "{b}: the rejected request changed nothing");
        assert!(persons::by_id_number(&app.db, &ids[1]).await.unwrap().is_none(), "{b}: the old number finds nobody");
        assert_eq!(corrections::get(&app.db, gender).await.unwrap().unwrap().status, "rejected");

        let trail = audit::search(&app.db, &AuditFilter::default(), None, 1000).await.unwrap();
        let mine: Vec<&str> = trail
            .iter()
            .rev()
            .map(|e| e.action.as_str())
            .filter(|a| a.starts_with("correction.") || *a == "person.correct")
            .collect();
        let expected = [
            "correction.request",
            "correction.request",
            "correction.request",
            "correction.request",
            "person.correct",
            "correction.decide",
            "person.correct",
            "correction.decide",
            "correction.decide",
            "correction.decide",
        ];
        assert_eq!(mine, expected, "{b}");
        let renamed = trail
            .iter()
            .find(|e| e.action == "person.correct" && e.before_json.as_deref().unwrap_or("").contains("name"))
            .unwrap();
        assert!(renamed.after_json.as_deref().unwrap().contains("改名后"), "{b}");
        for e in &trail {
            let text = format!("{:?}{:?}", e.before_json, e.after_json);
            assert!(!text.contains(&new_id) && !text.contains(&ids[1]), "{b}: {text}");
        }
        let found = scan_database(&t, &app.db, &[new_id.clone(), ids[1].clone()], &[]).await;
        assert!(found.needles_found.is_empty(), "{b}: {:?}", found.needles_found);
        app.db.close().await;
    }
}

/// Persons stored before the tail hash existed (migration 0027) get it when the application
/// opens the database with its keys, and are then found by their last four characters; after
/// a rotation and re-encryption the tails follow the new key.
#[tokio::test(flavor = "multi_thread")]
async fn persons_from_before_the_tail_hash_are_found_by_their_last_four_after_opening() {
    use gongjiang_store::persons::PersonFilter;
    for t in TestDb::all().await {
        let b = t.backend;
        let app = app_on(&t).await;
        let dir = tempfile::tempdir().unwrap();
        let ids = import_city(&app, dir.path(), 40).await;
        let clear = "UPDATE persons SET id_tail = NULL";
        match &app.db {
            Db::Sqlite { write, .. } => sqlx::query(clear).execute(write).await.map(|_| ()),
            Db::Postgres(pool, _) => sqlx::query(clear).execute(pool).await.map(|_| ()),
        }
        .unwrap();
        let by_tail = |app: App, number: String| async move {
            let f = PersonFilter { id_tail: Some(number[14..].to_string()), ..PersonFilter::default() };
            let found = persons::list(&app.db, &Scope::all(), &f, None, 100).await.unwrap();
            found.into_iter().map(|p| p.id_number).collect::<Vec<_>>()
        };
        assert!(by_tail(app.clone(), ids[5].clone()).await.is_empty(), "{b}: no tails stored");
        app.db.close().await;

        let app = app_on(&t).await;
        for n in [&ids[5], &ids[39]] {
            assert!(by_tail(app.clone(), n.clone()).await.contains(n), "{b}: {n} found after opening");
        }
        app.db.close().await;

        let mut rotated: KeyRing = (*t.keys()).clone();
        rotated.rotate().unwrap();
        let app = App::open_with(&t.url, None, &Keys::Ring(Arc::new(rotated.clone()))).await.unwrap();
        assert!(by_tail(app.clone(), ids[9].clone()).await.contains(&ids[9]), "{b}: old-key tails still found");
        pii_keys::reencrypt(&app.db, 0, &|_| ()).await.unwrap();
        app.db.close().await;
        rotated.remove("k1").unwrap();
        let app = App::open_with(&t.url, None, &Keys::Ring(Arc::new(rotated))).await.unwrap();
        assert!(by_tail(app.clone(), ids[9].clone()).await.contains(&ids[9]), "{b}: tails rewritten under k2");
        app.db.close().await;
    }
}
