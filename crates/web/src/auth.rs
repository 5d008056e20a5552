//! Who is calling, and what they may do.
//!
//! Two ways in, one extractor: a person signed in through `POST /api/v1/session` carries a
//! session cookie; a system carries `Authorization: Bearer gjt_…` (made with `gongjiang token
//! create`). Either way a handler takes [`CurrentUser`] — the user, their roles and permissions
//! as they are *now* (read per request, so a revoked role stops working at once), and the client
//! address for the audit trail. `Option<CurrentUser>` serves pages that work signed in or not.
//!
//! **CSRF.** A cookie travels with every request the browser makes, whoever's page asked for it,
//! so a state-changing request (anything but GET, HEAD, OPTIONS) authenticated by a cookie must
//! also carry the session's CSRF token: the `X-CSRF-Token` header, or for an HTML form posted as
//! `application/x-www-form-urlencoded` the hidden field `csrf` ([`CurrentUser::csrf_input`]).
//! The [`sessions`] middleware checks the token on every route; the session's authority is then
//! only to be had through [`CurrentUser`] (or `Option<CurrentUser>`), which refuses a
//! state-changing request whose token was missing or wrong with 403 `csrf_rejected` — so no
//! handler acting for the signed-in user can forget it, while a public POST (verifying a
//! credential) still works for a visitor who happens to be signed in. Requests with an
//! `Authorization` header need no token (a cross-site page cannot set that header), and their
//! cookies are ignored. `SameSite=Strict` keeps the cookie off cross-site requests as well, so
//! the token is the second of two walls.
//!
//! **The cookie**: `HttpOnly; SameSite=Strict; Path=/`, its lifetime the session's. When the
//! service is reached over HTTPS (`--public-url https://…`) it is named
//! `__Host-gongjiang_session` and marked `Secure` (browsers then refuse it over plain HTTP and
//! from sub-domains). On a plain-HTTP intranet a `Secure` cookie would never be sent back, so
//! there it is `gongjiang_session` without `Secure`; docs/SECURITY.md says why TLS is still
//! the recommendation.

use std::net::{IpAddr, SocketAddr};

use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, OptionalFromRequestParts, Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, COOKIE};
use axum::http::request::Parts;
use axum::http::{Extensions, HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use gongjiang_app::App;
use gongjiang_app::accounts::{self, Actor, LoginInfo};
use gongjiang_domain::access::{Action, Permissions, Resource, Role, Scope, Target};
use gongjiang_domain::bilingual::Msg;
use gongjiang_store::certificates::Certificate;
use gongjiang_store::{StoreError, institutions, persons};

use crate::error::ApiError;

/// The header a script sends the CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The form field an HTML form sends it in.
pub const CSRF_FIELD: &str = "csrf";

/// How the session cookie is written: `Secure` with the `__Host-` prefix over HTTPS, plain
/// otherwise (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CookiePolicy {
    pub secure: bool,
}

impl CookiePolicy {
    pub fn name(self) -> &'static str {
        if self.secure { "__Host-gongjiang_session" } else { "gongjiang_session" }
    }

    fn attributes(self) -> &'static str {
        if self.secure { "; Path=/; HttpOnly; SameSite=Strict; Secure" } else { "; Path=/; HttpOnly; SameSite=Strict" }
    }

    /// `Set-Cookie` for a new session living `max_age_secs`.
    pub fn set(self, session_id: &str, max_age_secs: i64) -> HeaderValue {
        let v = format!("{}={session_id}{}; Max-Age={max_age_secs}", self.name(), self.attributes());
        HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static(""))
    }

    /// `Set-Cookie` that makes the browser forget the session.
    pub fn clear(self) -> HeaderValue {
        let v = format!("{}={}; Max-Age=0", self.name(), self.attributes());
        HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static(""))
    }

    /// The session id the request's cookies carry under this policy's name.
    pub fn read(self, headers: &HeaderMap) -> Option<String> {
        let name = self.name();
        headers
            .get_all(COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(k, v)| *k == name && !v.is_empty())
            .map(|(_, v)| v.to_string())
    }
}

/// What the [`sessions`] middleware needs.
#[derive(Clone)]
pub struct SessionLayer {
    pub app: App,
    pub cookies: CookiePolicy,
}

