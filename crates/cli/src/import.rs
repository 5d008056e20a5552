//! `gongjiang import`: a CSV or XLSX file into the registry, with an error report.

use std::future::Future;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::{Args, ValueEnum};
use gongjiang_app::import::{ImportOptions, Kind};
use gongjiang_app::{App, AppError};
use gongjiang_tabular::Encoding;

use crate::output::{OutputFormat, progress_bar};
use crate::security;

#[derive(Clone, Copy, ValueEnum)]
pub enum ImportKind {
    /// Organisations: uscc, name, kind, district[, industry]
    Orgs,
    /// Persons: id_number, name[, id_type, district, employer_uscc, occupation, education, employment_status, work_start]
    Persons,
    /// Skill levels held: id_number, occupation, level, obtained_on[, source, trade, certificate_no, issuer_uscc]
    Levels,
    /// Employment spells: id_number, employer_uscc, start[, end, occupation]
    Employment,
    /// Official employed-persons figures: year, district, employed_persons[, industry]
    Statistics,
    /// Demand reported by enterprises: reporter_uscc, occupation, level, people, period, district[, chain, note]
    Demand,
    /// Occupational skill standards: occupation, edition, effective_from[, standard_name, reference]
    Standards,
    /// Competition results (以赛代评): competition, tier, awarded_on, occupation, group, rank, id_number[, entrants]
    CompetitionResults,
    /// Social-insurance contribution spells: id_number, scheme, starts_on[, ends_on, district]
    Insurance,
    /// Training programmes: code, provider_uscc, name, occupation, level, mode, hours, starts_on, ends_on, capacity[, platform_url, programme_kind]
    Programmes,
    /// Training platforms (培养平台): code, organisation_uscc, name, kind, tier, approved_on[, valid_until, funding, occupation, lead_id_number]
    Platforms,
    /// Enrolments in programmes: programme_code, id_number, enrolled_on[, learner_id, hours, status, completed_on]
    Enrolments,
    /// Enterprise new-type apprenticeships: enterprise_uscc, id_number, institution_uscc, contract_ends_on, starts_on, ends_on, occupation, level, enterprise_mentor, school_mentor[, extension_reason]
    Apprenticeships,
    /// Education records: id_number, education[, major, graduated_on, expected_graduation_on] (one of the two dates)
    Education,
    /// Professional titles (职称): id_number, series, grade, title, obtained_on
    Titles,
}

#[derive(Args)]
pub struct ImportArgs {
    /// What the file holds (columns: see README or `docs/ARCHITECTURE.md`)
    pub kind: ImportKind,
    /// A .csv (UTF-8 or GB18030) or .xlsx file whose first row is the header
    pub file: PathBuf,
    /// Write rejected rows (line, column, value, reason in Chinese and English) to this CSV/XLSX file
    #[arg(long, value_name = "FILE")]
    pub errors: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Rows per transaction (an interrupted import loses at most one; run it again to finish)
    #[arg(long, default_value_t = 50_000)]
    pub batch: usize,
    /// competition-results: write per row the rule applied (or why none) and the level before and after (CSV/XLSX)
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// How a CSV file's bytes are read: auto (decided from the whole file), utf-8 or gb18030
    #[arg(long, default_value = "auto", value_parser = parse_encoding)]
    pub encoding: Encoding,
}

fn parse_encoding(s: &str) -> Result<Encoding, String> {
    Encoding::parse(s).ok_or_else(|| {
        format!("未知编码 {s}（可用 auto、utf-8、gb18030）/ unknown encoding {s} (auto, utf-8, gb18030)")
    })
}

pub async fn run(args: &ImportArgs, app: impl Future<Output = Result<App>>) -> Result<ExitCode> {
    let ImportArgs { kind, file, errors, format, batch, report, encoding } = args;
    let kind = match kind {
        ImportKind::Orgs => Kind::Orgs,
        ImportKind::Persons => Kind::Persons,
        ImportKind::Levels => Kind::Levels,
        ImportKind::Employment => Kind::Employment,
        ImportKind::Statistics => Kind::Statistics,
        ImportKind::Demand => Kind::Demand,
        ImportKind::Standards => Kind::Standards,
        ImportKind::CompetitionResults => Kind::CompetitionResults,
        ImportKind::Insurance => Kind::Insurance,
        ImportKind::Programmes => Kind::Programmes,
        ImportKind::Platforms => Kind::Platforms,
        ImportKind::Enrolments => Kind::Enrolments,
        ImportKind::Apprenticeships => Kind::Apprenticeships,
        ImportKind::Education => Kind::Education,
        ImportKind::Titles => Kind::Titles,
    };
    if report.is_some() && kind != Kind::CompetitionResults {
        bail!("--report 仅适用于 competition-results / --report applies to competition-results only");
    }
    let app = app.await?;
    let opts =
        ImportOptions { errors_path: errors.clone(), batch_rows: *batch, defer_indexes: None, encoding: *encoding };
    let pb = progress_bar("导入 import");
    let result =
        gongjiang_app::import::run(&app, &security::cli_actor(), kind, file, &opts, &|n| pb.set_position(n)).await;
    pb.finish_and_clear();
    let s = match result {
        Ok(s) => s,
        Err(AppError::BadFile(m)) => bail!("{}：{m}", file.display()),
        Err(e) => return Err(anyhow::Error::from(e).context(file.display().to_string())),
    };
    if let Some(path) = report {
        gongjiang_app::import::competition_results::write_report(path, &app.policy, &s.decisions, &s.rejected_rows)
            .map_err(|e| anyhow::Error::from(e).context(path.display().to_string()))?;
    }
    if *format == OutputFormat::Json {
        println!("{}", serde_json::to_string(&s)?);
    } else {
        for w in &s.warnings {
            eprintln!("提示 / warning: {w}");
        }
        println!(
            "读取 read {}，新增 inserted {}，更新 updated {}，未变 unchanged {}，拒绝 rejected {}",
            s.read, s.inserted, s.updated, s.unchanged, s.rejected
        );
        if let Some(n) = s.promoted {
            println!("晋升 promoted {n}");
        }
        for r in s.rejected_rows.iter().take(20) {
            for e in &r.errors {
                println!("  第 {} 行 line {}: {} = \"{}\": {}", r.line, r.line, e.column, e.value, e.reason);
            }
        }
        if s.rejected > 20 && errors.is_none() {
            println!("  … 用 --errors FILE 获取完整错误报告 / use --errors FILE for the full report");
        }
    }
    Ok(ExitCode::SUCCESS)
}
