//! KPI counts as of any date, straight from the level history: per group and employment
//! status, the persons, and of them those whose highest level valid on the date reaches the
//! skilled and the high-skilled rank. The use case keeps the statuses the policy counts as
//! employed, so the policy's list needs no dynamic SQL here.
//!
//! Performance: each call scans `persons` and the valid rows of `skill_levels` (one aggregate
//! statement): the reference the maintained counts (`kpi_counts`) are checked against.

use gongjiang_domain::access::Scope;
use gongjiang_domain::kpi::Grouping;
use serde::Serialize;
use time::Date;

use crate::persons::select_person;
use crate::{Db, StoreError, on_pool, push_in_list};

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
        kpi_sql!($group, "")
    };
    ($group:literal, $join:literal) => {
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
             LEFT JOIN organisations o ON o.id = p.employer_id ",
            $join,
            " GROUP BY 1, 2 ORDER BY 1, 2"
        )
    };
}

const BY_CITY: &str = kpi_sql!("CAST(NULL AS TEXT)");
const BY_DISTRICT: &str = kpi_sql!("p.district_code");
const BY_INDUSTRY: &str = kpi_sql!("o.industry");
const BY_OCCUPATION: &str = kpi_sql!("SUBSTR(p.occupation_code, 1, 1)");
const BY_LEVEL: &str = kpi_sql!("CAST(m.top AS TEXT)");
/// A person counts once per chain of their employer; once, with no group, when there is none.
const BY_CHAIN: &str = kpi_sql!("oc.chain", "LEFT JOIN organisation_chains oc ON oc.organisation_id = p.employer_id");

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
        Grouping::Chain => BY_CHAIN,
    };
    let (s, h) = (i16::from(skilled_from), i16::from(high_skilled_from));
    Ok(on_pool!(db, pool => sqlx::query_as(sql).bind(as_of).bind(s).bind(h).fetch_all(pool).await?))
}

/// Which group of a grouping a drill-down opens: one KPI row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupSel<'a> {
    /// Every person: the `total` row (and the only choice when grouping by city).
    All,
    /// The group with this code, as [`counts`] returns it: district code, industry letter,
    /// occupation major-group digit, level rank, chain id.
    Code(&'a str),
    /// Persons without the attribute (the `unknown` row), or, by level, without a valid level,
    /// by chain, whose employer is in no chain (the `none` row).
    Missing,
}

/// The persons behind one KPI figure.
#[derive(Debug, Clone)]
pub struct DrillDown<'a> {
    pub by: Grouping,
    pub group: GroupSel<'a>,
    /// Lowest rank the person's highest level valid on `as_of` must reach: the skilled or
    /// high-skilled rank; `None` = every employed person of the group.
    pub min_rank: Option<i16>,
    /// The employment statuses counted as employed (bound as parameters).
    pub statuses: &'a [String],
    pub as_of: Date,
}

/// The highest level valid on `as_of`, for the person `p` — the same rule as [`counts`].
fn push_top<DB>(qb: &mut sqlx::QueryBuilder<DB>, as_of: Date)
where
    DB: sqlx::Database,
    for<'t> Date: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
{
    qb.push(" (SELECT MAX(s.level) FROM skill_levels s WHERE s.person_id = p.id AND s.obtained_on <= ")
        .push_bind(as_of)
        .push(" AND (s.revoked_on IS NULL OR s.revoked_on > ")
        .push_bind(as_of)
        .push("))");
}

