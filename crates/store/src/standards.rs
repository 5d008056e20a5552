//! Occupational skill standards: which edition of the application conditions governs an
//! occupation from a date on (`gongjiang import standards`), keyed by occupation and date.

use gongjiang_domain::standards::Standard;
use time::{Date, OffsetDateTime};

use crate::tx::Tx;
use crate::{Db, StoreError, WriteCounts, on_pool, on_tx};

const CURRENT: &str = "SELECT edition, standard_name, source FROM occupation_standards \
     WHERE occupation_code = $1 AND effective_from = $2";
const INSERT: &str = "INSERT INTO occupation_standards \
     (occupation_code, effective_from, edition, standard_name, source, updated_at) VALUES ($1, $2, $3, $4, $5, $6)";
const UPDATE: &str = "UPDATE occupation_standards SET edition = $3, standard_name = $4, source = $5, updated_at = $6 \
     WHERE occupation_code = $1 AND effective_from = $2";

#[derive(sqlx::FromRow)]
struct Row {
    occupation_code: String,
    effective_from: Date,
    edition: String,
    standard_name: Option<String>,
    source: Option<String>,
}

impl From<Row> for Standard {
    fn from(r: Row) -> Standard {
        Standard {
            occupation: r.occupation_code,
            edition: r.edition,
            effective_from: r.effective_from,
            name: r.standard_name,
            source: r.source,
        }
    }
}

pub async fn upsert_batch(db: &Db, rows: &[Standard]) -> Result<WriteCounts, StoreError> {
    let mut tx = crate::tx::begin(db).await?;
    let r = upsert_batch_in(&mut tx, rows).await?;
    tx.commit().await?;
    Ok(r)
}

/// Upserts by (occupation, effective_from): a re-import of the same rows changes nothing.
pub async fn upsert_batch_in(tx: &mut Tx, rows: &[Standard]) -> Result<WriteCounts, StoreError> {
    let now = OffsetDateTime::now_utc();
    on_tx!(tx, conn => {
        let mut counts = WriteCounts::default();
        for s in rows {
            let current: Option<(String, Option<String>, Option<String>)> = sqlx::query_as(CURRENT)
                .bind(&s.occupation).bind(s.effective_from).fetch_optional(&mut *conn).await?;
            let sql = match current {
                None => { counts.inserted += 1; INSERT }
                Some((e, n, src)) if e == s.edition && n == s.name && src == s.source => { counts.unchanged += 1; continue }
                Some(_) => { counts.updated += 1; UPDATE }
            };
            sqlx::query(sql).bind(&s.occupation).bind(s.effective_from).bind(&s.edition).bind(&s.name)
                .bind(&s.source).bind(now).execute(&mut *conn).await?;
        }
        Ok(counts)
    })
}

/// The standards on file for one occupation, oldest first.
pub async fn for_occupation(db: &Db, occupation: &str) -> Result<Vec<Standard>, StoreError> {
    const SQL: &str = "SELECT occupation_code, effective_from, edition, standard_name, source \
         FROM occupation_standards WHERE occupation_code = $1 ORDER BY effective_from";
    let rows: Vec<Row> = on_pool!(db, pool => sqlx::query_as(SQL).bind(occupation).fetch_all(pool).await?);
    Ok(rows.into_iter().map(Standard::from).collect())
}

/// Every standard on file, by occupation and date: for city-wide runs.
pub async fn all(db: &Db) -> Result<Vec<Standard>, StoreError> {
    const SQL: &str = "SELECT occupation_code, effective_from, edition, standard_name, source \
         FROM occupation_standards ORDER BY occupation_code, effective_from";
    let rows: Vec<Row> = on_pool!(db, pool => sqlx::query_as(SQL).fetch_all(pool).await?);
    Ok(rows.into_iter().map(Standard::from).collect())
}
