//! Eligibility as a use case: gather a person's record from the registry into the engine's
//! `Candidate`, then ask the pure engine.

use gongjiang_domain::access::Scope;
use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::eligibility::{
    self, Candidate, Decision, HeldLevel, HeldTitle, Schooling, TitleGrade, WorkSpell,
};
use gongjiang_domain::level::Level;
use gongjiang_domain::registry::{Education, TitleSeries};
use gongjiang_domain::standards::Asked;
use gongjiang_store::{eligibility_facts, employment, levels, persons, schooling, standards};
use serde::Serialize;
use time::Date;

use crate::{App, AppError};

/// A stored education record as the engine reads it (`None` for an unknown code).
fn schooling_of(education: &str, major: &str, graduated_on: Option<Date>, expected: Option<Date>) -> Option<Schooling> {
    Some(Schooling {
        education: Education::parse(education)?,
        major: (!major.is_empty()).then(|| major.to_owned()),
        graduated_on,
        expected_on: expected,
    })
}

/// A stored title as the engine reads it (`None` for an unknown code).
fn title_of(series: &str, grade: &str, name: &str, obtained_on: Date) -> Option<HeldTitle> {
    Some(HeldTitle {
        series: TitleSeries::parse(series)?,
        name: name.to_owned(),
        grade: TitleGrade::parse(grade)?,
        obtained_on,
    })
}

/// The engine's view of a person. With no employment history on file, the work start date
/// stands for one open spell. Spells without an occupation (that one, and employment rows
/// without one) count as work in the registered occupation; the engine says so. Education
/// records, when there are any, replace the registry's single highest education.
#[allow(clippy::too_many_arguments)]
fn build_candidate(
    birth_date: Date,
    education: Option<&str>,
    work_start: Option<Date>,
    occupation: Option<&str>,
    levels: impl Iterator<Item = (String, i16, Date, Option<Date>)>,
    spells: impl Iterator<Item = WorkSpell>,
    schooling: Vec<Schooling>,
    titles: Vec<HeldTitle>,
) -> Candidate {
    let mut work: Vec<WorkSpell> = spells.collect();
    if work.is_empty()
        && let Some(start) = work_start
    {
        work.push(WorkSpell { occupation: None, start, end: None });
    }
    Candidate {
        birth_date,
        education: education.and_then(Education::parse),
        graduated_on: None,
        schooling,
        levels: levels
            .filter_map(|(occupation, level, obtained_on, revoked_on)| {
                Some(HeldLevel { occupation, level: Level::new(u8::try_from(level).ok()?)?, obtained_on, revoked_on })
            })
            .collect(),
        work,
        titles,
        registered_occupation: occupation.map(str::to_string),
    }
}

/// The person's record as the engine sees it. The caller has read the person under its own
/// scope; the decision needs the whole record, so it is read in full here and only the decision
/// leaves.
pub async fn candidate_of(app: &App, person: &persons::Person) -> Result<Candidate, AppError> {
    let history = levels::history(&app.db, &Scope::all(), person.id).await?;
    let spells = employment::for_person(&app.db, &Scope::all(), person.id).await?;
    let education = schooling::education_of(&app.db, person.id).await?;
    let titles = schooling::titles_of(&app.db, person.id).await?;
    let birth_date = person.birth_date.ok_or_else(|| {
        AppError::Invalid(Msg::new("该人员没有出生日期，无法判断资格", "the person has no birth date on record"))
    })?;
    Ok(build_candidate(
        birth_date,
        person.education.as_deref(),
        person.work_start,
        person.occupation_code.as_deref(),
        history.into_iter().map(|l| (l.occupation_code, l.level, l.obtained_on, l.revoked_on)),
        spells.into_iter().map(|s| WorkSpell { occupation: s.occupation_code, start: s.start_on, end: s.end_on }),
        education
            .iter()
            .filter_map(|e| schooling_of(&e.education, &e.major, e.graduated_on, e.expected_graduation_on))
            .collect(),
        titles.iter().filter_map(|t| title_of(&t.series, &t.grade, &t.title, t.obtained_on)).collect(),
    ))
}

/// Decides whether the person with `id_number` may apply for `target` in `occupation` (their
/// registered occupation when `None`) on `on`, under the edition `asked` for, else the
/// occupation's standard in force on file, else the policy's default.
pub async fn decide(
    app: &App,
    id_number: &str,
    target: Level,
    occupation: Option<&str>,
    on: Date,
    asked: Asked<'_>,
) -> Result<Decision, AppError> {
    let person = persons::by_id_number(&app.db, id_number)
        .await?
        .ok_or_else(|| AppError::NotFound(Msg::new("登记库中没有此人", "no such person in the registry")))?;
    decide_for(app, &person, target, occupation, on, asked).await
}

