//! `/xapi`, the Learning Record Store, over real HTTP on every backend: statements pushed with a
//! provider's token (HTTP Basic, the token as password) credit learning hours and completion to
//! the enrolments they name — several durations, a repeated id (no change), a conflicting
//! repeat (409), a voided statement (its hours taken back), a completion, an unknown learner
//! and another provider's programme (stored, credited nothing) — and every enrolment's hours
//! and status come out as derived by hand. Also: the version header, About, GET by id and
//! voided id, filtered pages with `more`, and one provider not reading another's statements.

use std::path::Path;

use base64::Engine;
use gongjiang_app::import::{self, ImportOptions, Kind};
use gongjiang_app::{Actor, accounts};
use gongjiang_domain::access::{Role, Scope};
use gongjiang_store::organisations;
use serde_json::{Value, json};

use crate::support::{Reply, Server, on_each_backend, uscc};

const P1: &str = "12010119900101101X";
const P2: &str = "120102199505052022";
const P3: &str = "120103199808083033";
const HOME_A: &str = "https://learn.a.example.cn";
const HOME_B: &str = "https://learn.b.example.cn";

async fn setup(s: &Server, dir: &Path) -> (String, String) {
    let (a, b) = (uscc("52120000MJ0XAP001"), uscc("52120000MJ0XAP002"));
    let files = [
        (
            Kind::Orgs,
            "orgs.csv",
            format!("uscc,name,kind,district\n{a},甲培训学校,培训机构,河西区\n{b},乙培训学校,培训机构,南开区\n"),
        ),
        (
            Kind::Persons,
            "persons.csv",
            format!("id_number,name,district\n{P1},张一,和平区\n{P2},李二,河东区\n{P3},王三,河西区\n"),
        ),
        (
            Kind::Programmes,
            "programmes.csv",
            format!(
                "code,provider_uscc,name,occupation,level,mode,hours,starts_on,ends_on,capacity,platform_url\n\
                 XA-001,{a},数控车工线上班,6-18-01-01,高级工,online,72,2025-01-01,2025-12-31,30,{HOME_A}\n\
                 XB-001,{b},电工线上班,6-31-01-03,中级工,online,40,2025-01-01,2025-12-31,30,{HOME_B}\n"
            ),
        ),
        (
            Kind::Enrolments,
            "enrolments.csv",
            format!(
                "programme_code,id_number,learner_id,enrolled_on\n\
                 XA-001,{P1},stu0001,2025-01-05\nXA-001,{P2},stu0002,2025-01-05\nXB-001,{P3},stu0003,2025-01-05\n"
            ),
        ),
    ];
    for (kind, name, text) in files {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let sum =
            import::run(&s.app, &Actor::cli("test"), kind, &path, &ImportOptions::default(), &|_| ()).await.unwrap();
        assert_eq!(sum.rejected, 0, "{kind:?}: {:?}", sum.rejected_rows);
    }
    let ids = organisations::all_ids(&s.app.db).await.unwrap();
    let mut tokens = Vec::new();
    for (user, org) in [("provider_a", &a), ("provider_b", &b)] {
        let role = Role::TrainingProvider { organisation: ids[org] };
        crate::users::user(&s.app, user, std::slice::from_ref(&role)).await;
        let actor = Actor::cli("test");
        tokens.push(accounts::create_token(&s.app.db, &actor, user, "lms", &[role], 30).await.unwrap().token);
    }
    (tokens.remove(0), tokens.remove(0))
}

fn basic(token: &str) -> String {
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("lms:{token}")))
}

async fn call(s: &Server, method: reqwest::Method, path: &str, token: &str, body: Option<&Value>) -> Reply {
    let mut req = s
        .client()
        .request(method, format!("{}{path}", s.base))
        .header("X-Experience-API-Version", "1.0.3")
        .header("Authorization", basic(token));
    if let Some(b) = body {
        req = req.json(b);
    }
    s.send(req).await
}

fn statement(id: &str, learner: &str, home: &str, verb: &str, programme: &str, result: Value) -> Value {
    json!({
        "id": id,
        "actor": {"objectType": "Agent", "account": {"homePage": home, "name": learner}},
        "verb": {"id": format!("http://adlnet.gov/expapi/verbs/{verb}"), "display": {"en-US": verb}},
        "object": {"id": format!("https://gongjiang.example/programmes/{programme}"), "objectType": "Activity"},
        "result": result,
        "timestamp": "2025-06-20T10:00:00+08:00"
    })
}

