//! Today's KPI counts, maintained on every write (migrations 0003 and 0008,
//! docs/ARCHITECTURE.md).
//!
//! `kpi_person_state` holds, per person, what the KPIs group and count by, as of the date in
//! `kpi_clock`; `kpi_counts` holds the number of persons per (dimension, group, highest level,
//! employment status) for the dimensions city, district, industry, occupation and chain. Every
//! store write that can change a person's state (persons upsert, an organisation's industry or
//! chains, level record and revoke) calls [`refresh_persons`] in its own transaction: the
//! affected persons' state is recomputed from the raw records ([`state`]) and the difference
//! applied to the counts.
//!
//! Dates: a level obtained after the clock's date, or revoked after it, changes a person's
//! state later. The state keeps the next such date (`next_change_on`); [`advance`] moves the
//! clock to a later day and recomputes only the persons whose date has come. A clock ahead of
//! the asked day (a test's fixed date) is not moved back: [`today`] answers `None` and the
//! caller computes the figures another way.
//!
//! The employment status is kept as it is (not as an employed flag) so that the policy's list
//! of employed statuses stays out of the store and a policy change needs no rebuild.

mod check;
mod history;
mod holders;
mod state;

use gongjiang_domain::kpi::Grouping;
use serde::Serialize;
use sqlx::{PgConnection, SqliteConnection};
use time::Date;

pub use check::{Check, Difference, check, check_at};
pub use history::on;
pub use holders::{HolderFilter, holders_on, holders_today};

use crate::kpi::GroupCounts;
use crate::{Db, StoreError, on_pool, on_writer};
use state::{Deltas, Sel, States};

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
pub(crate) use on_conn;

