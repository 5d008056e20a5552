//! The training system's listings (终身职业技能培训体系): a programme's enrolments with the
//! learning time credited, each holder masked. The CLI (and later the API and pages) render
//! this one read path.

use gongjiang_domain::access::Scope;
use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::identifier::{mask_identity, mask_name};
use gongjiang_domain::training::hours;
use gongjiang_store::{persons, programmes};
use serde::Serialize;
use time::Date;

use crate::{App, AppError};

/// One enrolment as listed.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrolmentView {
    /// The learner's account on the provider's platform, when given.
    pub learner_id: Option<String>,
    /// Learning hours credited, decimal (two places at most).
    pub hours: f64,
    /// `enrolled`, `completed` or `withdrawn`.
    pub status: String,
    #[serde(with = "gongjiang_domain::dates::serde_iso")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub enrolled_on: Date,
    #[serde(with = "gongjiang_domain::dates::serde_iso::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub completed_on: Option<Date>,
    /// The holder's identity number, masked: first 4 and last 4 characters.
    pub holder: String,
    /// The holder's name, masked (张*明).
    pub holder_name: String,
}

/// A programme and its enrolments.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrolmentsReport {
    pub programme: String,
    pub name: String,
    pub provider_uscc: String,
    pub provider_name: String,
    pub occupation_code: String,
    pub level: u8,
    pub level_name_zh: String,
    /// Learning hours the programme requires.
    pub required_hours: f64,
    pub capacity: i32,
    pub enrolments: Vec<EnrolmentView>,
}

/// The enrolments of programme `code` that `scope` reaches (a persons scope), in the order
/// enrolled.
pub async fn enrolments(app: &App, scope: &Scope, code: &str) -> Result<EnrolmentsReport, AppError> {
    let Some(p) = programmes::by_code(&app.db, code).await? else {
        return Err(AppError::NotFound(Msg::new(format!("没有培训项目 {code}"), format!("no programme {code}"))));
    };
    let rows = programmes::enrolments_of_programme(&app.db, p.id).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.person_id).collect();
    let admitted = persons::admitted(&app.db, scope, &ids).await?;
    let level = gongjiang_domain::level::Level::new(u8::try_from(p.level).unwrap_or(0));
    Ok(EnrolmentsReport {
        programme: p.code.clone(),
        name: p.name.clone(),
        provider_uscc: p.provider_uscc.clone(),
        provider_name: p.provider_name.clone(),
        occupation_code: p.occupation_code.clone(),
        level: level.map_or(0, |l| l.rank()),
        level_name_zh: level.map(|l| app.policy.ladder.name_zh(l).to_owned()).unwrap_or_default(),
        required_hours: hours(p.required_seconds),
        capacity: p.capacity,
        enrolments: rows
            .into_iter()
            .filter(|r| admitted.contains(&r.person_id))
            .map(|r| EnrolmentView {
                learner_id: r.learner_id,
                hours: hours(r.seconds),
                status: r.status,
                enrolled_on: r.enrolled_on,
                completed_on: r.completed_on,
                holder: mask_identity(&r.id_number),
                holder_name: mask_name(&r.name),
            })
            .collect(),
    })
}
