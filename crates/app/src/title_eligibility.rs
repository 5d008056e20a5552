//! Bridging to professional titles as a use case (职业发展贯通): may the person apply for a
//! title on a date — the person's record gathered as for a skill level (`candidate`), the
//! routes of the policy's `[[titles.bridging]]` judged by the same engine.

use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::eligibility::{TitleDecision, decide_title, resolve_title};
use gongjiang_domain::registry::TitleSeries;
use gongjiang_store::persons;
use time::Date;

use crate::candidate::candidate_of;
use crate::{App, AppError};

/// The series a caller names (code or Chinese), with a message listing the series on refusal.
pub fn parse_series(s: &str) -> Result<TitleSeries, Msg> {
    TitleSeries::parse(s).ok_or_else(|| {
        Msg::new(
            format!("未知的职称系列：{s}（可用：{}）", TitleSeries::allowed()),
            format!("unknown title series: {s} (allowed: {})", TitleSeries::allowed()),
        )
    })
}

/// Decides whether the person with `id_number` may apply for `title` (of `series`, found from
/// the title's name when `None`) on `on`.
pub async fn decide(
    app: &App,
    id_number: &str,
    title: &str,
    series: Option<TitleSeries>,
    on: Date,
) -> Result<TitleDecision, AppError> {
    let person = persons::by_id_number(&app.db, id_number)
        .await?
        .ok_or_else(|| AppError::NotFound(Msg::new("登记库中没有此人", "no such person in the registry")))?;
    decide_for(app, &person, title, series, on).await
}

pub async fn decide_for(
    app: &App,
    person: &persons::Person,
    title: &str,
    series: Option<TitleSeries>,
    on: Date,
) -> Result<TitleDecision, AppError> {
    let title = title.trim();
    let (series, grade) = resolve_title(&app.policy, title, series).map_err(AppError::Invalid)?;
    let c = candidate_of(app, person).await?;
    Ok(decide_title(&app.policy, &c, title, series, grade, on))
}
