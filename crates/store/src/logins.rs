//! Server-side sessions for the web UI. The cookie carries a random session id; the database
//! keeps only its SHA-256, the user, the times and the SHA-256 of the session's CSRF token.

use serde::Serialize;
use time::OffsetDateTime;

use crate::tx::Tx;
use crate::{Db, StoreError, on_pool, on_tx, on_writer};

pub struct NewLogin<'a> {
    pub id_hash: &'a str,
    pub user_id: i64,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub csrf_hash: &'a str,
    pub client_addr: Option<&'a str>,
}

/// A session with the state of its user, as a request needs it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct LoginRow {
    pub id: i64,
    pub user_id: i64,
    pub username: String,
    pub user_disabled: bool,
    /// The user's password was set by an administrator: they must set their own first.
    pub must_change_password: bool,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
    #[serde(skip)]
    pub csrf_hash: String,
    pub client_addr: Option<String>,
}

pub async fn insert(tx: &mut Tx, s: &NewLogin<'_>) -> Result<i64, StoreError> {
    const SQL: &str = "INSERT INTO sessions (id_hash, user_id, created_at, expires_at, last_seen_at, csrf_hash, \
         client_addr) VALUES ($1, $2, $3, $4, $3, $5, $6) RETURNING id";
    Ok(on_tx!(tx, conn => sqlx::query_scalar(SQL).bind(s.id_hash).bind(s.user_id).bind(s.created_at)
        .bind(s.expires_at).bind(s.csrf_hash).bind(s.client_addr).fetch_one(conn).await.map_err(StoreError::from_sqlx)?))
}

pub async fn by_hash(db: &Db, id_hash: &str) -> Result<Option<LoginRow>, StoreError> {
    const SQL: &str = "SELECT s.id, s.user_id, u.username, u.disabled AS user_disabled, \
         u.must_change_password, s.created_at, s.expires_at, \
         s.last_seen_at, s.csrf_hash, s.client_addr FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.id_hash = $1";
    Ok(on_pool!(db, pool => sqlx::query_as(SQL).bind(id_hash).fetch_optional(pool).await?))
}

pub async fn touch(db: &Db, id: i64, now: OffsetDateTime) -> Result<(), StoreError> {
    on_writer!(db, pool => sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2")
        .bind(now).bind(id).execute(pool).await.map(|_| ())?);
    Ok(())
}

/// Signs out: `false` when no such session existed.
pub async fn delete_by_hash(tx: &mut Tx, id_hash: &str) -> Result<bool, StoreError> {
    let n = on_tx!(tx, conn => sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash).execute(conn).await.map_err(StoreError::from_sqlx)?.rows_affected());
    Ok(n > 0)
}

/// Ends every session of a user (password change, disabling, lost roles).
pub async fn delete_for_user(tx: &mut Tx, user_id: i64) -> Result<u64, StoreError> {
    Ok(on_tx!(tx, conn => sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id).execute(conn).await?.rows_affected()))
}

pub async fn delete_by_id(db: &Db, id: i64) -> Result<(), StoreError> {
    on_writer!(db, pool => sqlx::query("DELETE FROM sessions WHERE id = $1").bind(id).execute(pool).await.map(|_| ())?);
    Ok(())
}

pub async fn count_for_user(db: &Db, user_id: i64) -> Result<i64, StoreError> {
    Ok(on_pool!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE user_id = $1")
        .bind(user_id).fetch_one(pool).await?))
}
