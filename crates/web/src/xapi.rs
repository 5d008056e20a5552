//! `/xapi`: the xAPI 1.0.3 Learning Record Store — the Statement resource (POST, PUT, GET one or
//! a filtered page with `more`) and About, the version header on every request and response, HTTP
//! Basic authentication with an API token as the password (the user name is ignored; a Bearer
//! token works too). A training provider's or school's token stores and reads its own
//! statements; a city administrator's reads all. The use cases are `app::xapi`.

use std::collections::HashMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, Request, State};
use axum::http::Method;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use base64::Engine;
use gongjiang_app::App;
use gongjiang_app::accounts;
use gongjiang_app::xapi::{self, Caller, Filter, XapiError};
use gongjiang_app::xapi_documents::{self as documents, Conditions, Kind, Params, Reply, Upload};
use gongjiang_domain::access::Role;
use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::xapi::VERSION;
use gongjiang_domain::xapi_attachments::{self as attachments, Attachment};
use gongjiang_domain::xapi_canonical::accept_languages;
use serde_json::{Value, json};

const VERSION_HEADER: &str = "x-experience-api-version";

/// The largest request the LRS reads: a batch of statements with their raw attachments. A
/// larger one is refused with 413 (`payload_too_large`, in both languages). Not a policy number:
/// it bounds what one request can make the server buffer and store.
pub const BODY_LIMIT_BYTES: usize = 8 * 1024 * 1024;

/// The LRS as one service: the alternate request syntax is unwrapped before routing (so its
/// `method` chooses the handler), then the resources.
pub fn service(app: App) -> Router {
    Router::new()
        .fallback_service(router().with_state(app))
        .layer(axum::middleware::from_fn(alternate_syntax))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(BODY_LIMIT_BYTES))
}

fn router() -> Router<App> {
    Router::new()
        .route("/xapi/about", get(about))
        .route("/xapi/statements", get(get_statements).post(post_statements).put(put_statement))
        .route("/xapi/activities", get(activities))
        .route("/xapi/activities/state", any(state))
        .route("/xapi/activities/profile", any(activity_profile))
        .route("/xapi/agents", get(agents))
        .route("/xapi/agents/profile", any(agent_profile))
        .layer(axum::middleware::from_fn(version_header))
}

/// Form parameters of the alternate request syntax that are headers.
const FORM_HEADERS: [&str; 6] =
    ["authorization", "x-experience-api-version", "content-type", "content-length", "if-match", "if-none-match"];

