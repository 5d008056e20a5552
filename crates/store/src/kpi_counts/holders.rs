//! Supply: holders per occupation × highest valid level in it × supply group, as of today from
//! `holder_counts`, as of any other day from `holder_count_changes` (the years up to it) and the
//! level records of the day's year up to it. The same figures as the scan
//! [`crate::demand::holders_scan`], in milliseconds at city scale.

use std::collections::HashMap;

use sqlx::QueryBuilder;
use time::{Date, Duration, Month};

use super::{advance, clock};
use crate::supply::{CITY, GapGrouping, HolderCount, HolderFilter, push_occupation};
use crate::{Db, StoreError, on_pool};

/// (occupation, group, level) → holders.
type Cells = HashMap<(String, String, i16), i64>;

fn dimension(by: GapGrouping) -> &'static str {
    match by {
        GapGrouping::City | GapGrouping::District => "district",
        GapGrouping::Chain => "chain",
    }
}

fn push_filter<DB: sqlx::Database>(qb: &mut QueryBuilder<DB>, column: &str, f: HolderFilter<'_>)
where
    for<'t> String: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
{
    if f.demanded_only {
        qb.push(format!(" AND {column} IN (SELECT DISTINCT occupation_code FROM skill_demand)"));
    }
    if let Some(o) = f.occupation {
        push_occupation(qb, column, o);
    }
}

#[derive(sqlx::FromRow)]
struct Cell {
    occupation_code: String,
    grp: String,
    top_level: i16,
    persons: i64,
}

#[derive(sqlx::FromRow)]
struct Moved {
    occupation_code: String,
    district_code: Option<String>,
    chains: Option<String>,
    top_before: i16,
    top_at: i16,
}

/// Holders as of `today` from `holder_counts`, moving the clock forward to it first when it is
/// behind; `None` when the clock is past `today`.
pub async fn holders_today(
    db: &Db,
    by: GapGrouping,
    today: Date,
    filter: HolderFilter<'_>,
) -> Result<Option<Vec<HolderCount>>, StoreError> {
    let as_of = clock(db).await?;
    if as_of > today || (as_of < today && !advance(db, today).await?) {
        return Ok(None);
    }
    let rows: Vec<Cell> = on_pool!(db, pool => {
        let mut qb = QueryBuilder::new(
            "SELECT occupation_code, grp, top_level, persons FROM holder_counts WHERE dimension = ",
        );
        qb.push_bind(dimension(by));
        push_filter(&mut qb, "occupation_code", filter);
        qb.build_query_as().fetch_all(pool).await?
    });
    let cells = rows.into_iter().map(|c| ((c.occupation_code, c.grp, c.top_level), c.persons)).collect();
    Ok(Some(holder_counts(by, cells)))
}

/// Holders as of any day: the yearly changes up to it (through its year when it is 31
/// December), plus the level changes of its year up to it.
pub async fn holders_on(
    db: &Db,
    by: GapGrouping,
    on: Date,
    filter: HolderFilter<'_>,
) -> Result<Vec<HolderCount>, StoreError> {
    let year = on.year();
    let year_ends = on.month() == Month::December && on.day() == 31;
    let last_year = if year_ends { year } else { year - 1 };
    let before = on - Duration::days(i64::from(on.ordinal()));
    let dim = dimension(by);
    let (buckets, moved): (Vec<Cell>, Vec<Moved>) = on_pool!(db, pool => {
        let mut qb = QueryBuilder::new(
            "SELECT occupation_code, grp, top_level, CAST(SUM(persons) AS BIGINT) AS persons \
             FROM holder_count_changes WHERE dimension = ",
        );
        qb.push_bind(dim).push(" AND year <= ").push_bind(last_year);
        push_filter(&mut qb, "occupation_code", filter);
        qb.push(" GROUP BY occupation_code, grp, top_level");
        let buckets = qb.build_query_as().fetch_all(pool).await?;
        let moved = if year_ends {
            Vec::new()
        } else {
            let top = |qb: &mut QueryBuilder<_>, day: Date| {
                qb.push("CAST(COALESCE((SELECT MAX(l.level) FROM skill_levels l WHERE l.person_id = x.person_id \
                     AND l.occupation_code = x.occupation_code AND l.obtained_on <= ").push_bind(day)
                    .push(" AND (l.revoked_on IS NULL OR l.revoked_on > ").push_bind(day).push(")), 0) AS SMALLINT)");
            };
            let mut qb = QueryBuilder::new("SELECT x.occupation_code, s.district_code, s.chains, ");
            top(&mut qb, before);
            qb.push(" AS top_before, ");
            top(&mut qb, on);
            qb.push(" AS top_at FROM (SELECT person_id, occupation_code FROM skill_levels WHERE obtained_on > ")
                .push_bind(before).push(" AND obtained_on <= ").push_bind(on)
                .push(" UNION SELECT person_id, occupation_code FROM skill_levels WHERE revoked_on > ")
                .push_bind(before).push(" AND revoked_on <= ").push_bind(on)
                .push(") x JOIN kpi_person_state s ON s.person_id = x.person_id WHERE 1 = 1");
            push_filter(&mut qb, "x.occupation_code", filter);
            qb.build_query_as().fetch_all(pool).await?
        };
        (buckets, moved)
    });
    let mut cells: Cells = HashMap::new();
    for c in buckets {
        *cells.entry((c.occupation_code, c.grp, c.top_level)).or_default() += c.persons;
    }
    for m in moved.into_iter().filter(|m| m.top_before != m.top_at) {
        let groups: Vec<String> = match by {
            GapGrouping::Chain => m.chains.map(|c| c.split(',').map(str::to_string).collect()).unwrap_or_default(),
            _ => vec![m.district_code.unwrap_or_default()],
        };
        for grp in groups {
            for (sign, level) in [(-1, m.top_before), (1, m.top_at)].into_iter().filter(|(_, l)| *l > 0) {
                *cells.entry((m.occupation_code.clone(), grp.clone(), level)).or_default() += sign;
            }
        }
    }
    Ok(holder_counts(by, cells))
}

/// The cells of one dimension as the rows a grouping reports: by city, every district's
/// holders (and those without one) together; by district, those with one.
fn holder_counts(by: GapGrouping, cells: Cells) -> Vec<HolderCount> {
    let mut out: HashMap<(String, i16, String), i64> = HashMap::new();
    for ((occupation, grp, level), n) in cells {
        let grp = match by {
            GapGrouping::City => CITY.to_string(),
            GapGrouping::District if grp.is_empty() => continue,
            _ => grp,
        };
        *out.entry((occupation, level, grp)).or_default() += n;
    }
    let mut rows: Vec<HolderCount> = out
        .into_iter()
        .filter(|(_, n)| *n != 0)
        .map(|((occupation_code, level, grp), holders)| HolderCount { occupation_code, level, grp, holders })
        .collect();
    rows.sort_by(|a, b| (&a.occupation_code, a.level, &a.grp).cmp(&(&b.occupation_code, b.level, &b.grp)));
    rows
}
