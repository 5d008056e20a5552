//! The import run: read → validate every row → write valid rows in batches, each batch one
//! transaction with its audit entry → report every rejected row.
//!
//! Reading and validating run on their own thread, writing on the async runtime, so the two
//! cores of a small server both work. What each kind checks and resolves is in its own module
//! (`orgs`, `persons`, `levels`, `employment`, `statistics`, `demand`, `standards`,
//! `competition_results`, `insurance`).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use gongjiang_crypto::digest::RowsDigest;
use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::policy::Policy;
use gongjiang_domain::records::{
    NewDemand, NewEducation, NewEmployment, NewInsuranceSpell, NewOrganisation, NewPerson, NewTitle,
};
use gongjiang_domain::standards::Standard;
use gongjiang_store::{WriteCounts, bulk, imports, tx};
use gongjiang_tabular::{Detected, Encoding, RowReader};
use tokio::sync::mpsc;

use super::apprenticeships::ApprenticeshipRow;
use super::columns::HeaderMap;
use super::competition_results::ResultRow;
use super::enrolments::EnrolmentRow;
use super::kind::Kind;
use super::levels::LevelRow;
use super::programmes::ProgrammeRow;
use super::report::{ImportSummary, RejectedRow, Rejections, unreadable_row};
use super::resolve::Resolver;
use super::rows::{FieldError, RowContext};
use super::{
    apprenticeships, competition_results, demand, education, employment, enrolments, insurance, levels, orgs, persons,
    platforms, programmes, standards, statistics, titles,
};
use crate::audit::{self, Actor};
use crate::{App, AppError};

pub struct ImportOptions {
    /// Where to write the rejected rows (CSV or XLSX by extension).
    pub errors_path: Option<PathBuf>,
    /// Rows per transaction.
    pub batch_rows: usize,
    /// Drop the table's secondary indexes during the load and rebuild them after: `None` decides
    /// by size (a file over 8 MB into a table holding under a quarter as many rows).
    pub defer_indexes: Option<bool>,
    /// How a CSV file's bytes are read: decided from the whole file unless the caller says.
    pub encoding: Encoding,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions { errors_path: None, batch_rows: 50_000, defer_indexes: None, encoding: Encoding::Auto }
    }
}

