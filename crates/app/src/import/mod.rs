//! File import: read → validate every row → write valid rows in batches, each batch one
//! transaction → report every rejected row. Re-importing a file changes nothing (upsert by
//! natural key); a crash loses at most the batch in flight, and a rerun completes the job.
//!
//! Reading and validating run on their own thread, writing on the async runtime, so the two
//! cores of a small server both work.

pub mod columns;
pub mod rows;
pub mod workbook;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use gongjiang_crypto::digest::RowsDigest;
use gongjiang_domain::access::Scope;
use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::records::{NewDemand, NewEmployment, NewOrganisation, NewPerson, NewStatistic};
use gongjiang_store::employment::EmploymentWrite;
use gongjiang_store::levels::LevelWrite;
use gongjiang_store::persons::PersonWrite;
use gongjiang_store::{WriteCounts, bulk, employment, imports, levels, organisations, persons, statistics, tx};
use gongjiang_tabular::{RowReader, TableWriter};
use serde::Serialize;
use tokio::sync::mpsc;

use crate::audit::{self, Actor};
use crate::{App, AppError};
use columns::{Column, HeaderMap};
use rows::{FieldError, RowContext};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Orgs,
    Persons,
    Levels,
    Employment,
    Statistics,
    Demand,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "orgs" | "organisations" | "organizations" => Kind::Orgs,
            "persons" => Kind::Persons,
            "levels" => Kind::Levels,
            "employment" => Kind::Employment,
            "statistics" => Kind::Statistics,
            "demand" => Kind::Demand,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Orgs => "orgs",
            Kind::Persons => "persons",
            Kind::Levels => "levels",
            Kind::Employment => "employment",
            Kind::Statistics => "statistics",
            Kind::Demand => "demand",
        }
    }

    pub fn columns(self) -> &'static [Column] {
        match self {
            Kind::Orgs => columns::ORGS,
            Kind::Persons => columns::PERSONS,
            Kind::Levels => columns::LEVELS,
            Kind::Employment => columns::EMPLOYMENT,
            Kind::Statistics => columns::STATISTICS,
            Kind::Demand => columns::DEMAND,
        }
    }
}

pub struct ImportOptions {
    /// Where to write the rejected rows (CSV or XLSX by extension).
    pub errors_path: Option<PathBuf>,
    /// Rows per transaction.
    pub batch_rows: usize,
    /// Drop the table's secondary indexes during the load and rebuild them after: `None` decides
    /// by size (a file over 8 MB into a table holding under a quarter as many rows).
    pub defer_indexes: Option<bool>,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions { errors_path: None, batch_rows: 50_000, defer_indexes: None }
    }
}

/// Whether this load is large enough for dropping and rebuilding indexes to pay.
async fn defer_indexes(
    app: &App,
    kind: Kind,
    path: &Path,
    choice: Option<bool>,
) -> Result<Option<&'static str>, AppError> {
    let table = match kind {
        Kind::Persons => "persons",
        Kind::Levels => "skill_levels",
        _ => return Ok(None),
    };
    let defer = match choice {
        Some(d) => d,
        None => {
            // A person or level row is 60–120 bytes in a file. Rebuilding costs in proportion to
            // the whole table, so it pays when the file is large and the table still small
            // (a first load), not when a big file is mostly already there (a re-import).
            let bytes = std::fs::metadata(path)?.len();
            let file_rows = bytes / 100;
            bytes >= 8 << 20 && (bulk::row_count(&app.db, table).await? as u64) < file_rows / 4
        }
    };
    Ok(defer.then_some(table))
}

/// The outcome of an import, as `--format json` prints it.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct ImportSummary {
    pub read: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: u64,
    pub warnings: Vec<Msg>,
    #[serde(skip)]
    pub rejected_rows: Vec<RejectedRow>,
}

/// A row that did not go in, with every reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RejectedRow {
    pub line: u64,
    pub errors: Vec<FieldError>,
}

enum Records {
    Orgs(Vec<(u64, NewOrganisation)>),
    Persons(Vec<(u64, NewPerson)>),
    Levels(Vec<(u64, rows::LevelRow)>),
    Employment(Vec<(u64, NewEmployment)>),
    Statistics(Vec<(u64, NewStatistic)>),
    Demand(Vec<(u64, NewDemand)>),
}

