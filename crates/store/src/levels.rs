//! The skill-level history: append-only rows per person and occupation. A person's current
//! level is derived from it (highest unrevoked level), never stored twice.

use std::collections::HashMap;

use gongjiang_domain::access::Scope;
use gongjiang_domain::records::NewLevel;
use serde::Serialize;
use sqlx::QueryBuilder;
use time::{Date, OffsetDateTime};

use crate::dialect::{Json, PerBackend, json_param, json_rows};
use crate::tx::Tx;
use crate::{Db, KEY_CHUNK, StoreError, WriteCounts, on_pool, on_tx, push_in_list};

pub struct LevelWrite<'a> {
    pub level: &'a NewLevel,
    pub person_id: i64,
    pub issuer_id: Option<i64>,
    /// Who recorded it: a user name, or `import:FILE` for a file import.
    pub recorded_by: &'a str,
    /// Revoked from this day (the first day it no longer counts), for this reason. A level
    /// revoked already keeps its revocation: history is not rewritten.
    pub revoked: Option<(Date, &'a str)>,
}

/// A level row's natural key: person, occupation, trade, level, date obtained.
pub type Key = (i64, String, String, i16, Date);

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
struct Existing {
    id: i64,
    person_id: i64,
    occupation_code: String,
    trade: String,
    level: i16,
    obtained_on: Date,
    source: String,
    certificate_no: Option<String>,
    issuer_id: Option<i64>,
    revoked_on: Option<Date>,
    revoked_reason: Option<String>,
}

/// [`Existing`] rows of the persons in an `IN` list pushed after it.
const EXISTING_OF_PERSONS: &str = "SELECT id, person_id, occupation_code, trade, level, obtained_on, source, \
     certificate_no, issuer_id, revoked_on, revoked_reason FROM skill_levels WHERE person_id IN ";

impl Existing {
    fn key(&self) -> Key {
        (self.person_id, self.occupation_code.clone(), self.trade.clone(), self.level, self.obtained_on)
    }
}

/// The natural key of a level row to write.
pub fn key_of(w: &LevelWrite<'_>) -> Key {
    let l = w.level;
    (w.person_id, l.occupation_code.clone(), l.trade.clone(), l.level.rank() as i16, l.obtained_on)
}

// New levels go in as one JSON array per statement (see persons.rs).
static INSERT_JSON: PerBackend<String> = PerBackend::new(|b| {
    use Json::*;
    let cols = [BigInt, Text, Text, SmallInt, Date, Text, Text, BigInt, Text, Date, Text];
    format!(
        "INSERT INTO skill_levels (person_id, occupation_code, trade, level, obtained_on, source, certificate_no, \
         issuer_id, recorded_by, revoked_on, revoked_reason, recorded_at) {}",
        json_rows(b, &cols).select_in_order("$2")
    )
});

