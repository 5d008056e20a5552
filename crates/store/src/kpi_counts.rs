//! Today's KPI counts, maintained on every write (migrations 0003 and 0008,
//! docs/ARCHITECTURE.md).
//!
//! `kpi_person_state` holds, per person, what the KPIs group and count by, as of the date in
//! `kpi_clock`; `kpi_counts` holds the number of persons per (dimension, group, highest level,
//! employment status) for the dimensions city, district, industry, occupation and chain. Every
//! store write that can change a person's state (persons upsert and corrections, an
//! organisation's industry or chains, level record and revoke, certificates, appointments)
//! records the persons (or organisations) in its transaction (`Tx`), and `Tx::commit` refreshes
//! them once before committing ([`refresh`]): the affected persons' state is recomputed from the
//! raw records ([`state`]) and the difference applied to the counts.
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
pub(crate) mod refresh;
mod state;

use gongjiang_domain::kpi::Grouping;
use serde::Serialize;
use time::Date;

pub use crate::supply::HolderFilter;
pub use check::{Check, Difference, check, check_at};
pub use history::on;
pub use holders::{holders_on, holders_today};

use crate::conn::AsConn;
use crate::dialect::json_param;
use crate::kpi::GroupCounts;
use crate::{Db, StoreError, on_pool, on_writer};
use refresh::{LOCK_CLOCK, REBUILD_CHUNK, apply, recompute};
use state::{Deltas, Sel};

/// The format of the state and the counts this code maintains (`kpi_clock.state_version`): a
/// database with an older one is rebuilt on connecting ([`rebuild_if_outdated`]).
const STATE_VERSION: i32 = 4;

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
        let json = json_param(&due)?;
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
