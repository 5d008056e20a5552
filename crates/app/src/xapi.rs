//! The xAPI Learning Record Store's use cases (`/xapi`, xAPI 1.0.3): storing statements (single
//! or a batch; the same id with the same content changes nothing, with other content is a
//! conflict), voiding, reading one or a filtered page, and crediting learning to enrolments.
//!
//! Storing is not crediting: every valid statement is stored; it credits only when its actor is
//! an enrolled learner's platform account (`{"account": {"homePage": <programme platform_url>,
//! "name": <learner_id>}}`) and its object is that provider's programme (an activity id ending
//! in `/programmes/<code>`). `attended`/`progressed`/`experienced` with `result.duration` add
//! learning time; `completed`/`passed` with `result.completion` or `result.success` complete the
//! enrolment; voiding a statement takes its time back. A statement that would credit but matches
//! no enrolment, or names another provider's programme, credits nothing and keeps the reason.

use std::collections::HashMap;

use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::xapi::{self, Keys, VOIDED};
use gongjiang_domain::xapi_attachments::{self as attachments, Attachment};
use gongjiang_domain::xapi_canonical;
use gongjiang_store::programmes;
use gongjiang_store::tx;
use gongjiang_store::xapi::{self as repo, NewStatement, Query};
use gongjiang_store::xapi_attachments as attachment_store;
use serde::Serialize;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::macros::{format_description, offset};

use crate::{App, AppError};

/// Who is calling: a provider's token (its organisation) or a city-wide one (`None`).
#[derive(Debug, Clone)]
pub struct Caller {
    pub provider: Option<i64>,
    /// The token owner's user name (the statements' `authority`).
    pub username: String,
}

