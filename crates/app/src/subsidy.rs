//! Subsidies paid without being asked for (免申即享) and the claim workflow.
//!
//! `eligible` finds everyone entitled to a per-certificate scheme on a day, a page of persons at
//! a time (the level rows obtained in the claim window, read in person order; then the spells
//! and claims of exactly those persons), so a city never sits in memory. `claim` turns the same
//! pages into claims: each page one transaction, each claim written with its `due` ledger entry
//! and its event, and the unique key (person, scheme, level row) making a second run a no-op.
//! A claim then goes through district review, a public notice with objections, approval and
//! payment (`review`, `object`, `resolve_objection`, `approve`, `pay`), each step in one
//! transaction with its event and audit entry.

use std::collections::HashMap;

use gongjiang_domain::access::{Scope, Target};
use gongjiang_domain::benefits::{CertificateEntitlement, Record, entitlements};
use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::dates::{add_months, iso};
use gongjiang_domain::evaluation::publicity_last_day;
use gongjiang_domain::policy::SkillUpgradeScheme;
use gongjiang_store::benefits::{self as store, NewClaim, Step};
use gongjiang_store::{StoreError, insurance, tx};
use serde::Serialize;
use time::{Date, Duration};

use crate::audit::{self, Actor};
use crate::benefits::{level_record, past_claim, spell};
use crate::{App, AppError};

/// Persons' level rows read per page.
const PAGE_ROWS: i64 = 20_000;

/// One certificate someone is entitled to be paid for.
#[derive(Debug, Clone, Serialize)]
pub struct Entitled {
    pub id_number: String,
    pub occupation: String,
    /// Rank 1–8.
    pub level: u8,
    /// `三级/高级工`.
    pub level_name: String,
    #[serde(with = "gongjiang_domain::dates::serde_iso")]
    pub obtained_on: Date,
    /// Yuan.
    pub amount: u32,
    #[serde(skip)]
    person_id: i64,
    #[serde(skip)]
    district_code: Option<String>,
    #[serde(skip)]
    entitlement: CertificateEntitlement,
}

/// What a city-wide run did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RunSummary {
    pub scheme: String,
    #[serde(with = "gongjiang_domain::dates::serde_iso::option")]
    pub on: Option<Date>,
    /// Persons with a certificate in the claim window.
    pub persons_checked: u64,
    pub entitled: u64,
    /// Yuan.
    pub amount: u64,
    /// Claims made by this run (`claim` only).
    pub claims_created: u64,
}

fn scheme<'a>(app: &'a App, id: &str) -> Result<&'a SkillUpgradeScheme, AppError> {
    match &app.policy.benefits.skill_upgrade {
        Some(s) if s.head.id == id => Ok(s),
        _ => {
            let known = gongjiang_domain::benefits::scheme_ids(&app.policy).join(", ");
            Err(AppError::Invalid(Msg::new(
                format!("“{id}”不是按证书发放的补贴项目（可用：{known}；免申即享目前支持 skill-upgrade）"),
                format!(
                    "\"{id}\" is not a per-certificate subsidy of the policy (schemes: {known}; paid without asking: skill-upgrade)"
                ),
            )))
        }
    }
}

