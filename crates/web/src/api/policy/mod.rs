//! `/api/v1/policy`: the policy in force, as loaded from its TOML file.

pub mod districts;
pub mod show;
