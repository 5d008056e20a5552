//! One record entered or changed by hand (a clerk's form, not a file): it goes through the import
//! itself — the same columns, the same validation with the same bilingual reasons, the same KPI
//! upkeep and the same audit entry (`import.batch`, with the row's SHA-256) — as a file of one
//! row. Adding refuses a record that is registered already; changing refuses one that is not, and
//! keeps its key (the identity number, the credit code): a wrong key is a correction of its own.

use std::path::Path;

use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::id_number::IdNumber;
use gongjiang_domain::uscc::Uscc;
use gongjiang_store::organisations;
use gongjiang_store::persons;
use gongjiang_tabular::TableWriter;
use uuid::Uuid;

use crate::import::{self, ImportOptions, Kind};
use crate::{Actor, App, AppError};

/// What the clerk does with the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// A record not registered yet.
    Add,
    /// A registered record's other fields.
    Change,
}

/// What became of an entry: the record's public id, or the problems (column, value, reason).
#[derive(Debug, Clone)]
pub enum Entered {
    Saved(Uuid),
    Refused(Vec<import::RejectedRow>),
}

/// A person from `fields` (the persons import's English column names and the values).
pub async fn person(app: &App, actor: &Actor, entry: Entry, fields: &[(&str, &str)]) -> Result<Entered, AppError> {
    let given = given(fields, "id_number");
    let number = match IdNumber::parse(given, app.today()) {
        Ok(p) => p.id.as_str().to_string(),
        Err(_) => given.to_ascii_uppercase(),
    };
    let find = || async { Ok::<_, AppError>(persons::by_id_number(&app.db, &number).await?.map(|p| p.public_id)) };
    let registered = if number.is_empty() { None } else { find().await? };
    check(entry, registered.is_some(), "证件号码", "identity number")?;
    if let Some(refused) = run(app, actor, Kind::Persons, fields).await? {
        return Ok(refused);
    }
    saved(find().await?)
}

/// An organisation from `fields` (the organisations import's English column names).
pub async fn organisation(
    app: &App,
    actor: &Actor,
    entry: Entry,
    fields: &[(&str, &str)],
) -> Result<Entered, AppError> {
    let given = given(fields, "uscc");
    let uscc = Uscc::parse(given).map(|u| u.as_str().to_string()).unwrap_or_else(|_| given.to_ascii_uppercase());
    let all = gongjiang_domain::access::Scope::all();
    let find = || async { Ok::<_, AppError>(organisations::by_uscc(&app.db, &all, &uscc).await?.map(|o| o.public_id)) };
    let registered = if uscc.is_empty() { None } else { find().await? };
    check(entry, registered.is_some(), "统一社会信用代码", "credit code")?;
    if let Some(refused) = run(app, actor, Kind::Orgs, fields).await? {
        return Ok(refused);
    }
    saved(find().await?)
}

fn given<'a>(fields: &[(&str, &'a str)], name: &str) -> &'a str {
    fields.iter().find(|(k, _)| *k == name).map(|(_, v)| v.trim()).unwrap_or_default()
}

fn check(entry: Entry, registered: bool, key_zh: &str, key_en: &str) -> Result<(), AppError> {
    match (entry, registered) {
        (Entry::Add, true) => Err(AppError::Invalid(Msg::new(
            format!("该{key_zh}已登记；如需修改，请在其页面上修改或提出更正"),
            format!(
                "this {key_en} is registered already; to change the record, edit it or file a correction on its page"
            ),
        ))),
        (Entry::Change, false) => {
            Err(AppError::NotFound(Msg::new(format!("没有登记这个{key_zh}"), format!("no record with this {key_en}"))))
        }
        _ => Ok(()),
    }
}

/// The row through the import; the refusal when it was rejected.
async fn run(app: &App, actor: &Actor, kind: Kind, fields: &[(&str, &str)]) -> Result<Option<Entered>, AppError> {
    let rejected = one_row(app, actor, kind, fields).await?;
    Ok((!rejected.is_empty()).then_some(Entered::Refused(rejected)))
}

/// One row of `kind` from a form (the import's English column names and the values), through
/// the import as a file of one row; the row back with its problems when it was rejected (empty
/// when it went in).
pub async fn one_row(
    app: &App,
    actor: &Actor,
    kind: Kind,
    fields: &[(&str, &str)],
) -> Result<Vec<import::RejectedRow>, AppError> {
    let dir = tempfile::Builder::new().prefix("gongjiang-entry-").tempdir()?;
    let path = dir.path().join("表单录入.csv");
    write_row(&path, fields)?;
    let opts = ImportOptions { defer_indexes: Some(false), batch_rows: 1, ..ImportOptions::default() };
    let summary = import::run(app, actor, kind, &path, &opts, &|_| ()).await?;
    Ok(summary.rejected_rows)
}

fn saved(id: Option<Uuid>) -> Result<Entered, AppError> {
    id.map(Entered::Saved).ok_or_else(|| {
        AppError::NotFound(Msg::new("录入的记录未写入登记库", "the entered record is not in the registry"))
    })
}

fn write_row(path: &Path, fields: &[(&str, &str)]) -> Result<(), AppError> {
    let headers: Vec<&str> = fields.iter().map(|(k, _)| *k).collect();
    let mut w = TableWriter::create(path, &headers)?;
    w.write_row(&fields.iter().map(|(_, v)| v.trim()).collect::<Vec<_>>())?;
    w.finish()?;
    Ok(())
}
