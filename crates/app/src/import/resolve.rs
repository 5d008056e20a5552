//! What writing a batch needs beyond its rows: the registered organisations by credit code
//! (read once per import, in the transaction of the first batch that needs them), the file's
//! own column headers for rejections found while writing (an unknown employer, an
//! unregistered person), and where those rejections go.

use std::collections::HashMap;
use std::sync::Arc;

use gongjiang_domain::bilingual::Msg;
use gongjiang_store::organisations;
use gongjiang_store::tx::Tx;

use super::kind::Kind;
use super::report::{RejectedRow, rejected};
use crate::AppError;

pub(super) struct Resolver {
    kind: Kind,
    /// The file's header for each of the kind's columns, in the kind's column order.
    labels: Vec<String>,
    organisations: Option<Arc<HashMap<String, i64>>>,
    /// `recorded_by` of level rows: `import:FILE`.
    pub recorded_by: String,
    /// Rows rejected while writing, in the order found.
    pub rejected: Vec<RejectedRow>,
    /// Competition results: the rows' decisions, and how many promoted.
    pub competition: Vec<super::report::RowDecision>,
    pub promoted: u64,
    /// Apprenticeships: apprentices accepted with no employment on record.
    pub not_on_record: u64,
}

impl Resolver {
    pub fn new(kind: Kind, labels: Vec<String>, file_name: &str) -> Resolver {
        Resolver {
            kind,
            labels,
            organisations: None,
            recorded_by: format!("import:{file_name}"),
            rejected: Vec::new(),
            competition: Vec::new(),
            promoted: 0,
            not_on_record: 0,
        }
    }

    /// The column `name` as the file's header names it.
    pub fn label(&self, name: &str) -> String {
        self.kind
            .columns()
            .iter()
            .position(|c| c.name == name)
            .and_then(|i| self.labels.get(i).cloned())
            .unwrap_or_else(|| name.to_string())
    }

    /// Rejects the row at `line` for the cell of column `name`.
    pub fn reject(&mut self, line: u64, name: &str, value: &str, reason: Msg) {
        let column = self.label(name);
        self.rejected.push(rejected(line, column, value, reason));
    }

    /// Every registered organisation's id by credit code, read once per import.
    pub async fn organisations(&mut self, t: &mut Tx) -> Result<Arc<HashMap<String, i64>>, AppError> {
        if let Some(m) = &self.organisations {
            return Ok(Arc::clone(m));
        }
        let m = Arc::new(organisations::all_ids_in(t).await?);
        self.organisations = Some(Arc::clone(&m));
        Ok(m)
    }
}

/// The rows of one file seen so far by their code (programmes, platforms), with their line.
pub(super) type SeenCodes<W> = HashMap<String, (u64, W)>;

/// Whether the row at `line` with `code` repeats one earlier in the same file, and so is done
/// with: the same details again count as unchanged, other details are refused naming the first
/// line (`code_zh`: what the code is called, 项目编号). A first sighting is remembered and
/// answers `false`.
pub(super) fn repeated_in_file<W: PartialEq + Clone>(
    res: &mut Resolver,
    seen: &mut SeenCodes<W>,
    unchanged: &mut u64,
    line: u64,
    code: &str,
    row: &W,
    code_zh: &str,
) -> bool {
    let Some((first, before)) = seen.get(code) else {
        seen.insert(code.to_string(), (line, row.clone()));
        return false;
    };
    if before == row {
        *unchanged += 1;
    } else {
        let first = *first;
        res.reject(
            line,
            "code",
            code,
            Msg::new(
                format!("{code_zh}在本文件第 {first} 行已出现，内容不同"),
                format!("the code appears on line {first} of this file with other details"),
            ),
        );
    }
    true
}

pub(super) fn organisation_not_registered(role_zh: &str, role_en: &str) -> Msg {
    Msg::new(format!("{role_zh}未登记：请先导入单位"), format!("{role_en} not registered: import it under orgs first"))
}

pub(super) fn person_not_registered() -> Msg {
    Msg::new("人员未登记：请先导入人员", "person not registered: import them under persons first")
}
