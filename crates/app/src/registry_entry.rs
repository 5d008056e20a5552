//! One record entered by hand (a clerk's form, not a file): it goes through the import itself —
//! the same columns, the same validation with the same bilingual reasons, the same KPI upkeep and
//! the same audit entry (`import.batch`, with the row's SHA-256) — as a file of one row. Only a
//! record that is not registered yet is added here; changing one is a correction.

use std::path::Path;

use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::id_number::IdNumber;
use gongjiang_tabular::TableWriter;
use uuid::Uuid;

use crate::import::{self, ImportOptions, Kind};
use crate::{Actor, App, AppError};

/// What became of an entry: the new person's public id, or the problems (column, value, reason).
#[derive(Debug, Clone)]
pub enum Entered {
    Added(Uuid),
    Refused(Vec<import::RejectedRow>),
}

/// Adds one person from `fields` (column name, value; the import's English column names).
/// Refused as `Invalid` when the identity number is registered already.
pub async fn add_person(app: &App, actor: &Actor, fields: &[(&str, &str)]) -> Result<Entered, AppError> {
    let given = |name: &str| fields.iter().find(|(k, _)| *k == name).map(|(_, v)| v.trim()).unwrap_or_default();
    let number = match IdNumber::parse(given("id_number"), app.today()) {
        Ok(p) => p.id.as_str().to_string(),
        Err(_) => given("id_number").to_ascii_uppercase(),
    };
    if !number.is_empty() && gongjiang_store::persons::by_id_number(&app.db, &number).await?.is_some() {
        return Err(AppError::Invalid(Msg::new(
            "该证件号码已登记；如需修改，请在人员页面提出更正",
            "this identity number is registered already; to change the record, file a correction on the person's page",
        )));
    }
    let dir = tempfile::Builder::new().prefix("gongjiang-entry-").tempdir()?;
    let path = dir.path().join("表单录入.csv");
    write_row(&path, fields)?;
    let opts = ImportOptions { defer_indexes: Some(false), batch_rows: 1, ..ImportOptions::default() };
    let summary = import::run(app, actor, Kind::Persons, &path, &opts, &|_| ()).await?;
    if summary.rejected > 0 {
        return Ok(Entered::Refused(summary.rejected_rows));
    }
    let added = gongjiang_store::persons::by_id_number(&app.db, &number).await?.ok_or_else(|| {
        AppError::NotFound(Msg::new("录入的人员未写入登记库", "the entered person is not in the registry"))
    })?;
    Ok(Entered::Added(added.public_id))
}

fn write_row(path: &Path, fields: &[(&str, &str)]) -> Result<(), AppError> {
    let headers: Vec<&str> = fields.iter().map(|(k, _)| *k).collect();
    let mut w = TableWriter::create(path, &headers)?;
    w.write_row(&fields.iter().map(|(_, v)| v.trim()).collect::<Vec<_>>())?;
    w.finish()?;
    Ok(())
}
