//! The database handle: SQLite (the embedded default) or PostgreSQL, chosen by the URL.
//! Repositories write one SQL string for both where they can; `on_pool!` runs a body against
//! whichever pool is open, and the body is type-checked for both backends.

use sqlx::postgres::PgPool;
use sqlx::sqlite::SqlitePool;

use crate::error::StoreError;
use crate::pii::Pii;

/// SQLite has one writer at a time, so writes go through a pool of one connection (whose page
/// cache stays warm across batches) and reads through a pool of several. `pii` is the key ring
/// identity numbers are sealed and opened with (`with_keys`; see `pii`).
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite { read: SqlitePool, write: SqlitePool, pii: Pii },
    Postgres(PgPool, Pii),
}

/// Which kind of database a URL names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Result<Backend, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::BadUrl(url.to_string()))
        }
    }
}

/// Runs `$body` with `$pool` bound to the pool for reading, whichever backend it is.
#[macro_export]
macro_rules! on_pool {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite { read: $pool, .. } => $body,
            $crate::db::Db::Postgres($pool, _) => $body,
        }
    };
}

/// Runs `$body` with `$pool` bound to the pool for writing (SQLite's single writer).
#[macro_export]
macro_rules! on_writer {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite { write: $pool, .. } => $body,
            $crate::db::Db::Postgres($pool, _) => $body,
        }
    };
}

impl Db {
    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite { .. } => Backend::Sqlite,
            Db::Postgres(..) => Backend::Postgres,
        }
    }

    /// The same database, sealing and opening identity numbers with `ring`.
    pub fn with_keys(self, ring: std::sync::Arc<gongjiang_crypto::pii_keys::KeyRing>) -> Db {
        match self {
            Db::Sqlite { read, write, .. } => Db::Sqlite { read, write, pii: Pii::new(ring) },
            Db::Postgres(pool, _) => Db::Postgres(pool, Pii::new(ring)),
        }
    }

    /// The key ring identity numbers are sealed with (empty when opened without keys).
    pub fn pii(&self) -> &Pii {
        match self {
            Db::Sqlite { pii, .. } | Db::Postgres(_, pii) => pii,
        }
    }

    /// Answers when the database does: for health checks.
    pub async fn ping(&self) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|_| ())?);
        Ok(())
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite { read, write, .. } => {
                read.close().await;
                write.close().await;
            }
            Db::Postgres(pool, _) => pool.close().await,
        }
    }
}