#[derive(Debug, thiserror::Error)]
pub enum XapiError {
    #[error("{0}")]
    BadRequest(Msg),
    #[error("{0}")]
    Conflict(Msg),
    #[error("{0}")]
    NotFound(Msg),
    #[error("{0}")]
    PreconditionFailed(Msg),
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<gongjiang_store::StoreError> for XapiError {
    fn from(e: gongjiang_store::StoreError) -> Self {
        XapiError::App(AppError::Store(e))
    }
}

/// RFC 3339 UTC with milliseconds: the form `stored` is kept in (sortable as text).
pub fn stored_text(t: OffsetDateTime) -> String {
    let f = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    t.to_offset(offset!(UTC)).format(f).unwrap_or_default()
}

/// The programme code an activity id names: its last segment after `/programmes/`.
fn programme_code(activity: &str) -> Option<&str> {
    let (_, code) = activity.rsplit_once("/programmes/")?;
    (!code.is_empty() && !code.contains('/')).then_some(code)
}

fn same_home(a: &str, b: &str) -> bool {
    a.trim_end_matches('/') == b.trim_end_matches('/')
}

/// Stores statements (an object or an array of them) with the raw attachments sent beside them
/// (multipart/mixed; none for application/json) and returns their ids in order. The whole batch
/// is refused when any statement is invalid or conflicts, or the attachments do not match.
pub async fn post(app: &App, caller: &Caller, body: Value, raw: Vec<Attachment>) -> Result<Vec<String>, XapiError> {
    let items = match body {
        Value::Array(a) => a,
        v @ Value::Object(_) => vec![v],
        _ => {
            return Err(XapiError::BadRequest(Msg::new(
                "请求体应为语句或语句数组",
                "the body must be a statement or an array of statements",
            )));
        }
    };
    store(app, caller, items, raw).await
}

/// Stores one statement under `statement_id` (PUT); a body id must agree.
pub async fn put(
    app: &App,
    caller: &Caller,
    statement_id: &str,
    mut body: Value,
    raw: Vec<Attachment>,
) -> Result<(), XapiError> {
    let id = xapi::uuid(statement_id)
        .ok_or_else(|| XapiError::BadRequest(Msg::new("statementId 应为 UUID", "statementId must be a UUID")))?;
    let o = body
        .as_object_mut()
        .ok_or_else(|| XapiError::BadRequest(Msg::new("请求体应为一条语句", "the body must be one statement")))?;
    match o.get("id").and_then(Value::as_str).map(|s| s.to_ascii_lowercase()) {
        Some(given) if given != id => {
            return Err(XapiError::BadRequest(Msg::new(
                "语句 id 与 statementId 不一致",
                "the statement id differs from statementId",
            )));
        }
        _ => {
            o.insert("id".into(), Value::String(id));
        }
    }
    store(app, caller, vec![body], raw).await.map(|_| ())
}

struct Checked {
    received: Value,
    keys: Keys,
    id: String,
}

async fn store(app: &App, caller: &Caller, items: Vec<Value>, raw: Vec<Attachment>) -> Result<Vec<String>, XapiError> {
    let mut checked = Vec::with_capacity(items.len());
    let mut in_batch: HashMap<String, Value> = HashMap::new();
    for mut v in items {
        let keys = xapi::check_statement(&mut v).map_err(XapiError::BadRequest)?;
        let id = match v.get("id").and_then(Value::as_str) {
            Some(id) => id.to_owned(),
            None => {
                let id = uuid::Uuid::now_v7().to_string();
                v.as_object_mut().map(|o| o.insert("id".into(), Value::String(id.clone())));
                id
            }
        };
        if let Some(prev) = in_batch.insert(id.clone(), v.clone())
            && prev != v
        {
            return Err(XapiError::BadRequest(Msg::new(
                format!("批内语句 id {id} 重复"),
                format!("statement id {id} appears twice in the batch"),
            )));
        }
        checked.push(Checked { received: v, keys, id });
    }
    let received: Vec<Value> = checked.iter().map(|c| c.received.clone()).collect();
    attachments::match_parts(&received, &raw).map_err(XapiError::BadRequest)?;
    let now = OffsetDateTime::now_utc();
    let stored = stored_text(now);
    let mut t = tx::begin(&app.db).await?;
    for a in &raw {
        attachment_store::put_in(&mut t, &a.sha2, &a.content_type, &a.content, &stored).await?;
    }
    let ids: Vec<&str> = checked.iter().map(|c| c.id.as_str()).collect();
    let existing = repo::by_ids_in(&mut t, &ids).await?;
    let voided_targets: Vec<&str> = checked.iter().filter_map(|c| c.keys.voids.as_deref()).collect();
    let targets = repo::by_ids_in(&mut t, &voided_targets).await?;
    let mut codes: Vec<&str> =
        checked.iter().filter_map(|c| c.keys.activity.as_deref().and_then(programme_code)).collect();
    codes.sort_unstable();
    codes.dedup();
    let programmes = programmes::by_codes_in(&mut t, &codes).await?;
    let recorded_by = format!("xapi:{}", caller.username);
    let mut done: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(checked.len());
    for c in checked {
        out.push(c.id.clone());
        if let Some(s) = existing.get(&c.id) {
            let before: Value = serde_json::from_str(&s.received).unwrap_or(Value::Null);
            if before != c.received {
                return Err(XapiError::Conflict(Msg::new(
                    format!("语句 {} 已存在且内容不同", c.id),
                    format!("statement {} exists with other content", c.id),
                )));
            }
            continue;
        }
        if !done.insert(c.id.clone()) {
            continue;
        }
        // Voiding: the target loses its credit and is hidden from queries.
        if let Some(target) = c.keys.voids.as_deref().and_then(|v| targets.get(v)) {
            if target.verb_id == VOIDED {
                return Err(XapiError::BadRequest(Msg::new(
                    "不能作废一条作废语句",
                    "a voiding statement cannot be voided",
                )));
            }
            let visible = caller.provider.is_none() || target.provider_id == caller.provider;
            if visible && !target.voided {
                repo::void_in(&mut t, target.id).await?;
                if let Some(e) = target.enrolment_id
                    && target.credited_seconds > 0
                {
                    repo::credit_enrolment_in(&mut t, e, -target.credited_seconds, None, &recorded_by).await?;
                }
            }
        }
        let credit = xapi::credit(&c.received);
        let mut enrolment_id = None;
        let mut unmatched = None;
        if credit.seconds > 0 || credit.completes {
            match match_enrolment(&mut t, caller, &c, &programmes).await? {
                Ok(e) => enrolment_id = Some(e),
                Err(why) => unmatched = Some((why.zh, why.en)),
            }
        }
        if let Some(e) = enrolment_id {
            let on = c
                .received
                .get("timestamp")
                .and_then(Value::as_str)
                .and_then(xapi::timestamp)
                .unwrap_or(now)
                .to_offset(offset!(+8))
                .date();
            repo::credit_enrolment_in(&mut t, e, credit.seconds, credit.completes.then_some(on), &recorded_by).await?;
        }
        let mut body = c.received.clone();
        if let Some(o) = body.as_object_mut() {
            o.insert("stored".into(), Value::String(stored.clone()));
            o.entry("timestamp").or_insert_with(|| Value::String(stored.clone()));
            o.entry("version").or_insert_with(|| Value::String("1.0.0".into()));
            o.insert(
                "authority".into(),
                json!({"objectType": "Agent", "account": {"homePage": "urn:gongjiang:token", "name": caller.username}}),
            );
        }
        repo::insert_in(
            &mut t,
            &NewStatement {
                statement_id: c.id.clone(),
                provider_id: caller.provider,
                actor_key: c.keys.actor.clone(),
                verb_id: c.keys.verb.clone(),
                activity_id: c.keys.activity.clone(),
                registration: c.keys.registration.clone(),
                voids: c.keys.voids.clone(),
                object_ref: c.keys.statement_ref.clone(),
                stored: stored.clone(),
                received: c.received.to_string(),
                body: body.to_string(),
                enrolment_id,
                credited_seconds: if enrolment_id.is_some() { credit.seconds } else { 0 },
                completes: enrolment_id.is_some() && credit.completes,
                unmatched,
            },
        )
        .await?;
    }
    t.commit().await?;
    Ok(out)
}

/// The enrolment a crediting statement names, or why there is none.
async fn match_enrolment(
    t: &mut tx::Tx,
    caller: &Caller,
    c: &Checked,
    programmes: &HashMap<String, programmes::Programme>,
) -> Result<Result<i64, Msg>, XapiError> {
    let Some(code) = c.keys.activity.as_deref().and_then(programme_code) else {
        return Ok(Err(Msg::new(
            "活动不是培训项目（应以 /programmes/项目编号 结尾）",
            "the activity is not a programme (its id should end in /programmes/CODE)",
        )));
    };
    let Some(p) = programmes.get(code) else {
        return Ok(Err(Msg::new(format!("没有培训项目 {code}"), format!("no programme {code}"))));
    };
    if caller.provider.is_some_and(|org| org != p.provider_id) {
        return Ok(Err(Msg::new(
            format!("培训项目 {code} 属于其他培训机构"),
            format!("programme {code} belongs to another provider"),
        )));
    }
    let account = c.received.pointer("/actor/account");
    let home = account.and_then(|a| a.get("homePage")).and_then(Value::as_str);
    let name = account.and_then(|a| a.get("name")).and_then(Value::as_str);
    let (Some(home), Some(name)) = (home, name) else {
        return Ok(Err(Msg::new(
            "参与者不是培训平台的学员账号",
            "the actor is not a learner account on the provider's platform",
        )));
    };
    if !p.platform_url.as_deref().is_some_and(|u| same_home(u, home)) {
        return Ok(Err(Msg::new(
            format!("账号所在平台 {home} 不是培训项目 {code} 的平台"),
            format!("the account's platform {home} is not programme {code}'s"),
        )));
    }
    match repo::enrolment_of_learner_in(t, p.id, name).await? {
        Some((id, status)) if status != "withdrawn" => Ok(Ok(id)),
        Some(_) => Ok(Err(Msg::new(
            format!("学员 {name} 已退出培训项目 {code}"),
            format!("learner {name} has withdrawn from programme {code}"),
        ))),
        None => Ok(Err(Msg::new(
            format!("培训项目 {code} 没有学员账号 {name} 的报名"),
            format!("programme {code} has no enrolment with learner account {name}"),
        ))),
    }
}

/// One statement by id: `voided` asks for a voided one (`voidedStatementId`).
/// How statements come back (`format`): as received, identifiers only, or canonical (one
/// language per language map, chosen by `Accept-Language`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Exact,
    Ids,
    Canonical,
}

