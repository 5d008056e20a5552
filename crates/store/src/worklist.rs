//! What the web pages list across the evaluation tables and import runs: a user's work to do
//! (applications refused by the engine that a reviewer may still admit, objections during
//! publicity), the sessions they may see, recent import runs. Every query of records takes the
//! caller's scope and reads only within it (`crate::scope`).

use gongjiang_domain::access::Scope;
use sqlx::QueryBuilder;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::scope::{self, Belongs};
use crate::{Db, StoreError, on_pool, push_in_list};

/// Applications (`evaluation_applications a JOIN persons p … JOIN evaluation_institutions i
/// LEFT JOIN organisations io`): as their candidate (district, employer, themself) and as the
/// session's institution (its organisation and that organisation's district).
const APPLICATIONS_BELONG: Belongs = Belongs {
    districts: &["p.district_code IN {}", "io.district_code IN {}"],
    organisations: &["p.employer_id IN {}", "i.organisation_id IN {}"],
    persons: &["p.id IN {}"],
};

/// Sessions (`evaluation_sessions s JOIN evaluation_institutions i LEFT JOIN organisations io`):
/// as their institution (its organisation and district), and as each of their applicants.
const SESSIONS_BELONG: Belongs = Belongs {
    districts: &[
        "io.district_code IN {}",
        "EXISTS (SELECT 1 FROM evaluation_applications a JOIN persons p ON p.id = a.person_id \
         WHERE a.session_id = s.id AND p.district_code IN {})",
    ],
    organisations: &[
        "i.organisation_id IN {}",
        "EXISTS (SELECT 1 FROM evaluation_applications a JOIN persons p ON p.id = a.person_id \
         WHERE a.session_id = s.id AND p.employer_id IN {})",
    ],
    persons: &["EXISTS (SELECT 1 FROM evaluation_applications a WHERE a.session_id = s.id AND a.person_id IN {})"],
};

/// An application to look at, with its session and candidate.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApplicationItem {
    pub application_id: i64,
    pub session_public_id: Uuid,
    pub occupation_code: String,
    pub level: i16,
    pub institution_name: String,
    pub person_public_id: Uuid,
    pub name: String,
    pub applied_on: Date,
    pub reason_zh: String,
    pub reason_en: String,
}

const APPLICATIONS: &str = "SELECT a.id AS application_id, s.public_id AS session_public_id, s.occupation_code, s.level, \
     i.name AS institution_name, p.public_id AS person_public_id, p.name, a.applied_on, a.reason_zh, a.reason_en \
     FROM evaluation_applications a JOIN evaluation_sessions s ON s.id = a.session_id \
     JOIN evaluation_institutions i ON i.id = s.institution_id LEFT JOIN organisations io ON io.id = i.organisation_id \
     JOIN persons p ON p.id = a.person_id ";

/// Applications the engine refused that no one has admitted by override, in sessions still
/// open for applications: a reviewer may admit them (破格) or tell the applicant why not.
pub async fn refused_to_review(db: &Db, scope: &Scope, limit: i64) -> Result<Vec<ApplicationItem>, StoreError> {
    Ok(on_pool!(db, pool => {
        let mut qb = QueryBuilder::new(APPLICATIONS);
        qb.push("WHERE a.status = 'refused' AND a.override_by IS NULL AND s.status = 'open'");
        scope::push(&mut qb, scope, &APPLICATIONS_BELONG);
        qb.push(" ORDER BY a.id DESC LIMIT ").push_bind(limit);
        qb.build_query_as().fetch_all(pool).await?
    }))
}

/// An objection lodged during publicity and not yet resolved.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ObjectionItem {
    pub objection_id: i64,
    pub session_public_id: Uuid,
    pub occupation_code: String,
    pub level: i16,
    pub institution_name: String,
    pub name: String,
    pub lodged_at: OffsetDateTime,
    pub text: String,
    pub publicity_ends_on: Option<Date>,
}

pub async fn open_objections(db: &Db, scope: &Scope, limit: i64) -> Result<Vec<ObjectionItem>, StoreError> {
    Ok(on_pool!(db, pool => {
        let mut qb = QueryBuilder::new(
            "SELECT o.id AS objection_id, s.public_id AS session_public_id, s.occupation_code, s.level, \
             i.name AS institution_name, p.name, o.lodged_at, o.text, s.publicity_ends_on \
             FROM evaluation_objections o JOIN evaluation_applications a ON a.id = o.application_id \
             JOIN evaluation_sessions s ON s.id = a.session_id JOIN evaluation_institutions i ON i.id = s.institution_id \
             LEFT JOIN organisations io ON io.id = i.organisation_id JOIN persons p ON p.id = a.person_id \
             WHERE o.status = 'open'",
        );
        scope::push(&mut qb, scope, &APPLICATIONS_BELONG);
        qb.push(" ORDER BY o.id LIMIT ").push_bind(limit);
        qb.build_query_as().fetch_all(pool).await?
    }))
}

