//! `gongjiang kpi`: the KPI figures as of a date, their series and projection, and the recount
//! of the maintained counts.

use std::future::Future;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use gongjiang_app::App;
use gongjiang_domain::dates::{iso, parse_date};
use gongjiang_domain::kpi::{Grouping, fmt_fraction};

use crate::output::{csv_stdout, print_notes};

#[derive(Args)]
pub struct KpiArgs {
    /// Group rows by district (GB/T 2260 code), employer's industry, industrial chain of the
    /// employer (overlapping: a person counts in each chain), occupation major group or highest
    /// level; default: the city total only
    #[arg(long, value_enum)]
    pub by: Option<KpiBy>,
    /// As of this date (default: today)
    #[arg(long, value_name = "DATE", conflicts_with_all = ["series", "projection"])]
    pub as_of: Option<String>,
    /// The figures at each year-end (quarter-end with --step quarter) from --from to --to (the
    /// current period as of today)
    #[arg(long, conflicts_with = "projection")]
    pub series: bool,
    /// Holt's linear trend on the year-ends (quarter-ends with --step quarter) from --from,
    /// projected to each policy target: "reached in YYYY-Qn" or "not reached by the target date"
    #[arg(long)]
    pub projection: bool,
    /// Spacing of --series / --projection: year-ends (default) or quarter-ends
    #[arg(long, value_enum)]
    pub step: Option<KpiStep>,
    /// First year of --series / --projection (default: five years before the current one)
    #[arg(long, value_name = "YEAR")]
    pub from: Option<i32>,
    /// Last year of --series (default: the current year)
    #[arg(long, value_name = "YEAR", requires = "series")]
    pub to: Option<i32>,
    #[arg(long, value_enum, default_value_t = KpiFormat::Table)]
    pub format: KpiFormat,
    #[command(subcommand)]
    pub action: Option<KpiAction>,
}