impl Records {
    fn new(kind: Kind, cap: usize) -> Records {
        match kind {
            Kind::Orgs => Records::Orgs(Vec::with_capacity(cap)),
            Kind::Persons => Records::Persons(Vec::with_capacity(cap)),
            Kind::Levels => Records::Levels(Vec::with_capacity(cap)),
            Kind::Employment => Records::Employment(Vec::with_capacity(cap)),
            Kind::Statistics => Records::Statistics(Vec::with_capacity(cap)),
            Kind::Demand => Records::Demand(Vec::with_capacity(cap)),
        }
    }

    /// Validates one row into this batch.
    fn push(&mut self, cx: &RowContext<'_>, h: &HeaderMap, line: u64, cells: &[String]) -> Result<(), Vec<FieldError>> {
        match self {
            Records::Orgs(v) => v.push((line, cx.organisation(h, cells)?)),
            Records::Persons(v) => v.push((line, cx.person(h, cells)?)),
            Records::Levels(v) => v.push((line, cx.level_row(h, cells)?)),
            Records::Employment(v) => v.push((line, cx.employment(h, cells)?)),
            Records::Statistics(v) => v.push((line, cx.statistic(h, cells)?)),
            Records::Demand(v) => v.push((line, cx.demand(h, cells)?)),
        }
        Ok(())
    }
}

struct Batch {
    read: u64,
    records: Records,
    rejected: Vec<RejectedRow>,
    /// The rows as read (`crypto::digest::RowsDigest`), for the batch's audit entry.
    digest: RowsDigest,
    lines: Option<(u64, u64)>,
}

impl Batch {
    fn new(kind: Kind, cap: usize) -> Batch {
        Batch {
            read: 0,
            records: Records::new(kind, cap),
            rejected: Vec::new(),
            digest: RowsDigest::new(),
            lines: None,
        }
    }
}

pub(crate) fn rejected(line: u64, column: String, value: &str, reason: Msg) -> RejectedRow {
    RejectedRow { line, errors: vec![FieldError { column, value: value.to_string(), reason }] }
}

