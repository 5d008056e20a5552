//! Accounts as an operator and a user meet them: the first administrator, grants under the
//! grant rule, sign-in back-off, sessions with CSRF tokens, API tokens — on every backend, each
//! change in the hash-chained audit trail.

use std::collections::BTreeSet;

use gongjiang_app::accounts::{self, AccountError, Actor, FREE_FAILURES};
use gongjiang_domain::access::{Action, Resource, Role};
use gongjiang_domain::records::NewOrganisation;
use gongjiang_domain::registry::OrgKind;
use gongjiang_store::{Db, audit, organisations};
use gongjiang_testkit::TestDb;
use time::Duration;

const PW: &str = "lantern-ferry-31-harbour";

fn cli() -> Actor {
    Actor { label: "cli:test".into(), user_id: None, client_addr: None }
}

async fn as_user(db: &Db, username: &str) -> Actor {
    let u = gongjiang_store::accounts::by_username(db, username).await.unwrap().unwrap();
    Actor { label: format!("user:{username}"), user_id: Some(u.id), client_addr: Some("10.1.2.3".into()) }
}

fn districts(codes: &[&str]) -> BTreeSet<String> {
    codes.iter().map(|c| c.to_string()).collect()
}

/// Two enterprises: one in 和平区 (120101), one in 河东区 (120102).
async fn two_enterprises(db: &Db) -> (i64, i64) {
    let org = |uscc: &str, district: &str| NewOrganisation {
        uscc: uscc.into(),
        name: format!("企业{district}"),
        kind: OrgKind::Enterprise,
        district_code: district.into(),
        industry: None,
        chains: None,
    };
    let a = org("91120101MA05K1A2XA", "120101");
    let b = org("91120102MA05K1A2XB", "120102");
    organisations::upsert_batch(db, &[a.clone(), b.clone()]).await.unwrap();
    let ids = organisations::all_ids(db).await.unwrap();
    (ids[&a.uscc], ids[&b.uscc])
}

#[test]
fn the_password_policy_refuses_short_personal_and_common_passwords() {
    for (pw, why) in [
        ("short-pw-11", "11 characters"),
        ("zhangsan-2025-xyz", "contains the user name"),
        ("Password1234", "common"),
        ("gongjiang2026", "common"),
        ("aaaaaaaaaaaaaa", "one character repeated"),
    ] {
        assert!(accounts::check_password_policy("zhangsan", pw).is_err(), "{pw} ({why}) must be refused");
    }
    assert!(accounts::check_password_policy("zhangsan", PW).is_ok());
    let m = accounts::check_password_policy("zhangsan", "short").unwrap_err();
    assert!(m.zh.contains("12") && m.en.contains("12"), "{m}");
}

