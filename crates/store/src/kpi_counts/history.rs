//! The counts as of any day, from the dated changes (`kpi_count_changes`) and, for the part of
//! the day's month up to it, the level changes read from `skill_levels` by date.
//!
//! counts(D) = Σ period 0 (everyone with no level) + Σ years before D's + Σ months of D's year
//! before D's month (through it when D is the month's last day) + the changes of the highest
//! level of the persons with a level obtained or revoked from the first of D's month to D. The
//! first three are sums over a few thousand rows; the last reads about a month of level
//! records. Year-ends and quarter-ends (what the series and projections ask) need no level
//! records at all.

use std::collections::HashMap;

use gongjiang_domain::kpi::Grouping;
use time::{Date, Duration};

use super::state::Attrs;
use crate::kpi::GroupCounts;
use crate::{Db, StoreError, on_pool};

/// (group, highest level, employment status) → persons; '' = missing.
pub(crate) type Cells = HashMap<(String, i16, String), i64>;

const BUCKETS: &str = "SELECT grp, top_level, employment_status, CAST(SUM(persons) AS BIGINT) AS persons \
     FROM kpi_count_changes WHERE dimension = $1 AND (period < $2 OR (period >= $3 AND period <= $4)) \
     GROUP BY grp, top_level, employment_status";

/// The persons whose highest level may change after `$1` up to `$2`, with what the counts
/// group them by and their highest level on both days.
const WINDOW: &str = "SELECT s.district_code, s.industry, s.occupation_major, s.employment_status, s.chains, \
     CAST(COALESCE((SELECT MAX(l.level) FROM skill_levels l WHERE l.person_id = s.person_id AND l.obtained_on <= $1 \
         AND (l.revoked_on IS NULL OR l.revoked_on > $1)), 0) AS SMALLINT) AS top_before, \
     CAST(COALESCE((SELECT MAX(l.level) FROM skill_levels l WHERE l.person_id = s.person_id AND l.obtained_on <= $2 \
         AND (l.revoked_on IS NULL OR l.revoked_on > $2)), 0) AS SMALLINT) AS top_at \
     FROM kpi_person_state s WHERE s.person_id IN ( \
         SELECT person_id FROM skill_levels WHERE obtained_on > $1 AND obtained_on <= $2 \
         UNION SELECT person_id FROM skill_levels WHERE revoked_on > $1 AND revoked_on <= $2)";

#[derive(sqlx::FromRow)]
struct Bucket {
    grp: String,
    top_level: i16,
    employment_status: String,
    persons: i64,
}

#[derive(sqlx::FromRow)]
struct Moved {
    district_code: Option<String>,
    industry: Option<String>,
    occupation_major: Option<String>,
    employment_status: Option<String>,
    chains: Option<String>,
    top_before: i16,
    top_at: i16,
}

/// The maintained dimension a grouping reads (by level: the city's, by its level column).
pub(crate) fn dimension(by: Grouping) -> &'static str {
    match by {
        Grouping::City | Grouping::Level => "city",
        Grouping::District => "district",
        Grouping::Industry => "industry",
        Grouping::Occupation => "occupation",
        Grouping::Chain => "chain",
    }
}

/// Persons per group, highest level and status of one dimension as of `on`.
pub(crate) async fn cells_on(db: &Db, dim: &'static str, on: Date) -> Result<Cells, StoreError> {
    let (year, month) = (on.year(), i32::from(u8::from(on.month())));
    let month_ends = on.next_day().is_none_or(|d| d.month() != on.month());
    let last_month = if month_ends { month } else { month - 1 };
    // The day before the first of the month: what the buckets describe when the month is open.
    let before = on - Duration::days(i64::from(on.day()));
    let (buckets, moved): (Vec<Bucket>, Vec<Moved>) = on_pool!(db, pool => {
        let buckets = sqlx::query_as(BUCKETS)
            .bind(dim).bind(year).bind(year * 100 + 1).bind(year * 100 + last_month)
            .fetch_all(pool).await?;
        let moved = if month_ends {
            Vec::new()
        } else {
            sqlx::query_as(WINDOW).bind(before).bind(on).fetch_all(pool).await?
        };
        (buckets, moved)
    });
    let mut cells: Cells = HashMap::new();
    for b in buckets {
        *cells.entry((b.grp, b.top_level, b.employment_status)).or_default() += b.persons;
    }
    for m in moved.into_iter().filter(|m| m.top_before != m.top_at) {
        let attrs = Attrs {
            district_code: m.district_code,
            industry: m.industry,
            occupation_major: m.occupation_major,
            employment_status: m.employment_status,
            chains: m.chains.map(|c| c.split(',').map(str::to_string).collect()).unwrap_or_default(),
        };
        for (sign, top) in [(-1, m.top_before), (1, m.top_at)] {
            for (d, grp, level, status) in attrs.keys(top) {
                if d == dim {
                    *cells.entry((grp, level, status)).or_default() += sign;
                }
            }
        }
    }
    cells.retain(|_, n| *n != 0);
    Ok(cells)
}

/// The same figures as [`crate::kpi::counts`] (the scan) for any day, from the dated changes:
/// a few thousand rows summed, plus at most a month of level records.
pub async fn on(
    db: &Db,
    by: Grouping,
    on: Date,
    skilled_from: u8,
    high_skilled_from: u8,
) -> Result<Vec<GroupCounts>, StoreError> {
    let cells = cells_on(db, dimension(by), on).await?;
    let (s, h) = (i16::from(skilled_from), i16::from(high_skilled_from));
    let mut rows: HashMap<(Option<String>, Option<String>), GroupCounts> = HashMap::new();
    for ((grp, level, status), n) in cells {
        let grp = match by {
            Grouping::City => None,
            Grouping::Level => (level > 0).then(|| level.to_string()),
            _ => (!grp.is_empty()).then_some(grp),
        };
        let status = (!status.is_empty()).then_some(status);
        let row = rows.entry((grp.clone(), status.clone())).or_insert_with(|| GroupCounts {
            grp,
            employment_status: status,
            persons: 0,
            skilled: 0,
            high_skilled: 0,
        });
        row.persons += n;
        row.skilled += if level >= s { n } else { 0 };
        row.high_skilled += if level >= h { n } else { 0 };
    }
    let mut rows: Vec<GroupCounts> = rows.into_values().collect();
    rows.sort_by(|a, b| (&a.grp, &a.employment_status).cmp(&(&b.grp, &b.employment_status)));
    Ok(rows)
}
