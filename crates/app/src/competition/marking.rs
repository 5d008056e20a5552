//! Marking: judges' scores into the event's ledger, checked one by one (the judge is on the
//! event and not from the entrant's organisation; the aspect is in the scheme; the score fits
//! it; the entry's marks are not signed off), then sign-off, which locks an entry's marks once
//! every aspect stands, and the ledger's verification.

use std::collections::{HashMap, HashSet};

use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::marking::{AspectKind, AspectMark, Score, check_score, entry_total};
use gongjiang_store::judging::{self, EntryRow, JudgeRow};
use gongjiang_store::marks_ledger::{self, LedgerCheck, NewMark};
use gongjiang_store::tx;
use serde::Serialize;
use serde_json::json;

use super::{event, not_published, scheme_of};
use crate::audit::{self, Actor};
use crate::{App, AppError};

/// One score as a judge gives it.
#[derive(Debug, Clone)]
pub struct MarkInput {
    /// The judge's code on the event.
    pub judge: String,
    /// The entrant's competitor number.
    pub bib: String,
    pub aspect: String,
    pub score: i64,
}

/// Records scores, all or none: every refused score is named with its reason. Audited
/// `competition.marks` (how many, by which judges); the scores themselves are the ledger.
pub async fn mark(
    app: &App,
    actor: &Actor,
    competition_code: &str,
    event_code: &str,
    marks: &[MarkInput],
) -> Result<usize, AppError> {
    let (_, e) = event(app, competition_code, event_code).await?;
    not_published(&e)?;
    let scheme = scheme_of(&e)?;
    let judges: HashMap<String, JudgeRow> =
        judging::judges_of(&app.db, e.id).await?.into_iter().map(|j| (j.code.clone(), j)).collect();
    let mut t = tx::begin(&app.db).await?;
    // Entries read after taking the event's head lock inside the transaction, so a sign-off
    // cannot slip in between the check and the append.
    let mut bibs: Vec<String> = marks.iter().map(|m| m.bib.trim().to_owned()).collect();
    bibs.sort_unstable();
    bibs.dedup();
    let entries: HashMap<String, EntryRow> =
        judging::entries_with_bibs_in(&mut t, e.id, &bibs).await?.into_iter().map(|x| (x.bib.clone(), x)).collect();
    let mut problems = Vec::new();
    let mut writes = Vec::with_capacity(marks.len());
    for (i, m) in marks.iter().enumerate() {
        let n = i + 1;
        let at = |why: Msg| {
            Msg::new(
                format!("第 {n} 条（裁判 {}，选手 {}，评分项 {}）：{}", m.judge, m.bib, m.aspect, why.zh),
                format!("mark {n} (judge {}, competitor {}, aspect {}): {}", m.judge, m.bib, m.aspect, why.en),
            )
        };
        let Some(j) = judges.get(m.judge.trim()) else {
            problems.push(at(Msg::new("该裁判不在本赛项裁判名单中", "this judge is not on the event's panel")));
            continue;
        };
        let Some(entry) = entries.get(m.bib.trim()) else {
            problems.push(at(Msg::new("本赛项没有该参赛号", "no entrant has this competitor number in the event")));
            continue;
        };
        let Some(aspect) = scheme.aspect(m.aspect.trim()) else {
            problems.push(at(Msg::new("评分方案中没有该评分项", "the marking scheme has no such aspect")));
            continue;
        };
        if let (Some(a), Some(b)) = (&j.organisation_uscc, &entry.organisation_uscc)
            && a == b
        {
            problems.push(at(Msg::new(
                format!("回避：裁判与选手同属一个单位（{a}），不能为其评分"),
                format!("conflict of interest: the judge and the competitor come from the same organisation ({a}); the judge may not mark them"),
            )));
            continue;
        }
        if entry.signed_off_by.is_some() {
            problems.push(at(Msg::new(
                "该选手的评分已签字确认并锁定，不能更改",
                "the competitor's marks are signed off and locked: they do not change",
            )));
            continue;
        }
        match check_score(aspect, m.score) {
            Ok(score) => writes.push((entry.id, aspect.code.as_str(), j.id, score)),
            Err(why) => problems.push(at(why)),
        }
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(Msg::new(
            problems.iter().map(|m| m.zh.as_str()).collect::<Vec<_>>().join("\n"),
            problems.iter().map(|m| m.en.as_str()).collect::<Vec<_>>().join("\n"),
        )));
    }
    let new: Vec<NewMark<'_>> = writes
        .iter()
        .map(|&(entry_id, aspect, judge_id, score)| NewMark { entry_id, aspect, judge_id, score })
        .collect();
    let rows = marks_ledger::append(&mut t, e.id, &new, &actor.label).await?;
    let used: HashSet<&str> = marks.iter().map(|m| m.judge.trim()).collect();
    let mut used: Vec<&str> = used.into_iter().collect();
    used.sort_unstable();
    let after = json!({ "event_id": e.id, "marks": rows.len(), "judges": used,
                        "ledger_from": rows.first().map(|r| r.seq), "ledger_to": rows.last().map(|r| r.seq) });
    audit::record(
        &mut t,
        actor,
        "competition.marks",
        "competition_events",
        Some(&e.id.to_string()),
        None,
        Some(&after),
    )
    .await?;
    t.commit().await?;
    Ok(rows.len())
}

