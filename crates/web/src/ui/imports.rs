//! `/imports`: imports in the browser. Download a template (XLSX, headers in the page's
//! language, drop-down lists for coded columns), upload a CSV or XLSX file, watch it go in (the
//! job page polls its progress with htmx), and get the rejected rows back as a workbook with the
//! bad cells marked. The import itself is `gongjiang_app::import::run`, as on the command line.
//!
//! Jobs live in memory for the life of the process (the last [`KEEP_JOBS`]); the import run
//! itself is recorded in the database like any other.
//!
//! Uploaded files hold identity numbers in plain text, so they live in a folder only this user
//! can open (`$TMPDIR/gongjiang-uploads-UID/PID-…`, mode 0700, files 0600), and only while the
//! job runs: when it ends, the rejected rows' report is written beside it (the only thing kept,
//! for the download) and the upload is removed. A server that crashed leaves its folder behind;
//! the next one to start removes the folders of processes that are gone.

use std::collections::VecDeque;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use askama::Template;
use axum::Extension;
use axum::extract::{Multipart, State};
use axum::http::HeaderMap;
use axum::response::Response;
use gongjiang_app::App;
use gongjiang_app::export::HeaderLanguage;
use gongjiang_app::import::{self, ImportOptions, ImportSummary, Kind, workbook};
use gongjiang_domain::access::{Action, Resource};
use gongjiang_domain::bilingual::Msg;
use gongjiang_store::worklist;
use tempfile::TempDir;

use super::error::UiError;
use super::exports::{XLSX, download};
use super::gate::{SignedIn, Viewer};
use super::i18n::Lang;
use super::layout::{Chrome, int, render};
use crate::extract::{Path, Query};

/// Largest file accepted from the browser (larger loads: `gongjiang import` on the server).
pub const MAX_UPLOAD_BYTES: usize = 200 * 1024 * 1024;
/// Jobs remembered (with their files, for the error report).
pub const KEEP_JOBS: usize = 50;

pub const KINDS: [Kind; 8] = [
    Kind::Orgs,
    Kind::Persons,
    Kind::Levels,
    Kind::Employment,
    Kind::Insurance,
    Kind::Statistics,
    Kind::Demand,
    Kind::Standards,
];

pub fn kind_label(l: Lang, k: Kind) -> &'static str {
    match k {
        Kind::Orgs => l.t("单位", "Organisations"),
        Kind::Persons => l.t("人员", "Persons"),
        Kind::Levels => l.t("技能等级", "Skill levels"),
        Kind::Employment => l.t("从业经历", "Employment"),
        Kind::Statistics => l.t("就业统计（分母）", "Employment statistics"),
        Kind::Demand => l.t("用工需求", "Skill demand"),
        Kind::Standards => l.t("职业技能标准（申报条件版本）", "Skill standards (editions)"),
        Kind::CompetitionResults => l.t("竞赛成绩（以赛代评）", "Competition results"),
        Kind::Insurance => l.t("社会保险缴费记录", "Social-insurance spells"),
        Kind::Programmes => l.t("培训项目", "Training programmes"),
        Kind::Platforms => l.t("培养平台", "Training platforms"),
        Kind::Enrolments => l.t("培训报名", "Enrolments"),
        Kind::Apprenticeships => l.t("企业新型学徒", "Apprenticeships"),
        Kind::Education => l.t("学历记录", "Education records"),
        Kind::Titles => l.t("职称", "Professional titles"),
    }
}

enum State_ {
    Running,
    Done(ImportSummary),
    Failed(Msg),
}

pub struct Job {
    pub id: u64,
    owner: i64,
    pub kind: Kind,
    pub file_name: String,
    /// Rows read so far, and the rows the file holds when that could be told (CSV lines).
    read: AtomicU64,
    expected: Option<u64>,
    state: Mutex<State_>,
    /// The uploaded file, under its own name (the import run records the name) in a folder of
    /// its own; removed when the job ends.
    file: PathBuf,
    /// The job's private folder: the upload while it runs, then the error reports; removed with
    /// the job.
    dir: TempDir,
}

