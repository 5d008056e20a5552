//! Evaluation institutions (评价机构) as filed: their certificate-number parts, their filed scope
//! (occupation × level × validity), and the non-employee staff an employer-type one lists.

use gongjiang_domain::evaluation::{ListedStaffKind, ScopeRow, StaffRelation};
use gongjiang_domain::level::Level;
use serde::Serialize;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::tx::Tx;
use crate::{Db, StoreError, on_pool, on_tx};

pub struct NewInstitution<'a> {
    /// `Y` or `S`.
    pub category: char,
    pub body_code: &'a str,
    pub province_code: &'a str,
    pub site_serial: &'a str,
    pub name: &'a str,
    pub organisation_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Institution {
    #[serde(skip)]
    pub id: i64,
    pub public_id: Uuid,
    pub category: String,
    pub body_code: String,
    pub province_code: String,
    pub site_serial: String,
    pub name: String,
    #[serde(skip)]
    pub organisation_id: Option<i64>,
}

/// Files an institution. `Conflict` when its category, body code, province and site serial are
/// filed already.
pub async fn file(db: &Db, n: &NewInstitution<'_>) -> Result<i64, StoreError> {
    let mut tx = crate::tx::begin(db).await?;
    let r = file_in(&mut tx, n).await?;
    tx.commit().await?;
    Ok(r)
}

/// Files an institution. `Conflict` when its category, body code, province and site serial are
/// filed already.
pub async fn file_in(tx: &mut Tx, n: &NewInstitution<'_>) -> Result<i64, StoreError> {
    const SQL: &str = "INSERT INTO evaluation_institutions (public_id, category, body_code, province_code, \
         site_serial, name, organisation_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
    let now = OffsetDateTime::now_utc();
    on_tx!(tx, conn => sqlx::query_scalar(SQL)
        .bind(Uuid::now_v7()).bind(n.category.to_string()).bind(n.body_code).bind(n.province_code)
        .bind(n.site_serial).bind(n.name).bind(n.organisation_id).bind(now)
        .fetch_one(&mut *conn).await.map_err(StoreError::from_sqlx))
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Institution>, StoreError> {
    const SQL: &str = concat!(
        "SELECT id, public_id, category, body_code, province_code, site_serial, name, organisation_id ",
        "FROM evaluation_institutions WHERE id = $1"
    );
    Ok(on_pool!(db, pool => sqlx::query_as(SQL).bind(id).fetch_optional(pool).await?))
}

pub async fn by_public_id(db: &Db, public_id: Uuid) -> Result<Option<Institution>, StoreError> {
    const SQL: &str = concat!(
        "SELECT id, public_id, category, body_code, province_code, site_serial, name, organisation_id ",
        "FROM evaluation_institutions WHERE public_id = $1"
    );
    Ok(on_pool!(db, pool => sqlx::query_as(SQL).bind(public_id).fetch_optional(pool).await?))
}

/// Every filed institution, in filing order.
pub async fn list(db: &Db) -> Result<Vec<Institution>, StoreError> {
    const SQL: &str = concat!(
        "SELECT id, public_id, category, body_code, province_code, site_serial, name, organisation_id ",
        "FROM evaluation_institutions ORDER BY id"
    );
    Ok(on_pool!(db, pool => sqlx::query_as(SQL).fetch_all(pool).await?))
}

/// Adds a filed scope row. `Conflict` for the same occupation, level and start twice.
pub async fn add_scope(db: &Db, institution_id: i64, row: &ScopeRow) -> Result<(), StoreError> {
    let mut tx = crate::tx::begin(db).await?;
    add_scope_in(&mut tx, institution_id, row).await?;
    tx.commit().await?;
    Ok(())
}

/// Adds a filed scope row. `Conflict` for the same occupation, level and start twice.
pub async fn add_scope_in(tx: &mut Tx, institution_id: i64, row: &ScopeRow) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO institution_scopes (institution_id, occupation_code, level, valid_from, valid_to) \
         VALUES ($1, $2, $3, $4, $5)";
    on_tx!(tx, conn => sqlx::query(SQL)
        .bind(institution_id).bind(&row.occupation_code).bind(i16::from(row.level.rank()))
        .bind(row.valid_from).bind(row.valid_to)
        .execute(&mut *conn).await.map(|_| ()).map_err(StoreError::from_sqlx))?;
    Ok(())
}

