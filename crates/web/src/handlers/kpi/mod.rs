//! `/api/v1/kpi`: the policy's KPI figures as of a date, grouped.

pub mod show;
