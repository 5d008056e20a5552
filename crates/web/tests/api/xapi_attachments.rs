//! `/xapi` attachments, signed statements, `format=canonical` and statement references, over
//! real HTTP on every backend: a multipart/mixed statement with a raw attachment (a completion
//! certificate that carries an identity number) is stored with the attachment encrypted — no
//! plaintext number in the database — and comes back with `attachments=true`; the content-type
//! rules refuse a raw attachment sent as JSON or as multipart/form-data; a body over the limit
//! is 413; a signature naming RS256 over the statement is accepted, HS256 or another statement
//! refused; canonical answers one language; a verb filter also returns the statements that
//! refer to a matching (voided) statement; a StatementRef that is not a voiding one voids nothing.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use gongjiang_domain::xapi_attachments::{SIGNATURE, boundary, parts, sha256_hex};
use gongjiang_store::Db;
use serde_json::{Value, json};

use crate::support::{Reply, Server, on_each_backend};

const ID_NUMBER: &str = "12010119900101101X";
const B: &str = "gongjiang-test-boundary";

fn statement(id: &str, verb: &str) -> Value {
    json!({
        "id": id,
        "actor": {"objectType": "Agent", "mbox": "mailto:learner@example.cn"},
        "verb": {"id": format!("http://example.cn/verbs/{verb}"), "display": {"en-US": verb, "zh-CN": "动词"}},
        "object": {"id": "http://example.cn/activities/course", "definition": {
            "name": {"en-US": "Course", "zh-CN": "课程"}, "description": {"en-US": "A course", "zh-CN": "一门课"}}}
    })
}

fn attachment(content: &[u8], usage: &str, content_type: &str) -> Value {
    json!({"usageType": usage, "display": {"en-US": "certificate"}, "contentType": content_type,
        "length": content.len(), "sha2": sha256_hex(content)})
}

