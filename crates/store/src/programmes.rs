//! Training programmes (培训项目) and their enrolments (报名/学习记录). A programme is keyed by
//! its code; an enrolment by (programme, person). The import decides what to insert and what to
//! update from what these functions read in its transaction; persons are referenced by id, so
//! no identity number is stored here.

use std::collections::HashMap;

use serde::Serialize;
use sqlx::QueryBuilder;
use time::{Date, OffsetDateTime};

use crate::tx::Tx;
use crate::{Db, INSERT_CHUNK, KEY_CHUNK, StoreError, on_pool, on_tx, push_in_list};

/// A programme as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Programme {
    #[serde(skip)]
    pub id: i64,
    pub code: String,
    #[serde(skip)]
    pub provider_id: i64,
    pub provider_uscc: String,
    pub provider_name: String,
    pub name: String,
    pub occupation_code: String,
    pub level: i16,
    pub mode: String,
    pub kind: Option<String>,
    pub required_seconds: i64,
    #[serde(with = "gongjiang_domain::dates::serde_iso")]
    pub starts_on: Date,
    #[serde(with = "gongjiang_domain::dates::serde_iso")]
    pub ends_on: Date,
    pub capacity: i32,
    pub platform_url: Option<String>,
}

/// The fields an import writes (insert, or update by code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgrammeWrite {
    pub code: String,
    pub provider_id: i64,
    pub name: String,
    pub occupation_code: String,
    pub level: i16,
    pub mode: String,
    pub kind: Option<String>,
    pub required_seconds: i64,
    pub starts_on: Date,
    pub ends_on: Date,
    pub capacity: i32,
    pub platform_url: Option<String>,
}

impl Programme {
    /// Whether `w` would change this programme.
    pub fn differs(&self, w: &ProgrammeWrite) -> bool {
        (self.provider_id, &self.name, &self.occupation_code, self.level, &self.mode, &self.kind)
            != (w.provider_id, &w.name, &w.occupation_code, w.level, &w.mode, &w.kind)
            || (self.required_seconds, self.starts_on, self.ends_on, self.capacity, &self.platform_url)
                != (w.required_seconds, w.starts_on, w.ends_on, w.capacity, &w.platform_url)
    }
}

const SELECT_PROGRAMME: &str = "SELECT p.id, p.code, p.provider_id, o.uscc AS provider_uscc, o.name AS provider_name, \
     p.name, p.occupation_code, p.level, p.mode, p.kind, p.required_seconds, p.starts_on, p.ends_on, p.capacity, \
     p.platform_url FROM programmes p JOIN organisations o ON o.id = p.provider_id ";

/// The stored programmes with these codes, by code.
pub async fn by_codes_in(tx: &mut Tx, codes: &[&str]) -> Result<HashMap<String, Programme>, StoreError> {
    let mut out = HashMap::new();
    on_tx!(tx, conn => {
        for part in codes.chunks(KEY_CHUNK) {
            let mut qb = QueryBuilder::new(SELECT_PROGRAMME);
            qb.push("WHERE p.code IN ");
            push_in_list(&mut qb, part.iter().copied());
            for p in qb.build_query_as::<Programme>().fetch_all(&mut *conn).await? {
                out.insert(p.code.clone(), p);
            }
        }
        Ok::<(), StoreError>(())
    })?;
    Ok(out)
}

/// The programme with this code.
pub async fn by_code(db: &Db, code: &str) -> Result<Option<Programme>, StoreError> {
    Ok(on_pool!(db, pool => {
        let mut qb = QueryBuilder::new(SELECT_PROGRAMME);
        qb.push("WHERE p.code = ").push_bind(code);
        qb.build_query_as().fetch_optional(pool).await?
    }))
}

/// Every programme, by code.
pub async fn list(db: &Db) -> Result<Vec<Programme>, StoreError> {
    Ok(on_pool!(db, pool => {
        let mut qb = QueryBuilder::new(SELECT_PROGRAMME);
        qb.push("ORDER BY p.code");
        qb.build_query_as().fetch_all(pool).await?
    }))
}

