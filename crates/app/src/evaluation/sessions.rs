//! Planning sessions, moving them along, and staffing them with examiners.

use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::dates::iso;
use gongjiang_domain::evaluation::{self, ExaminerRole, SessionStatus, StaffingCheck};
use gongjiang_domain::occupation::OccupationCode;
use gongjiang_store::applications;
use gongjiang_store::institutions;
use gongjiang_store::sessions::{self as store, NewSession};
use gongjiang_store::tx;
use serde_json::json;
use time::Date;

use super::institutions::no_institution;
use super::{invalid, level_of, required_text, session};
use crate::audit::{self, Actor};
use crate::{App, AppError};

pub struct PlanSession<'a> {
    pub institution_id: i64,
    pub occupation: &'a str,
    /// 工种/职业方向; empty when none.
    pub trade: &'a str,
    pub level: &'a str,
    /// The occupational skill standard's edition, as text.
    pub standard_edition: &'a str,
    pub theory_on: Date,
    pub practical_on: Date,
    /// Required for the levels the policy reviews (技师/高级技师), refused for the others.
    pub review_on: Option<Date>,
    pub site: &'a str,
    pub capacity: u32,
    pub theory_rooms: u32,
}

/// Plans a session: the institution's filed scope must cover the occupation and level on every
/// exam date. Audited as `session.plan`.
pub async fn plan(app: &App, actor: &Actor, p: &PlanSession<'_>) -> Result<i64, AppError> {
    let institution =
        institutions::get(&app.db, p.institution_id).await?.ok_or_else(|| no_institution(p.institution_id))?;
    let code = OccupationCode::parse(p.occupation).ok().filter(|c| app.catalogue.is_detail(c)).ok_or_else(|| {
        invalid(
            format!("职业代码“{}”不在职业分类大典中", p.occupation),
            format!("occupation code '{}' is not in the classification", p.occupation),
        )
    })?;
    let ladder = &app.policy.ladder;
    let level = ladder.parse_level(p.level).ok_or_else(|| {
        invalid(format!("等级“{}”不在等级阶梯上", p.level), format!("level '{}' is not on the ladder", p.level))
    })?;
    if ladder.certificate_level_code(level).is_none() {
        return Err(invalid(
            format!("{}不经职业技能等级认定，不能安排评价计划", ladder.display(level)),
            format!("{} is not certified by skill-level evaluation: no session can be planned", ladder.name_en(level)),
        ));
    }
    let edition = required_text(p.standard_edition, "标准版本", "standard edition")?;
    let site = required_text(p.site, "考核地点", "site")?;
    if p.capacity == 0 || p.theory_rooms == 0 {
        return Err(invalid("计划人数和理论考场数须大于 0", "capacity and theory rooms must be above 0"));
    }
    let review = evaluation::needs_review(&app.policy.evaluation, level);
    match (review, p.review_on) {
        (true, None) => {
            return Err(invalid(
                format!("{}须安排综合评审日期", ladder.display(level)),
                format!("{} needs a comprehensive review date", ladder.name_en(level)),
            ));
        }
        (false, Some(_)) => {
            return Err(invalid(
                format!("{}不设综合评审", ladder.display(level)),
                format!("{} has no comprehensive review", ladder.name_en(level)),
            ));
        }
        _ => {}
    }
    let mut dates = vec![p.theory_on, p.practical_on];
    dates.extend(p.review_on);
    let scope = institutions::scope(&app.db, institution.id).await?;
    evaluation::check_scope(&scope, code.as_str(), level, &ladder.display(level), &dates).map_err(AppError::Invalid)?;
    let n = NewSession {
        institution_id: institution.id,
        occupation_code: code.as_str(),
        trade: p.trade.trim(),
        level: level.rank(),
        standard_edition: edition,
        theory_on: p.theory_on,
        practical_on: p.practical_on,
        review_on: p.review_on,
        site,
        capacity: i32::try_from(p.capacity).unwrap_or(i32::MAX),
        theory_rooms: i32::try_from(p.theory_rooms).unwrap_or(i32::MAX),
    };
    let mut t = tx::begin(&app.db).await?;
    let id = store::create_in(&mut t, &n).await?;
    let after = json!({
        "institution_id": n.institution_id, "occupation_code": n.occupation_code, "trade": n.trade,
        "level": n.level, "standard_edition": n.standard_edition, "theory_on": iso(n.theory_on),
        "practical_on": iso(n.practical_on), "review_on": n.review_on.map(iso), "site": n.site,
        "capacity": n.capacity, "theory_rooms": n.theory_rooms, "status": SessionStatus::Planned.code(),
    });
    audit::record(&mut t, actor, "session.plan", RESOURCE, Some(&id.to_string()), None, Some(&after)).await?;
    t.commit().await?;
    Ok(id)
}

