//! `/api/v1/me`: a worker signed in gets a copy of everything held about them (JSON and XLSX)
//! and files a correction request; both are in the audit trail under their name. Callers
//! without a worker role, and wrong requests, are refused with the reason (the allow/deny of
//! every role is in `matrix.rs`).

use gongjiang_domain::access::{Role, Scope};
use gongjiang_store::audit::{self, AuditFilter};
use gongjiang_store::persons;
use serde_json::json;

use crate::support::on_each_backend;
use crate::users::{sign_in, user};

#[tokio::test]
async fn a_worker_gets_their_data_and_asks_for_a_correction() {
    on_each_backend(|s| async move {
        let b = s.backend;
        let me = persons::list(&s.app.db, &Scope::all(), &Default::default(), None, 1).await.unwrap().remove(0);
        user(&s.app, "worker1", &[Role::Worker { person: me.id }]).await;
        user(&s.app, "hr1", &[Role::Public]).await;
        let w = sign_in(&s, "worker1").await;

        let r = s.send(w.get(&s, "/api/v1/me/data")).await;
        assert_eq!(r.status, 200, "[{b}] {}", r.text);
        assert_eq!(r.json["person"]["id_number"].as_str(), Some(me.id_number.as_str()), "[{b}] in full");
        assert_eq!(r.json["person"]["name"].as_str(), Some(me.name.as_str()));
        for part in
            ["levels", "employment", "applications", "certificates", "appointments", "corrections", "access_log"]
        {
            assert!(r.json[part].is_array(), "[{b}] {part}: {}", r.text);
        }
        let x = s.send(w.get(&s, "/api/v1/me/data?format=xlsx")).await;
        assert_eq!(x.status, 200, "[{b}]");
        assert!(x.content_type.contains("spreadsheetml"), "[{b}] {}", x.content_type);
        let bad = s.send(w.get(&s, "/api/v1/me/data?format=pdf")).await;
        assert_eq!(bad.status, 400, "[{b}] {}", bad.text);

        let body = json!({"field": "name", "value": "新名字", "reason": "户籍更名"});
        let r = s.send(w.post(&s, "/api/v1/me/corrections").json(&body)).await;
        assert_eq!((r.status, r.json["status"].as_str()), (201, Some("open")), "[{b}] {}", r.text);
        let wrong = json!({"field": "district", "value": "火星区"});
        let r = s.send(w.post(&s, "/api/v1/me/corrections").json(&wrong)).await;
        assert_eq!(r.status, 422, "[{b}] {}", r.text);
        assert!(r.text.contains("更正值有误") && r.text.contains("proposed value"), "[{b}] {}", r.text);
        let r = s.send(w.post(&s, "/api/v1/me/corrections").json(&json!({"field": "salary", "value": "1"}))).await;
        assert_eq!(r.status, 422, "[{b}] {}", r.text);

        // The trail: the copies (JSON and XLSX) and the one request filed, under the worker.
        let f = AuditFilter { actor: Some("user:worker1".into()), ..AuditFilter::default() };
        let mut actions: Vec<String> =
            audit::search(&s.app.db, &f, None, 100).await.unwrap().into_iter().map(|e| e.action).collect();
        actions.retain(|a| a != "session.create");
        actions.reverse();
        assert_eq!(actions, ["person.export", "person.export", "correction.request"], "[{b}]");
        // The second copy lists the first in the access log.
        let r = s.send(w.get(&s, "/api/v1/me/data")).await;
        let log: Vec<&str> =
            r.json["access_log"].as_array().unwrap().iter().filter_map(|e| e["action"].as_str()).collect();
        assert!(log.iter().filter(|a| **a == "person.export").count() >= 2, "[{b}] {log:?}");
        assert_eq!(r.json["corrections"][0]["proposed"].as_str(), Some("新名字"), "[{b}]");

        // Someone whose roles name no person has no "me".
        let other = sign_in(&s, "hr1").await;
        assert_eq!(s.send(other.get(&s, "/api/v1/me/data")).await.status, 404, "[{b}]");
    })
    .await;
}

