//! The supply side's shared vocabulary: how supply and demand are grouped, a holder count, which
//! occupations a count covers, and the occupation filter both the scan (`demand`) and the
//! maintained counts (`kpi_counts::holders_on`) apply.

use serde::Serialize;
use sqlx::QueryBuilder;

/// How supply and demand are grouped besides occupation and level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GapGrouping {
    /// The whole city: one group, `city`.
    City,
    District,
    Chain,
}

/// The group code of the whole city.
pub const CITY: &str = "city";

/// Persons per occupation × their highest level in it valid on the date × group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct HolderCount {
    pub occupation_code: String,
    pub level: i16,
    pub grp: String,
    pub holders: i64,
}

/// Which occupations a supply count covers.
#[derive(Debug, Clone, Copy, Default)]
pub struct HolderFilter<'a> {
    /// Only the occupations someone has reported demand for (what a gap report compares).
    pub demanded_only: bool,
    /// An occupation code or a category prefix (`6-18`).
    pub occupation: Option<&'a str>,
}

/// `AND column` is the occupation `o`, or within its category when `o` is a prefix (`6-18`).
pub(crate) fn push_occupation<'t, DB: sqlx::Database>(qb: &mut QueryBuilder<DB>, column: &str, o: &str)
where
    String: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
{
    if o.len() == 10 {
        qb.push(format!(" AND {column} = ")).push_bind(o.to_string());
    } else {
        qb.push(format!(" AND {column} >= ")).push_bind(format!("{o}-"));
        qb.push(format!(" AND {column} < ")).push_bind(format!("{o}."));
    }
}
