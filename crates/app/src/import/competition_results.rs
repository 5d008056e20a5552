//! Competition results files (以赛代评): a registered person's place in a competition. Each new
//! result is stored with the decision `competition::decide` takes on it — in award-date order,
//! against the person's level history as it stands, promotions of earlier rows included — and
//! a promotion goes into the level history in the same transaction (source `competition`, the
//! award day as the day obtained, the competition as evidence), so the KPI counts follow.
//! A result already stored (same person, competition, occupation and day) changes nothing.

use std::collections::HashMap;
use std::path::Path;

use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::competition::{CompetitionResult, PastLevel, PromotionDecision, decide};
use gongjiang_domain::dates::iso;
use gongjiang_domain::identifier::mask_identity;
use gongjiang_domain::level::Level;
use gongjiang_domain::policy::Policy;
use gongjiang_domain::records::NewLevel;
use gongjiang_domain::registry::{CompetitionGroup, CompetitionTier, LevelSource};
use gongjiang_store::certificates::Certificate;
use gongjiang_store::competitions::{self, NewResult, StoredResult};
use gongjiang_store::tx::Tx;
use gongjiang_store::{WriteCounts, persons};
use gongjiang_tabular::TableWriter;

use super::columns::HeaderMap;
use super::competition_certificates::{Issuers, Promotion, issue as issue_certificates};
pub use super::report::RowDecision;
use super::resolve::{Resolver, person_not_registered};
use super::rows::{FieldError, Row, RowContext, coded, holder_id, past_date, text};
use crate::AppError;

/// A competition results row.
#[derive(Debug, Clone)]
pub struct ResultRow {
    pub id_number: String,
    pub result: CompetitionResult,
    /// The occupation's name in the classification, as the certificate prints it.
    pub occupation_name: String,
    /// The evaluation institution (its id) that issues a promotion's certificate, when the
    /// file names one (column `institution`, 评价机构编号).
    pub institution: Option<i64>,
}

fn whole_number(s: &str) -> Result<u32, Msg> {
    match s.trim().parse::<u32>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(Msg::new("应为正整数", "must be a whole number, 1 or more")),
    }
}

/// Checks one row: the tier and group are codes or Chinese names, the place is within the
/// entrants, and the entrants are given where a percentage rule covers the result.
pub fn validate(cx: &RowContext<'_>, h: &HeaderMap, cells: &[String]) -> Result<ResultRow, Vec<FieldError>> {
    let mut r = Row::new(h, cells);
    let today = cx.today;
    let competition = r.parsed(0, text(200));
    let tier = r.parsed(1, coded(CompetitionTier::parse, CompetitionTier::allowed));
    let awarded_on = r.parsed(2, past_date(today));
    let occupation = r.parsed(3, cx.occupation());
    let group = r.parsed(4, coded(CompetitionGroup::parse, CompetitionGroup::allowed));
    let rank = r.parsed(5, whole_number);
    let entrants = r.optional(6, whole_number);
    let id = r.parsed(7, |s| holder_id(s, today));
    let institution = r.optional(8, |s| match s.trim().parse::<i64>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(Msg::new("应为评价机构编号（正整数）", "must be an evaluation institution's id (a whole number)")),
    });
    if let (Some(rank), Some(n)) = (rank, entrants)
        && rank > n
    {
        r.fail(
            5,
            Msg::new(format!("名次 {rank} 大于参赛人数 {n}"), format!("place {rank} is beyond the {n} entrants")),
        );
    }
    if let (Some(c), Some(t), Some(g), Some(on), None) = (&competition, tier, group, awarded_on, entrants)
        && r.cell(6).is_empty()
        && cx.policy.competition.needs_entrants(c, t, g, on)
    {
        r.fail(
            6,
            Msg::new(
                "该级别的晋升按参赛人数的百分比计算，须填写参赛人数",
                "promotion at this tier counts a percentage of the entrants: give the number of entrants",
            ),
        );
    }
    let v = (|| {
        let occupation: String = occupation?;
        let occupation_name = gongjiang_domain::occupation::OccupationCode::parse(&occupation)
            .ok()
            .and_then(|c| cx.catalogue.name_of(&c).map(str::to_string))
            .unwrap_or_else(|| occupation.clone());
        Some(ResultRow {
            id_number: id?,
            occupation_name,
            institution,
            result: CompetitionResult {
                competition: competition?,
                tier: tier?,
                group: group?,
                rank: rank?,
                entrants,
                awarded_on: awarded_on?,
                occupation,
            },
        })
    })();
    r.finish(v)
}

