//! API tokens for systems that push data (enterprise HR systems, training platforms). The token
//! is shown once; the database keeps its SHA-256, its owner, the roles it carries, its expiry
//! and whether it was revoked.

use serde::Serialize;
use time::OffsetDateTime;

use crate::tx::Tx;
use crate::{Db, StoreError, on_pool, on_tx, on_writer};

pub struct NewToken<'a> {
    pub token_hash: &'a str,
    pub user_id: i64,
    pub name: &'a str,
    /// One `kind:parameter` per line.
    pub roles: &'a str,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct TokenRow {
    pub id: i64,
    #[serde(skip)]
    pub token_hash: String,
    pub user_id: i64,
    pub name: String,
    pub roles: String,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub revoked_at: Option<OffsetDateTime>,
    pub last_used_at: Option<OffsetDateTime>,
}

const COLUMNS: &str = "id, token_hash, user_id, name, roles, created_at, expires_at, revoked_at, last_used_at";

pub async fn insert(tx: &mut Tx, t: &NewToken<'_>) -> Result<i64, StoreError> {
    const SQL: &str = "INSERT INTO api_tokens (token_hash, user_id, name, roles, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
    Ok(on_tx!(tx, conn => sqlx::query_scalar(SQL).bind(t.token_hash).bind(t.user_id).bind(t.name).bind(t.roles)
        .bind(t.created_at).bind(t.expires_at).fetch_one(conn).await.map_err(StoreError::from_sqlx)?))
}

pub async fn by_hash(db: &Db, token_hash: &str) -> Result<Option<TokenRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM api_tokens WHERE token_hash = $1"));
    Ok(on_pool!(db, pool => sqlx::query_as(sql).bind(token_hash).fetch_optional(pool).await?))
}

pub async fn by_id(db: &Db, id: i64) -> Result<Option<TokenRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM api_tokens WHERE id = $1"));
    Ok(on_pool!(db, pool => sqlx::query_as(sql).bind(id).fetch_optional(pool).await?))
}

/// Every token, or one user's, newest first.
pub async fn list(db: &Db, user_id: Option<i64>) -> Result<Vec<TokenRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM api_tokens WHERE ($1 IS NULL OR user_id = $1) ORDER BY id DESC"
    ));
    Ok(on_pool!(db, pool => sqlx::query_as(sql).bind(user_id).fetch_all(pool).await?))
}

/// `false` when there is no such token or it was revoked already.
pub async fn revoke(tx: &mut Tx, id: i64, now: OffsetDateTime) -> Result<bool, StoreError> {
    let n = on_tx!(tx, conn => sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
        .bind(now).bind(id).execute(conn).await?.rows_affected());
    Ok(n > 0)
}

pub async fn touch(db: &Db, id: i64, now: OffsetDateTime) -> Result<(), StoreError> {
    on_writer!(db, pool => sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
        .bind(now).bind(id).execute(pool).await.map(|_| ())?);
    Ok(())
}
