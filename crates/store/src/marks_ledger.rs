//! The marks ledger of a competition event: every score a judge gives, append-only and
//! hash-chained per event as the audit trail is (`audit`): `hash(n) = SHA-256(canonical(row n)
//! ‖ hash(n-1))`, `hash(0)` = 64 zeros, the head (last seq and hash) kept on the event row and
//! locked while appending (PostgreSQL `SELECT … FOR UPDATE`; SQLite's single writer). A score
//! changed, deleted or inserted in the database breaks the chain, and `verify` names the first
//! row that no longer fits. A corrected score is a new row: the latest row per entry, aspect and
//! judge counts.

use gongjiang_crypto::digest::{GENESIS, sha256_hex};
use serde::Serialize;
use sqlx::QueryBuilder;
use time::OffsetDateTime;

use crate::dialect::{PerBackend, for_update};
use crate::tx::Tx;
use crate::{Db, StoreError, on_pool, on_tx};

/// A row of the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct MarkRow {
    pub event_id: i64,
    pub seq: i64,
    pub entry_id: i64,
    pub aspect: String,
    pub judge_id: i64,
    pub score: i64,
    pub recorded_by: String,
    pub at_micros: i64,
    pub prev_hash: String,
    pub hash: String,
}

/// A score to append.
#[derive(Debug, Clone)]
pub struct NewMark<'a> {
    pub entry_id: i64,
    pub aspect: &'a str,
    pub judge_id: i64,
    pub score: u8,
}

/// The bytes a row's hash covers: a version tag, the numbers as 8-byte big-endian, the texts
/// length-prefixed, then `prev_hash`.
pub fn canonical(m: &MarkRow) -> Vec<u8> {
    let mut out = b"gongjiang-marks-v1\n".to_vec();
    for n in [m.event_id, m.seq, m.entry_id, m.judge_id, m.score, m.at_micros] {
        out.extend_from_slice(&n.to_be_bytes());
    }
    for s in [&m.aspect, &m.recorded_by, &m.prev_hash] {
        out.extend_from_slice(&(s.len() as u64).to_be_bytes());
        out.extend_from_slice(s.as_bytes());
    }
    out
}

pub fn mark_hash(m: &MarkRow) -> String {
    sha256_hex(&canonical(m))
}

const COLS: &str = "event_id, seq, entry_id, aspect, judge_id, score, recorded_by, at_micros, prev_hash, hash";
/// Rows per multi-row INSERT (10 binds each; SQLite allows 32,766).
const INSERT_CHUNK: usize = 1000;

