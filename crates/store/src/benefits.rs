//! Benefit claims, their events, objections and the payment ledger (migration 0014), and the
//! reads the benefit engine needs: a person's level rows with their keys and sources, a page of
//! the level rows obtained in a window (for a city-wide run), and the persons' claims.
//!
//! A claim is written with its `due` ledger entry and its `created` event in the caller's
//! transaction; `UNIQUE (person_id, scheme, skill_level_id)` makes a second claim on the same
//! certificate a no-op (`ON CONFLICT DO NOTHING`), whoever makes it and however often. The
//! revocation of a level flags or withdraws its claims by trigger (see the migration).

use std::collections::HashMap;

use serde::Serialize;
use sqlx::QueryBuilder;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::tx::Tx;
use crate::{Db, KEY_CHUNK, StoreError, on_pool, on_tx, push_in_list};

/// A level row as the benefit engine reads it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LevelRow {
    pub id: i64,
    pub person_id: i64,
    pub occupation_code: String,
    pub level: i16,
    pub obtained_on: Date,
    pub revoked_on: Option<Date>,
    pub source: String,
}

const LEVEL_COLUMNS: &str =
    "SELECT id, person_id, occupation_code, level, obtained_on, revoked_on, source FROM skill_levels ";

/// Every level row of a person (revoked ones included), oldest first.
pub async fn levels_of(db: &Db, person_id: i64) -> Result<Vec<LevelRow>, StoreError> {
    Ok(on_pool!(db, pool => {
        let mut qb = QueryBuilder::new(LEVEL_COLUMNS);
        qb.push("WHERE person_id = ").push_bind(person_id).push(" ORDER BY obtained_on, id");
        qb.build_query_as().fetch_all(pool).await?
    }))
}

/// Up to `limit` level rows obtained from `from` to `to` (both included) at one of `ranks` by
/// one of `sources`, of persons with ids above `after`, ordered by person. The caller drops the
/// last person of a full page (their rows may continue on the next) and asks again from the
/// person before.
pub async fn window_page(
    db: &Db,
    from: Date,
    to: Date,
    ranks: &[i16],
    sources: &[&str],
    after: i64,
    limit: i64,
) -> Result<Vec<LevelRow>, StoreError> {
    Ok(on_pool!(db, pool => {
        let mut qb = QueryBuilder::new(LEVEL_COLUMNS);
        qb.push("WHERE obtained_on >= ").push_bind(from).push(" AND obtained_on <= ").push_bind(to);
        qb.push(" AND person_id > ").push_bind(after).push(" AND level IN ");
        push_in_list(&mut qb, ranks.iter().copied());
        qb.push(" AND source IN ");
        push_in_list(&mut qb, sources.iter().copied());
        qb.push(" ORDER BY person_id, id LIMIT ").push_bind(limit);
        qb.build_query_as().fetch_all(pool).await?
    }))
}

/// A claim as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ClaimRow {
    #[serde(skip)]
    pub id: i64,
    pub public_id: Uuid,
    #[serde(skip)]
    pub person_id: i64,
    pub scheme: String,
    #[serde(skip)]
    pub skill_level_id: Option<i64>,
    pub occupation_code: Option<String>,
    pub level: Option<i16>,
    #[serde(with = "gongjiang_domain::dates::serde_iso::option")]
    pub obtained_on: Option<Date>,
    pub amount_fen: i64,
    #[serde(with = "gongjiang_domain::dates::serde_iso")]
    pub claimed_on: Date,
    pub route: String,
    pub status: String,
    pub district_code: Option<String>,
    #[serde(with = "gongjiang_domain::dates::serde_iso::option")]
    pub review_due_on: Option<Date>,
    #[serde(with = "gongjiang_domain::dates::serde_iso::option")]
    pub notice_ends_on: Option<Date>,
    pub policy_version: String,
    pub inferred: bool,
    pub explanation_zh: String,
    pub explanation_en: String,
    #[serde(with = "gongjiang_domain::dates::serde_iso::option")]
    pub recovery_due_on: Option<Date>,
    pub recovery_reason: Option<String>,
}

const CLAIM_COLUMNS: &str = "SELECT id, public_id, person_id, scheme, skill_level_id, occupation_code, level, obtained_on, \
     amount_fen, claimed_on, route, status, district_code, review_due_on, notice_ends_on, policy_version, inferred, \
     explanation_zh, explanation_en, recovery_due_on, recovery_reason FROM benefit_claims ";

