//! Scores: one candidate at a time or a file, each component 0–full mark in tenths, judged
//! against the policy's pass mark. A file's good rows are written together; bad rows go to the
//! report with their line, column and reason.

use std::collections::HashMap;
use std::path::Path;

use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::evaluation::{self, Component, Score, Scores, SessionStatus};
use gongjiang_domain::level::Level;
use gongjiang_store::applications::{self as store, Application, ScoreWrite};
use gongjiang_store::sessions::Session;
use gongjiang_store::tx;
use gongjiang_tabular::RowReader;
use serde_json::json;

use super::{BulkSummary, invalid, level_of, session};
use crate::audit::{self, Actor};
use crate::import::columns::{Column, HeaderMap};
use crate::import::rows::FieldError;
use crate::import::{RejectedRow, write_error_report};
use crate::{App, AppError};

/// Writes scores with their audit entry: every application's scores and result.
async fn write_scores(
    app: &App,
    actor: &Actor,
    session_id: i64,
    rows: &[ScoreWrite<'_>],
    by: &str,
) -> Result<u64, AppError> {
    if rows.is_empty() {
        return Ok(0);
    }
    let mut t = tx::begin(&app.db).await?;
    let n = store::set_scores_in(&mut t, rows, by).await?;
    let scored: Vec<_> = rows
        .iter()
        .map(|r| {
            json!({
                "application_id": r.application_id, "theory_tenths": r.theory_tenths,
                "practical_tenths": r.practical_tenths, "review_tenths": r.review_tenths, "result": r.result,
            })
        })
        .collect();
    let after = json!({ "session_id": session_id, "scored_by": by, "written": n, "scores": scored });
    let record = session_id.to_string();
    audit::record(&mut t, actor, "application.scores", "evaluation_sessions", Some(&record), None, Some(&after))
        .await?;
    t.commit().await?;
    Ok(n)
}

/// Columns of a scores file.
pub const COLUMNS: &[Column] = &[
    Column {
        name: "id_number", zh: &["身份证号", "证件号码", "公民身份号码", "身份证号码"], required: true
    },
    Column { name: "name", zh: &["姓名"], required: false },
    Column { name: "theory", zh: &["理论知识考试", "理论成绩", "理论"], required: true },
    Column { name: "practical", zh: &["技能考核", "技能成绩", "实操成绩", "技能"], required: true },
    Column { name: "review", zh: &["综合评审", "综合评审成绩", "评审成绩"], required: false },
];

/// Problems with a row: (column index in [`COLUMNS`], reason).
type CellErrors = Vec<(usize, Msg)>;

/// A row that passed: the application, its scores and the result they give.
struct Checked {
    application_id: i64,
    scores: Scores,
    result: &'static str,
}

impl Checked {
    fn write(&self) -> ScoreWrite<'static> {
        ScoreWrite {
            application_id: self.application_id,
            theory_tenths: tenths(self.scores.theory),
            practical_tenths: tenths(self.scores.practical),
            review_tenths: tenths(self.scores.review),
            result: self.result,
        }
    }
}

