//! Every spelling that differs between SQLite and PostgreSQL, in one place: repositories write
//! one SQL text and take the backend-specific fragments (or the few whole statements that
//! truly differ) from here, so no other file chooses between two statement strings.
//!
//! The main idiom is a JSON array bound as one parameter and read as rows ([`json_rows`]): a
//! batch of rows costs one bound parameter instead of one per value, and one statement per
//! chunk (docs/BENCHMARKS.md). SQLite reads it with `json_each($1)` and `value ->> n` (its
//! column affinities convert the text); PostgreSQL with `jsonb_array_elements($1::text::jsonb)`
//! and `(r ->> n)::type`, so each column says what it holds ([`Json`]).
//!
//! Statements that depend on the backend are built on first use and kept ([`PerBackend`]), so
//! they are `&'static str` like the constant ones and prepared once per connection.

use std::borrow::Cow;
use std::sync::OnceLock;

use serde::Serialize;

use crate::{Backend, StoreError};

/// What one column of a JSON row holds: how PostgreSQL casts the text `->>` yields (SQLite
/// stores it by the column's affinity).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Json {
    Text,
    SmallInt,
    Integer,
    BigInt,
    Bool,
    /// An ISO date (`2024-06-01`).
    Date,
    /// A UUID as 32 hex digits: a BLOB on SQLite, `uuid` on PostgreSQL.
    Uuid,
}

/// A JSON array of arrays bound as `$1`, read as rows: the select list of its columns and the
/// FROM fragment, for one backend. Build statements from it with [`JsonRows::select`],
/// [`JsonRows::select_in_order`] or [`JsonRows::table`].
#[derive(Debug, Clone)]
pub(crate) struct JsonRows {
    backend: Backend,
    /// `value ->> 0`, `value ->> 1`, … or `(r ->> 0)::bigint`, `r ->> 1`, ….
    cols: Vec<String>,
}

/// The rows of the JSON array bound as `$1`, one column per entry of `cols`, cast as they say.
pub(crate) fn json_rows(backend: Backend, cols: &[Json]) -> JsonRows {
    let col = |(i, c): (usize, &Json)| match backend {
        Backend::Sqlite => match c {
            Json::Uuid => format!("unhex(value ->> {i})"),
            _ => format!("value ->> {i}"),
        },
        Backend::Postgres => match c {
            Json::Text => format!("r ->> {i}"),
            Json::SmallInt => format!("(r ->> {i})::smallint"),
            Json::Integer => format!("(r ->> {i})::integer"),
            Json::BigInt => format!("(r ->> {i})::bigint"),
            Json::Bool => format!("(r ->> {i})::boolean"),
            Json::Date => format!("(r ->> {i})::date"),
            Json::Uuid => format!("(r ->> {i})::uuid"),
        },
    };
    JsonRows { backend, cols: cols.iter().enumerate().map(col).collect() }
}

impl JsonRows {
    /// The select list: `value ->> 0, value ->> 1, …` or `(r ->> 0)::bigint, r ->> 1, …`.
    pub fn cols(&self) -> String {
        self.cols.join(", ")
    }

    /// The FROM fragment, rows in no particular order.
    pub fn from(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "json_each($1)",
            Backend::Postgres => "jsonb_array_elements($1::text::jsonb) r",
        }
    }

    /// `SELECT cols[, extra] FROM rows WHERE true`. The `WHERE true` lets an `ON CONFLICT`
    /// follow: SQLite would otherwise read it as a join constraint of the FROM.
    pub fn select(&self, extra: &str) -> String {
        format!("SELECT {}{} FROM {} WHERE true", self.cols(), extra_cols(extra), self.from())
    }

    /// `SELECT cols[, extra] FROM rows ORDER BY` the array's order: an `INSERT … RETURNING id`
    /// from it gives the ids in the order of the rows.
    pub fn select_in_order(&self, extra: &str) -> String {
        let (from, order) = match self.backend {
            Backend::Sqlite => ("json_each($1)", "key"),
            Backend::Postgres => ("jsonb_array_elements($1::text::jsonb) WITH ORDINALITY AS t(r, n)", "n"),
        };
        format!("SELECT {}{} FROM {from} ORDER BY {order}", self.cols(), extra_cols(extra))
    }

    /// A derived table `(SELECT c0 AS names[0], …)` for a FROM list (`UPDATE … FROM`), its
    /// columns named.
    pub fn table(&self, names: &[&str]) -> String {
        let cols: Vec<String> = self.cols.iter().zip(names).map(|(c, n)| format!("{c} AS {n}")).collect();
        let cols = cols.join(", ");
        format!("(SELECT {cols} FROM {})", self.from())
    }
}

