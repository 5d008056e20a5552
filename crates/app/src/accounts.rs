//! Accounts: users, passwords, sign-in with lockout, sessions, API tokens and role grants under
//! the grant rule. Every change is audited in the transaction that makes it.
//!
//! Numbers a security reviewer will ask about are the constants below; `docs/SECURITY.md`
//! explains each.

use gongjiang_crypto::{password, secret};
use gongjiang_domain::access::{self, Permissions, Placement, Role, RoleKind};
use gongjiang_domain::bilingual::{Explain, Msg};
use gongjiang_store::audit::{self, NewEntry};
use gongjiang_store::{Db, StoreError, accounts as repo, logins, organisations, persons, tokens, tx};
use serde::Serialize;
use thiserror::Error;
use time::{Duration, OffsetDateTime};

/// Shortest password accepted, in characters (NIST SP 800-63B asks for at least 8; a registry
/// of identity numbers asks for more).
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Failed sign-ins allowed before the account is locked.
pub const FREE_FAILURES: i64 = 5;
/// The first lock lasts this long; each further failure doubles it …
pub const FIRST_LOCK: Duration = Duration::seconds(30);
/// … up to this.
pub const LONGEST_LOCK: Duration = Duration::hours(1);
/// A session ends this long after sign-in, however active …
pub const SESSION_LIFETIME: Duration = Duration::hours(8);
/// … or after this long without a request.
pub const SESSION_IDLE: Duration = Duration::minutes(30);
/// Longest life of an API token.
pub const TOKEN_MAX_DAYS: i64 = 366;

/// Passwords refused whatever their length: the most common ones, Chinese keyboard patterns and
/// the product's own name. A deployment may extend this list; the length rule does most of the work.
const COMMON_PASSWORDS: &[&str] = &[
    "123456789012",
    "1234567890123",
    "12345678901234",
    "123456123456",
    "111111111111",
    "000000000000",
    "888888888888",
    "666666666666",
    "123123123123",
    "qwertyuiop12",
    "qwertyuiopas",
    "1qaz2wsx3edc",
    "1q2w3e4r5t6y",
    "qazwsxedcrfv",
    "passwordpassword",
    "password1234",
    "password123456",
    "p@ssw0rd1234",
    "iloveyou1234",
    "woaini1314520",
    "5201314520131",
    "abc123456789",
    "abcdefghijkl",
    "admin1234567",
    "administrator",
    "adminadmin123",
    "changeme1234",
    "welcome12345",
    "letmein12345",
    "gongjiang123",
    "gongjiang1234",
    "gongjiang2025",
    "gongjiang2026",
    "tianjin12345",
    "tianjin123456",
];

