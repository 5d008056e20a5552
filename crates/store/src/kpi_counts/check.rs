//! `gongjiang kpi recount --check`: the maintained counts (KPI and holders) against a recount
//! from the raw records, key by key; each stored person state against the one its records give;
//! the dated changes against those the records give; and the counts on a few past days, served
//! from the changes, against a scan of the records as of those days.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use time::Date;

use super::clock;
use super::history::cells_on;
use super::holders::{holders_on, holders_today};
use super::refresh::REBUILD_CHUNK;
use super::state::{Attrs, Deltas, Key, Sel, States};
use crate::conn::AsConn;
use crate::demand::{GapGrouping, HolderCount, holders_scan};
use crate::dialect::read_snapshot;
use crate::supply::HolderFilter;
use crate::{Db, StoreError, on_pool};

/// The dimensions maintained.
const DIMENSIONS: [&str; 5] = ["city", "district", "industry", "occupation", "chain"];

/// One count that differs from a recount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// What differs: `kpi_counts` (today's counts), `kpi_count_changes` (one dated change),
    /// `history` (the counts on a past day served from the changes, against a scan),
    /// `holder_counts`, `holder_count_changes` or `holder_history` (the same for holders).
    pub table: &'static str,
    /// By table: a KPI dimension; for holders `city`, `district` or `chain`.
    pub dimension: String,
    /// The group's code; '' = attribute missing (by chain: in no chain).
    pub grp: String,
    /// Highest valid level; 0 = none.
    pub top_level: i16,
    /// '' = not recorded (and for holders).
    pub employment_status: String,
    /// Holders: the occupation ('' for the KPI tables).
    pub occupation_code: String,
    /// `kpi_count_changes`: the period (0 = the start, a year, or year × 100 + month);
    /// `holder_count_changes`: the year.
    pub period: Option<i32>,
    /// `history`: the day.
    pub on: Option<Date>,
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
    /// The past days whose counts were compared with a scan.
    pub days: Vec<Date>,
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

/// Persons whose stored state is not the one their records give as of `as_of`, and the dated
/// changes the records give, read a chunk of ids at a time in one read transaction (one
/// snapshot).
async fn walk(db: &Db, as_of: Date) -> Result<(i64, Deltas), StoreError> {
    let mut stale = 0i64;
    let mut after = 0i64;
    let mut expected_changes = Deltas::default();
    macro_rules! pass {
        ($tx:ident) => {
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
                let mut c = $tx.conn();
                let stored = States::stored(&mut c, sel).await?;
                let expected = States::from_records(&mut c, sel, as_of).await?;
                stale += expected.0.iter().filter(|(id, s)| stored.0.get(id) != Some(s)).count() as i64;
                stale += stored.0.keys().filter(|id| !expected.0.contains_key(id)).count() as i64;
                expected.add_to(&mut expected_changes, as_of, 1);
                match last {
                    Some(l) => after = l,
                    None => break,
                }
            }
        };
    }
    let snapshot = read_snapshot(db.backend());
    on_pool!(db, pool => {
        let mut tx = pool.begin().await?;
        if let Some(snapshot) = snapshot {
            sqlx::query(snapshot).execute(&mut *tx).await?;
        }
        pass!(tx);
        tx.commit().await?;
    });
    Ok((stale, expected_changes))
}

/// [`check_at`] with no past day: today's counts and the stored changes only.
pub async fn check(db: &Db) -> Result<Check, StoreError> {
    check_at(db, &[]).await
}