#[derive(Subcommand)]
pub enum KpiAction {
    /// Rebuild the maintained KPI counts (today's and the dated changes) from the raw records;
    /// with --check, only compare them with a recount and exit 1 on any difference
    Recount {
        #[arg(long)]
        check: bool,
        /// With --check: a past day whose counts (served from the dated changes) are compared with
        /// a scan as of that day; repeatable (default: the last year-end and the 15th of this
        /// month a year ago)
        #[arg(long = "at", value_name = "DATE", requires = "check")]
        at: Vec<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum KpiBy {
    District,
    Industry,
    Chain,
    Occupation,
    Level,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum KpiStep {
    Year,
    Quarter,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum KpiFormat {
    Table,
    Json,
    /// One row per group plus `total`; shares as fractions (0.3142)
    Csv,
}

pub async fn run(args: &KpiArgs, app: impl Future<Output = Result<App>>) -> Result<ExitCode> {
    let KpiArgs { by, as_of, series, projection, step, from, to, format, action } = args;
    if let Some(KpiAction::Recount { check, at }) = action {
        let app = app.await?;
        if *check {
            let days = at
                .iter()
                .map(|d| parse_date(d).with_context(|| format!("不是有效日期 / not a valid date: {d}")))
                .collect::<Result<Vec<_>>>()?;
            return recount_check(&app, &days).await;
        }
        let r = gongjiang_app::kpi::recount(&app).await?;
        println!(
            "已按 {} 重建 KPI 计数：{} 人，{} 个计数行 / KPI counts rebuilt as of {}: {} persons, {} count rows",
            r.as_of, r.persons, r.count_rows, r.as_of, r.persons, r.count_rows
        );
        return Ok(ExitCode::SUCCESS);
    }
    let app = app.await?;
    let as_of = match as_of {
        Some(d) => parse_date(d).with_context(|| format!("不是有效日期 / not a valid date: {d}"))?,
        None => app.today(),
    };
    let by = match by {
        None => Grouping::City,
        Some(KpiBy::District) => Grouping::District,
        Some(KpiBy::Industry) => Grouping::Industry,
        Some(KpiBy::Occupation) => Grouping::Occupation,
        Some(KpiBy::Level) => Grouping::Level,
        Some(KpiBy::Chain) => Grouping::Chain,
    };
    if from.is_some() && !*series && !*projection {
        bail!("--from 仅用于 --series 或 --projection / --from goes with --series or --projection");
    }
    if step.is_some() && !*series && !*projection {
        bail!("--step 仅用于 --series 或 --projection / --step goes with --series or --projection");
    }
    if *series || *projection {
        use gongjiang_domain::forecast::Step;
        let step = match step {
            Some(KpiStep::Quarter) => Step::Quarter,
            _ => Step::Year,
        };
        let from = from.unwrap_or_else(|| gongjiang_app::kpi_series::default_from(&app));
        let to = to.unwrap_or_else(|| app.today().year());
        gongjiang_app::kpi_series::check_range(app.today(), step, from, to)
            .map_err(|(param, m)| anyhow::anyhow!("--{param}: {m}"))?;
        if *series {
            print_kpi_series(&gongjiang_app::kpi_series::series(&app, by, from, to, step).await?, *format)?;
        } else {
            let report = gongjiang_app::kpi_series::projection(&app, by, from, step).await?;
            print_kpi_projection(&report, *format)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let report = gongjiang_app::kpi::compute(&app, by, as_of).await?;
    print_kpi(&report, *format)?;
    Ok(ExitCode::SUCCESS)
}

/// `kpi recount --check`: one line per differing count, exit 1 when there is any.
async fn recount_check(app: &gongjiang_app::App, days: &[time::Date]) -> Result<ExitCode> {
    let c = gongjiang_app::kpi::recount_check(app, days).await?;
    let or_dash = |s: &str| if s.is_empty() { "-".to_string() } else { s.to_string() };
    for d in &c.differences {
        let mut when = match (d.period, d.on) {
            (Some(p), _) => format!(" 期间 period={p}"),
            (_, Some(on)) => format!(" 日期 on={}", iso(on)),
            _ => String::new(),
        };
        if !d.occupation_code.is_empty() {
            when.push_str(&format!(" 职业 occupation={}", d.occupation_code));
        }
        println!(
            "差异 / difference: {}{when} 维度 dimension={} 组 group={} 最高等级 top_level={} 就业状态 status={}: 维护值 stored={} 重算值 recounted={}",
            d.table,
            d.dimension,
            or_dash(&d.grp),
            d.top_level,
            or_dash(&d.employment_status),
            d.stored,
            d.recounted
        );
    }
    if c.stale_persons > 0 {
        println!(
            "{} 人的状态与原始记录不符 / {} persons' stored state differs from their records",
            c.stale_persons, c.stale_persons
        );
    }
    if c.differences.is_empty() && c.stale_persons == 0 {
        let days: Vec<String> = c.days.iter().map(|d| iso(*d)).collect();
        println!(
            "KPI 计数与重算一致（{}；历史日期 {} 与扫描一致）/ KPI counts match a recount (as of {}; past days {} match a scan)",
            c.as_of,
            days.join("、"),
            c.as_of,
            days.join(", ")
        );
        Ok(ExitCode::SUCCESS)
    } else {
        println!(
            "KPI 计数有 {} 处差异（{}）；运行 gongjiang kpi recount 重建 / {} differing counts (as of {}); run gongjiang kpi recount to rebuild",
            c.differences.len(),
            c.as_of,
            c.differences.len(),
            c.as_of
        );
        Ok(ExitCode::from(1))
    }
}

fn print_kpi(report: &gongjiang_app::kpi::KpiReport, format: KpiFormat) -> Result<()> {
    use gongjiang_app::kpi::{CSV_HEADERS, csv_rows};
    match format {
        KpiFormat::Json => println!("{}", serde_json::to_string_pretty(report)?),
        KpiFormat::Csv => {
            let mut out = csv_stdout(&CSV_HEADERS)?;
            for cells in csv_rows(report) {
                out.write_row(&cells)?;
            }
            out.finish()?;
        }
        KpiFormat::Table => {
            let d = &report.definitions;
            println!(
                "截至 / as of {}：技能人才 = 就业人员中持有效等级 ≥ {}，高技能 ≥ {}；分母来源见 source / skilled = employed \
                 with a valid level of rank ≥ {}, high-skilled ≥ {}",
                iso(report.as_of),
                d.skilled_from_rank,
                d.high_skilled_from_rank,
                d.skilled_from_rank,
                d.high_skilled_from_rank
            );
            println!(
                "{:<10} {:<14} {:>12} {:>10} {:>10} {:>8} {:>8} {:>8} {:>8}  source",
                "group", "name", "employed", "skilled", "high", "share", "target", "high%", "target"
            );
            for r in &report.rows {
                println!(
                    "{:<10} {:<14} {:>12} {:>10} {:>10} {:>8} {:>8} {:>8} {:>8}  {}",
                    r.group,
                    r.name_zh.as_deref().unwrap_or(""),
                    r.employed_persons.map(|v| v.to_string()).unwrap_or_default(),
                    r.skilled,
                    r.high_skilled,
                    fmt_fraction(r.skilled_share),
                    fmt_fraction(r.target_skilled_share.as_ref().map(|t| t.value)),
                    fmt_fraction(r.high_skilled_share),
                    fmt_fraction(r.target_high_skilled_share.as_ref().map(|t| t.value)),
                    r.denominator_source.code()
                );
            }
            // Official skill counts, where loaded: the registry's figure beside them.
            for r in report.rows.iter().filter(|r| r.official_skilled.is_some() || r.official_high_skilled.is_some()) {
                let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_else(|| "—".into());
                println!(
                    "{} 官方统计 official: 技能人才 skilled {}（登记库覆盖 coverage {}），高技能人才 high-skilled {}（覆盖 {}），官方高技能占比 official high-skilled share {}",
                    r.group,
                    opt(r.official_skilled),
                    fmt_fraction(r.skilled_coverage),
                    opt(r.official_high_skilled),
                    fmt_fraction(r.high_skilled_coverage),
                    fmt_fraction(r.official_high_skilled_share)
                );
            }
            print_notes(&report.notes);
        }
    }
    Ok(())
}

fn print_kpi_series(report: &gongjiang_app::kpi_series::SeriesReport, format: KpiFormat) -> Result<()> {
    const HEADERS: [&str; 11] = [
        "group",
        "year",
        "as_of",
        "employed_persons",
        "skilled",
        "high_skilled",
        "skilled_share",
        "high_skilled_share",
        "denominator_source",
        "complete",
        "period",
    ];
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    match format {
        KpiFormat::Json => println!("{}", serde_json::to_string_pretty(report)?),
        KpiFormat::Csv => {
            let mut out = csv_stdout(&HEADERS)?;
            for g in &report.groups {
                for v in &g.values {
                    let cells = [
                        g.group.clone(),
                        v.year.to_string(),
                        iso(v.as_of),
                        opt(v.employed_persons),
                        v.skilled.to_string(),
                        v.high_skilled.to_string(),
                        fmt_fraction(v.skilled_share),
                        fmt_fraction(v.high_skilled_share),
                        v.denominator_source.code().to_string(),
                        v.complete.to_string(),
                        v.period.label(),
                    ];
                    out.write_row(&cells)?;
                }
            }
            out.finish()?;
        }
        KpiFormat::Table => {
            let (zh, en) = match report.step {
                gongjiang_domain::forecast::Step::Year => ("年末", "year-end"),
                gongjiang_domain::forecast::Step::Quarter => ("季末", "quarter-end"),
            };
            println!(
                "{zh}指标 / KPIs at each {en} {}–{}（当期取截至今天的值，标 * / the current period as of today, marked *）",
                report.from_year, report.to_year
            );
            println!(
                "{:<10} {:<14} {:>7}  {:>12} {:>10} {:>10} {:>8} {:>8}  source",
                "group", "name", "period", "employed", "skilled", "high", "share", "high%"
            );
            for g in &report.groups {
                for v in &g.values {
                    println!(
                        "{:<10} {:<14} {:>7}{}  {:>12} {:>10} {:>10} {:>8} {:>8}  {}",
                        g.group,
                        g.name_zh.as_deref().unwrap_or(""),
                        v.period.label(),
                        if v.complete { " " } else { "*" },
                        opt(v.employed_persons),
                        v.skilled,
                        v.high_skilled,
                        fmt_fraction(v.skilled_share),
                        fmt_fraction(v.high_skilled_share),
                        v.denominator_source.code()
                    );
                }
            }
            print_notes(&report.notes);
        }
    }
    Ok(())
}

fn print_kpi_projection(report: &gongjiang_app::kpi_series::ProjectionReport, format: KpiFormat) -> Result<()> {
    match format {
        KpiFormat::Json => println!("{}", serde_json::to_string_pretty(report)?),
        KpiFormat::Csv => {
            const HEADERS: [&str; 12] = [
                "group",
                "kpi",
                "target_id",
                "comparison",
                "target",
                "due",
                "value_at_due",
                "observed_at_due",
                "gap_at_due",
                "reached_year",
                "outlook",
                "reached_quarter",
            ];
            let mut out = csv_stdout(&HEADERS)?;
            for g in &report.groups {
                for k in &g.kpis {
                    for t in &k.targets {
                        let cells = [
                            g.group.clone(),
                            serde_json::to_value(k.kpi)?.as_str().unwrap_or_default().to_string(),
                            t.id.clone(),
                            t.comparison.to_string(),
                            t.value.to_string(),
                            iso(t.due),
                            fmt_fraction(t.value_at_due),
                            t.observed_at_due.to_string(),
                            fmt_fraction(t.gap_at_due),
                            t.reached.map(|r| r.year.to_string()).unwrap_or_default(),
                            t.outlook.code().to_string(),
                            t.reached.map(|r| r.quarter.label()).unwrap_or_default(),
                        ];
                        out.write_row(&cells)?;
                    }
                }
            }
            out.finish()?;
        }
        KpiFormat::Table => {
            println!("预测方法 / method: {}", report.method.zh);
            println!("  {}", report.method.en);
            for g in &report.groups {
                if g.kpis.is_empty() {
                    continue;
                }
                println!();
                println!("{} {}", g.group, g.name_zh.as_deref().unwrap_or(""));
                for k in &g.kpis {
                    let observed: Vec<String> = k
                        .values
                        .iter()
                        .map(|v| {
                            format!(
                                "{}{} {}",
                                v.period.label(),
                                if v.complete { "" } else { "*" },
                                fmt_fraction(v.value)
                            )
                        })
                        .collect();
                    println!("  {} / {}", k.name_zh, k.name_en);
                    println!("    实际 observed: {}", observed.join("  "));
                    let shown: Vec<String> = k
                        .projected
                        .iter()
                        .take(6)
                        .map(|p| match (p.low, p.high) {
                            (Some(lo), Some(hi)) => format!("{} {:.4} [{lo:.4}, {hi:.4}]", p.period.label(), p.value),
                            _ => format!("{} {:.4}", p.period.label(), p.value),
                        })
                        .collect();
                    if !shown.is_empty() {
                        println!("    预测 projected: {}", shown.join("  "));
                    }
                    if k.mixed_denominators {
                        println!("    注意：拟合年份的分母来源不一 / note: the fitted years mix denominator sources");
                    }
                    for t in &k.targets {
                        println!(
                            "    目标 target {} {} {}（{}）: 期限值 value at due {}{}，差距 gap {} → {}",
                            t.id,
                            t.comparison,
                            t.value,
                            iso(t.due),
                            fmt_fraction(t.value_at_due),
                            if t.observed_at_due { "" } else { "（预测 projected）" },
                            fmt_fraction(t.gap_at_due),
                            t.message.zh
                        );
                        println!("      {}", t.message.en);
                    }
                }
            }
            print_notes(&report.notes);
        }
    }
    Ok(())
}
