//! Competition results (以赛代评): one row per result with the decision taken when it was
//! recorded, and the level history a decision reads. A promotion is written through
//! `levels::record_batch_in` in the same transaction (so the KPI refresh at commit sees it),
//! with the competition as the level's evidence.

use std::collections::HashMap;

use gongjiang_domain::level::Level;
use gongjiang_domain::records::NewLevel;
use serde::Serialize;
use sqlx::QueryBuilder;
use time::{Date, OffsetDateTime};

use crate::levels::{self, LevelWrite};
use crate::tx::Tx;
use crate::{Db, KEY_CHUNK, StoreError, WriteCounts, on_pool, on_tx, push_in_list};

/// A result's natural key: person, competition, occupation, award day.
pub type Key = (i64, String, String, Date);

/// A result as stored, with its decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct StoredResult {
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub person_id: i64,
    pub competition: String,
    pub tier: String,
    pub entry_group: String,
    pub occupation_code: String,
    pub place: i32,
    pub entrants: Option<i32>,
    #[serde(with = "gongjiang_domain::dates::serde_iso")]
    pub awarded_on: Date,
    pub outcome: String,
    pub rule_id: Option<String>,
    pub level_before: Option<i16>,
    pub level_after: Option<i16>,
    pub explanation_zh: String,
    pub explanation_en: String,
}

impl StoredResult {
    pub fn key(&self) -> Key {
        (self.person_id, self.competition.clone(), self.occupation_code.clone(), self.awarded_on)
    }
}

const STORED_OF_PERSONS: &str = "SELECT id, person_id, competition, tier, entry_group, occupation_code, place, \
     entrants, awarded_on, outcome, rule_id, level_before, level_after, explanation_zh, explanation_en \
     FROM competition_results WHERE person_id IN ";

/// The stored results of these persons, by natural key.
pub async fn stored_in(tx: &mut Tx, person_ids: &[i64]) -> Result<HashMap<Key, StoredResult>, StoreError> {
    let mut out = HashMap::new();
    on_tx!(tx, conn => {
        for part in person_ids.chunks(KEY_CHUNK) {
            let mut qb = QueryBuilder::new(STORED_OF_PERSONS);
            push_in_list(&mut qb, part.iter().copied());
            for r in qb.build_query_as::<StoredResult>().fetch_all(&mut *conn).await? {
                out.insert(r.key(), r);
            }
        }
        Ok::<(), StoreError>(())
    })?;
    Ok(out)
}

/// A level row as a promotion decision reads it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct HistoryRow {
    pub person_id: i64,
    pub occupation_code: String,
    pub level: i16,
    pub obtained_on: Date,
    pub revoked_on: Option<Date>,
    pub source: String,
}

/// The level history (every row, revoked ones included) of these persons.
pub async fn history_in(tx: &mut Tx, person_ids: &[i64]) -> Result<Vec<HistoryRow>, StoreError> {
    let mut out = Vec::new();
    on_tx!(tx, conn => {
        for part in person_ids.chunks(KEY_CHUNK) {
            let mut qb = QueryBuilder::new(
                "SELECT person_id, occupation_code, level, obtained_on, revoked_on, source FROM skill_levels \
                 WHERE person_id IN ",
            );
            push_in_list(&mut qb, part.iter().copied());
            out.extend(qb.build_query_as::<HistoryRow>().fetch_all(&mut *conn).await?);
        }
        Ok::<(), StoreError>(())
    })?;
    Ok(out)
}

/// A result to record, with its decision; `promotion` is the level row it adds.
pub struct NewResult<'a> {
    pub person_id: i64,
    pub competition: &'a str,
    pub tier: &'a str,
    pub entry_group: &'a str,
    pub occupation_code: &'a str,
    pub place: i32,
    pub entrants: Option<i32>,
    pub awarded_on: Date,
    pub outcome: &'a str,
    pub rule_id: Option<&'a str>,
    pub level_before: Option<Level>,
    pub promotion: Option<NewLevel>,
    pub explanation_zh: &'a str,
    pub explanation_en: &'a str,
    /// The level's evidence: the competition, its tier, group and place.
    pub evidence: String,
}

