//! Applications to evaluation sessions, with the eligibility decision kept beside them, their
//! scores and results, and objections lodged during the publicity period.
//!
//! Capacity is checked in the transaction that admits: SQLite's single writer serialises
//! admissions, and on PostgreSQL the session row is locked (`FOR UPDATE`) first.

use std::collections::HashMap;

use serde::Serialize;
use sqlx::QueryBuilder;
use time::{Date, OffsetDateTime};

use crate::dialect::{PerBackend, for_update};
use crate::tx::Tx;
use crate::{Backend, Db, KEY_CHUNK, StoreError, on_pool, on_tx, push_in_list};
use gongjiang_domain::debug_without_id_number;

pub struct NewApplication<'a> {
    pub session_id: i64,
    pub person_id: i64,
    pub applied_on: Date,
    pub admitted: bool,
    /// The eligibility engine's decision, as JSON.
    pub decision: &'a str,
    pub reason_zh: &'a str,
    pub reason_en: &'a str,
    pub submitted_by: &'a str,
}

/// What happened to an application write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Stored, with its id.
    Stored(i64),
    /// The person has applied to this session already.
    Duplicate,
    /// The session has as many admitted candidates as its capacity.
    Full { capacity: i32 },
}

/// The session's capacity, its row locked until commit (see `dialect::for_update`).
static LOCK_SESSION: PerBackend<String> =
    PerBackend::new(|b| format!("SELECT capacity FROM evaluation_sessions WHERE id = $1{}", for_update(b)));

fn lock_session_sql(backend: Backend) -> &'static str {
    LOCK_SESSION.sql(backend)
}

const ADMITTED: &str = "SELECT COUNT(*) FROM evaluation_applications WHERE session_id = $1 AND status = 'admitted'";

/// Stores an application, admitted or refused. A duplicate or a full session stores nothing.
pub async fn submit(db: &Db, a: &NewApplication<'_>) -> Result<Admission, StoreError> {
    let mut tx = crate::tx::begin(db).await?;
    let r = submit_in(&mut tx, a).await?;
    tx.commit().await?;
    Ok(r)
}

/// Stores an application, admitted or refused. A duplicate or a full session stores nothing.
pub async fn submit_in(tx: &mut Tx, a: &NewApplication<'_>) -> Result<Admission, StoreError> {
    const EXISTS: &str = "SELECT id FROM evaluation_applications WHERE session_id = $1 AND person_id = $2";
    const INSERT: &str = "INSERT INTO evaluation_applications (session_id, person_id, applied_on, status, decision, \
         reason_zh, reason_en, submitted_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
    let lock = lock_session_sql(tx.backend());
    let now = OffsetDateTime::now_utc();
    on_tx!(tx, conn => {
        let capacity: Option<i32> = sqlx::query_scalar(lock).bind(a.session_id).fetch_optional(&mut *conn).await?;
        let Some(capacity) = capacity else { return Err(StoreError::NotFound) };
        let existing: Option<i64> =
            sqlx::query_scalar(EXISTS).bind(a.session_id).bind(a.person_id).fetch_optional(&mut *conn).await?;
        if existing.is_some() {
            return Ok(Admission::Duplicate);
        }
        if a.admitted {
            let admitted: i64 = sqlx::query_scalar(ADMITTED).bind(a.session_id).fetch_one(&mut *conn).await?;
            if admitted >= i64::from(capacity) {
                return Ok(Admission::Full { capacity });
            }
        }
        let status = if a.admitted { "admitted" } else { "refused" };
        let id: i64 = sqlx::query_scalar(INSERT)
            .bind(a.session_id).bind(a.person_id).bind(a.applied_on).bind(status).bind(a.decision)
            .bind(a.reason_zh).bind(a.reason_en).bind(a.submitted_by).bind(now)
            .fetch_one(&mut *conn).await.map_err(StoreError::from_sqlx)?;
        Ok(Admission::Stored(id))
    })
}