/// The live session the request's cookie names, left in the request by [`sessions`]. Handlers
/// take [`CurrentUser`], which checks `csrf_ok`; only signing out reads this directly, after it.
#[derive(Clone)]
pub struct CookieSession {
    pub info: LoginInfo,
    /// The cookie's value, for signing out.
    pub session_id: String,
    /// Whether the request may act on the session: a safe method, signing in, or a state-changing
    /// request with the session's CSRF token.
    csrf_ok: bool,
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Signing in needs no CSRF token even when an older session's cookie comes along: it uses no
/// authority of that session.
fn is_sign_in(req: &Request) -> bool {
    req.method() == Method::POST && req.uri().path() == "/api/v1/session"
}

/// Middleware on every route: finds the live session the cookie names (once per request) and,
/// for a state-changing request, checks its CSRF token; [`CurrentUser`] refuses the session's
/// authority to a request that failed. Requests with an `Authorization` header are left to the
/// bearer check in [`CurrentUser`]; their cookies are ignored.
pub async fn sessions(State(layer): State<SessionLayer>, mut req: Request, next: Next) -> Response {
    if req.headers().contains_key(AUTHORIZATION) {
        return next.run(req).await;
    }
    let Some(session_id) = layer.cookies.read(req.headers()) else { return next.run(req).await };
    let info = match accounts::lookup_login(&layer.app.db, &session_id).await {
        Ok(Some(info)) => info,
        Ok(None) => return next.run(req).await,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let csrf_ok = if is_safe(req.method()) || is_sign_in(&req) {
        true
    } else {
        let (checked, ok) = match check_csrf(req, &info).await {
            Ok(pair) => pair,
            Err(e) => return e.into_response(),
        };
        req = checked;
        ok
    };
    req.extensions_mut().insert(CookieSession { info, session_id, csrf_ok });
    next.run(req).await
}

/// Whether the request carries the session's CSRF token, and the request back (its body
/// re-assembled when a form had to be read).
async fn check_csrf(req: Request, info: &LoginInfo) -> Result<(Request, bool), ApiError> {
    if let Some(token) = req.headers().get(CSRF_HEADER) {
        let ok = token.to_str().is_ok_and(|t| info.csrf_ok(t.trim()));
        return Ok((req, ok));
    }
    let is_form = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Ok((req, false));
    }
    let (parts, body) = req.into_parts();
    let bytes =
        axum::body::to_bytes(body, crate::layers::BODY_LIMIT_BYTES).await.map_err(|_| ApiError::PayloadTooLarge)?;
    let field = form_urlencoded::parse(&bytes).find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v.into_owned());
    let ok = field.is_some_and(|t| info.csrf_ok(t.trim()));
    Ok((Request::from_parts(parts, Body::from(bytes)), ok))
}

/// How the caller proved who they are.
#[derive(Debug, Clone)]
pub enum Via {
    /// A session cookie; the session's CSRF token is what forms must carry.
    Session { csrf_token: String, expires_at: time::OffsetDateTime },
    /// A bearer API token.
    Token { token_id: i64 },
}

/// The signed-in caller (cookie session or bearer token): who, with which roles and
/// permissions now, from where.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user_id: i64,
    pub username: String,
    /// For a token, the roles the token carries (within its owner's, checked at each use).
    pub roles: Vec<Role>,
    pub permissions: Permissions,
    pub client_addr: Option<IpAddr>,
    pub via: Via,
    /// Signed in with a password an administrator set: only setting their own is allowed.
    pub must_change_password: bool,
}

impl CurrentUser {
    /// The records this caller may reach for `action` on `resource` (pass it to the store).
    pub fn scope(&self, resource: Resource, action: Action) -> Scope {
        self.permissions.scope(resource, action)
    }

    pub fn allows(&self, resource: Resource, action: Action, target: &Target) -> bool {
        self.permissions.allows(resource, action, target)
    }

    /// 403 unless the caller may do `action` to the record `target` describes.
    pub fn require(&self, resource: Resource, action: Action, target: &Target) -> Result<(), ApiError> {
        if self.allows(resource, action, target) {
            return Ok(());
        }
        Err(forbidden(resource, action))
    }

