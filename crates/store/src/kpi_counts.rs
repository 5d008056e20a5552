//! Today's KPI counts, maintained on every write (migration 0003, docs/ARCHITECTURE.md).
//!
//! `kpi_person_state` holds, per person, what the KPIs group and count by, as of the date in
//! `kpi_clock`; `kpi_counts` holds the number of persons per (dimension, group, highest level,
//! employment status) for the dimensions city, district, industry and occupation. Every store
//! write that can change a person's state (persons upsert, organisation industry change, level
//! record and revoke) calls [`refresh_persons`] in its own transaction: the affected persons'
//! state is recomputed from the raw records and the difference applied to the counts.
//!
//! Dates: a level obtained after the clock's date, or revoked after it, changes a person's
//! state later. The state keeps the next such date (`next_change_on`); [`advance`] moves the
//! clock to a later day and recomputes only the persons whose date has come. A clock ahead of
//! the asked day (a test's fixed date) is not moved back: [`today`] answers `None` and the
//! caller scans.
//!
//! The employment status is kept as it is (not as an employed flag) so that the policy's list
//! of employed statuses stays out of the store and a policy change needs no rebuild.

use std::collections::{BTreeMap, HashMap};

use gongjiang_domain::kpi::Grouping;
use serde::Serialize;
use sqlx::{PgConnection, SqliteConnection};
use time::Date;

use crate::kpi::GroupCounts;
use crate::{Db, StoreError, on_pool, on_writer};

/// A connection inside a write transaction, whichever backend it is.
pub(crate) enum Conn<'a> {
    Sqlite(&'a mut SqliteConnection),
    Postgres(&'a mut PgConnection),
}

/// Borrows the connection of a transaction as a [`Conn`].
pub(crate) trait AsConn {
    fn conn(&mut self) -> Conn<'_>;
}

impl AsConn for sqlx::Transaction<'_, sqlx::Sqlite> {
    fn conn(&mut self) -> Conn<'_> {
        Conn::Sqlite(self)
    }
}

impl AsConn for sqlx::Transaction<'_, sqlx::Postgres> {
    fn conn(&mut self) -> Conn<'_> {
        Conn::Postgres(self)
    }
}

macro_rules! on_conn {
    ($c:expr, $conn:ident => $body:expr) => {
        match $c {
            Conn::Sqlite($conn) => $body,
            Conn::Postgres($conn) => $body,
        }
    };
}

const DIMENSIONS: [&str; 4] = ["city", "district", "industry", "occupation"];