/// An open correction request about a person the caller reaches.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CorrectionItem {
    pub person_public_id: Uuid,
    pub name: String,
    pub field: String,
    pub reason: String,
    pub requested_at: OffsetDateTime,
}

/// Open correction requests, oldest first, about the persons `scope` reaches (as persons).
pub async fn open_corrections(db: &Db, scope: &Scope, limit: i64) -> Result<Vec<CorrectionItem>, StoreError> {
    Ok(on_pool!(db, pool => {
        let mut qb = QueryBuilder::new(
            "SELECT p.public_id AS person_public_id, p.name, c.field, c.reason, c.requested_at \
             FROM correction_requests c JOIN persons p ON p.id = c.person_id \
             LEFT JOIN organisations o ON o.id = p.employer_id WHERE c.status = 'open'",
        );
        scope::push(&mut qb, scope, &scope::PERSONS);
        qb.push(" ORDER BY c.id LIMIT ").push_bind(limit);
        qb.build_query_as().fetch_all(pool).await?
    }))
}

/// A session as the evaluation list shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionItem {
    pub id: i64,
    pub public_id: Uuid,
    pub institution_name: String,
    pub occupation_code: String,
    pub level: i16,
    pub theory_on: Date,
    pub status: String,
    pub publicity_ends_on: Option<Date>,
    pub applications: i64,
    pub admitted: i64,
    pub certificates: i64,
}

const SESSIONS: &str = "SELECT s.id, s.public_id, i.name AS institution_name, s.occupation_code, s.level, \
     s.theory_on, s.status, s.publicity_ends_on, \
     (SELECT COUNT(*) FROM evaluation_applications x WHERE x.session_id = s.id) AS applications, \
     (SELECT COUNT(*) FROM evaluation_applications x WHERE x.session_id = s.id AND x.status = 'admitted') AS admitted, \
     (SELECT COUNT(*) FROM certificates c WHERE c.session_id = s.id) AS certificates \
     FROM evaluation_sessions s JOIN evaluation_institutions i ON i.id = s.institution_id \
     LEFT JOIN organisations io ON io.id = i.organisation_id WHERE 1 = 1";

/// Sessions within reach, newest first: those of the caller's institutions, of institutions in
/// their districts, and those with an applicant they reach.
pub async fn sessions(db: &Db, scope: &Scope, limit: i64) -> Result<Vec<SessionItem>, StoreError> {
    Ok(on_pool!(db, pool => {
        let mut qb = QueryBuilder::new(SESSIONS);
        scope::push(&mut qb, scope, &SESSIONS_BELONG);
        qb.push(" ORDER BY s.theory_on DESC, s.id DESC LIMIT ").push_bind(limit);
        qb.build_query_as().fetch_all(pool).await?
    }))
}

/// Whether a session is within reach (the rule of [`sessions`]).
pub async fn session_in_reach(db: &Db, scope: &Scope, session_id: i64) -> Result<bool, StoreError> {
    let found: Vec<SessionItem> = on_pool!(db, pool => {
        let mut qb = QueryBuilder::new(SESSIONS);
        qb.push(" AND s.id = ").push_bind(session_id);
        scope::push(&mut qb, scope, &SESSIONS_BELONG);
        qb.build_query_as().fetch_all(pool).await?
    });
    Ok(!found.is_empty())
}

/// One import run.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ImportRun {
    pub id: i64,
    pub kind: String,
    pub file_name: String,
    pub started_at: OffsetDateTime,
    pub finished_at: Option<OffsetDateTime>,
    /// Set when the run's process died before it finished (`app::import::runs`).
    pub interrupted_at: Option<OffsetDateTime>,
    pub read: i64,
    pub inserted: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub rejected: i64,
}

