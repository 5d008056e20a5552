//! The record of each import run.

use time::OffsetDateTime;

use crate::{Db, StoreError, WriteCounts, on_writer};

pub async fn start(db: &Db, kind: &str, file_name: &str) -> Result<i64, StoreError> {
    const SQL: &str = "INSERT INTO import_runs (kind, file_name, started_at) VALUES ($1, $2, $3) RETURNING id";
    Ok(on_writer!(db, pool => sqlx::query_scalar(SQL).bind(kind).bind(file_name).bind(OffsetDateTime::now_utc())
        .fetch_one(pool).await?))
}

pub async fn finish(db: &Db, id: i64, read: u64, written: WriteCounts, rejected: u64) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE import_runs SET finished_at = $1, read = $2, inserted = $3, updated = $4, unchanged = $5, \
         rejected = $6 WHERE id = $7";
    on_writer!(db, pool => sqlx::query(SQL).bind(OffsetDateTime::now_utc()).bind(read as i64).bind(written.inserted as i64)
        .bind(written.updated as i64).bind(written.unchanged as i64).bind(rejected as i64).bind(id)
        .execute(pool).await.map(|_| ())?);
    Ok(())
}
