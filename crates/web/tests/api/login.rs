//! Signing in over HTTP: the session cookie, the CSRF token, lockout, ended sessions, and the
//! one extractor that also takes bearer tokens.

use gongjiang_app::accounts;
use gongjiang_domain::access::Role;
use gongjiang_store::Db;
use gongjiang_testkit::TestDb;
use serde_json::json;
use time::{Duration, OffsetDateTime};

use crate::support::{Server, error_of, on_each_backend, spawn_with};
use crate::users::{PW, Signed, admin_actor, sign_in, sign_in_reply, user};

#[tokio::test]
async fn a_user_signs_in_sees_who_they_are_and_signs_out() {
    on_each_backend(|s| async move {
        let r = sign_in_reply(&s, "root", PW).await;
        assert_eq!(r.status, 201, "{}", r.text);
        let cookie = r.set_cookie.clone().expect("a session cookie");
        assert!(cookie.starts_with("gongjiang_session="), "{cookie}");
        for attr in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=28800"] {
            assert!(cookie.contains(attr), "{attr} missing: {cookie}");
        }
        assert!(!cookie.contains("Secure"), "plain HTTP: a Secure cookie would never come back: {cookie}");
        let csrf = r.json["csrf_token"].as_str().expect("csrf token").to_string();
        assert_eq!(csrf.len(), 64);
        assert_eq!(r.json["user"]["username"], "root");
        assert_eq!(r.json["via"], "session");
        assert_eq!(r.json["roles"], json!([{ "kind": "city-admin" }]));
        let perms = r.json["permissions"].as_array().expect("permissions");
        assert!(perms.iter().any(|p| p["resource"] == "audit" && p["action"] == "read" && p["scope"]["all"] == true));

        let me = Signed::from_cookie(&cookie, &csrf);
        let who = s.send(me.get(&s, "/api/v1/session")).await;
        assert_eq!(who.status, 200, "{}", who.text);
        assert_eq!(who.json["csrf_token"], csrf.as_str(), "a reloaded page gets the same token back");
        assert_eq!(who.json["user"]["username"], "root");

        let anonymous = s.get_anonymous("/api/v1/session").await;
        assert_eq!((anonymous.status, error_of(&anonymous).0.as_str()), (401, "unauthorized"));

        // Signing out is state-changing: the CSRF token is required.
        let r = s.send(me.without_csrf(s.client().delete(s.url("/api/v1/session")))).await;
        assert_eq!((r.status, error_of(&r).0.as_str()), (403, "csrf_rejected"));
        let r = s.send(me.delete(&s, "/api/v1/session")).await;
        assert_eq!(r.status, 204, "{}", r.text);
        let gone = s.send(me.get(&s, "/api/v1/session")).await;
        assert!(gone.set_cookie.is_none());
        assert_eq!(gone.status, 401, "the session ended on the server");
    })
    .await;
}

#[tokio::test]
async fn signing_out_clears_the_cookie() {
    let s = crate::support::spawn(TestDb::sqlite()).await;
    let me = sign_in(&s, "root").await;
    let r = s.send(me.delete(&s, "/api/v1/session")).await;
    assert_eq!(r.status, 204);
    let cleared = r.set_cookie.expect("Set-Cookie");
    assert!(cleared.starts_with("gongjiang_session=;") && cleared.contains("Max-Age=0"), "{cleared}");
}

#[tokio::test]
async fn wrong_passwords_are_refused_and_lock_the_account_with_retry_after() {
    on_each_backend(|s| async move {
        user(&s.app, "clerk", &[Role::DistrictAdmin { districts: ["120101".to_string()].into() }]).await;
        let r = sign_in_reply(&s, "nobody", PW).await;
        assert_eq!((r.status, error_of(&r).0.as_str()), (401, "bad_credentials"), "unknown user: same answer");
        for attempt in 1..accounts::FREE_FAILURES {
            let r = sign_in_reply(&s, "clerk", "not-the-password-at-all").await;
            assert_eq!((r.status, error_of(&r).0.as_str()), (401, "bad_credentials"), "attempt {attempt}");
            assert!(r.set_cookie.is_none());
        }
        let r = sign_in_reply(&s, "clerk", "not-the-password-at-all").await;
        assert_eq!((r.status, error_of(&r).0.as_str()), (423, "locked"), "{}", r.text);
        let retry: u64 = r.retry_after.expect("Retry-After").parse().expect("seconds");
        assert!((1..=30).contains(&retry), "the first lock is 30 s: {retry}");
        // While locked even the right password does not get in.
        let r = sign_in_reply(&s, "clerk", PW).await;
        assert_eq!(r.status, 423, "{}", r.text);
        assert!(r.set_cookie.is_none());
        // Malformed requests are 400, not a failed attempt.
        let r = s.send(s.client().post(s.url("/api/v1/session")).body("{")).await;
        assert_eq!(r.status, 400);
    })
    .await;
}