/// The next page: everyone entitled among the persons after `after`, and the last person read
/// (`None` when there are no more).
async fn page(
    app: &App,
    s: &SkillUpgradeScheme,
    on: Date,
    after: i64,
    summary: &mut RunSummary,
) -> Result<Option<(Vec<Entitled>, i64)>, AppError> {
    // A claim window of N months: certificates from N months (and a few days, for the ends of
    // months) before the day; the engine decides each exactly.
    let from = add_months(on, -(s.claim_within_months as i32)) - Duration::days(3);
    let ranks: Vec<i16> = s.amounts.iter().map(|a| i16::from(a.level.rank())).collect();
    let sources: Vec<&str> = s.level_sources.iter().map(|l| l.code()).collect();
    let mut rows = store::window_page(&app.db, from, on, &ranks, &sources, after, PAGE_ROWS).await?;
    let Some(last) = rows.last().map(|r| r.person_id) else { return Ok(None) };
    let next = if rows.len() as i64 == PAGE_ROWS {
        // The last person's rows may go on in the next page: read them there.
        rows.retain(|r| r.person_id != last);
        match rows.last() {
            Some(r) => r.person_id,
            None => {
                return Err(AppError::Invalid(Msg::new(
                    "一人的证书超过一页",
                    "one person has more certificates than a page holds",
                )));
            }
        }
    } else {
        last
    };
    let mut ids: Vec<i64> = rows.iter().map(|r| r.person_id).collect();
    ids.dedup();
    summary.persons_checked += ids.len() as u64;
    let mut records: HashMap<i64, Record> = HashMap::with_capacity(ids.len());
    for r in &rows {
        if let Some(l) = level_record(r) {
            records.entry(r.person_id).or_default().levels.push(l);
        }
    }
    for sp in insurance::of_persons(&app.db, s.insurance_scheme.code(), &ids).await? {
        if let (Some(rec), Some(x)) = (records.get_mut(&sp.person_id), spell(&sp)) {
            rec.insurance.push(x);
        }
    }
    for c in store::claims_of_persons(&app.db, &s.head.id, &ids).await? {
        if let (Some(rec), Some(x)) = (records.get_mut(&c.person_id), past_claim(&c)) {
            rec.claims.push(x);
        }
    }
    let mut found: Vec<(i64, CertificateEntitlement)> = Vec::new();
    for id in &ids {
        let Some(rec) = records.get(id) else { continue };
        found.extend(entitlements(&app.policy, s, rec, on).into_iter().filter(|e| e.eligible).map(|e| (*id, e)));
    }
    let who: Vec<i64> = {
        let mut v: Vec<i64> = found.iter().map(|(p, _)| *p).collect();
        v.dedup();
        v
    };
    let holders = store::holders(&app.db, &who).await?;
    let mut out = Vec::with_capacity(found.len());
    for (person_id, e) in found {
        let Some((id_number, district)) = holders.get(&person_id) else { continue };
        summary.entitled += 1;
        summary.amount += u64::from(e.amount);
        out.push(Entitled {
            id_number: id_number.clone(),
            occupation: e.occupation.clone(),
            level: e.level.rank(),
            level_name: e.level_name.zh.clone(),
            obtained_on: e.obtained_on,
            amount: e.amount,
            person_id,
            district_code: district.clone(),
            entitlement: e,
        });
    }
    Ok(Some((out, next)))
}

/// Everyone entitled to `scheme_id` on `on`, handed to `sink` a page at a time, in person order.
pub async fn eligible(
    app: &App,
    scheme_id: &str,
    on: Date,
    sink: &mut dyn FnMut(&[Entitled]) -> Result<(), AppError>,
) -> Result<RunSummary, AppError> {
    let s = scheme(app, scheme_id)?;
    let mut summary = RunSummary { scheme: s.head.id.clone(), on: Some(on), ..RunSummary::default() };
    let mut after = 0;
    while let Some((found, next)) = page(app, s, on, after, &mut summary).await? {
        sink(&found)?;
        after = next;
    }
    Ok(summary)
}

fn explanation(e: &Entitled) -> Msg {
    let met = e.entitlement.conditions.iter().filter(|c| c.met);
    Msg::new(
        met.clone().map(|c| c.reason.zh.as_str()).collect::<Vec<_>>().join("；"),
        met.map(|c| c.reason.en.as_str()).collect::<Vec<_>>().join("; "),
    )
}

