//! Users and their role grants. Passwords arrive here already hashed (Argon2id PHC strings);
//! the rules — password policy, lockout, the grant rule — live in `gongjiang_app::accounts`.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use sqlx::QueryBuilder;
use time::OffsetDateTime;

use crate::tx::Tx;
use crate::{Db, KEY_CHUNK, StoreError, on_pool, on_tx, on_writer, push_in_list};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    #[serde(skip)]
    pub password_hash: String,
    pub disabled: bool,
    pub failed_attempts: i64,
    pub locked_until: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
    pub password_changed_at: OffsetDateTime,
    /// The phone number or e-mail a worker who signed up gave for recovery.
    pub contact: Option<String>,
    /// The password was set by an administrator: the user must set their own first.
    pub must_change_password: bool,
}

const USER_COLUMNS: &str = "id, username, display_name, password_hash, disabled, failed_attempts, locked_until, \
     created_at, password_changed_at, contact, must_change_password";

/// Makes account-changing transactions (grants, revocations, the first administrator) run one
/// at a time, so a grant is checked against the grantor's roles as they are when it commits:
/// a concurrent revocation cannot slip between the check and the insert. SQLite's write
/// transactions are serial already; PostgreSQL takes a transaction-scoped advisory lock.
pub async fn serialize_account_changes(tx: &mut Tx) -> Result<(), StoreError> {
    if let Some(lock) = crate::dialect::account_changes_lock(tx.backend()) {
        on_tx!(tx, conn => sqlx::query(lock).execute(&mut *conn).await.map(|_| ())?);
    }
    Ok(())
}

pub async fn insert_user(
    tx: &mut Tx,
    username: &str,
    display_name: &str,
    password_hash: &str,
    now: OffsetDateTime,
) -> Result<i64, StoreError> {
    const SQL: &str = "INSERT INTO users (username, display_name, password_hash, disabled, failed_attempts, \
         created_at, password_changed_at) VALUES ($1, $2, $3, FALSE, 0, $4, $4) RETURNING id";
    Ok(on_tx!(tx, conn => sqlx::query_scalar(SQL).bind(username).bind(display_name).bind(password_hash).bind(now)
        .fetch_one(conn).await.map_err(StoreError::from_sqlx)?))
}

pub async fn by_username(db: &Db, username: &str) -> Result<Option<User>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users WHERE username = $1"));
    Ok(on_pool!(db, pool => sqlx::query_as(sql).bind(username).fetch_optional(pool).await?))
}

pub async fn by_id(db: &Db, id: i64) -> Result<Option<User>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"));
    Ok(on_pool!(db, pool => sqlx::query_as(sql).bind(id).fetch_optional(pool).await?))
}

pub async fn list(db: &Db) -> Result<Vec<User>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users ORDER BY username"));
    Ok(on_pool!(db, pool => sqlx::query_as(sql).fetch_all(pool).await?))
}

/// Counts one more failed sign-in, atomically; returns the new count.
pub async fn record_failure(db: &Db, user_id: i64) -> Result<i64, StoreError> {
    const SQL: &str = "UPDATE users SET failed_attempts = failed_attempts + 1 WHERE id = $1 RETURNING failed_attempts";
    Ok(on_writer!(db, pool => sqlx::query_scalar(SQL).bind(user_id).fetch_one(pool).await?))
}

pub async fn set_locked_until(db: &Db, user_id: i64, until: Option<OffsetDateTime>) -> Result<(), StoreError> {
    on_writer!(db, pool => sqlx::query("UPDATE users SET locked_until = $1 WHERE id = $2")
        .bind(until).bind(user_id).execute(pool).await.map(|_| ())?);
    Ok(())
}

/// After a successful sign-in.
pub async fn reset_failures(db: &Db, user_id: i64) -> Result<(), StoreError> {
    on_writer!(db, pool => sqlx::query("UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = $1")
        .bind(user_id).execute(pool).await.map(|_| ())?);
    Ok(())
}

pub async fn set_disabled(tx: &mut Tx, user_id: i64, disabled: bool) -> Result<bool, StoreError> {
    let n = on_tx!(tx, conn => sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
        .bind(disabled).bind(user_id).execute(conn).await?.rows_affected());
    Ok(n > 0)
}

pub async fn set_password(
    tx: &mut Tx,
    user_id: i64,
    password_hash: &str,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE users SET password_hash = $1, password_changed_at = $2, failed_attempts = 0, \
         locked_until = NULL, must_change_password = FALSE WHERE id = $3";
    on_tx!(tx, conn => sqlx::query(SQL).bind(password_hash).bind(now).bind(user_id).execute(conn).await.map(|_| ())?);
    Ok(())
}

/// Whether the user must set their own password before anything else (after an
/// administrator set one for them).
pub async fn set_must_change_password(tx: &mut Tx, user_id: i64, must: bool) -> Result<(), StoreError> {
    on_tx!(tx, conn => sqlx::query("UPDATE users SET must_change_password = $1 WHERE id = $2")
        .bind(must).bind(user_id).execute(conn).await.map(|_| ())?);
    Ok(())
}

/// The recovery contact a worker gave when signing up.
pub async fn set_contact(tx: &mut Tx, user_id: i64, contact: Option<&str>) -> Result<(), StoreError> {
    on_tx!(tx, conn => sqlx::query("UPDATE users SET contact = $1 WHERE id = $2")
        .bind(contact).bind(user_id).execute(conn).await.map(|_| ())?);
    Ok(())
}