/// The alternate request syntax (Communication 1.3): `POST …?method=PUT` with a form body whose
/// header-named fields become headers, `content` the body and the rest the query.
async fn alternate_syntax(req: Request, next: Next) -> Response {
    let query = req.uri().query().unwrap_or("").to_owned();
    let params: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    let Some(method) = params.iter().find(|(k, _)| k == "method").map(|(_, v)| v.to_ascii_uppercase()) else {
        return next.run(req).await;
    };
    let refuse = |zh: &str, en: &str| {
        let mut r = error(StatusCode::BAD_REQUEST, &Msg::new(zh, en));
        r.headers_mut().insert(VERSION_HEADER, HeaderValue::from_static(VERSION));
        r
    };
    if req.method() != Method::POST || params.len() > 1 {
        return refuse(
            "替代请求语法须为只带 method 参数的 POST",
            "the alternate request syntax is a POST with only the method parameter",
        );
    }
    let Ok(method) = Method::from_bytes(method.as_bytes()) else { return refuse("method 无效", "bad method") };
    let (mut parts, body) = req.into_parts();
    let form = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !form.starts_with("application/x-www-form-urlencoded") {
        return refuse("替代请求语法须为表单编码", "the alternate request syntax must be form-encoded");
    }
    let Ok(bytes) = axum::body::to_bytes(body, crate::layers::BODY_LIMIT_BYTES).await else {
        return refuse("请求体无法读取", "the body cannot be read");
    };
    let mut rest: Vec<(String, String)> = Vec::new();
    let mut content = Vec::new();
    parts.headers.remove(header::CONTENT_TYPE);
    for (k, v) in form_urlencoded::parse(&bytes) {
        let lower = k.to_ascii_lowercase();
        if lower == "content" {
            content = v.as_bytes().to_vec();
        } else if FORM_HEADERS.contains(&lower.as_str()) {
            if let (Ok(name), Ok(value)) = (header::HeaderName::from_bytes(lower.as_bytes()), HeaderValue::from_str(&v))
            {
                parts.headers.insert(name, value);
            }
        } else {
            rest.push((k.into_owned(), v.into_owned()));
        }
    }
    if !content.is_empty() && !parts.headers.contains_key(header::CONTENT_TYPE) {
        parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    parts.headers.insert(header::CONTENT_LENGTH, HeaderValue::from(content.len()));
    // Built and dropped here: the serializer is not `Send`.
    let query = form_urlencoded::Serializer::new(String::new()).extend_pairs(&rest).finish();
    let path = parts.uri.path().to_owned();
    let uri = if query.is_empty() { path } else { format!("{path}?{query}") };
    let Ok(uri) = uri.parse() else { return refuse("参数无效", "bad parameters") };
    parts.uri = uri;
    parts.method = method;
    next.run(Request::from_parts(parts, axum::body::Body::from(content))).await
}

fn error(status: StatusCode, m: &Msg) -> Response {
    let mut r = (status, axum::Json(json!({"error": {"zh": m.zh, "en": m.en}}))).into_response();
    if status == StatusCode::UNAUTHORIZED {
        r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Basic realm=\"xapi\""));
    }
    r
}

impl IntoResponse for XapiFailure {
    fn into_response(self) -> Response {
        match self.0 {
            XapiError::BadRequest(m) => error(StatusCode::BAD_REQUEST, &m),
            XapiError::Conflict(m) => error(StatusCode::CONFLICT, &m),
            XapiError::NotFound(m) => error(StatusCode::NOT_FOUND, &m),
            XapiError::PreconditionFailed(m) => error(StatusCode::PRECONDITION_FAILED, &m),
            XapiError::App(e) => crate::ApiError::from(e).into_response(),
        }
    }
}

struct XapiFailure(XapiError);

impl From<XapiError> for XapiFailure {
    fn from(e: XapiError) -> Self {
        XapiFailure(e)
    }
}

/// Every request but About names the version it speaks (1.0.x); every response names ours.
async fn version_header(req: Request, next: Next) -> Response {
    let about = req.uri().path() == "/xapi/about";
    let given = req.headers().get(VERSION_HEADER).and_then(|v| v.to_str().ok()).map(str::trim);
    let mut resp = match given {
        _ if about => next.run(req).await,
        Some(v) if v == "1.0" || (v.starts_with("1.0.") && v[4..].bytes().all(|b| b.is_ascii_digit())) => {
            next.run(req).await
        }
        Some(_) => error(
            StatusCode::BAD_REQUEST,
            &Msg::new("不支持的 xAPI 版本（应为 1.0.x）", "unsupported xAPI version (1.0.x expected)"),
        ),
        None => error(
            StatusCode::BAD_REQUEST,
            &Msg::new("缺少 X-Experience-API-Version 请求头", "the X-Experience-API-Version header is missing"),
        ),
    };
    resp.headers_mut().insert(VERSION_HEADER, HeaderValue::from_static(VERSION));
    resp
}

async fn about() -> Response {
    axum::Json(json!({"version": [VERSION]})).into_response()
}