/// The latest scores of an event by entry and aspect (one per judge).
pub async fn scores_by_entry(app: &App, event_id: i64) -> Result<HashMap<i64, HashMap<String, Vec<Score>>>, AppError> {
    let mut out: HashMap<i64, HashMap<String, Vec<Score>>> = HashMap::new();
    for (entry, aspect, _judge, score) in marks_ledger::latest_scores(&app.db, event_id).await? {
        out.entry(entry).or_default().entry(aspect).or_default().push(u8::try_from(score).unwrap_or(u8::MAX));
    }
    Ok(out)
}

/// What a sign-off did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SignOffSummary {
    /// Competitor numbers signed off now, with their raw totals (hundredths).
    pub signed: Vec<(String, u32)>,
    /// Signed off before.
    pub already: Vec<String>,
    /// Competitor numbers that cannot be signed off yet, with every reason.
    pub blocked: Vec<(String, Vec<Msg>)>,
}

/// Signs off the marks of one entrant (`bib`) or of every entrant whose marks all stand. An
/// entry with an aspect missing judges, or judges more than one point apart, is not signed off
/// and says why. Audited `competition.sign_off`.
pub async fn sign_off(
    app: &App,
    actor: &Actor,
    competition_code: &str,
    event_code: &str,
    bib: Option<&str>,
) -> Result<SignOffSummary, AppError> {
    let (_, e) = event(app, competition_code, event_code).await?;
    not_published(&e)?;
    let scheme = scheme_of(&e)?;
    let mut t = tx::begin(&app.db).await?;
    let entries = judging::entries_of_in(&mut t, e.id).await?;
    if let Some(b) = bib
        && !entries.iter().any(|x| x.bib == b.trim())
    {
        return Err(AppError::NotFound(Msg::new(
            format!("赛项 {} 没有参赛号 {b}", e.code),
            format!("event {} has no competitor number {b}", e.code),
        )));
    }
    let scores = scores_by_entry(app, e.id).await?;
    let mut out = SignOffSummary::default();
    let empty = HashMap::new();
    for x in entries.iter().filter(|x| bib.is_none_or(|b| x.bib == b.trim())) {
        if x.signed_off_by.is_some() {
            out.already.push(x.bib.clone());
            continue;
        }
        let of = scores.get(&x.id).unwrap_or(&empty);
        let s = entry_total(&scheme, |code| of.get(code).map(Vec::as_slice).unwrap_or(&[]));
        let Some(total) = s.total_hundredths else {
            out.blocked.push((x.bib.clone(), s.blockers));
            continue;
        };
        let measurement: u32 = s
            .aspects
            .iter()
            .filter(|(code, _)| scheme.aspect(code).is_some_and(|a| a.kind == AspectKind::Measurement))
            .map(|(_, m)| match m {
                AspectMark::Complete { hundredths } => *hundredths,
                _ => 0,
            })
            .sum();
        if judging::sign_off(&mut t, x.id, total, measurement, &actor.label).await? {
            out.signed.push((x.bib.clone(), total));
        }
    }
    if !out.signed.is_empty() {
        let after = json!({ "event_id": e.id, "signed": out.signed });
        audit::record(
            &mut t,
            actor,
            "competition.sign_off",
            "competition_events",
            Some(&e.id.to_string()),
            None,
            Some(&after),
        )
        .await?;
    }
    t.commit().await?;
    Ok(out)
}

/// Walks the event's marks ledger and names the first row that was changed, removed or
/// inserted in the database.
pub async fn verify(app: &App, competition_code: &str, event_code: &str) -> Result<LedgerCheck, AppError> {
    let (_, e) = event(app, competition_code, event_code).await?;
    Ok(marks_ledger::verify(&app.db, e.id).await?)
}

/// Columns of a marks file: one score a row.
pub const MARK_COLUMNS: &[crate::import::columns::Column] = &[
    crate::import::columns::Column { name: "judge", zh: &["裁判", "裁判代码"], required: true },
    crate::import::columns::Column { name: "bib", zh: &["参赛号", "选手编号"], required: true },
    crate::import::columns::Column { name: "aspect", zh: &["评分项", "评分项代码"], required: true },
    crate::import::columns::Column { name: "score", zh: &["评分", "分数"], required: true },
];

/// Reads a marks file; a score that is not a whole number is named by line.
pub fn read_marks_file(path: &std::path::Path) -> Result<Vec<MarkInput>, AppError> {
    let mut reader = gongjiang_tabular::RowReader::open(path)?;
    let h = crate::import::columns::HeaderMap::new(MARK_COLUMNS, reader.headers()).map_err(AppError::BadFile)?;
    let mut out = Vec::new();
    let mut bad = Vec::new();
    while let Some(row) = reader.next_row() {
        let r = row?;
        let cell = |i: usize| h.get(i, &r.cells).trim().to_owned();
        match cell(3).parse::<i64>() {
            Ok(score) => out.push(MarkInput { judge: cell(0), bib: cell(1), aspect: cell(2), score }),
            Err(_) => bad.push(Msg::new(
                format!("第 {} 行 {}：评分应为整数，不能是“{}”", r.line, h.labels[3], cell(3)),
                format!("line {} {}: a score is a whole number, not \"{}\"", r.line, h.labels[3], cell(3)),
            )),
        }
    }
    if bad.is_empty() {
        Ok(out)
    } else {
        Err(AppError::Invalid(Msg::new(
            bad.iter().map(|m| m.zh.as_str()).collect::<Vec<_>>().join("\n"),
            bad.iter().map(|m| m.en.as_str()).collect::<Vec<_>>().join("\n"),
        )))
    }
}