/// Every claim of a person, oldest first.
pub async fn claims_of(db: &Db, person_id: i64) -> Result<Vec<ClaimRow>, StoreError> {
    Ok(on_pool!(db, pool => {
        let mut qb = QueryBuilder::new(CLAIM_COLUMNS);
        qb.push("WHERE person_id = ").push_bind(person_id).push(" ORDER BY claimed_on, id");
        qb.build_query_as().fetch_all(pool).await?
    }))
}

/// The claims of `scheme` of these persons.
pub async fn claims_of_persons(db: &Db, scheme: &str, person_ids: &[i64]) -> Result<Vec<ClaimRow>, StoreError> {
    let mut out = Vec::new();
    for part in person_ids.chunks(KEY_CHUNK) {
        let rows: Vec<ClaimRow> = on_pool!(db, pool => {
            let mut qb = QueryBuilder::new(CLAIM_COLUMNS);
            qb.push("WHERE scheme = ").push_bind(scheme).push(" AND person_id IN ");
            push_in_list(&mut qb, part.iter().copied());
            qb.build_query_as().fetch_all(pool).await?
        });
        out.extend(rows);
    }
    Ok(out)
}

/// A claim by its key, in `tx`.
pub async fn claim_in(tx: &mut Tx, id: i64) -> Result<Option<ClaimRow>, StoreError> {
    on_tx!(tx, conn => {
        let mut qb = QueryBuilder::new(CLAIM_COLUMNS);
        qb.push("WHERE id = ").push_bind(id);
        Ok(qb.build_query_as().fetch_optional(&mut *conn).await?)
    })
}

/// A claim by its key.
pub async fn claim(db: &Db, id: i64) -> Result<Option<ClaimRow>, StoreError> {
    Ok(on_pool!(db, pool => {
        let mut qb = QueryBuilder::new(CLAIM_COLUMNS);
        qb.push("WHERE id = ").push_bind(id);
        qb.build_query_as().fetch_optional(pool).await?
    }))
}

/// What to list: a scheme, and optionally a status, a district, or only claims due for recovery.
#[derive(Debug, Clone, Default)]
pub struct ClaimFilter {
    pub scheme: Option<String>,
    pub status: Option<String>,
    pub district_code: Option<String>,
    /// Only claims of persons in these districts (a district officer's); `None` = any.
    pub districts: Option<Vec<String>>,
    pub recovery_due: bool,
}

/// Claims matching `f`, oldest first, at most `limit`.
pub async fn list(db: &Db, f: &ClaimFilter, limit: i64) -> Result<Vec<ClaimRow>, StoreError> {
    Ok(on_pool!(db, pool => {
        let mut qb = QueryBuilder::new(CLAIM_COLUMNS);
        qb.push("WHERE 1 = 1");
        if let Some(s) = &f.scheme {
            qb.push(" AND scheme = ").push_bind(s.clone());
        }
        if let Some(s) = &f.status {
            qb.push(" AND status = ").push_bind(s.clone());
        }
        if let Some(d) = &f.district_code {
            qb.push(" AND district_code = ").push_bind(d.clone());
        }
        if f.recovery_due {
            qb.push(" AND recovery_due_on IS NOT NULL");
        }
        if let Some(ds) = &f.districts {
            if ds.is_empty() {
                qb.push(" AND 1 = 0");
            } else {
                qb.push(" AND district_code IN ");
                push_in_list(&mut qb, ds.iter().cloned());
            }
        }
        qb.push(" ORDER BY claimed_on, id LIMIT ").push_bind(limit);
        qb.build_query_as().fetch_all(pool).await?
    }))
}

/// The identity number (opened) and district of these persons.
pub async fn holders(db: &Db, person_ids: &[i64]) -> Result<HashMap<i64, (String, Option<String>)>, StoreError> {
    let mut out = HashMap::with_capacity(person_ids.len());
    for part in person_ids.chunks(KEY_CHUNK) {
        let rows: Vec<(i64, String, Option<String>)> = on_pool!(db, pool => {
            let mut qb = QueryBuilder::new("SELECT id, COALESCE(id_cipher, ''), district_code FROM persons WHERE id IN ");
            push_in_list(&mut qb, part.iter().copied());
            qb.build_query_as().fetch_all(pool).await?
        });
        for (id, cipher, district) in rows {
            out.insert(id, (db.pii().open(&cipher)?, district));
        }
    }
    Ok(out)
}