/// Facts of a result that must agree when it is recorded again.
fn same_facts(s: &StoredResult, r: &CompetitionResult) -> bool {
    s.tier == r.tier.code()
        && s.entry_group == r.group.code()
        && i64::from(s.place) == i64::from(r.rank)
        && s.entrants.map(i64::from) == r.entrants.map(i64::from)
}

fn past_levels(rows: Vec<competitions::HistoryRow>) -> HashMap<i64, Vec<PastLevel>> {
    let mut out: HashMap<i64, Vec<PastLevel>> = HashMap::new();
    for h in rows {
        let (Some(level), Some(source)) =
            (u8::try_from(h.level).ok().and_then(Level::new), LevelSource::parse(&h.source))
        else {
            continue;
        };
        out.entry(h.person_id).or_default().push(PastLevel {
            occupation: h.occupation_code,
            level,
            obtained_on: h.obtained_on,
            revoked_on: h.revoked_on,
            source,
        });
    }
    out
}

fn evidence(r: &CompetitionResult) -> String {
    let (of_zh, of_en) = match r.entrants {
        Some(n) => (format!("（共{n}人）"), format!(" of {n}")),
        None => (String::new(), String::new()),
    };
    format!(
        "竞赛 competition: {}（{} {}，{} {}，第{}名{of_zh} place {}{of_en}）",
        r.competition,
        r.tier.zh(),
        r.tier.code(),
        r.group.zh(),
        r.group.code(),
        r.rank,
        r.rank,
    )
}

/// Writes a batch: the person must be registered; results are decided in award-date order.
pub(super) async fn write(
    res: &mut Resolver,
    policy: &Policy,
    t: &mut Tx,
    mut rows: Vec<(u64, ResultRow)>,
) -> Result<WriteCounts, AppError> {
    rows.sort_by_key(|(line, r)| (r.result.awarded_on, *line));
    let keys: Vec<&str> = rows.iter().map(|(_, r)| r.id_number.as_str()).collect();
    let people = persons::ids_by_id_number_in(t, &keys).await?;
    let mut known = Vec::with_capacity(rows.len());
    for (line, row) in rows {
        match people.get(&row.id_number) {
            Some(&person_id) => known.push((line, person_id, row)),
            None => res.reject(line, "id_number", &row.id_number, person_not_registered()),
        }
    }
    decide_and_record(res, policy, t, known, None).await.map(|(counts, _)| counts)
}

/// What recording results scored in gongjiang did: each row's decision, the rows refused, how
/// many promoted and the certificates issued for the promotions.
pub struct Scored {
    pub decisions: Vec<RowDecision>,
    pub refused: Vec<super::RejectedRow>,
    pub promoted: u64,
    pub certificates: Vec<Certificate>,
}

/// Decides and records results scored in gongjiang when an event's results are published: the
/// same decision, order, certificates and transaction as an imported file. `rows` are
/// `(line, person, row)`; `organiser` is the competition organiser's organisation, whose own
/// evaluation institution issues the certificates where it is filed for them.
pub async fn record_scored(
    policy: &Policy,
    t: &mut Tx,
    mut rows: Vec<(u64, i64, ResultRow)>,
    recorded_by: &str,
    organiser: Option<i64>,
) -> Result<Scored, AppError> {
    rows.sort_by_key(|(line, _, r)| (r.result.awarded_on, *line));
    let mut res = Resolver::new(super::Kind::CompetitionResults, Vec::new(), "");
    res.recorded_by = recorded_by.to_owned();
    let (_, certificates) = decide_and_record(&mut res, policy, t, rows, organiser).await?;
    Ok(Scored { decisions: res.competition, refused: res.rejected, promoted: res.promoted, certificates })
}

