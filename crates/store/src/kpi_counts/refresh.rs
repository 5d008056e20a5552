//! Keeping the KPI state and counts in step with the writes of a transaction: a write records
//! the persons whose state it may change ([`Touched`], kept by `Tx`), and `Tx::commit`
//! recomputes their state from the raw records and applies the difference to the counts, once
//! per transaction, before committing. Also the two steps the clock's advance and the rebuild
//! share: [`recompute`] and [`apply`].

use sqlx::QueryBuilder;
use time::Date;

use super::state::{Deltas, Sel, States, replace};
use crate::conn::{Conn, on_conn};
use crate::dialect::{Json, PerBackend, json_param, json_rows};
use crate::{KEY_CHUNK, StoreError, push_in_list};

/// Reads the clock and, on PostgreSQL, locks its row until the transaction ends, so that
/// concurrent writers maintain the counts one after the other.
pub(crate) const LOCK_CLOCK: &str = "UPDATE kpi_clock SET as_of = as_of WHERE id = 1 RETURNING as_of";

/// Persons recomputed per statement (by a rebuild, a check, and a refresh of many persons).
pub(crate) const REBUILD_CHUNK: i64 = 50_000;

/// Rows per statement when applying changes (one JSON array each).
const APPLY_CHUNK: usize = 50_000;

/// What a transaction's writes may have changed in the KPI state: persons (new ones, changed
/// attributes, level records and revocations) and organisations whose industry or chains
/// changed (their employees). Recording is a push onto a vector; ids may repeat.
#[derive(Debug, Default)]
pub(crate) struct Touched {
    persons: Vec<i64>,
    employers: Vec<i64>,
}

impl Touched {
    pub fn persons(&mut self, ids: impl IntoIterator<Item = i64>) {
        self.persons.extend(ids);
    }

    pub fn employers(&mut self, ids: impl IntoIterator<Item = i64>) {
        self.employers.extend(ids);
    }

    /// Recomputes the state of every person recorded, and of every employee of an organisation
    /// recorded, and applies the difference to the counts: inside the transaction, before it
    /// commits.
    pub async fn refresh(self, mut c: Conn<'_>) -> Result<(), StoreError> {
        let Touched { mut persons, mut employers } = self;
        if persons.is_empty() && employers.is_empty() {
            return Ok(());
        }
        employers.sort_unstable();
        employers.dedup();
        for part in employers.chunks(KEY_CHUNK) {
            let employees: Vec<i64> = on_conn!(&mut c, conn => {
                let mut qb = QueryBuilder::new("SELECT id FROM persons WHERE employer_id IN ");
                push_in_list(&mut qb, part.iter().copied());
                qb.build_query_scalar::<i64>().fetch_all(&mut **conn).await?
            });
            persons.extend(employees);
        }
        refresh_persons(&mut c, persons).await
    }
}

/// Recomputes the state of `person_ids` (as of the clock's date) and applies the difference to
/// the counts, [`REBUILD_CHUNK`] persons per read. Ids may repeat; unknown ids are ignored.
async fn refresh_persons(c: &mut Conn<'_>, mut ids: Vec<i64>) -> Result<(), StoreError> {
    if ids.is_empty() {
        return Ok(());
    }
    let as_of: Date = on_conn!(&mut *c, conn => sqlx::query_scalar(LOCK_CLOCK).fetch_one(&mut **conn).await?);
    ids.sort_unstable();
    ids.dedup();
    let mut delta = Deltas::default();
    for part in ids.chunks(REBUILD_CHUNK as usize) {
        let json = json_param(part)?;
        recompute(c, Sel::Ids(&json), as_of, as_of, &mut delta).await?;
    }
    apply(c, delta).await
}

/// Replaces the stored state of the selected persons, which describes `old_as_of`, by their
/// state as of `as_of` computed from the raw records, and adds the difference to `delta`.
pub(crate) async fn recompute(
    c: &mut Conn<'_>,
    sel: Sel<'_>,
    old_as_of: Date,
    as_of: Date,
    delta: &mut Deltas,
) -> Result<(), StoreError> {
    let old = States::stored(c, sel).await?;
    let new = States::from_records(c, sel, as_of).await?;
    replace(c, sel, &new).await?;
    old.add_to(delta, old_as_of, -1);
    new.add_to(delta, as_of, 1);
    Ok(())
}

