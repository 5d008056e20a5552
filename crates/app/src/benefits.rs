//! What a registered person is entitled to, and why: every benefit scheme of the policy decided
//! from their record (`domain::benefits`) — the CLI's `gongjiang benefits`, the API's
//! `/api/v1/me/benefits` and the worker's page. The record is read here; the rules are the
//! domain's. City-wide runs and claims are in `subsidy`.

use gongjiang_domain::access::Scope;
use gongjiang_domain::benefits::{BenefitDecision, LevelRecord, PastClaim, Record, decide_all};
use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::insurance::Spell;
use gongjiang_domain::level::Level;
use gongjiang_domain::registry::{ClaimStatus, Education, InsuranceScheme, LevelSource};
use gongjiang_store::benefits::{self as store, ClaimRow, LevelRow};
use gongjiang_store::insurance::{self, StoredSpell};
use gongjiang_store::persons::{self, Person};
use serde::Serialize;
use time::Date;

use crate::{App, AppError};

/// Whose benefits: the person asking (or asked about), as the registry holds them.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Serialize)]
pub struct BenefitsPerson {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Uuid))]
    pub public_id: uuid::Uuid,
    pub id_number: String,
    pub name: String,
}

impl std::fmt::Debug for BenefitsPerson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BenefitsPerson").field("public_id", &self.public_id).field("id_number", &"<hidden>").finish()
    }
}

/// Every scheme for one person on one day.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct BenefitsReport {
    pub person: BenefitsPerson,
    #[serde(with = "gongjiang_domain::dates::serde_iso")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub on: Date,
    /// The policy version the decisions were taken under.
    pub policy_version: String,
    pub schemes: Vec<BenefitDecision>,
}

pub(crate) fn level_record(r: &LevelRow) -> Option<LevelRecord> {
    Some(LevelRecord {
        id: r.id,
        occupation: r.occupation_code.clone(),
        level: Level::new(u8::try_from(r.level).ok()?)?,
        obtained_on: r.obtained_on,
        revoked_on: r.revoked_on,
        source: LevelSource::parse(&r.source)?,
    })
}

pub(crate) fn past_claim(c: &ClaimRow) -> Option<PastClaim> {
    Some(PastClaim {
        scheme: c.scheme.clone(),
        level_id: c.skill_level_id,
        occupation: c.occupation_code.clone(),
        level: c.level.and_then(|l| u8::try_from(l).ok()).and_then(Level::new),
        claimed_on: c.claimed_on,
        status: ClaimStatus::parse(&c.status)?,
    })
}

pub(crate) fn spell(s: &StoredSpell) -> Option<(InsuranceScheme, Spell)> {
    Some((InsuranceScheme::parse(&s.scheme)?, Spell { starts_on: s.starts_on, ends_on: s.ends_on }))
}

/// The record the engine decides on: the person's facts, level rows, spells and claims.
pub async fn record_of(app: &App, person: &Person) -> Result<Record, AppError> {
    let levels = store::levels_of(&app.db, person.id).await?;
    let spells = insurance::of_person(&app.db, person.id).await?;
    let claims = store::claims_of(&app.db, person.id).await?;
    Ok(Record {
        birth_date: person.birth_date,
        education: person.education.as_deref().and_then(Education::parse),
        work_start: person.work_start,
        levels: levels.iter().filter_map(level_record).collect(),
        insurance: spells.iter().filter_map(spell).collect(),
        claims: claims.iter().filter_map(past_claim).collect(),
    })
}

/// Every scheme for `person` on `on`.
pub async fn report(app: &App, person: &Person, on: Date) -> Result<BenefitsReport, AppError> {
    let record = record_of(app, person).await?;
    Ok(BenefitsReport {
        person: BenefitsPerson {
            public_id: person.public_id,
            id_number: person.id_number.clone(),
            name: person.name.clone(),
        },
        on,
        policy_version: app.policy.meta.version.clone(),
        schemes: decide_all(&app.policy, &record, on),
    })
}

fn not_registered() -> AppError {
    AppError::NotFound(Msg::new("登记库中没有此人", "no such person in the registry"))
}

/// Every scheme for the person with this identity number (the CLI).
pub async fn for_id_number(app: &App, id_number: &str, on: Date) -> Result<BenefitsReport, AppError> {
    let person = persons::by_id_number(&app.db, id_number).await?.ok_or_else(not_registered)?;
    report(app, &person, on).await
}

/// Every scheme for the person `person_id`, when `scope` reaches them (the signed-in worker).
pub async fn for_person(app: &App, scope: &Scope, person_id: i64, on: Date) -> Result<BenefitsReport, AppError> {
    let person = persons::get(&app.db, scope, person_id).await?.ok_or_else(not_registered)?;
    report(app, &person, on).await
}
