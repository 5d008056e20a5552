//! xAPI 1.0.3 attachments and signed statements as the LRS receives them: a `multipart/mixed`
//! request (Communication 1.5.2) read into its statements and raw attachment parts, the parts
//! matched against the statements' attachments (Data 2.4.11), and signatures checked (Data 2.6).
//! Pure: storage is `store::xapi_attachments`, the use case `app::xapi`.
//!
//! The rules, each refused with 400 and its reason: the request names a boundary and the body
//! opens with it; the first part is `application/json` and holds every statement; every other
//! part is `Content-Transfer-Encoding: binary` with an `X-Experience-API-Hash` equal to the
//! SHA-256 of its content and to the `sha2` of an attachment of those statements; every
//! attachment without a `fileUrl` has its part. A signature attachment
//! (`usageType` [`SIGNATURE`]) is `application/octet-stream` and its part a JWS (compact form)
//! signed with RS256, RS384 or RS512 whose payload is the statement itself (ignoring what the
//! LRS adds: `id` when the payload has none, `authority`, `stored`, `version`, and the
//! signature attachment). No certificate comes with the suite's signatures and this LRS holds
//! no signer keys, so the RSA signature itself is not verified (see docs/TRAINING.md).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::bilingual::Msg;

/// The usage type of a statement signature.
pub const SIGNATURE: &str = "http://adlnet.gov/expapi/attachments/signature";
/// The algorithms a statement signature may use.
pub const SIGNATURE_ALGORITHMS: [&str; 3] = ["RS256", "RS384", "RS512"];

fn bad(zh: impl Into<String>, en: impl Into<String>) -> Msg {
    Msg::new(zh, en)
}

/// One raw attachment: the hash it was sent under (lower-case hex SHA-256), its media type
/// and content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub sha2: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

/// The lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The media type of a `Content-Type` value, lower-cased, without parameters.
pub fn media_type(content_type: &str) -> String {
    content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

/// The `boundary` parameter of a `multipart/…` content type (quotes removed).
pub fn boundary(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        if !k.trim().eq_ignore_ascii_case("boundary") {
            return None;
        }
        let v = v.trim().trim_matches('"');
        (!v.is_empty() && v.len() <= 70).then(|| v.to_owned())
    })
}

/// A part of a multipart body: its headers (names lower-cased) and content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Part {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || from > hay.len() {
        return None;
    }
    hay[from..].windows(needle.len()).position(|w| w == needle).map(|i| i + from)
}

/// The parts of a multipart body (RFC 2046 §5.1.1): a preamble is allowed, the body must hold
/// the opening delimiter, every part runs to the next CRLF-delimiter, the closing delimiter
/// ends it.
pub fn parts(boundary: &str, body: &[u8]) -> Result<Vec<Part>, Msg> {
    let delim = format!("--{boundary}").into_bytes();
    let mut crlf_delim = b"\r\n".to_vec();
    crlf_delim.extend_from_slice(&delim);
    let no_boundary = || {
        bad(
            "multipart/mixed 请求体中没有 Content-Type 所给的分隔线",
            "the multipart/mixed body does not hold the boundary its Content-Type names",
        )
    };
    // Just past the opening delimiter.
    let mut at = if body.starts_with(&delim) {
        delim.len()
    } else {
        find(body, &crlf_delim, 0).ok_or_else(no_boundary)? + crlf_delim.len()
    };
    let mut out = Vec::new();
    loop {
        if body[at..].starts_with(b"--") {
            break;
        }
        // Transport padding, then the CRLF that ends the delimiter line.
        while matches!(body.get(at), Some(b' ' | b'\t')) {
            at += 1;
        }
        if !body[at..].starts_with(b"\r\n") {
            return Err(bad("multipart 分隔线后应换行", "a multipart delimiter must end its line"));
        }
        at += 2;
        let end = find(body, &crlf_delim, at).ok_or_else(|| {
            bad("multipart/mixed 请求体没有结束分隔线", "the multipart/mixed body has no closing delimiter")
        })?;
        out.push(part(&body[at..end])?);
        at = end + crlf_delim.len();
    }
    if out.is_empty() {
        return Err(no_boundary());
    }
    Ok(out)
}