impl Job {
    fn report_path(&self, lang: HeaderLanguage) -> PathBuf {
        self.dir.path().join(if lang == HeaderLanguage::English { "report-en.xlsx" } else { "report-zh.xlsx" })
    }
}

/// The jobs of this process.
pub struct Jobs {
    next: AtomicU64,
    list: Mutex<VecDeque<Arc<Job>>>,
    /// This process's private folder for uploads (`None`: none could be made; uploads refused).
    folder: Option<TempDir>,
}

impl Default for Jobs {
    fn default() -> Self {
        let folder =
            private_uploads().inspect_err(|e| tracing::warn!(error = %e, "no private folder for uploads")).ok();
        Jobs { next: AtomicU64::new(0), list: Mutex::new(VecDeque::new()), folder }
    }
}

/// `$TMPDIR/gongjiang-uploads-UID`, owner-only, with this process's folder in it; folders of
/// processes that are gone (a crash) are removed first.
fn private_uploads() -> std::io::Result<TempDir> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
        // SAFETY: getuid and kill(pid, 0) have no preconditions and touch no memory.
        let uid = unsafe { libc::getuid() };
        let root = std::env::temp_dir().join(format!("gongjiang-uploads-{uid}"));
        match std::fs::DirBuilder::new().mode(0o700).create(&root) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
        let meta = std::fs::symlink_metadata(&root)?;
        if !meta.is_dir() || meta.uid() != uid {
            return Err(std::io::Error::other(format!("{} is not a folder of this user", root.display())));
        }
        std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o700))?;
        for entry in std::fs::read_dir(&root)?.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(pid) = name.split('-').next().and_then(|p| p.parse::<i32>().ok()) else { continue };
            // SAFETY: as above.
            let gone = unsafe { libc::kill(pid, 0) } != 0
                && std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH);
            if gone {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
        tempfile::Builder::new().prefix(&format!("{}-", std::process::id())).tempdir_in(&root)
    }
    #[cfg(not(unix))]
    tempfile::Builder::new().prefix("gongjiang-uploads-").tempdir()
}

impl Jobs {
    fn add(&self, job: Job) -> Arc<Job> {
        let job = Arc::new(job);
        let mut list = self.list.lock().unwrap_or_else(|e| e.into_inner());
        list.push_front(job.clone());
        list.truncate(KEEP_JOBS);
        job
    }

    fn get(&self, id: u64, owner: i64) -> Option<Arc<Job>> {
        let list = self.list.lock().unwrap_or_else(|e| e.into_inner());
        list.iter().find(|j| j.id == id && j.owner == owner).cloned()
    }

    /// This process's job of `owner` that ran import run `run_id`, if it is still kept.
    pub fn of_run(&self, run_id: i64, owner: i64) -> Option<u64> {
        let list = self.list.lock().unwrap_or_else(|e| e.into_inner());
        list.iter()
            .filter(|j| j.owner == owner)
            .find(|j| {
                let state = j.state.lock().unwrap_or_else(|e| e.into_inner());
                matches!(&*state, State_::Done(s) if s.run_id == Some(run_id))
            })
            .map(|j| j.id)
    }

    fn of(&self, owner: i64) -> Vec<Arc<Job>> {
        let list = self.list.lock().unwrap_or_else(|e| e.into_inner());
        list.iter().filter(|j| j.owner == owner).cloned().collect()
    }
}

/// A job as the pages show it.
pub struct JobView {
    pub id: u64,
    pub kind: String,
    pub file_name: String,
    pub running: bool,
    pub failed: Option<String>,
    pub read: String,
    /// Percent done when the size is known.
    pub percent: Option<u64>,
    pub inserted: String,
    pub updated: String,
    pub unchanged: String,
    pub rejected: u64,
    pub rejected_text: String,
    pub warnings: Vec<String>,
    /// The first rejected rows: line, column, value, reason.
    pub sample: Vec<(u64, String, String, String)>,
}