#[tokio::test]
async fn a_worker_sees_every_benefit_scheme_with_its_reasons() {
    on_each_backend(|s| async move {
        let b = s.backend;
        let me = persons::list(&s.app.db, &Scope::all(), &Default::default(), None, 1).await.unwrap().remove(0);
        user(&s.app, "worker1", &[Role::Worker { person: me.id }]).await;
        let w = sign_in(&s, "worker1").await;
        let r = s.send(w.get(&s, "/api/v1/me/benefits?on=2026-03-02")).await;
        assert_eq!(r.status, 200, "[{b}] {}", r.text);
        assert_eq!(r.json["on"].as_str(), Some("2026-03-02"), "[{b}]");
        let schemes = r.json["schemes"].as_array().expect("schemes");
        let ids: Vec<&str> = schemes.iter().filter_map(|d| d["scheme"].as_str()).collect();
        assert_eq!(ids, ["skill-upgrade", "haihe-talent", "skill-allowance"], "[{b}]");
        for d in schemes {
            assert!(d["eligible"].is_boolean() && d["inferred"].is_boolean(), "[{b}] {d}");
            assert!(d["reasons"][0]["zh"].is_string() && d["reasons"][0]["en"].is_string(), "[{b}] {d}");
        }
        // The same decisions as the use case's for that person and day.
        let direct =
            gongjiang_app::benefits::for_person(&s.app, &Scope::all(), me.id, time::macros::date!(2026 - 03 - 02))
                .await
                .unwrap();
        assert_eq!(r.json["schemes"], serde_json::to_value(&direct.schemes).unwrap(), "[{b}]");
        let bad = s.send(w.get(&s, "/api/v1/me/benefits?on=2026-13-01")).await;
        assert_eq!(bad.status, 400, "[{b}] {}", bad.text);

        // The worker's page: one card per scheme, with the first reason of each.
        let page = s.send(w.get(&s, "/me/benefits?on=2026-03-02")).await;
        assert_eq!(page.status, 200, "[{b}] {}", page.text);
        assert!(
            page.text.contains("data-scheme=\"skill-upgrade\"") && page.text.contains("data-scheme=\"haihe-talent\""),
            "[{b}]"
        );
        for d in &direct.schemes {
            let first = askama_escape(&d.reasons[0].zh);
            assert!(page.text.contains(&first), "[{b}] {first} in the page");
        }
        assert_eq!(s.send(w.get(&s, "/me/benefits?on=someday")).await.status, 400, "[{b}]");
        user(&s.app, "hr2", &[Role::Public]).await;
        let other = sign_in(&s, "hr2").await;
        assert_eq!(s.send(other.get(&s, "/me/benefits")).await.status, 404, "[{b}]");
    })
    .await;
}

/// Text as askama escapes it in HTML.
fn askama_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&#34;").replace('\'', "&#39;")
}

/// The form body of a correction decision.
fn decision(decision: &str, note: &str) -> String {
    form_urlencoded::Serializer::new(String::new()).append_pair("decision", decision).append_pair("note", note).finish()
}

