//! Publicity (公示), objections, and finalisation, which issues the certificates.

use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::dates::iso;
use gongjiang_domain::evaluation::{self, CERTIFICATE_TITLE, Resolution, ResultStatus, SessionStatus};
use gongjiang_domain::occupation::OccupationCode;
use gongjiang_domain::registry::IdType;
use gongjiang_store::applications as store;
use gongjiang_store::certificates::{self as certs, Certificate, IssueBatch, NewCertificate};
use gongjiang_store::sessions as session_store;
use gongjiang_store::tx;
use serde::Serialize;
use serde_json::json;
use time::Date;

use super::{invalid, level_of, required_text, session};
use crate::audit::{self, Actor};
use crate::{App, AppError};

/// Examined → publicity, from today for the policy's number of working days. Every admitted
/// candidate must have a result. Returns the last day of the period. Audited as
/// `session.publish`.
pub async fn publish(app: &App, actor: &Actor, session_id: i64) -> Result<Date, AppError> {
    let s = session(app, session_id).await?;
    s.status().transition(SessionStatus::Publicity).map_err(AppError::Invalid)?;
    let unscored = store::unscored_count(&app.db, session_id).await?;
    if unscored > 0 {
        return Err(invalid(
            format!("尚有 {unscored} 名准考考生没有成绩，不能公示"),
            format!("{unscored} admitted candidate(s) have no result yet: results cannot be published"),
        ));
    }
    let today = app.today();
    let last =
        evaluation::publicity_last_day(&app.policy.calendar, today, app.policy.evaluation.publicity.working_days);
    let mut t = tx::begin(&app.db).await?;
    if !session_store::start_publicity_in(&mut t, session_id, today, last).await? {
        return Err(invalid(
            "评价计划状态已被他人更改，请刷新后重试",
            "the session changed meanwhile: reload and retry",
        ));
    }
    let before = json!({ "status": SessionStatus::Examined.code() });
    let mut after = json!({ "status": SessionStatus::Publicity.code(), "published_on": iso(today), "publicity_ends_on": iso(last) });
    // A year the policy's working-day calendar does not cover counted Monday to Friday only.
    let uncovered = app.policy.calendar.uncovered(today, last);
    if !uncovered.is_empty() {
        tracing::warn!(?uncovered, "publicity counted without the holidays of these years");
        after["calendar_uncovered_years"] = json!(uncovered);
    }
    let id = session_id.to_string();
    audit::record(&mut t, actor, "session.publish", SESSIONS, Some(&id), Some(&before), Some(&after)).await?;
    t.commit().await?;
    Ok(last)
}

/// Lodges an objection against a candidate's result during the publicity period. Audited as
/// `objection.lodge`.
pub async fn lodge_objection(
    app: &App,
    actor: &Actor,
    application_id: i64,
    by: &str,
    text: &str,
) -> Result<i64, AppError> {
    let by = required_text(by, "异议人", "objector")?;
    let text = required_text(text, "异议内容", "objection text")?;
    let a = store::get(&app.db, application_id).await?.ok_or_else(|| no_application(application_id))?;
    let s = session(app, a.session_id).await?;
    s.status()
        .require(SessionStatus::Publicity, &Msg::new("提出异议", "lodge an objection"))
        .map_err(AppError::Invalid)?;
    let (Some(from), Some(last)) = (s.published_on, s.publicity_ends_on) else {
        return Err(invalid("该评价计划没有公示期", "the session has no publicity period"));
    };
    evaluation::may_object(from, last, app.today()).map_err(AppError::Invalid)?;
    if a.result.is_none() {
        return Err(invalid("该报名没有公示结果", "this application has no published result"));
    }
    let mut t = tx::begin(&app.db).await?;
    let id = store::lodge_objection_in(&mut t, application_id, by, text).await?;
    let after = json!({ "application_id": application_id, "lodged_by": by, "text": text, "status": "open" });
    audit::record(&mut t, actor, "objection.lodge", OBJECTIONS, Some(&id.to_string()), None, Some(&after)).await?;
    t.commit().await?;
    Ok(id)
}

const SESSIONS: &str = super::sessions::RESOURCE;
const OBJECTIONS: &str = "evaluation_objections";

