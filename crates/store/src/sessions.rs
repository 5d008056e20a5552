//! Evaluation sessions (the evaluation plan) and the examiners assigned to them. Status changes
//! are compare-and-set: a change from a status the session is no longer in does nothing.

use gongjiang_domain::access::Scope;
use gongjiang_domain::evaluation::{ExaminerRole, SessionStatus, Staffing};
use serde::Serialize;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::tx::Tx;
use crate::{Db, StoreError, on_pool, on_tx};

pub struct NewSession<'a> {
    pub institution_id: i64,
    pub occupation_code: &'a str,
    pub trade: &'a str,
    pub level: u8,
    pub standard_edition: &'a str,
    pub theory_on: Date,
    pub practical_on: Date,
    pub review_on: Option<Date>,
    pub site: &'a str,
    pub capacity: i32,
    pub theory_rooms: i32,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Session {
    #[serde(skip)]
    pub id: i64,
    pub public_id: Uuid,
    #[serde(skip)]
    pub institution_id: i64,
    pub occupation_code: String,
    pub trade: String,
    pub level: i16,
    pub standard_edition: String,
    pub theory_on: Date,
    pub practical_on: Date,
    pub review_on: Option<Date>,
    pub site: String,
    pub capacity: i32,
    pub theory_rooms: i32,
    pub status: String,
    pub published_on: Option<Date>,
    pub publicity_ends_on: Option<Date>,
    pub finalised_at: Option<OffsetDateTime>,
}

impl Session {
    /// The stored status; an unknown code (never written by this crate) reads as planned.
    pub fn status(&self) -> SessionStatus {
        SessionStatus::parse(&self.status).unwrap_or(SessionStatus::Planned)
    }
}

macro_rules! select_session {
    ($tail:literal) => {
        concat!(
            "SELECT id, public_id, institution_id, occupation_code, trade, level, standard_edition, theory_on, ",
            "practical_on, review_on, site, capacity, theory_rooms, status, published_on, publicity_ends_on, ",
            "finalised_at FROM evaluation_sessions ",
            $tail
        )
    };
}

/// Plans a session (status `planned`).
pub async fn create(db: &Db, n: &NewSession<'_>) -> Result<i64, StoreError> {
    let mut tx = crate::tx::begin(db).await?;
    let r = create_in(&mut tx, n).await?;
    tx.commit().await?;
    Ok(r)
}

/// Plans a session (status `planned`).
pub async fn create_in(tx: &mut Tx, n: &NewSession<'_>) -> Result<i64, StoreError> {
    const SQL: &str = "INSERT INTO evaluation_sessions (public_id, institution_id, occupation_code, trade, level, \
         standard_edition, theory_on, practical_on, review_on, site, capacity, theory_rooms, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id";
    let now = OffsetDateTime::now_utc();
    on_tx!(tx, conn => sqlx::query_scalar(SQL)
        .bind(Uuid::now_v7()).bind(n.institution_id).bind(n.occupation_code).bind(n.trade)
        .bind(i16::from(n.level)).bind(n.standard_edition).bind(n.theory_on).bind(n.practical_on)
        .bind(n.review_on).bind(n.site).bind(n.capacity).bind(n.theory_rooms)
        .bind(SessionStatus::Planned.code()).bind(now)
        .fetch_one(&mut *conn).await.map_err(StoreError::from_sqlx))
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Session>, StoreError> {
    const SQL: &str = select_session!("WHERE id = $1");
    Ok(on_pool!(db, pool => sqlx::query_as(SQL).bind(id).fetch_optional(pool).await?))
}

/// The session with this public id, if `scope` reaches it.
pub async fn by_public_id(db: &Db, scope: &Scope, public_id: Uuid) -> Result<Option<Session>, StoreError> {
    Ok(on_pool!(db, pool => {
        let mut qb = sqlx::QueryBuilder::new(select_session!("WHERE public_id = "));
        qb.push_bind(public_id);
        crate::scope::push(&mut qb, scope, &crate::scope::EVALUATION_SESSIONS);
        qb.build_query_as().fetch_optional(pool).await?
    }))
}

/// The institution's sessions for an occupation and level in a status, newest first.
pub async fn find(
    db: &Db,
    institution_id: i64,
    occupation_code: &str,
    level: u8,
    status: SessionStatus,
) -> Result<Vec<Session>, StoreError> {
    const SQL: &str = select_session!(
        "WHERE institution_id = $1 AND occupation_code = $2 AND level = $3 AND status = $4 ORDER BY id DESC"
    );
    Ok(on_pool!(db, pool => sqlx::query_as(SQL)
        .bind(institution_id).bind(occupation_code).bind(i16::from(level)).bind(status.code())
        .fetch_all(pool).await?))
}

/// Moves the session from `from` to `to`; `false` when it was not in `from` any more.
pub async fn set_status(db: &Db, id: i64, from: SessionStatus, to: SessionStatus) -> Result<bool, StoreError> {
    let mut tx = crate::tx::begin(db).await?;
    let r = set_status_in(&mut tx, id, from, to).await?;
    tx.commit().await?;
    Ok(r)
}

/// Moves the session from `from` to `to`; `false` when it was not in `from` any more.
pub async fn set_status_in(tx: &mut Tx, id: i64, from: SessionStatus, to: SessionStatus) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE evaluation_sessions SET status = $1 WHERE id = $2 AND status = $3";
    let n = on_tx!(tx, conn => sqlx::query(SQL).bind(to.code()).bind(id).bind(from.code()).execute(&mut *conn).await?.rows_affected());
    Ok(n == 1)
}

