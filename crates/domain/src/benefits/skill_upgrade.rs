//! 技能提升补贴 (`skill-upgrade`): a subsidy per certificate of a listed level, for a worker who
//! has paid into unemployment insurance long enough, claimed within a window after the
//! certificate; at most so many a calendar year (earliest certificates first), the same
//! occupation and level once, nothing for a lower level of an occupation already subsidised at a
//! higher one, revoked certificates never.

use std::collections::HashSet;

use time::{Date, Month};

use super::model::{
    BenefitDecision, CertificateEntitlement, Condition, LevelRecord, PastClaim, Record, all_met_on, unmet,
};
use crate::bilingual::Msg;
use crate::dates::{add_months, iso};
use crate::insurance::{months_covered, reaches};
use crate::level::Level;
use crate::policy::{Policy, SkillUpgradeScheme};
use crate::registry::ClaimStatus;

fn level_name(policy: &Policy, level: Level) -> Msg {
    let l = &policy.ladder;
    Msg::new(l.display(level), l.name_en(level).to_owned())
}

/// The person-level conditions: the scheme in force, and the insurance months.
fn person_conditions(s: &SkillUpgradeScheme, record: &Record, on: Date) -> (Vec<Condition>, Vec<String>) {
    let mut out = Vec::new();
    let mut missing = Vec::new();
    let head = &s.head;
    out.push(if head.in_force(on) {
        Condition::met(
            "in_force",
            on,
            Msg::new(
                format!("{}在 {} 有效", head.name_zh, iso(on)),
                format!("the {} is in force on {}", head.name_en, iso(on)),
            ),
        )
    } else {
        Condition::unmet(
            "in_force",
            (on < head.effective_from).then_some(head.effective_from),
            Msg::new(
                format!("{}在 {} 不在有效期内", head.name_zh, iso(on)),
                format!("the {} is not in force on {}", head.name_en, iso(on)),
            ),
        )
    });
    let scheme = s.insurance_scheme;
    let spells = record.spells(scheme);
    let need = s.insurance_months;
    if spells.is_empty() {
        missing.push("insurance".to_owned());
        out.push(Condition::missing(
            "insurance_months",
            Msg::new(
                format!("没有{}缴费记录（需累计满 {need} 个月）", scheme.zh()),
                format!("no {} contributions on record ({need} months needed)", scheme.en()),
            ),
        ));
        return (out, missing);
    }
    let have = months_covered(&spells, on);
    out.push(if have >= need {
        Condition::met(
            "insurance_months",
            on,
            Msg::new(
                format!("{}已累计缴费 {have} 个月（需满 {need} 个月）", scheme.zh()),
                format!("{} paid for {have} months ({need} needed)", scheme.en()),
            ),
        )
    } else {
        let when = reaches(&spells, on, need);
        let (zh, en) = match when {
            Some(d) => {
                (format!("，按现有缴费最早 {} 满足", iso(d)), format!("; met on {} if contributions go on", iso(d)))
            }
            None => ("，按现有记录无法满足".to_owned(), "; the spells on record never reach it".to_owned()),
        };
        Condition::unmet(
            "insurance_months",
            when,
            Msg::new(
                format!("{}累计缴费 {have} 个月，需满 {need} 个月{zh}", scheme.zh()),
                format!("{} paid for {have} months, {need} needed{en}", scheme.en()),
            ),
        )
    });
    (out, missing)
}