pub async fn decide_for(
    app: &App,
    person: &persons::Person,
    target: Level,
    occupation: Option<&str>,
    on: Date,
    asked: Asked<'_>,
) -> Result<Decision, AppError> {
    let occupation = occupation.map(str::to_string).or_else(|| person.occupation_code.clone()).ok_or_else(|| {
        AppError::Invalid(Msg::new(
            "该人员未登记职业，请指定职业代码",
            "the person has no registered occupation: give an occupation code",
        ))
    })?;
    let c = candidate_of(app, person).await?;
    let standards = standards::for_occupation(&app.db, &occupation).await?;
    Ok(eligibility::decide(&app.policy, &standards, &c, &occupation, target, on, asked))
}

/// The person's pathway on `on`: per occupation they hold a level in or work in, the levels
/// they may apply for now and the next one with its earliest date — the same engine and edition
/// choice as an application.
pub async fn pathway_for(
    app: &App,
    person: &persons::Person,
    on: Date,
) -> Result<Vec<eligibility::OccupationPathway>, AppError> {
    let c = candidate_of(app, person).await?;
    let mut on_file = Vec::new();
    for o in eligibility::occupations_of(&c, on) {
        on_file.extend(standards::for_occupation(&app.db, &o).await?);
    }
    Ok(eligibility::pathway(&app.policy, &on_file, &c, on))
}

/// How many registered persons may apply for a level, city-wide and by district.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CityEligibility {
    pub level: u8,
    pub on: String,
    /// Persons judged (those with a birth date and a registered occupation).
    pub evaluated: u64,
    pub eligible: u64,
    /// Persons without a birth date or an occupation on record: not judged.
    pub skipped: u64,
    /// Persons who already hold the level (or a higher one) in their occupation: not judged.
    pub already_held: u64,
    pub by_district: Vec<DistrictEligibility>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct DistrictEligibility {
    pub district: String,
    pub evaluated: u64,
    pub eligible: u64,
}

/// Judges every registered person who does not yet hold `target` for it, in their registered
/// occupation on `on`, a page of persons at a time (memory stays bounded at any registry size).
pub async fn city_wide(
    app: &App,
    target: Level,
    on: Date,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<CityEligibility, AppError> {
    const PAGE: i64 = 50_000;
    let mut out = CityEligibility { level: target.rank(), on: gongjiang_domain::dates::iso(on), ..Default::default() };
    let mut districts: std::collections::BTreeMap<String, DistrictEligibility> = Default::default();
    let mut after = 0;
    let standards = standards::all(&app.db).await?;
    loop {
        let page = eligibility_facts::page(&app.db, after, PAGE).await?;
        let (people, levels, spells) = (&page.persons, &page.levels, &page.spells);
        let Some(last) = people.last() else { break };
        after = last.id;
        let (mut li, mut si, mut ei, mut ti) = (0, 0, 0, 0);
        for p in people {
            // Each list is ordered by person: take this person's run of each.
            let l_end = li + levels[li..].iter().take_while(|l| l.person_id == p.id).count();
            let s_end = si + spells[si..].iter().take_while(|s| s.person_id == p.id).count();
            let e_end = ei + page.education[ei..].iter().take_while(|e| e.person_id == p.id).count();
            let t_end = ti + page.titles[ti..].iter().take_while(|t| t.person_id == p.id).count();
            let (mine_l, mine_s) = (&levels[li..l_end], &spells[si..s_end]);
            let (mine_e, mine_t) = (&page.education[ei..e_end], &page.titles[ti..t_end]);
            (li, si, ei, ti) = (l_end, s_end, e_end, t_end);
            let (Some(birth), Some(occupation)) = (p.birth_date, p.occupation_code.as_deref()) else {
                out.skipped += 1;
                continue;
            };
            let holds = mine_l.iter().any(|l| {
                l.occupation_code == occupation
                    && l.level >= i16::from(target.rank())
                    && l.obtained_on <= on
                    && l.revoked_on.is_none_or(|r| r > on)
            });
            if holds {
                out.already_held += 1;
                continue;
            }
            let c = build_candidate(
                birth,
                p.education.as_deref(),
                p.work_start,
                Some(occupation),
                mine_l.iter().map(|l| (l.occupation_code.clone(), l.level, l.obtained_on, l.revoked_on)),
                mine_s.iter().map(|s| WorkSpell {
                    occupation: s.occupation_code.clone(),
                    start: s.start_on,
                    end: s.end_on,
                }),
                mine_e
                    .iter()
                    .filter_map(|e| schooling_of(&e.education, &e.major, e.graduated_on, e.expected_graduation_on))
                    .collect(),
                mine_t.iter().filter_map(|t| title_of(&t.series, &t.grade, &t.title, t.obtained_on)).collect(),
            );
            let ok = eligibility::is_eligible_with(&app.policy, &standards, &c, occupation, target, on);
            out.evaluated += 1;
            out.eligible += u64::from(ok);
            let d = districts.entry(p.district_code.clone().unwrap_or_default()).or_default();
            d.evaluated += 1;
            d.eligible += u64::from(ok);
        }
        progress(out.evaluated + out.skipped);
    }
    out.by_district = districts.into_iter().map(|(district, d)| DistrictEligibility { district, ..d }).collect();
    Ok(out)
}
