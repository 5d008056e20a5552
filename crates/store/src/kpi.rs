//! KPI counts as of any date, straight from the level history: per group and employment
//! status, the persons, and of them those whose highest level valid on the date reaches the
//! skilled and the high-skilled rank. The use case keeps the statuses the policy counts as
//! employed, so the policy's list needs no dynamic SQL here.
//!
//! Performance: each call scans `persons` and the valid rows of `skill_levels` (one aggregate
//! statement). The incremental counts that make today's figures instant are later work.

use gongjiang_domain::kpi::Grouping;
use serde::Serialize;
use time::Date;

use crate::{Db, StoreError, on_pool};

/// One group × employment status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct GroupCounts {
    /// The group's code; `None` when the person lacks the attribute (or, by level, holds no
    /// valid level).
    pub grp: Option<String>,
    pub employment_status: Option<String>,
    pub persons: i64,
    pub skilled: i64,
    pub high_skilled: i64,
}

/// `$1` = as-of date, `$2` = skilled-from rank, `$3` = high-skilled-from rank. A level counts on
/// `$1` when obtained on or before it and not revoked by then (revoked_on is the first day it no
/// longer counts). Same text on SQLite and PostgreSQL.
macro_rules! kpi_sql {
    ($group:literal) => {
        concat!(
            "SELECT ",
            $group,
            " AS grp, p.employment_status, COUNT(*) AS persons, \
             COALESCE(SUM(CASE WHEN m.top >= $2 THEN 1 ELSE 0 END), 0) AS skilled, \
             COALESCE(SUM(CASE WHEN m.top >= $3 THEN 1 ELSE 0 END), 0) AS high_skilled \
             FROM persons p \
             LEFT JOIN (SELECT person_id, MAX(level) AS top FROM skill_levels \
                        WHERE obtained_on <= $1 AND (revoked_on IS NULL OR revoked_on > $1) \
                        GROUP BY person_id) m ON m.person_id = p.id \
             LEFT JOIN organisations o ON o.id = p.employer_id \
             GROUP BY 1, 2 ORDER BY 1, 2"
        )
    };
}

const BY_CITY: &str = kpi_sql!("CAST(NULL AS TEXT)");
const BY_DISTRICT: &str = kpi_sql!("p.district_code");
const BY_INDUSTRY: &str = kpi_sql!("o.industry");
const BY_OCCUPATION: &str = kpi_sql!("SUBSTR(p.occupation_code, 1, 1)");
const BY_LEVEL: &str = kpi_sql!("CAST(m.top AS TEXT)");

/// Counts per group and employment status as of `as_of`.
pub async fn counts(
    db: &Db,
    by: Grouping,
    as_of: Date,
    skilled_from: u8,
    high_skilled_from: u8,
) -> Result<Vec<GroupCounts>, StoreError> {
    let sql = match by {
        Grouping::City => BY_CITY,
        Grouping::District => BY_DISTRICT,
        Grouping::Industry => BY_INDUSTRY,
        Grouping::Occupation => BY_OCCUPATION,
        Grouping::Level => BY_LEVEL,
    };
    let (s, h) = (i16::from(skilled_from), i16::from(high_skilled_from));
    Ok(on_pool!(db, pool => sqlx::query_as(sql).bind(as_of).bind(s).bind(h).fetch_all(pool).await?))
}