/// Every certificate the scheme could pay for, earliest first, each with its conditions; the
/// year's quota and the occupation-and-level rules are applied in that order, to claims made
/// before and to the certificates before it in the list alike.
pub fn entitlements(policy: &Policy, s: &SkillUpgradeScheme, record: &Record, on: Date) -> Vec<CertificateEntitlement> {
    let (person, _) = person_conditions(s, record, on);
    let person_met = person.iter().all(|c| c.met);
    let id = s.head.id.as_str();
    let of_scheme: Vec<&PastClaim> = record.claims.iter().filter(|c| c.scheme == id).collect();
    let standing = || of_scheme.iter().filter(|c| c.status.stands());
    // The year's quota and "a higher level already subsidised" count the claims that stand
    // (享受); "the same occupation and level once" counts every application but a withdrawn one
    // (只能申请并享受一次).
    let mut used_this_year = standing().filter(|c| c.claimed_on.year() == on.year()).count() as u32;
    let mut subsidised: Vec<(String, Level)> =
        standing().filter_map(|c| Some((c.occupation.clone()?, c.level?))).collect();
    let mut applied: HashSet<(String, Level)> = of_scheme
        .iter()
        .filter(|c| c.status != ClaimStatus::Withdrawn)
        .filter_map(|c| Some((c.occupation.clone()?, c.level?)))
        .collect();
    let mut certificates: Vec<&LevelRecord> = record
        .levels
        .iter()
        .filter(|l| l.obtained_on <= on && s.amount(l.level).is_some() && s.level_sources.contains(&l.source))
        // A certificate whose claim window closed before the scheme began is not its business.
        .filter(|l| add_months(l.obtained_on, s.claim_within_months as i32) >= s.head.effective_from)
        .collect();
    certificates.sort_by_key(|l| (l.obtained_on, l.id));
    let next_year = Date::from_calendar_date(on.year() + 1, Month::January, 1).ok();
    let mut out = Vec::with_capacity(certificates.len());
    for l in certificates {
        let amount = s.amount(l.level).unwrap_or(0);
        let name = level_name(policy, l.level);
        let what = (format!("{} {}", l.occupation, name.zh), format!("{} {}", l.occupation, name.en));
        let claim_by = add_months(l.obtained_on, s.claim_within_months as i32);
        let mut c = Vec::new();
        c.push(match l.revoked_on {
            Some(r) if r <= on => Condition::unmet(
                "not_revoked",
                None,
                Msg::new(
                    format!("{} 证书已于 {} 撤销", what.0, iso(r)),
                    format!("the {} certificate was revoked on {}", what.1, iso(r)),
                ),
            ),
            _ => Condition::met(
                "not_revoked",
                on,
                Msg::new(format!("{} 证书有效", what.0), format!("the {} certificate is valid", what.1)),
            ),
        });
        c.push(if on <= claim_by {
            Condition::met(
                "claim_window",
                on,
                Msg::new(
                    format!("证书日期 {}，{} 前（含）可申领", iso(l.obtained_on), iso(claim_by)),
                    format!("certificate dated {}: may be claimed up to {}", iso(l.obtained_on), iso(claim_by)),
                ),
            )
        } else {
            Condition::unmet(
                "claim_window",
                None,
                Msg::new(
                    format!(
                        "证书日期 {}，申领期限已于 {} 届满（取证后 {} 个月内）",
                        iso(l.obtained_on),
                        iso(claim_by),
                        s.claim_within_months
                    ),
                    format!(
                        "certificate dated {}: the claim period ended on {} ({} months after the certificate)",
                        iso(l.obtained_on),
                        iso(claim_by),
                        s.claim_within_months
                    ),
                ),
            )
        });
        // A certificate is claimed once, whatever became of the claim (the store's unique key).
        let own_claim = of_scheme.iter().find(|p| p.level_id == Some(l.id));
        let claim_status = own_claim.map(|p| p.status);
        if let Some(p) = own_claim {
            c.push(Condition::unmet(
                "not_claimed",
                None,
                Msg::new(
                    format!("该证书已于 {} 申领（{}）", iso(p.claimed_on), p.status.zh()),
                    format!("claimed for this certificate on {} ({})", iso(p.claimed_on), p.status.en()),
                ),
            ));
        } else {
            let key = (l.occupation.clone(), l.level);
            c.push(if applied.contains(&key) {
                Condition::unmet(
                    "same_occupation_level",
                    None,
                    Msg::new(
                        format!("{} 已享受过补贴：同一职业同一等级只享受一次", what.0),
                        format!("{} was subsidised before: once per occupation and level", what.1),
                    ),
                )
            } else {
                Condition::met(
                    "same_occupation_level",
                    on,
                    Msg::new(format!("{} 未享受过补贴", what.0), format!("{} not subsidised before", what.1)),
                )
            });
            let higher =
                subsidised.iter().filter(|(o, lv)| *o == l.occupation && *lv > l.level).map(|(_, lv)| *lv).max();
            c.push(match higher {
                Some(h) => Condition::unmet(
                    "higher_level_claimed",
                    None,
                    Msg::new(
                        format!("同一职业已享受更高等级（{}）的补贴，不再享受低等级补贴", policy.ladder.name_zh(h)),
                        format!(
                            "the occupation was subsidised at a higher level ({}): no subsidy for a lower one",
                            policy.ladder.name_en(h)
                        ),
                    ),
                ),
                None => Condition::met(
                    "higher_level_claimed",
                    on,
                    Msg::new("同一职业未享受更高等级补贴", "no higher level of the occupation subsidised"),
                ),
            });
        }
        let others_met = c.iter().all(|x| x.met);
        if others_met {
            c.push(if used_this_year < s.per_year {
                Condition::met(
                    "per_year",
                    on,
                    Msg::new(
                        format!("{} 年第 {} 次（每人每年最多 {} 次）", on.year(), used_this_year + 1, s.per_year),
                        format!("number {} in {} (at most {} a year)", used_this_year + 1, on.year(), s.per_year),
                    ),
                )
            } else {
                let when = next_year.filter(|d| *d <= claim_by);
                Condition::unmet(
                    "per_year",
                    when,
                    Msg::new(
                        format!(
                            "{} 年已享受 {} 次，每人每年最多 {} 次（按证书日期先后）",
                            on.year(),
                            used_this_year,
                            s.per_year
                        ),
                        format!(
                            "{} subsidies in {} already, at most {} a year (earliest certificates first)",
                            used_this_year,
                            on.year(),
                            s.per_year
                        ),
                    ),
                )
            });
        }
        let eligible = person_met && c.iter().all(|x| x.met);
        if eligible {
            used_this_year += 1;
            subsidised.push((l.occupation.clone(), l.level));
            applied.insert((l.occupation.clone(), l.level));
        }
        out.push(CertificateEntitlement {
            level_id: l.id,
            occupation: l.occupation.clone(),
            level: l.level,
            level_name: name,
            obtained_on: l.obtained_on,
            amount,
            eligible,
            claim_status: claim_status.map(|s| s.code().to_owned()),
            conditions: c,
            claim_by,
        });
    }
    out
}