/// Whether this load is large enough for dropping and rebuilding indexes to pay.
async fn defer_indexes(
    app: &App,
    kind: Kind,
    path: &Path,
    choice: Option<bool>,
) -> Result<Option<&'static str>, AppError> {
    let Some(table) = kind.bulk_table() else {
        return Ok(None);
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

/// What the import says about how a CSV file's bytes were read.
fn encoding_warning(d: &Detected) -> Option<Msg> {
    match (d.encoding, d.chosen) {
        (Encoding::Gb18030, false) => Some(Msg::new(
            format!("文件按 GB18030 编码读取（{} 处字节不是有效的 UTF-8）", d.utf8_invalid),
            format!("the file was read as GB18030-encoded ({} bytes are not valid UTF-8)", d.utf8_invalid),
        )),
        (Encoding::Utf8, false) if d.utf8_invalid > 0 => Some(Msg::new(
            format!(
                "文件按 UTF-8 读取（{} 个有效的中文等多字节字符，{} 处无效字节）；含无效字节的行已拒绝",
                d.utf8_sequences, d.utf8_invalid
            ),
            format!(
                "the file was read as UTF-8 ({} valid multi-byte characters, {} invalid bytes); rows with invalid bytes were rejected",
                d.utf8_sequences, d.utf8_invalid
            ),
        )),
        (e, true) => {
            Some(Msg::new(format!("文件按指定的 {e} 编码读取"), format!("the file was read as {e}, as asked")))
        }
        _ => None,
    }
}

/// A batch's valid rows, with their line numbers, as the kind's validation made them.
enum Records {
    Orgs(Vec<(u64, NewOrganisation)>),
    Persons(Vec<(u64, NewPerson)>),
    Levels(Vec<(u64, LevelRow)>),
    Employment(Vec<(u64, NewEmployment)>),
    Statistics(Vec<(u64, statistics::StatisticsRow)>),
    Demand(Vec<(u64, NewDemand)>),
    Standards(Vec<(u64, Standard)>),
    CompetitionResults(Vec<(u64, ResultRow)>),
    Insurance(Vec<(u64, NewInsuranceSpell)>),
    Programmes(Vec<(u64, ProgrammeRow)>),
    Platforms(Vec<(u64, platforms::PlatformRow)>),
    Enrolments(Vec<(u64, EnrolmentRow)>),
    Apprenticeships(Vec<(u64, ApprenticeshipRow)>),
    Education(Vec<(u64, NewEducation)>),
    Titles(Vec<(u64, NewTitle)>),
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
            Kind::Standards => Records::Standards(Vec::with_capacity(cap)),
            Kind::CompetitionResults => Records::CompetitionResults(Vec::with_capacity(cap)),
            Kind::Insurance => Records::Insurance(Vec::with_capacity(cap)),
            Kind::Programmes => Records::Programmes(Vec::with_capacity(cap)),
            Kind::Platforms => Records::Platforms(Vec::with_capacity(cap)),
            Kind::Enrolments => Records::Enrolments(Vec::with_capacity(cap)),
            Kind::Apprenticeships => Records::Apprenticeships(Vec::with_capacity(cap)),
            Kind::Education => Records::Education(Vec::with_capacity(cap)),
            Kind::Titles => Records::Titles(Vec::with_capacity(cap)),
        }
    }

    /// Validates one row into this batch.
    fn push(&mut self, cx: &RowContext<'_>, h: &HeaderMap, line: u64, cells: &[String]) -> Result<(), Vec<FieldError>> {
        match self {
            Records::Orgs(v) => v.push((line, orgs::validate(cx, h, cells)?)),
            Records::Persons(v) => v.push((line, persons::validate(cx, h, cells)?)),
            Records::Levels(v) => v.push((line, levels::validate(cx, h, cells)?)),
            Records::Employment(v) => v.push((line, employment::validate(cx, h, cells)?)),
            Records::Statistics(v) => v.push((line, statistics::validate(cx, h, cells)?)),
            Records::Demand(v) => v.push((line, demand::validate(cx, h, cells)?)),
            Records::Standards(v) => v.push((line, standards::validate(cx, h, cells)?)),
            Records::CompetitionResults(v) => v.push((line, competition_results::validate(cx, h, cells)?)),
            Records::Insurance(v) => v.push((line, insurance::validate(cx, h, cells)?)),
            Records::Programmes(v) => v.push((line, programmes::validate(cx, h, cells)?)),
            Records::Platforms(v) => v.push((line, platforms::validate(cx, h, cells)?)),
            Records::Enrolments(v) => v.push((line, enrolments::validate(cx, h, cells)?)),
            Records::Apprenticeships(v) => v.push((line, apprenticeships::validate(cx, h, cells)?)),
            Records::Education(v) => v.push((line, education::validate(cx, h, cells)?)),
            Records::Titles(v) => v.push((line, titles::validate(cx, h, cells)?)),
        }
        Ok(())
    }

    /// Resolves references and writes the valid rows in `t`; rows refused while writing go to
    /// `res.rejected`.
    async fn write(self, res: &mut Resolver, policy: &Policy, t: &mut tx::Tx) -> Result<WriteCounts, AppError> {
        match self {
            Records::Orgs(v) => orgs::write(t, v).await,
            Records::Statistics(v) => statistics::write(t, v).await,
            Records::Persons(v) => persons::write(res, t, v).await,
            Records::Levels(v) => levels::write(res, t, v).await,
            Records::Employment(v) => employment::write(res, t, v).await,
            Records::Demand(v) => demand::write(res, t, v).await,
            Records::Standards(v) => standards::write(t, v).await,
            Records::CompetitionResults(v) => competition_results::write(res, policy, t, v).await,
            Records::Insurance(v) => insurance::write(res, t, v).await,
            Records::Programmes(v) => programmes::write(res, t, v).await,
            Records::Platforms(v) => platforms::write(res, t, v).await,
            Records::Enrolments(v) => enrolments::write(res, t, v).await,
            Records::Apprenticeships(v) => apprenticeships::write(res, t, v).await,
            Records::Education(v) => education::write(res, t, v).await,
            Records::Titles(v) => titles::write(res, t, v).await,
        }
    }
}

