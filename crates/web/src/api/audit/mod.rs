//! `/api/v1/audit`: searching the hash-chained audit trail (city administrators).

pub mod list;