fn format_of(f: Option<&str>) -> Result<Format, XapiError> {
    match f {
        None | Some("exact") => Ok(Format::Exact),
        Some("ids") => Ok(Format::Ids),
        Some("canonical") => Ok(Format::Canonical),
        Some(_) => Err(XapiError::BadRequest(Msg::new(
            "format 应为 ids、exact 或 canonical",
            "format must be ids, exact or canonical",
        ))),
    }
}

fn shaped(body: &str, format: Format, languages: &[String]) -> Value {
    let mut v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    match format {
        Format::Exact => {}
        Format::Ids => ids_only(&mut v),
        Format::Canonical => xapi_canonical::canonical(&mut v, languages),
    }
    v
}

/// The raw attachments the LRS holds for these statements' attachments, each once, in order
/// (for `attachments=true`).
pub async fn attachments_of(app: &App, statements: &[Value]) -> Result<Vec<Attachment>, XapiError> {
    let mut hashes: Vec<String> = Vec::new();
    for s in statements {
        for a in s.get("attachments").and_then(Value::as_array).into_iter().flatten() {
            if let Some(h) = a.get("sha2").and_then(Value::as_str).map(str::to_ascii_lowercase)
                && !hashes.contains(&h)
            {
                hashes.push(h);
            }
        }
    }
    let refs: Vec<&str> = hashes.iter().map(String::as_str).collect();
    let mut found = attachment_store::by_sha2(&app.db, &refs).await?;
    Ok(hashes
        .into_iter()
        .filter_map(|h| {
            found.remove(&h).map(|c| Attachment { sha2: h, content_type: c.content_type, content: c.bytes })
        })
        .collect())
}

