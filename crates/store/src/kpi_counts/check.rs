//! `gongjiang kpi recount --check`: the maintained counts against a recount from the raw
//! records, key by key, and each stored person state against the one its records give.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use time::Date;

use super::state::{Attrs, Sel, States};
use super::{Conn, Key, REBUILD_CHUNK, clock};
use crate::{Db, StoreError, on_pool};

/// One count that differs from a recount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    pub dimension: String,
    /// The group's code; '' = attribute missing (by chain: in no chain).
    pub grp: String,
    /// Highest valid level; 0 = none.
    pub top_level: i16,
    /// '' = not recorded.
    pub employment_status: String,
    pub stored: i64,
    pub recounted: i64,
}

/// The outcome of [`check`].
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// The clock's date, which both sides are computed for.
    pub as_of: Date,
    pub differences: Vec<Difference>,
    /// Persons whose stored state differs from their records (or who have none, or whose
    /// record is gone).
    pub stale_persons: i64,
}

/// The highest level valid on `$1` per person: the definition, written once more in SQL so
/// that the recount does not share code with the maintenance.
macro_rules! scan_top {
    () => {
        "LEFT JOIN (SELECT person_id, MAX(level) AS top FROM skill_levels \
         WHERE obtained_on <= $1 AND (revoked_on IS NULL OR revoked_on > $1) GROUP BY person_id) m ON m.person_id = p.id "
    };
}

/// Persons per attribute combination and highest level on `$1`.
const RECOUNT: &str = concat!(
    "SELECT p.district_code, o.industry, SUBSTR(p.occupation_code, 1, 1) AS occupation_major, p.employment_status, \
     CAST(COALESCE(m.top, 0) AS SMALLINT) AS top_level, COUNT(*) AS n \
     FROM persons p LEFT JOIN organisations o ON o.id = p.employer_id ",
    scan_top!(),
    "GROUP BY 1, 2, 3, 4, 5"
);
/// Persons per chain of their employer ('' = none), status and highest level on `$1`.
const RECOUNT_CHAINS: &str = concat!(
    "SELECT COALESCE(c.chain, '') AS chain, p.employment_status, CAST(COALESCE(m.top, 0) AS SMALLINT) AS top_level, \
     COUNT(*) AS n FROM persons p LEFT JOIN organisation_chains c ON c.organisation_id = p.employer_id ",
    scan_top!(),
    "GROUP BY 1, 2, 3"
);

#[derive(sqlx::FromRow)]
struct Cell {
    district_code: Option<String>,
    industry: Option<String>,
    occupation_major: Option<String>,
    employment_status: Option<String>,
    top_level: i16,
    n: i64,
}

#[derive(sqlx::FromRow)]
struct ChainCell {
    chain: String,
    employment_status: Option<String>,
    top_level: i16,
    n: i64,
}

#[derive(sqlx::FromRow)]
struct Stored {
    dimension: String,
    grp: String,
    top_level: i16,
    employment_status: String,
    persons: i64,
}

/// Today's counts per key recounted by scanning the raw records as of `as_of`.
async fn recount(db: &Db, as_of: Date) -> Result<HashMap<Key, i64>, StoreError> {
    let (cells, chains): (Vec<Cell>, Vec<ChainCell>) = on_pool!(db, pool => (
        sqlx::query_as(RECOUNT).bind(as_of).fetch_all(pool).await?,
        sqlx::query_as(RECOUNT_CHAINS).bind(as_of).fetch_all(pool).await?,
    ));
    let mut out: HashMap<Key, i64> = HashMap::new();
    for c in cells {
        let attrs = Attrs {
            district_code: c.district_code,
            industry: c.industry,
            occupation_major: c.occupation_major,
            employment_status: c.employment_status,
            chains: Vec::new(),
        };
        // Every dimension but chain, which the second statement counts.
        for k in attrs.keys(c.top_level).into_iter().filter(|k| k.0 != "chain") {
            *out.entry(k).or_default() += c.n;
        }
    }
    for c in chains {
        *out.entry(("chain", c.chain, c.top_level, c.employment_status.unwrap_or_default())).or_default() += c.n;
    }
    Ok(out)
}

/// Persons whose stored state is not the one their records give as of `as_of`, read a chunk
/// of ids at a time in one read transaction (one snapshot).
async fn stale_persons(db: &Db, as_of: Date) -> Result<i64, StoreError> {
    let mut stale = 0i64;
    let mut after = 0i64;
    macro_rules! pass {
        ($tx:ident, $wrap:expr) => {
            loop {
                let last: Option<i64> = sqlx::query_scalar(
                    "SELECT MAX(id) FROM (SELECT id FROM persons WHERE id > $1 ORDER BY id LIMIT $2) x",
                )
                .bind(after)
                .bind(REBUILD_CHUNK)
                .fetch_one(&mut *$tx)
                .await?;
                // States whose person is gone, above the last person.
                let last_or_end = last.unwrap_or(i64::MAX);
                let sel = Sel::Range(after + 1, last_or_end);
                let mut c = $wrap(&mut *$tx);
                let stored = States::stored(&mut c, sel).await?;
                let expected = States::from_records(&mut c, sel, as_of).await?;
                stale += expected.0.iter().filter(|(id, s)| stored.0.get(id) != Some(s)).count() as i64;
                stale += stored.0.keys().filter(|id| !expected.0.contains_key(id)).count() as i64;
                match last {
                    Some(l) => after = l,
                    None => break,
                }
            }
        };
    }
    match db {
        Db::Sqlite { read, .. } => {
            let mut tx = read.begin().await?;
            pass!(tx, Conn::Sqlite);
            tx.commit().await?;
        }
        Db::Postgres(pool) => {
            let mut tx = pool.begin().await?;
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY").execute(&mut *tx).await?;
            pass!(tx, Conn::Postgres);
            tx.commit().await?;
        }
    }
    Ok(stale)
}

/// Recounts from the raw records as of the clock's date and compares with the maintained
/// counts, key by key, and every person's stored state with their records
/// (`gongjiang kpi recount --check`). Reads only.
pub async fn check(db: &Db) -> Result<Check, StoreError> {
    let as_of = clock(db).await?;
    let recounted = recount(db, as_of).await?;
    let stored: Vec<Stored> = on_pool!(db, pool => sqlx::query_as(
        "SELECT dimension, grp, top_level, employment_status, persons FROM kpi_counts",
    ).fetch_all(pool).await?);
    let stale_persons = stale_persons(db, as_of).await?;
    let mut both: BTreeMap<(String, String, i16, String), (i64, i64)> = BTreeMap::new();
    for ((d, g, t, s), n) in recounted {
        both.entry((d.to_string(), g, t, s)).or_default().1 += n;
    }
    for s in stored {
        both.entry((s.dimension, s.grp, s.top_level, s.employment_status)).or_default().0 += s.persons;
    }
    let differences = both
        .into_iter()
        .filter(|(_, (a, b))| a != b)
        .map(|((dimension, grp, top_level, employment_status), (stored, recounted))| Difference {
            dimension,
            grp,
            top_level,
            employment_status,
            stored,
            recounted,
        })
        .collect();
    Ok(Check { as_of, differences, stale_persons })
}