/// (dimension, group, highest level, employment status); '' = missing.
type Key = (&'static str, String, i16, String);

/// A person's state as the counts see it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
struct State {
    district_code: Option<String>,
    industry: Option<String>,
    occupation_major: Option<String>,
    employment_status: Option<String>,
    top_level: i16,
}

impl State {
    fn keys(&self) -> [Key; 4] {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        let status = s(&self.employment_status);
        let top = self.top_level;
        [
            (DIMENSIONS[0], String::new(), top, status.clone()),
            (DIMENSIONS[1], s(&self.district_code), top, status.clone()),
            (DIMENSIONS[2], s(&self.industry), top, status.clone()),
            (DIMENSIONS[3], s(&self.occupation_major), top, status),
        ]
    }
}

/// The state of persons computed from the raw records as of `$1`, optionally restricted to
/// the person ids in the JSON array `$2` (the filter appears twice: outside and inside the
/// level aggregate, which the planners do not push a join predicate into).
macro_rules! state_select {
    ($levels_filter:literal, $persons_filter:literal) => {
        concat!(
            "SELECT p.id AS person_id, p.district_code, o.industry, SUBSTR(p.occupation_code, 1, 1) AS occupation_major, \
             p.employment_status, CAST(COALESCE(m.top, 0) AS SMALLINT) AS top_level, m.next AS next_change_on \
             FROM persons p LEFT JOIN organisations o ON o.id = p.employer_id \
             LEFT JOIN (SELECT person_id, \
                 MAX(CASE WHEN obtained_on <= $1 AND (revoked_on IS NULL OR revoked_on > $1) THEN level END) AS top, \
                 MIN(CASE WHEN obtained_on > $1 THEN obtained_on WHEN revoked_on > $1 THEN revoked_on END) AS next \
                 FROM skill_levels ",
            $levels_filter,
            " GROUP BY person_id) m ON m.person_id = p.id ",
            $persons_filter
        )
    };
}

macro_rules! insert_state {
    ($select:expr) => {
        concat!(
            "INSERT INTO kpi_person_state (person_id, district_code, industry, occupation_major, employment_status, \
             top_level, next_change_on) ",
            $select
        )
    };
}

const INSERT_STATE_SQLITE: &str = insert_state!(state_select!(
    "WHERE person_id IN (SELECT value FROM json_each($2))",
    "WHERE p.id IN (SELECT value FROM json_each($2))"
));
const INSERT_STATE_POSTGRES: &str = insert_state!(state_select!(
    "WHERE person_id IN (SELECT jsonb_array_elements_text($2::text::jsonb)::bigint)",
    "WHERE p.id IN (SELECT jsonb_array_elements_text($2::text::jsonb)::bigint)"
));
const INSERT_STATE_ALL: &str = insert_state!(state_select!("", ""));
const SELECT_STATE_SQLITE: &str = "SELECT district_code, industry, occupation_major, employment_status, top_level \
     FROM kpi_person_state WHERE person_id IN (SELECT value FROM json_each($1))";
const SELECT_STATE_POSTGRES: &str = "SELECT district_code, industry, occupation_major, employment_status, top_level \
     FROM kpi_person_state WHERE person_id IN (SELECT jsonb_array_elements_text($1::text::jsonb)::bigint)";
const DELETE_STATE_SQLITE: &str = "DELETE FROM kpi_person_state WHERE person_id IN (SELECT value FROM json_each($1))";
const DELETE_STATE_POSTGRES: &str = "DELETE FROM kpi_person_state \
     WHERE person_id IN (SELECT jsonb_array_elements_text($1::text::jsonb)::bigint)";
const APPLY_SQLITE: &str = "INSERT INTO kpi_counts (dimension, grp, top_level, employment_status, persons) \
     SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4 FROM json_each($1) WHERE true \
     ON CONFLICT (dimension, grp, top_level, employment_status) DO UPDATE SET persons = kpi_counts.persons + excluded.persons";
const APPLY_POSTGRES: &str = "INSERT INTO kpi_counts (dimension, grp, top_level, employment_status, persons) \
     SELECT r ->> 0, r ->> 1, (r ->> 2)::smallint, r ->> 3, (r ->> 4)::bigint FROM jsonb_array_elements($1::text::jsonb) r \
     ON CONFLICT (dimension, grp, top_level, employment_status) DO UPDATE SET persons = kpi_counts.persons + excluded.persons";
/// Reads the clock and, on PostgreSQL, locks its row until the transaction ends, so that
/// concurrent writers maintain the counts one after the other.
const LOCK_CLOCK: &str = "UPDATE kpi_clock SET as_of = as_of WHERE id = 1 RETURNING as_of";
const COUNTS_FROM_STATE: &str = "INSERT INTO kpi_counts (dimension, grp, top_level, employment_status, persons) \
     SELECT 'city', '', top_level, COALESCE(employment_status, ''), COUNT(*) FROM kpi_person_state GROUP BY 3, 4 \
     UNION ALL SELECT 'district', COALESCE(district_code, ''), top_level, COALESCE(employment_status, ''), COUNT(*) \
     FROM kpi_person_state GROUP BY 2, 3, 4 \
     UNION ALL SELECT 'industry', COALESCE(industry, ''), top_level, COALESCE(employment_status, ''), COUNT(*) \
     FROM kpi_person_state GROUP BY 2, 3, 4 \
     UNION ALL SELECT 'occupation', COALESCE(occupation_major, ''), top_level, COALESCE(employment_status, ''), COUNT(*) \
     FROM kpi_person_state GROUP BY 2, 3, 4";

/// Recomputes the state of `person_ids` (as of the clock's date) and applies the difference to
/// the counts. Called by every store write that can change a person's KPI state, inside its
/// transaction. Ids may repeat; unknown ids are ignored.
pub(crate) async fn refresh_persons(mut c: Conn<'_>, person_ids: &[i64]) -> Result<(), StoreError> {
    if person_ids.is_empty() {
        return Ok(());
    }
    let as_of: Date = on_conn!(&mut c, conn => sqlx::query_scalar(LOCK_CLOCK).fetch_one(&mut **conn).await?);
    recompute(&mut c, person_ids, as_of).await
}

async fn recompute(c: &mut Conn<'_>, person_ids: &[i64], as_of: Date) -> Result<(), StoreError> {
    let mut ids = person_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let json = serde_json::to_string(&ids).unwrap_or_default();
    let mut delta: BTreeMap<Key, i64> = BTreeMap::new();
    let (old, new) = match c {
        Conn::Sqlite(conn) => {
            let old: Vec<State> = sqlx::query_as(SELECT_STATE_SQLITE).bind(&json).fetch_all(&mut **conn).await?;
            sqlx::query(DELETE_STATE_SQLITE).bind(&json).execute(&mut **conn).await?;
            sqlx::query(INSERT_STATE_SQLITE).bind(as_of).bind(&json).execute(&mut **conn).await?;
            let new: Vec<State> = sqlx::query_as(SELECT_STATE_SQLITE).bind(&json).fetch_all(&mut **conn).await?;
            (old, new)
        }
        Conn::Postgres(conn) => {
            let old: Vec<State> = sqlx::query_as(SELECT_STATE_POSTGRES).bind(&json).fetch_all(&mut **conn).await?;
            sqlx::query(DELETE_STATE_POSTGRES).bind(&json).execute(&mut **conn).await?;
            sqlx::query(INSERT_STATE_POSTGRES).bind(as_of).bind(&json).execute(&mut **conn).await?;
            let new: Vec<State> = sqlx::query_as(SELECT_STATE_POSTGRES).bind(&json).fetch_all(&mut **conn).await?;
            (old, new)
        }
    };
    for s in &old {
        for k in s.keys() {
            *delta.entry(k).or_default() -= 1;
        }
    }
    for s in &new {
        for k in s.keys() {
            *delta.entry(k).or_default() += 1;
        }
    }
    // Keys in order, so that concurrent PostgreSQL writers lock count rows in the same order.
    let changes: Vec<_> = delta.into_iter().filter(|(_, d)| *d != 0).map(|((a, b, c, d), n)| (a, b, c, d, n)).collect();
    if changes.is_empty() {
        return Ok(());
    }
    let json = serde_json::to_string(&changes).unwrap_or_default();
    match c {
        Conn::Sqlite(conn) => {
            sqlx::query(APPLY_SQLITE).bind(&json).execute(&mut **conn).await?;
            sqlx::query("DELETE FROM kpi_counts WHERE persons = 0").execute(&mut **conn).await?;
        }
        Conn::Postgres(conn) => {
            sqlx::query(APPLY_POSTGRES).bind(&json).execute(&mut **conn).await?;
            sqlx::query("DELETE FROM kpi_counts WHERE persons = 0").execute(&mut **conn).await?;
        }
    }
    Ok(())
}

/// The date the state and the counts describe.
pub async fn clock(db: &Db) -> Result<Date, StoreError> {
    Ok(on_pool!(db, pool => sqlx::query_scalar("SELECT as_of FROM kpi_clock WHERE id = 1").fetch_one(pool).await?))
}

/// Moves the clock forward to `to`, recomputing only the persons whose state changes by then
/// (a level obtained or revoked after the old date, on or before `to`). `false` when the clock
/// is already past `to`: it never moves back.
pub async fn advance(db: &Db, to: Date) -> Result<bool, StoreError> {
    on_writer!(db, pool => {
        let mut tx = pool.begin().await?;
        let as_of: Date = sqlx::query_scalar(LOCK_CLOCK).fetch_one(&mut *tx).await?;
        if as_of >= to {
            tx.commit().await?;
            return Ok(as_of == to);
        }
        let due: Vec<i64> = sqlx::query_scalar("SELECT person_id FROM kpi_person_state WHERE next_change_on <= $1")
            .bind(to).fetch_all(&mut *tx).await?;
        recompute(&mut tx.conn(), &due, to).await?;
        sqlx::query("UPDATE kpi_clock SET as_of = $1 WHERE id = 1").bind(to).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(true)
    })
}

macro_rules! today_sql {
    ($group:literal, $dimension:literal) => {
        concat!(
            "SELECT ",
            $group,
            " AS grp, NULLIF(employment_status, '') AS employment_status, CAST(SUM(persons) AS BIGINT) AS persons, \
             CAST(SUM(CASE WHEN top_level >= $1 THEN persons ELSE 0 END) AS BIGINT) AS skilled, \
             CAST(SUM(CASE WHEN top_level >= $2 THEN persons ELSE 0 END) AS BIGINT) AS high_skilled \
             FROM kpi_counts WHERE dimension = '",
            $dimension,
            "' GROUP BY 1, 2 ORDER BY 1, 2"
        )
    };
}

const TODAY_CITY: &str = today_sql!("CAST(NULL AS TEXT)", "city");
const TODAY_DISTRICT: &str = today_sql!("NULLIF(grp, '')", "district");
const TODAY_INDUSTRY: &str = today_sql!("NULLIF(grp, '')", "industry");
const TODAY_OCCUPATION: &str = today_sql!("NULLIF(grp, '')", "occupation");
const TODAY_LEVEL: &str = today_sql!("CASE WHEN top_level = 0 THEN NULL ELSE CAST(top_level AS TEXT) END", "city");

/// The same figures as [`crate::kpi::counts`] for `today`, from the maintained counts: a few
/// hundred rows summed instead of a scan. Moves the clock forward to `today` first when it is
/// behind (the persons whose levels start or end in between are recomputed). `None` when the
/// clock is past `today`; the caller then scans.
pub async fn today(
    db: &Db,
    by: Grouping,
    today: Date,
    skilled_from: u8,
    high_skilled_from: u8,
) -> Result<Option<Vec<GroupCounts>>, StoreError> {
    let as_of = clock(db).await?;
    if as_of > today || (as_of < today && !advance(db, today).await?) {
        return Ok(None);
    }
    let sql = match by {
        Grouping::City => TODAY_CITY,
        Grouping::District => TODAY_DISTRICT,
        Grouping::Industry => TODAY_INDUSTRY,
        Grouping::Occupation => TODAY_OCCUPATION,
        Grouping::Level => TODAY_LEVEL,
    };
    let (s, h) = (i16::from(skilled_from), i16::from(high_skilled_from));
    Ok(Some(on_pool!(db, pool => sqlx::query_as(sql).bind(s).bind(h).fetch_all(pool).await?)))
}

/// What a rebuild wrote.
#[derive(Debug, Clone, Serialize)]
pub struct Rebuilt {
    pub as_of: Date,
    pub persons: i64,
    pub count_rows: i64,
}

/// Rebuilds the state and the counts from the raw records as of `as_of`, and sets the clock
/// to it (`gongjiang kpi recount`).
pub async fn rebuild(db: &Db, as_of: Date) -> Result<Rebuilt, StoreError> {
    on_writer!(db, pool => {
        let mut tx = pool.begin().await?;
        sqlx::query_scalar::<_, Date>(LOCK_CLOCK).fetch_one(&mut *tx).await?;
        sqlx::query("DELETE FROM kpi_counts").execute(&mut *tx).await?;
        sqlx::query("DELETE FROM kpi_person_state").execute(&mut *tx).await?;
        let persons = sqlx::query(INSERT_STATE_ALL).bind(as_of).execute(&mut *tx).await?.rows_affected();
        let count_rows = sqlx::query(COUNTS_FROM_STATE).execute(&mut *tx).await?.rows_affected();
        sqlx::query("UPDATE kpi_clock SET as_of = $1 WHERE id = 1").bind(as_of).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(Rebuilt { as_of, persons: persons as i64, count_rows: count_rows as i64 })
    })
}

/// One count that differs from a recount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    pub dimension: String,
    /// The group's code; '' = attribute missing.
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
    /// Persons whose stored state differs from their records (or who have none).
    pub stale_persons: i64,
}

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
struct Stored {
    dimension: String,
    grp: String,
    top_level: i16,
    employment_status: String,
    persons: i64,
}