static APPLY: PerBackend<String> = PerBackend::new(|b| {
    format!(
        "INSERT INTO kpi_counts (dimension, grp, top_level, employment_status, persons) {} \
         ON CONFLICT (dimension, grp, top_level, employment_status) \
         DO UPDATE SET persons = kpi_counts.persons + excluded.persons",
        json_rows(b, &[Json::Text, Json::Text, Json::SmallInt, Json::Text, Json::BigInt]).select("")
    )
});
static APPLY_CHANGES: PerBackend<String> = PerBackend::new(|b| {
    format!(
        "INSERT INTO kpi_count_changes (dimension, period, grp, top_level, employment_status, persons) {} \
         ON CONFLICT (dimension, period, grp, top_level, employment_status) \
         DO UPDATE SET persons = kpi_count_changes.persons + excluded.persons",
        json_rows(b, &[Json::Text, Json::Integer, Json::Text, Json::SmallInt, Json::Text, Json::BigInt]).select("")
    )
});
static APPLY_HOLDERS: PerBackend<String> = PerBackend::new(|b| {
    format!(
        "INSERT INTO holder_counts (dimension, occupation_code, grp, top_level, persons) {} \
         ON CONFLICT (dimension, occupation_code, grp, top_level) \
         DO UPDATE SET persons = holder_counts.persons + excluded.persons",
        json_rows(b, &[Json::Text, Json::Text, Json::Text, Json::SmallInt, Json::BigInt]).select("")
    )
});
/// The rows a write brought to zero (of the keys it touched: the table has a row per occupation
/// × level × group, too many to scan on every write).
static DROP_ZERO_HOLDERS: PerBackend<String> = PerBackend::new(|b| {
    format!(
        "DELETE FROM holder_counts WHERE persons = 0 AND (dimension, occupation_code, grp, top_level) IN ({})",
        json_rows(b, &[Json::Text, Json::Text, Json::Text, Json::SmallInt]).select("")
    )
});
static APPLY_HOLDER_CHANGES: PerBackend<String> = PerBackend::new(|b| {
    format!(
        "INSERT INTO holder_count_changes (dimension, year, occupation_code, grp, top_level, persons) {} \
         ON CONFLICT (dimension, year, occupation_code, grp, top_level) \
         DO UPDATE SET persons = holder_count_changes.persons + excluded.persons",
        json_rows(b, &[Json::Text, Json::Integer, Json::Text, Json::Text, Json::SmallInt, Json::BigInt]).select("")
    )
});

/// Adds the non-zero deltas to `kpi_counts` and `holder_counts` (dropping the rows that reach
/// zero) and to the two tables of changes (where a zero row is harmless and stays: finding those
/// would cost a lookup per key).
pub(crate) async fn apply(c: &mut Conn<'_>, delta: Deltas) -> Result<(), StoreError> {
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
    let b = c.backend();
    if !counts.is_empty() {
        let json = json_param(&counts)?;
        on_conn!(c, conn => {
            sqlx::query(APPLY.sql(b)).bind(&json).execute(&mut **conn).await?;
            sqlx::query("DELETE FROM kpi_counts WHERE persons = 0").execute(&mut **conn).await?;
        });
    }
    for part in changes.chunks(APPLY_CHUNK) {
        let json = json_param(part)?;
        on_conn!(c, conn => sqlx::query(APPLY_CHANGES.sql(b)).bind(&json).execute(&mut **conn).await.map(|_| ())?);
    }
    for part in holders.chunks(APPLY_CHUNK) {
        let json = json_param(part)?;
        on_conn!(c, conn => {
            sqlx::query(APPLY_HOLDERS.sql(b)).bind(&json).execute(&mut **conn).await?;
            sqlx::query(DROP_ZERO_HOLDERS.sql(b)).bind(&json).execute(&mut **conn).await?;
        });
    }
    for part in holder_changes.chunks(APPLY_CHUNK) {
        let json = json_param(part)?;
        on_conn!(c, conn => sqlx::query(APPLY_HOLDER_CHANGES.sql(b)).bind(&json).execute(&mut **conn).await.map(|_| ())?);
    }
    Ok(())
}
