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
