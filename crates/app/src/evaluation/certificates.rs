//! Certificate status (suspend, reinstate, revoke) and the two ends of the ladder that are not
//! certified by evaluation: 学徒工, graded by the employer, and 特级技师/首席技师, appointed
//! (评聘) by qualified enterprises for a term.
//!
//! No certificate number is generated for appointments: the national 2-letter + 20-digit form
//! for 特级技师 is known only by its length; what its letters mean and which level code it uses
//! are not published (RESEARCH §4.1 \[GAP\]). The appointment keeps its evidence instead.

use gongjiang_domain::access::Scope;
use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::dates::iso;
use gongjiang_domain::evaluation::CertificateStatus;
use gongjiang_domain::level::Level;
use gongjiang_domain::occupation::OccupationCode;
use gongjiang_domain::policy::ObtainedBy;
use gongjiang_domain::records::NewLevel;
use gongjiang_domain::registry::LevelSource;
use gongjiang_domain::standards::Asked;
use gongjiang_store::certificates::{self as store, Certificate, NewAppointment};
use gongjiang_store::levels::{self, LevelWrite};
use gongjiang_store::{StoreError, tx};
use gongjiang_store::{organisations, persons};
use serde_json::json;
use time::Date;

use super::{invalid, required_text};
use crate::audit::{self, Actor};
use crate::{App, AppError, candidate};

async fn certificate(app: &App, number: &str) -> Result<Certificate, AppError> {
    store::by_number(&app.db, number.trim()).await?.ok_or_else(|| {
        AppError::NotFound(Msg::new(format!("没有编号为 {number} 的证书"), format!("no certificate numbered {number}")))
    })
}

/// A status change with its audit entry (`certificate.status`, resource `certificates`, the
/// number as the record).
async fn change(
    app: &App,
    actor: &Actor,
    number: &str,
    to: CertificateStatus,
    reason: &str,
    on: Date,
) -> Result<(), AppError> {
    let reason = required_text(reason, "原因", "reason")?;
    let c = certificate(app, number).await?;
    let from = CertificateStatus::parse(&c.status).unwrap_or(CertificateStatus::Valid);
    from.transition(to).map_err(AppError::Invalid)?;
    if on < c.issue_date {
        return Err(invalid("日期早于发证日期", "the date is before the issue date"));
    }
    let mut t = tx::begin(&app.db).await?;
    if !store::set_status_in(&mut t, c.id, from, to, reason, on).await? {
        return Err(invalid(
            "证书状态已被他人更改，请刷新后重试",
            "the certificate changed meanwhile: reload and retry",
        ));
    }
    let before = json!({ "status": from.code() });
    let after = json!({ "status": to.code(), "reason": reason, "on": iso(on), "level_revoked": to == CertificateStatus::Revoked });
    audit::record(&mut t, actor, "certificate.status", "certificates", Some(&c.number), Some(&before), Some(&after))
        .await?;
    t.commit().await?;
    Ok(())
}

/// Revokes a certificate from `on`: its level in the holder's history is revoked from the same
/// day, in the same transaction. Final.
pub async fn revoke(app: &App, actor: &Actor, number: &str, reason: &str, on: Date) -> Result<(), AppError> {
    change(app, actor, number, CertificateStatus::Revoked, reason, on).await
}

/// Suspends a certificate (the status list shows it); the level stays in the history, since a
/// suspension may be lifted and the history is append-only.
pub async fn suspend(app: &App, actor: &Actor, number: &str, reason: &str, on: Date) -> Result<(), AppError> {
    change(app, actor, number, CertificateStatus::Suspended, reason, on).await
}

/// Lifts a suspension.
pub async fn reinstate(app: &App, actor: &Actor, number: &str, reason: &str, on: Date) -> Result<(), AppError> {
    change(app, actor, number, CertificateStatus::Valid, reason, on).await
}

fn ladder_level(app: &App, level: &str, obtained_by: ObtainedBy) -> Result<Level, AppError> {
    let ladder = &app.policy.ladder;
    let l = ladder.parse_level(level).ok_or_else(|| {
        invalid(format!("等级“{level}”不在等级阶梯上"), format!("level '{level}' is not on the ladder"))
    })?;
    match ladder.row(l) {
        Some(row) if row.obtained_by == obtained_by => Ok(l),
        _ => Err(invalid(
            format!("{}不是以“{}”方式取得的等级", ladder.display(l), obtained_by.zh()),
            format!("{} is not obtained by {}", ladder.name_en(l), obtained_by.en()),
        )),
    }
}

fn occupation(app: &App, code: &str) -> Result<OccupationCode, AppError> {
    OccupationCode::parse(code).ok().filter(|c| app.catalogue.is_detail(c)).ok_or_else(|| {
        invalid(
            format!("职业代码“{code}”不在职业分类大典中"),
            format!("occupation code '{code}' is not in the classification"),
        )
    })
}