/// Rows of registered persons, in award-date order. A promotion's certificate is issued in the
/// same transaction (`competition_certificates`); a promotion no institution can certify is
/// refused, not recorded.
async fn decide_and_record(
    res: &mut Resolver,
    policy: &Policy,
    t: &mut Tx,
    rows: Vec<(u64, i64, ResultRow)>,
    organiser: Option<i64>,
) -> Result<(WriteCounts, Vec<Certificate>), AppError> {
    let mut issuers = Issuers::new(organiser);
    let mut promotions: Vec<Promotion> = Vec::new();
    let mut ids: Vec<i64> = rows.iter().map(|(_, p, _)| *p).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut stored = competitions::stored_in(t, &ids).await?;
    let mut history = past_levels(competitions::history_in(t, &ids).await?);
    let mut counts = WriteCounts::default();
    let mut decided: Vec<(i64, &ResultRow, PromotionDecision)> = Vec::new();
    for (line, person_id, row) in &rows {
        let person_id = *person_id;
        let r = &row.result;
        let key = (person_id, r.competition.clone(), r.occupation.clone(), r.awarded_on);
        if let Some(s) = stored.get(&key) {
            if !same_facts(s, r) {
                res.reject(
                    *line,
                    "rank",
                    &r.rank.to_string(),
                    Msg::new(
                        format!(
                            "该成绩已记录（{}，第{}名），级别、组别、名次或参赛人数与本行不同；已记录的成绩及其晋升决定不更改",
                            s.tier, s.place
                        ),
                        format!(
                            "this result is recorded already ({}, place {}) with another tier, group, place or number of entrants; a recorded result and its decision do not change",
                            s.tier, s.place
                        ),
                    ),
                );
                continue;
            }
            counts.unchanged += 1;
            res.competition.push(RowDecision {
                line: *line,
                id_number: mask_identity(&row.id_number),
                competition: r.competition.clone(),
                awarded_on: r.awarded_on,
                occupation: r.occupation.clone(),
                new: false,
                outcome: s.outcome.clone(),
                rule_id: s.rule_id.clone(),
                level_before: s.level_before.and_then(|l| u8::try_from(l).ok()),
                level_after: s.level_after.and_then(|l| u8::try_from(l).ok()),
                explanation: Msg::new(s.explanation_zh.clone(), s.explanation_en.clone()),
            });
            continue;
        }
        let past = history.entry(person_id).or_default();
        let d = decide(policy, r, past);
        if let Some(after) = d.after {
            match issuers.choose(t, policy, row.institution, &r.occupation, after, r.awarded_on).await? {
                Ok((institution_id, level_code)) => promotions.push(Promotion {
                    person_id,
                    institution_id,
                    level: after,
                    level_code,
                    occupation: r.occupation.clone(),
                    occupation_name: row.occupation_name.clone(),
                    awarded_on: r.awarded_on,
                    basis: evidence(r),
                }),
                Err(why) => {
                    let named = row.institution.map(|i| i.to_string()).unwrap_or_default();
                    res.reject(*line, "institution", &named, why);
                    continue;
                }
            }
            past.push(PastLevel {
                occupation: r.occupation.clone(),
                level: after,
                obtained_on: r.awarded_on,
                revoked_on: None,
                source: LevelSource::Competition,
            });
            res.promoted += 1;
        }
        // A second row with the same key in this file is then "recorded already".
        stored.insert(
            key,
            StoredResult {
                id: 0,
                person_id,
                competition: r.competition.clone(),
                tier: r.tier.code().to_owned(),
                entry_group: r.group.code().to_owned(),
                occupation_code: r.occupation.clone(),
                place: r.rank as i32,
                entrants: r.entrants.map(|n| n as i32),
                awarded_on: r.awarded_on,
                outcome: d.outcome.code().to_owned(),
                rule_id: d.rule_id.clone(),
                level_before: d.before.map(|l| l.rank() as i16),
                level_after: d.after.map(|l| l.rank() as i16),
                explanation_zh: d.explanation.zh.clone(),
                explanation_en: d.explanation.en.clone(),
            },
        );
        counts.inserted += 1;
        res.competition.push(RowDecision {
            line: *line,
            id_number: mask_identity(&row.id_number),
            competition: r.competition.clone(),
            awarded_on: r.awarded_on,
            occupation: r.occupation.clone(),
            new: true,
            outcome: d.outcome.code().to_owned(),
            rule_id: d.rule_id.clone(),
            level_before: d.before.map(Level::rank),
            level_after: d.after.map(Level::rank),
            explanation: d.explanation.clone(),
        });
        decided.push((person_id, row, d));
    }
    let new: Vec<NewResult<'_>> = decided
        .iter()
        .map(|(person_id, row, d)| {
            let r = &row.result;
            NewResult {
                person_id: *person_id,
                competition: &r.competition,
                tier: r.tier.code(),
                entry_group: r.group.code(),
                occupation_code: &r.occupation,
                place: r.rank as i32,
                entrants: r.entrants.map(|n| n as i32),
                awarded_on: r.awarded_on,
                outcome: d.outcome.code(),
                rule_id: d.rule_id.as_deref(),
                level_before: d.before,
                promotion: d.after.map(|level| NewLevel {
                    id_number: row.id_number.clone(),
                    occupation_code: r.occupation.clone(),
                    trade: String::new(),
                    level,
                    obtained_on: r.awarded_on,
                    source: LevelSource::Competition,
                    certificate_no: None,
                    issuer_uscc: None,
                }),
                explanation_zh: &d.explanation.zh,
                explanation_en: &d.explanation.en,
                evidence: evidence(r),
            }
        })
        .collect();
    let (_, level_ids) = competitions::record_in(t, &new, &res.recorded_by).await?;
    // Promotions are in the order of `decided`'s promoted rows.
    let promoted_ids = decided.iter().zip(level_ids).filter(|((_, _, d), _)| d.after.is_some()).map(|(_, id)| id);
    let mut issue = Vec::with_capacity(promotions.len());
    for (p, id) in promotions.into_iter().zip(promoted_ids) {
        let Some(id) = id else {
            return Err(AppError::Invalid(Msg::new("晋升的等级记录未找到", "the promotion's level row was not found")));
        };
        issue.push((p, id));
    }
    let certificates = issue_certificates(t, policy, &issue).await?;
    Ok((counts, certificates))
}