fn part(raw: &[u8]) -> Result<Part, Msg> {
    let (head, body) = if raw.starts_with(b"\r\n") {
        (&raw[..0], &raw[2..])
    } else {
        let i = find(raw, b"\r\n\r\n", 0).ok_or_else(|| {
            bad("multipart 的一部分缺少头与内容之间的空行", "a multipart part has no blank line after its headers")
        })?;
        (&raw[..i], &raw[i + 4..])
    };
    let head = std::str::from_utf8(head).map_err(|_| bad("multipart 头不是文本", "multipart headers must be text"))?;
    let mut headers = Vec::new();
    for line in head.split("\r\n") {
        let (k, v) = line
            .split_once(':')
            .ok_or_else(|| bad(format!("multipart 头无效：{line}"), format!("bad multipart header: {line}")))?;
        headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
    }
    Ok(Part { headers, body: body.to_vec() })
}

/// A `multipart/mixed` statement request: the statements (the JSON of the first part) and the
/// raw attachments of the other parts, each checked against its hash header.
pub fn read(content_type: &str, body: &[u8]) -> Result<(Value, Vec<Attachment>), Msg> {
    let b = boundary(content_type).ok_or_else(|| {
        bad("multipart/mixed 请求须在 Content-Type 中给出 boundary", "a multipart/mixed request must name its boundary")
    })?;
    let mut parts = parts(&b, body)?.into_iter();
    let first = parts.next().ok_or_else(|| bad("multipart 请求体为空", "the multipart body is empty"))?;
    if first.header("content-type").map(media_type).as_deref() != Some("application/json") {
        return Err(bad(
            "multipart 的第一部分应为 application/json 的语句",
            "the first multipart part must be the statements, as application/json",
        ));
    }
    let statements: Value = serde_json::from_slice(&first.body)
        .map_err(|e| bad(format!("第一部分不是有效 JSON：{e}"), format!("the first part is not valid JSON: {e}")))?;
    let mut out = Vec::new();
    for (i, p) in parts.enumerate() {
        let n = i + 2;
        if !p.header("content-transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("binary")) {
            return Err(bad(
                format!("第 {n} 部分应带 Content-Transfer-Encoding: binary"),
                format!("part {n} must have Content-Transfer-Encoding: binary"),
            ));
        }
        let hash = p.header("x-experience-api-hash").map(str::to_ascii_lowercase).ok_or_else(|| {
            bad(format!("第 {n} 部分缺少 X-Experience-API-Hash"), format!("part {n} has no X-Experience-API-Hash"))
        })?;
        if sha256_hex(&p.body) != hash {
            return Err(bad(
                format!("第 {n} 部分的内容与其 X-Experience-API-Hash 不符"),
                format!("part {n}'s content does not match its X-Experience-API-Hash"),
            ));
        }
        let content_type = p.header("content-type").unwrap_or("application/octet-stream").to_owned();
        out.push(Attachment { sha2: hash, content_type, content: p.body });
    }
    Ok((statements, out))
}

/// The attachments a statement lists (its own, not a SubStatement's).
fn listed(statement: &Value) -> impl Iterator<Item = &Value> {
    statement.get("attachments").and_then(Value::as_array).into_iter().flatten()
}

fn sha2_of(a: &Value) -> String {
    a.get("sha2").and_then(Value::as_str).unwrap_or("").to_ascii_lowercase()
}

/// Matches checked statements with the raw attachments sent with them: every attachment
/// without a `fileUrl` has its part, every part is an attachment of the statements, and every
/// signature is well formed and signs its statement.
pub fn match_parts(statements: &[Value], raw: &[Attachment]) -> Result<(), Msg> {
    let mut declared = std::collections::HashSet::new();
    for s in statements {
        for a in listed(s) {
            let sha2 = sha2_of(a);
            declared.insert(sha2.clone());
            if a.get("fileUrl").is_none() && !raw.iter().any(|r| r.sha2 == sha2) {
                return Err(bad(
                    format!("附件 {sha2} 没有 fileUrl，其内容须作为 multipart/mixed 的一部分一并发送"),
                    format!("attachment {sha2} has no fileUrl: its content must come as a multipart/mixed part"),
                ));
            }
        }
        signatures(s, raw)?;
    }
    if let Some(extra) = raw.iter().find(|r| !declared.contains(&r.sha2)) {
        return Err(bad(
            format!("multipart 中的附件 {} 不是任何语句的附件", extra.sha2),
            format!("the multipart part {} is not an attachment of any statement", extra.sha2),
        ));
    }
    Ok(())
}