/// The WHERE conditions of a drill-down (after `WHERE p.employment_status IN `), for the page
/// and its count.
macro_rules! push_drill {
    ($qb:ident, $scope:expr, $q:expr, $after:expr, $rank:expr) => {{
        let (scope, q, after, rank): (&Scope, &DrillDown<'_>, Option<i64>, Option<i16>) = ($scope, $q, $after, $rank);
        let mut qb = $qb;
        push_in_list(&mut qb, q.statuses.iter().map(String::as_str));
        crate::scope::push(&mut qb, scope, &crate::scope::PERSONS);
        if let Some(a) = after {
            qb.push(" AND p.id > ").push_bind(a);
        }
        match (q.by, q.group) {
            (Grouping::City, _) | (_, GroupSel::All) => {}
            (Grouping::District, GroupSel::Code(c)) => {
                qb.push(" AND p.district_code = ").push_bind(c.to_string());
            }
            (Grouping::District, GroupSel::Missing) => {
                qb.push(" AND p.district_code IS NULL");
            }
            (Grouping::Industry, GroupSel::Code(c)) => {
                qb.push(" AND o.industry = ").push_bind(c.to_string());
            }
            (Grouping::Industry, GroupSel::Missing) => {
                qb.push(" AND o.industry IS NULL");
            }
            (Grouping::Occupation, GroupSel::Code(c)) => {
                qb.push(" AND SUBSTR(p.occupation_code, 1, 1) = ").push_bind(c.to_string());
            }
            (Grouping::Occupation, GroupSel::Missing) => {
                qb.push(" AND p.occupation_code IS NULL");
            }
            (Grouping::Chain, GroupSel::Code(c)) => {
                qb.push(
                    " AND EXISTS (SELECT 1 FROM organisation_chains oc WHERE oc.organisation_id = p.employer_id \
                         AND oc.chain = ",
                )
                .push_bind(c.to_string())
                .push(")");
            }
            (Grouping::Chain, GroupSel::Missing) => {
                qb.push(
                    " AND NOT EXISTS (SELECT 1 FROM organisation_chains oc WHERE oc.organisation_id = p.employer_id)",
                );
            }
            (Grouping::Level, GroupSel::Code(_)) => {
                // `rank` was parsed from the code above.
                qb.push(" AND");
                push_top(&mut qb, q.as_of);
                qb.push(" = ").push_bind(rank.unwrap_or_default());
            }
            (Grouping::Level, GroupSel::Missing) => {
                qb.push(" AND");
                push_top(&mut qb, q.as_of);
                qb.push(" IS NULL");
            }
        }
        if let Some(r) = q.min_rank {
            qb.push(" AND");
            push_top(&mut qb, q.as_of);
            qb.push(" >= ").push_bind(r);
        }

        qb
    }};
}

/// The level a drill-down by level names (`None` for other groupings); `Err` for a level code
/// that is not a number, which matches nobody.
fn drill_rank(q: &DrillDown<'_>) -> Result<Option<i16>, ()> {
    match (q.by, q.group) {
        (Grouping::Level, GroupSel::Code(c)) => c.trim().parse::<i16>().map(Some).map_err(|_| ()),
        _ => Ok(None),
    }
}

/// How many persons a drill-down finds in `scope`, counted up to `cap` (a count beyond it
/// reads "more than").
pub async fn count_behind(db: &Db, scope: &Scope, q: &DrillDown<'_>, cap: i64) -> Result<i64, StoreError> {
    if q.statuses.is_empty() {
        return Ok(0);
    }
    let Ok(rank) = drill_rank(q) else { return Ok(0) };
    Ok(on_pool!(db, pool => {
        let qb = sqlx::QueryBuilder::new(concat!(
            "SELECT COUNT(*) FROM (SELECT 1 FROM persons p LEFT JOIN organisations o ON o.id = p.employer_id ",
            "WHERE p.employment_status IN "
        ));
        let mut qb = push_drill!(qb, scope, q, None::<i64>, rank);
        qb.push(" LIMIT ").push_bind(cap).push(") AS found");
        qb.build_query_scalar().fetch_one(pool).await?
    }))
}

/// One page of the persons counted in a KPI figure that `scope` reaches, ordered by internal id,
/// after `after` (keyset paging). With `Scope::all()` the pages together hold exactly as many
/// persons as the figure [`counts`] gives for the same group, measure and date.
///
/// Performance: the highest valid level is looked up per person through the unique index of
/// `skill_levels` (which starts with `person_id`), so a page reads persons in id order only
/// until it has `limit` of them.
pub async fn persons_behind(
    db: &Db,
    scope: &Scope,
    q: &DrillDown<'_>,
    after: Option<i64>,
    limit: i64,
) -> Result<Vec<crate::persons::Person>, StoreError> {
    if q.statuses.is_empty() {
        return Ok(Vec::new());
    }
    let Ok(rank) = drill_rank(q) else { return Ok(Vec::new()) };
    let mut rows = on_pool!(db, pool => {
        let qb = sqlx::QueryBuilder::new(select_person!("WHERE p.employment_status IN "));
        let mut qb = push_drill!(qb, scope, q, after, rank);
        qb.push(" ORDER BY p.id LIMIT ").push_bind(limit);
        qb.build_query_as().fetch_all(pool).await?
    });
    crate::persons::open_persons(db.pii(), &mut rows)?;
    Ok(rows)
}
