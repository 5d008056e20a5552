//! `gongjiang supply-gap` and `gongjiang shortage-list`: the supply–demand gap, its forecast
//! and the shortage list (急需紧缺职业目录) from the command line.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use gongjiang_app::App;
use gongjiang_app::supply::{self, ForecastReport, GapGrouping, GapQuery, GapReport};
use gongjiang_domain::dates::parse_date;
use gongjiang_domain::supply::Period;

use crate::output::csv_stdout;

#[derive(Clone, Copy, ValueEnum)]
pub enum GapBy {
    District,
    Chain,
    City,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum GapFormat {
    Table,
    Json,
    Csv,
    Xlsx,
}

#[derive(Args)]
pub struct SupplyGapArgs {
    /// Group by district (default), industrial chain, or the whole city
    #[arg(long, value_enum, default_value_t = GapBy::District)]
    by: GapBy,
    /// Demand period: a year (with its quarters) or a quarter such as 2026Q2; default this year
    #[arg(long)]
    period: Option<String>,
    /// Occupation code or category prefix (6-18)
    #[arg(long)]
    occupation: Option<String>,
    /// Count supply on this date (default: today)
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// Project the gap of the ranked rows to --target with Holt's linear trend, and the training
    /// per year that would close it
    #[arg(long)]
    forecast: bool,
    /// Year by which the gap should be closed (default: the last year with demand + 3)
    #[arg(long, value_name = "YEAR", requires = "forecast")]
    target: Option<i32>,
    /// How many ranked rows to project
    #[arg(long, default_value_t = 50, requires = "forecast")]
    limit: usize,
    #[arg(long, value_enum, default_value_t = GapFormat::Table)]
    format: GapFormat,
    /// Write the table here (.csv or .xlsx; required with --format xlsx)
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Args)]
pub struct ShortageListArgs {
    /// Demand period: a year or a quarter
    #[arg(long)]
    period: String,
    /// Count supply on this date (default: today)
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// Output file: .xlsx (as the bureau publishes it) or .csv
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

fn period(app: &App, s: Option<&str>) -> Result<Period> {
    match s {
        None => Ok(Period { year: app.today().year(), quarter: None }),
        Some(s) => Period::parse(s).with_context(|| format!("不是有效期间 / not a valid period: {s} (2026, 2026Q2)")),
    }
}

fn date(s: Option<&str>) -> Result<Option<time::Date>> {
    s.map(|d| parse_date(d).with_context(|| format!("不是有效日期 / not a valid date: {d}"))).transpose()
}

fn out_path(format: GapFormat, out: &Option<PathBuf>) -> Result<Option<&Path>> {
    match (format, out) {
        (GapFormat::Xlsx, None) => bail!("--format xlsx 需要 --out FILE.xlsx / --format xlsx needs --out FILE.xlsx"),
        (GapFormat::Csv | GapFormat::Xlsx, Some(p)) => Ok(Some(p.as_path())),
        (_, Some(_)) => bail!("--out 用于 csv 或 xlsx / --out goes with --format csv or xlsx"),
        (_, None) => Ok(None),
    }
}

pub async fn supply_gap(app: &App, a: &SupplyGapArgs) -> Result<()> {
    let q = GapQuery {
        by: match a.by {
            GapBy::District => GapGrouping::District,
            GapBy::Chain => GapGrouping::Chain,
            GapBy::City => GapGrouping::City,
        },
        period: period(app, a.period.as_deref())?,
        occupation: a
            .occupation
            .as_deref()
            .map(|o| {
                gongjiang_domain::occupation::OccupationCode::parse(o)
                    .map(|c| c.as_str().to_string())
                    .map_err(|e| anyhow::anyhow!("--occupation: {}", gongjiang_domain::bilingual::Explain::explain(&e)))
            })
            .transpose()?,
        as_of: date(a.as_of.as_deref())?,
    };
    let out = out_path(a.format, &a.out)?;
    if a.forecast {
        let r = supply::forecast(app, &q, a.target, a.limit.max(1)).await?;
        match (a.format, out) {
            (GapFormat::Json, _) => println!("{}", serde_json::to_string_pretty(&r)?),
            (_, Some(p)) => {
                supply::write_forecast_table(&r, p)?;
                eprintln!("已写入 / written: {}", p.display());
            }
            (GapFormat::Csv, None) => supply::write_forecast_rows(&r, csv_stdout(&supply::FORECAST_HEADERS)?)?,
            _ => print_forecast(&r),
        }
        return Ok(());
    }
    let r = supply::gap_report(app, &q).await?;
    match (a.format, out) {
        (GapFormat::Json, _) => println!("{}", serde_json::to_string_pretty(&r)?),
        (_, Some(p)) => {
            supply::write_gap_table(&r, p)?;
            eprintln!("已写入 {} 行 / written {} rows: {}", r.rows.len(), r.rows.len(), p.display());
        }
        (GapFormat::Csv, None) => supply::write_gap_rows(&r, csv_stdout(&supply::GAP_HEADERS)?)?,
        _ => print_gap(&r),
    }
    Ok(())
}

fn ratio(r: Option<f64>) -> String {
    r.map_or("—".to_string(), |x| format!("{x:.2}"))
}

fn print_gap(r: &GapReport) {
    println!(
        "供需缺口 supply–demand gap: 期间 period {}，供给统计日 supply as of {}，按 by {}",
        r.period, r.as_of, r.by
    );
    println!("{}", r.supply_rule);
    let c = &r.pipeline_source.counted;
    println!(
        "在途 pipeline（{}）: 培训 training {}，学徒 apprenticeship {}，申报 application {}，人数 persons {}",
        r.pipeline_source.code, c.training, c.apprenticeship, c.application, c.persons
    );
    println!("{}", r.pipeline_source.note);
    if let Some(n) = &r.grouping_note {
        println!("{n}");
    }
    println!(
        "{:>4}  {:<12} {:<14} {:<6} {:<10} {:>7} {:>7} {:>7} {:>7} {:>6}  紧缺程度",
        "#", "职业代码", "职业", "等级", "分组", "需求", "在途", "供给", "缺口", "比值"
    );
    for x in &r.rows {
        println!(
            "{:>4}  {:<12} {:<14} {:<6} {:<10} {:>7} {:>7} {:>7} {:>7} {:>6}  {}",
            x.rank,
            x.occupation_code,
            x.occupation_name.as_deref().unwrap_or(""),
            x.level_name_zh,
            x.group_name_zh,
            x.demand,
            x.pipeline,
            x.supply,
            x.gap,
            ratio(x.ratio),
            x.severity_zh.unwrap_or("")
        );
    }
    if r.rows.is_empty() {
        println!("（该期间没有需求填报 / no demand reported for this period）");
    }
}

fn print_forecast(r: &ForecastReport) {
    println!("缺口预测 gap forecast: 期间 period {}，目标年 target {}，按 by {}", r.period, r.target_year, r.by);
    println!("{}", r.method);
    println!(
        "{:>4}  {:<12} {:<6} {:<10} {:>8} {:>10} {:>8} {:>10}",
        "#", "职业代码", "等级", "分组", "当前缺口", "目标年缺口", "每年培养", "上限"
    );
    for x in &r.rows {
        println!(
            "{:>4}  {:<12} {:<6} {:<10} {:>8} {:>10.1} {:>8} {:>10}",
            x.rank,
            x.occupation_code,
            x.level_name_zh,
            x.group_name_zh,
            x.observed.last().map_or(0, |o| o.gap),
            x.gap_at_target,
            x.training_per_year,
            x.training_per_year_high.map(|t| t.to_string()).unwrap_or_default()
        );
    }
}

pub async fn shortage_list(app: &App, a: &ShortageListArgs) -> Result<()> {
    let p = period(app, Some(&a.period))?;
    let entries = supply::shortage_list(app, p, date(a.as_of.as_deref())?).await?;
    supply::write_shortage_list(&entries, &a.out).with_context(|| a.out.display().to_string())?;
    eprintln!("已写入 {} 个职业（工种）/ {} entries written: {}", entries.len(), entries.len(), a.out.display());
    Ok(())
}
