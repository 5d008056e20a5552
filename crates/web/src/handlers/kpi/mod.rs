//! `/api/v1/kpi`: the policy's KPI figures as of a date, grouped.

pub mod persons;
pub mod projection;
pub mod series;
pub mod show;
