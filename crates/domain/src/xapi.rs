//! xAPI 1.0.3 statements as the Learning Record Store receives them (`/xapi`): the checks a
//! statement must pass before it is stored, the keys it is found by (actor, verb, activity,
//! registration), and what it means for an enrolment — learning time to credit or a completion.
//! Pure: the LRS's storage is `store::xapi`, its use cases `app::xapi`.

use serde_json::{Map, Value};

use crate::bilingual::Msg;

/// The xAPI version this LRS speaks, sent in every response's `X-Experience-API-Version`.
pub const VERSION: &str = "1.0.3";

/// The verb that voids a statement.
pub const VOIDED: &str = "http://adlnet.gov/expapi/verbs/voided";

/// Verbs whose `result.duration` is learning time (attended, progressed, experienced).
const TIME_VERBS: [&str; 3] = ["attended", "progressed", "experienced"];
/// Verbs that complete an enrolment with `result.completion` or `result.success` true.
const COMPLETION_VERBS: [&str; 2] = ["completed", "passed"];

fn bad(zh: impl Into<String>, en: impl Into<String>) -> Msg {
    Msg::new(zh, en)
}

/// A UUID in its canonical text form (8-4-4-4-12 hex digits), lower-cased.
pub fn uuid(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let shaped = b.len() == 36
        && b.iter()
            .enumerate()
            .all(|(i, c)| if [8, 13, 18, 23].contains(&i) { *c == b'-' } else { c.is_ascii_hexdigit() });
    shaped.then(|| s.to_ascii_lowercase())
}

/// An absolute IRI: a scheme (letter, then letters, digits, `+ - .`) and `:` followed by text
/// without spaces.
pub fn is_iri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else { return false };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        && !rest.is_empty()
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// An ISO 8601 duration (`PT1H30M`, `P1DT2H`, `PT0.5H`, `P3Y1M29DT4H35M59.14S`, `P4W`) as
/// seconds, years counted as 365 days and months as 30; `None` when it is not one (`P4W1D`, `PT`).
pub fn duration_seconds(s: &str) -> Option<i64> {
    let rest = s.strip_prefix('P')?;
    if rest.is_empty() {
        return None;
    }
    if let Some(w) = rest.strip_suffix('W') {
        let weeks: f64 = number(w)?;
        return Some((weeks * 604_800.0).round() as i64);
    }
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) if !t.is_empty() => (d, Some(t)),
        Some(_) => return None,
        None => (rest, None),
    };
    let mut total = 0f64;
    total += units(date, &[('Y', 31_536_000.0), ('M', 2_592_000.0), ('D', 86_400.0)])?;
    if let Some(t) = time {
        total += units(t, &[('H', 3600.0), ('M', 60.0), ('S', 1.0)])?;
    }
    (total.is_finite() && total < 1e12).then(|| total.round() as i64)
}

fn number(s: &str) -> Option<f64> {
    let ok = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',');
    if ok { s.replace(',', ".").parse().ok() } else { None }
}

/// `3Y1M29D` against its units in order, each at most once; the seconds they make.
fn units(part: &str, units: &[(char, f64)]) -> Option<f64> {
    let mut total = 0f64;
    let mut num = String::new();
    let mut next = 0;
    for c in part.chars() {
        if c.is_ascii_digit() || c == '.' || c == ',' {
            num.push(c);
            continue;
        }
        let i = units.iter().skip(next).position(|(u, _)| *u == c)? + next;
        total += number(&num)? * units[i].1;
        num.clear();
        next = i + 1;
    }
    num.is_empty().then_some(total)
}

/// An RFC 3339 / ISO 8601 timestamp with a time zone (`2026-03-01T10:00:00Z`,
/// `…T10:00:00.123+08:00`); `None` otherwise.
pub fn timestamp(s: &str) -> Option<time::OffsetDateTime> {
    // RFC 3339's "unknown local offset" is not a time zone.
    if s.ends_with("-00:00") {
        return None;
    }
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()
}

/// An RFC 5646 language tag, loosely: a primary subtag of 2–8 letters (or `x`/`i`), then
/// subtags of 1–8 letters or digits.
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first = parts.next().unwrap_or("");
    let first_ok = (2..=8).contains(&first.len()) && first.bytes().all(|b| b.is_ascii_alphabetic())
        || first.eq_ignore_ascii_case("x")
        || first.eq_ignore_ascii_case("i");
    first_ok && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// `mailto:` and an e-mail address (one `@`, text on both sides, no spaces).