/// Imports `path` as `kind`. `progress` is told the rows read so far after every batch. Each
/// batch is one transaction with its audit entry (`import.batch`: the file, the counts and the
/// SHA-256 of the batch's rows as read, `crypto::digest::RowsDigest`).
pub async fn run(
    app: &App,
    actor: &Actor,
    kind: Kind,
    path: &Path,
    opts: &ImportOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<ImportSummary, AppError> {
    let reader = RowReader::open(path)?;
    let headers = HeaderMap::new(kind.columns(), reader.headers()).map_err(AppError::BadFile)?;
    let mut summary = ImportSummary::default();
    for h in &headers.ignored {
        summary.warnings.push(Msg::new(format!("已忽略未知列：{h}"), format!("ignored unknown column: {h}")));
    }
    if reader.decoded_from_gb18030 {
        summary.warnings.push(Msg::new("文件按 GB18030 编码读取", "the file was read as GB18030-encoded"));
    }
    // Rejections found while writing (unknown employer, unregistered person) name the column
    // as the file's header does.
    let labels = headers.labels.clone();
    let label = |name: &str| {
        kind.columns()
            .iter()
            .position(|c| c.name == name)
            .map(|i| labels[i].clone())
            .unwrap_or_else(|| name.to_string())
    };
    let file_name = path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    let run_id = imports::start(&app.db, kind.name(), &file_name).await?;
    let deferred = defer_indexes(app, kind, path, opts.defer_indexes).await?;
    if let Some(table) = deferred {
        bulk::suspend_indexes(&app.db, table).await?;
    }

    let (tx, mut rx) = mpsc::channel::<Batch>(4);
    let policy = Arc::clone(&app.policy);
    let catalogue = Arc::clone(&app.catalogue);
    let today = app.today();
    let batch_rows = opts.batch_rows.max(1);
    let producer = std::thread::spawn(move || {
        let cx = RowContext { policy: &policy, catalogue: &catalogue, today };
        let mut reader = reader;
        let mut batch = Batch::new(kind, batch_rows);
        while let Some(row) = reader.next_row() {
            batch.read += 1;
            match row {
                Ok(row) => {
                    batch.digest.row(row.line, &row.cells);
                    batch.lines = Some((batch.lines.map_or(row.line, |l| l.0), row.line));
                    if let Err(errors) = batch.records.push(&cx, &headers, row.line, &row.cells) {
                        batch.rejected.push(RejectedRow { line: row.line, errors });
                    }
                }
                Err(e) => batch.rejected.push(unreadable_row(e)),
            }
            if batch.read as usize >= batch_rows {
                let full = std::mem::replace(&mut batch, Batch::new(kind, batch_rows));
                if tx.blocking_send(full).is_err() {
                    return;
                }
            }
        }
        let _ = tx.blocking_send(batch);
    });

    let mut written = WriteCounts::default();
    let mut employers: Option<HashMap<String, i64>> = None;
    let result: Result<(), AppError> = async {
        let mut batch_no = 0u64;
        while let Some(batch) = rx.recv().await {
            batch_no += 1;
            summary.read += batch.read;
            let rejected_before = summary.rejected_rows.len();
            summary.rejected_rows.extend(batch.rejected);
            let (digest, lines) = (batch.digest, batch.lines);
            let mut t = tx::begin(&app.db).await?;
            if matches!(
                batch.records,
                Records::Persons(_) | Records::Levels(_) | Records::Employment(_) | Records::Demand(_)
            ) && employers.is_none()
            {
                employers = Some(organisations::all_ids(&app.db).await?);
            }
            let orgs = employers.as_ref();
            let org_id = |uscc: &str| orgs.and_then(|m| m.get(uscc).copied());
            let recorded_by = format!("import:{file_name}");
            let counts = match batch.records {
                Records::Orgs(v) => {
                    let recs: Vec<NewOrganisation> = v.into_iter().map(|(_, r)| r).collect();
                    organisations::upsert_batch_in(&mut t, &recs).await?
                }
                Records::Statistics(v) => {
                    let recs: Vec<NewStatistic> = v.into_iter().map(|(_, r)| r).collect();
                    statistics::upsert_batch_in(&mut t, &recs).await?
                }
                Records::Demand(v) => {
                    let (counts, bad) =
                        // Imports are the operator's (CLI): every organisation.
                        crate::demand::write(&app.db, &mut t, &Scope::all(), &v, orgs.unwrap_or(&HashMap::new()), &label("reporter_uscc"))
                            .await?;
                    summary.rejected_rows.extend(bad);
                    counts
                }
                Records::Persons(v) => {
                    let mut writes = Vec::with_capacity(v.len());
                    for (line, p) in &v {
                        match p.employer_uscc.as_deref().map(|u| (u, org_id(u))) {
                            Some((u, None)) => summary.rejected_rows.push(rejected(
                                *line,
                                label("employer_uscc"),
                                u,
                                Msg::new(
                                    "单位未登记：请先导入单位",
                                    "employer not registered: import it under orgs first",
                                ),
                            )),
                            other => writes.push(PersonWrite { person: p, employer_id: other.and_then(|(_, id)| id) }),
                        }
                    }
                    persons::upsert_batch_in(&mut t, &writes).await?
                }
                Records::Levels(v) => {
                    let keys: Vec<&str> = v.iter().map(|(_, r)| r.level.id_number.as_str()).collect();
                    let people = persons::ids_by_id_number(&app.db, &keys).await?;
                    let mut writes = Vec::with_capacity(v.len());
                    let mut lines = Vec::with_capacity(v.len());
                    for (line, row) in &v {
                        let l = &row.level;
                        let Some(&person_id) = people.get(&l.id_number) else {
                            summary.rejected_rows.push(rejected(
                                *line,
                                label("id_number"),
                                &l.id_number,
                                not_registered(),
                            ));
                            continue;
                        };
                        let issuer_id = match l.issuer_uscc.as_deref() {
                            None => None,
                            Some(u) => match org_id(u) {
                                Some(id) => Some(id),
                                None => {
                                    summary.rejected_rows.push(rejected(
                                        *line,
                                        label("issuer_uscc"),
                                        u,
                                        Msg::new(
                                            "发证机构未登记：请先导入单位",
                                            "issuer not registered: import it under orgs first",
                                        ),
                                    ));
                                    continue;
                                }
                            },
                        };
                        let revoked = row.revoked.as_ref().map(|(on, reason)| (*on, reason.as_str()));
                        writes.push(LevelWrite { revoked, level: l, person_id, issuer_id, recorded_by: &recorded_by });
                        lines.push(*line);
                    }
                    // A level revoked already keeps its day: a row giving another is refused; so
                    // is revoking one that backs a certificate issued here (`cert revoke` does it,
                    // and publishes the revocation in the credential's status list).
                    let revoking: Vec<levels::Key> =
                        writes.iter().filter(|w| w.revoked.is_some()).map(levels::key_of).collect();
                    let stored = levels::revocation_states_in(&mut t, &revoking).await?;
                    let mut kept = Vec::with_capacity(writes.len());
                    for (w, line) in writes.into_iter().zip(lines) {
                        let (Some((on, _)), Some(state)) = (w.revoked, stored.get(&levels::key_of(&w))) else {
                            kept.push(w);
                            continue;
                        };
                        let refusal = match (state.revoked_on, &state.certificate_no) {
                            (Some(was), _) if was != on => {
                                let was = gongjiang_domain::dates::iso(was);
                                Some(Msg::new(
                                    format!("该等级已于 {was} 撤销，撤销日期不能更改"),
                                    format!("this level was revoked on {was} already; that day cannot change"),
                                ))
                            }
                            (None, Some(number)) => Some(Msg::new(
                                format!("该等级由本系统颁发的证书 {number} 证明，请用 gongjiang cert revoke {number} 撤销"),
                                format!("certificate {number}, issued here, backs this level: revoke it with gongjiang cert revoke {number}"),
                            )),
                            _ => None,
                        };
                        match refusal {
                            Some(reason) => summary.rejected_rows.push(rejected(
                                line,
                                label("revoked_on"),
                                &gongjiang_domain::dates::iso(on),
                                reason,
                            )),
                            None => kept.push(w),
                        }
                    }
                    levels::record_batch_in(&mut t, &kept).await?
                }
                Records::Employment(v) => {
                    let keys: Vec<&str> = v.iter().map(|(_, e)| e.id_number.as_str()).collect();
                    let people = persons::ids_by_id_number(&app.db, &keys).await?;
                    let mut writes = Vec::with_capacity(v.len());
                    for (line, e) in &v {
                        let Some(&person_id) = people.get(&e.id_number) else {
                            summary.rejected_rows.push(rejected(
                                *line,
                                label("id_number"),
                                &e.id_number,
                                not_registered(),
                            ));
                            continue;
                        };
                        let Some(employer_id) = org_id(&e.employer_uscc) else {
                            summary.rejected_rows.push(rejected(
                                *line,
                                label("employer_uscc"),
                                &e.employer_uscc,
                                Msg::new(
                                    "单位未登记：请先导入单位",
                                    "employer not registered: import it under orgs first",
                                ),
                            ));
                            continue;
                        };
                        writes.push(EmploymentWrite { spell: e, person_id, employer_id });
                    }
                    employment::upsert_batch_in(&mut t, &writes).await?
                }
            };
            let after = serde_json::json!({
                "file": file_name,
                "kind": kind.name(),
                "batch": batch_no,
                "lines": lines.map(|(a, b)| [a, b]),
                "read": batch.read,
                "inserted": counts.inserted,
                "updated": counts.updated,
                "unchanged": counts.unchanged,
                "rejected": summary.rejected_rows.len() - rejected_before,
                "rows_sha256": digest.finish(),
            });
            audit::record(&mut t, actor, "import.batch", kind.name(), Some(&run_id.to_string()), None, Some(&after))
                .await?;
            t.commit().await?;
            written += counts;
            progress(summary.read);
        }
        Ok(())
    }
    .await;
    drop(rx);
    let _ = producer.join();
    if deferred.is_some() {
        bulk::restore_indexes(&app.db).await?;
    }
    result?;

    summary.inserted = written.inserted;
    summary.updated = written.updated;
    summary.unchanged = written.unchanged;
    summary.rejected_rows.sort_by_key(|r| r.line);
    summary.rejected = summary.rejected_rows.len() as u64;
    imports::finish(&app.db, run_id, summary.read, written, summary.rejected).await?;
    if let Some(p) = &opts.errors_path {
        write_error_report(p, &summary.rejected_rows)?;
    }
    Ok(summary)
}

/// A row the reader could not parse (e.g. broken quoting or invalid UTF-8 in a CSV record).
fn unreadable_row(e: gongjiang_tabular::TabularError) -> RejectedRow {
    match e {
        gongjiang_tabular::TabularError::Csv { line, reason } => rejected(
            line,
            String::new(),
            "",
            Msg::new(
                format!("此行无法读取（CSV 格式错误）：{reason}"),
                format!("unreadable row (malformed CSV): {reason}"),
            ),
        ),
        other => {
            let text = other.to_string();
            rejected(0, String::new(), "", Msg::new(text.clone(), text))
        }
    }
}

fn not_registered() -> Msg {
    Msg::new("人员未登记：请先导入人员", "person not registered: import them under persons first")
}

/// The error report: one line per problem, so a row with three bad cells has three lines.
pub const ERROR_REPORT_HEADERS: [&str; 5] = ["line", "column", "value", "reason_zh", "reason_en"];

pub fn write_error_report(path: &Path, rows: &[RejectedRow]) -> Result<(), AppError> {
    let mut w = TableWriter::create(path, &ERROR_REPORT_HEADERS)?;
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
    w.finish()?;
    Ok(())
}
