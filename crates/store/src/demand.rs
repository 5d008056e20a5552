//! Reported demand for skilled people (`skill_demand`), and the scan of the supply it is
//! compared with: holders per occupation × highest valid level × district (or industrial chain).
//! Reports read the same figures from the maintained counts (`kpi_counts::holders_today`,
//! `holders_on`); the scan is their reference.
//!
//! Supply by chain: the holders employed by the chain's enterprises (`organisation_chains`; a
//! person counts in each chain of their employer). Demand without a chain is left out of the
//! by-chain view.

use gongjiang_domain::access::Scope;
use gongjiang_domain::records::NewDemand;
use serde::Serialize;
use sqlx::QueryBuilder;
use time::{Date, OffsetDateTime};

use crate::supply::push_occupation;
pub use crate::supply::{CITY, GapGrouping, HolderCount};
use crate::tx::Tx;
use crate::{Db, StoreError, WriteCounts, on_pool, on_tx};

/// A demand row with its reporter resolved to an organisation id.
pub struct DemandWrite<'a> {
    pub demand: &'a NewDemand,
    pub reporter_id: i64,
}

const EXISTING: &str = "SELECT id, people, chain, note FROM skill_demand WHERE reporter_id = $1 \
     AND occupation_code = $2 AND level = $3 AND year = $4 AND quarter = $5 AND district_code = $6";
const INSERT: &str = "INSERT INTO skill_demand (reporter_id, occupation_code, level, year, quarter, district_code, \
     chain, people, note, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)";
const UPDATE: &str = "UPDATE skill_demand SET chain = $2, people = $3, note = $4, updated_at = $5 WHERE id = $1";

#[derive(sqlx::FromRow)]
struct Existing {
    id: i64,
    people: i64,
    chain: String,
    note: String,
}

