//! Accounts, grants, sessions, tokens and the audit chain on every backend; the chain is
//! tampered with directly in SQL, as an insider with database access would, and `verify` must
//! name the entry.

use gongjiang_store::audit::{self, AuditFilter, Break, NewEntry};
use gongjiang_store::{Db, StoreError, accounts, logins, on_writer, tokens, tx};
use gongjiang_testkit::TestDb;
use time::{Duration, OffsetDateTime};

async fn append_n(db: &Db, n: usize, actor: &str) {
    for i in 0..n {
        let mut t = tx::begin(db).await.unwrap();
        let after = serde_json::json!({ "n": i, "名称": "张三" });
        let id = i.to_string();
        let e = NewEntry {
            actor,
            action: "person.update",
            resource: "persons",
            record_id: Some(&id),
            client_addr: Some("127.0.0.1"),
            before: None,
            after: Some(&after),
        };
        audit::append(&mut t, &e).await.unwrap();
        t.commit().await.unwrap();
    }
}

async fn sql(db: &Db, statements: &[&'static str]) {
    for s in statements {
        on_writer!(db, pool => sqlx::query(*s).execute(pool).await.map(|_| ()).unwrap());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_intact_chain_verifies_and_an_entry_commits_or_rolls_back_with_its_change() {
    for t in TestDb::all().await {
        let db = Db::connect(&t.url).await.unwrap().with_keys(t.keys());
        let v = audit::verify(&db).await.unwrap();
        assert_eq!((v.checked, v.head_seq, v.broken), (0, 0, None), "{}: empty chain", t.backend);

        append_n(&db, 5, "user:a").await;
        // A change that fails takes its audit entry with it.
        let mut x = tx::begin(&db).await.unwrap();
        accounts::insert_user(&mut x, "ghost", "Ghost", "$argon2id$x", OffsetDateTime::now_utc()).await.unwrap();
        audit::append(
            &mut x,
            &NewEntry { actor: "cli:root", action: "user.create", resource: "users", ..Default::default() },
        )
        .await
        .unwrap();
        x.rollback().await.unwrap();
        assert!(accounts::by_username(&db, "ghost").await.unwrap().is_none(), "{}", t.backend);

        let v = audit::verify(&db).await.unwrap();
        assert_eq!((v.checked, v.head_seq, v.broken.clone()), (5, 5, None), "{}", t.backend);
        let entries = audit::search(&db, &AuditFilter::default(), None, 100).await.unwrap();
        assert_eq!(entries.iter().map(|e| e.seq).collect::<Vec<_>>(), [5, 4, 3, 2, 1], "{}", t.backend);
        assert_eq!(entries[0].hash, v.head_hash, "{}", t.backend);
        assert_eq!(entries[4].prev_hash, gongjiang_crypto::digest::GENESIS);
        assert!(entries[0].after_json.as_deref().unwrap().contains("张三"), "{}", t.backend);
        db.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_appends_form_one_unbroken_chain() {
    for t in TestDb::all().await {
        let db = Db::connect(&t.url).await.unwrap().with_keys(t.keys());
        let mut tasks = Vec::new();
        for w in 0..8 {
            let db = db.clone();
            tasks.push(tokio::spawn(async move { append_n(&db, 25, &format!("user:w{w}")).await }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        let v = audit::verify(&db).await.unwrap();
        assert_eq!((v.checked, v.head_seq, v.broken), (200, 200, None), "{}", t.backend);
        db.close().await;
    }
}

/// Each tampering on a fresh chain of six entries, and the break `verify` must report.
#[tokio::test(flavor = "multi_thread")]
async fn verify_names_the_first_tampered_entry() {
    let cases: [(&str, &[&'static str], i64, Break); 6] = [
        ("edit a field", &["UPDATE audit_log SET actor = 'user:someone-else' WHERE seq = 3"], 3, Break::Altered),
        ("edit the after-image", &["UPDATE audit_log SET after_json = '{\"n\":0}' WHERE seq = 2"], 2, Break::Altered),
        ("delete a row", &["DELETE FROM audit_log WHERE seq = 4"], 4, Break::Missing),
        (
            "swap two rows' seq",
            &[
                "UPDATE audit_log SET seq = -1 WHERE seq = 3",
                "UPDATE audit_log SET seq = 3 WHERE seq = 4",
                "UPDATE audit_log SET seq = 4 WHERE seq = -1",
            ],
            3,
            Break::Altered,
        ),
        ("delete the last row", &["DELETE FROM audit_log WHERE seq = 6"], 6, Break::HeadMismatch),
        (
            "re-link a forged entry in the middle",
            &["UPDATE audit_log SET prev_hash = (SELECT hash FROM audit_log WHERE seq = 1) WHERE seq = 3"],
            3,
            Break::Altered,
        ),
    ];
    for (what, statements, seq, reason) in cases {
        for t in TestDb::all().await {
            let db = Db::connect(&t.url).await.unwrap().with_keys(t.keys());
            append_n(&db, 6, "user:a").await;
            assert_eq!(audit::verify(&db).await.unwrap().broken, None, "{}: {what}", t.backend);
            sql(&db, statements).await;
            let broken =
                audit::verify(&db).await.unwrap().broken.unwrap_or_else(|| panic!("{}: {what} undetected", t.backend));
            assert_eq!((broken.seq, broken.reason), (seq, reason), "{}: {what}", t.backend);
            db.close().await;
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_consistently_forged_entry_with_the_right_hash_but_wrong_link_is_caught() {
    // Recompute an edited entry's hash (the attacker knows the algorithm) without fixing the
    // chain after it: the next entry's link breaks.
    for t in TestDb::all().await {
        let db = Db::connect(&t.url).await.unwrap().with_keys(t.keys());
        append_n(&db, 4, "user:a").await;
        let mut e = audit::search(&db, &AuditFilter::default(), None, 10)
            .await
            .unwrap()
            .into_iter()
            .find(|e| e.seq == 2)
            .unwrap();
        e.actor = "user:mallory".into();
        e.hash = audit::entry_hash(&e);
        on_writer!(&db, pool => sqlx::query("UPDATE audit_log SET actor = $1, hash = $2 WHERE seq = 2")
            .bind(&e.actor).bind(&e.hash).execute(pool).await.map(|_| ()).unwrap());
        let broken = audit::verify(&db).await.unwrap().broken.unwrap();
        assert_eq!((broken.seq, broken.reason), (3, Break::Relinked), "{}", t.backend);
        db.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn audit_search_filters_and_pages_newest_first() {
    for t in TestDb::all().await {
        let db = Db::connect(&t.url).await.unwrap().with_keys(t.keys());
        let start = OffsetDateTime::now_utc() - Duration::seconds(1);
        append_n(&db, 3, "user:a").await;
        append_n(&db, 4, "user:b").await;
        let by_b = AuditFilter { actor: Some("user:b".into()), ..Default::default() };
        let page1 = audit::search(&db, &by_b, None, 3).await.unwrap();
        assert_eq!(page1.iter().map(|e| e.seq).collect::<Vec<_>>(), [7, 6, 5], "{}", t.backend);
        let page2 = audit::search(&db, &by_b, Some(5), 3).await.unwrap();
        assert_eq!(page2.iter().map(|e| e.seq).collect::<Vec<_>>(), [4], "{}", t.backend);
        let record =
            AuditFilter { resource: Some("persons".into()), record_id: Some("1".into()), ..Default::default() };
        assert_eq!(
            audit::search(&db, &record, None, 10).await.unwrap().iter().map(|e| e.seq).collect::<Vec<_>>(),
            [5, 2]
        );
        let later = OffsetDateTime::now_utc() + Duration::seconds(1);
        let window = AuditFilter { from: Some(start), to: Some(later), ..Default::default() };
        assert_eq!(audit::search(&db, &window, None, 100).await.unwrap().len(), 7, "{}", t.backend);
        let future = AuditFilter { from: Some(later), ..Default::default() };
        assert!(audit::search(&db, &future, None, 100).await.unwrap().is_empty(), "{}", t.backend);
        let past = AuditFilter { to: Some(start), ..Default::default() };
        assert!(audit::search(&db, &past, None, 100).await.unwrap().is_empty(), "{}", t.backend);
        db.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn users_grants_sessions_and_tokens_round_trip() {
    for t in TestDb::all().await {
        let db = Db::connect(&t.url).await.unwrap().with_keys(t.keys());
        let now = OffsetDateTime::now_utc();
        let mut x = tx::begin(&db).await.unwrap();
        let admin = accounts::insert_user(&mut x, "admin", "管理员", "$argon2id$a", now).await.unwrap();
        let hr = accounts::insert_user(&mut x, "hr", "人事", "$argon2id$b", now).await.unwrap();
        assert!(matches!(
            accounts::insert_user(&mut x, "admin", "again", "$argon2id$c", now).await,
            Err(StoreError::Conflict { .. })
        ));
        x.rollback().await.unwrap();
        assert!(accounts::by_username(&db, "admin").await.unwrap().is_none(), "a failed transaction leaves nothing");

        let mut x = tx::begin(&db).await.unwrap();
        let admin2 = accounts::insert_user(&mut x, "admin", "管理员", "$argon2id$a", now).await.unwrap();
        let hr2 = accounts::insert_user(&mut x, "hr", "人事", "$argon2id$b", now).await.unwrap();
        assert!(!accounts::role_held_in(&mut x, "city-admin").await.unwrap());
        accounts::insert_grant(&mut x, admin2, "city-admin", "", None, now).await.unwrap();
        let g = accounts::insert_grant(&mut x, hr2, "enterprise-hr", "1", Some(admin2), now).await.unwrap();
        x.commit().await.unwrap();
        // (On PostgreSQL a failed statement ends its transaction: conflicts get one of their own.)
        let mut x = tx::begin(&db).await.unwrap();
        assert!(matches!(
            accounts::insert_grant(&mut x, hr2, "enterprise-hr", "1", Some(admin2), now).await,
            Err(StoreError::Conflict { .. })
        ));
        x.rollback().await.unwrap();
        let _ = (admin, hr);

        let u = accounts::by_username(&db, "hr").await.unwrap().unwrap();
        assert_eq!((u.display_name.as_str(), u.disabled, u.failed_attempts), ("人事", false, 0));
        assert_eq!(accounts::record_failure(&db, hr2).await.unwrap(), 1);
        assert_eq!(accounts::record_failure(&db, hr2).await.unwrap(), 2);
        let until = now + Duration::minutes(5);
        accounts::set_locked_until(&db, hr2, Some(until)).await.unwrap();
        let u = accounts::by_id(&db, hr2).await.unwrap().unwrap();
        assert_eq!(u.failed_attempts, 2);
        assert_eq!(u.locked_until.map(|t| t.unix_timestamp()), Some(until.unix_timestamp()));
        accounts::reset_failures(&db, hr2).await.unwrap();
        assert_eq!(accounts::by_id(&db, hr2).await.unwrap().unwrap().locked_until, None);

        let mut x = tx::begin(&db).await.unwrap();
        assert!(accounts::revoke_grant(&mut x, g, Some(admin2), now).await.unwrap());
        assert!(!accounts::revoke_grant(&mut x, g, Some(admin2), now).await.unwrap(), "revoked once only");
        // Re-granting after a revocation is a new row; the old one stays as history.
        accounts::insert_grant(&mut x, hr2, "enterprise-hr", "1", Some(admin2), now).await.unwrap();
        x.commit().await.unwrap();
        assert_eq!(accounts::active_grants(&db, hr2).await.unwrap().len(), 1);

        // Sessions: found by the hash of the id, never by the id itself.
        let mut x = tx::begin(&db).await.unwrap();
        let s = logins::NewLogin {
            id_hash: "h1",
            user_id: hr2,
            created_at: now,
            expires_at: now + Duration::hours(8),
            csrf_hash: "c1",
            client_addr: Some("10.0.0.1"),
        };
        logins::insert(&mut x, &s).await.unwrap();
        x.commit().await.unwrap();
        let row = logins::by_hash(&db, "h1").await.unwrap().unwrap();
        assert_eq!((row.username.as_str(), row.user_disabled, row.csrf_hash.as_str()), ("hr", false, "c1"));
        let mut x = tx::begin(&db).await.unwrap();
        assert!(logins::delete_by_hash(&mut x, "h1").await.unwrap());
        x.commit().await.unwrap();
        assert!(logins::by_hash(&db, "h1").await.unwrap().is_none());

        let mut x = tx::begin(&db).await.unwrap();
        let tok = tokens::NewToken {
            token_hash: "th",
            user_id: hr2,
            name: "HR system",
            roles: "enterprise-hr:1",
            created_at: now,
            expires_at: now + Duration::days(90),
        };
        let tid = tokens::insert(&mut x, &tok).await.unwrap();
        x.commit().await.unwrap();
        assert_eq!(tokens::by_hash(&db, "th").await.unwrap().unwrap().name, "HR system");
        assert_eq!(tokens::list(&db, Some(hr2)).await.unwrap().len(), 1);
        assert_eq!(tokens::list(&db, None).await.unwrap().len(), 1);
        assert!(tokens::list(&db, Some(admin2)).await.unwrap().is_empty());
        let mut x = tx::begin(&db).await.unwrap();
        assert!(tokens::revoke(&mut x, tid, now).await.unwrap());
        x.commit().await.unwrap();
        assert!(tokens::by_id(&db, tid).await.unwrap().unwrap().revoked_at.is_some());
        db.close().await;
    }
}