/// Recounts from the raw records as of the clock's date and compares with the maintained
/// counts, key by key; compares every person's stored state with their records, and the stored
/// dated changes with those the records give; and the counts on each of `days`, served from the
/// changes, with a scan as of that day (`gongjiang kpi recount --check`). Reads only.
pub async fn check_at(db: &Db, days: &[Date]) -> Result<Check, StoreError> {
    let as_of = clock(db).await?;
    let mut differences = Vec::new();

    let recounted = recount(db, as_of).await?;
    let stored: Vec<Stored> = on_pool!(db, pool => sqlx::query_as(
        "SELECT dimension, grp, top_level, employment_status, persons FROM kpi_counts",
    ).fetch_all(pool).await?);
    let stored = stored.into_iter().map(|s| ((s.dimension, s.grp, s.top_level, s.employment_status), s.persons));
    for ((dimension, grp, top_level, employment_status), (stored, recounted)) in
        pair(stored, recounted.into_iter().map(owned))
    {
        differences.push(Difference {
            table: "kpi_counts",
            dimension,
            grp,
            top_level,
            employment_status,
            occupation_code: String::new(),
            period: None,
            on: None,
            stored,
            recounted,
        });
    }

    let (stale_persons, expected) = walk(db, as_of).await?;
    let expected_holder_changes = expected.holder_changes;
    let expected = expected.changes;
    let stored: Vec<StoredChange> = on_pool!(db, pool => sqlx::query_as(
        "SELECT dimension, period, grp, top_level, employment_status, persons FROM kpi_count_changes",
    ).fetch_all(pool).await?);
    let stored =
        stored.into_iter().map(|s| ((s.dimension, s.period, s.grp, s.top_level, s.employment_status), s.persons));
    for ((dimension, period, grp, top_level, employment_status), (stored, recounted)) in
        pair(stored, expected.into_iter().map(|((d, p, g, t, s), n)| ((d.to_string(), p, g, t, s), n)))
    {
        differences.push(Difference {
            table: "kpi_count_changes",
            dimension,
            grp,
            top_level,
            employment_status,
            occupation_code: String::new(),
            period: Some(period),
            on: None,
            stored,
            recounted,
        });
    }
    let stored: Vec<StoredHolderChange> = on_pool!(db, pool => sqlx::query_as(
        "SELECT dimension, year, occupation_code, grp, top_level, persons FROM holder_count_changes",
    ).fetch_all(pool).await?);
    let stored = stored.into_iter().map(|s| ((s.dimension, s.year, s.occupation_code, s.grp, s.top_level), s.persons));
    let expected = expected_holder_changes.into_iter().map(|((d, y, o, g, t), n)| ((d.to_string(), y, o, g, t), n));
    for ((dimension, year, occupation_code, grp, top_level), (stored, recounted)) in pair(stored, expected) {
        differences.push(Difference {
            table: "holder_count_changes",
            dimension,
            grp,
            top_level,
            employment_status: String::new(),
            occupation_code,
            period: Some(year),
            on: None,
            stored,
            recounted,
        });
    }

    // Holders today and on each day, served against scanned, by each grouping a report uses.
    let all = HolderFilter { demanded_only: false, occupation: None };
    for by in [GapGrouping::City, GapGrouping::District, GapGrouping::Chain] {
        let served = holders_today(db, by, as_of, all).await?.unwrap_or_default();
        let scanned = holders_scan(db, by, as_of, all).await?;
        differences.extend(holder_differences("holder_counts", by, None, served, scanned));
        for &day in days {
            let served = holders_on(db, by, day, all).await?;
            let scanned = holders_scan(db, by, day, all).await?;
            differences.extend(holder_differences("holder_history", by, Some(day), served, scanned));
        }
    }

    for &day in days {
        let scanned = recount(db, day).await?;
        let mut served: Vec<((String, String, i16, String), i64)> = Vec::new();
        for dim in DIMENSIONS {
            for ((grp, level, status), n) in cells_on(db, dim, day).await? {
                served.push(((dim.to_string(), grp, level, status), n));
            }
        }
        for ((dimension, grp, top_level, employment_status), (stored, recounted)) in
            pair(served, scanned.into_iter().map(owned))
        {
            differences.push(Difference {
                table: "history",
                dimension,
                grp,
                top_level,
                employment_status,
                occupation_code: String::new(),
                period: None,
                on: Some(day),
                stored,
                recounted,
            });
        }
    }
    Ok(Check { as_of, differences, stale_persons, days: days.to_vec() })
}

fn holder_differences(
    table: &'static str,
    by: GapGrouping,
    on: Option<Date>,
    served: Vec<HolderCount>,
    scanned: Vec<HolderCount>,
) -> Vec<Difference> {
    let keyed = |rows: Vec<HolderCount>| rows.into_iter().map(|h| ((h.occupation_code, h.grp, h.level), h.holders));
    let dimension = match by {
        GapGrouping::City => "city",
        GapGrouping::District => "district",
        GapGrouping::Chain => "chain",
    };
    pair(keyed(served), keyed(scanned))
        .into_iter()
        .map(|((occupation_code, grp, top_level), (stored, recounted))| Difference {
            table,
            dimension: dimension.to_string(),
            grp,
            top_level,
            employment_status: String::new(),
            occupation_code,
            period: None,
            on,
            stored,
            recounted,
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct StoredHolderChange {
    dimension: String,
    year: i32,
    occupation_code: String,
    grp: String,
    top_level: i16,
    persons: i64,
}

#[derive(sqlx::FromRow)]
struct StoredChange {
    dimension: String,
    period: i32,
    grp: String,
    top_level: i16,
    employment_status: String,
    persons: i64,
}

/// The keys whose stored and recounted values differ (a missing key counts 0), in key order.
fn pair<K: Ord>(
    stored: impl IntoIterator<Item = (K, i64)>,
    recounted: impl IntoIterator<Item = (K, i64)>,
) -> Vec<(K, (i64, i64))> {
    let mut both: BTreeMap<K, (i64, i64)> = BTreeMap::new();
    for (k, n) in stored {
        both.entry(k).or_default().0 += n;
    }
    for (k, n) in recounted {
        both.entry(k).or_default().1 += n;
    }
    both.into_iter().filter(|(_, (a, b))| a != b).collect()
}

/// A count key with its dimension owned, as read back from a table.
fn owned(((d, g, t, s), n): (Key, i64)) -> ((String, String, i16, String), i64) {
    ((d.to_string(), g, t, s), n)
}
