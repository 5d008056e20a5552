//! Applications: one worker at a time or an employer's file, each judged by the eligibility
//! engine as of its application date; the decision and its explanation are kept with it.

use std::collections::HashMap;
use std::path::Path;

use gongjiang_domain::access::Scope;
use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::dates::{iso, parse_date};
use gongjiang_domain::eligibility::Decision;
use gongjiang_domain::evaluation::{self, InstitutionCategory, SessionStatus};
use gongjiang_domain::standards::Asked;
use gongjiang_store::applications::{self as store, Admission, NewApplication};
use gongjiang_store::sessions::{self as session_store, Session};
use gongjiang_store::{institutions, persons, tx};
use gongjiang_tabular::RowReader;
use serde::Serialize;
use time::Date;

use super::{BulkSummary, invalid, level_of, required_text, session};
use crate::audit::{self, Actor};
use crate::import::columns::{Column, HeaderMap};
use crate::import::rows::FieldError;
use crate::import::{RejectedRow, write_error_report};
use crate::{App, AppError, candidate};

pub(crate) const RESOURCE: &str = "evaluation_applications";

pub struct Apply<'a> {
    pub session_id: i64,
    pub id_number: &'a str,
    /// When given, must match the registered name.
    pub name: Option<&'a str>,
    pub applied_on: Date,
    /// Who submitted it: the worker, or the employer's user.
    pub submitted_by: &'a str,
}

/// An application as stored.
#[derive(Debug, Clone, Serialize)]
pub struct Applied {
    pub application_id: i64,
    pub admitted: bool,
    /// The decision's one-line explanation (why refused, or which rule was met).
    pub reason: Msg,
    pub decision: Decision,
}

/// Which part of an application was wrong, for a file's error report.
#[derive(Debug)]
pub enum Field {
    IdNumber,
    Name,
    Session,
    Whole,
}

/// Applies for a session. Refusals that the eligibility engine makes are stored (an
/// administrator may override them); all others (session not open, not the institution's
/// staff, duplicate, full) store nothing and return the reason.
/// Audited as `application.submit` (refusals the engine makes too: they are stored).
pub async fn apply(app: &App, actor: &Actor, a: &Apply<'_>) -> Result<Applied, AppError> {
    let s = session(app, a.session_id).await?;
    apply_to(app, actor, &s, a).await.map_err(|(_, e)| e)
}

async fn apply_to(app: &App, actor: &Actor, s: &Session, a: &Apply<'_>) -> Result<Applied, (Field, AppError)> {
    let whole = |e: AppError| (Field::Whole, e);
    s.status().require(SessionStatus::Open, &Msg::new("报名", "apply")).map_err(|m| whole(AppError::Invalid(m)))?;
    let person =
        persons::by_id_number(&app.db, a.id_number.trim()).await.map_err(|e| whole(e.into()))?.ok_or_else(|| {
            (Field::IdNumber, invalid("人员未登记：请先登记人员", "person not registered: register them first"))
        })?;
    if let Some(name) = a.name.map(str::trim).filter(|n| !n.is_empty())
        && name != person.name
    {
        return Err((
            Field::Name,
            invalid(
                format!("姓名与登记的“{}”不一致", person.name),
                format!("the name does not match the registered one ('{}')", person.name),
            ),
        ));
    }
    let institution = institutions::get(&app.db, s.institution_id)
        .await
        .map_err(|e| whole(e.into()))?
        .ok_or_else(|| whole(super::institutions::no_institution(s.institution_id)))?;
    let category = InstitutionCategory::parse(&institution.category).unwrap_or(InstitutionCategory::Social);
    let relation = institutions::staff_relation(&app.db, &institution, person.id, a.applied_on)
        .await
        .map_err(|e| whole(e.into()))?;
    evaluation::check_own_staff(category, relation, a.applied_on).map_err(|m| whole(AppError::Invalid(m)))?;
    let level = level_of(s.level).map_err(whole)?;
    let decision = candidate::decide_for(
        app,
        &person,
        level,
        Some(&s.occupation_code),
        a.applied_on,
        Asked::Session(&s.standard_edition),
    )
    .await
    .map_err(whole)?;
    let reason = decision.summary();
    let json = serde_json::to_string(&decision).unwrap_or_default();
    let new = NewApplication {
        session_id: s.id,
        person_id: person.id,
        applied_on: a.applied_on,
        admitted: decision.eligible,
        decision: &json,
        reason_zh: &reason.zh,
        reason_en: &reason.en,
        submitted_by: a.submitted_by,
    };
    let mut t = tx::begin(&app.db).await.map_err(|e| whole(e.into()))?;
    let stored = store::submit_in(&mut t, &new).await.map_err(|e| whole(e.into()))?;
    match stored {
        Admission::Stored(id) => {
            let after = serde_json::json!({
                "session_id": s.id, "person_id": person.id, "applied_on": iso(a.applied_on),
                "status": if decision.eligible { "admitted" } else { "refused" }, "reason_en": reason.en,
                "submitted_by": a.submitted_by,
            });
            audit::record(&mut t, actor, "application.submit", RESOURCE, Some(&id.to_string()), None, Some(&after))
                .await
                .map_err(|e| whole(e.into()))?;
            t.commit().await.map_err(|e| whole(e.into()))?;
            Ok(Applied { application_id: id, admitted: decision.eligible, reason, decision })
        }
        Admission::Duplicate => {
            Err((Field::IdNumber, invalid("此人已报名该评价计划", "this person has applied to this session already")))
        }
        Admission::Full { capacity } => Err(whole(invalid(
            format!("该评价计划已满（{capacity} 人）"),
            format!("the session is full ({capacity} candidates)"),
        ))),
    }
}

