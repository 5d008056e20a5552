//! Training platforms (培养平台, migration 0026): designations attached to a registered
//! organisation, keyed by code. The import decides what to insert and what to update from what
//! [`by_codes_in`] reads in its transaction; the public listing reads [`list`]. A studio's lead
//! is a person id: no identity number is stored here.

use std::collections::HashMap;

use serde::Serialize;
use sqlx::QueryBuilder;
use time::{Date, OffsetDateTime};

use crate::tx::Tx;
use crate::{Db, INSERT_CHUNK, KEY_CHUNK, StoreError, on_pool, on_tx, push_in_list};

/// The fields an import writes (insert, or update by code).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PlatformWrite {
    pub code: String,
    pub organisation_id: i64,
    pub name: String,
    pub kind: String,
    pub tier: String,
    pub approved_on: Date,
    pub valid_until: Option<Date>,
    pub funding_yuan: Option<i64>,
    pub occupation_code: Option<String>,
    pub lead_person_id: Option<i64>,
}

/// A stored platform: its id and what the import wrote.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Stored {
    pub id: i64,
    #[sqlx(flatten)]
    pub write: PlatformWrite,
}

/// The stored platforms with these codes, by code.
pub async fn by_codes_in(tx: &mut Tx, codes: &[&str]) -> Result<HashMap<String, Stored>, StoreError> {
    let mut out = HashMap::new();
    on_tx!(tx, conn => {
        for part in codes.chunks(KEY_CHUNK) {
            let mut qb = QueryBuilder::new(
                "SELECT id, code, organisation_id, name, kind, tier, approved_on, valid_until, funding_yuan, \
                 occupation_code, lead_person_id FROM platforms WHERE code IN ");
            push_in_list(&mut qb, part.iter().copied());
            for s in qb.build_query_as::<Stored>().fetch_all(&mut *conn).await? {
                out.insert(s.write.code.clone(), s);
            }
        }
        Ok::<(), StoreError>(())
    })?;
    Ok(out)
}

pub async fn insert_in(tx: &mut Tx, rows: &[PlatformWrite], recorded_by: &str) -> Result<(), StoreError> {
    let now = OffsetDateTime::now_utc();
    on_tx!(tx, conn => {
        for chunk in rows.chunks(INSERT_CHUNK) {
            let mut qb = QueryBuilder::new(
                "INSERT INTO platforms (code, organisation_id, name, kind, tier, approved_on, valid_until, funding_yuan, \
                 occupation_code, lead_person_id, recorded_by, updated_at) ");
            qb.push_values(chunk, |mut b, w| {
                b.push_bind(&w.code).push_bind(w.organisation_id).push_bind(&w.name).push_bind(&w.kind)
                    .push_bind(&w.tier).push_bind(w.approved_on).push_bind(w.valid_until).push_bind(w.funding_yuan)
                    .push_bind(&w.occupation_code).push_bind(w.lead_person_id).push_bind(recorded_by).push_bind(now);
            });
            qb.build().execute(&mut *conn).await.map_err(StoreError::from_sqlx)?;
        }
        Ok::<(), StoreError>(())
    })
}

/// Updates a stored platform (by id) to `w`.
pub async fn update_in(tx: &mut Tx, id: i64, w: &PlatformWrite, recorded_by: &str) -> Result<(), StoreError> {
    let now = OffsetDateTime::now_utc();
    on_tx!(tx, conn => {
        sqlx::query(
            "UPDATE platforms SET organisation_id = $1, name = $2, kind = $3, tier = $4, approved_on = $5, \
             valid_until = $6, funding_yuan = $7, occupation_code = $8, lead_person_id = $9, recorded_by = $10, \
             updated_at = $11 WHERE id = $12",
        )
        .bind(w.organisation_id).bind(&w.name).bind(&w.kind).bind(&w.tier).bind(w.approved_on).bind(w.valid_until)
        .bind(w.funding_yuan).bind(&w.occupation_code).bind(w.lead_person_id).bind(recorded_by).bind(now).bind(id)
        .execute(&mut *conn).await?;
        Ok::<(), StoreError>(())
    })
}

/// A platform as the public listing shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Listed {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub tier: String,
    #[serde(with = "gongjiang_domain::dates::serde_iso")]
    pub approved_on: Date,
    #[serde(with = "gongjiang_domain::dates::serde_iso::option")]
    pub valid_until: Option<Date>,
    pub funding_yuan: Option<i64>,
    pub occupation_code: Option<String>,
    pub organisation_uscc: String,
    pub organisation_name: String,
    pub district_code: String,
    /// The lead master's name (a studio's); never an identity number.
    pub lead_name: Option<String>,
}

/// What the listing filters on.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// The organisation's district (`120101`).
    pub district: Option<String>,
    /// An occupation code or a category of the classification (`6-18` takes `6-18-01-01`).
    pub occupation: Option<String>,
    pub kind: Option<String>,
    pub tier: Option<String>,
    /// Only platforms approved by then and valid on that day.
    pub in_force_on: Option<Date>,
}

/// The platforms matching `f`, national first, then municipal, district; by code; at most
/// `limit`.
pub async fn list(db: &Db, f: &Filter, limit: i64) -> Result<Vec<Listed>, StoreError> {
    Ok(on_pool!(db, pool => {
        let mut qb = QueryBuilder::new(
            "SELECT p.code, p.name, p.kind, p.tier, p.approved_on, p.valid_until, p.funding_yuan, p.occupation_code, \
             o.uscc AS organisation_uscc, o.name AS organisation_name, o.district_code, l.name AS lead_name \
             FROM platforms p JOIN organisations o ON o.id = p.organisation_id \
             LEFT JOIN persons l ON l.id = p.lead_person_id WHERE 1 = 1");
        if let Some(d) = &f.district { qb.push(" AND o.district_code = ").push_bind(d.clone()); }
        if let Some(c) = &f.occupation {
            qb.push(" AND (p.occupation_code = ").push_bind(c.clone());
            qb.push(" OR p.occupation_code LIKE ").push_bind(format!("{c}-%")).push(")");
        }
        if let Some(k) = &f.kind { qb.push(" AND p.kind = ").push_bind(k.clone()); }
        if let Some(t) = &f.tier { qb.push(" AND p.tier = ").push_bind(t.clone()); }
        if let Some(d) = f.in_force_on {
            qb.push(" AND p.approved_on <= ").push_bind(d);
            qb.push(" AND (p.valid_until IS NULL OR p.valid_until >= ").push_bind(d).push(")");
        }
        qb.push(" ORDER BY CASE p.tier WHEN 'national' THEN 0 WHEN 'municipal' THEN 1 ELSE 2 END, p.code LIMIT ")
            .push_bind(limit);
        qb.build_query_as().fetch_all(pool).await?
    }))
}
