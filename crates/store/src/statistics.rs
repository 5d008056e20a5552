//! Official employed-persons figures by year, district, industry and industrial chain: the KPI
//! denominator.

use gongjiang_domain::records::{NewSkillCount, NewStatistic};
use serde::Serialize;
use time::OffsetDateTime;

use crate::tx::Tx;
use crate::{Db, StoreError, WriteCounts, on_pool, on_tx};

const CURRENT: &str = "SELECT employed_persons FROM employment_statistics \
     WHERE year = $1 AND district_code = $2 AND industry = $3 AND chain = $4";
const INSERT: &str = "INSERT INTO employment_statistics (year, district_code, industry, employed_persons, updated_at, \
     chain) VALUES ($1, $2, $3, $4, $5, $6)";
const UPDATE: &str = "UPDATE employment_statistics SET employed_persons = $4, updated_at = $5 \
     WHERE year = $1 AND district_code = $2 AND industry = $3 AND chain = $6";

pub async fn upsert_batch(db: &Db, rows: &[NewStatistic]) -> Result<WriteCounts, StoreError> {
    let mut tx = crate::tx::begin(db).await?;
    let r = upsert_batch_in(&mut tx, rows).await?;
    tx.commit().await?;
    Ok(r)
}

pub async fn upsert_batch_in(tx: &mut Tx, rows: &[NewStatistic]) -> Result<WriteCounts, StoreError> {
    let now = OffsetDateTime::now_utc();
    on_tx!(tx, conn => {
        let mut counts = WriteCounts::default();
        for s in rows {
            let current: Option<i64> = sqlx::query_scalar(CURRENT)
                .bind(s.year).bind(&s.district_code).bind(&s.industry).bind(&s.chain).fetch_optional(&mut *conn).await?;
            let sql = match current {
                None => { counts.inserted += 1; INSERT }
                Some(v) if v == s.employed_persons => { counts.unchanged += 1; continue }
                Some(_) => { counts.updated += 1; UPDATE }
            };
            sqlx::query(sql).bind(s.year).bind(&s.district_code).bind(&s.industry).bind(s.employed_persons).bind(now)
                .bind(&s.chain).execute(&mut *conn).await?;
        }
        Ok(counts)
    })
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Statistic {
    pub year: i32,
    pub district_code: String,
    pub industry: String,
    /// '' = not by chain.
    pub chain: String,
    pub employed_persons: i64,
}

pub async fn list(db: &Db, year: Option<i32>) -> Result<Vec<Statistic>, StoreError> {
    const SQL: &str = "SELECT year, district_code, industry, chain, employed_persons FROM employment_statistics \
         WHERE ($1 IS NULL OR year = $1) ORDER BY year, district_code, industry, chain";
    Ok(on_pool!(db, pool => sqlx::query_as(SQL).bind(year).fetch_all(pool).await?))
}

const SKILLS_CURRENT: &str = "SELECT skilled, high_skilled FROM official_skill_counts \
     WHERE year = $1 AND district_code = $2 AND industry = $3 AND chain = $4";
const SKILLS_INSERT: &str = "INSERT INTO official_skill_counts (year, district_code, industry, chain, skilled, \
     high_skilled, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
const SKILLS_UPDATE: &str = "UPDATE official_skill_counts SET skilled = $5, high_skilled = $6, updated_at = $7 \
     WHERE year = $1 AND district_code = $2 AND industry = $3 AND chain = $4";

/// Upserts official skilled / high-skilled counts by (year, district, industry, chain); a count
/// left out keeps the one stored.
pub async fn upsert_skill_counts_in(tx: &mut Tx, rows: &[NewSkillCount]) -> Result<WriteCounts, StoreError> {
    let now = OffsetDateTime::now_utc();
    on_tx!(tx, conn => {
        let mut counts = WriteCounts::default();
        for s in rows {
            let current: Option<(Option<i64>, Option<i64>)> = sqlx::query_as(SKILLS_CURRENT)
                .bind(s.year).bind(&s.district_code).bind(&s.industry).bind(&s.chain).fetch_optional(&mut *conn).await?;
            let (sql, skilled, high) = match current {
                None => { counts.inserted += 1; (SKILLS_INSERT, s.skilled, s.high_skilled) }
                Some((k, h)) => {
                    let new = (s.skilled.or(k), s.high_skilled.or(h));
                    if new == (k, h) { counts.unchanged += 1; continue }
                    counts.updated += 1;
                    (SKILLS_UPDATE, new.0, new.1)
                }
            };
            sqlx::query(sql).bind(s.year).bind(&s.district_code).bind(&s.industry).bind(&s.chain).bind(skilled)
                .bind(high).bind(now).execute(&mut *conn).await?;
        }
        Ok(counts)
    })
}

/// Official skilled / high-skilled counts of a year, by (district, industry, chain).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SkillCount {
    pub year: i32,
    pub district_code: String,
    pub industry: String,
    pub chain: String,
    pub skilled: Option<i64>,
    pub high_skilled: Option<i64>,
}

pub async fn skill_counts(db: &Db, year: i32) -> Result<Vec<SkillCount>, StoreError> {
    const SQL: &str = "SELECT year, district_code, industry, chain, skilled, high_skilled FROM official_skill_counts \
         WHERE year = $1 ORDER BY district_code, industry, chain";
    Ok(on_pool!(db, pool => sqlx::query_as(SQL).bind(year).fetch_all(pool).await?))
}
