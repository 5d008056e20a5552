//! Competitions scored in gongjiang (issue 15): competitions, events (with their marking
//! scheme), entries and judges. The marks ledger is `marks_ledger`; the promotion decision that
//! publishing writes goes through `competitions::record_in`.

use serde::Serialize;
use time::{Date, OffsetDateTime};

use crate::tx::Tx;
use crate::{Db, StoreError, on_pool, on_tx};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct CompetitionRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub tier: String,
    pub organiser: String,
    /// The organisation whose competition-organiser role runs it; `None` = the city's own.
    #[serde(skip)]
    pub organisation_id: Option<i64>,
    #[serde(with = "gongjiang_domain::dates::serde_iso")]
    pub starts_on: Date,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct EventRow {
    pub id: i64,
    pub competition_id: i64,
    pub code: String,
    pub name: String,
    pub occupation_code: String,
    pub level_min: i32,
    pub level_max: i32,
    pub team_size: i32,
    pub occupation_required: bool,
    pub scheme_json: Option<String>,
    #[serde(with = "gongjiang_domain::dates::serde_iso::option")]
    pub published_on: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct EntryRow {
    pub id: i64,
    pub event_id: i64,
    pub person_id: i64,
    pub entry_group: String,
    pub bib: String,
    pub team: Option<String>,
    pub organisation_uscc: Option<String>,
    pub eligibility_zh: String,
    pub eligibility_en: String,
    pub signed_off_by: Option<String>,
    pub total_hundredths: Option<i64>,
    pub measurement_hundredths: Option<i64>,
    pub standardised_tenths: Option<i64>,
    pub place: Option<i64>,
    pub award: Option<String>,
    pub result_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct JudgeRow {
    pub id: i64,
    pub event_id: i64,
    pub code: String,
    pub name: String,
    pub organisation_uscc: Option<String>,
    pub username: Option<String>,
}

const COMPETITION_COLS: &str = "id, code, name, tier, organiser, organisation_id, starts_on";
const EVENT_COLS: &str = "id, competition_id, code, name, occupation_code, level_min, level_max, team_size, \
     occupation_required, scheme_json, published_on";
const ENTRY_COLS: &str = "id, event_id, person_id, entry_group, bib, team, organisation_uscc, eligibility_zh, \
     eligibility_en, signed_off_by, total_hundredths, measurement_hundredths, standardised_tenths, place, award, \
     result_id";
const JUDGE_COLS: &str = "id, event_id, code, name, organisation_uscc, username";

pub struct NewCompetition<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub tier: &'a str,
    pub organiser: &'a str,
    pub organisation_id: Option<i64>,
    pub starts_on: Date,
}

pub async fn insert_competition(tx: &mut Tx, c: &NewCompetition<'_>, by: &str) -> Result<i64, StoreError> {
    let now = OffsetDateTime::now_utc();
    Ok(on_tx!(tx, conn => sqlx::query_scalar(
        "INSERT INTO competitions (code, name, tier, organiser, organisation_id, starts_on, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
        .bind(c.code).bind(c.name).bind(c.tier).bind(c.organiser).bind(c.organisation_id).bind(c.starts_on).bind(by).bind(now)
        .fetch_one(&mut *conn).await.map_err(StoreError::from_sqlx)?))
}

pub async fn competition_by_code(db: &Db, code: &str) -> Result<Option<CompetitionRow>, StoreError> {
    let sql = format!("SELECT {COMPETITION_COLS} FROM competitions WHERE code = $1");
    let sql = sqlx::AssertSqlSafe(sql);
    Ok(on_pool!(db, pool => sqlx::query_as(sql).bind(code).fetch_optional(pool).await?))
}

pub async fn competition_by_id(db: &Db, id: i64) -> Result<Option<CompetitionRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COMPETITION_COLS} FROM competitions WHERE id = $1"));
    Ok(on_pool!(db, pool => sqlx::query_as(sql).bind(id).fetch_optional(pool).await?))
}