/// The caller a token (Basic password or Bearer) names, or the response refusing it.
async fn caller(app: &App, headers: &HeaderMap) -> Result<Caller, Response> {
    let unauthorized = || error(StatusCode::UNAUTHORIZED, &Msg::new("需要 API 令牌", "an API token is required"));
    let Some(h) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) else { return Err(unauthorized()) };
    let token = if let Some(b) = h.strip_prefix("Basic ") {
        let raw = base64::engine::general_purpose::STANDARD.decode(b.trim()).map_err(|_| unauthorized())?;
        let text = String::from_utf8(raw).map_err(|_| unauthorized())?;
        text.split_once(':').map(|(_, p)| p.to_owned()).ok_or_else(unauthorized)?
    } else if let Some(b) = h.strip_prefix("Bearer ") {
        b.trim().to_owned()
    } else {
        return Err(unauthorized());
    };
    let auth = match accounts::lookup_token(&app.db, &token).await {
        Ok(Some(a)) => a,
        Ok(None) => return Err(unauthorized()),
        Err(e) => return Err(crate::ApiError::from(e).into_response()),
    };
    let mut provider = None;
    for r in &auth.roles {
        match r {
            Role::CityAdmin => return Ok(Caller { provider: None, username: auth.username }),
            Role::TrainingProvider { organisation } | Role::School { organisation } => provider = Some(*organisation),
            _ => {}
        }
    }
    match provider {
        Some(p) => Ok(Caller { provider: Some(p), username: auth.username }),
        None => Err(error(
            StatusCode::FORBIDDEN,
            &Msg::new(
                "令牌须为培训机构、院校或市级管理员所有",
                "the token must be a training provider's, a school's or the city's",
            ),
        )),
    }
}

/// The statements of a POST or PUT and the raw attachments sent with them: `application/json`
/// (no raw attachments), or `multipart/mixed` (Communication 1.5.2).
fn statement_body(headers: &HeaderMap, body: &Bytes) -> Result<(Value, Vec<Attachment>), XapiFailure> {
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let media = attachments::media_type(ct);
    if media == "multipart/mixed" {
        return attachments::read(ct, body).map_err(|m| XapiError::BadRequest(m).into());
    }
    if media.starts_with("multipart/") {
        return Err(XapiError::BadRequest(Msg::new(
            format!("语句请求的类型应为 application/json 或 multipart/mixed，而不是 {media}"),
            format!("a statement request is application/json or multipart/mixed, not {media}"),
        ))
        .into());
    }
    Ok((json_body(body)?, Vec::new()))
}

fn json_body(body: &Bytes) -> Result<Value, XapiFailure> {
    serde_json::from_slice(body).map_err(|e| {
        XapiError::BadRequest(Msg::new(format!("请求体不是有效 JSON：{e}"), format!("the body is not valid JSON: {e}")))
            .into()
    })
}

