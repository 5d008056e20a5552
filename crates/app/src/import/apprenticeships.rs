//! Enterprise new-type apprenticeship files (企业新型学徒制): an agreement between a registered
//! enterprise, an apprentice (a registered person) and a registered training institution. Each
//! row is checked against the policy's rule set in force on its start
//! (`domain::training::check_apprenticeship`: labour contract, duration and its extension,
//! target level) and refused with every broken rule. The apprentice must be the enterprise's
//! employee where the registry records employment — the person's employer, or an employment
//! spell with the enterprise covering the start; a person with no employment on record is
//! accepted and the import says how many (an inferred reading of "the apprentice is an
//! employee", RESEARCH §7.1). The same agreement again (enterprise, person, start) changes
//! nothing; other details update it.

use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::training::{Agreement, check_apprenticeship};
use gongjiang_store::apprenticeships::{self, Apprenticeship, EmploymentFacts};
use gongjiang_store::tx::Tx;
use gongjiang_store::{WriteCounts, persons};
use time::Date;

use super::columns::HeaderMap;
use super::resolve::{Resolver, organisation_not_registered, person_not_registered};
use super::rows::{FieldError, Row, RowContext, any_date, holder_id, text, uscc};
use crate::AppError;

#[derive(Debug, Clone)]
pub struct ApprenticeshipRow {
    pub enterprise_uscc: String,
    pub id_number: String,
    pub institution_uscc: String,
    /// The agreement with the organisations and the person still to be resolved (ids 0).
    pub agreement: Apprenticeship,
}

/// A date, or an open-ended contract (无固定期限) as `None`.
fn contract_end(s: &str) -> Result<Option<Date>, Msg> {
    let t = s.trim();
    if ["无固定期限", "无固定期限劳动合同", "长期", "open-ended", "open_ended"]
        .iter()
        .any(|o| t.eq_ignore_ascii_case(o))
    {
        return Ok(None);
    }
    any_date(t).map(Some).map_err(|_| {
        Msg::new(
            "应为日期（YYYY-MM-DD），无固定期限合同填“无固定期限”",
            "must be a date (YYYY-MM-DD), or \"无固定期限\" for an open-ended contract",
        )
    })
}

pub fn validate(cx: &RowContext<'_>, h: &HeaderMap, cells: &[String]) -> Result<ApprenticeshipRow, Vec<FieldError>> {
    let mut r = Row::new(h, cells);
    let enterprise = r.parsed(0, uscc);
    let id = r.parsed(1, |s| holder_id(s, cx.today));
    let institution = r.parsed(2, uscc);
    let contract = r.parsed(3, contract_end);
    let starts = r.parsed(4, any_date);
    let ends = r.parsed(5, any_date);
    let occupation = r.parsed(6, cx.occupation());
    let level = r.parsed(7, cx.level());
    let enterprise_mentor = r.parsed(8, text(100));
    let school_mentor = r.parsed(9, text(100));
    let reason = r.optional(10, text(500));
    let mut rule_id = None;
    if let (Some(contract), Some(starts), Some(ends), Some(level)) = (contract, starts, ends, level) {
        let a = Agreement {
            contract_ends_on: contract,
            starts_on: starts,
            ends_on: ends,
            level,
            extension_reason: reason.clone(),
        };
        let breaches = check_apprenticeship(cx.policy, &a);
        for b in &breaches {
            let i = match b.column {
                "contract_ends_on" => 3,
                "starts_on" => 4,
                "level" => 7,
                _ => 5,
            };
            r.fail(i, b.reason.clone());
        }
        if breaches.is_empty() {
            rule_id = cx.policy.apprenticeship.in_force(starts).map(|rule| rule.id.clone());
        }
    }
    let v = (|| {
        Some(ApprenticeshipRow {
            enterprise_uscc: enterprise?,
            id_number: id?,
            institution_uscc: institution?,
            agreement: Apprenticeship {
                enterprise_id: 0,
                person_id: 0,
                institution_id: 0,
                contract_ends_on: contract?,
                starts_on: starts?,
                ends_on: ends?,
                occupation_code: occupation?,
                level: i16::from(level?.rank()),
                enterprise_mentor: enterprise_mentor?,
                school_mentor: school_mentor?,
                extension_reason: reason,
                rule_id: rule_id?,
                employment_basis: String::new(),
                status: "active".to_owned(),
            },
        })
    })();
    r.finish(v)
}