/// Admits a refused application by override (破格), recording who, when and why. Returns
/// `Stored(id)` on success, `Full` when the session is full, and `NotFound` for no refused
/// application with that id.
pub async fn admit_by_override(
    db: &Db,
    application_id: i64,
    by: &str,
    justification: &str,
) -> Result<Admission, StoreError> {
    let mut tx = crate::tx::begin(db).await?;
    let r = admit_by_override_in(&mut tx, application_id, by, justification).await?;
    tx.commit().await?;
    Ok(r)
}

/// Admits a refused application by override (破格), recording who, when and why. Returns
/// `Stored(id)` on success, `Full` when the session is full, and `NotFound` for no refused
/// application with that id.
pub async fn admit_by_override_in(
    tx: &mut Tx,
    application_id: i64,
    by: &str,
    justification: &str,
) -> Result<Admission, StoreError> {
    const FIND: &str = "SELECT session_id FROM evaluation_applications WHERE id = $1 AND status = 'refused'";
    const UPDATE: &str = "UPDATE evaluation_applications SET status = 'admitted', override_by = $1, override_at = $2, \
         override_justification = $3 WHERE id = $4 AND status = 'refused'";
    let lock = lock_session_sql(tx.backend());
    let now = OffsetDateTime::now_utc();
    on_tx!(tx, conn => {
        let session: Option<i64> = sqlx::query_scalar(FIND).bind(application_id).fetch_optional(&mut *conn).await?;
        let Some(session_id) = session else { return Err(StoreError::NotFound) };
        let capacity: i32 = sqlx::query_scalar(lock).bind(session_id).fetch_one(&mut *conn).await?;
        let admitted: i64 = sqlx::query_scalar(ADMITTED).bind(session_id).fetch_one(&mut *conn).await?;
        if admitted >= i64::from(capacity) {
            return Ok(Admission::Full { capacity });
        }
        sqlx::query(UPDATE).bind(by).bind(now).bind(justification).bind(application_id).execute(&mut *conn).await?;
        Ok(Admission::Stored(application_id))
    })
}

/// An application with its candidate, as lists and reports show it (the candidate's identity
/// number decrypted; left out of `Debug`).
#[derive(Clone, Serialize, sqlx::FromRow)]
pub struct Application {
    pub id: i64,
    pub session_id: i64,
    #[serde(skip)]
    pub person_id: i64,
    pub id_type: String,
    pub id_number: String,
    pub name: String,
    pub applied_on: Date,
    pub status: String,
    pub decision: String,
    pub reason_zh: String,
    pub reason_en: String,
    pub submitted_by: String,
    pub override_by: Option<String>,
    pub override_at: Option<OffsetDateTime>,
    pub override_justification: Option<String>,
    pub theory_tenths: Option<i32>,
    pub practical_tenths: Option<i32>,
    pub review_tenths: Option<i32>,
    pub result: Option<String>,
}

debug_without_id_number!(Application {
    id,
    session_id,
    person_id,
    id_type,
    name,
    applied_on,
    status,
    decision,
    reason_zh,
    reason_en,
    submitted_by,
    override_by,
    override_at,
    override_justification,
    theory_tenths,
    practical_tenths,
    review_tenths,
    result,
});

macro_rules! select_application {
    ($tail:literal) => {
        concat!(
            "SELECT a.id, a.session_id, a.person_id, p.id_type, COALESCE(p.id_cipher, '') AS id_number, p.name, ",
            "a.applied_on, a.status, a.decision, ",
            "a.reason_zh, a.reason_en, a.submitted_by, a.override_by, a.override_at, a.override_justification, ",
            "a.theory_tenths, a.practical_tenths, a.review_tenths, a.result ",
            "FROM evaluation_applications a JOIN persons p ON p.id = a.person_id ",
            $tail
        )
    };
}