/// The latest import runs, newest first; with `rejected_only`, those that rejected rows.
pub async fn import_runs(db: &Db, rejected_only: bool, limit: i64) -> Result<Vec<ImportRun>, StoreError> {
    const ALL: &str = "SELECT id, kind, file_name, started_at, finished_at, interrupted_at, read, inserted, updated, \
         unchanged, rejected FROM import_runs ORDER BY id DESC LIMIT $1";
    const REJECTED: &str = "SELECT id, kind, file_name, started_at, finished_at, interrupted_at, read, inserted, updated, \
         unchanged, rejected FROM import_runs WHERE rejected > 0 ORDER BY id DESC LIMIT $1";
    let sql = if rejected_only { REJECTED } else { ALL };
    Ok(on_pool!(db, pool => sqlx::query_as(sql).bind(limit).fetch_all(pool).await?))
}

/// Certificates of a person, newest first: what the person page lists.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PersonCertificate {
    pub public_id: Uuid,
    pub number: String,
    pub occupation_code: String,
    pub occupation_name: String,
    pub level_text: String,
    pub issue_date: Date,
    pub status: String,
    pub institution_name: String,
    pub signed: bool,
}

pub async fn certificates_of(db: &Db, person_id: i64) -> Result<Vec<PersonCertificate>, StoreError> {
    const SQL: &str = "SELECT c.public_id, c.number, c.occupation_code, c.occupation_name, c.level_text, c.issue_date, \
         c.status, c.institution_name, (c.credential IS NOT NULL) AS signed FROM certificates c \
         WHERE c.person_id = $1 ORDER BY c.issue_date DESC, c.id DESC";
    Ok(on_pool!(db, pool => sqlx::query_as(SQL).bind(person_id).fetch_all(pool).await?))
}

/// The public id of a person, by internal id (a worker's role names their person by id).
pub async fn person_public_id(db: &Db, person_id: i64) -> Result<Option<Uuid>, StoreError> {
    const SQL: &str = "SELECT public_id FROM persons WHERE id = $1";
    Ok(on_pool!(db, pool => sqlx::query_scalar(SQL).bind(person_id).fetch_optional(pool).await?))
}

/// The credit code and name of an organisation, by internal id.
pub async fn organisation_names(db: &Db, ids: &[i64]) -> Result<Vec<(i64, String, String, Uuid)>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(on_pool!(db, pool => {
        let mut qb = QueryBuilder::new("SELECT id, uscc, name, public_id FROM organisations WHERE id IN ");
        push_in_list(&mut qb, ids.iter().copied());
        qb.push(" ORDER BY id");
        qb.build_query_as().fetch_all(pool).await?
    }))
}

/// Every objection to a session's results, oldest first, with the candidate's name.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionObjection {
    pub id: i64,
    pub application_id: i64,
    pub name: String,
    pub lodged_by: String,
    pub lodged_at: OffsetDateTime,
    pub text: String,
    pub status: String,
    pub resolved_by: Option<String>,
    pub resolution_note: Option<String>,
    pub new_result: Option<String>,
}

pub async fn objections_of_session(db: &Db, session_id: i64) -> Result<Vec<SessionObjection>, StoreError> {
    const SQL: &str = "SELECT o.id, o.application_id, p.name, o.lodged_by, o.lodged_at, o.text, o.status, \
         o.resolved_by, o.resolution_note, o.new_result FROM evaluation_objections o \
         JOIN evaluation_applications a ON a.id = o.application_id JOIN persons p ON p.id = a.person_id \
         WHERE a.session_id = $1 ORDER BY o.id";
    Ok(on_pool!(db, pool => sqlx::query_as(SQL).bind(session_id).fetch_all(pool).await?))
}

/// Organisations whose name contains `name` (any other filters as in `organisations::list`),
/// keyset-paged by id. A substring match scans the table: organisations are about one per
/// forty persons, so a few hundred thousand rows at most.
pub async fn organisations_named(
    db: &Db,
    scope: &gongjiang_domain::access::Scope,
    name: &str,
    district: Option<&str>,
    after: Option<i64>,
    limit: i64,
) -> Result<Vec<crate::organisations::Organisation>, StoreError> {
    Ok(on_pool!(db, pool => {
        let mut qb = QueryBuilder::new(
            "SELECT id, public_id, uscc, name, kind, district_code, industry FROM organisations WHERE name LIKE ",
        );
        let escaped = name.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        qb.push_bind(format!("%{escaped}%")).push(" ESCAPE '\\'");
        if let Some(d) = district {
            qb.push(" AND district_code = ").push_bind(d.to_string());
        }
        if let Some(a) = after {
            qb.push(" AND id > ").push_bind(a);
        }
        crate::scope::push(&mut qb, scope, &crate::scope::ORGANISATIONS);
        qb.push(" ORDER BY id LIMIT ").push_bind(limit);
        qb.build_query_as().fetch_all(pool).await?
    }))
}