fn extra_cols(extra: &str) -> Cow<'_, str> {
    if extra.is_empty() { Cow::Borrowed("") } else { Cow::Owned(format!(", {extra}")) }
}

/// The ids in a JSON array of integers bound as `$1`, as a sub-query for `IN (…)`.
pub(crate) fn json_ids(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "SELECT value FROM json_each($1)",
        Backend::Postgres => "SELECT jsonb_array_elements_text($1::text::jsonb)::bigint",
    }
}

/// Rows to bind as a JSON parameter. Fails rather than binding `""` (which SQL would read as
/// no rows, or reject).
pub(crate) fn json_param<T: Serialize + ?Sized>(rows: &T) -> Result<String, StoreError> {
    serde_json::to_string(rows).map_err(StoreError::JsonParam)
}

/// Appended to a `SELECT` that reads a row the transaction goes on to change depending on what
/// it read: PostgreSQL locks the row until commit, so concurrent writers queue; on SQLite the
/// write transaction (`BEGIN IMMEDIATE` on the single writer) holds the database already.
/// Whether text compares by its bytes (SQLite's default BINARY collation), so a prefix is a
/// range an index serves. PostgreSQL's may follow the database's locale, where it is not.
pub(crate) fn bytewise_text_order(backend: Backend) -> bool {
    backend == Backend::Sqlite
}

pub(crate) fn for_update(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "",
        Backend::Postgres => " FOR UPDATE",
    }
}

/// The statement that makes a read transaction one consistent, read-only snapshot, where the
/// backend needs one (SQLite's read transaction is a snapshot already).
pub(crate) fn read_snapshot(backend: Backend) -> Option<&'static str> {
    match backend {
        Backend::Sqlite => None,
        Backend::Postgres => Some("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"),
    }
}

/// The statement that serialises the account-changing transactions (a transaction-scoped
/// advisory lock), where the backend needs one (SQLite's write transactions are serial).
pub(crate) fn account_changes_lock(backend: Backend) -> Option<&'static str> {
    match backend {
        Backend::Sqlite => None,
        Backend::Postgres => Some("SELECT pg_advisory_xact_lock(5005001)"),
    }
}

/// Stored values per key id: `(key id, ciphertexts, lookup hashes)`. Ciphertexts read
/// `v1:KEY:…`, lookup hashes `KEY:…`; SQLite has no `split_part`.
pub(crate) fn values_per_key(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => {
            "SELECT k, SUM(c), SUM(l) FROM ( \
             SELECT substr(id_cipher, 4, instr(substr(id_cipher, 4), ':') - 1) AS k, 1 AS c, 0 AS l FROM persons \
             WHERE id_cipher IS NOT NULL \
             UNION ALL SELECT substr(id_lookup, 1, instr(id_lookup, ':') - 1), 0, 1 FROM persons \
             WHERE id_lookup IS NOT NULL \
             UNION ALL SELECT substr(proposed_cipher, 4, instr(substr(proposed_cipher, 4), ':') - 1), 1, 0 \
             FROM correction_requests) AS v GROUP BY k ORDER BY k"
        }
        Backend::Postgres => {
            "SELECT k, SUM(c)::bigint, SUM(l)::bigint FROM ( \
             SELECT split_part(id_cipher, ':', 2) AS k, 1 AS c, 0 AS l FROM persons WHERE id_cipher IS NOT NULL \
             UNION ALL SELECT split_part(id_lookup, ':', 1), 0, 1 FROM persons WHERE id_lookup IS NOT NULL \
             UNION ALL SELECT split_part(proposed_cipher, ':', 2), 1, 0 FROM correction_requests) AS v \
             GROUP BY k ORDER BY k"
        }
    }
}