/// Every competition, newest first.
pub async fn competitions(db: &Db) -> Result<Vec<CompetitionRow>, StoreError> {
    let sql =
        sqlx::AssertSqlSafe(format!("SELECT {COMPETITION_COLS} FROM competitions ORDER BY starts_on DESC, id DESC"));
    Ok(on_pool!(db, pool => sqlx::query_as(sql).fetch_all(pool).await?))
}

pub struct NewEvent<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub occupation_code: &'a str,
    pub level_min: u8,
    pub level_max: u8,
    pub team_size: u32,
    pub occupation_required: bool,
}

pub async fn insert_event(tx: &mut Tx, competition_id: i64, e: &NewEvent<'_>) -> Result<i64, StoreError> {
    Ok(on_tx!(tx, conn => sqlx::query_scalar(
        "INSERT INTO competition_events (competition_id, code, name, occupation_code, level_min, level_max, team_size, \
         occupation_required) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
        .bind(competition_id).bind(e.code).bind(e.name).bind(e.occupation_code).bind(i32::from(e.level_min))
        .bind(i32::from(e.level_max)).bind(e.team_size as i32).bind(e.occupation_required)
        .fetch_one(&mut *conn).await.map_err(StoreError::from_sqlx)?))
}

pub async fn events_of(db: &Db, competition_id: i64) -> Result<Vec<EventRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {EVENT_COLS} FROM competition_events WHERE competition_id = $1 ORDER BY code"
    ));
    Ok(on_pool!(db, pool => sqlx::query_as(sql).bind(competition_id).fetch_all(pool).await?))
}

pub async fn event_by_code(db: &Db, competition_id: i64, code: &str) -> Result<Option<EventRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {EVENT_COLS} FROM competition_events WHERE competition_id = $1 AND code = $2"
    ));
    Ok(on_pool!(db, pool => sqlx::query_as(sql).bind(competition_id).bind(code).fetch_optional(pool).await?))
}

pub async fn event_by_id(db: &Db, id: i64) -> Result<Option<EventRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {EVENT_COLS} FROM competition_events WHERE id = $1"));
    Ok(on_pool!(db, pool => sqlx::query_as(sql).bind(id).fetch_optional(pool).await?))
}

/// Sets the marking scheme while no mark has been given.
pub async fn set_scheme(tx: &mut Tx, event_id: i64, scheme_json: &str) -> Result<bool, StoreError> {
    let n = on_tx!(tx, conn => sqlx::query(
        "UPDATE competition_events SET scheme_json = $1 WHERE id = $2 AND ledger_seq = 0 AND published_on IS NULL")
        .bind(scheme_json).bind(event_id).execute(&mut *conn).await?.rows_affected());
    Ok(n == 1)
}

pub async fn set_published(tx: &mut Tx, event_id: i64, on: Date) -> Result<(), StoreError> {
    on_tx!(tx, conn => sqlx::query("UPDATE competition_events SET published_on = $1 WHERE id = $2")
        .bind(on).bind(event_id).execute(&mut *conn).await.map(|_| ())?);
    Ok(())
}

pub struct NewEntry<'a> {
    pub person_id: i64,
    pub entry_group: &'a str,
    pub bib: &'a str,
    pub team: Option<&'a str>,
    pub organisation_uscc: Option<&'a str>,
    pub eligibility_zh: &'a str,
    pub eligibility_en: &'a str,
}

pub async fn insert_entry(tx: &mut Tx, event_id: i64, e: &NewEntry<'_>) -> Result<i64, StoreError> {
    let now = OffsetDateTime::now_utc();
    Ok(on_tx!(tx, conn => sqlx::query_scalar(
        "INSERT INTO competition_entries (event_id, person_id, entry_group, bib, team, organisation_uscc, \
         eligibility_zh, eligibility_en, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id")
        .bind(event_id).bind(e.person_id).bind(e.entry_group).bind(e.bib).bind(e.team).bind(e.organisation_uscc)
        .bind(e.eligibility_zh).bind(e.eligibility_en).bind(now)
        .fetch_one(&mut *conn).await.map_err(StoreError::from_sqlx)?))
}