/// The institution's filed scope.
pub async fn scope(db: &Db, institution_id: i64) -> Result<Vec<ScopeRow>, StoreError> {
    const SQL: &str = "SELECT occupation_code, level, valid_from, valid_to FROM institution_scopes \
         WHERE institution_id = $1 ORDER BY occupation_code, level, valid_from";
    let rows: Vec<(String, i16, Date, Option<Date>)> =
        on_pool!(db, pool => sqlx::query_as(SQL).bind(institution_id).fetch_all(pool).await?);
    Ok(rows
        .into_iter()
        .filter_map(|(occupation_code, level, valid_from, valid_to)| {
            Some(ScopeRow { occupation_code, level: Level::new(u8::try_from(level).ok()?)?, valid_from, valid_to })
        })
        .collect())
}

/// Lists a dispatched, outsourced or intern worker an employer-type institution may evaluate.
pub async fn list_staff(
    db: &Db,
    institution_id: i64,
    person_id: i64,
    kind: ListedStaffKind,
    start_on: Date,
    end_on: Option<Date>,
) -> Result<(), StoreError> {
    let mut tx = crate::tx::begin(db).await?;
    list_staff_in(&mut tx, institution_id, person_id, kind, start_on, end_on).await?;
    tx.commit().await?;
    Ok(())
}

/// Lists a dispatched, outsourced or intern worker an employer-type institution may evaluate.
pub async fn list_staff_in(
    tx: &mut Tx,
    institution_id: i64,
    person_id: i64,
    kind: ListedStaffKind,
    start_on: Date,
    end_on: Option<Date>,
) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO institution_listed_staff (institution_id, person_id, kind, start_on, end_on) \
         VALUES ($1, $2, $3, $4, $5)";
    on_tx!(tx, conn => sqlx::query(SQL)
        .bind(institution_id).bind(person_id).bind(kind.code()).bind(start_on).bind(end_on)
        .execute(&mut *conn).await.map(|_| ()).map_err(StoreError::from_sqlx))?;
    Ok(())
}

/// How `person_id` stands with the institution on `on`: employed by its organisation (an
/// employment spell covering the date; with no spells on file, the person's registered
/// employer), listed by it, or neither.
pub async fn staff_relation(
    db: &Db,
    institution: &Institution,
    person_id: i64,
    on: Date,
) -> Result<StaffRelation, StoreError> {
    const EMPLOYED: &str = "SELECT \
         EXISTS (SELECT 1 FROM employment e WHERE e.person_id = $1 AND e.employer_id = $2 \
                 AND e.start_on <= $3 AND (e.end_on IS NULL OR e.end_on >= $3)) \
         OR (NOT EXISTS (SELECT 1 FROM employment e WHERE e.person_id = $1) \
             AND EXISTS (SELECT 1 FROM persons p WHERE p.id = $1 AND p.employer_id = $2))";
    const LISTED: &str = "SELECT EXISTS (SELECT 1 FROM institution_listed_staff WHERE institution_id = $1 \
         AND person_id = $2 AND start_on <= $3 AND (end_on IS NULL OR end_on >= $3))";
    if let Some(org) = institution.organisation_id {
        let employed: bool = on_pool!(db, pool => sqlx::query_scalar(EMPLOYED).bind(person_id).bind(org).bind(on).fetch_one(pool).await?);
        if employed {
            return Ok(StaffRelation::Employee);
        }
    }
    let listed: bool = on_pool!(db, pool => sqlx::query_scalar(LISTED)
        .bind(institution.id).bind(person_id).bind(on).fetch_one(pool).await?);
    Ok(if listed { StaffRelation::Listed } else { StaffRelation::None })
}

/// One filed scope row with its institution: who may certify an occupation at a level.
#[derive(Debug, Clone)]
pub struct Filed {
    pub institution_id: i64,
    pub organisation_id: Option<i64>,
    pub scope: ScopeRow,
}

/// Every filed scope row for one occupation, oldest filing first (institution id, then start).
pub async fn filed_for_in(tx: &mut Tx, occupation_code: &str) -> Result<Vec<Filed>, StoreError> {
    const SQL: &str = "SELECT s.institution_id, i.organisation_id, s.occupation_code, s.level, s.valid_from, \
         s.valid_to FROM institution_scopes s JOIN evaluation_institutions i ON i.id = s.institution_id \
         WHERE s.occupation_code = $1 ORDER BY s.institution_id, s.valid_from";
    type Row = (i64, Option<i64>, String, i16, Date, Option<Date>);
    let rows: Vec<Row> = on_tx!(tx, conn => sqlx::query_as(SQL).bind(occupation_code).fetch_all(&mut *conn).await?);
    Ok(rows
        .into_iter()
        .filter_map(|(institution_id, organisation_id, occupation_code, level, valid_from, valid_to)| {
            Some(Filed {
                institution_id,
                organisation_id,
                scope: ScopeRow {
                    occupation_code,
                    level: Level::new(u8::try_from(level).ok()?)?,
                    valid_from,
                    valid_to,
                },
            })
        })
        .collect())
}