#[test]
fn back_off_starts_after_the_free_failures_and_doubles_to_a_cap() {
    let locks: Vec<Option<i64>> = (1..=14).map(|n| accounts::lock_duration(n).map(|d| d.whole_seconds())).collect();
    assert_eq!(
        locks,
        [
            None,
            None,
            None,
            None,
            Some(30),
            Some(60),
            Some(120),
            Some(240),
            Some(480),
            Some(960),
            Some(1920),
            Some(3600),
            Some(3600),
            Some(3600)
        ]
    );
    assert_eq!(FREE_FAILURES, 5);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_first_administrator_needs_no_grantor_and_only_the_first() {
    for t in TestDb::all().await {
        let db = Db::connect(&t.url).await.unwrap().with_keys(t.keys());
        let hr = Role::EnterpriseHr { organisation: 1 };
        let e = accounts::create_user(&db, &cli(), "early-hr", "人事", PW, &[hr]).await.unwrap_err();
        assert!(matches!(e, AccountError::Denied(_)), "{}: {e}", t.backend);
        accounts::create_user(&db, &cli(), "admin", "管理员", PW, &[Role::CityAdmin]).await.unwrap();
        let e = accounts::create_user(&db, &cli(), "admin2", "管理员二", PW, &[Role::CityAdmin]).await.unwrap_err();
        assert!(e.to_string().contains("--by"), "{}: {e}", t.backend);
        // A named administrator may create another.
        let admin = as_user(&db, "admin").await;
        accounts::create_user(&db, &admin, "admin2", "管理员二", PW, &[Role::CityAdmin]).await.unwrap();
        assert!(matches!(
            accounts::create_user(&db, &admin, "admin2", "again", PW, &[]).await,
            Err(AccountError::Conflict(_))
        ));
        db.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn racing_bootstraps_make_exactly_one_administrator() {
    for t in TestDb::all().await {
        let db = Db::connect(&t.url).await.unwrap().with_keys(t.keys());
        let mut tasks = Vec::new();
        for i in 0..6 {
            let db = db.clone();
            tasks.push(tokio::spawn(async move {
                accounts::create_user(&db, &cli(), &format!("admin{i}"), "管理员", PW, &[Role::CityAdmin]).await
            }));
        }
        let mut ok = 0;
        for task in tasks {
            ok += task.await.unwrap().is_ok() as usize;
        }
        assert_eq!(ok, 1, "{}", t.backend);
        db.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn nobody_grants_beyond_their_own_reach() {
    for t in TestDb::all().await {
        let db = Db::connect(&t.url).await.unwrap().with_keys(t.keys());
        let (in_heping, in_hedong) = two_enterprises(&db).await;
        accounts::create_user(&db, &cli(), "admin", "管理员", PW, &[Role::CityAdmin]).await.unwrap();
        let admin = as_user(&db, "admin").await;
        let heping = Role::DistrictAdmin { districts: districts(&["120101"]) };
        accounts::create_user(&db, &admin, "heping", "和平区管理员", PW, std::slice::from_ref(&heping)).await.unwrap();
        let district = as_user(&db, "heping").await;

        // Within the district: an enterprise there, a narrower district administrator.
        accounts::create_user(
            &db,
            &district,
            "hr-a",
            "甲企业人事",
            PW,
            &[Role::EnterpriseHr { organisation: in_heping }],
        )
        .await
        .unwrap();
        accounts::create_user(&db, &district, "heping2", "和平区二", PW, std::slice::from_ref(&heping)).await.unwrap();
        // Beyond it: another district's enterprise, a wider district, the city.
        for (name, role) in [
            ("hr-b", Role::EnterpriseHr { organisation: in_hedong }),
            ("wide", Role::DistrictAdmin { districts: districts(&["120101", "120102"]) }),
            ("city", Role::CityAdmin),
            ("eval", Role::EvaluationInstitution { organisation: in_heping }),
        ] {
            let e =
                accounts::create_user(&db, &district, name, "x", PW, std::slice::from_ref(&role)).await.unwrap_err();
            assert!(matches!(e, AccountError::Denied(_)), "{}: {role:?}: {e}", t.backend);
            assert!(
                gongjiang_store::accounts::by_username(&db, name).await.unwrap().is_none(),
                "refused means not created"
            );
        }
        // HR may appoint a colleague for its own enterprise, not for the other one.
        accounts::create_user(&db, &cli(), "colleague", "同事", PW, &[]).await.unwrap_err();
        accounts::create_user(&db, &admin, "colleague", "同事", PW, &[]).await.unwrap();
        let hr = as_user(&db, "hr-a").await;
        accounts::grant_role(&db, &hr, "colleague", &Role::EnterpriseHr { organisation: in_heping }).await.unwrap();
        let e = accounts::grant_role(&db, &hr, "colleague", &Role::EnterpriseHr { organisation: in_hedong }).await;
        assert!(matches!(e, Err(AccountError::Denied(_))), "{}", t.backend);

        // A worker manages no users, not even role-less ones.
        accounts::create_user(&db, &admin, "self", "本人", PW, &[Role::Worker { person: 5 }]).await.unwrap();
        let worker = as_user(&db, "self").await;
        let e = accounts::create_user(&db, &worker, "friend", "朋友", PW, &[]).await.unwrap_err();
        assert!(matches!(e, AccountError::Denied(_)), "{}: {e}", t.backend);

        // The effective permissions are the per-(resource, action) union of the roles.
        accounts::grant_role(&db, &admin, "hr-a", &Role::Worker { person: 77 }).await.unwrap();
        let p = accounts::permissions(&db, as_user(&db, "hr-a").await.user_id.unwrap()).await.unwrap();
        assert!(p.scope(Resource::Persons, Action::Write).organisation_ids().contains(&in_heping));
        assert!(
            p.scope(Resource::Persons, Action::Write).person_ids().is_empty(),
            "worker scope must not widen HR write"
        );
        assert!(p.scope(Resource::Persons, Action::Read).person_ids().contains(&77));

        // Revoking: the district administrator can take back what it could give, not the city's grants.
        accounts::revoke_role(&db, &district, "heping2", &heping).await.unwrap();
        let e = accounts::revoke_role(&db, &district, "admin2-missing", &heping).await.unwrap_err();
        assert!(matches!(e, AccountError::NotFound(_)));
        let e = accounts::revoke_role(&db, &district, "admin", &Role::CityAdmin).await.unwrap_err();
        assert!(matches!(e, AccountError::Denied(_)), "{}: {e}", t.backend);

        let v = audit::verify(&db).await.unwrap();
        assert_eq!(v.broken, None, "{}", t.backend);
        let grants = audit::search(
            &db,
            &audit::AuditFilter { action: Some("role.grant".into()), ..Default::default() },
            None,
            100,
        )
        .await
        .unwrap();
        assert_eq!(grants.len(), 7, "{}: admin, heping, hr-a, heping2, self, colleague's HR, hr-a's worker", t.backend);
        assert!(grants.iter().any(|e| e.actor == "user:heping" && e.client_addr.as_deref() == Some("10.1.2.3")));
        let everything = audit::search(&db, &audit::AuditFilter::default(), None, 1000).await.unwrap();
        assert!(everything.iter().all(|e| !format!("{e:?}").contains(PW)), "no password in the audit trail");
        db.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn repeated_wrong_passwords_lock_the_account_with_growing_back_off() {
    for t in TestDb::all().await {
        let db = Db::connect(&t.url).await.unwrap().with_keys(t.keys());
        accounts::create_user(&db, &cli(), "admin", "管理员", PW, &[Role::CityAdmin]).await.unwrap();
        assert!(accounts::verify_password(&db, "admin", PW, None).await.is_ok());
        assert!(matches!(accounts::verify_password(&db, "nobody", PW, None).await, Err(AccountError::BadCredentials)));
        for _ in 1..FREE_FAILURES {
            assert!(matches!(
                accounts::verify_password(&db, "admin", "wrong-password-123", None).await,
                Err(AccountError::BadCredentials)
            ));
        }
        let Err(AccountError::Locked { until }) =
            accounts::verify_password(&db, "admin", "wrong-password-123", Some("192.0.2.7")).await
        else {
            panic!("{}: the fifth failure locks", t.backend)
        };
        let f = gongjiang_store::audit::AuditFilter { action: Some("user.lock".into()), ..Default::default() };
        let locks = gongjiang_store::audit::search(&db, &f, None, 10).await.unwrap();
        assert_eq!(locks[0].client_addr.as_deref(), Some("192.0.2.7"), "{}: the lock names the address", t.backend);
        assert!(until > time::OffsetDateTime::now_utc() + Duration::seconds(20), "{}", t.backend);
        // While locked, even the right password is refused without being checked.
        assert!(matches!(accounts::verify_password(&db, "admin", PW, None).await, Err(AccountError::Locked { .. })));
        // When the lock has run out, one more failure locks for twice as long.
        let id = as_user(&db, "admin").await.user_id.unwrap();
        let past = time::OffsetDateTime::now_utc() - Duration::seconds(1);
        gongjiang_store::accounts::set_locked_until(&db, id, Some(past)).await.unwrap();
        let Err(AccountError::Locked { until: second }) =
            accounts::verify_password(&db, "admin", "wrong-again-1234", None).await
        else {
            panic!("{}: the sixth failure locks again", t.backend)
        };
        assert!(second > time::OffsetDateTime::now_utc() + Duration::seconds(50), "{}: 60 s", t.backend);
        // After it, the right password works and the counter starts again.
        gongjiang_store::accounts::set_locked_until(&db, id, Some(past)).await.unwrap();
        accounts::verify_password(&db, "admin", PW, None).await.unwrap();
        let u = gongjiang_store::accounts::by_id(&db, id).await.unwrap().unwrap();
        assert_eq!((u.failed_attempts, u.locked_until), (0, None), "{}", t.backend);
        let locks = audit::search(
            &db,
            &audit::AuditFilter { action: Some("user.lock".into()), ..Default::default() },
            None,
            10,
        )
        .await
        .unwrap();
        assert_eq!(locks.len(), 2, "{}", t.backend);
        db.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn sessions_carry_a_csrf_token_and_end_on_sign_out_or_revocation() {
    for t in TestDb::all().await {
        let db = Db::connect(&t.url).await.unwrap().with_keys(t.keys());
        accounts::create_user(&db, &cli(), "admin", "管理员", PW, &[Role::CityAdmin]).await.unwrap();
        let admin = as_user(&db, "admin").await;
        let d = Role::DistrictAdmin { districts: districts(&["120101"]) };
        accounts::create_user(&db, &admin, "heping", "和平区", PW, std::slice::from_ref(&d)).await.unwrap();
        let user = accounts::verify_password(&db, "heping", PW, None).await.unwrap();
        let s = accounts::issue_login(&db, &user, Some("10.0.0.9")).await.unwrap();
        assert_ne!(s.session_id, s.csrf_token);
        let live = accounts::lookup_login(&db, &s.session_id).await.unwrap().expect("live session");
        assert_eq!(live.username, "heping");
        assert!(live.csrf_ok(&s.csrf_token));
        assert!(!live.csrf_ok(&s.session_id));
        assert!(accounts::lookup_login(&db, &s.csrf_token).await.unwrap().is_none(), "{}", t.backend);

        let signed_in =
            Actor { label: "user:heping".into(), user_id: Some(user.id), client_addr: Some("10.0.0.9".into()) };
        assert!(accounts::end_login(&db, &signed_in, &s.session_id).await.unwrap());
        assert!(accounts::lookup_login(&db, &s.session_id).await.unwrap().is_none(), "{}", t.backend);
        // Signing out is in the audit trail once; a second sign-out of the same session is not.
        assert!(!accounts::end_login(&db, &signed_in, &s.session_id).await.unwrap());
        let filter = audit::AuditFilter { action: Some("session.delete".into()), ..Default::default() };
        let outs = audit::search(&db, &filter, None, 10).await.unwrap();
        assert_eq!(outs.len(), 1, "{}: {outs:?}", t.backend);
        assert_eq!(outs[0].actor, "user:heping", "{}", t.backend);

        // Losing a role ends every session, so narrower rights apply at once.
        let s2 = accounts::issue_login(&db, &user, None).await.unwrap();
        accounts::revoke_role(&db, &admin, "heping", &d).await.unwrap();
        assert!(accounts::lookup_login(&db, &s2.session_id).await.unwrap().is_none(), "{}", t.backend);
        db.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn api_tokens_are_shown_once_scoped_to_their_owner_and_revocable() {
    for t in TestDb::all().await {
        let db = Db::connect(&t.url).await.unwrap().with_keys(t.keys());
        let (in_heping, in_hedong) = two_enterprises(&db).await;
        accounts::create_user(&db, &cli(), "admin", "管理员", PW, &[Role::CityAdmin]).await.unwrap();
        let admin = as_user(&db, "admin").await;
        let hr = Role::EnterpriseHr { organisation: in_heping };
        accounts::create_user(&db, &admin, "hr", "人事", PW, std::slice::from_ref(&hr)).await.unwrap();

        let issued =
            accounts::create_token(&db, &admin, "hr", "HR 系统推送", std::slice::from_ref(&hr), 90).await.unwrap();
        assert!(issued.token.starts_with("gjt_"));
        let auth = accounts::lookup_token(&db, &issued.token).await.unwrap().expect("live token");
        assert_eq!(auth.roles, vec![hr.clone()]);
        assert!(auth.permissions.scope(Resource::Imports, Action::Write).organisation_ids().contains(&in_heping));
        assert!(accounts::lookup_token(&db, "gjt_0000").await.unwrap().is_none());
        let stored = gongjiang_store::tokens::list(&db, None).await.unwrap();
        assert!(stored.iter().all(|r| r.token_hash != issued.token && !r.token_hash.contains(&issued.token[4..])));

        // Beyond the owner's reach, too long, or empty: refused.
        let other = Role::EnterpriseHr { organisation: in_hedong };
        assert!(matches!(
            accounts::create_token(&db, &admin, "hr", "x", &[other], 90).await,
            Err(AccountError::Denied(_))
        ));
        assert!(matches!(
            accounts::create_token(&db, &admin, "hr", "x", std::slice::from_ref(&hr), 400).await,
            Err(AccountError::Invalid(_))
        ));
        assert!(matches!(accounts::create_token(&db, &admin, "hr", "x", &[], 30).await, Err(AccountError::Invalid(_))));

        accounts::revoke_token(&db, &admin, issued.id).await.unwrap();
        assert!(accounts::lookup_token(&db, &issued.token).await.unwrap().is_none(), "{}", t.backend);
        assert!(matches!(accounts::revoke_token(&db, &admin, issued.id).await, Err(AccountError::Conflict(_))));

        // The owner losing the role takes the token down with it, for good: granting the role
        // again does not bring the token back.
        let second = accounts::create_token(&db, &admin, "hr", "second", std::slice::from_ref(&hr), 30).await.unwrap();
        accounts::revoke_role(&db, &admin, "hr", &hr).await.unwrap();
        assert!(accounts::lookup_token(&db, &second.token).await.unwrap().is_none(), "{}", t.backend);
        accounts::grant_role(&db, &admin, "hr", &hr).await.unwrap();
        assert!(accounts::lookup_token(&db, &second.token).await.unwrap().is_none(), "{}: stays dead", t.backend);
        let row = gongjiang_store::tokens::by_id(&db, second.id).await.unwrap().unwrap();
        assert!(row.revoked_at.is_some(), "{}: marked revoked", t.backend);
        assert_eq!(audit::verify(&db).await.unwrap().broken, None);
        db.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn roles_typed_on_the_command_line_resolve_credit_codes() {
    for t in TestDb::all().await {
        let db = Db::connect(&t.url).await.unwrap().with_keys(t.keys());
        let (in_heping, _) = two_enterprises(&db).await;
        assert_eq!(accounts::parse_role_arg(&db, "city-admin").await.unwrap(), Role::CityAdmin);
        assert_eq!(
            accounts::parse_role_arg(&db, "district-admin:120101,120102").await.unwrap(),
            Role::DistrictAdmin { districts: districts(&["120101", "120102"]) }
        );
        assert_eq!(
            accounts::parse_role_arg(&db, "enterprise-hr:91120101MA05K1A2XA").await.unwrap(),
            Role::EnterpriseHr { organisation: in_heping }
        );
        for bad in ["district-admin:1201", "enterprise-hr:91120101MA05K1A2ZZ", "worker:120101199001011234", "king"] {
            let e = accounts::parse_role_arg(&db, bad).await.unwrap_err();
            assert!(matches!(e, AccountError::Invalid(_)), "{bad}: {e}");
        }
        db.close().await;
    }
}