/// Records new results (the caller has left out those already stored) and the level rows of
/// their promotions, in `tx`. Returns the level rows' counts and, per row, the id of its
/// promotion's level row.
pub async fn record_in(
    tx: &mut Tx,
    rows: &[NewResult<'_>],
    recorded_by: &str,
) -> Result<(WriteCounts, Vec<Option<i64>>), StoreError> {
    let writes: Vec<LevelWrite<'_>> = rows
        .iter()
        .filter_map(|r| {
            r.promotion.as_ref().map(|level| LevelWrite {
                level,
                person_id: r.person_id,
                issuer_id: None,
                recorded_by,
                revoked: None,
            })
        })
        .collect();
    let counts = levels::record_batch_in(tx, &writes).await?;
    let now = OffsetDateTime::now_utc();
    let mut ids = Vec::with_capacity(rows.len());
    on_tx!(tx, conn => {
        for r in rows {
            let level_id: Option<i64> = match &r.promotion {
                None => None,
                Some(l) => {
                    sqlx::query("UPDATE skill_levels SET evidence = $1 WHERE person_id = $2 AND occupation_code = $3 \
                                 AND trade = $4 AND level = $5 AND obtained_on = $6 AND evidence IS NULL")
                        .bind(&r.evidence).bind(r.person_id).bind(&l.occupation_code).bind(&l.trade)
                        .bind(l.level.rank() as i16).bind(l.obtained_on).execute(&mut *conn).await?;
                    sqlx::query_scalar("SELECT id FROM skill_levels WHERE person_id = $1 AND occupation_code = $2 \
                                        AND trade = $3 AND level = $4 AND obtained_on = $5")
                        .bind(r.person_id).bind(&l.occupation_code).bind(&l.trade).bind(l.level.rank() as i16)
                        .bind(l.obtained_on).fetch_optional(&mut *conn).await?
                }
            };
            sqlx::query(
                "INSERT INTO competition_results (person_id, competition, tier, entry_group, occupation_code, place, \
                 entrants, awarded_on, outcome, rule_id, level_before, level_after, skill_level_id, explanation_zh, \
                 explanation_en, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
            )
            .bind(r.person_id).bind(r.competition).bind(r.tier).bind(r.entry_group).bind(r.occupation_code)
            .bind(r.place).bind(r.entrants).bind(r.awarded_on).bind(r.outcome).bind(r.rule_id)
            .bind(r.level_before.map(|l| l.rank() as i16)).bind(r.promotion.as_ref().map(|l| l.level.rank() as i16))
            .bind(level_id).bind(r.explanation_zh).bind(r.explanation_en).bind(recorded_by).bind(now)
            .execute(&mut *conn).await?;
            ids.push(level_id);
        }
        Ok::<(), StoreError>(())
    })?;
    Ok((counts, ids))
}

/// Every stored result of a person, oldest first.
pub async fn of_person(db: &Db, person_id: i64) -> Result<Vec<StoredResult>, StoreError> {
    Ok(on_pool!(db, pool => {
        let mut qb = QueryBuilder::new(STORED_OF_PERSONS);
        push_in_list(&mut qb, [person_id]);
        qb.push(" ORDER BY awarded_on, id");
        qb.build_query_as().fetch_all(pool).await?
    }))
}

/// How many results are stored.
pub async fn count(db: &Db) -> Result<i64, StoreError> {
    Ok(on_pool!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM competition_results").fetch_one(pool).await?))
}

/// Promotions through competitions recorded, by tier and award day: `(tier, day, count)`.
pub async fn promotions_by_tier_and_day(db: &Db) -> Result<Vec<(String, Date, i64)>, StoreError> {
    const SQL: &str = "SELECT tier, awarded_on, COUNT(*) FROM competition_results WHERE outcome = 'promoted' \
         GROUP BY tier, awarded_on ORDER BY awarded_on";
    Ok(on_pool!(db, pool => sqlx::query_as(SQL).fetch_all(pool).await?))
}