fn insert_json(rows: &[&LevelWrite<'_>]) -> Result<String, StoreError> {
    let tuples: Vec<_> = rows
        .iter()
        .map(|w| {
            let l = w.level;
            (
                w.person_id,
                &l.occupation_code,
                &l.trade,
                l.level.rank(),
                gongjiang_domain::dates::iso(l.obtained_on),
                l.source.code(),
                &l.certificate_no,
                w.issuer_id,
                w.recorded_by,
                w.revoked.map(|(on, _)| gongjiang_domain::dates::iso(on)),
                w.revoked.map(|(_, reason)| reason),
            )
        })
        .collect();
    json_param(&tuples)
}

/// Records new levels; for a level already recorded (same person, occupation, trade, level and
/// date) fills in or corrects its source, certificate number and issuer, and revokes it when
/// the write says so and it is not revoked yet. Never deletes.
pub async fn record_batch(db: &Db, rows: &[LevelWrite<'_>]) -> Result<WriteCounts, StoreError> {
    let mut tx = crate::tx::begin(db).await?;
    let r = record_batch_in(&mut tx, rows).await?;
    tx.commit().await?;
    Ok(r)
}

/// Records new levels; for a level already recorded (same person, occupation, trade, level and
/// date) fills in or corrects its source, certificate number and issuer, and revokes it when
/// the write says so and it is not revoked yet. Never deletes.
pub async fn record_batch_in(tx: &mut Tx, rows: &[LevelWrite<'_>]) -> Result<WriteCounts, StoreError> {
    if rows.is_empty() {
        return Ok(WriteCounts::default());
    }
    let now = OffsetDateTime::now_utc();
    let insert_sql = INSERT_JSON.sql(tx.backend());
    let (counts, holders) = on_tx!(tx, conn => {
        let mut person_ids: Vec<i64> = rows.iter().map(|r| r.person_id).collect();
        person_ids.sort_unstable();
        person_ids.dedup();
        let mut existing: Vec<Existing> = Vec::new();
        for part in person_ids.chunks(KEY_CHUNK) {
            let mut qb = QueryBuilder::new(EXISTING_OF_PERSONS);
            push_in_list(&mut qb, part.iter().copied());
            existing.extend(qb.build_query_as::<Existing>().fetch_all(&mut *conn).await?);
        }
        let mut stored: HashMap<Key, Existing> = existing.into_iter().map(|e| (e.key(), e)).collect();

        let mut counts = WriteCounts::default();
        let mut inserts: Vec<&LevelWrite<'_>> = Vec::new();
        let mut pending: HashMap<Key, usize> = HashMap::new();
        let mut updates: std::collections::HashSet<i64> = std::collections::HashSet::new();
        let mut revoked_now: Vec<i64> = Vec::new();
        for w in rows {
            let key = key_of(w);
            if let Some(old) = stored.get_mut(&key) {
                let (revoked_on, revoked_reason) = match (old.revoked_on, w.revoked) {
                    (None, Some((on, reason))) => (Some(on), Some(reason.to_string())),
                    _ => (old.revoked_on, old.revoked_reason.clone()),
                };
                let new = Existing {
                    source: w.level.source.code().to_string(),
                    certificate_no: w.level.certificate_no.clone().or(old.certificate_no.clone()),
                    issuer_id: w.issuer_id.or(old.issuer_id),
                    revoked_on,
                    revoked_reason,
                    ..old.clone()
                };
                if new.revoked_on != old.revoked_on {
                    revoked_now.push(old.person_id);
                }
                if new == *old {
                    counts.unchanged += 1;
                } else {
                    counts.updated += 1;
                    *old = new;
                    updates.insert(old.id);
                }
            } else if let Some(&i) = pending.get(&key) {
                let same =
                    inserts[i].level == w.level && inserts[i].issuer_id == w.issuer_id && inserts[i].revoked == w.revoked;
                if same { counts.unchanged += 1 } else { counts.updated += 1; inserts[i] = w }
            } else {
                counts.inserted += 1;
                pending.insert(key, inserts.len());
                inserts.push(w);
            }
        }
        for chunk in inserts.chunks(crate::JSON_CHUNK) {
            sqlx::query(insert_sql).bind(insert_json(chunk)?).bind(now).execute(&mut *conn).await.map_err(StoreError::from_sqlx)?;
        }
        for e in stored.values().filter(|e| updates.contains(&e.id)) {
            sqlx::query("UPDATE skill_levels SET source = $1, certificate_no = $2, issuer_id = $3, revoked_on = $4, \
                         revoked_reason = $5 WHERE id = $6")
                .bind(&e.source).bind(&e.certificate_no).bind(e.issuer_id).bind(e.revoked_on).bind(&e.revoked_reason)
                .bind(e.id).execute(&mut *conn).await?;
        }
        // New rows and revocations change a holder's KPI state (other updates touch source,
        // certificate and issuer only).
        let holders: Vec<i64> = inserts.iter().map(|w| w.person_id).chain(revoked_now).collect();
        (counts, holders)
    });
    tx.touch_persons(holders);
    Ok(counts)
}

/// What stands in the way of revoking a recorded level from a file: its revocation, if it has
/// one, and the number of a certificate issued here that it backs (that one is revoked through
/// the certificate, so its credential's status list says so too).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RevocationState {
    pub revoked_on: Option<Date>,
    pub certificate_no: Option<String>,
}

/// The [`RevocationState`] of those of `keys` that are recorded and either revoked or backing a
/// certificate issued here.
pub async fn revocation_states_in(tx: &mut Tx, keys: &[Key]) -> Result<HashMap<Key, RevocationState>, StoreError> {
    let mut person_ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
    person_ids.sort_unstable();
    person_ids.dedup();
    let wanted: std::collections::HashSet<&Key> = keys.iter().collect();
    let mut out = HashMap::new();
    on_tx!(tx, conn => {
        for part in person_ids.chunks(KEY_CHUNK) {
            let mut qb = QueryBuilder::new(
                "SELECT skill_level_id, number FROM certificates WHERE skill_level_id IS NOT NULL AND person_id IN ");
            push_in_list(&mut qb, part.iter().copied());
            let certified: HashMap<i64, String> = qb.build_query_as::<(i64, String)>().fetch_all(&mut *conn).await?
                .into_iter().collect();
            let mut qb = QueryBuilder::new(EXISTING_OF_PERSONS);
            push_in_list(&mut qb, part.iter().copied());
            for e in qb.build_query_as::<Existing>().fetch_all(&mut *conn).await? {
                let certificate_no = certified.get(&e.id).cloned();
                if (e.revoked_on.is_some() || certificate_no.is_some()) && wanted.contains(&e.key()) {
                    out.insert(e.key(), RevocationState { revoked_on: e.revoked_on, certificate_no });
                }
            }
        }
        Ok::<(), StoreError>(())
    })?;
    Ok(out)
}

/// One entry of a person's level history, as the API shows it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct LevelRecord {
    #[serde(skip)]
    pub id: i64,
    pub occupation_code: String,
    pub trade: String,
    pub level: i16,
    pub obtained_on: Date,
    pub source: String,
    pub certificate_no: Option<String>,
    pub issuer_uscc: Option<String>,
    pub recorded_by: String,
    pub recorded_at: OffsetDateTime,
    pub revoked_on: Option<Date>,
    pub revoked_reason: Option<String>,
}

/// A person's level history that `scope` reaches (all of it for a caller who may read the
/// person's levels), oldest first.
pub async fn history(db: &Db, scope: &Scope, person_id: i64) -> Result<Vec<LevelRecord>, StoreError> {
    Ok(on_pool!(db, pool => {
        let mut qb = sqlx::QueryBuilder::new(
            "SELECT s.id, s.occupation_code, s.trade, s.level, s.obtained_on, s.source, s.certificate_no, \
             o.uscc AS issuer_uscc, s.recorded_by, s.recorded_at, s.revoked_on, s.revoked_reason \
             FROM skill_levels s LEFT JOIN organisations o ON o.id = s.issuer_id WHERE s.person_id = ",
        );
        qb.push_bind(person_id);
        crate::scope::push(&mut qb, scope, &crate::scope::LEVELS);
        qb.push(" ORDER BY s.obtained_on, s.level, s.id");
        qb.build_query_as().fetch_all(pool).await?
    }))
}

/// Every level row with its holder's identity number (decrypted; left out of `Debug`), in id
/// order, for export (paged by id).
#[derive(Clone, Serialize, sqlx::FromRow)]
pub struct LevelExportRow {
    pub id: i64,
    pub id_number: String,
    pub occupation_code: String,
    pub trade: String,
    pub level: i16,
    pub obtained_on: Date,
    pub source: String,
    pub certificate_no: Option<String>,
    pub issuer_uscc: Option<String>,
    pub revoked_on: Option<Date>,
    pub revoked_reason: Option<String>,
}

gongjiang_domain::debug_without_id_number!(LevelExportRow {
    id,
    occupation_code,
    trade,
    level,
    obtained_on,
    source,
    certificate_no,
    issuer_uscc,
    revoked_on,
    revoked_reason
});

pub async fn export_page(db: &Db, after: i64, limit: i64) -> Result<Vec<LevelExportRow>, StoreError> {
    const SQL: &str = "SELECT s.id, COALESCE(p.id_cipher, '') AS id_number, s.occupation_code, s.trade, s.level, s.obtained_on, s.source, \
         s.certificate_no, o.uscc AS issuer_uscc, s.revoked_on, s.revoked_reason FROM skill_levels s \
         JOIN persons p ON p.id = s.person_id \
         LEFT JOIN organisations o ON o.id = s.issuer_id WHERE s.id > $1 ORDER BY s.id LIMIT $2";
    let mut rows: Vec<LevelExportRow> =
        on_pool!(db, pool => sqlx::query_as(SQL).bind(after).bind(limit).fetch_all(pool).await?);
    db.pii().open_all(&mut rows, |r| &mut r.id_number)?;
    Ok(rows)
}

pub async fn count(db: &Db) -> Result<i64, StoreError> {
    Ok(on_pool!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM skill_levels").fetch_one(pool).await?))
}

/// Revokes a level row from `on` (the first day it no longer counts), with the reason. The row
/// stays: the history is append-only. `NotFound` for no such row; `Conflict` when it is revoked
/// already (a second revocation would rewrite history).
pub async fn revoke(db: &Db, level_id: i64, on: Date, reason: &str) -> Result<(), StoreError> {
    let mut tx = crate::tx::begin(db).await?;
    revoke_in(&mut tx, level_id, on, reason).await?;
    tx.commit().await?;
    Ok(())
}

/// Revokes a level row from `on` (the first day it no longer counts), with the reason. The row
/// stays: the history is append-only. `NotFound` for no such row; `Conflict` when it is revoked
/// already (a second revocation would rewrite history).
pub async fn revoke_in(tx: &mut Tx, level_id: i64, on: Date, reason: &str) -> Result<(), StoreError> {
    let holder = on_tx!(tx, conn => {
        let current: Option<(Option<Date>, i64)> =
            sqlx::query_as("SELECT revoked_on, person_id FROM skill_levels WHERE id = $1").bind(level_id).fetch_optional(&mut *conn).await?;
        let holder = match current {
            None => return Err(StoreError::NotFound),
            Some((Some(_), _)) => return Err(StoreError::Conflict { constraint: "skill_levels.revoked_on".to_string() }),
            Some((None, holder)) => holder,
        };
        sqlx::query("UPDATE skill_levels SET revoked_on = $1, revoked_reason = $2 WHERE id = $3 AND revoked_on IS NULL")
            .bind(on).bind(reason).bind(level_id).execute(&mut *conn).await?;
        holder
    });
    tx.touch_persons([holder]);
    Ok(())
}
