//! `gongjiang export`: the registry to CSV or XLSX.

use std::future::Future;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use gongjiang_app::App;
use gongjiang_app::export::HeaderLanguage;
use gongjiang_app::import::Kind;

use crate::output::progress_bar;
use crate::security;

#[derive(Clone, Copy, ValueEnum)]
pub enum ExportKind {
    Orgs,
    Persons,
    Levels,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Headers {
    Zh,
    En,
}

#[derive(Args)]
pub struct ExportArgs {
    /// What to export
    pub kind: ExportKind,
    /// Output file: .csv (UTF-8 with BOM, opens in Excel) or .xlsx
    pub file: PathBuf,
    #[arg(long, value_enum, default_value_t = Headers::Zh)]
    pub headers: Headers,
}

pub async fn run(args: &ExportArgs, app: impl Future<Output = Result<App>>) -> Result<ExitCode> {
    let ExportArgs { kind, file, headers } = args;
    let kind = match kind {
        ExportKind::Orgs => Kind::Orgs,
        ExportKind::Persons => Kind::Persons,
        ExportKind::Levels => Kind::Levels,
    };
    let lang = match headers {
        Headers::Zh => HeaderLanguage::Chinese,
        Headers::En => HeaderLanguage::English,
    };
    let app = app.await?;
    let pb = progress_bar("导出 export");
    let n = gongjiang_app::export::run(&app, &security::cli_actor(), kind, file, lang, &|n| pb.set_position(n))
        .await
        .with_context(|| file.display().to_string())?;
    pb.finish_and_clear();
    eprintln!("已导出 {n} 行 / exported {n} rows to {}", file.display());
    Ok(ExitCode::SUCCESS)
}