/// An event's entries, by competitor number.
pub async fn entries_of(db: &Db, event_id: i64) -> Result<Vec<EntryRow>, StoreError> {
    let sql =
        sqlx::AssertSqlSafe(format!("SELECT {ENTRY_COLS} FROM competition_entries WHERE event_id = $1 ORDER BY bib"));
    Ok(on_pool!(db, pool => sqlx::query_as(sql).bind(event_id).fetch_all(pool).await?))
}

/// A person's entries, newest first.
pub async fn entries_of_person(db: &Db, person_id: i64) -> Result<Vec<EntryRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {ENTRY_COLS} FROM competition_entries WHERE person_id = $1 ORDER BY id DESC"
    ));
    Ok(on_pool!(db, pool => sqlx::query_as(sql).bind(person_id).fetch_all(pool).await?))
}

/// Records the sign-off of an entry's marks; `false` when it was signed off already.
pub async fn sign_off(tx: &mut Tx, entry_id: i64, total: u32, measurement: u32, by: &str) -> Result<bool, StoreError> {
    let now = OffsetDateTime::now_utc();
    let n = on_tx!(tx, conn => sqlx::query(
        "UPDATE competition_entries SET signed_off_at = $1, signed_off_by = $2, total_hundredths = $3, \
         measurement_hundredths = $4 WHERE id = $5 AND signed_off_at IS NULL")
        .bind(now).bind(by).bind(i64::from(total)).bind(i64::from(measurement)).bind(entry_id)
        .execute(&mut *conn).await?.rows_affected());
    Ok(n == 1)
}

/// The standing of an entry when results are published.
pub async fn set_standing(
    tx: &mut Tx,
    entry_id: i64,
    standardised_tenths: i64,
    place: u32,
    award: Option<&str>,
    result_id: Option<i64>,
) -> Result<(), StoreError> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE competition_entries SET standardised_tenths = $1, place = $2, award = $3, result_id = $4 WHERE id = $5")
        .bind(standardised_tenths).bind(i64::from(place)).bind(award).bind(result_id).bind(entry_id)
        .execute(&mut *conn).await.map(|_| ())?);
    Ok(())
}

pub struct NewJudge<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub organisation_uscc: Option<&'a str>,
    pub username: Option<&'a str>,
}

pub async fn insert_judge(tx: &mut Tx, event_id: i64, j: &NewJudge<'_>) -> Result<i64, StoreError> {
    Ok(on_tx!(tx, conn => sqlx::query_scalar(
        "INSERT INTO competition_judges (event_id, code, name, organisation_uscc, username) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id")
        .bind(event_id).bind(j.code).bind(j.name).bind(j.organisation_uscc).bind(j.username)
        .fetch_one(&mut *conn).await.map_err(StoreError::from_sqlx)?))
}

pub async fn judges_of(db: &Db, event_id: i64) -> Result<Vec<JudgeRow>, StoreError> {
    let sql =
        sqlx::AssertSqlSafe(format!("SELECT {JUDGE_COLS} FROM competition_judges WHERE event_id = $1 ORDER BY code"));
    Ok(on_pool!(db, pool => sqlx::query_as(sql).bind(event_id).fetch_all(pool).await?))
}

/// The result id of a stored competition result by its natural key.
pub async fn result_id_in(
    tx: &mut Tx,
    person_id: i64,
    competition: &str,
    occupation: &str,
    awarded_on: Date,
) -> Result<Option<i64>, StoreError> {
    Ok(on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT id FROM competition_results WHERE person_id = $1 AND competition = $2 AND occupation_code = $3 \
         AND awarded_on = $4")
        .bind(person_id).bind(competition).bind(occupation).bind(awarded_on).fetch_optional(&mut *conn).await?))
}