fn opened(db: &Db, mut rows: Vec<Application>) -> Result<Vec<Application>, StoreError> {
    db.pii().open_all(&mut rows, |a| &mut a.id_number)?;
    Ok(rows)
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Application>, StoreError> {
    const SQL: &str = select_application!("WHERE a.id = $1");
    let row: Option<Application> = on_pool!(db, pool => sqlx::query_as(SQL).bind(id).fetch_optional(pool).await?);
    Ok(opened(db, row.into_iter().collect())?.pop())
}

/// Every application to a session, in order of submission.
pub async fn for_session(db: &Db, session_id: i64) -> Result<Vec<Application>, StoreError> {
    const SQL: &str = select_application!("WHERE a.session_id = $1 ORDER BY a.id");
    opened(db, on_pool!(db, pool => sqlx::query_as(SQL).bind(session_id).fetch_all(pool).await?))
}

/// Every application of one person, oldest first.
pub async fn for_person(db: &Db, person_id: i64) -> Result<Vec<Application>, StoreError> {
    const SQL: &str = select_application!("WHERE a.person_id = $1 ORDER BY a.id");
    opened(db, on_pool!(db, pool => sqlx::query_as(SQL).bind(person_id).fetch_all(pool).await?))
}

/// Applications to a session by the candidates' identity numbers (for a scores file), keyed by
/// the numbers as given.
pub async fn by_id_numbers(
    db: &Db,
    session_id: i64,
    id_numbers: &[&str],
) -> Result<HashMap<String, Application>, StoreError> {
    let pii = db.pii();
    let mut hashes: Vec<String> = Vec::new();
    // The numbers as stored (trimmed, check letter upper-case) → as given.
    let mut given: HashMap<String, &str> = HashMap::new();
    for n in id_numbers {
        hashes.extend(pii.lookups(n)?);
        given.insert(n.trim().to_ascii_uppercase(), n);
    }
    let mut out = HashMap::new();
    for part in hashes.chunks(KEY_CHUNK) {
        let found: Vec<Application> = on_pool!(db, pool => {
            let mut qb = QueryBuilder::new(select_application!("WHERE a.session_id = "));
            qb.push_bind(session_id).push(" AND p.id_lookup IN ");
            push_in_list(&mut qb, part.iter().map(String::as_str));
            qb.build_query_as().fetch_all(pool).await?
        });
        for a in opened(db, found)? {
            if let Some(n) = given.get(&a.id_number) {
                out.insert(n.to_string(), a);
            }
        }
    }
    Ok(out)
}

pub async fn admitted_count(db: &Db, session_id: i64) -> Result<i64, StoreError> {
    Ok(on_pool!(db, pool => sqlx::query_scalar(ADMITTED).bind(session_id).fetch_one(pool).await?))
}

/// Scores and the result they give, for one application.
pub struct ScoreWrite<'a> {
    pub application_id: i64,
    pub theory_tenths: Option<i32>,
    pub practical_tenths: Option<i32>,
    pub review_tenths: Option<i32>,
    pub result: &'a str,
}

