//! A write transaction on whichever backend is open, for use cases that must commit several
//! writes together — above all a change and its audit entry (`audit::append` takes a `Tx`).
//!
//! ```ignore
//! let mut tx = tx::begin(&db).await?;
//! accounts::insert_grant(&mut tx, …).await?;
//! audit::append(&mut tx, &entry).await?;
//! tx.commit().await?;   // both or neither
//! ```
//!
//! KPI upkeep is the transaction's: a write that may change a person's KPI state records the
//! person (`touch_persons`) or the organisation whose employees it affects (`touch_employers`),
//! and [`Tx::commit`] recomputes their state and the counts once, before committing
//! (`kpi_counts::refresh`). A write never refreshes the counts itself.

use sqlx::{Postgres, Sqlite, Transaction};

use crate::conn::{AsConn, Conn};
use crate::kpi_counts::refresh::Touched;
use crate::pii::Pii;
use crate::{Backend, Db, StoreError};

/// An open write transaction, and the key ring of the database it was begun on (so writes in it
/// can seal identity numbers), and what its writes may have changed in the KPI state.
pub struct Tx {
    pub(crate) inner: TxConn,
    pub(crate) pii: Pii,
    touched: Touched,
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
    Ok(Tx { inner, pii: db.pii().clone(), touched: Touched::default() })
}

impl Tx {
    pub fn backend(&self) -> Backend {
        match self.inner {
            TxConn::Sqlite(_) => Backend::Sqlite,
            TxConn::Postgres(_) => Backend::Postgres,
        }
    }

    /// Records persons whose KPI state the transaction's writes may have changed (new persons,
    /// changed attributes, level records and revocations): recomputed once, at commit. Ids may
    /// repeat.
    pub(crate) fn touch_persons(&mut self, ids: impl IntoIterator<Item = i64>) {
        self.touched.persons(ids);
    }

    /// Records organisations whose changes (industry, chains) affect their employees' KPI
    /// state: the employees are recomputed at commit.
    pub(crate) fn touch_employers(&mut self, ids: impl IntoIterator<Item = i64>) {
        self.touched.employers(ids);
    }

    /// Brings the KPI state and counts of the persons the writes touched up to date, then
    /// commits: both or neither.
    pub async fn commit(mut self) -> Result<(), StoreError> {
        std::mem::take(&mut self.touched).refresh(self.conn()).await?;
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