#[tokio::test]
async fn a_state_changing_request_on_a_cookie_needs_the_right_csrf_token() {
    on_each_backend(|s| async move {
        let me = sign_in(&s, "root").await;
        let other = sign_in(&s, "root").await;
        assert_ne!(me.csrf, other.csrf, "each session has its own token");
        let body = json!({ "credentialId": "urn:uuid:0190a6b4-7c1e-7a3b-9f00-3f5c2d1e4b6a", "credentialStatus": [] });
        let url = s.url("/credentials/status");
        let missing = s.send(me.without_csrf(s.client().post(&url)).json(&body)).await;
        assert_eq!((missing.status, error_of(&missing).0.as_str()), (403, "csrf_rejected"));
        let wrong = s.send(me.with_csrf(s.client().post(&url), &other.csrf).json(&body)).await;
        assert_eq!((wrong.status, error_of(&wrong).0.as_str()), (403, "csrf_rejected"), "another session's token");
        let garbage = s.send(me.with_csrf(s.client().post(&url), "x").json(&body)).await;
        assert_eq!(garbage.status, 403);
        // The right token passes the check; the handler then answers (no such certificate).
        let right = s.send(me.post(&s, "/credentials/status").json(&body)).await;
        assert_eq!((right.status, error_of(&right).0.as_str()), (404, "not_found"), "{}", right.text);
        // GET needs none.
        assert_eq!(s.send(me.without_csrf(s.client().get(s.url("/api/v1/session")))).await.status, 200);
        // A public POST does not act for the session: a signed-in visitor verifying a credential
        // on the /verify page (whose script sends the cookie along) is not refused.
        let verify =
            me.without_csrf(s.client().post(s.url("/credentials/verify"))).json(&json!({"verifiableCredential": {}}));
        let r = s.send(verify).await;
        assert!(r.status != 403 && r.status != 401, "{}: {}", r.status, r.text);
        // An HTML form carries it in the field `csrf`.
        let form = me
            .without_csrf(s.client().delete(s.url("/api/v1/session")))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("a=1&csrf={}&b=2", me.csrf));
        assert_eq!(s.send(form).await.status, 204, "signed out by a form");
        let bad_form = other
            .without_csrf(s.client().delete(s.url("/api/v1/session")))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("csrf={}", me.csrf));
        assert_eq!(s.send(bad_form).await.status, 403);
    })
    .await;
}

#[tokio::test]
async fn bearer_tokens_use_the_same_extractor_and_need_no_csrf_token() {
    on_each_backend(|s| async move {
        let admin = admin_actor(&s.app).await;
        let token = accounts::create_token(&s.app.db, &admin, "root", "hr-system", &[Role::CityAdmin], 30)
            .await
            .expect("token")
            .token;
        let r = s.send(s.client().get(s.url("/api/v1/session")).bearer_auth(&token)).await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(r.json["via"], "token");
        assert_eq!(r.json["csrf_token"], serde_json::Value::Null);
        let body = json!({ "credentialId": "urn:uuid:0190a6b4-7c1e-7a3b-9f00-3f5c2d1e4b6a", "credentialStatus": [] });
        let r = s.send(s.client().post(s.url("/credentials/status")).bearer_auth(&token).json(&body)).await;
        assert_eq!(r.status, 404, "no CSRF token needed with a bearer token: {}", r.text);
        for bad in ["gjt_0000", ""] {
            let r = s.send(s.client().get(s.url("/api/v1/session")).bearer_auth(bad)).await;
            assert_eq!(r.status, 401, "token {bad:?}");
        }
        let r = s.send(s.client().get(s.url("/api/v1/session")).header("authorization", "Basic cm9vdDpw")).await;
        assert_eq!(r.status, 401);
    })
    .await;
}

/// Moves a session's clock: both columns are read by `lookup_login`.
async fn age_sessions(db: &Db, column: &str, to: OffsetDateTime) {
    let sql = sqlx::AssertSqlSafe(format!("UPDATE sessions SET {column} = $1"));
    match db {
        Db::Sqlite { write, .. } => sqlx::query(sql).bind(to).execute(write).await.map(|_| ()),
        Db::Postgres(pool, _) => sqlx::query(sql).bind(to).execute(pool).await.map(|_| ()),
    }
    .expect("age the sessions");
}