/// Claims for `found`, in `t`: the ones made (the others existed already).
async fn make_claims(
    app: &App,
    s: &SkillUpgradeScheme,
    t: &mut tx::Tx,
    actor: &Actor,
    found: &[Entitled],
    on: Date,
    route: &str,
) -> Result<Vec<i64>, AppError> {
    let review_due = publicity_last_day(&app.policy.calendar, on, s.review_working_days);
    let inferred = s.head.inferred_on(on).is_some();
    let mut made = Vec::new();
    for e in found {
        let why = explanation(e);
        let c = NewClaim {
            person_id: e.person_id,
            scheme: &s.head.id,
            skill_level_id: Some(e.entitlement.level_id),
            occupation_code: Some(&e.occupation),
            level: Some(i16::from(e.level)),
            obtained_on: Some(e.obtained_on),
            amount_fen: i64::from(e.amount) * 100,
            claimed_on: on,
            route,
            district_code: e.district_code.as_deref(),
            review_due_on: Some(review_due),
            policy_version: &app.policy.meta.version,
            inferred,
            explanation_zh: &why.zh,
            explanation_en: &why.en,
        };
        if let Some(id) = store::insert_claim_in(t, &c, &actor.label).await? {
            made.push(id);
        }
    }
    Ok(made)
}

/// 免申即享: a claim for every entitlement of `scheme_id` on `on`. Each page of persons is one
/// transaction with its audit entry; running it again makes no second claim.
pub async fn claim(app: &App, actor: &Actor, scheme_id: &str, on: Date) -> Result<RunSummary, AppError> {
    let s = scheme(app, scheme_id)?;
    let mut summary = RunSummary { scheme: s.head.id.clone(), on: Some(on), ..RunSummary::default() };
    let mut after = 0;
    while let Some((found, next)) = page(app, s, on, after, &mut summary).await? {
        after = next;
        if found.is_empty() {
            continue;
        }
        let mut t = tx::begin(&app.db).await?;
        let made = make_claims(app, s, &mut t, actor, &found, on, "automatic").await?;
        let detail = serde_json::json!({ "scheme": s.head.id, "on": iso(on), "claims": made });
        audit::record(&mut t, actor, "subsidy.claim", "benefit_claims", None, None, Some(&detail)).await?;
        t.commit().await?;
        summary.claims_created += made.len() as u64;
    }
    Ok(summary)
}

/// A claim made on request (a worker or their employer asking) for one person: every
/// certificate the engine finds entitled on `on`, route `application`. The same rules and the
/// same unique key as the city-wide run: asking twice makes one claim.
pub async fn claim_for(
    app: &App,
    actor: &Actor,
    scheme_id: &str,
    id_number: &str,
    on: Date,
) -> Result<RunSummary, AppError> {
    let s = scheme(app, scheme_id)?;
    let person = gongjiang_store::persons::by_id_number(&app.db, id_number)
        .await?
        .ok_or_else(|| AppError::NotFound(Msg::new("登记库中没有此人", "no such person in the registry")))?;
    let record = crate::benefits::record_of(app, &person).await?;
    let found: Vec<Entitled> = entitlements(&app.policy, s, &record, on)
        .into_iter()
        .filter(|e| e.eligible)
        .map(|e| Entitled {
            id_number: person.id_number.clone(),
            occupation: e.occupation.clone(),
            level: e.level.rank(),
            level_name: e.level_name.zh.clone(),
            obtained_on: e.obtained_on,
            amount: e.amount,
            person_id: person.id,
            district_code: person.district_code.clone(),
            entitlement: e,
        })
        .collect();
    let mut summary = RunSummary {
        scheme: s.head.id.clone(),
        on: Some(on),
        persons_checked: 1,
        entitled: found.len() as u64,
        amount: found.iter().map(|e| u64::from(e.amount)).sum(),
        claims_created: 0,
    };
    let mut t = tx::begin(&app.db).await?;
    let made = make_claims(app, s, &mut t, actor, &found, on, "application").await?;
    let detail = serde_json::json!({ "scheme": s.head.id, "on": iso(on), "claims": made });
    let record_id = person.public_id.to_string();
    audit::record(&mut t, actor, "subsidy.claim", "persons", Some(&record_id), None, Some(&detail)).await?;
    t.commit().await?;
    summary.claims_created = made.len() as u64;
    Ok(summary)
}

