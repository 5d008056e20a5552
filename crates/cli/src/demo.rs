//! `gongjiang demo`: the synthetic city into the database, or as CSV files.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use gongjiang_app::App;

use crate::output::progress_bar;

#[derive(Args)]
pub struct DemoArgs {
    /// Number of persons
    #[arg(long, default_value_t = 20_000)]
    pub persons: u64,
    /// Random seed: the same seed gives the same city
    #[arg(long, default_value_t = 2025)]
    pub seed: u64,
    /// Write orgs.csv, persons.csv, levels.csv, employment.csv, insurance.csv, statistics.csv, demand.csv into DIR instead of the database
    #[arg(long, value_name = "DIR")]
    pub csv: Option<PathBuf>,
}

/// `policy`: the policy file given (`--policy`), for the CSV files, which need no database.
pub async fn run(args: &DemoArgs, policy: Option<&Path>, app: impl Future<Output = Result<App>>) -> Result<ExitCode> {
    let DemoArgs { persons, seed, csv } = args;
    if let Some(dir) = csv {
        let policy = gongjiang_app::load_policy(policy)?;
        let catalogue = gongjiang_domain::occupation::catalogue_2022();
        std::fs::create_dir_all(dir)?;
        let today = (time::OffsetDateTime::now_utc() + time::Duration::hours(8)).date();
        gongjiang_demo::write_csv(&policy, &catalogue, *persons, *seed, today, dir)?;
        eprintln!("已写入 / written: {}", dir.display());
        return Ok(ExitCode::SUCCESS);
    }
    let app = app.await?;
    let pb = progress_bar("演示数据 demo");
    let s = gongjiang_demo::load(&app, *persons, *seed, &|n| pb.set_position(n)).await?;
    pb.finish_and_clear();
    println!("{}", serde_json::to_string(&s)?);
    let e = gongjiang_demo::evaluation::run(&app).await?;
    eprintln!("演示评价计划 / demo evaluation: {}", serde_json::to_string(&e)?);
    Ok(ExitCode::SUCCESS)
}