/// Records an employer's grading of an apprentice (学徒工): a level with source
/// `enterprise_evaluation`, the employer as issuer, no national certificate. Audited as
/// `level.record`.
pub async fn grade_apprentice(
    app: &App,
    actor: &Actor,
    id_number: &str,
    employer_uscc: &str,
    occupation_code: &str,
    on: Date,
    by: &str,
) -> Result<(), AppError> {
    let level = ladder_level(app, "学徒工", ObtainedBy::Enterprise)?;
    let code = occupation(app, occupation_code)?;
    let person = persons::by_id_number(&app.db, id_number.trim())
        .await?
        .ok_or_else(|| invalid("人员未登记", "the person is not registered"))?;
    // Operator use case (CLI): every organisation.
    let org = organisations::by_uscc(&app.db, &Scope::all(), employer_uscc.trim())
        .await?
        .ok_or_else(|| invalid("单位未登记", "the employer is not registered"))?;
    let l = NewLevel {
        id_number: person.id_number.clone(),
        occupation_code: code.as_str().to_string(),
        trade: String::new(),
        level,
        obtained_on: on,
        source: LevelSource::EnterpriseEvaluation,
        certificate_no: None,
        issuer_uscc: Some(org.uscc.clone()),
    };
    let mut t = tx::begin(&app.db).await?;
    let counts = levels::record_batch_in(
        &mut t,
        &[LevelWrite { revoked: None, level: &l, person_id: person.id, issuer_id: Some(org.id), recorded_by: by }],
    )
    .await?;
    let after = json!({
        "person_id": person.id, "occupation_code": l.occupation_code, "level": level.rank(), "obtained_on": iso(on),
        "source": l.source.code(), "issuer_id": org.id, "recorded_by": by, "inserted": counts.inserted,
    });
    audit::record(&mut t, actor, "level.record", "skill_levels", None, None, Some(&after)).await?;
    t.commit().await?;
    Ok(())
}

/// Revokes a level-history row from `on` (the first day it no longer counts), with the reason;
/// the row stays (the history is append-only). Audited as `level.revoke`. A level that came
/// with a certificate is revoked by revoking the certificate ([`revoke`]), which keeps the two
/// in step.
pub async fn revoke_level(app: &App, actor: &Actor, level_id: i64, on: Date, reason: &str) -> Result<(), AppError> {
    let reason = required_text(reason, "原因", "reason")?;
    let mut t = tx::begin(&app.db).await?;
    levels::revoke_in(&mut t, level_id, on, reason).await.map_err(|e| match e {
        StoreError::NotFound => AppError::NotFound(Msg::new(
            format!("没有编号为 {level_id} 的等级记录"),
            format!("no level record {level_id}"),
        )),
        StoreError::Conflict { .. } => invalid("该等级记录已撤销", "this level record is revoked already"),
        e => e.into(),
    })?;
    let before = json!({ "revoked_on": null });
    let after = json!({ "revoked_on": iso(on), "revoked_reason": reason });
    let id = level_id.to_string();
    audit::record(&mut t, actor, "level.revoke", "skill_levels", Some(&id), Some(&before), Some(&after)).await?;
    t.commit().await?;
    Ok(())
}

pub struct Appoint<'a> {
    pub id_number: &'a str,
    pub employer_uscc: &'a str,
    pub occupation: &'a str,
    /// 特级技师 or 首席技师.
    pub level: &'a str,
    pub appointed_on: Date,
    pub term_from: Date,
    pub term_to: Date,
    /// The enterprise's appointment document (文号) or other evidence.
    pub evidence: &'a str,
    pub by: &'a str,
}

/// Records an appointment (评聘) to 特级技师 or 首席技师 for a term. The policy's conditions for
/// the level (e.g. holding 高级技师) are checked as of the appointment date. Audited as
/// `appointment.record`.
pub async fn appoint(app: &App, actor: &Actor, a: &Appoint<'_>) -> Result<i64, AppError> {
    let level = ladder_level(app, a.level, ObtainedBy::Appointment)?;
    let code = occupation(app, a.occupation)?;
    let evidence = required_text(a.evidence, "聘任依据", "evidence")?;
    if a.term_to < a.term_from {
        return Err(invalid("聘期结束日期早于开始日期", "the term ends before it starts"));
    }
    let person = persons::by_id_number(&app.db, a.id_number.trim())
        .await?
        .ok_or_else(|| invalid("人员未登记", "the person is not registered"))?;
    let org = organisations::by_uscc(&app.db, &Scope::all(), a.employer_uscc.trim())
        .await?
        .ok_or_else(|| invalid("单位未登记", "the employer is not registered"))?;
    let decision =
        candidate::decide_for(app, &person, level, Some(code.as_str()), a.appointed_on, Asked::Nothing).await?;
    if !decision.eligible {
        return Err(AppError::Invalid(decision.summary()));
    }
    let n = NewAppointment {
        person_id: person.id,
        organisation_id: org.id,
        occupation_code: code.as_str(),
        level: level.rank(),
        appointed_on: a.appointed_on,
        term_from: a.term_from,
        term_to: a.term_to,
        evidence,
        recorded_by: a.by,
    };
    let mut t = tx::begin(&app.db).await?;
    let id = store::record_appointment_in(&mut t, &n).await?;
    let after = json!({
        "person_id": n.person_id, "organisation_id": n.organisation_id, "occupation_code": n.occupation_code,
        "level": n.level, "appointed_on": iso(n.appointed_on), "term_from": iso(n.term_from),
        "term_to": iso(n.term_to), "evidence": n.evidence, "recorded_by": n.recorded_by,
    });
    audit::record(&mut t, actor, "appointment.record", "level_appointments", Some(&id.to_string()), None, Some(&after))
        .await?;
    t.commit().await?;
    Ok(id)
}