/// A claim to make.
#[derive(Debug, Clone)]
pub struct NewClaim<'a> {
    pub person_id: i64,
    pub scheme: &'a str,
    pub skill_level_id: Option<i64>,
    pub occupation_code: Option<&'a str>,
    pub level: Option<i16>,
    pub obtained_on: Option<Date>,
    pub amount_fen: i64,
    pub claimed_on: Date,
    pub route: &'a str,
    pub district_code: Option<&'a str>,
    pub review_due_on: Option<Date>,
    pub policy_version: &'a str,
    pub inferred: bool,
    pub explanation_zh: &'a str,
    pub explanation_en: &'a str,
}

/// Makes the claim with its `due` ledger entry and `created` event, in `tx`; `None` when a claim
/// of the person, scheme and level exists already (nothing is written then).
pub async fn insert_claim_in(tx: &mut Tx, c: &NewClaim<'_>, actor: &str) -> Result<Option<i64>, StoreError> {
    let now = OffsetDateTime::now_utc();
    on_tx!(tx, conn => {
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO benefit_claims (public_id, person_id, scheme, skill_level_id, occupation_code, level, \
             obtained_on, amount_fen, claimed_on, route, status, district_code, review_due_on, policy_version, inferred, \
             explanation_zh, explanation_en, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'in_review', $11, $12, $13, $14, $15, $16, $17, $18) \
             ON CONFLICT (person_id, scheme, skill_level_id) DO NOTHING RETURNING id",
        )
        .bind(Uuid::now_v7()).bind(c.person_id).bind(c.scheme).bind(c.skill_level_id).bind(c.occupation_code)
        .bind(c.level).bind(c.obtained_on).bind(c.amount_fen).bind(c.claimed_on).bind(c.route).bind(c.district_code)
        .bind(c.review_due_on).bind(c.policy_version).bind(c.inferred).bind(c.explanation_zh).bind(c.explanation_en)
        .bind(actor).bind(now)
        .fetch_optional(&mut *conn).await?;
        let Some(id) = id else { return Ok(None) };
        sqlx::query("INSERT INTO benefit_ledger (claim_id, entry, amount_fen, entry_on, reference, recorded_by, recorded_at) \
                     VALUES ($1, 'due', $2, $3, '', $4, $5)")
            .bind(id).bind(c.amount_fen).bind(c.claimed_on).bind(actor).bind(now).execute(&mut *conn).await?;
        sqlx::query("INSERT INTO benefit_claim_events (claim_id, event, happened_on, actor, note, recorded_at) \
                     VALUES ($1, 'created', $2, $3, $4, $5)")
            .bind(id).bind(c.claimed_on).bind(actor).bind(c.route).bind(now).execute(&mut *conn).await?;
        Ok(Some(id))
    })
}

/// One step of a claim's workflow: from one status to another on a day, by someone, with a note;
/// the public notice's last day when the step starts it.
#[derive(Debug, Clone)]
pub struct Step<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub notice_ends_on: Option<Date>,
    pub on: Date,
    pub actor: &'a str,
    pub note: &'a str,
}

/// Moves a claim one step and records the event; `Conflict` when the claim is not in `from`
/// any more (another officer moved it first).
pub async fn step_in(tx: &mut Tx, id: i64, s: &Step<'_>) -> Result<(), StoreError> {
    let Step { from, to, notice_ends_on, on, actor, note } = *s;
    let now = OffsetDateTime::now_utc();
    on_tx!(tx, conn => {
        let done = sqlx::query("UPDATE benefit_claims SET status = $1, notice_ends_on = COALESCE($2, notice_ends_on) \
                                WHERE id = $3 AND status = $4")
            .bind(to).bind(notice_ends_on).bind(id).bind(from).execute(&mut *conn).await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict { constraint: "benefit_claims.status".into() });
        }
        sqlx::query("INSERT INTO benefit_claim_events (claim_id, event, happened_on, actor, note, recorded_at) \
                     VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(id).bind(to).bind(on).bind(actor).bind(note).bind(now).execute(&mut *conn).await?;
        Ok(())
    })
}

