//! The use cases' integration tests, one program: each module tests one use case on a real
//! database file (SQLite, and PostgreSQL when `TEST_PG_URL` is set); `support` holds what
//! several of them share (opening the app on a test database, a small imported city, one
//! evaluation session from filing to certificates).

mod accounts;
mod audit;
mod benefits;
mod competition;
mod eligibility;
mod evaluation;
mod hostile_files;
mod import;
mod insurance;
mod judging;
mod kpi;
mod kpi_counts;
mod kpi_series;
mod personal_data;
mod pipeline;
mod previous_release;
mod schooling;
mod standards;
mod supply;
mod support;
mod training;