/// A scope term as the backend plans it best. PostgreSQL turns `x IN (SELECT …)` inside an `OR`
/// into a hashed sub-plan that no index can serve, so a small scope (an enterprise's dozen
/// employees) walked the whole primary key (99 ms at 200,000 persons, linear in the registry);
/// written `x = ANY(ARRAY(SELECT …))` the sub-query runs once, as an init-plan, and the `OR`
/// becomes a bitmap OR of indexes (0.2 ms). SQLite plans the `IN` form as a multi-index OR
/// already.
pub(crate) fn in_subquery(backend: Backend, term: &str) -> Cow<'_, str> {
    const SUBQUERY: &str = " IN (SELECT ";
    if backend == Backend::Postgres && term.contains(SUBQUERY) {
        Cow::Owned(format!("{})", term.replacen(SUBQUERY, " = ANY(ARRAY(SELECT ", 1)))
    } else {
        Cow::Borrowed(term)
    }
}

/// A value built once per backend on first use, e.g. a statement from [`json_rows`]:
/// `static S: PerBackend<String> = PerBackend::new(|b| …); sqlx::query(S.sql(backend))`.
pub(crate) struct PerBackend<T: 'static> {
    build: fn(Backend) -> T,
    sqlite: OnceLock<T>,
    postgres: OnceLock<T>,
}

impl<T> PerBackend<T> {
    pub const fn new(build: fn(Backend) -> T) -> PerBackend<T> {
        PerBackend { build, sqlite: OnceLock::new(), postgres: OnceLock::new() }
    }

    pub fn get(&'static self, backend: Backend) -> &'static T {
        let cell = match backend {
            Backend::Sqlite => &self.sqlite,
            Backend::Postgres => &self.postgres,
        };
        cell.get_or_init(|| (self.build)(backend))
    }
}

impl PerBackend<String> {
    /// The statement for `backend`.
    pub fn sql(&'static self, backend: Backend) -> &'static str {
        self.get(backend).as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_rows_spell_both_backends() {
        let cols = [Json::BigInt, Json::Text, Json::Date];
        let s = json_rows(Backend::Sqlite, &cols);
        assert_eq!(s.select(""), "SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each($1) WHERE true");
        let p = json_rows(Backend::Postgres, &cols);
        assert_eq!(
            p.select("$2"),
            "SELECT (r ->> 0)::bigint, r ->> 1, (r ->> 2)::date, $2 FROM jsonb_array_elements($1::text::jsonb) r WHERE true"
        );
        assert_eq!(
            p.select_in_order(""),
            "SELECT (r ->> 0)::bigint, r ->> 1, (r ->> 2)::date \
             FROM jsonb_array_elements($1::text::jsonb) WITH ORDINALITY AS t(r, n) ORDER BY n"
        );
        assert_eq!(
            s.table(&["id", "a", "b"]),
            "(SELECT value ->> 0 AS id, value ->> 1 AS a, value ->> 2 AS b FROM json_each($1))"
        );
        assert_eq!(json_rows(Backend::Sqlite, &[Json::Uuid]).cols(), "unhex(value ->> 0)");
    }

    /// The rule of this module: no other file of the store spells a backend-specific fragment.
    #[test]
    fn backend_spellings_live_here_only() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = vec![src.clone()];
        let mut offenders = Vec::new();
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(std::fs::read_dir(&path).expect("src is readable").map(|e| e.expect("entry").path()));
                continue;
            }
            if path.ends_with("dialect.rs") || path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("source is readable");
            // Code only: comments may name what the dialect spells.
            for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
                for spelling in ["json_each", "jsonb_", "FOR UPDATE", "pg_advisory", "split_part", "::bigint", "::text"]
                {
                    if line.contains(spelling) {
                        offenders.push(format!("{}: {}", path.display(), line.trim()));
                    }
                }
            }
        }
        assert!(offenders.is_empty(), "backend-specific SQL outside dialect.rs: {offenders:?}");
    }
}
