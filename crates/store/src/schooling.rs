//! Education records and professional titles of registered persons (`gongjiang import
//! education`, `gongjiang import titles`). Both are upserted by their natural keys — education
//! by (person, education, major), a title by (person, series, title) — so a re-import changes
//! nothing and a later file may record a student's graduation; an empty cell never erases a
//! stored date.

use std::collections::HashMap;

use gongjiang_domain::records::{NewEducation, NewTitle};
use sqlx::QueryBuilder;
use time::Date;

use crate::tx::Tx;
use crate::{Db, KEY_CHUNK, StoreError, WriteCounts, on_pool, on_tx, push_in_list};

/// A stored education record.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct StoredEducation {
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub person_id: i64,
    /// Code of `registry::Education`.
    pub education: String,
    pub major: String,
    #[serde(with = "gongjiang_domain::dates::serde_iso::option")]
    pub graduated_on: Option<Date>,
    #[serde(with = "gongjiang_domain::dates::serde_iso::option")]
    pub expected_graduation_on: Option<Date>,
}

/// A stored professional title.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct StoredTitle {
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub person_id: i64,
    /// Code of `registry::TitleSeries`.
    pub series: String,
    /// junior | intermediate | deputy_senior | senior.
    pub grade: String,
    pub title: String,
    #[serde(with = "gongjiang_domain::dates::serde_iso")]
    pub obtained_on: Date,
}

const EDUCATION_OF: &str = "SELECT id, person_id, education, major, graduated_on, expected_graduation_on \
     FROM education_records WHERE person_id IN ";
const TITLES_OF: &str =
    "SELECT id, person_id, series, grade, title, obtained_on FROM professional_titles WHERE person_id IN ";

/// Upserts education records in `tx`; each row comes with its person's id.
pub async fn upsert_education_in(
    tx: &mut Tx,
    rows: &[(i64, &NewEducation)],
    recorded_by: &str,
) -> Result<WriteCounts, StoreError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let existing: Vec<StoredEducation> = of_persons_in(tx, EDUCATION_OF, &ids).await?;
    let mut stored: HashMap<(i64, String, String), StoredEducation> =
        existing.into_iter().map(|e| ((e.person_id, e.education.clone(), e.major.clone()), e)).collect();
    let mut counts = WriteCounts::default();
    on_tx!(tx, conn => {
        for (person_id, e) in rows {
            let key = (*person_id, e.education.code().to_owned(), e.major.clone());
            match stored.get_mut(&key) {
                Some(old) => {
                    // A graduation recorded ends the student's expected date.
                    let graduated_on = e.graduated_on.or(old.graduated_on);
                    let expected = if e.graduated_on.is_some() { None } else { e.expected_graduation_on.or(old.expected_graduation_on) };
                    if graduated_on == old.graduated_on && expected == old.expected_graduation_on {
                        counts.unchanged += 1;
                        continue;
                    }
                    sqlx::query("UPDATE education_records SET graduated_on = $1, expected_graduation_on = $2, recorded_by = $3 WHERE id = $4")
                        .bind(graduated_on).bind(expected).bind(recorded_by).bind(old.id).execute(&mut *conn).await?;
                    old.graduated_on = graduated_on;
                    old.expected_graduation_on = expected;
                    counts.updated += 1;
                }
                None => {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO education_records (person_id, education, major, graduated_on, expected_graduation_on, recorded_by) \
                         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                    )
                    .bind(person_id).bind(&key.1).bind(&e.major).bind(e.graduated_on).bind(e.expected_graduation_on)
                    .bind(recorded_by).fetch_one(&mut *conn).await?;
                    stored.insert(key.clone(), StoredEducation {
                        id, person_id: *person_id, education: key.1.clone(), major: e.major.clone(),
                        graduated_on: e.graduated_on, expected_graduation_on: e.expected_graduation_on,
                    });
                    counts.inserted += 1;
                }
            }
        }
        Ok::<(), StoreError>(())
    })?;
    Ok(counts)
}

/// Upserts professional titles in `tx`; each row comes with its person's id.
pub async fn upsert_titles_in(
    tx: &mut Tx,
    rows: &[(i64, &NewTitle)],
    recorded_by: &str,
) -> Result<WriteCounts, StoreError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let existing: Vec<StoredTitle> = of_persons_in(tx, TITLES_OF, &ids).await?;
    let mut stored: HashMap<(i64, String, String), StoredTitle> =
        existing.into_iter().map(|t| ((t.person_id, t.series.clone(), t.title.clone()), t)).collect();
    let mut counts = WriteCounts::default();
    on_tx!(tx, conn => {
        for (person_id, t) in rows {
            let key = (*person_id, t.series.code().to_owned(), t.title.clone());
            let grade = t.grade.code();
            match stored.get_mut(&key) {
                Some(old) if old.grade == grade && old.obtained_on == t.obtained_on => counts.unchanged += 1,
                Some(old) => {
                    sqlx::query("UPDATE professional_titles SET grade = $1, obtained_on = $2, recorded_by = $3 WHERE id = $4")
                        .bind(grade).bind(t.obtained_on).bind(recorded_by).bind(old.id).execute(&mut *conn).await?;
                    old.grade = grade.to_owned();
                    old.obtained_on = t.obtained_on;
                    counts.updated += 1;
                }
                None => {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO professional_titles (person_id, series, grade, title, obtained_on, recorded_by) \
                         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                    )
                    .bind(person_id).bind(&key.1).bind(grade).bind(&t.title).bind(t.obtained_on).bind(recorded_by)
                    .fetch_one(&mut *conn).await?;
                    stored.insert(key.clone(), StoredTitle {
                        id, person_id: *person_id, series: key.1.clone(), grade: grade.to_owned(),
                        title: t.title.clone(), obtained_on: t.obtained_on,
                    });
                    counts.inserted += 1;
                }
            }
        }
        Ok::<(), StoreError>(())
    })?;
    Ok(counts)
}

async fn of_persons_in<T>(tx: &mut Tx, sql: &'static str, person_ids: &[i64]) -> Result<Vec<T>, StoreError>
where
    T: Send
        + Unpin
        + for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
{
    let mut ids = person_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let mut out = Vec::new();
    on_tx!(tx, conn => {
        for part in ids.chunks(KEY_CHUNK) {
            let mut qb = QueryBuilder::new(sql);
            push_in_list(&mut qb, part.iter().copied());
            out.extend(qb.build_query_as::<T>().fetch_all(&mut *conn).await?);
        }
        Ok::<(), StoreError>(())
    })?;
    Ok(out)
}

/// The education records of one person, oldest graduation first.
pub async fn education_of(db: &Db, person_id: i64) -> Result<Vec<StoredEducation>, StoreError> {
    const SQL: &str = "SELECT id, person_id, education, major, graduated_on, expected_graduation_on \
         FROM education_records WHERE person_id = $1 ORDER BY COALESCE(graduated_on, expected_graduation_on), id";
    Ok(on_pool!(db, pool => sqlx::query_as(SQL).bind(person_id).fetch_all(pool).await?))
}

/// The professional titles of one person, oldest first.
pub async fn titles_of(db: &Db, person_id: i64) -> Result<Vec<StoredTitle>, StoreError> {
    const SQL: &str = "SELECT id, person_id, series, grade, title, obtained_on \
         FROM professional_titles WHERE person_id = $1 ORDER BY obtained_on, id";
    Ok(on_pool!(db, pool => sqlx::query_as(SQL).bind(person_id).fetch_all(pool).await?))
}