pub(super) fn decide(policy: &Policy, s: &SkillUpgradeScheme, record: &Record, on: Date) -> BenefitDecision {
    let (conditions, missing) = person_conditions(s, record, on);
    let certificates = entitlements(policy, s, record, on);
    let eligible: Vec<&CertificateEntitlement> = certificates.iter().filter(|c| c.eligible).collect();
    let total: u32 = eligible.iter().map(|c| c.amount).sum();
    // The earliest day a certificate not yet claimable could be: every unmet condition, its own
    // and the person's, met by waiting, within the claim window.
    let person_on = all_met_on(&conditions);
    let earliest_on = if eligible.is_empty() {
        certificates
            .iter()
            .filter_map(|c| {
                let own = all_met_on(&c.conditions)?;
                let d = own.max(person_on?);
                (d <= c.claim_by).then_some(d)
            })
            .min()
    } else {
        None
    };
    let name = s.head.name();
    let summary = if !eligible.is_empty() {
        Msg::new(
            format!("可享受{} {total} 元（{} 张证书）", name.zh, eligible.len()),
            format!("entitled to the {}: ¥{total} for {} certificate(s)", name.en, eligible.len()),
        )
    } else if certificates.is_empty() {
        let levels: Vec<String> = s.amounts.iter().map(|a| policy.ladder.display(a.level)).collect();
        Msg::new(
            format!("不符合{}：没有可计补贴的证书（{}）", name.zh, levels.join("、")),
            format!("not entitled to the {}: no certificate of a subsidised level", name.en),
        )
    } else {
        let mut all = conditions.clone();
        if let Some(c) = certificates.iter().rev().find(|c| c.claim_status.is_none()).or(certificates.last()) {
            all.extend(c.conditions.iter().cloned());
        }
        let (zh, en) = unmet(&all);
        match earliest_on {
            Some(d) => Msg::new(
                format!("暂不符合{}：{zh}；最早 {} 可申领", name.zh, iso(d)),
                format!("not yet entitled to the {}: {en}; earliest on {}", name.en, iso(d)),
            ),
            None => Msg::new(format!("不符合{}：{zh}", name.zh), format!("not entitled to the {}: {en}", name.en)),
        }
    };
    let mut reasons = vec![summary];
    reasons.extend(conditions.iter().map(|c| c.reason.clone()));
    for c in &certificates {
        reasons.extend(c.conditions.iter().map(|x| x.reason.clone()));
    }
    let notes: Vec<Msg> = s.head.inferred_on(on).cloned().into_iter().collect();
    BenefitDecision {
        scheme: s.head.id.clone(),
        name,
        eligible: !eligible.is_empty(),
        amount: (!eligible.is_empty()).then_some(total),
        reasons,
        conditions,
        certificates,
        routes: Vec::new(),
        earliest_on,
        missing,
        inferred: !notes.is_empty(),
        inferred_notes: notes,
        source: s.head.source.clone(),
    }
}