/// Paid, per district and month.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SpendRow {
    /// GB/T 2260 code; empty for persons without a district.
    pub district: String,
    pub district_name: String,
    /// `YYYY-MM`.
    pub month: String,
    pub claims: u64,
    /// Yuan.
    pub paid: u64,
}

/// What a scheme has paid and owes: the bureau's view.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SpendReport {
    pub scheme: String,
    /// By district, then month.
    pub paid: Vec<SpendRow>,
    /// Claims that stand and are not paid yet (in review, in notice, approved), and their yuan:
    /// the people entitled but not yet paid.
    pub owed_claims: u64,
    pub owed: u64,
    /// Paid claims whose certificate was revoked since, and their yuan.
    pub recovery_claims: u64,
    pub recovery: u64,
    /// Per district (empty code for persons without one), in code order: paid in `year` (every
    /// year when none), owed now, and the year's budget where the policy sets one.
    pub districts: Vec<DistrictSpend>,
    /// The year the district rows' payments and budgets are for.
    pub year: Option<i32>,
    /// The city's budget for `year`, where the policy sets one.
    pub budget: Option<u64>,
}

/// One district's line of the spend report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DistrictSpend {
    pub district: String,
    pub district_name: String,
    pub paid_claims: u64,
    /// Yuan.
    pub paid: u64,
    pub owed_claims: u64,
    pub owed: u64,
    pub budget: Option<u64>,
}

/// Spend of `scheme_id` by district and month, what is owed, and what is to be recovered;
/// per district, what was paid in `year` (every year when `None`) against the year's budget.
pub async fn spend(app: &App, scheme_id: &str, year: Option<i32>) -> Result<SpendReport, AppError> {
    let s = scheme(app, scheme_id)?;
    let budgets = &app.policy.benefits;
    let mut report = SpendReport {
        scheme: s.head.id.clone(),
        year,
        budget: year.and_then(|y| budgets.budget(&s.head.id, y, None)),
        ..SpendReport::default()
    };
    let mut by: std::collections::BTreeMap<(String, String), (u64, u64)> = std::collections::BTreeMap::new();
    let mut districts: std::collections::BTreeMap<String, DistrictSpend> = std::collections::BTreeMap::new();
    for m in store::money(&app.db, &s.head.id).await? {
        let yuan = u64::try_from(m.amount_fen / 100).unwrap_or(0);
        let district = m.district_code.unwrap_or_default();
        match (m.status.as_str(), m.paid_on) {
            ("paid", Some(on)) => {
                if year.is_none_or(|y| on.year() == y) {
                    let d = districts.entry(district.clone()).or_default();
                    d.paid_claims += 1;
                    d.paid += yuan;
                }
                let key = (district, format!("{:04}-{:02}", on.year(), u8::from(on.month())));
                let e = by.entry(key).or_default();
                e.0 += 1;
                e.1 += yuan;
                if m.recovery_due {
                    report.recovery_claims += 1;
                    report.recovery += yuan;
                }
            }
            ("in_review" | "in_notice" | "approved", _) => {
                report.owed_claims += 1;
                report.owed += yuan;
                let d = districts.entry(district).or_default();
                d.owed_claims += 1;
                d.owed += yuan;
            }
            _ => {}
        }
    }
    if let Some(y) = year {
        for b in budgets.budgets.iter().filter(|b| b.scheme == s.head.id && b.year == y) {
            if let Some(d) = &b.district {
                districts.entry(d.clone()).or_default().budget = Some(b.yuan);
            }
        }
    }
    report.districts = districts
        .into_iter()
        .map(|(code, d)| DistrictSpend {
            district_name: app.policy.district(&code).map(|x| x.name_zh.clone()).unwrap_or_default(),
            district: code,
            ..d
        })
        .collect();
    report.paid = by
        .into_iter()
        .map(|((district, month), (claims, paid))| SpendRow {
            district_name: app.policy.district(&district).map(|d| d.name_zh.clone()).unwrap_or_default(),
            district,
            month,
            claims,
            paid,
        })
        .collect();
    Ok(report)
}