#[tokio::test]
async fn idle_and_expired_sessions_end() {
    on_each_backend(|s| async move {
        let now = OffsetDateTime::now_utc();
        let idle = sign_in(&s, "root").await;
        assert_eq!(s.send(idle.get(&s, "/api/v1/session")).await.status, 200);
        age_sessions(&s.app.db, "last_seen_at", now - accounts::SESSION_IDLE - Duration::seconds(5)).await;
        assert_eq!(s.send(idle.get(&s, "/api/v1/session")).await.status, 401, "idle for longer than 30 min");

        let old = sign_in(&s, "root").await;
        age_sessions(&s.app.db, "expires_at", now - Duration::seconds(1)).await;
        assert_eq!(s.send(old.get(&s, "/api/v1/session")).await.status, 401, "past its lifetime");
        // A dead session cannot post either, CSRF token or not: 401 from the handler.
        let body = json!({ "credentialId": "urn:uuid:0190a6b4-7c1e-7a3b-9f00-3f5c2d1e4b6a", "credentialStatus": [] });
        assert_eq!(s.send(old.post(&s, "/credentials/status").json(&body)).await.status, 401);
    })
    .await;
}

#[tokio::test]
async fn revoking_a_role_ends_the_users_sessions() {
    on_each_backend(|s| async move {
        let district = Role::DistrictAdmin { districts: ["120101".to_string()].into() };
        user(&s.app, "heping", std::slice::from_ref(&district)).await;
        let me = sign_in(&s, "heping").await;
        let r = s.send(me.get(&s, "/api/v1/session")).await;
        assert_eq!(r.json["roles"][0]["districts"], json!(["120101"]));
        accounts::revoke_role(&s.app.db, &admin_actor(&s.app).await, "heping", &district).await.expect("revoke");
        assert_eq!(s.send(me.get(&s, "/api/v1/session")).await.status, 401);
    })
    .await;
}

#[tokio::test]
async fn sign_in_attempts_are_rate_limited_per_address() {
    let options = gongjiang_web::WebOptions {
        sign_in_rate: gongjiang_web::rate_limit::PublicRate { per_minute: 1, burst: 2 },
        ..Default::default()
    };
    let s = spawn_with(TestDb::sqlite(), options, &[]).await;
    assert_eq!(sign_in_reply(&s, "nobody", PW).await.status, 401);
    assert_eq!(sign_in_reply(&s, "nobody", PW).await.status, 401);
    let r = sign_in_reply(&s, "root", PW).await;
    assert_eq!((r.status, error_of(&r).0.as_str()), (429, "rate_limited"));
    assert!(r.retry_after.is_some());
    // Signed-in requests are not slowed by the sign-in limit.
    assert_eq!(s.get("/api/v1/health").await.status, 200);
}

