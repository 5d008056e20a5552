//! Bulk reads for city-wide eligibility runs: persons a page at a time, with the level rows,
//! employment spells, education records and professional titles of exactly those persons.

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

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct EducationFacts {
    pub person_id: i64,
    pub education: String,
    pub major: String,
    pub graduated_on: Option<Date>,
    pub expected_graduation_on: Option<Date>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct TitleFacts {
    pub person_id: i64,
    pub series: String,
    pub grade: String,
    pub title: String,
    pub obtained_on: Date,
}

/// One page of persons and their records, each list ordered by person.
#[derive(Debug, Default)]
pub struct Page {
    pub persons: Vec<PersonFacts>,
    pub levels: Vec<LevelFacts>,
    pub spells: Vec<SpellFacts>,
    pub education: Vec<EducationFacts>,
    pub titles: Vec<TitleFacts>,
}

/// Up to `limit` persons with ids above `after`, then the levels and spells of the persons in
/// that id range, each ordered by person.
pub async fn page(db: &Db, after: i64, limit: i64) -> Result<Page, StoreError> {
    const PERSONS: &str = "SELECT id, birth_date, district_code, occupation_code, education, work_start \
         FROM persons WHERE id > $1 ORDER BY id LIMIT $2";
    const LEVELS: &str = "SELECT person_id, occupation_code, level, obtained_on, revoked_on FROM skill_levels \
         WHERE person_id > $1 AND person_id <= $2 ORDER BY person_id";
    const SPELLS: &str = "SELECT person_id, start_on, end_on, occupation_code FROM employment \
         WHERE person_id > $1 AND person_id <= $2 ORDER BY person_id";
    const EDUCATION: &str = "SELECT person_id, education, major, graduated_on, expected_graduation_on \
         FROM education_records WHERE person_id > $1 AND person_id <= $2 ORDER BY person_id";
    const TITLES: &str = "SELECT person_id, series, grade, title, obtained_on FROM professional_titles \
         WHERE person_id > $1 AND person_id <= $2 ORDER BY person_id";
    on_pool!(db, pool => {
        let persons: Vec<PersonFacts> = sqlx::query_as(PERSONS).bind(after).bind(limit).fetch_all(pool).await?;
        let Some(last) = persons.last().map(|p| p.id) else { return Ok(Page::default()) };
        let levels = sqlx::query_as(LEVELS).bind(after).bind(last).fetch_all(pool).await?;
        let spells = sqlx::query_as(SPELLS).bind(after).bind(last).fetch_all(pool).await?;
        let education = sqlx::query_as(EDUCATION).bind(after).bind(last).fetch_all(pool).await?;
        let titles = sqlx::query_as(TITLES).bind(after).bind(last).fetch_all(pool).await?;
        Ok(Page { persons, levels, spells, education, titles })
    })
}