/// Appends scores to an event's ledger inside the caller's transaction, in order; returns the
/// rows written.
pub async fn append(tx: &mut Tx, event_id: i64, marks: &[NewMark<'_>], by: &str) -> Result<Vec<MarkRow>, StoreError> {
    static HEAD: PerBackend<String> = PerBackend::new(|b| {
        format!("SELECT ledger_seq, ledger_hash FROM competition_events WHERE id = $1{}", for_update(b))
    });
    let head_sql = HEAD.sql(tx.backend());
    let (mut seq, mut prev): (i64, String) =
        on_tx!(tx, conn => sqlx::query_as(head_sql).bind(event_id).fetch_one(&mut *conn).await?);
    let now = OffsetDateTime::now_utc();
    let at = (now.unix_timestamp_nanos() / 1000) as i64;
    let mut rows = Vec::with_capacity(marks.len());
    for m in marks {
        seq += 1;
        let mut r = MarkRow {
            event_id,
            seq,
            entry_id: m.entry_id,
            aspect: m.aspect.to_owned(),
            judge_id: m.judge_id,
            score: i64::from(m.score),
            recorded_by: by.to_owned(),
            at_micros: at,
            prev_hash: prev,
            hash: String::new(),
        };
        r.hash = mark_hash(&r);
        prev = r.hash.clone();
        rows.push(r);
    }
    on_tx!(tx, conn => {
        for part in rows.chunks(INSERT_CHUNK) {
            let mut qb = QueryBuilder::new(format!("INSERT INTO competition_marks ({COLS}) "));
            qb.push_values(part, |mut b, r| {
                b.push_bind(r.event_id).push_bind(r.seq).push_bind(r.entry_id).push_bind(&r.aspect)
                    .push_bind(r.judge_id).push_bind(r.score).push_bind(&r.recorded_by).push_bind(r.at_micros)
                    .push_bind(&r.prev_hash).push_bind(&r.hash);
            });
            qb.build().execute(&mut *conn).await?;
        }
        sqlx::query("UPDATE competition_events SET ledger_seq = $1, ledger_hash = $2 WHERE id = $3")
            .bind(seq).bind(&prev).bind(event_id).execute(&mut *conn).await?;
        Ok::<(), StoreError>(())
    })?;
    Ok(rows)
}

/// The latest score per (entry, aspect, judge) of an event: `(entry_id, aspect, judge_id, score)`.
pub async fn latest_scores(db: &Db, event_id: i64) -> Result<Vec<(i64, String, i64, i64)>, StoreError> {
    const SQL: &str = "SELECT m.entry_id, m.aspect, m.judge_id, m.score FROM competition_marks m \
         JOIN (SELECT entry_id, aspect, judge_id, MAX(seq) AS seq FROM competition_marks WHERE event_id = $1 \
               GROUP BY entry_id, aspect, judge_id) l \
           ON m.event_id = $1 AND m.seq = l.seq \
         ORDER BY m.entry_id, m.aspect, m.judge_id";
    Ok(on_pool!(db, pool => sqlx::query_as(SQL).bind(event_id).fetch_all(pool).await?))
}

/// Every row of an event's ledger, in order.
pub async fn rows_of(db: &Db, event_id: i64) -> Result<Vec<MarkRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLS} FROM competition_marks WHERE event_id = $1 ORDER BY seq"));
    Ok(on_pool!(db, pool => sqlx::query_as(sql).bind(event_id).fetch_all(pool).await?))
}

/// Why the ledger is broken at a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LedgerBreak {
    /// The row's content does not match its hash: a score (or another field) was edited.
    Altered,
    /// The row does not link to the previous row's hash: inserted, replaced or reordered.
    Relinked,
    /// A seq is missing: a row was deleted.
    Missing,
    /// The last row is not the head recorded on the event: rows at the end deleted or added.
    HeadMismatch,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LedgerCheck {
    pub event_id: i64,
    pub checked: i64,
    pub head_seq: i64,
    pub head_hash: String,
    /// The first break: (seq, why).
    pub broken: Option<(i64, LedgerBreak)>,
}

/// Walks the event's ledger and reports the first break.
pub async fn verify(db: &Db, event_id: i64) -> Result<LedgerCheck, StoreError> {
    let (head_seq, head_hash): (i64, String) = on_pool!(db, pool => sqlx::query_as(
        "SELECT ledger_seq, ledger_hash FROM competition_events WHERE id = $1").bind(event_id).fetch_one(pool).await?);
    let rows = rows_of(db, event_id).await?;
    let mut check = LedgerCheck { event_id, checked: 0, head_seq, head_hash, broken: None };
    let (mut last, mut prev) = (0i64, GENESIS.to_owned());
    for r in &rows {
        check.checked += 1;
        let broken = if r.seq != last + 1 {
            Some((last + 1, LedgerBreak::Missing))
        } else if mark_hash(r) != r.hash {
            Some((r.seq, LedgerBreak::Altered))
        } else if r.prev_hash != prev {
            Some((r.seq, LedgerBreak::Relinked))
        } else {
            None
        };
        if broken.is_some() {
            check.broken = broken;
            return Ok(check);
        }
        last = r.seq;
        prev = r.hash.clone();
    }
    if last != check.head_seq || prev != check.head_hash {
        check.broken = Some((last.max(check.head_seq), LedgerBreak::HeadMismatch));
    }
    Ok(check)
}