#[derive(Debug, Error)]
pub enum AccountError {
    #[error("{0}")]
    Invalid(Msg),
    #[error("用户名或密码错误 / wrong user name or password")]
    BadCredentials,
    #[error("登录失败次数过多，账户锁定至 {until} / too many failed sign-ins: locked until {until}")]
    Locked { until: OffsetDateTime },
    #[error("账户已停用 / the account is disabled")]
    Disabled,
    #[error("{0}")]
    Denied(Msg),
    #[error("{0}")]
    NotFound(Msg),
    #[error("{0}")]
    Conflict(Msg),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Crypto(#[from] gongjiang_crypto::CryptoError),
    #[error("后台任务失败 / a background task failed: {0}")]
    Task(String),
}

pub use crate::audit::Actor;

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// The password rule: at least [`MIN_PASSWORD_CHARS`] characters, not the user name (nor
/// containing it), not a common password, not one character repeated.
pub fn check_password_policy(username: &str, password: &str) -> Result<(), Msg> {
    let lower = password.to_lowercase();
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(Msg::new(
            format!("密码至少 {MIN_PASSWORD_CHARS} 个字符"),
            format!("the password must have at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    if !username.is_empty() && lower.contains(&username.to_lowercase()) {
        return Err(Msg::new("密码不能包含用户名", "the password must not contain the user name"));
    }
    let first = lower.chars().next();
    if COMMON_PASSWORDS.contains(&lower.as_str()) || lower.chars().all(|c| Some(c) == first) {
        return Err(Msg::new("密码过于常见，请换一个", "the password is too common; choose another"));
    }
    Ok(())
}

/// How long the account stays locked after its `failures`-th consecutive failure: nothing for
/// the first [`FREE_FAILURES`] − 1, then [`FIRST_LOCK`] doubling with each failure, capped at
/// [`LONGEST_LOCK`].
pub fn lock_duration(failures: i64) -> Option<Duration> {
    if failures < FREE_FAILURES {
        return None;
    }
    let doublings = (failures - FREE_FAILURES).min(20) as u32;
    Some((FIRST_LOCK * 2i32.pow(doublings)).min(LONGEST_LOCK))
}

pub(crate) fn check_username(username: &str) -> Result<(), Msg> {
    let ok_len = (2..=64).contains(&username.len());
    let ok_chars = username.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
    if ok_len && ok_chars {
        Ok(())
    } else {
        Err(Msg::new(
            format!("用户名“{username}”无效：2–64 个小写字母、数字或 . _ -"),
            format!("user name \"{username}\" is invalid: 2–64 lower-case letters, digits or . _ -"),
        ))
    }
}

pub(crate) async fn hash_password(password: &str) -> Result<String, AccountError> {
    let p = password.to_string();
    tokio::task::spawn_blocking(move || password::hash(&p))
        .await
        .map_err(|e| AccountError::Task(e.to_string()))?
        .map_err(Into::into)
}

async fn password_matches(password: &str, phc: Option<&str>) -> Result<bool, AccountError> {
    let p = password.to_string();
    let phc = phc.map(str::to_string);
    tokio::task::spawn_blocking(move || match phc {
        Some(h) => password::verify(&p, &h),
        None => {
            password::verify_nobody(&p);
            false
        }
    })
    .await
    .map_err(|e| AccountError::Task(e.to_string()))
}

pub(crate) fn roles_of(grants: &[repo::GrantRow]) -> Vec<Role> {
    // A row that no longer parses (a role kind removed from the code) grants nothing.
    grants.iter().filter_map(|g| Role::from_parts(&g.role, &g.scope_data).ok()).collect()
}

/// A user's roles now.
pub async fn roles(db: &Db, user_id: i64) -> Result<Vec<Role>, AccountError> {
    Ok(roles_of(&repo::active_grants(db, user_id).await?))
}

/// A user's effective permissions now (see `gongjiang_domain::access`).
pub async fn permissions(db: &Db, user_id: i64) -> Result<Permissions, AccountError> {
    Ok(Permissions::of_roles(&roles(db, user_id).await?))
}

pub(crate) async fn placement_for(db: &Db, roles: &[&Role]) -> Result<Placement, AccountError> {
    let scopes: Vec<_> = roles.iter().map(|r| r.own_scope()).collect();
    let refs: Vec<_> = scopes.iter().collect();
    let (orgs, people) = access::mentioned_ids(&refs);
    let (organisation_district, person_district) = repo::placement(db, &orgs, &people).await?;
    Ok(Placement { organisation_district, person_district })
}

fn role_json(role: &Role) -> serde_json::Value {
    serde_json::to_value(role).unwrap_or_default()
}

/// Checks the grant rule for `roles` against the grantor's grants as read inside `t` (after
/// `serialize_account_changes`), or the bootstrap rule when there is no grantor. The placement
/// is looked up before the transaction begins (an in-memory SQLite database has one connection).
pub(crate) async fn authorise_grants(
    t: &mut tx::Tx,
    grantor: Option<i64>,
    roles: &[Role],
    placement: &Placement,
) -> Result<(), AccountError> {
    match grantor {
        None => {
            if roles != [Role::CityAdmin] {
                return Err(AccountError::Denied(Msg::new(
                    "未指定授权人（--by）时只能创建首个市级管理员",
                    "without a grantor (--by) only the first city administrator can be created",
                )));
            }
            if repo::role_held_in(t, RoleKind::CityAdmin.code()).await? {
                return Err(AccountError::Denied(Msg::new(
                    "已有市级管理员：请用 --by 指定授权的管理员",
                    "a city administrator exists already: name the granting administrator with --by",
                )));
            }
            Ok(())
        }
        Some(g) => {
            let held = Permissions::of_roles(&roles_of(&repo::active_grants_in(t, g).await?));
            if held.scope(access::Resource::Users, access::Action::Write).is_none() {
                return Err(AccountError::Denied(Msg::new("授权人无权管理用户", "the grantor may not manage users")));
            }
            for r in roles {
                access::check_grant(&held, r, placement).map_err(|d| AccountError::Denied(d.explain()))?;
            }
            Ok(())
        }
    }
}

/// Creates a user with a password and roles. With `actor.user_id = None` this is the
/// first-administrator bootstrap: allowed only for the single role `city-admin` and only while
/// no city administrator exists.
pub async fn create_user(
    db: &Db,
    actor: &Actor,
    username: &str,
    display_name: &str,
    password: &str,
    roles: &[Role],
) -> Result<i64, AccountError> {
    check_username(username).map_err(AccountError::Invalid)?;
    if display_name.trim().is_empty() {
        return Err(AccountError::Invalid(Msg::new("显示名称不能为空", "the display name must not be empty")));
    }
    check_password_policy(username, password).map_err(AccountError::Invalid)?;
    if repo::by_username(db, username).await?.is_some() {
        return Err(taken(username));
    }
    let phc = hash_password(password).await?;
    let placement = placement_for(db, &roles.iter().collect::<Vec<_>>()).await?;
    let mut t = tx::begin(db).await?;
    repo::serialize_account_changes(&mut t).await?;
    authorise_grants(&mut t, actor.user_id, roles, &placement).await?;
    let at = now();
    let id = match repo::insert_user(&mut t, username, display_name, &phc, at).await {
        Err(StoreError::Conflict { .. }) => return Err(taken(username)),
        r => r?,
    };
    let id_text = id.to_string();
    let after = serde_json::json!({ "username": username, "display_name": display_name });
    append(&mut t, actor, "user.create", "users", Some(&id_text), None, Some(&after)).await?;
    for r in roles {
        let (kind, data) = r.to_parts();
        repo::insert_grant(&mut t, id, kind, &data, actor.user_id, at).await?;
        append(&mut t, actor, "role.grant", "users", Some(&id_text), None, Some(&role_json(r))).await?;
    }
    t.commit().await?;
    Ok(id)
}

fn taken(username: &str) -> AccountError {
    AccountError::Conflict(Msg::new(format!("用户名“{username}”已存在"), format!("user name \"{username}\" is taken")))
}

pub(crate) fn no_user(username: &str) -> AccountError {
    AccountError::NotFound(Msg::new(format!("没有用户“{username}”"), format!("no user \"{username}\"")))
}

pub(crate) async fn append(
    t: &mut tx::Tx,
    actor: &Actor,
    action: &str,
    resource: &str,
    record_id: Option<&str>,
    before: Option<&serde_json::Value>,
    after: Option<&serde_json::Value>,
) -> Result<(), AccountError> {
    let e = NewEntry {
        actor: &actor.label,
        action,
        resource,
        record_id,
        client_addr: actor.client_addr.as_deref(),
        before,
        after,
    };
    audit::append(t, &e).await?;
    Ok(())
}

/// Grants a role to an existing user; the actor's user must pass the grant rule.
pub async fn grant_role(db: &Db, actor: &Actor, username: &str, role: &Role) -> Result<(), AccountError> {
    let user = repo::by_username(db, username).await?.ok_or_else(|| no_user(username))?;
    let placement = placement_for(db, &[role]).await?;
    let mut t = tx::begin(db).await?;
    repo::serialize_account_changes(&mut t).await?;
    authorise_grants(&mut t, actor.user_id, std::slice::from_ref(role), &placement).await?;
    let (kind, data) = role.to_parts();
    if repo::active_grant_in(&mut t, user.id, kind, &data).await?.is_some() {
        return Err(AccountError::Conflict(Msg::new(
            format!("“{username}”已有该角色"),
            format!("\"{username}\" holds this role already"),
        )));
    }
    repo::insert_grant(&mut t, user.id, kind, &data, actor.user_id, now()).await?;
    append(&mut t, actor, "role.grant", "users", Some(&user.id.to_string()), None, Some(&role_json(role))).await?;
    t.commit().await?;
    Ok(())
}

/// Revokes a role; whoever could grant it may revoke it. The user's sessions end, so the
/// narrower rights apply at once.
pub async fn revoke_role(db: &Db, actor: &Actor, username: &str, role: &Role) -> Result<(), AccountError> {
    let user = repo::by_username(db, username).await?.ok_or_else(|| no_user(username))?;
    if actor.user_id.is_none() {
        return Err(AccountError::Denied(Msg::new(
            "撤销角色须指定授权人（--by）",
            "revoking a role needs a grantor (--by)",
        )));
    }
    let placement = placement_for(db, &[role]).await?;
    // Tokens the remaining roles no longer cover die with the role, for good: a token must not
    // come back to life when the role is granted again.
    let remaining: Vec<Role> = roles(db, user.id).await?.into_iter().filter(|r| r != role).collect();
    let remaining = Permissions::of_roles(&remaining);
    let mut orphaned = Vec::new();
    for token in tokens::list(db, Some(user.id)).await?.into_iter().filter(|t| t.revoked_at.is_none()) {
        let carried = parse_roles_text(&token.roles);
        let token_placement = placement_for(db, &carried.iter().collect::<Vec<_>>()).await?;
        if !remaining.covers(&Permissions::of_roles(&carried), &token_placement) {
            orphaned.push(token);
        }
    }
    let mut t = tx::begin(db).await?;
    repo::serialize_account_changes(&mut t).await?;
    authorise_grants(&mut t, actor.user_id, std::slice::from_ref(role), &placement).await?;
    let (kind, data) = role.to_parts();
    let Some(g) = repo::active_grant_in(&mut t, user.id, kind, &data).await? else {
        return Err(AccountError::NotFound(Msg::new(
            format!("“{username}”没有该角色"),
            format!("\"{username}\" does not hold this role"),
        )));
    };
    repo::revoke_grant(&mut t, g.id, actor.user_id, now()).await?;
    logins::delete_for_user(&mut t, user.id).await?;
    append(&mut t, actor, "role.revoke", "users", Some(&user.id.to_string()), Some(&role_json(role)), None).await?;
    for token in orphaned {
        if tokens::revoke(&mut t, token.id, now()).await? {
            let before = serde_json::json!({ "name": token.name, "roles": parse_roles_text(&token.roles), "why": "role.revoke" });
            append(&mut t, actor, "token.revoke", "users", Some(&user.id.to_string()), Some(&before), None).await?;
        }
    }
    t.commit().await?;
    Ok(())
}

/// Signs in with a password. After [`FREE_FAILURES`] consecutive failures the account locks
/// for [`lock_duration`]; while locked the password is not even checked. Unknown user names
/// cost the same hashing time as known ones.
pub async fn verify_password(
    db: &Db,
    username: &str,
    password: &str,
    client_addr: Option<&str>,
) -> Result<repo::User, AccountError> {
    let Some(user) = repo::by_username(db, username).await? else {
        password_matches(password, None).await?;
        return Err(AccountError::BadCredentials);
    };
    let at = now();
    if let Some(until) = user.locked_until.filter(|u| *u > at) {
        return Err(AccountError::Locked { until });
    }
    if !password_matches(password, Some(&user.password_hash)).await? {
        let failures = repo::record_failure(db, user.id).await?;
        if let Some(d) = lock_duration(failures) {
            let until = at + d;
            repo::set_locked_until(db, user.id, Some(until)).await?;
            let mut t = tx::begin(db).await?;
            let actor = Actor {
                label: format!("user:{username}"),
                user_id: Some(user.id),
                client_addr: client_addr.map(str::to_string),
            };
            let after = serde_json::json!({ "failed_attempts": failures, "locked_until": until.unix_timestamp() });
            append(&mut t, &actor, "user.lock", "users", Some(&user.id.to_string()), None, Some(&after)).await?;
            t.commit().await?;
            return Err(AccountError::Locked { until });
        }
        return Err(AccountError::BadCredentials);
    }
    if user.disabled {
        return Err(AccountError::Disabled);
    }
    if user.failed_attempts > 0 || user.locked_until.is_some() {
        repo::reset_failures(db, user.id).await?;
    }
    Ok(user)
}

/// What the browser gets at sign-in: the session id for an `HttpOnly; Secure; SameSite=Strict`
/// cookie and the CSRF token for forms. Neither is stored.
#[derive(Debug, Clone)]
pub struct IssuedLogin {
    pub session_id: String,
    pub csrf_token: String,
    pub expires_at: OffsetDateTime,
}

pub async fn issue_login(db: &Db, user: &repo::User, client_addr: Option<&str>) -> Result<IssuedLogin, AccountError> {
    let id = secret::new_secret("")?;
    let csrf = csrf_token_for(&id.plain);
    let at = now();
    let expires_at = at + SESSION_LIFETIME;
    let mut t = tx::begin(db).await?;
    let s = logins::NewLogin {
        id_hash: &id.hash,
        user_id: user.id,
        created_at: at,
        expires_at,
        csrf_hash: &secret::hash_secret(&csrf),
        client_addr,
    };
    logins::insert(&mut t, &s).await?;
    let actor = Actor {
        label: format!("user:{}", user.username),
        user_id: Some(user.id),
        client_addr: client_addr.map(str::to_string),
    };
    append(&mut t, &actor, "session.create", "users", Some(&user.id.to_string()), None, None).await?;
    t.commit().await?;
    Ok(IssuedLogin { session_id: id.plain, csrf_token: csrf, expires_at })
}

/// A session's CSRF token, derived from its id, so a page rendered for the session can put it
/// in its forms without the token being stored anywhere (the database keeps its SHA-256 only).
/// A cross-site attacker knows neither: the id travels in an `HttpOnly` cookie only.
pub fn csrf_token_for(session_id: &str) -> String {
    secret::derive(session_id, "csrf")
}

/// A live session, as a request sees it.
#[derive(Debug, Clone)]
pub struct LoginInfo {
    pub user_id: i64,
    pub username: String,
    pub expires_at: OffsetDateTime,
    /// The password was set by an administrator: the user must set their own first.
    pub must_change_password: bool,
    /// For pages to put in their forms (see [`csrf_token_for`]).
    pub csrf_token: String,
    csrf_hash: String,
}

impl LoginInfo {
    /// Whether a form's or header's CSRF token is this session's (constant-time).
    pub fn csrf_ok(&self, token: &str) -> bool {
        secret::matches(token, &self.csrf_hash)
    }
}

/// The session a cookie names, if it is live: not past its lifetime, not idle too long, its
/// user not disabled. A dead session is deleted on sight.
pub async fn lookup_login(db: &Db, session_id: &str) -> Result<Option<LoginInfo>, AccountError> {
    let Some(row) = logins::by_hash(db, &secret::hash_secret(session_id)).await? else { return Ok(None) };
    let at = now();
    if row.user_disabled || row.expires_at <= at || row.last_seen_at + SESSION_IDLE <= at {
        logins::delete_by_id(db, row.id).await?;
        return Ok(None);
    }
    if at - row.last_seen_at > Duration::minutes(1) {
        logins::touch(db, row.id, at).await?;
    }
    Ok(Some(LoginInfo {
        user_id: row.user_id,
        username: row.username,
        expires_at: row.expires_at,
        must_change_password: row.must_change_password,
        csrf_token: csrf_token_for(session_id),
        csrf_hash: row.csrf_hash,
    }))
}

/// Records that `actor` was shown personal data (`action`, e.g. `person.read_personal_data`)
/// of each of `record_ids`: one audit entry per record, all in one transaction. Call it before
/// the data leaves, so an answer with personal data exists only if its entries were committed.
pub async fn record_reads(
    db: &Db,
    actor: &Actor,
    action: &str,
    resource: &str,
    record_ids: &[String],
) -> Result<(), AccountError> {
    if record_ids.is_empty() {
        return Ok(());
    }
    let mut t = tx::begin(db).await?;
    for id in record_ids {
        append(&mut t, actor, action, resource, Some(id), None, None).await?;
    }
    t.commit().await?;
    Ok(())
}

/// Records a search of the audit trail itself (`audit.search`, the filter in the after-image).
pub async fn record_search(db: &Db, actor: &Actor, filter: &serde_json::Value) -> Result<(), AccountError> {
    let mut t = tx::begin(db).await?;
    append(&mut t, actor, "audit.search", "audit", None, None, Some(filter)).await?;
    t.commit().await?;
    Ok(())
}

/// Signs out: ends the session and records `session.delete` for `actor` in the same
/// transaction. `false` when the session had already ended (nothing is recorded then).
pub async fn end_login(db: &Db, actor: &Actor, session_id: &str) -> Result<bool, AccountError> {
    let mut t = tx::begin(db).await?;
    let ended = logins::delete_by_hash(&mut t, &secret::hash_secret(session_id)).await?;
    if ended {
        let user = actor.user_id.map(|id| id.to_string());
        append(&mut t, actor, "session.delete", "users", user.as_deref(), None, None).await?;
    }
    t.commit().await?;
    Ok(ended)
}

/// A new API token: the secret is in `token`, shown once.
#[derive(Debug, Clone, Serialize)]
pub struct IssuedToken {
    pub id: i64,
    pub token: String,
    pub expires_at: OffsetDateTime,
}

fn roles_text(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| {
            let (k, d) = r.to_parts();
            format!("{k}:{d}")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn parse_roles_text(text: &str) -> Vec<Role> {
    text.lines().filter_map(|l| l.split_once(':')).filter_map(|(k, d)| Role::from_parts(k, d).ok()).collect()
}

/// Creates an API token for `owner` carrying `roles`, which must be within the owner's own
/// permissions (a token extends its owner; it never reaches further). Expires after `days`.
pub async fn create_token(
    db: &Db,
    actor: &Actor,
    owner: &str,
    name: &str,
    roles: &[Role],
    days: i64,
) -> Result<IssuedToken, AccountError> {
    if !(1..=TOKEN_MAX_DAYS).contains(&days) {
        return Err(AccountError::Invalid(Msg::new(
            format!("有效期应为 1–{TOKEN_MAX_DAYS} 天"),
            format!("the lifetime must be 1–{TOKEN_MAX_DAYS} days"),
        )));
    }
    if name.trim().is_empty() || roles.is_empty() {
        return Err(AccountError::Invalid(Msg::new(
            "令牌须有名称和至少一个角色",
            "a token needs a name and at least one role",
        )));
    }
    let user = repo::by_username(db, owner).await?.ok_or_else(|| no_user(owner))?;
    let held = permissions(db, user.id).await?;
    let wanted = Permissions::of_roles(roles);
    let placement = placement_for(db, &roles.iter().collect::<Vec<_>>()).await?;
    if !held.covers(&wanted, &placement) {
        return Err(AccountError::Denied(Msg::new(
            format!("令牌的角色超出了“{owner}”自身的权限"),
            format!("the token's roles reach beyond what \"{owner}\" may do"),
        )));
    }
    let s = secret::new_secret("gjt_")?;
    let at = now();
    let expires_at = at + Duration::days(days);
    let text = roles_text(roles);
    let mut t = tx::begin(db).await?;
    let row =
        tokens::NewToken { token_hash: &s.hash, user_id: user.id, name, roles: &text, created_at: at, expires_at };
    let id = tokens::insert(&mut t, &row).await?;
    let after =
        serde_json::json!({ "owner": owner, "name": name, "roles": roles, "expires_at": expires_at.unix_timestamp() });
    append(&mut t, actor, "token.create", "users", Some(&user.id.to_string()), None, Some(&after)).await?;
    t.commit().await?;
    Ok(IssuedToken { id, token: s.plain, expires_at })
}

/// What a request authenticated by a token may do.
#[derive(Debug, Clone)]
pub struct TokenAuth {
    pub token_id: i64,
    pub user_id: i64,
    /// The owner's user name.
    pub username: String,
    pub roles: Vec<Role>,
    pub permissions: Permissions,
}

/// The token's rights, if it is live: not revoked, not expired, owner not disabled, and still
/// within the owner's permissions **now** (an owner who lost a role takes the token's copy of
/// it down too).
pub async fn lookup_token(db: &Db, token: &str) -> Result<Option<TokenAuth>, AccountError> {
    let Some(row) = tokens::by_hash(db, &secret::hash_secret(token)).await? else { return Ok(None) };
    let at = now();
    if row.revoked_at.is_some() || row.expires_at <= at {
        return Ok(None);
    }
    let Some(owner) = repo::by_id(db, row.user_id).await? else { return Ok(None) };
    if owner.disabled {
        return Ok(None);
    }
    let roles = parse_roles_text(&row.roles);
    let perms = Permissions::of_roles(&roles);
    let placement = placement_for(db, &roles.iter().collect::<Vec<_>>()).await?;
    if !permissions(db, owner.id).await?.covers(&perms, &placement) {
        return Ok(None);
    }
    tokens::touch(db, row.id, at).await?;
    Ok(Some(TokenAuth { token_id: row.id, user_id: owner.id, username: owner.username, roles, permissions: perms }))
}

pub async fn revoke_token(db: &Db, actor: &Actor, id: i64) -> Result<(), AccountError> {
    let Some(row) = tokens::by_id(db, id).await? else {
        return Err(AccountError::NotFound(Msg::new(format!("没有令牌 {id}"), format!("no token {id}"))));
    };
    let mut t = tx::begin(db).await?;
    if !tokens::revoke(&mut t, id, now()).await? {
        return Err(AccountError::Conflict(Msg::new(
            format!("令牌 {id} 已撤销"),
            format!("token {id} is revoked already"),
        )));
    }
    let before = serde_json::json!({ "name": row.name, "roles": parse_roles_text(&row.roles) });
    append(&mut t, actor, "token.revoke", "users", Some(&row.user_id.to_string()), Some(&before), None).await?;
    t.commit().await?;
    Ok(())
}

/// Reads a role as typed on the command line: `city-admin`, `district-admin:120101,120102`,
/// `enterprise-hr:CREDIT_CODE` (or an organisation id), `worker:IDENTITY_NUMBER` (or a person id),
/// `public`.
pub async fn parse_role_arg(db: &Db, text: &str) -> Result<Role, AccountError> {
    let (code, param) = text.split_once(':').unwrap_or((text, ""));
    let kind = RoleKind::from_code(code.trim())
        .ok_or_else(|| AccountError::Invalid(access::RoleError::UnknownKind(code.to_string()).explain()))?;
    let bad = || AccountError::Invalid(access::RoleError::BadParameter(kind, param.to_string()).explain());
    let param = param.trim();
    let role = match kind.parameter() {
        access::Parameter::None => Role::from_parts(kind.code(), "").map_err(|e| AccountError::Invalid(e.explain()))?,
        access::Parameter::Districts => {
            Role::from_parts(kind.code(), param).map_err(|e| AccountError::Invalid(e.explain()))?
        }
        access::Parameter::Organisation => {
            let id = match param.parse::<i64>() {
                Ok(id) => Some(id),
                Err(_) => organisations::ids_by_uscc(db, &[param]).await?.get(param).copied(),
            };
            Role::bound_to(kind, id.ok_or_else(bad)?).ok_or_else(bad)?
        }
        access::Parameter::Person => {
            let id = match param.parse::<i64>() {
                Ok(id) if param.len() < 15 => Some(id),
                _ => persons::ids_by_id_number(db, &[&param.to_ascii_uppercase()]).await?.values().next().copied(),
            };
            Role::bound_to(kind, id.ok_or_else(bad)?).ok_or_else(bad)?
        }
    };
    Ok(role)
}

/// A user as `user list` shows it: never the password hash.
#[derive(Debug, Clone, Serialize)]
pub struct UserListing {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub disabled: bool,
    pub locked_until: Option<OffsetDateTime>,
    pub roles: Vec<String>,
}

pub async fn list_users(db: &Db) -> Result<Vec<UserListing>, AccountError> {
    let grants = repo::all_active_grants(db).await?;
    Ok(repo::list(db)
        .await?
        .into_iter()
        .map(|u| {
            let roles = grants
                .iter()
                .filter(|g| g.user_id == u.id)
                .map(|g| if g.scope_data.is_empty() { g.role.clone() } else { format!("{}:{}", g.role, g.scope_data) })
                .collect();
            UserListing {
                id: u.id,
                username: u.username,
                display_name: u.display_name,
                disabled: u.disabled,
                locked_until: u.locked_until,
                roles,
            }
        })
        .collect())
}
