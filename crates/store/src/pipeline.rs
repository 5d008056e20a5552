//! The training pipeline (在途): persons on their way to a level, per occupation × target level
//! × group on a date, from three sources — enrolments in a programme that targets the level
//! (enrolled on or before the date, not withdrawn, not completed by then), active
//! apprenticeships begun by then, and evaluation applications admitted to a session not yet
//! final (applied by then, not failed or withdrawn). A person already holding the level or
//! above in the occupation on the date is a holder, not pipeline, and is left out.

use sqlx::QueryBuilder;
use time::Date;

use crate::supply::{GapGrouping, push_occupation};
use crate::{Db, StoreError, on_pool};

/// Persons per source (`training`, `apprenticeship`, `application`, or `all` for the distinct
/// persons of the three), occupation, target level and group.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PipelineCount {
    pub source: String,
    pub occupation_code: String,
    pub level: i16,
    pub grp: String,
    pub persons: i64,
}

/// The three sources as (source, person, occupation, level) rows on `as_of`.
fn push_sources<'q, DB: sqlx::Database>(qb: &mut QueryBuilder<DB>, as_of: Date)
where
    Date: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    qb.push(
        "WITH x AS (SELECT CAST('training' AS TEXT) AS source, e.person_id, g.occupation_code, \
         CAST(g.level AS SMALLINT) AS level FROM enrolments e JOIN programmes g ON g.id = e.programme_id \
         WHERE e.status <> 'withdrawn' AND e.enrolled_on <= ",
    );
    qb.push_bind(as_of).push(" AND (e.completed_on IS NULL OR e.completed_on > ").push_bind(as_of).push(")");
    qb.push(
        " UNION ALL SELECT CAST('apprenticeship' AS TEXT), a.person_id, a.occupation_code, CAST(a.level AS SMALLINT) \
         FROM apprenticeships a WHERE a.status = 'active' AND a.starts_on <= ",
    );
    qb.push_bind(as_of);
    qb.push(
        " UNION ALL SELECT CAST('application' AS TEXT), a.person_id, s.occupation_code, CAST(s.level AS SMALLINT) \
         FROM evaluation_applications a JOIN evaluation_sessions s ON s.id = a.session_id \
         WHERE a.status = 'admitted' AND s.status <> 'final' AND (a.result IS NULL OR a.result = 'pass') \
         AND a.applied_on <= ",
    );
    qb.push_bind(as_of).push(") ");
}

/// Pipeline counts on `as_of`: per source, and (`source = 'all'`) the distinct persons.
pub async fn counts(
    db: &Db,
    by: GapGrouping,
    as_of: Date,
    occupation: Option<&str>,
) -> Result<Vec<PipelineCount>, StoreError> {
    let (join, grp) = match by {
        GapGrouping::City => ("", "CAST('city' AS TEXT)"),
        GapGrouping::District => ("", "p.district_code"),
        GapGrouping::Chain => (" JOIN organisation_chains c ON c.organisation_id = p.employer_id", "c.chain"),
    };
    let mut out = Vec::new();
    for source in ["x.source", "CAST('all' AS TEXT)"] {
        let rows: Vec<PipelineCount> = on_pool!(db, pool => {
            let mut qb = QueryBuilder::new("");
            push_sources(&mut qb, as_of);
            qb.push(format!(
                "SELECT {source} AS source, x.occupation_code, x.level, {grp} AS grp, \
                 COUNT(DISTINCT x.person_id) AS persons FROM x JOIN persons p ON p.id = x.person_id{join} \
                 WHERE {grp} IS NOT NULL"
            ));
            if let Some(o) = occupation {
                push_occupation(&mut qb, "x.occupation_code", o);
            }
            qb.push(
                " AND NOT EXISTS (SELECT 1 FROM skill_levels s WHERE s.person_id = x.person_id \
                 AND s.occupation_code = x.occupation_code AND s.level >= x.level AND s.obtained_on <= ",
            );
            qb.push_bind(as_of).push(" AND (s.revoked_on IS NULL OR s.revoked_on > ").push_bind(as_of).push("))");
            qb.push(" GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4");
            qb.build_query_as().fetch_all(pool).await?
        });
        out.extend(rows);
    }
    Ok(out)
}