fn view(l: Lang, j: &Job) -> JobView {
    let read = j.read.load(Ordering::Relaxed);
    let state = j.state.lock().unwrap_or_else(|e| e.into_inner());
    let mut v = JobView {
        id: j.id,
        kind: kind_label(l, j.kind).to_string(),
        file_name: j.file_name.clone(),
        running: matches!(*state, State_::Running),
        failed: None,
        read: int(read as i64),
        percent: j.expected.filter(|n| *n > 0).map(|n| (read * 100 / n).min(100)),
        inserted: String::new(),
        updated: String::new(),
        unchanged: String::new(),
        rejected: 0,
        rejected_text: String::new(),
        warnings: Vec::new(),
        sample: Vec::new(),
    };
    match &*state {
        State_::Running => {}
        State_::Failed(m) => v.failed = Some(l.msg(m).to_string()),
        State_::Done(s) => {
            v.read = int(s.read as i64);
            v.percent = Some(100);
            v.inserted = int(s.inserted as i64);
            v.updated = int(s.updated as i64);
            v.unchanged = int(s.unchanged as i64);
            v.rejected = s.rejected;
            v.rejected_text = int(s.rejected as i64);
            v.warnings = s.warnings.iter().map(|w| l.msg(w).to_string()).collect();
            v.sample = s
                .rejected_rows
                .iter()
                .flat_map(|r| {
                    r.errors
                        .iter()
                        .map(move |e| (r.line, e.column.clone(), e.value.clone(), l.msg(&e.reason).to_string()))
                })
                .take(20)
                .collect();
        }
    }
    v
}

/// The importer: browser imports write without an organisation or district filter on the
/// rows, so they are open to users who may import for the whole city.
fn importer(viewer: &Viewer) -> Result<&SignedIn, UiError> {
    let u = viewer.require(Resource::Imports, Action::Write)?;
    Ok(u)
}

fn may_upload(u: &SignedIn) -> bool {
    u.scope(Resource::Imports, Action::Write).is_all()
}