struct Batch {
    read: u64,
    records: Records,
    rejected: Vec<RejectedRow>,
    /// The rows as read (`crypto::digest::RowsDigest`), for the batch's audit entry.
    digest: RowsDigest,
    lines: Option<(u64, u64)>,
    /// Notes on rows that went in (line, note).
    notes: Vec<(u64, Msg)>,
}

impl Batch {
    fn new(kind: Kind, cap: usize) -> Batch {
        Batch {
            read: 0,
            records: Records::new(kind, cap),
            rejected: Vec::new(),
            notes: Vec::new(),
            digest: RowsDigest::new(),
            lines: None,
        }
    }
}

/// Imports `path` as `kind`. `progress` is told the rows read so far after every batch. Each
/// batch is one transaction with its audit entry (`import.batch`: the file, the counts and the
/// SHA-256 of the batch's rows as read, `crypto::digest::RowsDigest`). Re-importing a file
/// changes nothing (upsert by natural key); a crash loses at most the batch in flight, and a
/// rerun completes the job.
pub async fn run(
    app: &App,
    actor: &Actor,
    kind: Kind,
    path: &Path,
    opts: &ImportOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<ImportSummary, AppError> {
    let reader = RowReader::open_with(path, opts.encoding)?;
    let headers = HeaderMap::new(kind.columns(), reader.headers()).map_err(AppError::BadFile)?;
    let mut summary = ImportSummary::default();
    for h in &headers.ignored {
        summary.warnings.push(Msg::new(format!("已忽略未知列：{h}"), format!("ignored unknown column: {h}")));
    }
    if let Some(d) = reader.csv_encoding {
        summary.warnings.extend(encoding_warning(&d));
    }
    let file_name = path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    // Rejections found while writing name the column as the file's header does.
    let mut resolver = Resolver::new(kind, headers.labels.clone(), &file_name);
    let mut rejections = Rejections::new(opts.errors_path.as_deref())?;
    let run_id = imports::start(&app.db, kind.name(), &file_name, &super::runs::this_runner()).await?;
    let deferred = defer_indexes(app, kind, path, opts.defer_indexes).await?;
    if let Some(table) = deferred {
        bulk::suspend_indexes(&app.db, table).await?;
    }

    let (sender, mut batches) = mpsc::channel::<Batch>(4);
    let policy = Arc::clone(&app.policy);
    let catalogue = Arc::clone(&app.catalogue);
    let today = app.today();
    let batch_rows = opts.batch_rows.max(1);
    let producer = std::thread::spawn(move || {
        let cx = RowContext::new(&policy, &catalogue, today);
        let mut reader = reader;
        let mut batch = Batch::new(kind, batch_rows);
        while let Some(row) = reader.next_row() {
            batch.read += 1;
            match row {
                Ok(row) => {
                    batch.digest.row(row.line, &row.cells);
                    batch.lines = Some((batch.lines.map_or(row.line, |l| l.0), row.line));
                    match batch.records.push(&cx, &headers, row.line, &row.cells) {
                        Err(errors) => batch.rejected.push(RejectedRow { line: row.line, errors }),
                        Ok(()) => batch.notes.extend(cx.take_notes().into_iter().map(|m| (row.line, m))),
                    }
                    cx.take_notes();
                }
                Err(e) => batch.rejected.push(unreadable_row(e)),
            }
            if batch.read as usize >= batch_rows {
                let full = std::mem::replace(&mut batch, Batch::new(kind, batch_rows));
                if sender.blocking_send(full).is_err() {
                    return;
                }
            }
        }
        let _ = sender.blocking_send(batch);
    });

    let mut written = WriteCounts::default();
    let mut row_notes = RowNotes::default();
    let result: Result<(), AppError> = async {
        let mut batch_no = 0u64;
        while let Some(batch) = batches.recv().await {
            batch_no += 1;
            summary.read += batch.read;
            row_notes.add(batch.notes);
            let mut refused = batch.rejected;
            let mut t = tx::begin(&app.db).await?;
            let promoted_before = resolver.promoted;
            let counts = batch.records.write(&mut resolver, &app.policy, &mut t).await?;
            refused.append(&mut resolver.rejected);
            let mut after = serde_json::json!({
                "file": file_name,
                "kind": kind.name(),
                "batch": batch_no,
                "lines": batch.lines.map(|(a, b)| [a, b]),
                "read": batch.read,
                "inserted": counts.inserted,
                "updated": counts.updated,
                "unchanged": counts.unchanged,
                "rejected": refused.len(),
                "rows_sha256": batch.digest.finish(),
            });
            if kind == Kind::CompetitionResults {
                after["promoted"] = serde_json::json!(resolver.promoted - promoted_before);
            }
            audit::record(&mut t, actor, "import.batch", kind.name(), Some(&run_id.to_string()), None, Some(&after))
                .await?;
            let rejected_so_far = rejections.count + refused.len() as u64;
            let mut so_far = written;
            so_far += counts;
            imports::progress_in(&mut t, run_id, summary.read, so_far, rejected_so_far).await?;
            t.commit().await?;
            rejections.add(refused)?;
            written += counts;
            progress(summary.read);
        }
        Ok(())
    }
    .await;
    drop(batches);
    let _ = producer.join();
    if deferred.is_some() {
        bulk::restore_indexes(&app.db).await?;
    }
    result?;

    if kind == Kind::CompetitionResults {
        if resolver.promoted > 0 {
            // The promotions' certificates were issued with them; their credentials are signed
            // after commit, as an evaluation's are.
            crate::credentials::sign_after_issue(app.credentials.as_deref(), &app.db).await;
        }
        summary.promoted = Some(resolver.promoted);
        summary.decisions = std::mem::take(&mut resolver.competition);
        summary.decisions.sort_by_key(|d| d.line);
    }
    if resolver.not_on_record > 0 {
        let n = resolver.not_on_record;
        summary.warnings.push(Msg::new(
            format!("{n} 名学徒在登记信息中没有就业记录，已按企业职工接受（推断）"),
            format!("{n} apprentice(s) have no employment on record and were accepted as the enterprise's employees (inferred)"),
        ));
    }
    summary.warnings.extend(row_notes.finish());
    summary.run_id = Some(run_id);
    summary.inserted = written.inserted;
    summary.updated = written.updated;
    summary.unchanged = written.unchanged;
    (summary.rejected, summary.rejected_rows) = rejections.finish()?;
    imports::finish(&app.db, run_id, summary.read, written, summary.rejected).await?;
    Ok(summary)
}

/// Notes on rows that went in, as summary warnings naming the line: the first
/// [`KEPT_ROW_NOTES`], then how many more.
#[derive(Default)]
struct RowNotes {
    kept: Vec<Msg>,
    more: u64,
}

/// How many row notes the summary lists one by one.
const KEPT_ROW_NOTES: usize = 100;

impl RowNotes {
    fn add(&mut self, notes: Vec<(u64, Msg)>) {
        for (line, m) in notes {
            if self.kept.len() < KEPT_ROW_NOTES {
                self.kept.push(Msg::new(format!("第 {line} 行：{}", m.zh), format!("line {line}: {}", m.en)));
            } else {
                self.more += 1;
            }
        }
    }

    fn finish(self) -> Vec<Msg> {
        let mut out = self.kept;
        if self.more > 0 {
            let n = self.more;
            out.push(Msg::new(
                format!("另有 {n} 行有同类提示未列出"),
                format!("{n} more row(s) with such notes not listed"),
            ));
        }
        out
    }
}
