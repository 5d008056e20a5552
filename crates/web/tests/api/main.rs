//! The HTTP API end to end: the real server on a loopback port over a fresh database — SQLite
//! always, PostgreSQL too when `TEST_PG_URL` names a server (a database per test, dropped after).

mod admin;
mod benefits;
mod competitions;
mod docs;
mod errors;
mod evaluation;
mod kpi;
mod kpi_series;
mod listings;
mod login;
mod matrix;
mod me;
mod pages;
mod persons;
mod platforms;
mod policy;
mod registry_forms;
mod signup;
mod supply_demand;
mod support;
mod training;
mod users;
mod verification;
mod xapi;
mod xapi_attachments;
