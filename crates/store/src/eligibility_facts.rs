//! Bulk reads for city-wide eligibility runs: persons a page at a time, with the level rows and
//! employment spells of exactly those persons.

use serde::Serialize;
use time::Date;

use crate::{Db, StoreError, on_pool};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PersonFacts {
    pub id: i64,
    pub birth_date: Option<Date>,
    pub district_code: Option<String>,
    pub occupation_code: Option<String>,
    pub education: Option<String>,
    pub work_start: Option<Date>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct LevelFacts {
    pub person_id: i64,
    pub occupation_code: String,
    pub level: i16,
    pub obtained_on: Date,
    pub revoked_on: Option<Date>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SpellFacts {
    pub person_id: i64,
    pub start_on: Date,
    pub end_on: Option<Date>,
    pub occupation_code: Option<String>,
}

/// Up to `limit` persons with ids above `after`, then the levels and spells of the persons in
/// that id range, each ordered by person.
pub async fn page(
    db: &Db,
    after: i64,
    limit: i64,
) -> Result<(Vec<PersonFacts>, Vec<LevelFacts>, Vec<SpellFacts>), StoreError> {
    const PERSONS: &str = "SELECT id, birth_date, district_code, occupation_code, education, work_start \
         FROM persons WHERE id > $1 ORDER BY id LIMIT $2";
    const LEVELS: &str = "SELECT person_id, occupation_code, level, obtained_on, revoked_on FROM skill_levels \
         WHERE person_id > $1 AND person_id <= $2 ORDER BY person_id";
    const SPELLS: &str = "SELECT person_id, start_on, end_on, occupation_code FROM employment \
         WHERE person_id > $1 AND person_id <= $2 ORDER BY person_id";
    on_pool!(db, pool => {
        let persons: Vec<PersonFacts> = sqlx::query_as(PERSONS).bind(after).bind(limit).fetch_all(pool).await?;
        let Some(last) = persons.last().map(|p| p.id) else { return Ok((persons, Vec::new(), Vec::new())) };
        let levels = sqlx::query_as(LEVELS).bind(after).bind(last).fetch_all(pool).await?;
        let spells = sqlx::query_as(SPELLS).bind(after).bind(last).fetch_all(pool).await?;
        Ok((persons, levels, spells))
    })
}