/// An event's entries inside a write transaction, after locking the event's row (its ledger
/// head) so marking and sign-off of one event take turns.
pub async fn entries_of_in(tx: &mut Tx, event_id: i64) -> Result<Vec<EntryRow>, StoreError> {
    static LOCK: crate::dialect::PerBackend<String> = crate::dialect::PerBackend::new(|b| {
        format!("SELECT ledger_seq FROM competition_events WHERE id = $1{}", crate::dialect::for_update(b))
    });
    let lock = LOCK.sql(tx.backend());
    let sql =
        sqlx::AssertSqlSafe(format!("SELECT {ENTRY_COLS} FROM competition_entries WHERE event_id = $1 ORDER BY bib"));
    Ok(on_tx!(tx, conn => {
        let _: i64 = sqlx::query_scalar(lock).bind(event_id).fetch_one(&mut *conn).await?;
        sqlx::query_as(sql).bind(event_id).fetch_all(&mut *conn).await?
    }))
}

/// The entries of an event with these competitor numbers, inside a write transaction, after
/// locking the event's row as [`entries_of_in`] does.
pub async fn entries_with_bibs_in(tx: &mut Tx, event_id: i64, bibs: &[String]) -> Result<Vec<EntryRow>, StoreError> {
    static LOCK: crate::dialect::PerBackend<String> = crate::dialect::PerBackend::new(|b| {
        format!("SELECT ledger_seq FROM competition_events WHERE id = $1{}", crate::dialect::for_update(b))
    });
    let lock = LOCK.sql(tx.backend());
    let mut out = Vec::new();
    on_tx!(tx, conn => {
        let _: i64 = sqlx::query_scalar(lock).bind(event_id).fetch_one(&mut *conn).await?;
        for part in bibs.chunks(crate::KEY_CHUNK) {
            let mut qb = sqlx::QueryBuilder::new(format!(
                "SELECT {ENTRY_COLS} FROM competition_entries WHERE event_id = "
            ));
            qb.push_bind(event_id).push(" AND bib IN ");
            crate::push_in_list(&mut qb, part.iter().map(String::as_str));
            out.extend(qb.build_query_as::<EntryRow>().fetch_all(&mut *conn).await?);
        }
        Ok::<(), StoreError>(())
    })?;
    Ok(out)
}

/// A person's entry with its competition and event, as their record shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct PersonEntry {
    pub competition_code: String,
    pub competition: String,
    pub tier: String,
    pub event_code: String,
    pub event: String,
    pub occupation_code: String,
    #[serde(with = "gongjiang_domain::dates::serde_iso::option")]
    pub published_on: Option<Date>,
    pub entry_group: String,
    pub bib: String,
    pub eligibility_zh: String,
    pub eligibility_en: String,
    pub signed_off_by: Option<String>,
    pub total_hundredths: Option<i64>,
    pub standardised_tenths: Option<i64>,
    pub place: Option<i64>,
    pub award: Option<String>,
}

/// Every entry of a person, newest competition first.
pub async fn entries_with_events_of_person(db: &Db, person_id: i64) -> Result<Vec<PersonEntry>, StoreError> {
    const SQL: &str = "SELECT c.code AS competition_code, c.name AS competition, c.tier, e.code AS event_code, \
         e.name AS event, e.occupation_code, e.published_on, x.entry_group, x.bib, x.eligibility_zh, x.eligibility_en, \
         x.signed_off_by, x.total_hundredths, x.standardised_tenths, x.place, x.award \
         FROM competition_entries x JOIN competition_events e ON e.id = x.event_id \
         JOIN competitions c ON c.id = e.competition_id WHERE x.person_id = $1 ORDER BY c.starts_on DESC, x.id DESC";
    Ok(on_pool!(db, pool => sqlx::query_as(SQL).bind(person_id).fetch_all(pool).await?))
}

/// Names of the persons behind these ids (for published results: the name is shown masked).
pub async fn names_of(db: &Db, person_ids: &[i64]) -> Result<std::collections::HashMap<i64, String>, StoreError> {
    let mut out = std::collections::HashMap::new();
    for part in person_ids.chunks(crate::KEY_CHUNK) {
        let rows: Vec<(i64, String)> = on_pool!(db, pool => {
            let mut qb = sqlx::QueryBuilder::new("SELECT id, name FROM persons WHERE id IN ");
            crate::push_in_list(&mut qb, part.iter().copied());
            qb.build_query_as().fetch_all(pool).await?
        });
        out.extend(rows);
    }
    Ok(out)
}