pub(crate) const RESOURCE: &str = "evaluation_sessions";

/// Moves a session one step (the state machine is the domain's); audited as `session.status`.
pub(crate) async fn advance(app: &App, actor: &Actor, id: i64, to: SessionStatus) -> Result<(), AppError> {
    let s = session(app, id).await?;
    let from = s.status();
    from.transition(to).map_err(AppError::Invalid)?;
    let mut t = tx::begin(&app.db).await?;
    if !store::set_status_in(&mut t, id, from, to).await? {
        return Err(invalid(
            "评价计划状态已被他人更改，请刷新后重试",
            "the session changed meanwhile: reload and retry",
        ));
    }
    let (before, after) = (json!({ "status": from.code() }), json!({ "status": to.code() }));
    audit::record(&mut t, actor, "session.status", RESOURCE, Some(&id.to_string()), Some(&before), Some(&after))
        .await?;
    t.commit().await?;
    Ok(())
}

/// Planned → open for applications.
pub async fn open_applications(app: &App, actor: &Actor, id: i64) -> Result<(), AppError> {
    advance(app, actor, id, SessionStatus::Open).await
}

/// Assigns people to a role (names; a name given twice counts once). Audited as
/// `session.examiners`.
pub async fn assign_examiners(
    app: &App,
    actor: &Actor,
    id: i64,
    role: ExaminerRole,
    names: &[&str],
) -> Result<u64, AppError> {
    let s = session(app, id).await?;
    if s.status() > SessionStatus::Open {
        return Err(invalid(
            "考试已结束，不能再安排考评人员",
            "the exams are over: examiners can no longer be assigned",
        ));
    }
    let names: Vec<&str> = names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()).collect();
    let mut t = tx::begin(&app.db).await?;
    let added = store::assign_examiners_in(&mut t, id, role, &names).await?;
    let after = json!({ "role": role.code(), "names": names, "added": added });
    audit::record(&mut t, actor, "session.examiners", RESOURCE, Some(&id.to_string()), None, Some(&after)).await?;
    t.commit().await?;
    Ok(added)
}

/// The staff the session needs for its admitted candidates, against the policy's ratios.
pub async fn staffing(app: &App, id: i64) -> Result<StaffingCheck, AppError> {
    let s = session(app, id).await?;
    let level = level_of(s.level)?;
    let admitted = applications::admitted_count(&app.db, id).await?;
    let have = store::staffing(&app.db, id).await?;
    Ok(evaluation::check_staffing(
        &app.policy.evaluation,
        level,
        u32::try_from(admitted).unwrap_or(u32::MAX),
        u32::try_from(s.theory_rooms).unwrap_or(1),
        have,
    ))
}

/// Open → examined: refused while the session is understaffed, with what is missing.
pub async fn mark_examined(app: &App, actor: &Actor, id: i64) -> Result<(), AppError> {
    let check = staffing(app, id).await?;
    if !check.is_ok() {
        let zh = check.missing.iter().map(|m| m.zh.as_str()).collect::<Vec<_>>().join("；");
        let en = check.missing.iter().map(|m| m.en.as_str()).collect::<Vec<_>>().join("; ");
        return Err(AppError::Invalid(Msg::new(format!("考评人员不足：{zh}"), format!("not enough staff: {en}"))));
    }
    advance(app, actor, id, SessionStatus::Examined).await
}
