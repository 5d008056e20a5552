//! The LRS's document resources (xAPI 1.0.3 Communication 2.2–2.7): State (by activity, agent,
//! optional registration and stateId), Activity Profile (activity, profileId) and Agent Profile
//! (agent, profileId). PUT stores, POST merges JSON objects, GET one or the ids (changed since),
//! DELETE one or (State) all; ETags are the SHA-1 of the body, and If-Match / If-None-Match are
//! honoured (a profile PUT over an existing document without either is a conflict). Also the
//! Activities and Agents resources, read from what statements said.

use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::xapi;
use gongjiang_store::xapi_documents::{self as repo, Doc, DocKey};
use serde_json::{Value, json};
use sha1::{Digest, Sha1};

use crate::App;
use crate::xapi::{Caller, XapiError, stored_text};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    State,
    ActivityProfile,
    AgentProfile,
}

/// The request's parameters, as given.
#[derive(Debug, Clone, Default)]
pub struct Params {
    pub activity_id: Option<String>,
    pub agent: Option<String>,
    pub registration: Option<String>,
    /// stateId or profileId.
    pub doc_id: Option<String>,
    pub since: Option<String>,
}

/// If-Match / If-None-Match as sent.
#[derive(Debug, Clone, Default)]
pub struct Conditions {
    pub if_match: Option<String>,
    pub if_none_match: Option<String>,
}

pub enum Reply {
    Doc(Doc),
    Ids(Vec<String>),
    Done,
}

fn bad(zh: &str, en: &str) -> XapiError {
    XapiError::BadRequest(Msg::new(zh, en))
}

pub fn etag(body: &[u8]) -> String {
    Sha1::digest(body).iter().map(|b| format!("{b:02x}")).collect()
}

fn key(caller: &Caller, kind: Kind, p: &Params, need_id: bool) -> Result<DocKey, XapiError> {
    let activity = match (&p.activity_id, kind) {
        (Some(a), Kind::State | Kind::ActivityProfile) if xapi::is_iri(a) => a.clone(),
        (Some(_), Kind::State | Kind::ActivityProfile) => {
            return Err(bad("activityId 应为 IRI", "activityId must be an IRI"));
        }
        (None, Kind::State | Kind::ActivityProfile) => return Err(bad("缺少 activityId", "activityId is missing")),
        (_, Kind::AgentProfile) => String::new(),
    };
    let agent = match (&p.agent, kind) {
        (Some(a), Kind::State | Kind::AgentProfile) => {
            let v: Value = serde_json::from_str(a).map_err(|_| bad("agent 应为 JSON", "agent must be JSON"))?;
            if v.get("objectType").and_then(Value::as_str).is_some_and(|t| t != "Agent") {
                return Err(bad("agent 应为 Agent", "agent must be an Agent"));
            }
            xapi::agent_key(&v).map_err(XapiError::BadRequest)?
        }
        (None, Kind::State | Kind::AgentProfile) => return Err(bad("缺少 agent", "agent is missing")),
        (_, Kind::ActivityProfile) => String::new(),
    };
    let registration = match (&p.registration, kind) {
        (Some(r), Kind::State) => {
            xapi::uuid(r).ok_or_else(|| bad("registration 应为 UUID", "registration must be a UUID"))?
        }
        _ => String::new(),
    };
    if need_id && p.doc_id.is_none() {
        return Err(bad("缺少 stateId/profileId", "stateId/profileId is missing"));
    }
    Ok(DocKey {
        provider_key: caller.provider.unwrap_or(0),
        kind: match kind {
            Kind::State => "state",
            Kind::ActivityProfile => "activity_profile",
            Kind::AgentProfile => "agent_profile",
        },
        activity_id: activity,
        agent_key: agent,
        registration,
        doc_id: p.doc_id.clone().unwrap_or_default(),
    })
}

fn unquote(s: &str) -> &str {
    s.trim().trim_start_matches("W/").trim_matches('"')
}

/// 412 when the conditions do not hold for `current`.
fn check(c: &Conditions, current: Option<&Doc>) -> Result<(), XapiError> {
    let failed =
        || XapiError::PreconditionFailed(Msg::new("前提条件不成立（ETag 不符）", "precondition failed (ETag)"));
    if let Some(m) = &c.if_match {
        let ok = current.is_some_and(|d| m.split(',').any(|t| unquote(t) == "*" || unquote(t) == d.etag));
        if !ok {
            return Err(failed());
        }
    }
    if let Some(n) = &c.if_none_match
        && current.is_some_and(|d| n.split(',').any(|t| unquote(t) == "*" || unquote(t) == d.etag))
    {
        return Err(failed());
    }
    Ok(())
}

pub async fn get(app: &App, caller: &Caller, kind: Kind, p: &Params) -> Result<Reply, XapiError> {
    let k = key(caller, kind, p, false)?;
    if p.doc_id.is_some() {
        return match repo::get(&app.db, &k).await? {
            Some(d) => Ok(Reply::Doc(d)),
            None => Err(XapiError::NotFound(Msg::new("没有该文档", "no such document"))),
        };
    }
    let since = match &p.since {
        None => None,
        Some(s) => {
            Some(xapi::timestamp(s).map(stored_text).ok_or_else(|| bad("since 应为时间", "since must be a time"))?)
        }
    };
    Ok(Reply::Ids(repo::ids(&app.db, &k, since.as_deref()).await?))
}

