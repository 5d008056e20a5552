//! What an import tells its caller: the summary, the rejected rows with every reason, and the
//! error report file (one line per problem, CSV or XLSX).

use std::path::Path;

use gongjiang_domain::bilingual::Msg;
use gongjiang_tabular::{TableWriter, TabularError};
use serde::Serialize;
use time::Date;

use super::rows::FieldError;
use crate::AppError;

/// The outcome of an import, as `--format json` prints it.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct ImportSummary {
    pub read: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: u64,
    pub warnings: Vec<Msg>,
    /// Competition results: the results that promoted (absent for other kinds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub promoted: Option<u64>,
    /// The first [`KEPT_REJECTIONS`] rejected rows, in line order (all of them are in the error
    /// report file; `rejected` counts them all).
    #[serde(skip)]
    pub rejected_rows: Vec<RejectedRow>,
    /// Competition results: what became of each row (`competition_results::write_report`).
    #[serde(skip)]
    pub decisions: Vec<RowDecision>,
    /// The import run this summary closes (`import_runs.id`).
    #[serde(skip)]
    pub run_id: Option<i64>,
}

/// What an import did with one row, for `--report FILE`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowDecision {
    pub line: u64,
    /// Masked: first 4 and last 4 characters.
    pub id_number: String,
    pub competition: String,
    #[serde(with = "gongjiang_domain::dates::serde_iso")]
    pub awarded_on: Date,
    pub occupation: String,
    /// `false` when the result was stored already (its decision then is the stored one).
    pub new: bool,
    /// `promoted`, `no_rule`, `already_held`, `year_limit`.
    pub outcome: String,
    pub rule_id: Option<String>,
    pub level_before: Option<u8>,
    pub level_after: Option<u8>,
    pub explanation: Msg,
}

/// A row that did not go in, with every reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RejectedRow {
    pub line: u64,
    pub errors: Vec<FieldError>,
}

/// A row rejected for one cell: its line, the column as the file names it, the value, why.
pub(crate) fn rejected(line: u64, column: String, value: &str, reason: Msg) -> RejectedRow {
    RejectedRow { line, errors: vec![FieldError { column, value: value.to_string(), reason }] }
}

/// A row the reader could not parse (e.g. broken quoting or invalid UTF-8 in a CSV record).
pub(super) fn unreadable_row(e: TabularError) -> RejectedRow {
    match &e {
        TabularError::Csv { line, reason } => rejected(
            *line,
            String::new(),
            "",
            Msg::new(
                format!("此行无法读取（CSV 格式错误）：{reason}"),
                format!("unreadable row (malformed CSV): {reason}"),
            ),
        ),
        TabularError::RowTooWide { line, .. } | TabularError::Undecodable { line, .. } => {
            // The reader's messages read "中文 / English".
            let text = e.to_string();
            let (zh, en) = text.split_once(" / ").unwrap_or((&text, &text));
            rejected(*line, String::new(), "", Msg::new(zh, en))
        }
        other => {
            let text = other.to_string();
            rejected(0, String::new(), "", Msg::new(text.clone(), text))
        }
    }
}

/// The error report: one line per problem, so a row with three bad cells has three lines.
pub const ERROR_REPORT_HEADERS: [&str; 5] = ["line", "column", "value", "reason_zh", "reason_en"];

/// Rejected rows kept in memory for the caller to show; the rest go only to the report file, so
/// a file of a million bad rows costs no more memory than one of ten thousand.
pub const KEPT_REJECTIONS: usize = 10_000;

/// The rejections of a run as they are found: counted, the first ones kept, every one written to
/// the error report file (when there is one) as it comes.
pub(super) struct Rejections {
    pub count: u64,
    pub kept: Vec<RejectedRow>,
    report: Option<TableWriter>,
}

impl Rejections {
    pub fn new(report: Option<&Path>) -> Result<Rejections, AppError> {
        let report = report.map(|p| TableWriter::create(p, &ERROR_REPORT_HEADERS)).transpose()?;
        Ok(Rejections { count: 0, kept: Vec::new(), report })
    }

    /// Adds a batch's rejections (sorted here by line).
    pub fn add(&mut self, mut rows: Vec<RejectedRow>) -> Result<(), AppError> {
        rows.sort_by_key(|r| r.line);
        self.count += rows.len() as u64;
        if let Some(w) = &mut self.report {
            write_rows(w, &rows)?;
        }
        let room = KEPT_REJECTIONS.saturating_sub(self.kept.len());
        self.kept.extend(rows.into_iter().take(room));
        Ok(())
    }

    pub fn finish(self) -> Result<(u64, Vec<RejectedRow>), AppError> {
        if let Some(w) = self.report {
            w.finish()?;
        }
        Ok((self.count, self.kept))
    }
}

fn write_rows(w: &mut TableWriter, rows: &[RejectedRow]) -> Result<(), AppError> {
    for r in rows {
        for e in &r.errors {
            w.write_row(&[
                r.line.to_string(),
                e.column.clone(),
                e.value.clone(),
                e.reason.zh.clone(),
                e.reason.en.clone(),
            ])?;
        }
    }
    Ok(())
}

pub fn write_error_report(path: &Path, rows: &[RejectedRow]) -> Result<(), AppError> {
    let mut w = TableWriter::create(path, &ERROR_REPORT_HEADERS)?;
    write_rows(&mut w, rows)?;
    w.finish()?;
    Ok(())
}