fn claim_not_found() -> AppError {
    AppError::NotFound(Msg::new("没有此申领", "no such claim"))
}

/// The claim, when `scope` reaches it (its district, or its person); else "no such claim".
async fn claim_within(app: &App, scope: &Scope, claim_id: i64) -> Result<store::ClaimRow, AppError> {
    let c = store::claim(&app.db, claim_id).await?.ok_or_else(claim_not_found)?;
    let target = Target {
        districts: c.district_code.iter().cloned().collect(),
        organisations: Default::default(),
        person: Some(c.person_id),
    };
    if scope.admits(&target) { Ok(c) } else { Err(claim_not_found()) }
}

/// Claims `scope` reaches, with `status` (any when `None`), oldest first, at most `limit`: a
/// district officer's queue.
pub async fn queue(
    app: &App,
    scope: &Scope,
    status: Option<&str>,
    limit: i64,
) -> Result<Vec<store::ClaimRow>, AppError> {
    let f = store::ClaimFilter {
        status: status.map(str::to_owned),
        districts: (!scope.is_all()).then(|| scope.district_codes().iter().cloned().collect()),
        ..store::ClaimFilter::default()
    };
    Ok(store::list(&app.db, &f, limit).await?)
}

fn refused(zh: String, en: String) -> AppError {
    AppError::Invalid(Msg::new(zh, en))
}

/// One step of a claim, checked against where it stands, with its event and audit entry.
async fn step(app: &App, actor: &Actor, claim_id: i64, s: Step<'_>) -> Result<(), AppError> {
    let mut t = tx::begin(&app.db).await?;
    store::step_in(&mut t, claim_id, &s).await.map_err(|e| match e {
        StoreError::Conflict { .. } => refused(
            format!("申领 {claim_id} 不在“{}”状态", s.from),
            format!("claim {claim_id} is not {} (any more)", s.from),
        ),
        e => e.into(),
    })?;
    let detail = serde_json::json!({ "from": s.from, "to": s.to, "on": iso(s.on), "note": s.note });
    record_claim_event(&mut t, actor, &format!("subsidy.{}", s.to), claim_id, &detail).await?;
    t.commit().await?;
    Ok(())
}

/// District review: approve → the public notice starts (for the policy's working days); reject
/// → the claim ends.
pub async fn review(
    app: &App,
    actor: &Actor,
    scope: &Scope,
    claim_id: i64,
    approve: bool,
    on: Date,
    note: &str,
) -> Result<(), AppError> {
    let c = claim_within(app, scope, claim_id).await?;
    let days = app
        .policy
        .benefits
        .skill_upgrade
        .as_ref()
        .filter(|s| s.head.id == c.scheme)
        .map_or(5, |s| s.notice_working_days);
    let (to, notice) = if approve {
        ("in_notice", Some(publicity_last_day(&app.policy.calendar, on, days)))
    } else {
        ("rejected", None)
    };
    step(app, actor, claim_id, Step { from: "in_review", to, notice_ends_on: notice, on, actor: &actor.label, note })
        .await
}

/// An objection during the public notice.
pub async fn object(
    app: &App,
    actor: &Actor,
    scope: &Scope,
    claim_id: i64,
    on: Date,
    by: &str,
    reason: &str,
) -> Result<i64, AppError> {
    claim_within(app, scope, claim_id).await?;
    let mut t = tx::begin(&app.db).await?;
    let c = store::claim_in(&mut t, claim_id).await?.ok_or_else(claim_not_found)?;
    if c.status != "in_notice" || c.notice_ends_on.is_none_or(|end| on > end) {
        return Err(refused(
            format!("申领 {claim_id} 不在公示期内，不能提出异议"),
            format!("claim {claim_id} is not in its public notice: no objection can be lodged"),
        ));
    }
    let id = store::object_in(&mut t, claim_id, on, by, reason).await?;
    let detail = serde_json::json!({ "objection": id, "by": by, "reason": reason, "on": iso(on) });
    record_claim_event(&mut t, actor, "subsidy.objection", claim_id, &detail).await?;
    t.commit().await?;
    Ok(id)
}