#[tokio::test]
async fn an_administrator_decides_a_correction_request_on_the_persons_page() {
    on_each_backend(|s| async move {
        let b = s.backend;
        let me = persons::list(&s.app.db, &Scope::all(), &Default::default(), None, 1).await.unwrap().remove(0);
        user(&s.app, "worker1", &[Role::Worker { person: me.id }]).await;
        user(&s.app, "city1", &[Role::CityAdmin]).await;
        let w = sign_in(&s, "worker1").await;
        let body = json!({"field": "name", "value": "新名字", "reason": "户籍更名"});
        let r = s.send(w.post(&s, "/api/v1/me/corrections").json(&body)).await;
        assert_eq!(r.status, 201, "[{b}] {}", r.text);
        let id = r.json["id"].as_i64().unwrap_or_else(|| panic!("[{b}] the request's id: {}", r.text));
        let page = format!("/persons/{}", me.public_id);
        let action = format!("{page}/corrections/{id}");

        // The worker sees their request on their page, without a form to decide it.
        let r = s.send(w.get(&s, &page)).await;
        assert!(r.text.contains("更正请求") && r.text.contains("新名字"), "[{b}] {}", r.text);
        assert!(!r.text.contains(&action), "[{b}] the worker may not decide");
        let form = |who: &crate::users::Signed, d: &str, note: &str| {
            who.post(&s, &action).header("content-type", "application/x-www-form-urlencoded").body(decision(d, note))
        };
        let r = s.send(form(&w, "accept", "自己批准")).await;
        assert!(r.status == 403 || r.status == 404, "[{b}] {} {}", r.status, r.text);

        // The city administrator sees the form; a decision needs a note.
        let a = sign_in(&s, "city1").await;
        let listed = format!("{page}#corrections");
        let home = s.send(a.get(&s, "/")).await;
        assert!(home.text.contains(&listed) && home.text.contains("户籍更名"), "[{b}] on the work list: {}", home.text);
        let r = s.send(a.get(&s, &page)).await;
        assert!(r.text.contains(&action), "[{b}] the form: {}", r.text);
        let r = s.send(form(&a, "accept", "")).await;
        assert_eq!(r.status, 422, "[{b}] {}", r.text);
        assert!(r.text.contains("处理意见"), "[{b}] {}", r.text);
        assert_eq!(persons::get(&s.app.db, &Scope::all(), me.id).await.unwrap().unwrap().name, me.name, "[{b}]");

        let r = s.send(form(&a, "accept", "核实户籍")).await;
        assert!(r.status == 200 || r.status == 303, "[{b}] {} {}", r.status, r.text);
        let now = persons::get(&s.app.db, &Scope::all(), me.id).await.unwrap().unwrap();
        assert_eq!(now.name, "新名字", "[{b}] the record is corrected");
        let r = s.send(a.get(&s, &page)).await;
        assert!(r.text.contains("已采纳") && r.text.contains("核实户籍"), "[{b}] {}", r.text);
        assert!(!r.text.contains(&action), "[{b}] a decided request has no form");
        let home = s.send(a.get(&s, "/")).await;
        assert!(!home.text.contains(&listed), "[{b}] off the work list once decided");
        let r = s.send(form(&a, "reject", "再次")).await;
        assert_eq!(r.status, 422, "[{b}] decided already: {}", r.text);

        let f = AuditFilter { actor: Some("user:city1".into()), ..AuditFilter::default() };
        let actions: Vec<String> =
            audit::search(&s.app.db, &f, None, 100).await.unwrap().into_iter().map(|e| e.action).collect();
        for want in ["correction.decide", "person.correct"] {
            assert!(actions.iter().any(|a| a == want), "[{b}] {want}: {actions:?}");
        }
    })
    .await;
}

/// Plans a session of `level` in `occupation` at a new institution and opens it for applications.
async fn open_session(app: &gongjiang_app::App, serial: &str, occupation: &str, level: &str) -> String {
    open_session_under(app, serial, occupation, level, "2018").await
}

/// As [`open_session`], the session naming `standard` as its occupational skill standard.
async fn open_session_under(
    app: &gongjiang_app::App,
    serial: &str,
    occupation: &str,
    level: &str,
    standard: &str,
) -> String {
    use gongjiang_app::Actor;
    use gongjiang_app::evaluation::institutions::{self, FileInstitution};
    use gongjiang_app::evaluation::sessions::{self, PlanSession};
    use time::macros::date;
    // 测试人员00's employer today (their second spell): an enterprise evaluates its own staff.
    let a = crate::support::employer_b();
    let filing = FileInstitution {
        category: "Y",
        body_code: "0000",
        province_code: "12",
        site_serial: serial,
        name: "和平软件有限公司职业技能等级认定站",
        organisation_uscc: Some(&a),
    };
    let cli = Actor::cli("test");
    let inst = institutions::file(app, &cli, &filing).await.unwrap();
    institutions::add_scope(app, &cli, inst, occupation, level, date!(2025 - 01 - 01), None).await.unwrap();
    let plan = PlanSession {
        institution_id: inst,
        occupation,
        trade: "",
        level,
        standard_edition: standard,
        theory_on: date!(2025 - 09 - 10),
        practical_on: date!(2025 - 09 - 11),
        review_on: Some(date!(2025 - 09 - 20)),
        site: "滨海新区",
        capacity: 30,
        theory_rooms: 1,
    };
    let id = sessions::plan(app, &cli, &plan).await.unwrap();
    sessions::open_applications(app, &cli, id).await.unwrap();
    gongjiang_store::sessions::get(&app.db, id).await.unwrap().unwrap().public_id.to_string()
}

