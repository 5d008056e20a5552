//! A write transaction on whichever backend is open, for use cases that must commit several
//! writes together — above all a change and its audit entry (`audit::append` takes a `Tx`).
//!
//! ```ignore
//! let mut tx = tx::begin(&db).await?;
//! accounts::insert_grant(&mut tx, …).await?;
//! audit::append(&mut tx, &entry).await?;
//! tx.commit().await?;   // both or neither
//! ```

use sqlx::{Postgres, Sqlite, Transaction};

use crate::{Backend, Db, StoreError};

pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// Runs `$body` with `$conn` bound to the transaction's connection, whichever backend it is.
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            $crate::tx::Tx::Sqlite(t) => {
                let $conn = &mut **t;
                $body
            }
            $crate::tx::Tx::Postgres(t) => {
                let $conn = &mut **t;
                $body
            }
        }
    };
}

/// Begins a write transaction. On SQLite it is `BEGIN IMMEDIATE` on the single writer: it
/// takes the write lock at once, so a second process (the CLI beside a running server) waits
/// for it instead of failing half-way.
pub async fn begin(db: &Db) -> Result<Tx, StoreError> {
    Ok(match db {
        Db::Sqlite { write, .. } => Tx::Sqlite(write.begin_with("BEGIN IMMEDIATE").await?),
        Db::Postgres(pool) => Tx::Postgres(pool.begin().await?),
    })
}

impl Tx {
    pub fn backend(&self) -> Backend {
        match self {
            Tx::Sqlite(_) => Backend::Sqlite,
            Tx::Postgres(_) => Backend::Postgres,
        }
    }

    pub async fn commit(self) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }

    /// Dropping a `Tx` also rolls back; this says so where it matters.
    pub async fn rollback(self) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(t) => t.rollback().await?,
            Tx::Postgres(t) => t.rollback().await?,
        }
        Ok(())
    }
}
