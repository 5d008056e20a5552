//! gongjiang-store: the registry's storage on SQLite (embedded default) or PostgreSQL.
//! Handlers and use cases never write SQL; they call these repositories.
//!
//! Writes: each registry write `f(db, …)` has a twin `f_in(tx, …)` that writes in the caller's
//! transaction (`tx::begin`), so a use case commits the change and its audit entry
//! (`audit::append`) together; `f` is `f_in` in a transaction of its own, without an audit
//! entry, for fixtures and tools. Identity numbers are sealed and opened here (`pii`).

pub mod accounts;
pub mod applications;
pub mod apprenticeships;
pub mod audit;
pub mod backup;
pub mod benefits;
pub mod bulk;
pub mod certificates;
pub mod competitions;
mod conn;
pub mod corrections;
pub mod db;
pub mod demand;
mod dialect;
pub mod eligibility_facts;
pub mod employment;
pub mod error;
pub mod imports;
pub mod institutions;
pub mod insurance;
pub mod judging;
pub mod kpi;
pub mod kpi_counts;
pub mod levels;
pub mod logins;
pub mod marks_ledger;
pub mod migrate;
pub mod occupations;
mod open;
pub mod organisations;
pub mod persons;
pub mod pii;
pub mod pipeline;
pub mod platforms;
pub mod programmes;
pub mod schooling;
pub mod scope;
pub mod sessions;
pub mod standards;
pub mod statistics;
pub mod supply;
pub mod tokens;
pub mod tx;
pub mod worklist;
pub mod xapi;
pub mod xapi_attachments;
pub mod xapi_documents;

pub use db::{Backend, Db};
pub use error::StoreError;

/// What a batch write did, row by row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct WriteCounts {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
}

impl std::ops::AddAssign for WriteCounts {
    fn add_assign(&mut self, o: WriteCounts) {
        self.inserted += o.inserted;
        self.updated += o.updated;
        self.unchanged += o.unchanged;
    }
}

/// Rows per multi-row INSERT: below SQLite's and PostgreSQL's bind-parameter limits for the
/// widest table (persons, 14 columns).
pub(crate) const INSERT_CHUNK: usize = 1000;

/// Rows per JSON-array insert statement (persons, levels).
pub(crate) const JSON_CHUNK: usize = 10_000;

/// Keys per `IN (…)` lookup: below SQLite's limit of 32,766 bound parameters.
pub(crate) const KEY_CHUNK: usize = 10_000;

/// Appends `(v1, v2, …)` as bound parameters.
pub(crate) fn push_in_list<'t, DB, T>(qb: &mut sqlx::QueryBuilder<DB>, values: impl IntoIterator<Item = T>)
where
    DB: sqlx::Database,
    T: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
{
    qb.push("(");
    let mut sep = qb.separated(", ");
    for v in values {
        sep.push_bind(v);
    }
    sep.push_unseparated(")");
}