/// Writes scores in one transaction (a file's good rows together).
pub async fn set_scores(db: &Db, rows: &[ScoreWrite<'_>], by: &str) -> Result<u64, StoreError> {
    let mut tx = crate::tx::begin(db).await?;
    let r = set_scores_in(&mut tx, rows, by).await?;
    tx.commit().await?;
    Ok(r)
}

/// Writes scores in one transaction (a file's good rows together).
pub async fn set_scores_in(tx: &mut Tx, rows: &[ScoreWrite<'_>], by: &str) -> Result<u64, StoreError> {
    const SQL: &str = "UPDATE evaluation_applications SET theory_tenths = $1, practical_tenths = $2, \
         review_tenths = $3, result = $4, scored_by = $5 WHERE id = $6 AND status = 'admitted'";
    on_tx!(tx, conn => {
        let mut n = 0;
        for r in rows {
            n += sqlx::query(SQL).bind(r.theory_tenths).bind(r.practical_tenths).bind(r.review_tenths)
                .bind(r.result).bind(by).bind(r.application_id)
                .execute(&mut *conn).await?.rows_affected();
        }
        Ok(n)
    })
}

/// Admitted candidates of a session without a result.
pub async fn unscored_count(db: &Db, session_id: i64) -> Result<i64, StoreError> {
    const SQL: &str = "SELECT COUNT(*) FROM evaluation_applications WHERE session_id = $1 \
         AND status = 'admitted' AND result IS NULL";
    Ok(on_pool!(db, pool => sqlx::query_scalar(SQL).bind(session_id).fetch_one(pool).await?))
}

// ---------------------------------------------------------------------------------------------
// Objections
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Objection {
    pub id: i64,
    pub application_id: i64,
    pub lodged_by: String,
    pub lodged_at: OffsetDateTime,
    pub text: String,
    pub status: String,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<OffsetDateTime>,
    pub resolution_note: Option<String>,
    pub new_result: Option<String>,
}

pub async fn lodge_objection(db: &Db, application_id: i64, by: &str, text: &str) -> Result<i64, StoreError> {
    let mut tx = crate::tx::begin(db).await?;
    let r = lodge_objection_in(&mut tx, application_id, by, text).await?;
    tx.commit().await?;
    Ok(r)
}

pub async fn lodge_objection_in(tx: &mut Tx, application_id: i64, by: &str, text: &str) -> Result<i64, StoreError> {
    const SQL: &str = "INSERT INTO evaluation_objections (application_id, lodged_by, lodged_at, text, status) \
         VALUES ($1, $2, $3, $4, 'open') RETURNING id";
    let now = OffsetDateTime::now_utc();
    on_tx!(tx, conn => sqlx::query_scalar(SQL).bind(application_id).bind(by).bind(now).bind(text)
        .fetch_one(&mut *conn).await.map_err(StoreError::from_sqlx))
}

pub async fn objection(db: &Db, id: i64) -> Result<Option<Objection>, StoreError> {
    const SQL: &str = "SELECT id, application_id, lodged_by, lodged_at, text, status, resolved_by, resolved_at, \
         resolution_note, new_result FROM evaluation_objections WHERE id = $1";
    Ok(on_pool!(db, pool => sqlx::query_as(SQL).bind(id).fetch_optional(pool).await?))
}

/// Resolves an open objection; when `new_result` is given (upheld), the application's result
/// changes in the same transaction. `false` when the objection was not open.
pub async fn resolve_objection(
    db: &Db,
    id: i64,
    upheld: bool,
    new_result: Option<&str>,
    by: &str,
    note: &str,
) -> Result<bool, StoreError> {
    let mut tx = crate::tx::begin(db).await?;
    let r = resolve_objection_in(&mut tx, id, upheld, new_result, by, note).await?;
    tx.commit().await?;
    Ok(r)
}

/// Resolves an open objection; when `new_result` is given (upheld), the application's result
/// changes in the same transaction. `false` when the objection was not open.
pub async fn resolve_objection_in(
    tx: &mut Tx,
    id: i64,
    upheld: bool,
    new_result: Option<&str>,
    by: &str,
    note: &str,
) -> Result<bool, StoreError> {
    const RESOLVE: &str = "UPDATE evaluation_objections SET status = $1, resolved_by = $2, resolved_at = $3, \
         resolution_note = $4, new_result = $5 WHERE id = $6 AND status = 'open'";
    const RESULT: &str = "UPDATE evaluation_applications SET result = $1 \
         WHERE id = (SELECT application_id FROM evaluation_objections WHERE id = $2)";
    let now = OffsetDateTime::now_utc();
    let status = if upheld { "upheld" } else { "dismissed" };
    on_tx!(tx, conn => {
        let n = sqlx::query(RESOLVE).bind(status).bind(by).bind(now).bind(note).bind(new_result).bind(id)
            .execute(&mut *conn).await?.rows_affected();
        if n == 0 {
            return Ok(false);
        }
        if let Some(r) = new_result {
            sqlx::query(RESULT).bind(r).bind(id).execute(&mut *conn).await?;
        }
        Ok(true)
    })
}

pub async fn open_objections(db: &Db, session_id: i64) -> Result<i64, StoreError> {
    const SQL: &str = "SELECT COUNT(*) FROM evaluation_objections o JOIN evaluation_applications a \
         ON a.id = o.application_id WHERE a.session_id = $1 AND o.status = 'open'";
    Ok(on_pool!(db, pool => sqlx::query_scalar(SQL).bind(session_id).fetch_one(pool).await?))
}