/// Admits a refused application by override (破格): who, when and why are recorded; the
/// justification is required. Audited as `application.override`.
pub async fn admit_by_override(
    app: &App,
    actor: &Actor,
    application_id: i64,
    by: &str,
    justification: &str,
) -> Result<(), AppError> {
    let by = required_text(by, "审批人", "approver")?;
    let justification = required_text(justification, "破格理由", "justification")?;
    let a = store::get(&app.db, application_id).await?.ok_or_else(|| {
        AppError::NotFound(Msg::new(
            format!("没有编号为 {application_id} 的报名"),
            format!("no application {application_id}"),
        ))
    })?;
    session(app, a.session_id)
        .await?
        .status()
        .require(SessionStatus::Open, &Msg::new("破格准考", "admit by override"))
        .map_err(AppError::Invalid)?;
    if a.status != "refused" {
        return Err(invalid("该报名已准考，无需破格", "this application is admitted already"));
    }
    let mut t = tx::begin(&app.db).await?;
    match store::admit_by_override_in(&mut t, application_id, by, justification).await? {
        Admission::Stored(_) => {
            let before = serde_json::json!({ "status": "refused" });
            let after = serde_json::json!({ "status": "admitted", "override_by": by, "justification": justification });
            let id = application_id.to_string();
            audit::record(&mut t, actor, "application.override", RESOURCE, Some(&id), Some(&before), Some(&after))
                .await?;
            t.commit().await?;
            Ok(())
        }
        Admission::Full { capacity } => Err(invalid(
            format!("该评价计划已满（{capacity} 人）"),
            format!("the session is full ({capacity} candidates)"),
        )),
        Admission::Duplicate => Err(invalid("该报名已准考", "this application is admitted already")),
    }
}

/// Columns of an applications file.
pub const COLUMNS: &[Column] = &[
    Column {
        name: "id_number", zh: &["身份证号", "证件号码", "公民身份号码", "身份证号码"], required: true
    },
    Column { name: "name", zh: &["姓名"], required: true },
    Column { name: "session", zh: &["评价计划", "评价计划编号", "考评计划"], required: false },
    Column { name: "occupation", zh: &["职业代码", "职业"], required: false },
    Column { name: "level", zh: &["技能等级", "等级", "申报等级", "职业技能等级"], required: false },
    Column { name: "applied_on", zh: &["申报日期", "报名日期"], required: true },
];