/// A ledger entry (`paid`, `recovered`) for a claim, in `tx`; `Conflict` when the claim has one
/// of that kind already.
pub async fn ledger_in(
    tx: &mut Tx,
    claim_id: i64,
    entry: &str,
    amount_fen: i64,
    on: Date,
    reference: &str,
    actor: &str,
) -> Result<(), StoreError> {
    let now = OffsetDateTime::now_utc();
    on_tx!(tx, conn => {
        sqlx::query("INSERT INTO benefit_ledger (claim_id, entry, amount_fen, entry_on, reference, recorded_by, recorded_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(claim_id).bind(entry).bind(amount_fen).bind(on).bind(reference).bind(actor).bind(now)
            .execute(&mut *conn).await.map_err(StoreError::from_sqlx)?;
        Ok(())
    })
}

/// A ledger entry as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct LedgerRow {
    pub claim_id: i64,
    pub entry: String,
    pub amount_fen: i64,
    #[serde(with = "gongjiang_domain::dates::serde_iso")]
    pub entry_on: Date,
    pub reference: String,
}

/// The ledger entries of a claim, in the order written.
pub async fn ledger(db: &Db, claim_id: i64) -> Result<Vec<LedgerRow>, StoreError> {
    Ok(on_pool!(db, pool => sqlx::query_as(
        "SELECT claim_id, entry, amount_fen, entry_on, reference FROM benefit_ledger WHERE claim_id = $1 ORDER BY id")
        .bind(claim_id).fetch_all(pool).await?))
}

/// (claims, ledger entries) of a scheme: what an auditor counts.
pub async fn totals(db: &Db, scheme: &str) -> Result<(i64, i64), StoreError> {
    Ok(on_pool!(db, pool => {
        let claims: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM benefit_claims WHERE scheme = $1")
            .bind(scheme).fetch_one(pool).await?;
        let entries: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM benefit_ledger l JOIN benefit_claims c ON c.id = l.claim_id WHERE c.scheme = $1")
            .bind(scheme).fetch_one(pool).await?;
        (claims, entries)
    }))
}

/// A claim's money as a spend report reads it: its district, status, amount, the day it was
/// paid (if it was) and whether it is due for recovery.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MoneyRow {
    pub district_code: Option<String>,
    pub status: String,
    pub amount_fen: i64,
    pub paid_on: Option<Date>,
    pub recovery_due: bool,
}

/// Every claim of `scheme` with its payment (ledger `paid`), if any.
pub async fn money(db: &Db, scheme: &str) -> Result<Vec<MoneyRow>, StoreError> {
    Ok(on_pool!(db, pool => sqlx::query_as(
        "SELECT c.district_code, c.status, c.amount_fen, l.entry_on AS paid_on, \
         (c.recovery_due_on IS NOT NULL) AS recovery_due \
         FROM benefit_claims c LEFT JOIN benefit_ledger l ON l.claim_id = c.id AND l.entry = 'paid' \
         WHERE c.scheme = $1")
        .bind(scheme).fetch_all(pool).await?))
}

/// Lodges an objection to a claim in its public notice, in `tx`.
pub async fn object_in(tx: &mut Tx, claim_id: i64, on: Date, by: &str, reason: &str) -> Result<i64, StoreError> {
    on_tx!(tx, conn => Ok(sqlx::query_scalar(
        "INSERT INTO benefit_objections (claim_id, lodged_on, lodged_by, reason) VALUES ($1, $2, $3, $4) RETURNING id")
        .bind(claim_id).bind(on).bind(by).bind(reason).fetch_one(&mut *conn).await?))
}

/// Resolves an open objection; returns its claim. `NotFound` for no such open objection.
pub async fn resolve_objection_in(
    tx: &mut Tx,
    objection_id: i64,
    resolution: &str,
    on: Date,
    by: &str,
    note: &str,
) -> Result<i64, StoreError> {
    on_tx!(tx, conn => {
        let claim: Option<i64> = sqlx::query_scalar(
            "UPDATE benefit_objections SET resolution = $1, resolved_on = $2, resolved_by = $3, resolution_note = $4 \
             WHERE id = $5 AND resolution IS NULL RETURNING claim_id")
            .bind(resolution).bind(on).bind(by).bind(note).bind(objection_id).fetch_optional(&mut *conn).await?;
        claim.ok_or(StoreError::NotFound)
    })
}

/// How many objections to a claim are still open, in `tx`.
pub async fn open_objections_in(tx: &mut Tx, claim_id: i64) -> Result<i64, StoreError> {
    on_tx!(tx, conn => Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM benefit_objections WHERE claim_id = $1 AND resolution IS NULL")
        .bind(claim_id).fetch_one(&mut *conn).await?))
}
