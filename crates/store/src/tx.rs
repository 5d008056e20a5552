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

use crate::kpi_counts::{AsConn, Conn};
use crate::pii::Pii;
use crate::{Backend, Db, StoreError};

/// An open write transaction, and the key ring of the database it was begun on (so writes in it
/// can seal identity numbers).
pub struct Tx {
    pub(crate) inner: TxConn,
    pub(crate) pii: Pii,
}

pub enum TxConn {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// Runs `$body` with `$conn` bound to the transaction's connection, whichever backend it is.
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match &mut $tx.inner {
            $crate::tx::TxConn::Sqlite(t) => {
                let $conn = &mut **t;
                $body
            }
            $crate::tx::TxConn::Postgres(t) => {
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
    let inner = match db {
        Db::Sqlite { write, .. } => TxConn::Sqlite(write.begin_with("BEGIN IMMEDIATE").await?),
        Db::Postgres(pool, _) => TxConn::Postgres(pool.begin().await?),
    };
    Ok(Tx { inner, pii: db.pii().clone() })
}

impl Tx {
    pub fn backend(&self) -> Backend {
        match self.inner {
            TxConn::Sqlite(_) => Backend::Sqlite,
            TxConn::Postgres(_) => Backend::Postgres,
        }
    }

    pub async fn commit(self) -> Result<(), StoreError> {
        match self.inner {
            TxConn::Sqlite(t) => t.commit().await?,
            TxConn::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }

    /// Dropping a `Tx` also rolls back; this says so where it matters.
    pub async fn rollback(self) -> Result<(), StoreError> {
        match self.inner {
            TxConn::Sqlite(t) => t.rollback().await?,
            TxConn::Postgres(t) => t.rollback().await?,
        }
        Ok(())
    }
}

impl AsConn for Tx {
    fn conn(&mut self) -> Conn<'_> {
        match &mut self.inner {
            TxConn::Sqlite(t) => Conn::Sqlite(t),
            TxConn::Postgres(t) => Conn::Postgres(t),
        }
    }
}

// A transaction's connection, inside `on_tx!`, for the KPI counts' refresh.
impl AsConn for sqlx::SqliteConnection {
    fn conn(&mut self) -> Conn<'_> {
        Conn::Sqlite(self)
    }
}

impl AsConn for sqlx::PgConnection {
    fn conn(&mut self) -> Conn<'_> {
        Conn::Postgres(self)
    }
}