/// The signatures of one statement (Data 2.6).
fn signatures(statement: &Value, raw: &[Attachment]) -> Result<(), Msg> {
    for a in listed(statement).filter(|a| a.get("usageType").and_then(Value::as_str) == Some(SIGNATURE)) {
        if a.get("contentType").and_then(Value::as_str).map(media_type).as_deref() != Some("application/octet-stream") {
            return Err(bad(
                "签名附件的 contentType 应为 application/octet-stream",
                "a signature attachment's contentType must be application/octet-stream",
            ));
        }
        let sha2 = sha2_of(a);
        let part = raw.iter().find(|r| r.sha2 == sha2).ok_or_else(|| {
            bad("签名附件须作为 multipart/mixed 的一部分发送", "a signature must come as a multipart/mixed part")
        })?;
        check_jws(&part.content, statement)?;
    }
    Ok(())
}

fn decode_segment(s: &str, what: &str) -> Result<Vec<u8>, Msg> {
    URL_SAFE_NO_PAD.decode(s.trim_end_matches('=')).map_err(|_| {
        bad(format!("签名（JWS）的{what}不是 base64url"), format!("the signature's (JWS) {what} is not base64url"))
    })
}

/// A JWS in compact form whose header names an RS algorithm and whose payload is `statement`.
pub fn check_jws(jws: &[u8], statement: &Value) -> Result<(), Msg> {
    let text = std::str::from_utf8(jws).map_err(|_| bad("签名不是文本", "the signature is not text"))?.trim();
    let segs: Vec<&str> = text.split('.').collect();
    let [head, payload, sig] = segs.as_slice() else {
        return Err(bad("签名应为 JWS 紧凑格式（三段）", "the signature must be a JWS in compact form (three parts)"));
    };
    let header: Value = serde_json::from_slice(&decode_segment(head, "头")?)
        .map_err(|_| bad("签名（JWS）头不是 JSON", "the signature's (JWS) header is not JSON"))?;
    let alg = header.get("alg").and_then(Value::as_str).unwrap_or("");
    if !SIGNATURE_ALGORITHMS.contains(&alg) {
        return Err(bad(
            format!("签名算法 {alg} 不被接受（应为 RS256、RS384 或 RS512）"),
            format!("signature algorithm {alg} is not accepted (RS256, RS384 or RS512)"),
        ));
    }
    if decode_segment(sig, "签名值")?.is_empty() {
        return Err(bad("签名（JWS）没有签名值", "the signature (JWS) has no signature value"));
    }
    let mut signed: Value = serde_json::from_slice(&decode_segment(payload, "载荷")?)
        .map_err(|_| bad("签名载荷不是语句的 JSON", "the signature's payload is not a statement's JSON"))?;
    if !signed.is_object() {
        return Err(bad("签名载荷不是语句的 JSON", "the signature's payload is not a statement's JSON"));
    }
    crate::xapi::check_statement(&mut signed).map_err(|m| {
        bad(
            format!("签名载荷不是有效语句：{}", m.zh),
            format!("the signature's payload is not a valid statement: {}", m.en),
        )
    })?;
    if signed_form(&signed, &signed) != signed_form(statement, &signed) {
        return Err(bad("签名载荷与语句不一致", "the signature's payload differs from the statement"));
    }
    Ok(())
}

