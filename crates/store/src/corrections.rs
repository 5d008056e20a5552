//! Correction requests (记录更正请求, PIPL art. 46): a person asks to correct what the registry
//! holds about them; an administrator accepts or rejects, and the decision is kept. The proposed
//! value is personal data (it may be an identity number): stored encrypted like one, under its
//! own associated data.

use serde::Serialize;
use time::OffsetDateTime;

use crate::pii::Pii;
use crate::tx::Tx;
use crate::{Db, StoreError, on_pool, on_tx, on_writer};

const COLUMN: &[u8] = b"gongjiang:correction_requests.proposed_value";

pub struct NewCorrection<'a> {
    pub person_id: i64,
    /// What to correct: `name`, `id_number`, `district`, … (`app::personal_data::Field`).
    pub field: &'a str,
    /// The value asked for, as given (checked with the import's rules when filed and again when
    /// decided).
    pub proposed: &'a str,
    pub reason: &'a str,
    /// Who asked: the person, or the clerk who took the request.
    pub requested_by: &'a str,
}

/// A request as stored, with the proposed value decrypted (left out of `Debug`).
#[derive(Clone, Serialize, sqlx::FromRow)]
pub struct Correction {
    pub id: i64,
    #[serde(skip)]
    pub person_id: i64,
    pub field: String,
    pub proposed: String,
    pub reason: String,
    pub requested_by: String,
    pub requested_at: OffsetDateTime,
    /// `open`, `accepted` or `rejected`.
    pub status: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<OffsetDateTime>,
    pub decision_note: Option<String>,
}

impl std::fmt::Debug for Correction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Correction")
            .field("id", &self.id)
            .field("person_id", &self.person_id)
            .field("field", &self.field)
            .field("proposed", &"<hidden>")
            .field("status", &self.status)
            .finish()
    }
}

const SELECT: &str = "SELECT id, person_id, field, proposed_cipher AS proposed, reason, requested_by, requested_at, \
     status, decided_by, decided_at, decision_note FROM correction_requests ";

fn opened(pii: &Pii, mut rows: Vec<Correction>) -> Result<Vec<Correction>, StoreError> {
    for r in &mut rows {
        r.proposed = pii.open_text(COLUMN, &r.proposed)?;
    }
    Ok(rows)
}

/// Records a request (status `open`) in the caller's transaction; returns its id.
pub async fn request_in(tx: &mut Tx, c: &NewCorrection<'_>) -> Result<i64, StoreError> {
    const SQL: &str = "INSERT INTO correction_requests (person_id, field, proposed_cipher, reason, requested_by, \
         requested_at, status) VALUES ($1, $2, $3, $4, $5, $6, 'open') RETURNING id";
    let sealed = tx.pii.seal_text(COLUMN, c.proposed)?;
    let now = OffsetDateTime::now_utc();
    on_tx!(tx, conn => sqlx::query_scalar(SQL)
        .bind(c.person_id).bind(c.field).bind(sealed).bind(c.reason).bind(c.requested_by).bind(now)
        .fetch_one(&mut *conn).await.map_err(StoreError::from_sqlx))
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Correction>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT}WHERE id = $1"));
    let row: Option<Correction> = on_pool!(db, pool => sqlx::query_as(sql).bind(id).fetch_optional(pool).await?);
    Ok(opened(db.pii(), row.into_iter().collect())?.pop())
}

/// Requests, oldest first: of one person, or with one status, or all.
pub async fn list(db: &Db, person_id: Option<i64>, status: Option<&str>) -> Result<Vec<Correction>, StoreError> {
    let rows: Vec<Correction> = on_pool!(db, pool => {
        let mut qb = sqlx::QueryBuilder::new(format!("{SELECT}WHERE 1 = 1"));
        if let Some(p) = person_id {
            qb.push(" AND person_id = ").push_bind(p);
        }
        if let Some(s) = status {
            qb.push(" AND status = ").push_bind(s.to_string());
        }
        qb.push(" ORDER BY id");
        qb.build_query_as().fetch_all(pool).await?
    });
    opened(db.pii(), rows)
}

/// Decides an open request: `accepted` or `rejected`, by whom, with a note. `false` when it was
/// not open any more.
pub async fn decide_in(tx: &mut Tx, id: i64, accepted: bool, by: &str, note: &str) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE correction_requests SET status = $1, decided_by = $2, decided_at = $3, \
         decision_note = $4 WHERE id = $5 AND status = 'open'";
    let status = if accepted { "accepted" } else { "rejected" };
    let now = OffsetDateTime::now_utc();
    let n = on_tx!(tx, conn => sqlx::query(SQL).bind(status).bind(by).bind(now).bind(note).bind(id)
        .execute(&mut *conn).await?.rows_affected());
    Ok(n == 1)
}

/// Re-encrypts, under the current key, every proposed value stored under an older one (after
/// a key rotation; `keys reencrypt`). Returns how many were rewritten.
pub async fn reseal(db: &Db) -> Result<u64, StoreError> {
    let pii = db.pii();
    pii.ring()?;
    let rows: Vec<(i64, String)> = on_pool!(db, pool => sqlx::query_as("SELECT id, proposed_cipher FROM correction_requests ORDER BY id")
            .fetch_all(pool).await?);
    let mut n = 0;
    for (id, cipher) in rows {
        if !pii.is_stale(&cipher)? {
            continue;
        }
        let sealed = pii.seal_text(COLUMN, &pii.open_text(COLUMN, &cipher)?)?;
        on_writer!(db, pool => sqlx::query("UPDATE correction_requests SET proposed_cipher = $1 WHERE id = $2")
            .bind(sealed).bind(id).execute(pool).await.map(|_| ())?);
        n += 1;
    }
    Ok(n)
}