fn is_mailto(m: &str) -> bool {
    m.strip_prefix("mailto:").and_then(|a| a.split_once('@')).is_some_and(|(local, domain)| {
        !local.is_empty() && !domain.is_empty() && !domain.contains('@') && !m.chars().any(char::is_whitespace)
    })
}

/// The key an agent is found by: its one inverse functional identifier.
pub fn agent_key(agent: &Value) -> Result<String, Msg> {
    let o = agent.as_object().ok_or_else(|| bad("参与者应为对象", "an agent must be an object"))?;
    let ifis: Vec<&str> =
        ["mbox", "mbox_sha1sum", "openid", "account"].into_iter().filter(|k| o.contains_key(*k)).collect();
    match ifis.as_slice() {
        ["mbox"] => match o["mbox"].as_str() {
            Some(m) if is_mailto(m) => Ok(format!("mbox:{m}")),
            _ => Err(bad("mbox 应为 mailto: 开头的地址", "mbox must be a mailto: IRI")),
        },
        ["mbox_sha1sum"] => match o["mbox_sha1sum"].as_str() {
            Some(h) if h.len() == 40 && h.bytes().all(|b| b.is_ascii_hexdigit()) => {
                Ok(format!("mbox_sha1sum:{}", h.to_ascii_lowercase()))
            }
            _ => Err(bad("mbox_sha1sum 应为 40 位十六进制", "mbox_sha1sum must be 40 hex digits")),
        },
        ["openid"] => match o["openid"].as_str() {
            Some(u) if is_iri(u) => Ok(format!("openid:{u}")),
            _ => Err(bad("openid 应为 IRI", "openid must be an IRI")),
        },
        ["account"] => {
            let a = o["account"].as_object().ok_or_else(|| bad("account 应为对象", "account must be an object"))?;
            let allowed = a.keys().all(|k| k == "homePage" || k == "name");
            match (a.get("homePage").and_then(Value::as_str), a.get("name").and_then(Value::as_str)) {
                (Some(h), Some(n)) if allowed && is_iri(h) => Ok(format!("account:{h}|{n}")),
                _ => Err(bad(
                    "account 须有 homePage（IRI）和 name，且无其他属性",
                    "account needs homePage (an IRI) and name, and nothing else",
                )),
            }
        }
        [] => Err(bad(
            "参与者须有且只有一个标识（mbox、mbox_sha1sum、openid 或 account）",
            "an agent needs exactly one identifier (mbox, mbox_sha1sum, openid or account)",
        )),
        _ => Err(bad("参与者只能有一个标识", "an agent may carry only one identifier")),
    }
}

fn check_keys(o: &Map<String, Value>, allowed: &[&str], what: &str) -> Result<(), Msg> {
    match o.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(bad(format!("{what} 含未知属性 {k}"), format!("{what} has an unknown property {k}"))),
        None => Ok(()),
    }
}

fn check_actor(v: &Value, what: &str) -> Result<String, Msg> {
    let o = v.as_object().ok_or_else(|| bad(format!("{what} 应为对象"), format!("{what} must be an object")))?;
    let kind = o.get("objectType").map(|t| t.as_str().unwrap_or("?"));
    check_keys(o, &["objectType", "name", "mbox", "mbox_sha1sum", "openid", "account", "member"], what)?;
    if o.get("name").is_some_and(|n| !n.is_string()) {
        return Err(bad(format!("{what}.name 应为字符串"), format!("{what}.name must be a string")));
    }
    match kind {
        None | Some("Agent") => {
            if o.contains_key("member") {
                return Err(bad("Agent 不能有 member", "an Agent has no member"));
            }
            agent_key(v)
        }
        Some("Group") => {
            let members =
                o.get("member").map(|m| m.as_array().ok_or_else(|| bad("member 应为数组", "member must be an array")));
            if let Some(m) = members {
                for a in m? {
                    if a.get("objectType").and_then(Value::as_str) == Some("Group") {
                        return Err(bad("组成员不能是组", "a group's member cannot be a group"));
                    }
                    check_actor(a, "member")?;
                }
            }
            let identified = ["mbox", "mbox_sha1sum", "openid", "account"].iter().any(|k| o.contains_key(*k));
            if identified {
                agent_key(v)
            } else if o.get("member").and_then(Value::as_array).is_some_and(|m| !m.is_empty()) {
                Ok(format!("group:{}", serde_json::to_string(&o["member"]).unwrap_or_default()))
            } else {
                Err(bad("匿名组须列出成员", "an anonymous group must list its members"))
            }
        }
        Some(_) => Err(bad(
            format!("{what}.objectType 应为 Agent 或 Group"),
            format!("{what}.objectType must be Agent or Group"),
        )),
    }
}