/// A document sent: its content type and bytes; `merge` for POST (PUT replaces).
pub struct Upload {
    pub content_type: String,
    pub body: Vec<u8>,
    pub merge: bool,
}

/// PUT or POST a document.
pub async fn store(
    app: &App,
    caller: &Caller,
    kind: Kind,
    p: &Params,
    c: &Conditions,
    up: Upload,
) -> Result<(), XapiError> {
    let Upload { content_type, body, merge } = up;
    let content_type = content_type.as_str();
    let k = key(caller, kind, p, true)?;
    let current = repo::get(&app.db, &k).await?;
    check(c, current.as_ref())?;
    // A profile PUT must say what it expects: 409 over an existing document, 400 otherwise.
    if !merge && kind != Kind::State && c.if_match.is_none() && c.if_none_match.is_none() {
        return Err(if current.is_some() {
            XapiError::Conflict(Msg::new(
                "文档已存在：请带 If-Match 或 If-None-Match",
                "the document exists: send If-Match or If-None-Match",
            ))
        } else {
            bad("替换文档须带 If-Match 或 If-None-Match 请求头", "a PUT needs an If-Match or If-None-Match header")
        });
    }
    let is_json = content_type.trim_start().starts_with("application/json");
    let (content_type, body) = match (merge, current) {
        (true, Some(old)) => {
            let parse = |b: &[u8]| serde_json::from_slice::<Value>(b).ok().filter(Value::is_object);
            let (Some(Value::Object(mut a)), Some(Value::Object(b)), true, true) =
                (parse(&old.body), parse(&body), old.content_type.starts_with("application/json"), is_json)
            else {
                return Err(bad("合并需要双方都是 JSON 对象", "merging needs both documents to be JSON objects"));
            };
            a.extend(b);
            ("application/json".to_owned(), Value::Object(a).to_string().into_bytes())
        }
        (true, None) => {
            if is_json && serde_json::from_slice::<Value>(&body).ok().is_none_or(|v| !v.is_object()) {
                return Err(bad("POST 的 JSON 文档应为对象", "a JSON document posted must be an object"));
            }
            (content_type.to_owned(), body)
        }
        (false, _) => (content_type.to_owned(), body),
    };
    let d = Doc {
        etag: etag(&body),
        content_type: if content_type.is_empty() { "application/octet-stream".into() } else { content_type },
        body,
        updated: stored_text(time::OffsetDateTime::now_utc()),
    };
    repo::put(&app.db, &k, &d).await?;
    Ok(())
}

pub async fn delete(app: &App, caller: &Caller, kind: Kind, p: &Params, c: &Conditions) -> Result<(), XapiError> {
    let all = kind == Kind::State && p.doc_id.is_none();
    let k = key(caller, kind, p, !all)?;
    if !all {
        let current = repo::get(&app.db, &k).await?;
        check(c, current.as_ref())?;
    }
    repo::delete(&app.db, &k, all).await?;
    Ok(())
}

/// The Activities resource: the activity with the definition the latest statement gave it.
pub async fn activity(app: &App, id: &str) -> Result<Value, XapiError> {
    if !xapi::is_iri(id) {
        return Err(bad("activityId 应为 IRI", "activityId must be an IRI"));
    }
    let mut out = json!({"objectType": "Activity", "id": id});
    // Every definition statements gave, oldest first, later ones overriding (maps merged).
    let mut definition = serde_json::Map::new();
    for body in gongjiang_store::xapi::about_activity(&app.db, id, 100).await?.into_iter().rev() {
        let Ok(s) = serde_json::from_str::<Value>(&body) else { continue };
        let Some(Value::Object(d)) = s.pointer("/object/definition") else { continue };
        for (k, v) in d {
            match (definition.get_mut(k), v) {
                (Some(Value::Object(old)), Value::Object(new)) => old.extend(new.clone()),
                _ => {
                    definition.insert(k.clone(), v.clone());
                }
            }
        }
    }
    if !definition.is_empty() {
        out["definition"] = Value::Object(definition);
    }
    Ok(out)
}

/// The Agents resource: the Person object of an agent (its identifiers and name as arrays).
pub fn person(agent: &str) -> Result<Value, XapiError> {
    let v: Value = serde_json::from_str(agent).map_err(|_| bad("agent 应为 JSON", "agent must be JSON"))?;
    if v.get("objectType").and_then(Value::as_str).is_some_and(|t| t != "Agent") {
        return Err(bad("agent 应为 Agent", "agent must be an Agent"));
    }
    xapi::agent_key(&v).map_err(XapiError::BadRequest)?;
    let mut out = json!({"objectType": "Person"});
    for k in ["name", "mbox", "mbox_sha1sum", "openid", "account"] {
        if let Some(x) = v.get(k) {
            out[k] = json!([x]);
        }
    }
    Ok(out)
}
