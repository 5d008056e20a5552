//! Personal data at rest: identity numbers imported from files, printed on certificates and
//! used by every lookup never reach the database files in plaintext; a database from before
//! encryption is sealed when the application opens it; `keys reencrypt` after a rotation.
//! Real files, real SQLite files read byte by byte, real PostgreSQL tables read as text.

mod legacy;
mod scan;

#[path = "../support/mod.rs"]
mod support;

use std::collections::HashSet;
use std::sync::Arc;

use gongjiang_app::keys::{self, Keys};
use gongjiang_app::{Actor, App, AppError};
use gongjiang_crypto::keys::KeyRing;
use gongjiang_store::{Db, certificates, persons};
use gongjiang_testkit::TestDb;

use scan::{Found, scan_database};
use support::{app_on, import_city, workflow};

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
        let r = keys::reencrypt(&app.db, last, &|_| ()).await.unwrap();
        assert_eq!(r.rewritten, 70, "{b}");
        assert_eq!(r.per_key, vec![("k2".to_string(), 120, 120)], "{b}");
        let again = keys::reencrypt(&app.db, 0, &|_| ()).await.unwrap();
        assert_eq!(again.rewritten, 0, "{b}: idempotent");

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
            assert!(!d.join(keys::DEFAULT_FILE_NAME).exists(), "{b}");
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
