//! Eligibility as a use case: gather a person's record from the registry into the engine's
//! `Candidate`, then ask the pure engine.

use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::eligibility::{self, Candidate, Decision, HeldLevel, WorkSpell};
use gongjiang_domain::level::Level;
use gongjiang_domain::registry::Education;
use gongjiang_store::{employment, levels, persons};
use time::Date;

use crate::{App, AppError};

/// The person's record as the engine sees it. With no employment history on file, the work
/// start date and current occupation stand for one open spell.
pub async fn candidate_of(app: &App, person: &persons::Person) -> Result<Candidate, AppError> {
    let history = levels::history(&app.db, person.id).await?;
    let spells = employment::for_person(&app.db, person.id).await?;
    let mut work: Vec<WorkSpell> = spells
        .iter()
        .map(|s| WorkSpell { occupation: s.occupation_code.clone(), start: s.start_on, end: s.end_on })
        .collect();
    if work.is_empty()
        && let Some(start) = person.work_start
    {
        work.push(WorkSpell { occupation: person.occupation_code.clone(), start, end: None });
    }
    let birth_date = person.birth_date.ok_or_else(|| {
        AppError::Invalid(Msg::new("该人员没有出生日期，无法判断资格", "the person has no birth date on record"))
    })?;
    Ok(Candidate {
        birth_date,
        education: person.education.as_deref().and_then(Education::parse),
        graduated_on: None,
        levels: history
            .iter()
            .filter_map(|l| {
                Some(HeldLevel {
                    occupation: l.occupation_code.clone(),
                    level: Level::new(l.level as u8)?,
                    obtained_on: l.obtained_on,
                    revoked_on: l.revoked_on,
                })
            })
            .collect(),
        work,
        titles: Vec::new(),
    })
}

/// Decides whether the person with `id_number` may apply for `target` in `occupation` (their
/// registered occupation when `None`) on `on`.
pub async fn decide(
    app: &App,
    id_number: &str,
    target: Level,
    occupation: Option<&str>,
    on: Date,
) -> Result<Decision, AppError> {
    let person = persons::by_id_number(&app.db, id_number)
        .await?
        .ok_or_else(|| AppError::NotFound(Msg::new("登记库中没有此人", "no such person in the registry")))?;
    decide_for(app, &person, target, occupation, on).await
}

pub async fn decide_for(
    app: &App,
    person: &persons::Person,
    target: Level,
    occupation: Option<&str>,
    on: Date,
) -> Result<Decision, AppError> {
    let occupation = occupation.map(str::to_string).or_else(|| person.occupation_code.clone()).ok_or_else(|| {
        AppError::Invalid(Msg::new(
            "该人员未登记职业，请指定职业代码",
            "the person has no registered occupation: give an occupation code",
        ))
    })?;
    let c = candidate_of(app, person).await?;
    Ok(eligibility::evaluate(&app.policy, &c, &occupation, target, on))
}