const S1: &str = "018f0000-0000-7000-8000-000000000001";
const S2: &str = "018f0000-0000-7000-8000-000000000002";
const S3: &str = "018f0000-0000-7000-8000-000000000003";
const S4: &str = "018f0000-0000-7000-8000-000000000004";
const VOID: &str = "018f0000-0000-7000-8000-00000000000a";

/// (learner, hours, status) of a programme's enrolments.
async fn hours(s: &Server, code: &str) -> Vec<(String, f64, String)> {
    let r = gongjiang_app::training::enrolments(&s.app, &Scope::all(), code).await.unwrap();
    r.enrolments.into_iter().map(|e| (e.learner_id.unwrap_or_default(), e.hours, e.status)).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn statements_credit_hours_and_completion_to_enrolments() {
    on_each_backend(|s| async move {
        let b = s.backend;
        let dir = tempfile::tempdir().unwrap();
        let (token_a, token_b) = setup(&s, dir.path()).await;
        let post = reqwest::Method::POST;

        // About needs no version header and names 1.0.3; everything else needs one.
        let about = s.send(s.client().get(format!("{}/xapi/about", s.base))).await;
        assert_eq!((about.status, &about.json["version"]), (200, &json!(["1.0.3"])), "[{b}]");
        let bare = s
            .send(s.client().get(format!("{}/xapi/statements", s.base)).header("Authorization", basic(&token_a)))
            .await;
        assert_eq!(bare.status, 400, "[{b}] {}", bare.text);
        let anonymous = s
            .send(s.client().get(format!("{}/xapi/statements", s.base)).header("X-Experience-API-Version", "1.0.3"))
            .await;
        assert_eq!(anonymous.status, 401, "[{b}]");

        // A batch: two durations for stu0001, one for stu0002; an unknown learner; a statement
        // about provider B's programme; one with no crediting meaning.
        let batch = json!([
            statement(S1, "stu0001", HOME_A, "attended", "XA-001", json!({"duration": "PT1H30M"})),
            statement(S2, "stu0001", HOME_A, "progressed", "XA-001", json!({"duration": "PT45M"})),
            statement(S3, "stu0002", HOME_A, "attended", "XA-001", json!({"duration": "PT2H"})),
            statement(
                "018f0000-0000-7000-8000-000000000005",
                "stu9999",
                HOME_A,
                "attended",
                "XA-001",
                json!({"duration": "PT3H"})
            ),
            statement(
                "018f0000-0000-7000-8000-000000000006",
                "stu0003",
                HOME_B,
                "attended",
                "XB-001",
                json!({"duration": "PT5H"})
            ),
            statement("018f0000-0000-7000-8000-000000000007", "stu0001", HOME_A, "launched", "XA-001", json!({})),
        ]);
        let r = call(&s, post.clone(), "/xapi/statements", &token_a, Some(&batch)).await;
        assert_eq!(r.status, 200, "[{b}] {}", r.text);
        assert_eq!(r.json.as_array().map(Vec::len), Some(6), "[{b}]");
        // The same id and content again: nothing changes. Other content: 409, and nothing of
        // that batch is stored.
        let again = call(&s, post.clone(), "/xapi/statements", &token_a, Some(&batch[0])).await;
        assert_eq!(again.status, 200, "[{b}] {}", again.text);
        let changed = json!([
            statement(S4, "stu0001", HOME_A, "attended", "XA-001", json!({"duration": "PT9H"})),
            statement(S1, "stu0001", HOME_A, "attended", "XA-001", json!({"duration": "PT10H"})),
        ]);
        let conflict = call(&s, post.clone(), "/xapi/statements", &token_a, Some(&changed)).await;
        assert_eq!(conflict.status, 409, "[{b}] {}", conflict.text);
        // Voiding stu0002's statement takes its two hours back; a completion completes stu0001.
        let void = json!({
            "id": VOID,
            "actor": {"account": {"homePage": HOME_A, "name": "admin"}},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
            "object": {"objectType": "StatementRef", "id": S3}
        });
        assert_eq!(call(&s, post.clone(), "/xapi/statements", &token_a, Some(&void)).await.status, 200, "[{b}]");
        let done = statement(S4, "stu0001", HOME_A, "completed", "XA-001", json!({"completion": true}));
        let put =
            call(&s, reqwest::Method::PUT, &format!("/xapi/statements?statementId={S4}"), &token_a, Some(&done)).await;
        assert_eq!(put.status, 204, "[{b}] {}", put.text);

        // stu0001: 1.5 h + 0.75 h = 2.25 h, completed; stu0002: 2 h voided = 0; stu0003 (provider
        // B's programme, pushed by A): 0.
        assert_eq!(
            hours(&s, "XA-001").await,
            [("stu0001".into(), 2.25, "completed".into()), ("stu0002".into(), 0.0, "enrolled".into())],
            "[{b}]"
        );
        assert_eq!(hours(&s, "XB-001").await, [("stu0003".into(), 0.0, "enrolled".into())], "[{b}]");

        // The two statements that credited nothing are listed for provider A with their reasons.
        let provider_a = organisations::all_ids(&s.app.db).await.unwrap()[&uscc("52120000MJ0XAP001")];
        let unmatched = gongjiang_app::xapi::unmatched(&s.app, Some(provider_a), 10).await.unwrap();
        let reasons: Vec<&str> = unmatched.iter().map(|u| u.reason.en.as_str()).collect();
        assert_eq!(
            reasons,
            [
                "programme XB-001 belongs to another provider",
                "programme XA-001 has no enrolment with learner account stu9999"
            ],
            "[{b}]"
        );

        // Reading back: one by id (with stored and authority), the voided one only by its voided id.
        let one = call(&s, reqwest::Method::GET, &format!("/xapi/statements?statementId={S1}"), &token_a, None).await;
        assert_eq!(one.status, 200, "[{b}]");
        assert!(
            one.json["stored"].is_string() && one.json["authority"]["account"]["name"] == "provider_a",
            "[{b}] {}",
            one.text
        );
        let gone = call(&s, reqwest::Method::GET, &format!("/xapi/statements?statementId={S3}"), &token_a, None).await;
        assert_eq!(gone.status, 404, "[{b}]");
        let voided =
            call(&s, reqwest::Method::GET, &format!("/xapi/statements?voidedStatementId={S3}"), &token_a, None).await;
        assert_eq!((voided.status, voided.json["id"].as_str()), (200, Some(S3)), "[{b}]");
        // Provider B does not see A's statements.
        let hidden =
            call(&s, reqwest::Method::GET, &format!("/xapi/statements?statementId={S1}"), &token_b, None).await;
        assert_eq!(hidden.status, 404, "[{b}]");

        // stu0001's statements, one per page, newest first: S4, the launch, S2, S1.
        let agent = json!({"account": {"homePage": HOME_A, "name": "stu0001"}}).to_string();
        let mut path = format!(
            "/xapi/statements?limit=1&agent={}",
            form_urlencoded::byte_serialize(agent.as_bytes()).collect::<String>()
        );
        let mut seen = Vec::new();
        while !path.is_empty() {
            let page = call(&s, reqwest::Method::GET, &path, &token_a, None).await;
            assert_eq!(page.status, 200, "[{b}] {}", page.text);
            for st in page.json["statements"].as_array().unwrap() {
                seen.push(st["id"].as_str().unwrap().to_string());
            }
            path = page.json["more"].as_str().unwrap().to_string();
            assert!(seen.len() <= 4, "[{b}] paging does not end");
        }
        assert_eq!(seen, [S4, "018f0000-0000-7000-8000-000000000007", S2, S1], "[{b}]");
        let verb = call(
            &s,
            reqwest::Method::GET,
            "/xapi/statements?verb=http://adlnet.gov/expapi/verbs/voided",
            &token_a,
            None,
        )
        .await;
        assert_eq!(verb.json["statements"].as_array().map(Vec::len), Some(1), "[{b}]");

        // The alternate request syntax: a PUT and a GET sent as form POSTs.
        let alt = statement(
            "018f0000-0000-7000-8000-0000000000a1",
            "stu0002",
            HOME_A,
            "attended",
            "XA-001",
            json!({"duration": "PT30M"}),
        );
        let form = form_urlencoded::Serializer::new(String::new())
            .append_pair("statementId", "018f0000-0000-7000-8000-0000000000a1")
            .append_pair("content", &alt.to_string())
            .append_pair("X-Experience-API-Version", "1.0.3")
            .append_pair("Authorization", &basic(&token_a))
            .finish();
        let put = s
            .client()
            .post(format!("{}/xapi/statements?method=PUT", s.base))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(form);
        assert_eq!(s.send(put).await.status, 204, "[{b}]");
        assert_eq!(hours(&s, "XA-001").await[1], ("stu0002".into(), 0.5, "enrolled".into()), "[{b}]");

        // An invalid statement is refused whole with 400.
        let bad = json!({"actor": {"mbox": "a@b.c"}, "verb": {"id": "http://v"}, "object": {"id": "http://o"}});
        assert_eq!(call(&s, post, "/xapi/statements", &token_a, Some(&bad)).await.status, 400, "[{b}]");
    })
    .await;
}

/// A request with the version header and `token` (Basic), a raw body and extra headers.
async fn raw(
    s: &Server,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: &str,
    headers: &[(&str, &str)],
) -> (u16, String, Option<String>) {
    let mut req = s
        .client()
        .request(method, format!("{}{path}", s.base))
        .header("X-Experience-API-Version", "1.0.3")
        .header("Authorization", basic(token))
        .header("Content-Type", "application/json")
        .body(body.to_owned());
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let etag = resp.headers().get("etag").and_then(|v| v.to_str().ok()).map(str::to_owned);
    (status, resp.text().await.unwrap(), etag)
}

#[tokio::test(flavor = "multi_thread")]
async fn documents_store_merge_and_guard_with_etags() {
    on_each_backend(|s| async move {
        let b = s.backend;
        let dir = tempfile::tempdir().unwrap();
        let (token_a, token_b) = setup(&s, dir.path()).await;
        let enc = |v: &str| form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>();
        let agent = enc(&json!({"account": {"homePage": HOME_A, "name": "stu0001"}}).to_string());
        let activity = enc("https://gongjiang.example/programmes/XA-001");
        let state = format!("/xapi/activities/state?activityId={activity}&agent={agent}&stateId=bookmark");
        use reqwest::Method as M;

        // State: PUT, GET with a quoted SHA-1 ETag, POST merges JSON objects, listing, DELETE.
        assert_eq!(raw(&s, M::PUT, &state, &token_a, r#"{"page": 3}"#, &[]).await.0, 204, "[{b}]");
        let (status, body, etag) = raw(&s, M::GET, &state, &token_a, "", &[]).await;
        assert_eq!((status, body.as_str()), (200, r#"{"page": 3}"#), "[{b}]");
        let etag = etag.expect("an ETag");
        assert!(
            etag.len() == 42 && etag.starts_with('"') && etag[1..41].bytes().all(|c| c.is_ascii_hexdigit()),
            "[{b}] {etag}"
        );
        assert_eq!(raw(&s, M::POST, &state, &token_a, r#"{"done": ["unit 1"]}"#, &[]).await.0, 204, "[{b}]");
        let merged: Value = serde_json::from_str(&raw(&s, M::GET, &state, &token_a, "", &[]).await.1).unwrap();
        assert_eq!(merged, json!({"page": 3, "done": ["unit 1"]}), "[{b}]");
        let list = format!("/xapi/activities/state?activityId={activity}&agent={agent}");
        assert_eq!(raw(&s, M::GET, &list, &token_a, "", &[]).await.1, r#"["bookmark"]"#, "[{b}]");
        // Provider B has its own documents.
        assert_eq!(raw(&s, M::GET, &state, &token_b, "", &[]).await.0, 404, "[{b}]");
        assert_eq!(raw(&s, M::DELETE, &state, &token_a, "", &[]).await.0, 204, "[{b}]");
        assert_eq!(raw(&s, M::GET, &state, &token_a, "", &[]).await.0, 404, "[{b}]");

        // Activity profile: a PUT names its expectation (400 without; a second needs If-Match: 409
        // without, 412 with a stale ETag).
        let profile = format!("/xapi/activities/profile?activityId={activity}&profileId=syllabus");
        assert_eq!(
            raw(&s, M::PUT, &profile, &token_a, r#"{"v": 1}"#, &[]).await.0,
            400,
            "[{b}]: PUT without a condition"
        );
        assert_eq!(raw(&s, M::PUT, &profile, &token_a, r#"{"v": 1}"#, &[("If-None-Match", "*")]).await.0, 204, "[{b}]");
        let tag = raw(&s, M::GET, &profile, &token_a, "", &[]).await.2.unwrap();
        assert_eq!(raw(&s, M::PUT, &profile, &token_a, r#"{"v": 2}"#, &[]).await.0, 409, "[{b}]");
        let stale = "\"0000000000000000000000000000000000000000\"";
        assert_eq!(raw(&s, M::PUT, &profile, &token_a, r#"{"v": 2}"#, &[("If-Match", stale)]).await.0, 412, "[{b}]");
        assert_eq!(raw(&s, M::PUT, &profile, &token_a, r#"{"v": 2}"#, &[("If-Match", &tag)]).await.0, 204, "[{b}]");
        assert_eq!(raw(&s, M::PUT, &profile, &token_a, r#"{"v": 3}"#, &[("If-None-Match", "*")]).await.0, 412, "[{b}]");
        assert_eq!(raw(&s, M::GET, &profile, &token_a, "", &[]).await.1, r#"{"v": 2}"#, "[{b}]");
    })
    .await;
}