/// Inserts new rows and updates changed ones by natural key (reporter, occupation, level,
/// year, quarter, district), in one transaction. Demand files are small (thousands of rows), so
/// one lookup per row is fine. Every reporter must be an organisation `scope` reaches (the
/// writer's scope for submitting data); otherwise nothing is written and the answer is
/// [`StoreError::OutOfScope`]. In a transaction of its own, without an audit entry.
pub async fn upsert_batch(db: &Db, scope: &Scope, rows: &[DemandWrite<'_>]) -> Result<WriteCounts, StoreError> {
    let mut tx = crate::tx::begin(db).await?;
    let r = upsert_batch_in(&mut tx, scope, rows).await?;
    tx.commit().await?;
    Ok(r)
}

/// [`upsert_batch`] in the caller's transaction; the scope is checked in it too.
pub async fn upsert_batch_in(tx: &mut Tx, scope: &Scope, rows: &[DemandWrite<'_>]) -> Result<WriteCounts, StoreError> {
    let now = OffsetDateTime::now_utc();
    let mut reporters: Vec<i64> = rows.iter().map(|w| w.reporter_id).collect();
    reporters.sort_unstable();
    reporters.dedup();
    on_tx!(tx, conn => {
        if !scope.is_all() {
            let mut reached: Vec<i64> = Vec::new();
            for part in reporters.chunks(crate::KEY_CHUNK) {
                let mut qb = sqlx::QueryBuilder::new("SELECT id FROM organisations WHERE id IN ");
                crate::push_in_list(&mut qb, part.iter().copied());
                crate::scope::push(&mut qb, scope, &crate::scope::ORGANISATIONS);
                reached.extend(qb.build_query_scalar::<i64>().fetch_all(&mut *conn).await?);
            }
            if reached.len() != reporters.len() {
                return Err(StoreError::OutOfScope);
            }
        }
        let mut counts = WriteCounts::default();
        for w in rows {
            let d = w.demand;
            let level = i16::from(d.level.rank());
            let quarter = d.period.quarter_number();
            let old: Option<Existing> = sqlx::query_as(EXISTING)
                .bind(w.reporter_id).bind(&d.occupation_code).bind(level).bind(d.period.year).bind(quarter)
                .bind(&d.district_code)
                .fetch_optional(&mut *conn).await?;
            match old {
                None => {
                    sqlx::query(INSERT)
                        .bind(w.reporter_id).bind(&d.occupation_code).bind(level).bind(d.period.year).bind(quarter)
                        .bind(&d.district_code).bind(&d.chain).bind(d.people).bind(&d.note).bind(now)
                        .execute(&mut *conn).await?;
                    counts.inserted += 1;
                }
                Some(o) if o.people == d.people && o.chain == d.chain && o.note == d.note => counts.unchanged += 1,
                Some(o) => {
                    sqlx::query(UPDATE).bind(o.id).bind(&d.chain).bind(d.people).bind(&d.note).bind(now)
                        .execute(&mut *conn).await?;
                    counts.updated += 1;
                }
            }
        }
        Ok(counts)
    })
}

/// Which rows of a period: a whole year means every row of that year (annual and quarterly
/// reports alike); a quarter means that quarter's rows only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeriodSel {
    pub year: i32,
    /// `None` = the whole year.
    pub quarter: Option<i16>,
}

#[derive(Debug, Clone, Default)]
pub struct DemandFilter {
    pub period: Option<PeriodSel>,
    /// An occupation code or a category prefix (`6-18`).
    pub occupation: Option<String>,
    pub level: Option<i16>,
    pub district_code: Option<String>,
    pub chain: Option<String>,
    pub reporter_uscc: Option<String>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct DemandRow {
    pub id: i64,
    pub reporter_uscc: String,
    pub reporter_name: String,
    pub occupation_code: String,
    pub level: i16,
    pub year: i32,
    pub quarter: i16,
    pub district_code: String,
    pub chain: String,
    pub people: i64,
    pub note: String,
}

fn push_period<'t, DB: sqlx::Database>(qb: &mut QueryBuilder<DB>, p: PeriodSel)
where
    i32: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    i16: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
{
    qb.push(" AND d.year = ").push_bind(p.year);
    if let Some(q) = p.quarter {
        qb.push(" AND d.quarter = ").push_bind(q);
    }
}

/// One page of the demand rows `scope` reaches, ordered by id, after `after` (keyset paging).
pub async fn list(
    db: &Db,
    scope: &Scope,
    f: &DemandFilter,
    after: Option<i64>,
    limit: i64,
) -> Result<Vec<DemandRow>, StoreError> {
    Ok(on_pool!(db, pool => {
        let mut qb = QueryBuilder::new(
            "SELECT d.id, o.uscc AS reporter_uscc, o.name AS reporter_name, d.occupation_code, d.level, d.year, \
             d.quarter, d.district_code, d.chain, d.people, d.note \
             FROM skill_demand d JOIN organisations o ON o.id = d.reporter_id WHERE 1 = 1",
        );
        crate::scope::push(&mut qb, scope, &crate::scope::DEMAND);
        if let Some(a) = after {
            qb.push(" AND d.id > ").push_bind(a);
        }
        if let Some(p) = f.period {
            push_period(&mut qb, p);
        }
        if let Some(o) = &f.occupation {
            push_occupation(&mut qb, "d.occupation_code", o);
        }
        if let Some(l) = f.level {
            qb.push(" AND d.level = ").push_bind(l);
        }
        if let Some(d) = &f.district_code {
            qb.push(" AND d.district_code = ").push_bind(d.clone());
        }
        if let Some(c) = &f.chain {
            qb.push(" AND d.chain = ").push_bind(c.clone());
        }
        if let Some(u) = &f.reporter_uscc {
            qb.push(" AND o.uscc = ").push_bind(u.clone());
        }
        qb.push(" ORDER BY d.id LIMIT ").push_bind(limit);
        qb.build_query_as().fetch_all(pool).await?
    }))
}

/// Reported demand summed per year × occupation × level × group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct DemandTotal {
    pub year: i32,
    pub occupation_code: String,
    pub level: i16,
    pub grp: String,
    pub people: i64,
}

/// Demand per year × occupation × level × group. `period` narrows to one year or quarter;
/// `None` gives every year (for the series).
pub async fn totals(
    db: &Db,
    by: GapGrouping,
    period: Option<PeriodSel>,
    occupation: Option<&str>,
) -> Result<Vec<DemandTotal>, StoreError> {
    let grp = match by {
        GapGrouping::City => "CAST('city' AS TEXT)",
        GapGrouping::District => "d.district_code",
        GapGrouping::Chain => "d.chain",
    };
    Ok(on_pool!(db, pool => {
        let mut qb = QueryBuilder::new(format!(
            "SELECT d.year, d.occupation_code, d.level, {grp} AS grp, CAST(SUM(d.people) AS BIGINT) AS people \
             FROM skill_demand d WHERE 1 = 1"
        ));
        if by == GapGrouping::Chain {
            qb.push(" AND d.chain <> ''");
        }
        if let Some(p) = period {
            push_period(&mut qb, p);
        }
        if let Some(o) = occupation {
            push_occupation(&mut qb, "d.occupation_code", o);
        }
        qb.push(" GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4");
        qb.build_query_as().fetch_all(pool).await?
    }))
}

/// Holders as of `as_of` of the occupations `filter` selects, by scanning the level history. A
/// level counts when obtained on or before `as_of` and not revoked by then. One aggregate
/// statement: a scan of the valid levels of those occupations (tens of seconds at city scale).
pub async fn holders_scan(
    db: &Db,
    by: GapGrouping,
    as_of: Date,
    filter: crate::supply::HolderFilter<'_>,
) -> Result<Vec<HolderCount>, StoreError> {
    let (join, grp) = match by {
        GapGrouping::City => ("", "CAST('city' AS TEXT)"),
        GapGrouping::District => ("", "p.district_code"),
        GapGrouping::Chain => (" JOIN organisation_chains c ON c.organisation_id = p.employer_id", "c.chain"),
    };
    Ok(on_pool!(db, pool => {
        let mut qb = QueryBuilder::new(
            "SELECT h.occupation_code, h.top AS level, ",
        );
        qb.push(format!("{grp} AS grp, COUNT(*) AS holders FROM (SELECT s.person_id, s.occupation_code, \
             MAX(s.level) AS top FROM skill_levels s WHERE s.obtained_on <= "));
        qb.push_bind(as_of);
        qb.push(" AND (s.revoked_on IS NULL OR s.revoked_on > ").push_bind(as_of);
        qb.push(")");
        if filter.demanded_only {
            qb.push(" AND s.occupation_code IN (SELECT DISTINCT occupation_code FROM skill_demand)");
        }
        if let Some(o) = filter.occupation {
            push_occupation(&mut qb, "s.occupation_code", o);
        }
        qb.push(format!(" GROUP BY s.person_id, s.occupation_code) h JOIN persons p ON p.id = h.person_id{join} \
             WHERE {grp} IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"));
        qb.build_query_as().fetch_all(pool).await?
    }))
}

/// The years that have any demand, oldest first.
pub async fn years(db: &Db) -> Result<Vec<i32>, StoreError> {
    const SQL: &str = "SELECT DISTINCT year FROM skill_demand ORDER BY year";
    Ok(on_pool!(db, pool => sqlx::query_scalar(SQL).fetch_all(pool).await?))
}