#[derive(Template)]
#[template(path = "imports.html")]
struct ImportsPage {
    c: Chrome,
    l: Lang,
    kinds: Vec<(&'static str, &'static str)>,
    may_upload: bool,
    jobs: Vec<JobView>,
    runs: Vec<(String, String, String, String, String, &'static str)>,
    pages: super::pager::Numbered,
    max_mb: usize,
}

/// Import runs the list reads at most, newest first.
const RUNS_CAP: usize = 2_000;

/// `GET /imports`.
pub async fn page(
    State(app): State<App>,
    Extension(jobs): Extension<Arc<Jobs>>,
    viewer: Viewer,
    l: Lang,
    Query(q): Query<super::pager::PageQuery>,
) -> Result<Response, UiError> {
    let u = importer(&viewer)?;
    let may = may_upload(u);
    let recent = if may { worklist::import_runs(&app.db, false, RUNS_CAP as i64 + 1).await? } else { Vec::new() };
    let (recent, pages) = super::pager::numbered(recent, RUNS_CAP, "/imports", "", &q, l);
    let runs = if may {
        recent
            .into_iter()
            .map(|r| {
                (
                    super::layout::local_time(r.started_at),
                    r.file_name,
                    Kind::parse(&r.kind).map(|k| kind_label(l, k).to_string()).unwrap_or(r.kind),
                    int(r.read),
                    int(r.rejected),
                    match (r.finished_at, r.interrupted_at) {
                        (Some(_), _) => l.t("完成", "finished"),
                        (None, Some(_)) => l.t("已中断（请重新导入该文件）", "interrupted (import the file again)"),
                        (None, None) => l.t("进行中", "running"),
                    },
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    render(&ImportsPage {
        c: Chrome::new(l, &viewer, "imports"),
        l,
        kinds: KINDS.iter().map(|k| (k.name(), kind_label(l, *k))).collect(),
        may_upload: may,
        jobs: jobs.of(u.user_id).iter().map(|j| view(l, j)).collect(),
        runs,
        pages,
        max_mb: MAX_UPLOAD_BYTES / 1024 / 1024,
    })
}

fn parse_kind(s: &str) -> Result<Kind, UiError> {
    Kind::parse(s.trim_end_matches(".xlsx")).ok_or_else(|| UiError::not_found("没有这种导入", "no such kind of import"))
}

/// `GET /imports/template/{kind}.xlsx`.
pub async fn template(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Path(kind): Path<String>,
) -> Result<Response, UiError> {
    importer(&viewer)?;
    let kind = parse_kind(&kind)?;
    let lang = if l == Lang::En { HeaderLanguage::English } else { HeaderLanguage::Chinese };
    let bytes = workbook::template(&app, kind, lang)?;
    let name = format!("{}导入模板.xlsx", workbook::kind_name_zh(kind));
    Ok(download(bytes, XLSX, &name, &format!("template-{}.xlsx", kind.name())))
}

/// `POST /imports` (multipart: `kind`, `file`; sent by htmx with the CSRF header): stores the
/// file, starts the import, and sends the browser to the job's page.
pub async fn upload(
    State(app): State<App>,
    Extension(jobs): Extension<Arc<Jobs>>,
    viewer: Viewer,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Result<Response, UiError> {
    let u = importer(&viewer)?;
    if !may_upload(u) {
        return Err(UiError::forbidden());
    }
    let mut kind = None;
    let mut stored: Option<(TempDir, PathBuf, String, u64)> = None;
    while let Some(mut field) = multipart.next_field().await.map_err(|e| bad_upload(&e))? {
        match field.name() {
            Some("kind") => kind = Some(parse_kind(&field.text().await.map_err(|e| bad_upload(&e))?)?),
            Some("file") => {
                let name = field.file_name().unwrap_or("upload").to_string();
                let lower = name.to_ascii_lowercase();
                let suffix = if lower.ends_with(".xlsx") {
                    ".xlsx"
                } else if lower.ends_with(".csv") || lower.ends_with(".txt") {
                    ".csv"
                } else {
                    return Err(UiError::bad(Msg::new(
                        "只能导入 .xlsx 或 .csv 文件",
                        "only .xlsx and .csv files can be imported",
                    )));
                };
                let folder = jobs
                    .folder
                    .as_ref()
                    .ok_or_else(|| UiError::internal(std::io::Error::other("no private folder for uploads")))?;
                let dir =
                    tempfile::Builder::new().prefix("job-").tempdir_in(folder.path()).map_err(UiError::internal)?;
                // The file keeps its name (without any folder part), which the import run records.
                let base: String =
                    name.rsplit(['/', '\\']).next().unwrap_or("upload").chars().filter(|c| !c.is_control()).collect();
                let stem = base.rsplit_once('.').map(|(s, _)| s).unwrap_or(&base);
                let path = dir.path().join(format!("{}{suffix}", if stem.is_empty() { "upload" } else { stem }));
                let mut file = gongjiang_tabular::create_private(&path).map_err(UiError::internal)?;
                let mut lines = 0u64;
                while let Some(chunk) = field.chunk().await.map_err(|e| bad_upload(&e))? {
                    lines += chunk.iter().filter(|b| **b == b'\n').count() as u64;
                    file.write_all(&chunk).map_err(UiError::internal)?;
                }
                file.flush().map_err(UiError::internal)?;
                let expected = if suffix == ".csv" { lines.saturating_sub(1) } else { 0 };
                stored = Some((dir, path, name, expected));
            }
            _ => {}
        }
    }
    let kind = kind.ok_or_else(|| UiError::bad(Msg::new("请选择导入类型", "choose what the file holds")))?;
    let (dir, path, file_name, expected) =
        stored.ok_or_else(|| UiError::bad(Msg::new("请选择要上传的文件", "choose a file to upload")))?;
    let job = jobs.add(Job {
        id: jobs.next.fetch_add(1, Ordering::Relaxed) + 1,
        owner: u.user_id,
        kind,
        file_name,
        read: AtomicU64::new(0),
        expected: (expected > 0).then_some(expected),
        state: Mutex::new(State_::Running),
        file: path,
        dir,
    });
    let running = job.clone();
    let actor = u.actor();
    tokio::spawn(async move {
        let progress = |n: u64| running.read.store(n, Ordering::Relaxed);
        let opts = ImportOptions { batch_rows: 5_000, ..ImportOptions::default() };
        let outcome = import::run(&app, &actor, running.kind, &running.file, &opts, &progress).await;
        let state = match outcome {
            Ok(summary) => {
                // The reports are all that is kept of the file; the upload goes now.
                let job = running.clone();
                let rejected = summary.rejected_rows.clone();
                let written = tokio::task::spawn_blocking(move || -> Result<(), gongjiang_app::AppError> {
                    if !rejected.is_empty() {
                        for lang in [HeaderLanguage::Chinese, HeaderLanguage::English] {
                            let bytes = workbook::report(&job.file, &rejected, lang)?;
                            let mut out = gongjiang_tabular::create_private(&job.report_path(lang))?;
                            out.write_all(&bytes)?;
                        }
                    }
                    Ok(())
                })
                .await;
                if !matches!(written, Ok(Ok(()))) {
                    tracing::warn!("the error report of a browser import could not be written");
                }
                State_::Done(summary)
            }
            Err(e) => {
                tracing::warn!(error = %e, "browser import failed");
                State_::Failed(match e {
                    gongjiang_app::AppError::BadFile(m) | gongjiang_app::AppError::Invalid(m) => m,
                    gongjiang_app::AppError::Tabular(t) => {
                        Msg::new(format!("文件无法读取：{t}"), format!("the file cannot be read: {t}"))
                    }
                    _ => Msg::new("导入失败，请联系管理员", "the import failed; ask an administrator"),
                })
            }
        };
        let _ = std::fs::remove_file(&running.file);
        *running.state.lock().unwrap_or_else(|e| e.into_inner()) = state;
        super::dashboard::forget_trends();
    });
    Ok(super::layout::go_to(&headers, &format!("/imports/jobs/{}", job.id)))
}

fn bad_upload(e: &axum::extract::multipart::MultipartError) -> UiError {
    UiError::bad(Msg::new(format!("上传失败：{e}"), format!("the upload failed: {e}")))
}

fn job_of(jobs: &Jobs, u: &SignedIn, id: &str) -> Result<Arc<Job>, UiError> {
    id.parse::<u64>().ok().and_then(|id| jobs.get(id, u.user_id)).ok_or_else(|| {
        UiError::not_found(
            "没有这个导入任务（服务重启后任务记录不保留）",
            "no such import job (jobs are not kept across restarts)",
        )
    })
}

#[derive(Template)]
#[template(path = "import_job.html")]
struct JobPage {
    c: Chrome,
    l: Lang,
    j: JobView,
}

#[derive(Template)]
#[template(path = "import_progress.html")]
struct ProgressFragment {
    l: Lang,
    j: JobView,
}

/// `GET /imports/jobs/{id}`.
pub async fn job(
    Extension(jobs): Extension<Arc<Jobs>>,
    viewer: Viewer,
    l: Lang,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    let u = importer(&viewer)?;
    let j = job_of(&jobs, u, &id)?;
    render(&JobPage { c: Chrome::new(l, &viewer, "imports"), l, j: view(l, &j) })
}

/// `GET /imports/jobs/{id}/progress`: the progress block; polled while the job runs.
pub async fn progress(
    Extension(jobs): Extension<Arc<Jobs>>,
    viewer: Viewer,
    l: Lang,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    let u = importer(&viewer)?;
    let j = job_of(&jobs, u, &id)?;
    render(&ProgressFragment { l, j: view(l, &j) })
}

/// `GET /imports/jobs/{id}/report.xlsx`: the rejected rows, bad cells marked.
pub async fn report(
    Extension(jobs): Extension<Arc<Jobs>>,
    viewer: Viewer,
    l: Lang,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    let u = importer(&viewer)?;
    let j = job_of(&jobs, u, &id)?;
    if !matches!(&*j.state.lock().unwrap_or_else(|e| e.into_inner()), State_::Done(_)) {
        return Err(UiError::not_found("导入尚未完成", "the import has not finished"));
    }
    let lang = if l == Lang::En { HeaderLanguage::English } else { HeaderLanguage::Chinese };
    let bytes = tokio::fs::read(j.report_path(lang))
        .await
        .map_err(|_| UiError::not_found("这次导入没有错误报告", "this import has no error report"))?;
    let stem = j.file_name.rsplit_once('.').map(|(s, _)| s).unwrap_or(&j.file_name);
    Ok(download(bytes, XLSX, &format!("{stem}-错误报告.xlsx"), &format!("import-{}-errors.xlsx", j.id)))
}