/// Resolves an objection: upheld → the claim is rejected; dismissed → it goes on.
pub async fn resolve_objection(
    app: &App,
    actor: &Actor,
    scope: &Scope,
    objection_id: i64,
    upheld: bool,
    on: Date,
    note: &str,
) -> Result<(), AppError> {
    let mut t = tx::begin(&app.db).await?;
    let resolution = if upheld { "upheld" } else { "dismissed" };
    let claim_id = store::resolve_objection_in(&mut t, objection_id, resolution, on, &actor.label, note)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => AppError::NotFound(Msg::new("没有此未处理的异议", "no such open objection")),
            e => e.into(),
        })?;
    claim_within(app, scope, claim_id).await?;
    if upheld {
        let s = Step { from: "in_notice", to: "rejected", notice_ends_on: None, on, actor: &actor.label, note };
        store::step_in(&mut t, claim_id, &s).await?;
    }
    let detail = serde_json::json!({ "objection": objection_id, "resolution": resolution, "note": note });
    record_claim_event(&mut t, actor, "subsidy.objection_resolved", claim_id, &detail).await?;
    t.commit().await?;
    Ok(())
}

/// Approval once the public notice is over and no objection is open.
pub async fn approve(
    app: &App,
    actor: &Actor,
    scope: &Scope,
    claim_id: i64,
    on: Date,
    note: &str,
) -> Result<(), AppError> {
    claim_within(app, scope, claim_id).await?;
    let mut t = tx::begin(&app.db).await?;
    let c = store::claim_in(&mut t, claim_id).await?.ok_or_else(claim_not_found)?;
    if let Some(end) = c.notice_ends_on
        && on <= end
    {
        return Err(refused(
            format!("公示期至 {} 结束，之后才能批准", iso(end)),
            format!("the public notice runs to {}: approve after it", iso(end)),
        ));
    }
    if store::open_objections_in(&mut t, claim_id).await? > 0 {
        return Err(refused("尚有未处理的异议".into(), "an objection is still open".into()));
    }
    drop(t);
    step(
        app,
        actor,
        claim_id,
        Step { from: "in_notice", to: "approved", notice_ends_on: None, on, actor: &actor.label, note },
    )
    .await
}

/// The payment of an approved claim: its `paid` ledger entry (amount, day, the payer's
/// reference) with the step, in one transaction.
pub async fn pay(
    app: &App,
    actor: &Actor,
    scope: &Scope,
    claim_id: i64,
    on: Date,
    reference: &str,
) -> Result<(), AppError> {
    let c = claim_within(app, scope, claim_id).await?;
    let mut t = tx::begin(&app.db).await?;
    let s = Step { from: "approved", to: "paid", notice_ends_on: None, on, actor: &actor.label, note: reference };
    store::step_in(&mut t, claim_id, &s).await.map_err(|e| match e {
        StoreError::Conflict { .. } => refused(
            format!("申领 {claim_id} 未批准（状态：{}），不能发放", c.status),
            format!("claim {claim_id} is not approved (status: {}): it cannot be paid", c.status),
        ),
        e => e.into(),
    })?;
    store::ledger_in(&mut t, claim_id, "paid", c.amount_fen, on, reference, &actor.label).await?;
    let detail = serde_json::json!({ "amount_fen": c.amount_fen, "on": iso(on), "reference": reference });
    record_claim_event(&mut t, actor, "subsidy.paid", claim_id, &detail).await?;
    t.commit().await?;
    Ok(())
}

/// A step of a claim in the audit trail, in the step's own transaction.
async fn record_claim_event(
    t: &mut tx::Tx,
    actor: &Actor,
    action: &str,
    claim_id: i64,
    detail: &serde_json::Value,
) -> Result<(), AppError> {
    audit::record(t, actor, action, "benefit_claims", Some(&claim_id.to_string()), None, Some(detail)).await?;
    Ok(())
}
