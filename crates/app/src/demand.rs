//! Demand reports (需求填报) submitted through the API as a JSON array. Each row is checked
//! and written as a demand file's row is (`import::demand`), and the good rows are kept.

use std::collections::HashMap;

use gongjiang_crypto::digest::RowsDigest;
use gongjiang_domain::access::Scope;
use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::records::NewDemand;
use gongjiang_store::organisations;
use gongjiang_store::tx;
use serde::Serialize;
use serde_json::Value;

use crate::audit::{self, Actor};
use crate::import::columns::{DEMAND, HeaderMap};
use crate::import::demand::{validate, write_rows};
use crate::import::report::RejectedRow;
use crate::import::rows::{FieldError, RowContext};
use crate::{App, AppError};

/// What `POST /api/v1/demand` did: counts of the rows kept, and every rejected row by its
/// 0-based index in the array with each field's problem.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct SubmitReport {
    pub received: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: Vec<RejectedRow>,
}

/// The text of a JSON value as a file cell would hold it: strings as they are, numbers written
/// out, `null` empty. Objects, arrays and booleans are not cells.
fn cell(v: &Value) -> Option<String> {
    match v {
        Value::Null => Some(String::new()),
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Validates one JSON object as a demand row. Keys are the import's column names, English or
/// Chinese; an unknown key is an error (a misspelt field must not be dropped silently).
fn json_row(cx: &RowContext<'_>, header: &HeaderMap, v: &Value) -> Result<NewDemand, Vec<FieldError>> {
    let Value::Object(map) = v else {
        return Err(vec![FieldError {
            column: String::new(),
            value: String::new(),
            reason: Msg::new("每一行应为 JSON 对象", "each row must be a JSON object"),
        }]);
    };
    let mut cells = vec![String::new(); DEMAND.len()];
    let mut errors = Vec::new();
    for (k, val) in map {
        let Some(i) = DEMAND.iter().position(|c| c.name == k || c.zh.contains(&k.as_str())) else {
            errors.push(FieldError {
                column: k.clone(),
                value: String::new(),
                reason: Msg::new(
                    "未知字段（可用：reporter_uscc, occupation, level, people, period, district, chain, note）",
                    "unknown field (allowed: reporter_uscc, occupation, level, people, period, district, chain, note)",
                ),
            });
            continue;
        };
        match cell(val) {
            Some(text) => cells[i] = text,
            None => errors.push(FieldError {
                column: DEMAND[i].name.to_string(),
                value: val.to_string(),
                reason: Msg::new("应为文本或数字", "must be text or a number"),
            }),
        }
    }
    match validate(cx, header, &cells) {
        Ok(d) if errors.is_empty() => Ok(d),
        Ok(_) => Err(errors),
        Err(mut e) => {
            errors.append(&mut e);
            Err(errors)
        }
    }
}

/// Validates and writes the rows of a JSON array; good rows are kept whatever their
/// neighbours. A row's `line` in the report is its 0-based index in the array. Audited as
/// `demand.submit` (the counts and the SHA-256 of the rows as received).
pub async fn submit(app: &App, actor: &Actor, scope: &Scope, rows: &[Value]) -> Result<SubmitReport, AppError> {
    let names: Vec<String> = DEMAND.iter().map(|c| c.name.to_string()).collect();
    let header = HeaderMap::new(DEMAND, &names).map_err(AppError::Invalid)?;
    let cx = RowContext::new(&app.policy, &app.catalogue, app.today());
    let mut report = SubmitReport { received: rows.len() as u64, ..SubmitReport::default() };
    let mut good = Vec::with_capacity(rows.len());
    for (i, v) in rows.iter().enumerate() {
        match json_row(&cx, &header, v) {
            Ok(d) => good.push((i as u64, d)),
            Err(errors) => report.rejected.push(RejectedRow { line: i as u64, errors }),
        }
    }
    let keys: Vec<&str> = good.iter().map(|(_, d)| d.reporter_uscc.as_str()).collect();
    let orgs = if keys.is_empty() { HashMap::new() } else { organisations::ids_by_uscc(&app.db, &keys).await? };
    let mut digest = RowsDigest::new();
    for (i, v) in rows.iter().enumerate() {
        digest.row(i as u64, &[v.to_string()]);
    }
    let mut t = tx::begin(&app.db).await?;
    let (counts, bad) = write_rows(&mut t, scope, &good, &orgs, "reporter_uscc").await?;
    let after = serde_json::json!({
        "received": report.received,
        "inserted": counts.inserted,
        "updated": counts.updated,
        "unchanged": counts.unchanged,
        "rejected": report.rejected.len() + bad.len(),
        "rows_sha256": digest.finish(),
    });
    audit::record(&mut t, actor, "demand.submit", "demand", None, None, Some(&after)).await?;
    t.commit().await?;
    report.rejected.extend(bad);
    report.rejected.sort_by_key(|r| r.line);
    report.inserted = counts.inserted;
    report.updated = counts.updated;
    report.unchanged = counts.unchanged;
    Ok(report)
}