#[tokio::test]
async fn over_https_the_cookie_is_secure_and_host_prefixed() {
    let options = gongjiang_web::WebOptions { https: true, ..Default::default() };
    let s = spawn_with(TestDb::sqlite(), options, &[]).await;
    let r = sign_in_reply(&s, "root", PW).await;
    let cookie = r.set_cookie.expect("cookie");
    assert!(cookie.starts_with("__Host-gongjiang_session="), "{cookie}");
    assert!(cookie.contains("; Secure") && cookie.contains("Path=/") && !cookie.contains("Domain"), "{cookie}");
    // The plain name is not read when the service is configured for HTTPS.
    let value = cookie.split(';').next().unwrap().split_once('=').unwrap().1;
    let csrf = r.json["csrf_token"].as_str().unwrap();
    let plain = Signed::from_cookie(&format!("gongjiang_session={value}"), csrf);
    assert_eq!(s.send(plain.get(&s, "/api/v1/session")).await.status, 401);
    let secure = Signed::from_cookie(&cookie, csrf);
    assert_eq!(s.send(secure.get(&s, "/api/v1/session")).await.status, 200);
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

#[tokio::test]
async fn city_administrators_search_the_audit_trail_by_actor_action_record_and_time_in_pages() {
    on_each_backend(|s| async move {
        // Three personal-data reads by root's token, one by a district administrator's session.
        let page = s.ok("/api/v1/persons?limit=3").await;
        let ids: Vec<String> =
            page["items"].as_array().unwrap().iter().map(|p| p["public_id"].as_str().unwrap().to_string()).collect();
        for id in &ids {
            s.ok(&format!("/api/v1/persons/{id}")).await;
        }
        let district = Role::DistrictAdmin { districts: ["120116".to_string(), "120101".to_string()].into() };
        user(&s.app, "district", std::slice::from_ref(&district)).await;
        let me = sign_in(&s, "district").await;
        assert_eq!(s.send(me.get(&s, &format!("/api/v1/persons/{}", ids[0]))).await.status, 200);

        let reads = s.ok("/api/v1/audit?action=person.read_personal_data").await;
        let items = reads["items"].as_array().unwrap();
        assert_eq!(items.len(), 4, "{reads}");
        assert_eq!(items[0]["actor"], "user:district", "newest first");
        assert_eq!(items[0]["record_id"], ids[0].as_str());
        assert_eq!(items[0]["client_addr"], "127.0.0.1");
        assert!(items[1]["actor"].as_str().unwrap().starts_with("token:"));
        let seqs: Vec<i64> = items.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
        assert!(seqs.windows(2).all(|w| w[0] > w[1]), "{seqs:?}");

        let one = s.ok(&format!("/api/v1/audit?record={}&actor=user:district", ids[0])).await;
        assert_eq!(one["items"].as_array().unwrap().len(), 1);

        // Keyset pages of one entry walk the same four, then stop.
        let walked = s.walk("/api/v1/audit?action=person.read_personal_data&limit=1").await;
        let walked_seqs: Vec<i64> = walked.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
        assert_eq!(walked_seqs, seqs);

        // A time range: nothing before the reads, all four from the day they happened.
        let none = s.ok("/api/v1/audit?action=person.read_personal_data&to=2000-01-01").await;
        assert!(none["items"].as_array().unwrap().is_empty());
        let at = items[3]["at"].as_str().unwrap();
        let from = s.ok(&format!("/api/v1/audit?action=person.read_personal_data&from={}", &at[..10])).await;
        assert_eq!(from["items"].as_array().unwrap().len(), 4);
        let r = s.get("/api/v1/audit?from=yesterday").await;
        assert_eq!((r.status, error_of(&r).1.as_deref()), (400, Some("from")));

        // Searching is itself recorded; others may not search.
        let searches = s.ok("/api/v1/audit?action=audit.search&limit=500").await;
        assert!(searches["items"].as_array().unwrap().len() >= 6);
        let r = s.send(me.get(&s, "/api/v1/audit")).await;
        assert_eq!((r.status, error_of(&r).0.as_str()), (403, "forbidden"));
        assert_eq!(s.get_anonymous("/api/v1/audit").await.status, 401);
        // The trail still verifies after all of it.
        let v = gongjiang_store::audit::verify(&s.app.db).await.unwrap();
        assert!(v.broken.is_none(), "{v:?}");
        // A record with the full identity number is kept by no cache on the way.
        let r = s.client().get(s.url(&format!("/api/v1/persons/{}", ids[0]))).bearer_auth(&s.admin_token).send().await;
        let r = r.unwrap();
        assert_eq!(r.status().as_u16(), 200);
        assert_eq!(r.headers().get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"));
        let asset = s.client().get(s.url("/static/app.css")).send().await.unwrap();
        assert!(asset.headers()["cache-control"].to_str().unwrap().contains("immutable"), "assets keep theirs");
    })
    .await;
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_address_is_the_client() {
    let options = gongjiang_web::WebOptions {
        trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
        sign_in_rate: gongjiang_web::rate_limit::PublicRate { per_minute: 1, burst: 1 },
        ..Default::default()
    };
    let s = spawn_with(TestDb::sqlite(), options, &[]).await;
    let body = json!({ "username": "root", "password": PW });
    let via = |addr: &str| s.client().post(s.url("/api/v1/session")).header("x-forwarded-for", addr).json(&body);
    assert_eq!(s.send(via("10.9.8.7")).await.status, 201);
    // Each forwarded client has its own sign-in allowance.
    assert_eq!(s.send(via("10.9.8.7")).await.status, 429);
    assert_eq!(s.send(via("10.9.8.8")).await.status, 201);
    let filter = gongjiang_store::audit::AuditFilter { action: Some("session.create".into()), ..Default::default() };
    let entries = gongjiang_store::audit::search(&s.app.db, &filter, None, 10).await.unwrap();
    let addrs: Vec<_> = entries.iter().map(|e| e.client_addr.clone().unwrap_or_default()).collect();
    assert_eq!(addrs, ["10.9.8.8", "10.9.8.7"]);

    // Without a trusted proxy the header is ignored: the peer is the client.
    let plain = crate::support::spawn(TestDb::sqlite()).await;
    let r = plain
        .send(plain.client().post(plain.url("/api/v1/session")).header("x-forwarded-for", "10.9.8.7").json(&body))
        .await;
    assert_eq!(r.status, 201);
    let entries = gongjiang_store::audit::search(&plain.app.db, &filter, None, 10).await.unwrap();
    assert_eq!(entries[0].client_addr.as_deref(), Some("127.0.0.1"));
}