fn check_lang_map(v: &Value, what: &str) -> Result<(), Msg> {
    let o =
        v.as_object().ok_or_else(|| bad(format!("{what} 应为语言映射"), format!("{what} must be a language map")))?;
    for (tag, text) in o {
        let ok_tag = !tag.is_empty()
            && tag.split('-').all(|p| !p.is_empty() && p.len() <= 8 && p.bytes().all(|b| b.is_ascii_alphanumeric()));
        if !ok_tag || !text.is_string() {
            return Err(bad(
                format!("{what} 的语言标签或文字无效：{tag}"),
                format!("{what}: invalid language tag or text: {tag}"),
            ));
        }
    }
    Ok(())
}

/// What a checked statement is found by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keys {
    pub actor: String,
    pub verb: String,
    /// The object's id when it is an Activity.
    pub activity: Option<String>,
    pub registration: Option<String>,
    /// The statement this one's object refers to (a StatementRef).
    pub statement_ref: Option<String>,
    /// The statement this one voids (a `voided` statement's StatementRef).
    pub voids: Option<String>,
}

/// Checks a statement (its id, when given, lower-cased in place; a context activity given
/// alone put in an array) against the rules of xAPI 1.0.3 this LRS enforces; returns its keys.
pub fn check_statement(v: &mut Value) -> Result<Keys, Msg> {
    no_nulls(v, "statement")?;
    check_statement_in(v, false)
}

/// No property anywhere is `null`, except inside extensions.
fn no_nulls(v: &Value, at: &str) -> Result<(), Msg> {
    match v {
        Value::Null => Err(bad(format!("{at} 不能为 null"), format!("{at} must not be null"))),
        Value::Array(a) => a.iter().try_for_each(|x| no_nulls(x, at)),
        Value::Object(o) => o.iter().filter(|(k, _)| k.as_str() != "extensions").try_for_each(|(k, x)| no_nulls(x, k)),
        _ => Ok(()),
    }
}

fn check_statement_in(v: &mut Value, sub: bool) -> Result<Keys, Msg> {
    let o = v.as_object_mut().ok_or_else(|| bad("语句应为 JSON 对象", "a statement must be a JSON object"))?;
    let allowed: &[&str] = if sub {
        &["actor", "verb", "object", "result", "context", "timestamp", "attachments", "objectType"]
    } else {
        &[
            "id",
            "actor",
            "verb",
            "object",
            "result",
            "context",
            "timestamp",
            "stored",
            "authority",
            "version",
            "attachments",
        ]
    };
    check_keys(o, allowed, if sub { "SubStatement" } else { "statement" })?;
    if let Some(id) = o.get("id") {
        let id =
            id.as_str().and_then(uuid).ok_or_else(|| bad("语句 id 应为 UUID", "the statement id must be a UUID"))?;
        o.insert("id".into(), Value::String(id));
    }
    if let Some(ver) = o.get("version")
        && !ver.as_str().is_some_and(|s| s == "1.0" || s.starts_with("1.0."))
    {
        return Err(bad("version 应为 1.0.x", "version must be 1.0.x"));
    }
    for k in ["timestamp", "stored"] {
        if let Some(t) = o.get(k)
            && t.as_str().is_none_or(|s| timestamp(s).is_none())
        {
            return Err(bad(
                format!("{k} 应为带时区的 ISO 8601 时间"),
                format!("{k} must be an ISO 8601 time with a time zone"),
            ));
        }
    }
    let actor = check_actor(o.get("actor").ok_or_else(|| bad("缺少 actor", "actor is missing"))?, "actor")?;
    if let Some(a) = o.get("authority") {
        check_authority(a)?;
    }
    let verb = o.get("verb").and_then(Value::as_object).ok_or_else(|| bad("缺少 verb", "verb is missing"))?;
    check_keys(verb, &["id", "display"], "verb")?;
    let verb_id = verb
        .get("id")
        .and_then(Value::as_str)
        .filter(|s| is_iri(s))
        .ok_or_else(|| bad("verb.id 应为 IRI", "verb.id must be an IRI"))?
        .to_owned();
    if let Some(d) = verb.get("display") {
        check_lang_map(d, "verb.display")?;
    }
    let object = o.get_mut("object").ok_or_else(|| bad("缺少 object", "object is missing"))?;
    let (activity, statement_ref) = check_object(object, !sub)?;
    let object_is_activity = activity.is_some();
    let voids = if verb_id == VOIDED { statement_ref.clone() } else { None };
    if verb_id == VOIDED && voids.is_none() {
        return Err(bad(
            "voided 语句的 object 应为 StatementRef",
            "a voided statement's object must be a StatementRef",
        ));
    }
    if let Some(r) = o.get("result") {
        check_result(r)?;
    }
    let mut registration = None;
    if let Some(c) = o.get_mut("context") {
        registration = check_context(c, object_is_activity)?;
    }
    if let Some(a) = o.get("attachments") {
        check_attachments(a)?;
    }
    Ok(Keys { actor, verb: verb_id, activity, registration, statement_ref, voids })
}