/// One statement by id: `voided` asks for a voided one (`voidedStatementId`); `format` and
/// `languages` (`Accept-Language`, for `canonical`) shape it.
pub async fn get(
    app: &App,
    caller: &Caller,
    statement_id: &str,
    voided: bool,
    format: Option<&str>,
    languages: &[String],
) -> Result<Value, XapiError> {
    let format = format_of(format)?;
    let id = xapi::uuid(statement_id)
        .ok_or_else(|| XapiError::BadRequest(Msg::new("id 应为 UUID", "the id must be a UUID")))?;
    let not_found = || XapiError::NotFound(Msg::new(format!("没有语句 {id}"), format!("no statement {id}")));
    let s = repo::by_id(&app.db, &id).await?.ok_or_else(not_found)?;
    if s.voided != voided || !(caller.provider.is_none() || s.provider_id == caller.provider) {
        return Err(not_found());
    }
    Ok(shaped(&s.body, format, languages))
}

/// The filters of a statement query as the request gives them.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub agent: Option<String>,
    pub verb: Option<String>,
    pub activity: Option<String>,
    pub registration: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub limit: Option<String>,
    pub ascending: Option<String>,
    pub cursor: Option<String>,
    /// `exact` (default), `ids` or `canonical`.
    pub format: Option<String>,
    /// The client's languages, most preferred first (`Accept-Language`), for `canonical`.
    pub languages: Vec<String>,
}

/// `format=ids`: agents and groups reduced to their identifier (a group's members too),
/// activities to their id, verbs to their id.
fn ids_only(v: &mut Value) {
    fn agent(a: &mut Value) {
        if let Some(o) = a.as_object_mut() {
            o.retain(|k, _| {
                ["objectType", "mbox", "mbox_sha1sum", "openid", "account", "member"].contains(&k.as_str())
            });
            if let Some(Value::Array(m)) = o.get_mut("member") {
                m.iter_mut().for_each(agent);
            }
        }
    }
    fn object(x: &mut Value) {
        match x.get("objectType").and_then(Value::as_str).unwrap_or("Activity") {
            "Agent" | "Group" => agent(x),
            "SubStatement" => ids_only(x),
            "Activity" => {
                if let Some(o) = x.as_object_mut() {
                    o.retain(|k, _| k == "id");
                }
            }
            _ => {}
        }
    }
    for k in ["actor", "authority"] {
        if let Some(a) = v.get_mut(k) {
            agent(a);
        }
    }
    if let Some(vb) = v.get_mut("verb").and_then(Value::as_object_mut) {
        vb.retain(|k, _| k == "id");
    }
    if let Some(o) = v.get_mut("object") {
        object(o);
    }
    if let Some(c) = v.get_mut("context").and_then(Value::as_object_mut) {
        for k in ["instructor", "team"] {
            if let Some(a) = c.get_mut(k) {
                agent(a);
            }
        }
        if let Some(Value::Object(ca)) = c.get_mut("contextActivities") {
            for list in ca.values_mut() {
                if let Value::Array(l) = list {
                    l.iter_mut().for_each(object);
                }
            }
        }
    }
}