/// The decision report's columns.
pub const REPORT_HEADERS: [&str; 12] = [
    "line",
    "id_number",
    "competition",
    "awarded_on",
    "occupation",
    "status",
    "outcome",
    "rule",
    "level_before",
    "level_after",
    "reason_zh",
    "reason_en",
];

/// Writes one line per row read, in file order: for a recorded result the rule applied (or why
/// none), the level before and after (ladder names), and whether it was new or recorded already;
/// for a refused row its reasons (CSV or XLSX).
pub fn write_report(
    path: &Path,
    policy: &Policy,
    rows: &[RowDecision],
    rejected: &[super::RejectedRow],
) -> Result<(), AppError> {
    let name = |l: Option<u8>| l.and_then(Level::new).map(|l| policy.ladder.name_zh(l).to_owned()).unwrap_or_default();
    let mut w = TableWriter::create(path, &REPORT_HEADERS)?;
    let mut refused = rejected.iter().peekable();
    for d in rows {
        while let Some(r) = refused.next_if(|r| r.line < d.line) {
            write_refused(&mut w, r)?;
        }
        w.write_row(&[
            d.line.to_string(),
            d.id_number.clone(),
            d.competition.clone(),
            iso(d.awarded_on),
            d.occupation.clone(),
            if d.new { "新记录 new" } else { "已记录 recorded already" }.to_owned(),
            d.outcome.clone(),
            d.rule_id.clone().unwrap_or_default(),
            name(d.level_before),
            name(d.level_after),
            d.explanation.zh.clone(),
            d.explanation.en.clone(),
        ])?;
    }
    for r in refused {
        write_refused(&mut w, r)?;
    }
    w.finish()?;
    Ok(())
}

fn write_refused(w: &mut TableWriter, r: &super::RejectedRow) -> Result<(), AppError> {
    let zh: Vec<String> = r.errors.iter().map(|e| format!("{}：{}", e.column, e.reason.zh)).collect();
    let en: Vec<String> = r.errors.iter().map(|e| format!("{}: {}", e.column, e.reason.en)).collect();
    let mut cells = vec![String::new(); REPORT_HEADERS.len()];
    cells[0] = r.line.to_string();
    cells[5] = "拒绝 rejected".to_owned();
    cells[10] = zh.join("；");
    cells[11] = en.join("; ");
    w.write_row(&cells)?;
    Ok(())
}