/// Inserts new programmes (the caller has left out the stored codes).
pub async fn insert_in(tx: &mut Tx, rows: &[ProgrammeWrite], recorded_by: &str) -> Result<(), StoreError> {
    let now = OffsetDateTime::now_utc();
    on_tx!(tx, conn => {
        for chunk in rows.chunks(INSERT_CHUNK) {
            let mut qb = QueryBuilder::new(
                "INSERT INTO programmes (code, provider_id, name, occupation_code, level, mode, kind, required_seconds, \
                 starts_on, ends_on, capacity, platform_url, recorded_by, updated_at) ");
            qb.push_values(chunk, |mut b, w| {
                b.push_bind(&w.code).push_bind(w.provider_id).push_bind(&w.name).push_bind(&w.occupation_code)
                    .push_bind(w.level).push_bind(&w.mode).push_bind(&w.kind).push_bind(w.required_seconds)
                    .push_bind(w.starts_on).push_bind(w.ends_on).push_bind(w.capacity).push_bind(&w.platform_url)
                    .push_bind(recorded_by).push_bind(now);
            });
            qb.build().execute(&mut *conn).await.map_err(StoreError::from_sqlx)?;
        }
        Ok::<(), StoreError>(())
    })
}

/// Updates a stored programme (by id) to `w`.
pub async fn update_in(tx: &mut Tx, id: i64, w: &ProgrammeWrite, recorded_by: &str) -> Result<(), StoreError> {
    let now = OffsetDateTime::now_utc();
    on_tx!(tx, conn => {
        sqlx::query(
            "UPDATE programmes SET name = $1, occupation_code = $2, level = $3, mode = $4, kind = $5, \
             required_seconds = $6, starts_on = $7, ends_on = $8, capacity = $9, platform_url = $10, \
             recorded_by = $11, updated_at = $12 WHERE id = $13",
        )
        .bind(&w.name).bind(&w.occupation_code).bind(w.level).bind(&w.mode).bind(&w.kind).bind(w.required_seconds)
        .bind(w.starts_on).bind(w.ends_on).bind(w.capacity).bind(&w.platform_url).bind(recorded_by).bind(now)
        .bind(id).execute(&mut *conn).await?;
        Ok::<(), StoreError>(())
    })
}

/// An enrolment as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Enrolment {
    pub id: i64,
    pub programme_id: i64,
    pub person_id: i64,
    pub learner_id: Option<String>,
    pub enrolled_on: Date,
    pub seconds: i64,
    pub status: String,
    pub completed_on: Option<Date>,
}

/// What an import writes for an enrolment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrolmentWrite {
    pub programme_id: i64,
    pub person_id: i64,
    pub learner_id: Option<String>,
    pub enrolled_on: Date,
    pub seconds: i64,
    pub status: String,
    pub completed_on: Option<Date>,
}

/// Every enrolment of these programmes (a programme's are bounded by its capacity).
pub async fn enrolments_of_in(tx: &mut Tx, programme_ids: &[i64]) -> Result<Vec<Enrolment>, StoreError> {
    let mut out = Vec::new();
    on_tx!(tx, conn => {
        for part in programme_ids.chunks(KEY_CHUNK) {
            let mut qb = QueryBuilder::new(
                "SELECT id, programme_id, person_id, learner_id, enrolled_on, seconds, status, completed_on \
                 FROM enrolments WHERE programme_id IN ");
            push_in_list(&mut qb, part.iter().copied());
            out.extend(qb.build_query_as::<Enrolment>().fetch_all(&mut *conn).await?);
        }
        Ok::<(), StoreError>(())
    })?;
    Ok(out)
}

/// Inserts new enrolments.
pub async fn insert_enrolments_in(tx: &mut Tx, rows: &[EnrolmentWrite], recorded_by: &str) -> Result<(), StoreError> {
    let now = OffsetDateTime::now_utc();
    on_tx!(tx, conn => {
        for chunk in rows.chunks(INSERT_CHUNK) {
            let mut qb = QueryBuilder::new(
                "INSERT INTO enrolments (programme_id, person_id, learner_id, enrolled_on, seconds, status, \
                 completed_on, recorded_by, updated_at) ");
            qb.push_values(chunk, |mut b, w| {
                b.push_bind(w.programme_id).push_bind(w.person_id).push_bind(&w.learner_id).push_bind(w.enrolled_on)
                    .push_bind(w.seconds).push_bind(&w.status).push_bind(w.completed_on).push_bind(recorded_by)
                    .push_bind(now);
            });
            qb.build().execute(&mut *conn).await.map_err(StoreError::from_sqlx)?;
        }
        Ok::<(), StoreError>(())
    })
}