#[tokio::test]
async fn a_worker_applies_from_their_page_and_reads_the_decision_at_once() {
    on_each_backend(|s| async move {
        let b = s.backend;
        let all = persons::list(&s.app.db, &Scope::all(), &Default::default(), None, 100).await.unwrap();
        // 测试人员00: a 车工 (6-18-01-01) holding 技师 since 2021-07-01; today is 2025-06-30.
        let me = all.iter().find(|p| p.name == "测试人员00").expect("person 00");
        user(&s.app, "worker1", &[Role::Worker { person: me.id }]).await;
        let ours = open_session(&s.app, "000201", "6-18-01-01", "高级技师").await;
        let other = open_session(&s.app, "000202", "4-04-05-01", "技师").await;
        let w = sign_in(&s, "worker1").await;

        let page = s.send(w.get(&s, &format!("/persons/{}", me.public_id))).await;
        assert_eq!(page.status, 200, "[{b}] {}", page.text);
        assert!(page.text.contains("hx-get=\"/me/sessions"), "[{b}] the page loads the card");
        let card = s.send(w.get(&s, "/me/sessions")).await;
        assert_eq!(card.status, 200, "[{b}] {}", card.text);
        assert!(card.text.contains(&ours), "[{b}] the session in their occupation is offered: {}", card.text);
        assert!(!card.text.contains(&other), "[{b}] not one in another occupation");

        let r = s.send(w.post_form(&s, "/me/applications", &[("csrf", &w.csrf), ("session", &ours)])).await;
        assert_eq!(r.status, 200, "[{b}] {}", r.text);
        // 4 years as 技师 are needed for 高级技师: 2021-07-01 + 4 years is tomorrow.
        assert!(r.text.contains("data-decision=\"refused\""), "[{b}] {}", r.text);
        assert!(r.text.contains("2025-07-01"), "[{b}] the reason names the earliest day: {}", r.text);
        // The application is kept for the institution, under the worker's name.
        let v = s.ok(&format!("/api/v1/sessions/{ours}")).await;
        assert_eq!(v["counts"]["applied"], 1, "[{b}] {v}");

        // Someone whose roles name no person has no card.
        user(&s.app, "hr1", &[Role::Public]).await;
        let hr = sign_in(&s, "hr1").await;
        assert_eq!(s.send(hr.get(&s, "/me/sessions")).await.status, 404, "[{b}]");
    })
    .await;
}

/// An application the engine admits on an inferred rule reads 待人工核实 on the session's page,
/// never a plain "admitted".
#[tokio::test]
async fn an_admission_resting_on_an_inference_says_it_needs_checking() {
    on_each_backend(|s| async move {
        let b = s.backend;
        let all = persons::list(&s.app.db, &Scope::all(), &Default::default(), None, 100).await.unwrap();
        // 测试人员05: 计算机程序设计员 (4-04-05-01) holding 高级工 since 2015-07-01, at employer B.
        let me = all.iter().find(|p| p.name == "测试人员05").expect("person 05");
        user(&s.app, "worker5", &[Role::Worker { person: me.id }]).await;
        // The session names no standard the policy knows, and none is on file for the occupation:
        // the edition is the policy's default, an inference.
        let session = open_session_under(&s.app, "000203", "4-04-05-01", "技师", "本市自定").await;
        let w = sign_in(&s, "worker5").await;
        let r = s.send(w.post_form(&s, "/me/applications", &[("csrf", &w.csrf), ("session", &session)])).await;
        assert!(r.text.contains("data-decision=\"admitted\""), "[{b}] {}", r.text);
        let page = s.get(&format!("/evaluation/sessions/{session}")).await.text;
        assert!(page.contains("data-unsure") && page.contains("待人工核实"), "[{b}] {page}");
        assert!(!page.contains("<span class=\"tag ok\">准考</span>"), "[{b}] no plain admitted");
    })
    .await;
}