/// `authority`: an Agent, or an anonymous Group of exactly two Agents (OAuth's consumer and user).
fn check_authority(a: &Value) -> Result<(), Msg> {
    let is_group = a.get("objectType").and_then(Value::as_str) == Some("Group");
    if !is_group {
        return check_actor(a, "authority").map(|_| ());
    }
    let o = a.as_object().ok_or_else(|| bad("authority 应为对象", "authority must be an object"))?;
    let identified = ["mbox", "mbox_sha1sum", "openid", "account"].iter().any(|k| o.contains_key(*k));
    let members = o.get("member").and_then(Value::as_array).map_or(0, Vec::len);
    if identified || members != 2 {
        return Err(bad(
            "作为组的 authority 须为恰含两名成员的匿名组",
            "an authority that is a group must be an anonymous group of exactly two agents",
        ));
    }
    check_actor(a, "authority").map(|_| ())
}

fn check_extensions(v: &Value, what: &str) -> Result<(), Msg> {
    let o = v.as_object().ok_or_else(|| bad(format!("{what} 应为对象"), format!("{what} must be an object")))?;
    match o.keys().find(|k| !is_iri(k)) {
        Some(k) => Err(bad(format!("{what} 的键 {k} 不是 IRI"), format!("{what} key {k} is not an IRI"))),
        None => Ok(()),
    }
}

fn check_result(r: &Value) -> Result<(), Msg> {
    let r = r.as_object().ok_or_else(|| bad("result 应为对象", "result must be an object"))?;
    check_keys(r, &["score", "success", "completion", "response", "duration", "extensions"], "result")?;
    for k in ["success", "completion"] {
        if r.get(k).is_some_and(|x| !x.is_boolean()) {
            return Err(bad(format!("result.{k} 应为布尔值"), format!("result.{k} must be a boolean")));
        }
    }
    if r.get("response").is_some_and(|x| !x.is_string()) {
        return Err(bad("result.response 应为字符串", "result.response must be a string"));
    }
    if let Some(d) = r.get("duration")
        && d.as_str().is_none_or(|s| duration_seconds(s).is_none())
    {
        return Err(bad(
            "result.duration 应为 ISO 8601 时长，如 PT1H30M",
            "result.duration must be an ISO 8601 duration, e.g. PT1H30M",
        ));
    }
    if let Some(s) = r.get("score") {
        check_score(s)?;
    }
    if let Some(e) = r.get("extensions") {
        check_extensions(e, "result.extensions")?;
    }
    Ok(())
}

const CONTEXT_ACTIVITY_KEYS: [&str; 4] = ["parent", "grouping", "category", "other"];