/// Updates the learning record of a stored enrolment: time credited, status, completion.
pub async fn update_enrolment_in(
    tx: &mut Tx,
    id: i64,
    seconds: i64,
    status: &str,
    completed_on: Option<Date>,
    recorded_by: &str,
) -> Result<(), StoreError> {
    let now = OffsetDateTime::now_utc();
    on_tx!(tx, conn => {
        sqlx::query(
            "UPDATE enrolments SET seconds = $1, status = $2, completed_on = $3, recorded_by = $4, updated_at = $5 \
             WHERE id = $6",
        )
        .bind(seconds).bind(status).bind(completed_on).bind(recorded_by).bind(now).bind(id)
        .execute(&mut *conn).await?;
        Ok::<(), StoreError>(())
    })
}

/// An enrolment as a listing shows it; `id_number` is opened here for the caller to mask.
#[derive(Clone, sqlx::FromRow)]
pub struct EnrolmentRow {
    pub programme_code: String,
    pub person_id: i64,
    pub id_number: String,
    pub name: String,
    pub learner_id: Option<String>,
    pub enrolled_on: Date,
    pub seconds: i64,
    pub status: String,
    pub completed_on: Option<Date>,
}

/// The enrolments of a programme, in the order enrolled.
pub async fn enrolments_of_programme(db: &Db, programme_id: i64) -> Result<Vec<EnrolmentRow>, StoreError> {
    let mut rows: Vec<EnrolmentRow> = on_pool!(db, pool => {
        sqlx::query_as(
            "SELECT g.code AS programme_code, e.person_id, COALESCE(p.id_cipher, '') AS id_number, p.name, \
             e.learner_id, e.enrolled_on, e.seconds, e.status, e.completed_on \
             FROM enrolments e JOIN programmes g ON g.id = e.programme_id JOIN persons p ON p.id = e.person_id \
             WHERE e.programme_id = $1 ORDER BY e.enrolled_on, e.id",
        )
        .bind(programme_id).fetch_all(pool).await?
    });
    db.pii().open_all(&mut rows, |r| &mut r.id_number)?;
    Ok(rows)
}

/// What a search for programmes narrows by; all optional.
#[derive(Debug, Clone, Default)]
pub struct ProgrammeFilter {
    pub occupation: Option<String>,
    pub level: Option<i16>,
    /// The provider's district.
    pub district: Option<String>,
    pub mode: Option<String>,
    /// One programme by its code.
    pub code: Option<String>,
    /// Only those not ended on this day.
    pub not_ended_on: Option<Date>,
}

/// A programme as a list shows it: where the provider is and how many have enrolled.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ListedProgramme {
    #[sqlx(flatten)]
    pub programme: Programme,
    pub provider_district: String,
    pub enrolled: i64,
}

/// The programmes `f` names, soonest start first, at most `limit`; by the (occupation, level)
/// index when both are given.
pub async fn listed(db: &Db, f: &ProgrammeFilter, limit: i64) -> Result<Vec<ListedProgramme>, StoreError> {
    Ok(on_pool!(db, pool => {
        let mut qb = QueryBuilder::new(
            "SELECT p.id, p.code, p.provider_id, o.uscc AS provider_uscc, o.name AS provider_name, p.name, \
             p.occupation_code, p.level, p.mode, p.kind, p.required_seconds, p.starts_on, p.ends_on, p.capacity, \
             p.platform_url, o.district_code AS provider_district, \
             (SELECT COUNT(*) FROM enrolments e WHERE e.programme_id = p.id AND e.status <> 'withdrawn') AS enrolled \
             FROM programmes p JOIN organisations o ON o.id = p.provider_id WHERE 1 = 1");
        if let Some(on) = f.not_ended_on { qb.push(" AND p.ends_on >= ").push_bind(on); }
        if let Some(c) = &f.code { qb.push(" AND p.code = ").push_bind(c.clone()); }
        if let Some(o) = &f.occupation { qb.push(" AND p.occupation_code = ").push_bind(o.clone()); }
        if let Some(l) = f.level { qb.push(" AND p.level = ").push_bind(l); }
        if let Some(d) = &f.district { qb.push(" AND o.district_code = ").push_bind(d.clone()); }
        if let Some(m) = &f.mode { qb.push(" AND p.mode = ").push_bind(m.clone()); }
        qb.push(" ORDER BY p.starts_on, p.code LIMIT ").push_bind(limit);
        qb.build_query_as().fetch_all(pool).await?
    }))
}
