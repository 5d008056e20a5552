//! Enterprise new-type apprenticeships (企业新型学徒制): one agreement per (enterprise,
//! apprentice, start), with the rule set it was checked against and how the apprentice's
//! employment was established. Also the employment facts that check reads.

use std::collections::HashMap;

use sqlx::QueryBuilder;
use time::{Date, OffsetDateTime};

use crate::tx::Tx;
use crate::{Db, INSERT_CHUNK, KEY_CHUNK, StoreError, on_pool, on_tx, push_in_list};

/// An agreement as an import writes it and as it is stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Apprenticeship {
    pub enterprise_id: i64,
    pub person_id: i64,
    pub institution_id: i64,
    pub contract_ends_on: Option<Date>,
    pub starts_on: Date,
    pub ends_on: Date,
    pub occupation_code: String,
    pub level: i16,
    pub enterprise_mentor: String,
    pub school_mentor: String,
    pub extension_reason: Option<String>,
    pub rule_id: String,
    /// `employer`, `spell` or `not_on_record`.
    pub employment_basis: String,
    /// `active`, `completed`, `withdrawn`.
    pub status: String,
}

/// Natural key: enterprise, person, start.
pub type Key = (i64, i64, Date);

impl Apprenticeship {
    pub fn key(&self) -> Key {
        (self.enterprise_id, self.person_id, self.starts_on)
    }
}

const COLUMNS: &str = "enterprise_id, person_id, institution_id, contract_ends_on, starts_on, ends_on, \
     occupation_code, level, enterprise_mentor, school_mentor, extension_reason, rule_id, employment_basis, status";

/// The stored agreements of these persons, by key, with their ids.
pub async fn of_persons_in(tx: &mut Tx, person_ids: &[i64]) -> Result<HashMap<Key, (i64, Apprenticeship)>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        #[sqlx(flatten)]
        a: Apprenticeship,
    }
    let mut out = HashMap::new();
    on_tx!(tx, conn => {
        for part in person_ids.chunks(KEY_CHUNK) {
            let mut qb = QueryBuilder::new(format!("SELECT id, {COLUMNS} FROM apprenticeships WHERE person_id IN "));
            push_in_list(&mut qb, part.iter().copied());
            for r in qb.build_query_as::<Row>().fetch_all(&mut *conn).await? {
                out.insert(r.a.key(), (r.id, r.a));
            }
        }
        Ok::<(), StoreError>(())
    })?;
    Ok(out)
}

pub async fn insert_in(tx: &mut Tx, rows: &[Apprenticeship], recorded_by: &str) -> Result<(), StoreError> {
    let now = OffsetDateTime::now_utc();
    on_tx!(tx, conn => {
        for chunk in rows.chunks(INSERT_CHUNK) {
            let mut qb = QueryBuilder::new(format!("INSERT INTO apprenticeships ({COLUMNS}, recorded_by, updated_at) "));
            qb.push_values(chunk, |mut b, a| {
                b.push_bind(a.enterprise_id).push_bind(a.person_id).push_bind(a.institution_id)
                    .push_bind(a.contract_ends_on).push_bind(a.starts_on).push_bind(a.ends_on)
                    .push_bind(&a.occupation_code).push_bind(a.level).push_bind(&a.enterprise_mentor)
                    .push_bind(&a.school_mentor).push_bind(&a.extension_reason).push_bind(&a.rule_id)
                    .push_bind(&a.employment_basis).push_bind(&a.status).push_bind(recorded_by).push_bind(now);
            });
            qb.build().execute(&mut *conn).await.map_err(StoreError::from_sqlx)?;
        }
        Ok::<(), StoreError>(())
    })
}

/// Updates a stored agreement (by id) to `a`; its key does not change.
pub async fn update_in(tx: &mut Tx, id: i64, a: &Apprenticeship, recorded_by: &str) -> Result<(), StoreError> {
    let now = OffsetDateTime::now_utc();
    on_tx!(tx, conn => {
        sqlx::query(
            "UPDATE apprenticeships SET institution_id = $1, contract_ends_on = $2, ends_on = $3, occupation_code = $4, \
             level = $5, enterprise_mentor = $6, school_mentor = $7, extension_reason = $8, rule_id = $9, \
             employment_basis = $10, recorded_by = $11, updated_at = $12 WHERE id = $13",
        )
        .bind(a.institution_id).bind(a.contract_ends_on).bind(a.ends_on).bind(&a.occupation_code).bind(a.level)
        .bind(&a.enterprise_mentor).bind(&a.school_mentor).bind(&a.extension_reason).bind(&a.rule_id)
        .bind(&a.employment_basis).bind(recorded_by).bind(now).bind(id)
        .execute(&mut *conn).await?;
        Ok::<(), StoreError>(())
    })
}

/// What the registry records of a person's employment: the current employer and the spells.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmploymentFacts {
    pub employer_id: Option<i64>,
    /// (employer, start, end).
    pub spells: Vec<(i64, Date, Option<Date>)>,
}

/// The employment facts of these persons (every one of them present in the map).
pub async fn employment_in(tx: &mut Tx, person_ids: &[i64]) -> Result<HashMap<i64, EmploymentFacts>, StoreError> {
    let mut out: HashMap<i64, EmploymentFacts> =
        person_ids.iter().map(|&id| (id, EmploymentFacts::default())).collect();
    on_tx!(tx, conn => {
        for part in person_ids.chunks(KEY_CHUNK) {
            let mut qb = QueryBuilder::new("SELECT id, employer_id FROM persons WHERE id IN ");
            push_in_list(&mut qb, part.iter().copied());
            for (id, employer) in qb.build_query_as::<(i64, Option<i64>)>().fetch_all(&mut *conn).await? {
                out.entry(id).or_default().employer_id = employer;
            }
            let mut qb = QueryBuilder::new("SELECT person_id, employer_id, start_on, end_on FROM employment WHERE person_id IN ");
            push_in_list(&mut qb, part.iter().copied());
            for (id, employer, start, end) in
                qb.build_query_as::<(i64, i64, Date, Option<Date>)>().fetch_all(&mut *conn).await?
            {
                out.entry(id).or_default().spells.push((employer, start, end));
            }
        }
        Ok::<(), StoreError>(())
    })?;
    Ok(out)
}

/// How many agreements are stored.
pub async fn count(db: &Db) -> Result<i64, StoreError> {
    Ok(on_pool!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM apprenticeships").fetch_one(pool).await?))
}