/// Checks a context; a context activity given alone becomes an array of one. Returns the
/// registration.
fn check_context(c: &mut Value, object_is_activity: bool) -> Result<Option<String>, Msg> {
    let c = c.as_object_mut().ok_or_else(|| bad("context 应为对象", "context must be an object"))?;
    check_keys(
        c,
        &[
            "registration",
            "instructor",
            "team",
            "contextActivities",
            "revision",
            "platform",
            "language",
            "statement",
            "extensions",
        ],
        "context",
    )?;
    let mut registration = None;
    if let Some(r) = c.get("registration") {
        registration = Some(
            r.as_str()
                .and_then(uuid)
                .ok_or_else(|| bad("context.registration 应为 UUID", "context.registration must be a UUID"))?,
        );
    }
    if let Some(i) = c.get("instructor") {
        check_actor(i, "context.instructor")?;
    }
    if let Some(t) = c.get("team") {
        if t.get("objectType").and_then(Value::as_str) != Some("Group") {
            return Err(bad("context.team 应为组（objectType Group）", "context.team must be a Group"));
        }
        check_actor(t, "context.team")?;
    }
    for k in ["revision", "platform"] {
        if let Some(x) = c.get(k) {
            if !x.is_string() {
                return Err(bad(format!("context.{k} 应为字符串"), format!("context.{k} must be a string")));
            }
            if !object_is_activity {
                return Err(bad(
                    format!("对象不是活动时不能有 context.{k}"),
                    format!("context.{k} is allowed only when the object is an Activity"),
                ));
            }
        }
    }
    if let Some(l) = c.get("language")
        && !l.as_str().is_some_and(is_language_tag)
    {
        return Err(bad("context.language 应为语言标签", "context.language must be a language tag"));
    }
    if let Some(s) = c.get("statement") {
        let ok = s.get("objectType").and_then(Value::as_str) == Some("StatementRef")
            && s.as_object().is_some_and(|o| o.keys().all(|k| k == "objectType" || k == "id"))
            && s.get("id").and_then(Value::as_str).and_then(uuid).is_some();
        if !ok {
            return Err(bad(
                "context.statement 应为 StatementRef（objectType 与 UUID id）",
                "context.statement must be a StatementRef (objectType and a UUID id)",
            ));
        }
    }
    if let Some(e) = c.get("extensions") {
        check_extensions(e, "context.extensions")?;
    }
    if let Some(ca) = c.get_mut("contextActivities") {
        let ca = ca
            .as_object_mut()
            .ok_or_else(|| bad("contextActivities 应为对象", "contextActivities must be an object"))?;
        check_keys(ca, &CONTEXT_ACTIVITY_KEYS, "contextActivities")?;
        for (_, v) in ca.iter_mut() {
            if v.is_object() {
                *v = Value::Array(vec![v.take()]);
            }
            let list = v.as_array_mut().ok_or_else(|| {
                bad(
                    "contextActivities 的值应为活动或活动数组",
                    "a contextActivities value must be an activity or an array of them",
                )
            })?;
            for a in list {
                if a.get("objectType").is_some_and(|t| t != "Activity") {
                    return Err(bad("contextActivities 只能包含活动", "contextActivities hold activities only"));
                }
                check_object(a, false)?;
            }
        }
    }
    Ok(registration)
}

fn check_attachments(v: &Value) -> Result<(), Msg> {
    let list = v.as_array().ok_or_else(|| bad("attachments 应为数组", "attachments must be an array"))?;
    for a in list {
        let o = a.as_object().ok_or_else(|| bad("附件应为对象", "an attachment must be an object"))?;
        check_keys(
            o,
            &["usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"],
            "attachment",
        )?;
        let ok = o.get("usageType").and_then(Value::as_str).is_some_and(is_iri)
            && o.get("contentType").is_some_and(Value::is_string)
            && o.get("length").is_some_and(|l| l.as_u64().is_some())
            && o.get("sha2").is_some_and(Value::is_string)
            && o.get("fileUrl").is_none_or(|u| u.as_str().is_some_and(is_iri));
        if !ok {
            return Err(bad(
                "附件须有 usageType（IRI）、display、contentType、length（整数）与 sha2",
                "an attachment needs usageType (an IRI), display, contentType, length (a whole number) and sha2",
            ));
        }
        check_lang_map(
            o.get("display").ok_or_else(|| bad("附件缺少 display", "an attachment needs display"))?,
            "attachment.display",
        )?;
        if let Some(d) = o.get("description") {
            check_lang_map(d, "attachment.description")?;
        }
    }
    Ok(())
}

