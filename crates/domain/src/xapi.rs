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

/// ISO 8601 duration (`PT1H30M`, `P1DT2H`, `PT0.5H`, `PT90S`) → whole seconds. Years and months
/// are refused (their length varies); weeks are 7 days.
pub fn duration_seconds(s: &str) -> Option<i64> {
    let rest = s.strip_prefix('P')?;
    if rest.is_empty() {
        return None;
    }
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) if !t.is_empty() => (d, Some(t)),
        Some(_) => return None,
        None => (rest, None),
    };
    let mut total = 0f64;
    let mut parse = |part: &str, units: &[(char, f64)]| -> Option<()> {
        let mut num = String::new();
        let mut next = 0;
        for c in part.chars() {
            if c.is_ascii_digit() || c == '.' || c == ',' {
                num.push(if c == ',' { '.' } else { c });
                continue;
            }
            let i = units.iter().skip(next).position(|(u, _)| *u == c)? + next;
            let v: f64 = num.parse().ok()?;
            total += v * units[i].1;
            num.clear();
            next = i + 1;
        }
        num.is_empty().then_some(())
    };
    parse(date, &[('W', 604_800.0), ('D', 86_400.0)])?;
    if let Some(t) = time {
        parse(t, &[('H', 3600.0), ('M', 60.0), ('S', 1.0)])?;
    }
    (total.is_finite() && total < 1e12).then(|| total.round() as i64)
}

/// An RFC 3339 / ISO 8601 timestamp with a time zone (`2026-03-01T10:00:00Z`,
/// `…T10:00:00.123+08:00`); `None` otherwise.
pub fn timestamp(s: &str) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()
}

/// The key an agent is found by: its one inverse functional identifier.
pub fn agent_key(agent: &Value) -> Result<String, Msg> {
    let o = agent.as_object().ok_or_else(|| bad("参与者应为对象", "an agent must be an object"))?;
    let ifis: Vec<&str> =
        ["mbox", "mbox_sha1sum", "openid", "account"].into_iter().filter(|k| o.contains_key(*k)).collect();
    match ifis.as_slice() {
        ["mbox"] => match o["mbox"].as_str() {
            Some(m) if m.starts_with("mailto:") && m.len() > 7 => Ok(format!("mbox:{m}")),
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
    /// The statement this one voids (a `voided` statement's StatementRef).
    pub voids: Option<String>,
}

/// Checks a statement (its id, when given, lower-cased in place) against the rules of xAPI
/// 1.0.3 this LRS enforces; returns its keys.
pub fn check_statement(v: &mut Value) -> Result<Keys, Msg> {
    let o = v.as_object_mut().ok_or_else(|| bad("语句应为 JSON 对象", "a statement must be a JSON object"))?;
    check_keys(
        o,
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
            "objectType",
        ],
        "statement",
    )?;
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
        check_actor(a, "authority")?;
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
    let object = o.get("object").ok_or_else(|| bad("缺少 object", "object is missing"))?;
    let (activity, voids) = check_object(object, true)?;
    if verb_id == VOIDED && voids.is_none() {
        return Err(bad(
            "voided 语句的 object 应为 StatementRef",
            "a voided statement's object must be a StatementRef",
        ));
    }
    if let Some(r) = o.get("result") {
        let r = r.as_object().ok_or_else(|| bad("result 应为对象", "result must be an object"))?;
        check_keys(r, &["score", "success", "completion", "response", "duration", "extensions"], "result")?;
        for k in ["success", "completion"] {
            if r.get(k).is_some_and(|x| !x.is_boolean()) {
                return Err(bad(format!("result.{k} 应为布尔值"), format!("result.{k} must be a boolean")));
            }
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
    }
    let mut registration = None;
    if let Some(c) = o.get("context") {
        let c = c.as_object().ok_or_else(|| bad("context 应为对象", "context must be an object"))?;
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
    }
    Ok(Keys { actor, verb: verb_id, activity, registration, voids })
}

fn check_score(s: &Value) -> Result<(), Msg> {
    let o = s.as_object().ok_or_else(|| bad("score 应为对象", "score must be an object"))?;
    check_keys(o, &["scaled", "raw", "min", "max"], "result.score")?;
    let n = |k: &str| o.get(k).map(|v| v.as_f64().ok_or(()));
    let (scaled, raw, min, max) = (n("scaled"), n("raw"), n("min"), n("max"));
    let nums = [scaled, raw, min, max];
    if nums.iter().any(|x| matches!(x, Some(Err(())))) {
        return Err(bad("score 的值应为数字", "score values must be numbers"));
    }
    let g = |x: Option<Result<f64, ()>>| x.and_then(Result::ok);
    let (scaled, raw, min, max) = (g(scaled), g(raw), g(min), g(max));
    let ok = scaled.is_none_or(|s| (-1.0..=1.0).contains(&s))
        && min.zip(max).is_none_or(|(a, b)| a < b)
        && raw.zip(min).is_none_or(|(r, a)| r >= a)
        && raw.zip(max).is_none_or(|(r, b)| r <= b);
    if ok { Ok(()) } else { Err(bad("score 超出范围", "score out of range")) }
}

/// The object's activity id, or the statement it refers to.
fn check_object(v: &Value, top: bool) -> Result<(Option<String>, Option<String>), Msg> {
    let o = v.as_object().ok_or_else(|| bad("object 应为对象", "object must be an object"))?;
    match o.get("objectType").map(|t| t.as_str().unwrap_or("?")) {
        None | Some("Activity") => {
            check_keys(o, &["objectType", "id", "definition"], "object")?;
            let id = o
                .get("id")
                .and_then(Value::as_str)
                .filter(|s| is_iri(s))
                .ok_or_else(|| bad("活动 id 应为 IRI", "an activity id must be an IRI"))?;
            if let Some(d) = o.get("definition") {
                let d = d.as_object().ok_or_else(|| bad("definition 应为对象", "definition must be an object"))?;
                for k in ["name", "description"] {
                    if let Some(m) = d.get(k) {
                        check_lang_map(m, &format!("definition.{k}"))?;
                    }
                }
                if let Some(t) = d.get("type")
                    && !t.as_str().is_some_and(is_iri)
                {
                    return Err(bad("definition.type 应为 IRI", "definition.type must be an IRI"));
                }
            }
            Ok((Some(id.to_owned()), None))
        }
        Some("Agent" | "Group") => check_actor(v, "object").map(|_| (None, None)),
        Some("StatementRef") => {
            check_keys(o, &["objectType", "id"], "object")?;
            let id = o
                .get("id")
                .and_then(Value::as_str)
                .and_then(uuid)
                .ok_or_else(|| bad("StatementRef 的 id 应为 UUID", "a StatementRef id must be a UUID"))?;
            Ok((None, Some(id)))
        }
        Some("SubStatement") if top => {
            let mut sub = v.clone();
            let s = sub.as_object_mut().ok_or_else(|| bad("子语句应为对象", "a SubStatement must be an object"))?;
            for k in ["id", "stored", "version", "authority"] {
                if s.contains_key(k) {
                    return Err(bad(format!("子语句不能有 {k}"), format!("a SubStatement cannot have {k}")));
                }
            }
            if s.get("object").and_then(|x| x.get("objectType")).and_then(Value::as_str) == Some("SubStatement") {
                return Err(bad("子语句不能嵌套", "a SubStatement cannot nest another"));
            }
            s.remove("objectType");
            check_statement(&mut sub).map(|_| (None, None))
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
        assert_eq!(duration_seconds("P1M"), None);
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