/// Applies every row of an employer's file to `institution_id`'s sessions. A row names its
/// session (id or public id) or an occupation and level with one open session. Good rows are
/// kept whatever their neighbours; refused and rejected rows go to the report (`errors_path`).
pub async fn apply_file(
    app: &App,
    actor: &Actor,
    institution_id: i64,
    path: &Path,
    submitted_by: &str,
    errors_path: Option<&Path>,
) -> Result<BulkSummary, AppError> {
    let mut reader = RowReader::open(path)?;
    let h = HeaderMap::new(COLUMNS, reader.headers()).map_err(AppError::BadFile)?;
    let mut out = BulkSummary::default();
    for ignored in &h.ignored {
        out.warnings.push(Msg::new(format!("已忽略未知列：{ignored}"), format!("ignored unknown column: {ignored}")));
    }
    let label = |i: usize| h.labels[i].clone();
    let mut sessions_seen: HashMap<(String, String, String), Resolved> = HashMap::new();
    while let Some(row) = reader.next_row() {
        out.read += 1;
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                out.report.push(RejectedRow {
                    line: 0,
                    errors: vec![FieldError {
                        column: String::new(),
                        value: String::new(),
                        reason: Msg::new(e.to_string(), e.to_string()),
                    }],
                });
                continue;
            }
        };
        let cell = |i: usize| h.get(i, &row.cells);
        let reject = |i: usize, reason: Msg| RejectedRow {
            line: row.line,
            errors: vec![FieldError {
                column: if i < COLUMNS.len() { label(i) } else { String::new() },
                value: if i < COLUMNS.len() { cell(i).to_string() } else { String::new() },
                reason,
            }],
        };
        let mut errors = Vec::new();
        let applied_on = parse_date(cell(5));
        if applied_on.is_none() {
            errors.push(reject(
                5,
                Msg::new("申报日期无效（例：2026-03-01）", "invalid application date (e.g. 2026-03-01)"),
            ));
        }
        // A file names few sessions: resolve each (session, occupation, level) once.
        let key = (cell(2).to_string(), cell(3).to_string(), cell(4).to_string());
        let resolved = match sessions_seen.get(&key) {
            Some(r) => r.clone(),
            None => {
                let r = resolve_session(app, institution_id, &key.0, &key.1, &key.2).await;
                sessions_seen.insert(key, r.clone());
                r
            }
        };
        let s = match resolved {
            Ok(s) => Some(s),
            Err((i, m)) => {
                errors.push(reject(i, m));
                None
            }
        };
        let (Some(s), Some(applied_on), true) = (s, applied_on, errors.is_empty()) else {
            out.report
                .push(RejectedRow { line: row.line, errors: errors.into_iter().flat_map(|r| r.errors).collect() });
            continue;
        };
        let a = Apply { session_id: s.id, id_number: cell(0), name: Some(cell(1)), applied_on, submitted_by };
        match apply_to(app, actor, &s, &a).await {
            Ok(done) if done.admitted => out.accepted += 1,
            Ok(done) => {
                out.refused += 1;
                out.report.push(reject(0, done.reason));
            }
            Err((field, AppError::Invalid(m) | AppError::NotFound(m))) => {
                let i = match field {
                    Field::IdNumber => 0,
                    Field::Name => 1,
                    Field::Session => 2,
                    Field::Whole => usize::MAX,
                };
                out.report.push(reject(i, m));
            }
            Err((_, e)) => return Err(e),
        }
    }
    out.rejected = out.read - out.accepted - out.refused;
    out.report.sort_by_key(|r| r.line);
    if let Some(p) = errors_path {
        write_error_report(p, &out.report)?;
    }
    Ok(out)
}

/// A file row's session, or the column index and reason it could not be found.
type Resolved = Result<Session, (usize, Msg)>;

/// The session a file row means: by id / public id, or the institution's one open session of
/// the occupation and level. The error names the column index it is about.
async fn resolve_session(app: &App, institution_id: i64, session: &str, occupation: &str, level: &str) -> Resolved {
    let db_err = |e: gongjiang_store::StoreError| (2, Msg::new(e.to_string(), e.to_string()));
    if !session.is_empty() {
        let found = if let Ok(id) = session.parse::<i64>() {
            session_store::get(&app.db, id).await.map_err(db_err)?
        } else if let Ok(u) = uuid::Uuid::parse_str(session) {
            // The evaluation workflow is the operator's (CLI) for now: every session.
            session_store::by_public_id(&app.db, &Scope::all(), u).await.map_err(db_err)?
        } else {
            None
        };
        return match found {
            Some(s) if s.institution_id == institution_id => Ok(s),
            _ => Err((2, Msg::new("本机构没有此评价计划", "no such session of this institution"))),
        };
    }
    if occupation.is_empty() || level.is_empty() {
        return Err((
            2,
            Msg::new("请填写评价计划，或同时填写职业代码和等级", "give the session, or both occupation and level"),
        ));
    }
    let Some(rank) = app.policy.ladder.parse_level(level) else {
        return Err((
            4,
            Msg::new(format!("等级“{level}”不在等级阶梯上"), format!("level '{level}' is not on the ladder")),
        ));
    };
    let open = session_store::find(&app.db, institution_id, occupation, rank.rank(), SessionStatus::Open)
        .await
        .map_err(db_err)?;
    match open.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err((
            3,
            Msg::new(
                "本机构没有该职业和等级正在报名的评价计划",
                "this institution has no open session for this occupation and level",
            ),
        )),
        many => Err((
            2,
            Msg::new(
                format!("本机构有 {} 个该职业和等级的评价计划正在报名：请填写评价计划编号", many.len()),
                format!("{} open sessions match this occupation and level: give the session", many.len()),
            ),
        )),
    }
}