fn check_score(s: &Value) -> Result<(), Msg> {
    let o = s.as_object().ok_or_else(|| bad("score 应为对象", "score must be an object"))?;
    check_keys(o, &["scaled", "raw", "min", "max"], "result.score")?;
    let mut nums = [None; 4];
    for (i, k) in ["scaled", "raw", "min", "max"].into_iter().enumerate() {
        if let Some(v) = o.get(k) {
            nums[i] = Some(v.as_f64().ok_or_else(|| bad("score 的值应为数字", "score values must be numbers"))?);
        }
    }
    let [scaled, raw, min, max] = nums;
    let ok = scaled.is_none_or(|s| (-1.0..=1.0).contains(&s))
        && min.zip(max).is_none_or(|(a, b)| a < b)
        && raw.zip(min).is_none_or(|(r, a)| r >= a)
        && raw.zip(max).is_none_or(|(r, b)| r <= b);
    if ok { Ok(()) } else { Err(bad("score 超出范围", "score out of range")) }
}

const INTERACTION_TYPES: [&str; 10] = [
    "true-false",
    "choice",
    "fill-in",
    "long-fill-in",
    "matching",
    "performance",
    "sequencing",
    "likert",
    "numeric",
    "other",
];
const COMPONENT_LISTS: [&str; 5] = ["choices", "scale", "source", "target", "steps"];

fn check_definition(d: &Value) -> Result<(), Msg> {
    let d = d.as_object().ok_or_else(|| bad("definition 应为对象", "definition must be an object"))?;
    check_keys(
        d,
        &[
            "name",
            "description",
            "type",
            "moreInfo",
            "interactionType",
            "correctResponsesPattern",
            "choices",
            "scale",
            "source",
            "target",
            "steps",
            "extensions",
        ],
        "definition",
    )?;
    for k in ["name", "description"] {
        if let Some(m) = d.get(k) {
            check_lang_map(m, &format!("definition.{k}"))?;
        }
    }
    for k in ["type", "moreInfo"] {
        if let Some(t) = d.get(k)
            && !t.as_str().is_some_and(is_iri)
        {
            return Err(bad(format!("definition.{k} 应为 IRI"), format!("definition.{k} must be an IRI")));
        }
    }
    if let Some(e) = d.get("extensions") {
        check_extensions(e, "definition.extensions")?;
    }
    let interaction = match d.get("interactionType") {
        None => None,
        Some(t) => Some(t.as_str().filter(|t| INTERACTION_TYPES.contains(t)).ok_or_else(|| {
            bad(
                format!("interactionType 应为其一：{}", INTERACTION_TYPES.join("、")),
                format!("interactionType must be one of {}", INTERACTION_TYPES.join(", ")),
            )
        })?),
    };
    let uses_components =
        d.contains_key("correctResponsesPattern") || COMPONENT_LISTS.iter().any(|k| d.contains_key(*k));
    if uses_components && interaction.is_none() {
        return Err(bad("使用交互属性时须有 interactionType", "interaction properties need an interactionType"));
    }
    if let Some(p) = d.get("correctResponsesPattern")
        && !p.as_array().is_some_and(|a| a.iter().all(Value::is_string))
    {
        return Err(bad(
            "correctResponsesPattern 应为字符串数组",
            "correctResponsesPattern must be an array of strings",
        ));
    }
    for k in COMPONENT_LISTS {
        if let Some(list) = d.get(k) {
            let list = list.as_array().ok_or_else(|| bad(format!("{k} 应为数组"), format!("{k} must be an array")))?;
            for c in list {
                let c = c
                    .as_object()
                    .ok_or_else(|| bad("交互组件应为对象", "an interaction component must be an object"))?;
                check_keys(c, &["id", "description"], k)?;
                if !c.get("id").is_some_and(Value::is_string) {
                    return Err(bad("交互组件须有 id", "an interaction component needs an id"));
                }
                if let Some(m) = c.get("description") {
                    check_lang_map(m, k)?;
                }
            }
        }
    }
    Ok(())
}