/// Examined → publicity, with the notice period's first and last days.
pub async fn start_publicity(db: &Db, id: i64, published_on: Date, ends_on: Date) -> Result<bool, StoreError> {
    let mut tx = crate::tx::begin(db).await?;
    let r = start_publicity_in(&mut tx, id, published_on, ends_on).await?;
    tx.commit().await?;
    Ok(r)
}

/// Examined → publicity, with the notice period's first and last days.
pub async fn start_publicity_in(tx: &mut Tx, id: i64, published_on: Date, ends_on: Date) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE evaluation_sessions SET status = $1, published_on = $2, publicity_ends_on = $3 \
         WHERE id = $4 AND status = $5";
    let n = on_tx!(tx, conn => sqlx::query(SQL)
        .bind(SessionStatus::Publicity.code()).bind(published_on).bind(ends_on).bind(id)
        .bind(SessionStatus::Examined.code())
        .execute(&mut *conn).await?.rows_affected());
    Ok(n == 1)
}

/// Assigns people to a role; a name already in the role is kept once. Returns how many were new.
pub async fn assign_examiners(db: &Db, session_id: i64, role: ExaminerRole, names: &[&str]) -> Result<u64, StoreError> {
    let mut tx = crate::tx::begin(db).await?;
    let r = assign_examiners_in(&mut tx, session_id, role, names).await?;
    tx.commit().await?;
    Ok(r)
}

/// Assigns people to a role; a name already in the role is kept once. Returns how many were new.
pub async fn assign_examiners_in(
    tx: &mut Tx,
    session_id: i64,
    role: ExaminerRole,
    names: &[&str],
) -> Result<u64, StoreError> {
    const SQL: &str = "INSERT INTO session_examiners (session_id, role, name) VALUES ($1, $2, $3) \
         ON CONFLICT (session_id, role, name) DO NOTHING";
    on_tx!(tx, conn => {
        let mut added = 0;
        for name in names {
            added += sqlx::query(SQL).bind(session_id).bind(role.code()).bind(name.trim()).execute(&mut *conn).await?
                .rows_affected();
        }
        Ok(added)
    })
}

/// How many people hold each role.
pub async fn staffing(db: &Db, session_id: i64) -> Result<Staffing, StoreError> {
    const SQL: &str = "SELECT role, COUNT(*) FROM session_examiners WHERE session_id = $1 GROUP BY role";
    let rows: Vec<(String, i64)> = on_pool!(db, pool => sqlx::query_as(SQL).bind(session_id).fetch_all(pool).await?);
    let mut s = Staffing::default();
    for (role, n) in rows {
        let n = u32::try_from(n).unwrap_or(u32::MAX);
        match ExaminerRole::parse(&role) {
            Some(ExaminerRole::Invigilator) => s.invigilators = n,
            Some(ExaminerRole::Examiner) => s.examiners = n,
            Some(ExaminerRole::Reviewer) => s.reviewers = n,
            None => {}
        }
    }
    Ok(s)
}