/// Resolves an open objection: upheld (the result becomes the one given) or dismissed, with a
/// note.
pub async fn resolve_objection(
    app: &App,
    actor: &Actor,
    objection_id: i64,
    resolution: Resolution,
    by: &str,
    note: &str,
) -> Result<(), AppError> {
    let by = required_text(by, "处理人", "administrator")?;
    let note = required_text(note, "处理意见", "resolution note")?;
    let o = store::objection(&app.db, objection_id).await?.ok_or_else(|| {
        AppError::NotFound(Msg::new(
            format!("没有编号为 {objection_id} 的异议"),
            format!("no objection {objection_id}"),
        ))
    })?;
    let a = store::get(&app.db, o.application_id).await?.ok_or_else(|| no_application(o.application_id))?;
    session(app, a.session_id)
        .await?
        .status()
        .require(SessionStatus::Publicity, &Msg::new("处理异议", "resolve an objection"))
        .map_err(AppError::Invalid)?;
    let (upheld, new_result) = match resolution {
        Resolution::Upheld { new_result } => (true, Some(new_result.code())),
        Resolution::Dismissed => (false, None),
    };
    let mut t = tx::begin(&app.db).await?;
    if !store::resolve_objection_in(&mut t, objection_id, upheld, new_result, by, note).await? {
        return Err(invalid("该异议已处理", "this objection is resolved already"));
    }
    let before = json!({ "status": "open", "result": a.result });
    let after = json!({
        "status": if upheld { "upheld" } else { "dismissed" }, "resolved_by": by, "note": note,
        "new_result": new_result, "application_id": a.id,
    });
    let id = objection_id.to_string();
    audit::record(&mut t, actor, "objection.resolve", OBJECTIONS, Some(&id), Some(&before), Some(&after)).await?;
    t.commit().await?;
    Ok(())
}

/// What finalising did.
#[derive(Debug, Clone, Serialize)]
pub struct Finalised {
    /// The session was final already: nothing new was issued.
    pub already_final: bool,
    pub issued: Vec<Certificate>,
}

/// Publicity → final once the period is over and no objection is open: one certificate per
/// passed candidate and the level in their history, in one transaction with its audit entry
/// (`session.finalise`, the numbers issued). Running it again creates nothing new.
pub async fn finalise(app: &App, actor: &Actor, session_id: i64, by: &str) -> Result<Finalised, AppError> {
    let s = session(app, session_id).await?;
    if s.status() == SessionStatus::Final {
        return Ok(Finalised { already_final: true, issued: Vec::new() });
    }
    s.status().transition(SessionStatus::Final).map_err(AppError::Invalid)?;
    let Some(last) = s.publicity_ends_on else {
        return Err(invalid("该评价计划没有公示期", "the session has no publicity period"));
    };
    let open = store::open_objections(&app.db, session_id).await?;
    let today = app.today();
    evaluation::may_finalise(last, today, u32::try_from(open).unwrap_or(u32::MAX)).map_err(AppError::Invalid)?;

    let level = level_of(s.level)?;
    let ladder = &app.policy.ladder;
    let level_code = ladder.certificate_level_code(level).ok_or_else(|| {
        invalid(
            format!("{}没有国家证书等级代码", ladder.display(level)),
            format!("{} has no national certificate level code", ladder.name_en(level)),
        )
    })?;
    let occupation_name = OccupationCode::parse(&s.occupation_code)
        .ok()
        .and_then(|c| app.catalogue.name_of(&c).map(str::to_string))
        .unwrap_or_else(|| s.occupation_code.clone());
    let level_text = evaluation::level_on_certificate(ladder, level);
    let mut batch = Vec::new();
    for a in store::for_session(&app.db, session_id).await? {
        if a.status != "admitted" || a.result.as_deref() != Some(ResultStatus::Pass.code()) {
            continue;
        }
        batch.push(NewCertificate {
            application_id: Some(a.id),
            person_id: a.person_id,
            title: CERTIFICATE_TITLE.to_string(),
            id_type: IdType::parse(&a.id_type).map_or(a.id_type.clone(), |t| t.zh().to_string()),
            holder_name: a.name,
            occupation_code: s.occupation_code.clone(),
            occupation_name: occupation_name.clone(),
            trade: evaluation::trade_on_certificate(&s.trade).to_string(),
            history_trade: s.trade.clone(),
            level: level.rank(),
            level_text: level_text.clone(),
        });
    }
    let recorded_by = format!("evaluation:{by}");
    let mut t = tx::begin(&app.db).await?;
    let issued = certs::issue_in(
        &mut t,
        &IssueBatch {
            institution_id: s.institution_id,
            session_id: Some(session_id),
            issue_date: today,
            level_code,
            certificates: &batch,
            recorded_by: &recorded_by,
        },
    )
    .await?;
    // Nothing issued for passed candidates means another finalise came first (the store found
    // the session final): that one recorded it.
    if !issued.is_empty() || batch.is_empty() {
        let numbers: Vec<&str> = issued.iter().map(|c| c.number.as_str()).collect();
        let before = json!({ "status": SessionStatus::Publicity.code() });
        let after = json!({ "status": SessionStatus::Final.code(), "issue_date": iso(today), "certificates": numbers });
        let id = session_id.to_string();
        audit::record(&mut t, actor, "session.finalise", SESSIONS, Some(&id), Some(&before), Some(&after)).await?;
    }
    t.commit().await?;
    crate::credentials::sign_after_issue(app.credentials.as_deref(), &app.db).await;
    Ok(Finalised { already_final: false, issued })
}

fn no_application(id: i64) -> AppError {
    AppError::NotFound(Msg::new(format!("没有编号为 {id} 的报名"), format!("no application {id}")))
}
