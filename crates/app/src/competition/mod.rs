//! Competitions scored in gongjiang (职业技能竞赛, issue 15): set-up (competitions, events with
//! their marking scheme, judges, entrants checked for eligibility), marking into the event's
//! hash-chained ledger with the conflict-of-interest check and sign-off lock, standings
//! (raw totals, the WorldSkills scale, places, awards) and publishing, which applies 以赛代评
//! through the results-import path (`import::competition_results::record_scored`): the same
//! decision, in the same transaction.

pub mod marking;
pub mod results;
pub mod setup;

use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::marking::Scheme;
use gongjiang_domain::registry::CompetitionTier;
use gongjiang_store::judging::{self, CompetitionRow, EventRow};

use crate::{App, AppError};

pub(crate) fn invalid(zh: impl Into<String>, en: impl Into<String>) -> AppError {
    AppError::Invalid(Msg::new(zh, en))
}

/// A competition by its code.
pub async fn competition(app: &App, code: &str) -> Result<CompetitionRow, AppError> {
    judging::competition_by_code(&app.db, code.trim()).await?.ok_or_else(|| {
        AppError::NotFound(Msg::new(format!("没有代码为 {code} 的竞赛"), format!("no competition with code {code}")))
    })
}

/// An event of a competition, by their codes.
pub async fn event(
    app: &App,
    competition_code: &str,
    event_code: &str,
) -> Result<(CompetitionRow, EventRow), AppError> {
    let c = competition(app, competition_code).await?;
    let e = judging::event_by_code(&app.db, c.id, event_code.trim()).await?.ok_or_else(|| {
        AppError::NotFound(Msg::new(
            format!("竞赛 {} 没有代码为 {event_code} 的赛项", c.code),
            format!("competition {} has no event with code {event_code}", c.code),
        ))
    })?;
    Ok((c, e))
}

/// The event's marking scheme, or why marking cannot start.
pub fn scheme_of(e: &EventRow) -> Result<Scheme, AppError> {
    let Some(json) = &e.scheme_json else {
        return Err(invalid(
            format!("赛项 {} 尚未设定评分方案", e.code),
            format!("event {} has no marking scheme yet", e.code),
        ));
    };
    serde_json::from_str(json).map_err(|err| AppError::Store(gongjiang_store::StoreError::Invalid(err.to_string())))
}

pub(crate) fn tier_of(c: &CompetitionRow) -> Result<CompetitionTier, AppError> {
    CompetitionTier::parse(&c.tier)
        .ok_or_else(|| AppError::Store(gongjiang_store::StoreError::Invalid(format!("stored tier {}", c.tier))))
}

pub(crate) fn not_published(e: &EventRow) -> Result<(), AppError> {
    match e.published_on {
        Some(on) => Err(invalid(
            format!("赛项 {} 的成绩已于 {} 公布，不能再更改", e.code, gongjiang_domain::dates::iso(on)),
            format!(
                "the results of event {} were published on {}: nothing changes now",
                e.code,
                gongjiang_domain::dates::iso(on)
            ),
        )),
        None => Ok(()),
    }
}