async fn post_statements(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Response {
    let c = match caller(&app, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let run = async {
        let (v, raw) = statement_body(&headers, &body)?;
        Ok::<_, XapiFailure>(xapi::post(&app, &c, v, raw).await?)
    };
    match run.await {
        Ok(ids) => axum::Json(ids).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn put_statement(
    State(app): State<App>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    let c = match caller(&app, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let Some(id) = params.get("statementId") else {
        return error(
            StatusCode::BAD_REQUEST,
            &Msg::new("PUT 须带 statementId 参数", "PUT needs the statementId parameter"),
        );
    };
    let run = async {
        let (v, raw) = statement_body(&headers, &body)?;
        Ok::<_, XapiFailure>(xapi::put(&app, &c, id, v, raw).await?)
    };
    match run.await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => e.into_response(),
    }
}

const QUERY_PARAMS: [&str; 14] = [
    "statementId",
    "voidedStatementId",
    "agent",
    "verb",
    "activity",
    "registration",
    "related_activities",
    "related_agents",
    "since",
    "until",
    "limit",
    "format",
    "attachments",
    "ascending",
];

async fn get_statements(
    State(app): State<App>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let consistent = gongjiang_app::xapi::stored_text(time::OffsetDateTime::now_utc());
    let mut resp = statements_page(&app, &headers, &params).await;
    if let Ok(v) = HeaderValue::from_str(&consistent) {
        resp.headers_mut().insert("x-experience-api-consistent-through", v);
    }
    resp
}

async fn statements_page(app: &App, headers: &HeaderMap, params: &HashMap<String, String>) -> Response {
    let app = app.clone();
    let c = match caller(&app, headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    if let Some(k) = params.keys().find(|k| !QUERY_PARAMS.contains(&k.as_str()) && k.as_str() != "cursor") {
        return error(StatusCode::BAD_REQUEST, &Msg::new(format!("未知参数 {k}"), format!("unknown parameter {k}")));
    }
    let one = match (params.get("statementId"), params.get("voidedStatementId")) {
        (Some(_), Some(_)) => {
            return error(
                StatusCode::BAD_REQUEST,
                &Msg::new(
                    "statementId 与 voidedStatementId 不能同时使用",
                    "statementId and voidedStatementId exclude each other",
                ),
            );
        }
        (Some(id), None) => Some((id, false)),
        (None, Some(id)) => Some((id, true)),
        (None, None) => None,
    };
    let languages =
        headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).map(accept_languages).unwrap_or_default();
    let with_attachments = match params.get("attachments").map(String::as_str) {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => {
            return error(
                StatusCode::BAD_REQUEST,
                &Msg::new("attachments 应为 true 或 false", "attachments must be true or false"),
            );
        }
    };
    if let Some((id, voided)) = one {
        let others =
            params.keys().any(|k| !["statementId", "voidedStatementId", "format", "attachments"].contains(&k.as_str()));
        if others {
            return error(
                StatusCode::BAD_REQUEST,
                &Msg::new("按 id 查询时不能带其他筛选参数", "a query by id takes no other filter"),
            );
        }
        match xapi::get(&app, &c, id, voided, params.get("format").map(String::as_str), &languages).await {
            Ok(s) if with_attachments => with_parts(&app, std::slice::from_ref(&s), &s).await,
            Ok(s) => axum::Json(s).into_response(),
            Err(e) => XapiFailure(e).into_response(),
        }
    } else {
        let p = |k: &str| params.get(k).cloned();
        let f = Filter {
            agent: p("agent"),
            verb: p("verb"),
            activity: p("activity"),
            registration: p("registration"),
            since: p("since"),
            until: p("until"),
            limit: p("limit"),
            ascending: p("ascending"),
            cursor: p("cursor"),
            format: p("format"),
            languages,
        };
        match xapi::query(&app, &c, &f).await {
            Ok((statements, next)) => {
                let more = next.map_or(String::new(), |cursor| {
                    let mut q: Vec<(String, String)> = params
                        .iter()
                        .filter(|(k, _)| k.as_str() != "cursor")
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect();
                    q.sort();
                    q.push(("cursor".into(), cursor.to_string()));
                    let query = form_urlencoded::Serializer::new(String::new()).extend_pairs(&q).finish();
                    format!("/xapi/statements?{query}")
                });
                let result = json!({"statements": statements, "more": more});
                if with_attachments {
                    with_parts(&app, &statements_of(&result), &result).await
                } else {
                    axum::Json(result).into_response()
                }
            }
            Err(e) => XapiFailure(e).into_response(),
        }
    }
}

fn statements_of(result: &Value) -> Vec<Value> {
    result.get("statements").and_then(Value::as_array).cloned().unwrap_or_default()
}

/// `attachments=true`: a multipart/mixed response — the JSON first, then each raw attachment
/// the statements list that the LRS holds, with its hash (Communication 2.1.3).
async fn with_parts(app: &App, statements: &[Value], json: &Value) -> Response {
    let raw = match xapi::attachments_of(app, statements).await {
        Ok(r) => r,
        Err(e) => return XapiFailure(e).into_response(),
    };
    let boundary = format!("gongjiang{}", uuid::Uuid::now_v7().simple());
    let mut body = format!("--{boundary}\r\nContent-Type: application/json\r\n\r\n{json}\r\n").into_bytes();
    for a in raw {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Type: {}\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: {}\r\n\r\n",
                a.content_type, a.sha2
            )
            .as_bytes(),
        );
        body.extend_from_slice(&a.content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let mut r = (StatusCode::OK, body).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("multipart/mixed; boundary={boundary}")) {
        r.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    r
}

async fn state(
    State(app): State<App>,
    method: Method,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    document(app, Kind::State, "stateId", method, headers, q, body).await
}

async fn activity_profile(
    State(app): State<App>,
    method: Method,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    document(app, Kind::ActivityProfile, "profileId", method, headers, q, body).await
}

async fn agent_profile(
    State(app): State<App>,
    method: Method,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    document(app, Kind::AgentProfile, "profileId", method, headers, q, body).await
}

/// One request to a document resource.
async fn document(
    app: App,
    kind: Kind,
    id_param: &str,
    method: Method,
    headers: HeaderMap,
    q: HashMap<String, String>,
    body: Bytes,
) -> Response {
    let c = match caller(&app, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let p = Params {
        activity_id: q.get("activityId").cloned(),
        agent: q.get("agent").cloned(),
        registration: q.get("registration").cloned(),
        doc_id: q.get(id_param).cloned(),
        since: q.get("since").cloned(),
    };
    let h = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let cond = Conditions { if_match: h(header::IF_MATCH), if_none_match: h(header::IF_NONE_MATCH) };
    let result = match method {
        Method::GET | Method::HEAD => documents::get(&app, &c, kind, &p).await.map(Some),
        Method::PUT | Method::POST => {
            let ct = h(header::CONTENT_TYPE).unwrap_or_default();
            let up = Upload { content_type: ct, body: body.to_vec(), merge: method == Method::POST };
            documents::store(&app, &c, kind, &p, &cond, up).await.map(|()| None)
        }
        Method::DELETE => documents::delete(&app, &c, kind, &p, &cond).await.map(|()| None),
        _ => return StatusCode::METHOD_NOT_ALLOWED.into_response(),
    };
    match result {
        Ok(Some(Reply::Doc(d))) => {
            let mut r = (StatusCode::OK, d.body).into_response();
            let hs = r.headers_mut();
            if let Ok(v) = HeaderValue::from_str(&d.content_type) {
                hs.insert(header::CONTENT_TYPE, v);
            }
            if let Ok(v) = HeaderValue::from_str(&format!("\"{}\"", d.etag)) {
                hs.insert(header::ETAG, v);
            }
            if let Some(t) = gongjiang_domain::xapi::timestamp(&d.updated)
                && let Ok(text) = t.format(&time::format_description::well_known::Rfc2822)
                && let Ok(v) = HeaderValue::from_str(&text)
            {
                hs.insert(header::LAST_MODIFIED, v);
            }
            r
        }
        Ok(Some(Reply::Ids(ids))) => axum::Json(ids).into_response(),
        Ok(Some(Reply::Done) | None) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => XapiFailure(e).into_response(),
    }
}

async fn activities(State(app): State<App>, headers: HeaderMap, Query(q): Query<HashMap<String, String>>) -> Response {
    if let Err(r) = caller(&app, &headers).await {
        return r;
    }
    let Some(id) = q.get("activityId") else {
        return error(StatusCode::BAD_REQUEST, &Msg::new("缺少 activityId", "activityId is missing"));
    };
    match documents::activity(&app, id).await {
        Ok(v) => axum::Json(v).into_response(),
        Err(e) => XapiFailure(e).into_response(),
    }
}

async fn agents(State(app): State<App>, headers: HeaderMap, Query(q): Query<HashMap<String, String>>) -> Response {
    if let Err(r) = caller(&app, &headers).await {
        return r;
    }
    let Some(agent) = q.get("agent") else {
        return error(StatusCode::BAD_REQUEST, &Msg::new("缺少 agent", "agent is missing"));
    };
    match documents::person(agent) {
        Ok(v) => axum::Json(v).into_response(),
        Err(e) => XapiFailure(e).into_response(),
    }
}