/// A page of statements and the cursor of the next (for `more`).
pub async fn query(app: &App, caller: &Caller, f: &Filter) -> Result<(Vec<Value>, Option<i64>), XapiError> {
    let bad = |zh: &str, en: &str| XapiError::BadRequest(Msg::new(zh, en));
    let actor_key = match &f.agent {
        None => None,
        Some(a) => {
            let v: Value = serde_json::from_str(a).map_err(|_| bad("agent 应为 JSON", "agent must be JSON"))?;
            Some(xapi::agent_key(&v).map_err(XapiError::BadRequest)?)
        }
    };
    let time = |s: &Option<String>, what: &str| -> Result<Option<String>, XapiError> {
        s.as_deref()
            .map(|s| {
                xapi::timestamp(s).map(stored_text).ok_or_else(|| {
                    bad(&format!("{what} 应为 ISO 8601 时间"), &format!("{what} must be an ISO 8601 time"))
                })
            })
            .transpose()
    };
    let limit = match f.limit.as_deref() {
        None | Some("0") => 100,
        Some(l) => l
            .parse::<i64>()
            .ok()
            .filter(|l| *l > 0)
            .ok_or_else(|| bad("limit 应为非负整数", "limit must be a whole number"))?
            .min(500),
    };
    let ascending = match f.ascending.as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(bad("ascending 应为 true 或 false", "ascending must be true or false")),
    };
    let registration = match &f.registration {
        None => None,
        Some(r) => Some(xapi::uuid(r).ok_or_else(|| bad("registration 应为 UUID", "registration must be a UUID"))?),
    };
    let q = Query {
        provider: caller.provider.map(Some),
        actor_key,
        verb_id: f.verb.clone(),
        activity_id: f.activity.clone(),
        registration,
        since: time(&f.since, "since")?,
        until: time(&f.until, "until")?,
        ascending,
        cursor: f.cursor.as_deref().map(|c| c.parse().map_err(|_| bad("游标无效", "bad cursor"))).transpose()?,
        limit,
    };
    let format = format_of(f.format.as_deref())?;
    let mut rows = repo::query(&app.db, &q).await?;
    let more = (rows.len() as i64 > limit).then(|| rows[limit as usize - 1].0);
    rows.truncate(limit as usize);
    let statements = rows.into_iter().map(|(_, b)| shaped(&b, format, &f.languages)).collect();
    Ok((statements, more))
}

/// A statement that credited nothing, as its provider sees it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnmatchedStatement {
    pub statement_id: String,
    pub stored: String,
    /// The actor's identifier (`account:<homePage>|<name>`, `mbox:…`).
    pub actor: String,
    pub verb: String,
    pub activity: Option<String>,
    pub reason: Msg,
}

/// The statements `provider` (an organisation; `None`: all) pushed that would credit learning
/// but matched no enrolment, newest first, with the reason.
pub async fn unmatched(app: &App, provider: Option<i64>, limit: i64) -> Result<Vec<UnmatchedStatement>, AppError> {
    Ok(repo::unmatched(&app.db, provider, limit)
        .await?
        .into_iter()
        .map(|u| UnmatchedStatement {
            statement_id: u.statement_id,
            stored: u.stored,
            actor: u.actor_key,
            verb: u.verb_id,
            activity: u.activity_id,
            reason: Msg::new(u.unmatched_zh, u.unmatched_en),
        })
        .collect())
}