/// (dimension, group, highest level, employment status); '' = missing.
pub(crate) type Key = (&'static str, String, i16, String);

/// (dimension, period, group, highest level, employment status): a row of `kpi_count_changes`.
pub(crate) type ChangeKey = (&'static str, i32, String, i16, String);

/// (dimension, occupation, group, highest level in it): a row of `holder_counts`.
pub(crate) type HolderKey = (&'static str, String, String, i16);

/// (dimension, year, occupation, group, highest level in it): a row of `holder_count_changes`.
pub(crate) type HolderChangeKey = (&'static str, i32, String, String, i16);

const APPLY_SQLITE: &str = "INSERT INTO kpi_counts (dimension, grp, top_level, employment_status, persons) \
     SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4 FROM json_each($1) WHERE true \
     ON CONFLICT (dimension, grp, top_level, employment_status) DO UPDATE SET persons = kpi_counts.persons + excluded.persons";
const APPLY_POSTGRES: &str = "INSERT INTO kpi_counts (dimension, grp, top_level, employment_status, persons) \
     SELECT r ->> 0, r ->> 1, (r ->> 2)::smallint, r ->> 3, (r ->> 4)::bigint FROM jsonb_array_elements($1::text::jsonb) r \
     ON CONFLICT (dimension, grp, top_level, employment_status) DO UPDATE SET persons = kpi_counts.persons + excluded.persons";
const APPLY_CHANGES_SQLITE: &str = "INSERT INTO kpi_count_changes (dimension, period, grp, top_level, \
     employment_status, persons) \
     SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5 FROM json_each($1) WHERE true \
     ON CONFLICT (dimension, period, grp, top_level, employment_status) \
     DO UPDATE SET persons = kpi_count_changes.persons + excluded.persons";
const APPLY_CHANGES_POSTGRES: &str = "INSERT INTO kpi_count_changes (dimension, period, grp, top_level, \
     employment_status, persons) \
     SELECT r ->> 0, (r ->> 1)::integer, r ->> 2, (r ->> 3)::smallint, r ->> 4, (r ->> 5)::bigint \
     FROM jsonb_array_elements($1::text::jsonb) r \
     ON CONFLICT (dimension, period, grp, top_level, employment_status) \
     DO UPDATE SET persons = kpi_count_changes.persons + excluded.persons";

const APPLY_HOLDERS_SQLITE: &str = "INSERT INTO holder_counts (dimension, occupation_code, grp, top_level, persons) \
     SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4 FROM json_each($1) WHERE true \
     ON CONFLICT (dimension, occupation_code, grp, top_level) DO UPDATE SET persons = holder_counts.persons + excluded.persons";
const APPLY_HOLDERS_POSTGRES: &str = "INSERT INTO holder_counts (dimension, occupation_code, grp, top_level, persons) \
     SELECT r ->> 0, r ->> 1, r ->> 2, (r ->> 3)::smallint, (r ->> 4)::bigint FROM jsonb_array_elements($1::text::jsonb) r \
     ON CONFLICT (dimension, occupation_code, grp, top_level) DO UPDATE SET persons = holder_counts.persons + excluded.persons";
/// The rows a write brought to zero (of the keys it touched: the table has a row per occupation
/// × level × group, too many to scan on every write).
const DROP_ZERO_HOLDERS_SQLITE: &str = "DELETE FROM holder_counts WHERE persons = 0 \
     AND (dimension, occupation_code, grp, top_level) IN (SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 \
     FROM json_each($1))";
const DROP_ZERO_HOLDERS_POSTGRES: &str = "DELETE FROM holder_counts WHERE persons = 0 \
     AND (dimension, occupation_code, grp, top_level) IN (SELECT r ->> 0, r ->> 1, r ->> 2, (r ->> 3)::smallint \
     FROM jsonb_array_elements($1::text::jsonb) r)";
const APPLY_HOLDER_CHANGES_SQLITE: &str = "INSERT INTO holder_count_changes (dimension, year, occupation_code, grp, \
     top_level, persons) \
     SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5 FROM json_each($1) WHERE true \
     ON CONFLICT (dimension, year, occupation_code, grp, top_level) \
     DO UPDATE SET persons = holder_count_changes.persons + excluded.persons";
const APPLY_HOLDER_CHANGES_POSTGRES: &str = "INSERT INTO holder_count_changes (dimension, year, occupation_code, grp, \
     top_level, persons) \
     SELECT r ->> 0, (r ->> 1)::integer, r ->> 2, r ->> 3, (r ->> 4)::smallint, (r ->> 5)::bigint \
     FROM jsonb_array_elements($1::text::jsonb) r \
     ON CONFLICT (dimension, year, occupation_code, grp, top_level) \
     DO UPDATE SET persons = holder_count_changes.persons + excluded.persons";

/// Rows per statement when applying changes (one JSON array each).
const APPLY_CHUNK: usize = 50_000;
/// Reads the clock and, on PostgreSQL, locks its row until the transaction ends, so that
/// concurrent writers maintain the counts one after the other.
const LOCK_CLOCK: &str = "UPDATE kpi_clock SET as_of = as_of WHERE id = 1 RETURNING as_of";

/// The format of the state and the counts this code maintains (`kpi_clock.state_version`): a
/// database with an older one is rebuilt on connecting ([`rebuild_if_outdated`]).
const STATE_VERSION: i32 = 3;

/// Persons recomputed per statement by a rebuild.
const REBUILD_CHUNK: i64 = 50_000;

/// Recomputes the state of `person_ids` (as of the clock's date) and applies the difference to
/// the counts. Called by every store write that can change a person's KPI state, inside its
/// transaction. Ids may repeat; unknown ids are ignored.
pub(crate) async fn refresh_persons(mut c: Conn<'_>, person_ids: &[i64]) -> Result<(), StoreError> {
    if person_ids.is_empty() {
        return Ok(());
    }
    let as_of: Date = on_conn!(&mut c, conn => sqlx::query_scalar(LOCK_CLOCK).fetch_one(&mut **conn).await?);
    let mut ids = person_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let json = serde_json::to_string(&ids).unwrap_or_default();
    let mut delta = Deltas::default();
    recompute(&mut c, Sel::Ids(&json), as_of, as_of, &mut delta).await?;
    apply(&mut c, delta).await
}

/// Replaces the stored state of the selected persons, which describes `old_as_of`, by their
/// state as of `as_of` computed from the raw records, and adds the difference to `delta`.
async fn recompute(
    c: &mut Conn<'_>,
    sel: Sel<'_>,
    old_as_of: Date,
    as_of: Date,
    delta: &mut Deltas,
) -> Result<(), StoreError> {
    let old = States::stored(c, sel).await?;
    let new = States::from_records(c, sel, as_of).await?;
    state::replace(c, sel, &new).await?;
    old.add_to(delta, old_as_of, -1);
    new.add_to(delta, as_of, 1);
    Ok(())
}

/// Adds the non-zero deltas to `kpi_counts` and `holder_counts` (dropping the rows that reach
/// zero) and to the two tables of changes (where a zero row is harmless and stays: finding those
/// would cost a lookup per key).
async fn apply(c: &mut Conn<'_>, delta: Deltas) -> Result<(), StoreError> {
    // Keys in order (the maps are sorted), so that concurrent PostgreSQL writers lock rows in
    // the same order.
    let counts: Vec<_> =
        delta.counts.into_iter().filter(|(_, d)| *d != 0).map(|((a, b, c, d), n)| (a, b, c, d, n)).collect();
    let changes: Vec<_> =
        delta.changes.into_iter().filter(|(_, d)| *d != 0).map(|((a, b, c, d, e), n)| (a, b, c, d, e, n)).collect();
    let holders: Vec<_> =
        delta.holders.into_iter().filter(|(_, d)| *d != 0).map(|((a, b, c, d), n)| (a, b, c, d, n)).collect();
    let holder_changes: Vec<_> = delta
        .holder_changes
        .into_iter()
        .filter(|(_, d)| *d != 0)
        .map(|((a, b, c, d, e), n)| (a, b, c, d, e, n))
        .collect();
    let sql = match c {
        Conn::Sqlite(_) => [
            APPLY_SQLITE,
            APPLY_CHANGES_SQLITE,
            APPLY_HOLDERS_SQLITE,
            DROP_ZERO_HOLDERS_SQLITE,
            APPLY_HOLDER_CHANGES_SQLITE,
        ],
        Conn::Postgres(_) => [
            APPLY_POSTGRES,
            APPLY_CHANGES_POSTGRES,
            APPLY_HOLDERS_POSTGRES,
            DROP_ZERO_HOLDERS_POSTGRES,
            APPLY_HOLDER_CHANGES_POSTGRES,
        ],
    };
    if !counts.is_empty() {
        let json = serde_json::to_string(&counts).unwrap_or_default();
        on_conn!(c, conn => {
            sqlx::query(sql[0]).bind(&json).execute(&mut **conn).await?;
            sqlx::query("DELETE FROM kpi_counts WHERE persons = 0").execute(&mut **conn).await?;
        });
    }
    for part in changes.chunks(APPLY_CHUNK) {
        let json = serde_json::to_string(part).unwrap_or_default();
        on_conn!(c, conn => sqlx::query(sql[1]).bind(&json).execute(&mut **conn).await.map(|_| ())?);
    }
    for part in holders.chunks(APPLY_CHUNK) {
        let json = serde_json::to_string(part).unwrap_or_default();
        on_conn!(c, conn => {
            sqlx::query(sql[2]).bind(&json).execute(&mut **conn).await?;
            sqlx::query(sql[3]).bind(&json).execute(&mut **conn).await?;
        });
    }
    for part in holder_changes.chunks(APPLY_CHUNK) {
        let json = serde_json::to_string(part).unwrap_or_default();
        on_conn!(c, conn => sqlx::query(sql[4]).bind(&json).execute(&mut **conn).await.map(|_| ())?);
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
        let json = serde_json::to_string(&due).unwrap_or_default();
        let mut delta = Deltas::default();
        recompute(&mut tx.conn(), Sel::Ids(&json), as_of, to, &mut delta).await?;
        apply(&mut tx.conn(), delta).await?;
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
const TODAY_CHAIN: &str = today_sql!("NULLIF(grp, '')", "chain");

/// The same figures as [`crate::kpi::counts`] for `today`, from the maintained counts: a few
/// hundred rows summed instead of a scan. Moves the clock forward to `today` first when it is
/// behind (the persons whose levels start or end in between are recomputed). `None` when the
/// clock is past `today`.
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
        Grouping::Chain => TODAY_CHAIN,
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
/// to it (`gongjiang kpi recount`). One transaction; persons are recomputed a chunk of ids at a
/// time, and the counts and changes written once at the end.
pub async fn rebuild(db: &Db, as_of: Date) -> Result<Rebuilt, StoreError> {
    on_writer!(db, pool => {
        let mut tx = pool.begin().await?;
        sqlx::query_scalar::<_, Date>(LOCK_CLOCK).fetch_one(&mut *tx).await?;
        sqlx::query("DELETE FROM kpi_counts").execute(&mut *tx).await?;
        sqlx::query("DELETE FROM kpi_count_changes").execute(&mut *tx).await?;
        sqlx::query("DELETE FROM holder_counts").execute(&mut *tx).await?;
        sqlx::query("DELETE FROM holder_count_changes").execute(&mut *tx).await?;
        sqlx::query("DELETE FROM kpi_person_state").execute(&mut *tx).await?;
        let mut after = 0i64;
        let mut persons = 0i64;
        let mut delta = Deltas::default();
        loop {
            let last: Option<(i64, i64)> = sqlx::query_as(
                "SELECT CAST(COUNT(*) AS BIGINT), MAX(id) FROM (SELECT id FROM persons WHERE id > $1 ORDER BY id LIMIT $2) x \
                 HAVING COUNT(*) > 0",
            ).bind(after).bind(REBUILD_CHUNK).fetch_optional(&mut *tx).await?;
            let Some((n, last)) = last else { break };
            recompute(&mut tx.conn(), Sel::Range(after + 1, last), as_of, as_of, &mut delta).await?;
            persons += n;
            after = last;
        }
        apply(&mut tx.conn(), delta).await?;
        let count_rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM kpi_counts").fetch_one(&mut *tx).await?;
        sqlx::query("UPDATE kpi_clock SET as_of = $1, state_version = $2 WHERE id = 1")
            .bind(as_of).bind(STATE_VERSION).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(Rebuilt { as_of, persons, count_rows })
    })
}

/// Rebuilds the state and the counts as of the clock's date when they were made by an older
/// version of this code (after a migration that changes what they hold). `None` when they are
/// current.
pub async fn rebuild_if_outdated(db: &Db) -> Result<Option<Rebuilt>, StoreError> {
    let version: i32 = on_pool!(db, pool => sqlx::query_scalar("SELECT state_version FROM kpi_clock WHERE id = 1").fetch_one(pool).await?);
    if version >= STATE_VERSION {
        return Ok(None);
    }
    Ok(Some(rebuild(db, clock(db).await?).await?))
}