/// One grant of a role to a user, active while `revoked_at` is empty.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct GrantRow {
    pub id: i64,
    pub user_id: i64,
    pub role: String,
    pub scope_data: String,
    pub granted_by: Option<i64>,
    pub granted_at: OffsetDateTime,
    pub revoked_at: Option<OffsetDateTime>,
    pub revoked_by: Option<i64>,
}

const GRANT_COLUMNS: &str = "id, user_id, role, scope_data, granted_by, granted_at, revoked_at, revoked_by";

/// `Conflict` when the user holds this role with this scope already.
pub async fn insert_grant(
    tx: &mut Tx,
    user_id: i64,
    role: &str,
    scope_data: &str,
    granted_by: Option<i64>,
    now: OffsetDateTime,
) -> Result<i64, StoreError> {
    const SQL: &str = "INSERT INTO role_grants (user_id, role, scope_data, granted_by, granted_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id";
    Ok(on_tx!(tx, conn => sqlx::query_scalar(SQL).bind(user_id).bind(role).bind(scope_data).bind(granted_by).bind(now)
        .fetch_one(conn).await.map_err(StoreError::from_sqlx)?))
}

/// A user's active grants, read inside the caller's transaction (see
/// [`serialize_account_changes`]).
pub async fn active_grants_in(tx: &mut Tx, user_id: i64) -> Result<Vec<GrantRow>, StoreError> {
    let sql = format!("SELECT {GRANT_COLUMNS} FROM role_grants WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id");
    Ok(on_tx!(tx, conn => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user_id).fetch_all(conn).await?))
}

pub async fn active_grants(db: &Db, user_id: i64) -> Result<Vec<GrantRow>, StoreError> {
    let sql = format!("SELECT {GRANT_COLUMNS} FROM role_grants WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id");
    Ok(on_pool!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user_id).fetch_all(pool).await?))
}

/// Every active grant, for listings.
pub async fn all_active_grants(db: &Db) -> Result<Vec<GrantRow>, StoreError> {
    let sql = format!("SELECT {GRANT_COLUMNS} FROM role_grants WHERE revoked_at IS NULL ORDER BY user_id, id");
    Ok(on_pool!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await?))
}

pub async fn active_grant_in(
    tx: &mut Tx,
    user_id: i64,
    role: &str,
    scope_data: &str,
) -> Result<Option<GrantRow>, StoreError> {
    let sql = format!(
        "SELECT {GRANT_COLUMNS} FROM role_grants WHERE user_id = $1 AND role = $2 AND scope_data = $3 \
         AND revoked_at IS NULL"
    );
    Ok(on_tx!(tx, conn => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user_id).bind(role).bind(scope_data)
        .fetch_optional(conn).await?))
}

/// Whether anyone holds `role` with exactly `scope_data` now (e.g. a worker account for a
/// person), read in the caller's transaction.
pub async fn role_scope_held_in(tx: &mut Tx, role: &str, scope_data: &str) -> Result<bool, StoreError> {
    const SQL: &str = "SELECT COUNT(*) FROM role_grants WHERE role = $1 AND scope_data = $2 AND revoked_at IS NULL";
    let n: i64 = on_tx!(tx, conn => sqlx::query_scalar(SQL).bind(role).bind(scope_data).fetch_one(conn).await?);
    Ok(n > 0)
}

/// Whether anyone holds `role` (any scope) now: the first-administrator check.
pub async fn role_held_in(tx: &mut Tx, role: &str) -> Result<bool, StoreError> {
    const SQL: &str = "SELECT COUNT(*) FROM role_grants WHERE role = $1 AND revoked_at IS NULL";
    let n: i64 = on_tx!(tx, conn => sqlx::query_scalar(SQL).bind(role).fetch_one(conn).await?);
    Ok(n > 0)
}

pub async fn revoke_grant(
    tx: &mut Tx,
    grant_id: i64,
    by: Option<i64>,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE role_grants SET revoked_at = $1, revoked_by = $2 WHERE id = $3 AND revoked_at IS NULL";
    let n = on_tx!(tx, conn => sqlx::query(SQL).bind(now).bind(by).bind(grant_id).execute(conn).await?.rows_affected());
    Ok(n > 0)
}

/// Where the given organisations and persons are registered (district codes), for the grant
/// rule's `Placement`. Ids without a district are left out.
pub async fn placement(
    db: &Db,
    organisation_ids: &BTreeSet<i64>,
    person_ids: &BTreeSet<i64>,
) -> Result<(BTreeMap<i64, String>, BTreeMap<i64, String>), StoreError> {
    let mut orgs = BTreeMap::new();
    let mut persons = BTreeMap::new();
    let ids: Vec<i64> = organisation_ids.iter().copied().collect();
    for part in ids.chunks(KEY_CHUNK) {
        let rows: Vec<(i64, String)> = on_pool!(db, pool => {
            let mut qb = QueryBuilder::new("SELECT id, district_code FROM organisations WHERE id IN ");
            push_in_list(&mut qb, part.iter().copied());
            qb.build_query_as().fetch_all(pool).await?
        });
        orgs.extend(rows);
    }
    let ids: Vec<i64> = person_ids.iter().copied().collect();
    for part in ids.chunks(KEY_CHUNK) {
        let rows: Vec<(i64, String)> = on_pool!(db, pool => {
            let mut qb = QueryBuilder::new(
                "SELECT id, district_code FROM persons WHERE district_code IS NOT NULL AND id IN ");
            push_in_list(&mut qb, part.iter().copied());
            qb.build_query_as().fetch_all(pool).await?
        });
        persons.extend(rows);
    }
    Ok((orgs, persons))
}