/// A statement as a signature covers it: without what the LRS adds and the signature itself.
fn signed_form(statement: &Value, payload: &Value) -> Value {
    let mut v = statement.clone();
    if let Some(o) = v.as_object_mut() {
        for k in ["authority", "stored", "version"] {
            o.remove(k);
        }
        if payload.get("id").is_none() {
            o.remove("id");
        }
        if let Some(Value::Array(list)) = o.get_mut("attachments") {
            list.retain(|a| a.get("usageType").and_then(Value::as_str) != Some(SIGNATURE));
            if list.is_empty() {
                o.remove("attachments");
            }
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const B: &str = "-------314159265358979323846";

    fn body(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        for (head, content) in parts {
            out.extend_from_slice(format!("--{B}\r\n{head}\r\n\r\n").as_bytes());
            out.extend_from_slice(content);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{B}--\r\n").as_bytes());
        out
    }

    fn statement(sha2: &str, file_url: bool) -> Value {
        let mut a = json!({"usageType": "http://example.com/u", "display": {"en": "a"},
            "contentType": "text/plain", "length": 5, "sha2": sha2});
        if file_url {
            a["fileUrl"] = json!("http://example.com/f");
        }
        json!({"actor": {"mbox": "mailto:a@example.com"}, "verb": {"id": "http://example.com/v"},
            "object": {"id": "http://example.com/o"}, "attachments": [a]})
    }

    #[test]
    fn boundary_quoted_or_bare() {
        assert_eq!(boundary("multipart/mixed; boundary=abc").as_deref(), Some("abc"));
        assert_eq!(boundary("multipart/mixed; boundary=\"a b\"").as_deref(), Some("a b"));
        assert_eq!(boundary("multipart/mixed;"), None);
    }

    #[test]
    fn reads_statements_and_parts_and_checks_hashes() {
        let sha = sha256_hex(b"hello");
        let st = statement(&sha, false).to_string();
        let hash_head =
            format!("Content-Type: text/plain\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: {sha}");
        let raw = body(&[("Content-Type: application/json", st.as_bytes()), (&hash_head, b"hello")]);
        let (v, atts) = read(&format!("multipart/mixed; boundary={B}"), &raw).unwrap();
        assert_eq!(v["attachments"][0]["sha2"], json!(sha));
        assert_eq!(
            atts,
            vec![Attachment { sha2: sha.clone(), content_type: "text/plain".into(), content: b"hello".to_vec() }]
        );
        match_parts(std::slice::from_ref(&v), &atts).unwrap();
        // Content that is not what the hash says, a base64 part, the first part not JSON.
        let raw = body(&[("Content-Type: application/json", st.as_bytes()), (&hash_head, b"hellO")]);
        assert!(read(&format!("multipart/mixed; boundary={B}"), &raw).unwrap_err().en.contains("does not match"));
        let b64 = hash_head.replace("binary", "base64");
        let raw = body(&[("Content-Type: application/json", st.as_bytes()), (&b64, b"hello")]);
        assert!(read(&format!("multipart/mixed; boundary={B}"), &raw).unwrap_err().en.contains("binary"));
        let raw = body(&[("Content-Type: text/plain", st.as_bytes()), (&hash_head, b"hello")]);
        assert!(read(&format!("multipart/mixed; boundary={B}"), &raw).unwrap_err().en.contains("first"));
        // No part for an attachment without fileUrl; a part no attachment names.
        assert!(match_parts(&[v], &[]).unwrap_err().en.contains("no fileUrl"));
        let with_url = statement(&sha, true);
        match_parts(std::slice::from_ref(&with_url), &[]).unwrap();
        let other = Attachment { sha2: sha256_hex(b"x"), content_type: "text/plain".into(), content: b"x".to_vec() };
        assert!(match_parts(&[with_url], &[other]).unwrap_err().en.contains("not an attachment"));
    }

    #[test]
    fn a_body_without_its_boundary_or_end_is_refused() {
        assert!(parts(B, b"Content-Type: application/json\r\n\r\n{}\r\n").is_err());
        assert!(parts(B, format!("--{B}\r\nContent-Type: application/json\r\n\r\n{{}}").as_bytes()).is_err());
    }

    fn jws(header: &Value, payload: &Value) -> Vec<u8> {
        let e = |v: &Value| URL_SAFE_NO_PAD.encode(v.to_string());
        format!("{}.{}.{}", e(header), e(payload), URL_SAFE_NO_PAD.encode(b"sig")).into_bytes()
    }

    #[test]
    fn signatures_name_an_rs_algorithm_and_sign_the_statement() {
        let mut s = json!({"id": "5a4f3b1e-0000-4000-8000-000000000001", "actor": {"mbox": "mailto:a@example.com"},
            "verb": {"id": "http://example.com/v"}, "object": {"id": "http://example.com/o"}});
        let payload = s.clone();
        let good = jws(&json!({"alg": "RS256"}), &payload);
        s["attachments"] = json!([{"usageType": SIGNATURE, "display": {"en": "sig"},
            "contentType": "application/octet-stream", "length": good.len(), "sha2": sha256_hex(&good)}]);
        let part = |c: Vec<u8>| Attachment {
            sha2: sha256_hex(&c),
            content_type: "application/octet-stream".into(),
            content: c,
        };
        match_parts(std::slice::from_ref(&s), &[part(good)]).unwrap();
        let hs = jws(&json!({"alg": "HS256"}), &payload);
        assert!(check_jws(&hs, &s).unwrap_err().en.contains("HS256"));
        let mut other = payload.clone();
        other["verb"]["id"] = json!("http://example.com/w");
        assert!(check_jws(&jws(&json!({"alg": "RS512"}), &other), &s).unwrap_err().en.contains("differs"));
        assert!(check_jws(b"not-a-jws", &s).is_err());
        let mut text_sig = s.clone();
        text_sig["attachments"][0]["contentType"] = json!("text/plain");
        assert!(signatures(&text_sig, &[]).unwrap_err().en.contains("octet-stream"));
    }
}