    /// For a record the caller found by its key: 403 when they may not do `action` on any
    /// record of `resource` (asked before the lookup, so the answer says nothing about whether
    /// the key exists), 404 when the record is outside their scope — as if it did not exist.
    pub fn require_in_scope(&self, resource: Resource, action: Action, target: &Target) -> Result<(), ApiError> {
        if self.allows(resource, action, target) {
            return Ok(());
        }
        self.require_some(resource, action)?;
        Err(ApiError::not_found("未找到", "not found"))
    }

    /// 403 unless the caller may do `action` on at least some records of `resource` (for routes
    /// whose records are then filtered by the scope).
    pub fn require_some(&self, resource: Resource, action: Action) -> Result<Scope, ApiError> {
        let scope = self.scope(resource, action);
        if scope.is_none() {
            return Err(forbidden(resource, action));
        }
        Ok(scope)
    }

    /// The caller as the audit trail names them: `user:NAME`, or `token:ID` for a token.
    pub fn actor(&self) -> Actor {
        let label = match &self.via {
            Via::Session { .. } => format!("user:{}", self.username),
            Via::Token { token_id } => format!("token:{token_id}"),
        };
        Actor { label, user_id: Some(self.user_id), client_addr: self.client_addr.map(|a| a.to_string()) }
    }

    /// The session's CSRF token (`None` for a token caller, who needs none).
    pub fn csrf_token(&self) -> Option<&str> {
        match &self.via {
            Via::Session { csrf_token, .. } => Some(csrf_token),
            Via::Token { .. } => None,
        }
    }

    /// The hidden form field an HTML form posted on this session must carry (empty for a token
    /// caller). The token is hexadecimal, so it needs no escaping.
    pub fn csrf_input(&self) -> String {
        match self.csrf_token() {
            Some(t) => format!(r#"<input type="hidden" name="{CSRF_FIELD}" value="{t}">"#),
            None => String::new(),
        }
    }
}

fn forbidden(resource: Resource, action: Action) -> ApiError {
    ApiError::Forbidden(Msg::new(
        format!("无权对“{}”执行“{}”", resource.code(), action.code()),
        format!("your roles do not allow {} on {}", action.code(), resource.code()),
    ))
}

/// The client's address as [`client_addresses`] found it, else the connection's peer address.
pub fn peer_ip(extensions: &Extensions) -> Option<IpAddr> {
    if let Some(ClientIp(ip)) = extensions.get::<ClientIp>() {
        return Some(*ip);
    }
    extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(addr)| addr.ip())
}

/// The address a request came from, for the audit trail and the per-client limits.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

/// The reverse proxies whose `X-Forwarded-For` is believed.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(pub std::sync::Arc<Vec<IpAddr>>);

impl TrustedProxies {
    /// The client of a request from `peer` with these `X-Forwarded-For` headers: the peer itself
    /// unless it is a trusted proxy; then the right-most forwarded address that is not one (each
    /// proxy appends the address it received from, so entries left of the first untrusted one
    /// could have been written by the client and are ignored).
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.0.contains(&peer) {
            return peer;
        }
        let forwarded: Vec<IpAddr> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map_while(|s| s.trim().parse::<IpAddr>().ok())
            .collect();
        forwarded.into_iter().rev().find(|ip| !self.0.contains(ip)).unwrap_or(peer)
    }
}

/// Middleware on every route, outermost: records the request's [`ClientIp`].
pub async fn client_addresses(State(proxies): State<TrustedProxies>, mut req: Request, next: Next) -> Response {
    if let Some(ConnectInfo(peer)) = req.extensions().get::<ConnectInfo<SocketAddr>>().copied() {
        let ip = proxies.client(peer.ip(), req.headers());
        req.extensions_mut().insert(ClientIp(ip));
    }
    next.run(req).await
}