/// Validates one candidate's cells (theory, practical, review; empty = not given) against the
/// session: errors are (column index, reason).
fn check(app: &App, level: Level, application: Option<&Application>, cells: [&str; 3]) -> Result<Checked, CellErrors> {
    let Some(a) = application else {
        return Err(vec![(0, Msg::new("此人未报名该评价计划", "this person has not applied to this session"))]);
    };
    if a.status != "admitted" {
        return Err(vec![(
            0,
            Msg::new("此人未获准考，不能登记成绩", "this person was not admitted: no scores can be entered"),
        )]);
    }
    let out_of = app.policy.evaluation.pass_mark.out_of;
    let mut errors = Vec::new();
    let mut parsed = [None; 3];
    for (i, c) in cells.iter().enumerate() {
        if !c.trim().is_empty() {
            match Score::parse(c, out_of) {
                Ok(s) => parsed[i] = Some(s),
                Err(m) => errors.push((i + 2, m)),
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let scores = Scores { theory: parsed[0], practical: parsed[1], review: parsed[2] };
    match evaluation::judge(&app.policy.evaluation, level, &scores) {
        Ok(result) => Ok(Checked { application_id: a.id, scores, result: result.code() }),
        Err(problems) => Err(problems
            .into_iter()
            .map(|p| {
                let col = match p.component {
                    Component::Theory => 2,
                    Component::Practical => 3,
                    Component::Review => 4,
                };
                (col, p.reason)
            })
            .collect()),
    }
}

fn tenths(s: Option<Score>) -> Option<i32> {
    s.map(|s| i32::try_from(s.tenths()).unwrap_or(i32::MAX))
}

fn scoring_session(s: &Session) -> Result<Level, AppError> {
    s.status().require(SessionStatus::Examined, &Msg::new("登记成绩", "enter scores")).map_err(AppError::Invalid)?;
    level_of(s.level)
}

/// Enters one candidate's scores: `[theory, practical, review]` as typed ("85.5"; an empty
/// review for levels without one). Audited as `application.scores`.
pub async fn enter(
    app: &App,
    actor: &Actor,
    session_id: i64,
    id_number: &str,
    [theory, practical, review]: [&str; 3],
    by: &str,
) -> Result<evaluation::ResultStatus, AppError> {
    let s = session(app, session_id).await?;
    let level = scoring_session(&s)?;
    let found = store::by_id_numbers(&app.db, session_id, &[id_number.trim()]).await?;
    let checked = check(app, level, found.get(id_number.trim()), [theory, practical, review]).map_err(|errs| {
        let zh = errs.iter().map(|(_, m)| m.zh.as_str()).collect::<Vec<_>>().join("；");
        let en = errs.iter().map(|(_, m)| m.en.as_str()).collect::<Vec<_>>().join("; ");
        invalid(zh, en)
    })?;
    write_scores(app, actor, session_id, &[checked.write()], by).await?;
    Ok(evaluation::ResultStatus::parse(checked.result).unwrap_or(evaluation::ResultStatus::Fail))
}

/// Enters a file of scores for a session: the good rows in one transaction with one audit entry
/// (`application.scores`).
pub async fn enter_file(
    app: &App,
    actor: &Actor,
    session_id: i64,
    path: &Path,
    by: &str,
    errors_path: Option<&Path>,
) -> Result<BulkSummary, AppError> {
    let s = session(app, session_id).await?;
    let level = scoring_session(&s)?;
    let mut reader = RowReader::open(path)?;
    let h = HeaderMap::new(COLUMNS, reader.headers()).map_err(AppError::BadFile)?;
    let mut out = BulkSummary::default();
    for ignored in &h.ignored {
        out.warnings.push(Msg::new(format!("已忽略未知列：{ignored}"), format!("ignored unknown column: {ignored}")));
    }
    let mut rows = Vec::new();
    while let Some(row) = reader.next_row() {
        out.read += 1;
        match row {
            Ok(r) => rows.push(r),
            Err(e) => out.report.push(RejectedRow {
                line: 0,
                errors: vec![FieldError {
                    column: String::new(),
                    value: String::new(),
                    reason: Msg::new(e.to_string(), e.to_string()),
                }],
            }),
        }
    }
    let keys: Vec<&str> = rows.iter().map(|r| h.get(0, &r.cells)).collect();
    let found: HashMap<String, Application> = store::by_id_numbers(&app.db, session_id, &keys).await?;
    let mut seen: HashMap<&str, u64> = HashMap::new();
    let mut writes = Vec::new();
    for r in &rows {
        let cell = |i: usize| h.get(i, &r.cells);
        let field =
            |i: usize, reason: Msg| FieldError { column: h.labels[i].clone(), value: cell(i).to_string(), reason };
        if let Some(&first) = seen.get(cell(0)) {
            out.report.push(RejectedRow {
                line: r.line,
                errors: vec![field(
                    0,
                    Msg::new(format!("与第 {first} 行重复"), format!("the same candidate as line {first}")),
                )],
            });
            continue;
        }
        seen.insert(cell(0), r.line);
        let application = found.get(cell(0));
        if let Some(a) = application
            && !cell(1).is_empty()
            && cell(1) != a.name
        {
            out.report.push(RejectedRow {
                line: r.line,
                errors: vec![field(
                    1,
                    Msg::new(
                        format!("姓名与报名的“{}”不一致", a.name),
                        format!("the name does not match '{}'", a.name),
                    ),
                )],
            });
            continue;
        }
        match check(app, level, application, [cell(2), cell(3), cell(4)]) {
            Ok(checked) => writes.push(checked.write()),
            Err(errs) => out
                .report
                .push(RejectedRow { line: r.line, errors: errs.into_iter().map(|(i, m)| field(i, m)).collect() }),
        }
    }
    out.accepted = write_scores(app, actor, session_id, &writes, by).await?;
    out.rejected = out.report.len() as u64;
    out.report.sort_by_key(|r| r.line);
    if let Some(p) = errors_path {
        write_error_report(p, &out.report)?;
    }
    Ok(out)
}