/// How the registry shows the apprentice employed by `enterprise` on `start`: `Ok(basis)`, or
/// `Err(())` when it records employment elsewhere only.
fn employment_basis(f: &EmploymentFacts, enterprise: i64, start: Date) -> Result<&'static str, ()> {
    if f.employer_id == Some(enterprise) {
        return Ok("employer");
    }
    if f.spells.iter().any(|&(e, from, to)| e == enterprise && from <= start && to.is_none_or(|to| to >= start)) {
        return Ok("spell");
    }
    if f.employer_id.is_none() && f.spells.is_empty() { Ok("not_on_record") } else { Err(()) }
}

pub(super) async fn write(
    res: &mut Resolver,
    t: &mut Tx,
    rows: Vec<(u64, ApprenticeshipRow)>,
) -> Result<WriteCounts, AppError> {
    let orgs = res.organisations(t).await?;
    let keys: Vec<&str> = rows.iter().map(|(_, r)| r.id_number.as_str()).collect();
    let people = persons::ids_by_id_number_in(t, &keys).await?;
    let mut ids: Vec<i64> = people.values().copied().collect();
    ids.sort_unstable();
    ids.dedup();
    let mut stored = apprenticeships::of_persons_in(t, &ids).await?;
    let employment = apprenticeships::employment_in(t, &ids).await?;
    let mut counts = WriteCounts::default();
    let mut inserts: Vec<Apprenticeship> = Vec::new();
    for (line, row) in rows {
        let enterprise = orgs.get(&row.enterprise_uscc).copied();
        let institution = orgs.get(&row.institution_uscc).copied();
        let person = people.get(&row.id_number).copied();
        let (Some(enterprise_id), Some(institution_id), Some(person_id)) = (enterprise, institution, person) else {
            if enterprise.is_none() {
                res.reject(
                    line,
                    "enterprise_uscc",
                    &row.enterprise_uscc,
                    organisation_not_registered("企业", "enterprise"),
                );
            }
            if institution.is_none() {
                res.reject(
                    line,
                    "institution_uscc",
                    &row.institution_uscc,
                    organisation_not_registered("培训机构", "training institution"),
                );
            }
            if person.is_none() {
                res.reject(line, "id_number", &row.id_number, person_not_registered());
            }
            continue;
        };
        let facts = employment.get(&person_id).cloned().unwrap_or_default();
        let Ok(basis) = employment_basis(&facts, enterprise_id, row.agreement.starts_on) else {
            res.reject(
                line,
                "id_number",
                &row.id_number,
                Msg::new(
                    "登记信息显示此人开始日期时不在该企业就业（学徒须为企业职工；此项核对为推断规则）",
                    "the registry shows this person not employed by the enterprise on the start day (an apprentice \
                     must be its employee; this check is an inferred rule)",
                ),
            );
            continue;
        };
        if basis == "not_on_record" {
            res.not_on_record += 1;
        }
        let a = Apprenticeship {
            enterprise_id,
            person_id,
            institution_id,
            employment_basis: basis.to_owned(),
            ..row.agreement
        };
        match stored.get(&a.key()) {
            Some((_, old)) if Apprenticeship { status: old.status.clone(), ..a.clone() } == *old => {
                counts.unchanged += 1
            }
            Some((0, _)) => {
                // Earlier in this file: the later row wins, as a stored agreement would be updated.
                if let Some(pending) = inserts.iter_mut().find(|p| p.key() == a.key()) {
                    *pending = a.clone();
                }
                stored.insert(a.key(), (0, a));
                counts.updated += 1;
            }
            Some((id, old)) => {
                let id = *id;
                let a = Apprenticeship { status: old.status.clone(), ..a };
                apprenticeships::update_in(t, id, &a, &res.recorded_by).await?;
                stored.insert(a.key(), (id, a));
                counts.updated += 1;
            }
            None => {
                stored.insert(a.key(), (0, a.clone()));
                inserts.push(a);
                counts.inserted += 1;
            }
        }
    }
    apprenticeships::insert_in(t, &inserts, &res.recorded_by).await?;
    Ok(counts)
}