/// `Some(user)`, `None` when the request carries no credentials (or a cookie whose session has
/// ended), an error for a malformed or dead bearer token (a system that sends a token must not be
/// served as anonymous) and for a state-changing request on a cookie session without its CSRF
/// token.
async fn current_user(parts: &Parts, app: &App) -> Result<Option<CurrentUser>, ApiError> {
    let client_addr = peer_ip(&parts.extensions);
    if let Some(header) = parts.headers.get(AUTHORIZATION) {
        let token = header.to_str().ok().and_then(|h| h.strip_prefix("Bearer ")).map(str::trim).unwrap_or_default();
        if token.is_empty() {
            return Err(ApiError::Unauthorized);
        }
        let auth = accounts::lookup_token(&app.db, token).await?.ok_or(ApiError::Unauthorized)?;
        return Ok(Some(CurrentUser {
            user_id: auth.user_id,
            username: auth.username,
            roles: auth.roles,
            permissions: auth.permissions,
            client_addr,
            via: Via::Token { token_id: auth.token_id },
            must_change_password: false,
        }));
    }
    let Some(s) = parts.extensions.get::<CookieSession>() else { return Ok(None) };
    if !s.csrf_ok {
        return Err(ApiError::CsrfRejected);
    }
    // The API answers a session that must change its password only about the session itself;
    // pages send it to /me/password (see `ui::gate`).
    if s.info.must_change_password && parts.uri.path().starts_with("/api/") && parts.uri.path() != "/api/v1/session" {
        return Err(ApiError::Forbidden(gongjiang_domain::bilingual::Msg::new(
            "请先在 /me/password 设置自己的密码",
            "set your own password first, at /me/password",
        )));
    }
    let roles = accounts::roles(&app.db, s.info.user_id).await?;
    Ok(Some(CurrentUser {
        user_id: s.info.user_id,
        username: s.info.username.clone(),
        permissions: Permissions::of_roles(&roles),
        roles,
        client_addr,
        via: Via::Session { csrf_token: s.info.csrf_token.clone(), expires_at: s.info.expires_at },
        must_change_password: s.info.must_change_password,
    }))
}

impl FromRequestParts<App> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        current_user(parts, app).await?.ok_or(ApiError::Unauthorized)
    }
}

impl OptionalFromRequestParts<App> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Option<Self>, ApiError> {
        current_user(parts, app).await
    }
}

/// Who a certificate concerns, for the permission check: its holder, the holder's registered
/// district (so the district's administrators reach it, as they reach the holder) and the
/// organisation of the institution that issued it.
pub async fn certificate_target(app: &App, c: &Certificate) -> Result<Target, StoreError> {
    let organisation = institutions::get(&app.db, c.institution_id).await?.and_then(|i| i.organisation_id);
    let district = persons::get(&app.db, &Scope::all(), c.person_id).await?.and_then(|p| p.district_code);
    Ok(Target {
        districts: district.into_iter().collect(),
        organisations: organisation.into_iter().collect(),
        person: Some(c.person_id),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn forwarded(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", HeaderValue::from_str(v).unwrap());
        h
    }

    #[test]
    fn only_a_trusted_proxy_may_name_the_client() {
        let proxies = TrustedProxies(std::sync::Arc::new(vec![ip("10.0.0.1"), ip("10.0.0.2")]));
        assert_eq!(
            proxies.client(ip("8.8.8.8"), &forwarded("1.2.3.4")),
            ip("8.8.8.8"),
            "an untrusted peer is the client"
        );
        assert_eq!(proxies.client(ip("10.0.0.1"), &forwarded("1.2.3.4")), ip("1.2.3.4"));
        assert_eq!(proxies.client(ip("10.0.0.1"), &forwarded("1.2.3.4, 10.0.0.2")), ip("1.2.3.4"), "two proxies");
        assert_eq!(
            proxies.client(ip("10.0.0.1"), &forwarded("6.6.6.6, 1.2.3.4")),
            ip("1.2.3.4"),
            "what the client wrote itself, left of the proxy's entry, is ignored"
        );
        assert_eq!(proxies.client(ip("10.0.0.1"), &forwarded("not an address")), ip("10.0.0.1"));
        assert_eq!(proxies.client(ip("10.0.0.1"), &HeaderMap::new()), ip("10.0.0.1"));
        let none = TrustedProxies::default();
        assert_eq!(none.client(ip("10.0.0.1"), &forwarded("1.2.3.4")), ip("10.0.0.1"), "no proxy trusted by default");
    }
}