/// A multipart/mixed body: the JSON, then each (content type, content) as a binary part.
fn multipart(json: &Value, raw: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = format!("--{B}\r\nContent-Type: application/json\r\n\r\n{json}\r\n").into_bytes();
    for (ct, content) in raw {
        out.extend_from_slice(
            format!(
                "--{B}\r\nContent-Type: {ct}\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: {}\r\n\r\n",
                sha256_hex(content)
            )
            .as_bytes(),
        );
        out.extend_from_slice(content);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{B}--\r\n").as_bytes());
    out
}

async fn send(s: &Server, method: reqwest::Method, path: &str, content_type: &str, body: Vec<u8>) -> Reply {
    let req = s
        .client()
        .request(method, format!("{}{path}", s.base))
        .header("X-Experience-API-Version", "1.0.3")
        .header("Authorization", format!("Bearer {}", s.admin_token))
        .header("Content-Type", content_type)
        .body(body);
    s.send(req).await
}

async fn get(s: &Server, path: &str, language: Option<&str>) -> reqwest::Response {
    let mut req = s
        .client()
        .get(format!("{}{path}", s.base))
        .header("X-Experience-API-Version", "1.0.3")
        .header("Authorization", format!("Bearer {}", s.admin_token));
    if let Some(l) = language {
        req = req.header("Accept-Language", l);
    }
    req.send().await.unwrap()
}

fn jws(alg: &str, payload: &Value) -> Vec<u8> {
    let e = |v: &Value| URL_SAFE_NO_PAD.encode(v.to_string());
    format!("{}.{}.{}", e(&json!({"alg": alg})), e(payload), URL_SAFE_NO_PAD.encode([7u8; 256])).into_bytes()
}

async fn ciphers(db: &Db) -> Vec<String> {
    const SQL: &str = "SELECT content_cipher FROM xapi_attachments";
    match db {
        Db::Sqlite { write, .. } => sqlx::query_scalar(SQL).fetch_all(write).await.unwrap(),
        Db::Postgres(pool, _) => sqlx::query_scalar(SQL).fetch_all(pool).await.unwrap(),
    }
}

/// The raw answer to a statement POST that announces `length` bytes and sends none of them.
async fn too_large(base: &str, token: &str, length: usize) -> String {
    use std::io::{Read, Write};
    let addr = base.trim_start_matches("http://").to_owned();
    let head = format!(
        "POST /xapi/statements HTTP/1.1\r\nHost: {addr}\r\nX-Experience-API-Version: 1.0.3\r\n\
         Authorization: Bearer {token}\r\nContent-Type: {}\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n",
        mixed()
    );
    tokio::task::spawn_blocking(move || {
        let mut tcp = std::net::TcpStream::connect(&addr).unwrap();
        tcp.set_read_timeout(Some(std::time::Duration::from_secs(10))).unwrap();
        tcp.write_all(head.as_bytes()).unwrap();
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        while let Ok(n) = tcp.read(&mut chunk) {
            if n == 0 {
                break;
            }
            buf.extend_from_slice(&chunk[..n]);
            if String::from_utf8_lossy(&buf).contains("}}") {
                break;
            }
        }
        String::from_utf8_lossy(&buf).into_owned()
    })
    .await
    .unwrap()
}

const JSON: &str = "application/json";
fn mixed() -> String {
    format!("multipart/mixed; boundary={B}")
}

#[tokio::test(flavor = "multi_thread")]
async fn attachments_signatures_canonical_and_references() {
    on_each_backend(|s| async move {
        let b = s.backend;
        let post = reqwest::Method::POST;
        let certificate = format!("结业证明 / certificate of completion: 学员 张一 身份证号 {ID_NUMBER}").into_bytes();

        // A statement with a raw attachment and one given by URL only.
        let id = "018f0000-0000-7000-8000-0000000000a1";
        let mut st = statement(id, "completed");
        let mut by_url = attachment(b"elsewhere", "http://example.cn/usage/transcript", "text/plain");
        by_url["fileUrl"] = json!("https://learn.example.cn/transcripts/1.txt");
        st["attachments"] = json!([attachment(&certificate, "http://example.cn/usage/certificate", "text/plain"), by_url]);
        let r = send(&s, post.clone(), "/xapi/statements", &mixed(), multipart(&st, &[("text/plain", &certificate)])).await;
        assert_eq!((r.status, &r.json), (200, &json!([id])), "[{b}] {}", r.text);

        // Stored encrypted: no row holds the number or the content in plaintext.
        let stored = ciphers(&s.app.db).await;
        assert_eq!(stored.len(), 1, "[{b}]");
        assert!(stored[0].starts_with("v1:") && !stored[0].contains(ID_NUMBER), "[{b}]");

        // attachments=true: the statement first, then the raw attachment the LRS holds, with its
        // hash; the one given by URL has no part.
        let resp = get(&s, &format!("/xapi/statements?statementId={id}&attachments=true"), None).await;
        let ct = resp.headers()["content-type"].to_str().unwrap().to_owned();
        let body = resp.bytes().await.unwrap();
        assert!(ct.starts_with("multipart/mixed"), "[{b}] {ct}");
        let got = parts(&boundary(&ct).unwrap(), &body).unwrap();
        assert_eq!(got.len(), 2, "[{b}]");
        let first: Value = serde_json::from_slice(&got[0].body).unwrap();
        assert_eq!(first["id"], json!(id), "[{b}]");
        assert_eq!(got[1].body, certificate, "[{b}]");
        assert_eq!(got[1].header("x-experience-api-hash"), Some(sha256_hex(&certificate).as_str()), "[{b}]");
        assert_eq!(got[1].header("content-transfer-encoding"), Some("binary"), "[{b}]");
        // Without attachments=true: plain JSON.
        let plain = get(&s, &format!("/xapi/statements?statementId={id}"), None).await;
        assert!(plain.headers()["content-type"].to_str().unwrap().starts_with("application/json"), "[{b}]");

        // A raw attachment sent as JSON (no part for it), or as multipart/form-data: 400.
        let mut lonely = statement("018f0000-0000-7000-8000-0000000000a2", "completed");
        lonely["attachments"] = json!([attachment(b"abc", "http://example.cn/usage/x", "text/plain")]);
        let r = send(&s, post.clone(), "/xapi/statements", JSON, lonely.to_string().into_bytes()).await;
        assert_eq!(r.status, 400, "[{b}] {}", r.text);
        assert!(r.json["error"]["en"].as_str().unwrap().contains("has no fileUrl"), "[{b}] {}", r.text);
        let form = format!("multipart/form-data; boundary={B}");
        let r = send(&s, post.clone(), "/xapi/statements", &form, multipart(&lonely, &[("text/plain", b"abc")])).await;
        assert_eq!(r.status, 400, "[{b}] {}", r.text);
        // A part whose content is not what its hash says: 400.
        let mut forged = multipart(&lonely, &[("text/plain", b"abc")]);
        let at = forged.windows(3).rposition(|w| w == b"abc").unwrap();
        forged[at] = b'x';
        let r = send(&s, post.clone(), "/xapi/statements", &mixed(), forged).await;
        assert_eq!(r.status, 400, "[{b}] {}", r.text);
        assert!(r.text.contains("does not match its X-Experience-API-Hash"), "[{b}] {}", r.text);
        // Over the LRS's 8 MiB: 413, in the API's error shape.
        // (The request's head only: the server answers from Content-Length before any body, so
        // the test does not race the server closing the connection while a client still writes.)
        let answer = too_large(&s.base, &s.admin_token, 9 * 1024 * 1024).await;
        assert!(answer.starts_with("HTTP/1.1 413"), "[{b}] {answer}");
        assert!(answer.contains("payload_too_large"), "[{b}] {answer}");

        // Signed statements: RS256 over the statement itself is accepted; HS256, or a payload
        // that is another statement, is refused.
        let signed_id = "018f0000-0000-7000-8000-0000000000b1";
        let unsigned = statement(signed_id, "passed");
        let sign = |alg: &str, payload: &Value| {
            let sig = jws(alg, payload);
            let mut st = unsigned.clone();
            st["attachments"] = json!([attachment(&sig, SIGNATURE, "application/octet-stream")]);
            multipart(&st, &[("application/octet-stream", &sig)])
        };
        let r = send(&s, post.clone(), "/xapi/statements", &mixed(), sign("HS256", &unsigned)).await;
        assert_eq!(r.status, 400, "[{b}] {}", r.text);
        assert!(r.text.contains("HS256"), "[{b}] {}", r.text);
        let other = statement(signed_id, "failed");
        let r = send(&s, post.clone(), "/xapi/statements", &mixed(), sign("RS256", &other)).await;
        assert_eq!(r.status, 400, "[{b}] {}", r.text);
        assert!(r.text.contains("differs from the statement"), "[{b}] {}", r.text);
        let r = send(&s, post.clone(), "/xapi/statements", &mixed(), sign("RS384", &unsigned)).await;
        assert_eq!(r.status, 200, "[{b}] {}", r.text);

        // format=canonical: one language per language map, the one Accept-Language prefers.
        let c: Value =
            get(&s, &format!("/xapi/statements?statementId={id}&format=canonical"), Some("zh-CN, en;q=0.5"))
                .await
                .json()
                .await
                .unwrap();
        assert_eq!(c["verb"]["display"], json!({"zh-CN": "动词"}), "[{b}]");
        assert_eq!(c["object"]["definition"]["name"], json!({"zh-CN": "课程"}), "[{b}]");
        let exact: Value = get(&s, &format!("/xapi/statements?statementId={id}"), Some("zh-CN")).await.json().await.unwrap();
        assert_eq!(exact["verb"]["display"], json!({"en-US": "completed", "zh-CN": "动词"}), "[{b}]");

        // References: R refers to T (not voiding it); Z voids T. Filtering by T's verb returns
        // Z and R (they refer to a match), not T (voided); by R's verb, R only.
        let (t, r_id, z) =
            ("018f0000-0000-7000-8000-0000000000c1", "018f0000-0000-7000-8000-0000000000c2", "018f0000-0000-7000-8000-0000000000c3");
        let target = statement(t, "attempted-c");
        let mut refers = statement(r_id, "commented-c");
        refers["object"] = json!({"objectType": "StatementRef", "id": t});
        let voiding = json!({"id": z, "actor": {"mbox": "mailto:admin@example.cn"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"}, "object": {"objectType": "StatementRef", "id": t}});
        for st in [&target, &refers] {
            let r = send(&s, post.clone(), "/xapi/statements", JSON, st.to_string().into_bytes()).await;
            assert_eq!(r.status, 200, "[{b}] {}", r.text);
        }
        // A StatementRef that is not a voiding statement voids nothing.
        assert_eq!(get(&s, &format!("/xapi/statements?statementId={t}"), None).await.status(), 200, "[{b}]");
        let r = send(&s, post.clone(), "/xapi/statements", JSON, voiding.to_string().into_bytes()).await;
        assert_eq!(r.status, 200, "[{b}] {}", r.text);
        assert_eq!(get(&s, &format!("/xapi/statements?statementId={t}"), None).await.status(), 404, "[{b}]");
        let ids = |v: Value| -> Vec<String> {
            v["statements"].as_array().unwrap().iter().map(|x| x["id"].as_str().unwrap().to_owned()).collect()
        };
        let by_target: Value =
            get(&s, "/xapi/statements?verb=http%3A%2F%2Fexample.cn%2Fverbs%2Fattempted-c", None).await.json().await.unwrap();
        assert_eq!(ids(by_target), [z, r_id], "[{b}]");
        let by_ref: Value =
            get(&s, "/xapi/statements?verb=http%3A%2F%2Fexample.cn%2Fverbs%2Fcommented-c", None).await.json().await.unwrap();
        assert_eq!(ids(by_ref), [r_id], "[{b}]");
    })
    .await;
}
