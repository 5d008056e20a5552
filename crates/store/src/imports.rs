//! The record of each import run: started by a process (host and process id), its counts
//! brought up to date in each batch's own transaction, finished — or, when its process died,
//! marked interrupted by the next process to start on that host.

use time::OffsetDateTime;

use crate::tx::Tx;
use crate::{Db, StoreError, WriteCounts, on_tx, on_writer};

/// Who runs an import: the machine and the process.
#[derive(Debug, Clone)]
pub struct Runner {
    pub host: String,
    pub pid: i64,
}

pub async fn start(db: &Db, kind: &str, file_name: &str, runner: &Runner) -> Result<i64, StoreError> {
    const SQL: &str = "INSERT INTO import_runs (kind, file_name, started_at, host, pid) VALUES ($1, $2, $3, $4, $5) \
         RETURNING id";
    Ok(on_writer!(db, pool => sqlx::query_scalar(SQL).bind(kind).bind(file_name).bind(OffsetDateTime::now_utc())
        .bind(&runner.host).bind(runner.pid).fetch_one(pool).await?))
}

/// The counts so far, written in the batch's transaction: they commit with the rows.
pub async fn progress_in(
    tx: &mut Tx,
    id: i64,
    read: u64,
    written: WriteCounts,
    rejected: u64,
) -> Result<(), StoreError> {
    const SQL: &str =
        "UPDATE import_runs SET read = $1, inserted = $2, updated = $3, unchanged = $4, rejected = $5 WHERE id = $6";
    on_tx!(tx, conn => sqlx::query(SQL).bind(read as i64).bind(written.inserted as i64).bind(written.updated as i64)
        .bind(written.unchanged as i64).bind(rejected as i64).bind(id).execute(conn).await.map(|_| ()))?;
    Ok(())
}

pub async fn finish(db: &Db, id: i64, read: u64, written: WriteCounts, rejected: u64) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE import_runs SET finished_at = $1, read = $2, inserted = $3, updated = $4, unchanged = $5, \
         rejected = $6 WHERE id = $7";
    on_writer!(db, pool => sqlx::query(SQL).bind(OffsetDateTime::now_utc()).bind(read as i64).bind(written.inserted as i64)
        .bind(written.updated as i64).bind(written.unchanged as i64).bind(rejected as i64).bind(id)
        .execute(pool).await.map(|_| ())?);
    Ok(())
}

/// Runs on `host` neither finished nor marked: `(id, pid)`.
pub async fn unfinished_on(db: &Db, host: &str) -> Result<Vec<(i64, i64)>, StoreError> {
    const SQL: &str = "SELECT id, pid FROM import_runs WHERE finished_at IS NULL AND interrupted_at IS NULL \
         AND host = $1 AND pid IS NOT NULL";
    Ok(on_writer!(db, pool => sqlx::query_as(SQL).bind(host).fetch_all(pool).await?))
}

pub async fn mark_interrupted(db: &Db, id: i64) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE import_runs SET interrupted_at = $1 WHERE id = $2 AND finished_at IS NULL";
    on_writer!(db, pool => sqlx::query(SQL).bind(OffsetDateTime::now_utc()).bind(id).execute(pool).await.map(|_| ())?);
    Ok(())
}