/// The object's activity id, or the statement it refers to. `top`: the statement's own object
/// (which may be a SubStatement); context activities and a SubStatement's object are not.
fn check_object(v: &mut Value, top: bool) -> Result<(Option<String>, Option<String>), Msg> {
    let kind = {
        let o = v.as_object().ok_or_else(|| bad("object 应为对象", "object must be an object"))?;
        o.get("objectType").map(|t| t.as_str().unwrap_or("?").to_owned())
    };
    match kind.as_deref() {
        None | Some("Activity") => {
            let o = v.as_object().ok_or_else(|| bad("object 应为对象", "object must be an object"))?;
            check_keys(o, &["objectType", "id", "definition"], "object")?;
            let id = o
                .get("id")
                .and_then(Value::as_str)
                .filter(|s| is_iri(s))
                .ok_or_else(|| bad("活动 id 应为 IRI", "an activity id must be an IRI"))?;
            if let Some(d) = o.get("definition") {
                check_definition(d)?;
            }
            Ok((Some(id.to_owned()), None))
        }
        Some("Agent" | "Group") => check_actor(v, "object").map(|_| (None, None)),
        Some("StatementRef") => {
            let o = v.as_object().ok_or_else(|| bad("object 应为对象", "object must be an object"))?;
            check_keys(o, &["objectType", "id"], "object")?;
            let id = o
                .get("id")
                .and_then(Value::as_str)
                .and_then(uuid)
                .ok_or_else(|| bad("StatementRef 的 id 应为 UUID", "a StatementRef id must be a UUID"))?;
            Ok((None, Some(id)))
        }
        Some("SubStatement") if top => {
            if v.pointer("/object/objectType").and_then(Value::as_str) == Some("SubStatement") {
                return Err(bad("子语句不能嵌套", "a SubStatement cannot nest another"));
            }
            check_statement_in(v, true).map(|_| (None, None))
        }
        Some(_) => Err(bad("object.objectType 无效", "object.objectType is not valid")),
    }
}

/// What a statement means for an enrolment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Credit {
    /// Learning time to add (seconds).
    pub seconds: i64,
    /// The enrolment is completed.
    pub completes: bool,
}

/// The credit a statement carries: the last path segment of its verb names it (ADL's
/// `…/verbs/attended`, `…/verbs/completed`, or any vocabulary's verb of that name).
pub fn credit(statement: &Value) -> Credit {
    let verb = statement.pointer("/verb/id").and_then(Value::as_str).unwrap_or("");
    let name = verb.rsplit(['/', '#']).next().unwrap_or("");
    let result = statement.get("result");
    let flag = |k: &str| result.and_then(|r| r.get(k)).and_then(Value::as_bool) == Some(true);
    let mut c = Credit::default();
    if TIME_VERBS.contains(&name)
        && let Some(d) = result.and_then(|r| r.get("duration")).and_then(Value::as_str).and_then(duration_seconds)
    {
        c.seconds = d;
    }
    if COMPLETION_VERBS.contains(&name) && (flag("completion") || flag("success")) {
        c.completes = true;
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn durations_in_seconds() {
        assert_eq!(duration_seconds("PT1H30M"), Some(5400));
        assert_eq!(duration_seconds("PT0.5H"), Some(1800));
        assert_eq!(duration_seconds("P1DT2H"), Some(93_600));
        assert_eq!(duration_seconds("PT90S"), Some(90));
        assert_eq!(duration_seconds("P1M"), Some(30 * 86_400));
        assert_eq!(duration_seconds("P4W"), Some(28 * 86_400));
        assert_eq!(duration_seconds("P4W1D"), None);
        assert!(duration_seconds("P3Y1M29DT4H35M59.14S").is_some());
        assert_eq!(duration_seconds("PT"), None);
        assert_eq!(duration_seconds("PT1M1H"), None);
    }

    #[test]
    fn statements_are_checked_and_keyed() {
        let mut s = json!({
            "id": "9E13CEFD-53D3-4EAC-B5ED-2CF6693903BB",
            "actor": {"account": {"homePage": "https://learn.example.cn", "name": "stu0001"}},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"zh-CN": "参加"}},
            "object": {"id": "https://gongjiang.example/programmes/TJ-001"},
            "result": {"duration": "PT2H"}
        });
        let k = check_statement(&mut s).unwrap();
        assert_eq!(k.actor, "account:https://learn.example.cn|stu0001");
        assert_eq!(s["id"], "9e13cefd-53d3-4eac-b5ed-2cf6693903bb");
        assert_eq!(credit(&s), Credit { seconds: 7200, completes: false });
        let mut two_ids = json!({"actor": {"mbox": "mailto:a@b.c", "openid": "http://x"}, "verb": {"id": "http://v"}, "object": {"id": "http://o"}});
        assert!(check_statement(&mut two_ids).is_err());
        let mut done = json!({"actor": {"mbox": "mailto:a@b.c"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"}, "object": {"id": "http://o"}, "result": {"completion": true}});
        check_statement(&mut done).unwrap();
        assert_eq!(credit(&done), Credit { seconds: 0, completes: true });
    }
}