const RECOUNT: &str = concat!(
    "SELECT district_code, industry, occupation_major, employment_status, top_level, COUNT(*) AS n FROM (",
    state_select!("", ""),
    ") x GROUP BY 1, 2, 3, 4, 5"
);
const STALE: &str = concat!(
    "SELECT COUNT(*) FROM (",
    state_select!("", ""),
    ") x LEFT JOIN kpi_person_state s ON s.person_id = x.person_id WHERE s.person_id IS NULL \
     OR s.top_level <> x.top_level OR s.district_code IS DISTINCT FROM x.district_code \
     OR s.industry IS DISTINCT FROM x.industry OR s.occupation_major IS DISTINCT FROM x.occupation_major \
     OR s.employment_status IS DISTINCT FROM x.employment_status OR s.next_change_on IS DISTINCT FROM x.next_change_on"
);

/// Recounts from the raw records as of the clock's date and compares with the maintained
/// counts, key by key (`gongjiang kpi recount --check`). Reads only.
pub async fn check(db: &Db) -> Result<Check, StoreError> {
    let as_of = clock(db).await?;
    let (cells, stored, stale): (Vec<Cell>, Vec<Stored>, i64) = on_pool!(db, pool => {
        let cells = sqlx::query_as(RECOUNT).bind(as_of).fetch_all(pool).await?;
        let stored = sqlx::query_as(
            "SELECT dimension, grp, top_level, employment_status, persons FROM kpi_counts",
        ).fetch_all(pool).await?;
        let stale = sqlx::query_scalar(STALE).bind(as_of).fetch_one(pool).await?;
        (cells, stored, stale)
    });
    let mut recounted: HashMap<Key, i64> = HashMap::new();
    for c in cells {
        let state = State {
            district_code: c.district_code,
            industry: c.industry,
            occupation_major: c.occupation_major,
            employment_status: c.employment_status,
            top_level: c.top_level,
        };
        for k in state.keys() {
            *recounted.entry(k).or_default() += c.n;
        }
    }
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
    Ok(Check { as_of, differences, stale_persons: stale })
}
