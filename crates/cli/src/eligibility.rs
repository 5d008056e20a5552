//! `gongjiang eligibility`: may a person apply for a level, and why; with --all, how many may.

use std::future::Future;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Args;
use gongjiang_app::App;
use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::dates::{iso, parse_date};
use gongjiang_domain::eligibility::RuleOutcome;
use gongjiang_domain::id_number::IdNumber;
use gongjiang_domain::standards::Asked;

use crate::output::{OutputFormat, progress_bar};

#[derive(Args)]
pub struct EligibilityArgs {
    /// Identity number of a registered person
    #[arg(required_unless_present = "all")]
    pub id_number: Option<String>,
    /// Judge every registered person in their registered occupation
    #[arg(long, conflicts_with = "id_number")]
    pub all: bool,
    /// Target level: rank 1–8, a name such as 技师, or 五级…一级
    #[arg(long, required_unless_present = "title", conflicts_with = "title")]
    pub level: Option<String>,
    /// A professional title to apply for through bridging (职称贯通), e.g. 助理工程师, 工程师,
    /// 高级工程师, or a grade (初级, 中级, 副高级) of --series
    #[arg(long, conflicts_with_all = ["all", "occupation", "edition"])]
    pub title: Option<String>,
    /// The title's series (default: found from the title's name, else 工程技术)
    #[arg(long, requires = "title")]
    pub series: Option<String>,
    /// Occupation code (default: the person's registered occupation)
    #[arg(long)]
    pub occupation: Option<String>,
    /// Decide as of this date (default: today)
    #[arg(long)]
    pub on: Option<String>,
    /// Edition of the application conditions to judge under, e.g. 2018 or 2023 (default: the
    /// occupation's standard in force, imported with `import standards`, else the policy's)
    #[arg(long, conflicts_with = "all")]
    pub edition: Option<String>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

pub async fn run(args: &EligibilityArgs, app: impl Future<Output = Result<App>>) -> Result<ExitCode> {
    let EligibilityArgs { id_number, all, level, title, series, occupation, on, edition, format } = args;
    let app = app.await?;
    let on = match on {
        Some(d) => parse_date(d).with_context(|| format!("不是有效日期 / not a valid date: {d}"))?,
        None => app.today(),
    };
    if let (Some(title), Some(id)) = (title, id_number) {
        return title_eligibility(&app, id, title, series.as_deref(), on, *format).await;
    }
    let level = level.as_deref().unwrap_or_default();
    let Some(target) = app.policy.ladder.parse_level(level) else {
        bail!("无法识别的等级 / unrecognised level: {level} (1–8, 如 技师, 或 五级…一级)");
    };
    let id_number = match (id_number, all) {
        (Some(id), false) => id,
        _ => return city_wide_eligibility(&app, target, on, *format).await,
    };
    let id = canonical_id(&app, id_number);
    if let Some(e) = edition
        && app.policy.eligibility.edition(e.trim()).is_none()
    {
        let ids: Vec<&str> = app.policy.eligibility.editions.iter().map(|e| e.id.as_str()).collect();
        bail!(
            "策略中没有申报条件版本 {e}，可选：{} / the policy has no edition {e}; choose one of: {}",
            ids.join("、"),
            ids.join(", ")
        );
    }
    let asked = edition.as_deref().map_or(Asked::Nothing, |e| Asked::Edition(e.trim()));
    let d = gongjiang_app::candidate::decide(&app, &id, target, occupation.as_deref(), on, asked).await?;
    if *format == OutputFormat::Json {
        println!("{}", serde_json::to_string_pretty(&d)?);
    } else {
        print_decision(&d.summary(), on, &d.edition_reason, &d.notes, &d.rules);
    }
    Ok(if d.eligible { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn canonical_id(app: &App, id_number: &str) -> String {
    IdNumber::parse(id_number, app.today())
        .map(|p| p.id.as_str().to_string())
        .unwrap_or_else(|_| id_number.trim().to_uppercase())
}

/// The same reasons as `reasons` in JSON: the summary, the edition's, the notes, then each
/// condition's under its rule (待人工核实 where a condition is met only provisionally).
fn print_decision(summary: &Msg, on: time::Date, edition_reason: &Msg, notes: &[Msg], rules: &[RuleOutcome]) {
    println!("{summary}（{}）", iso(on));
    println!("  {edition_reason}");
    for n in notes.iter().filter(|n| *n != edition_reason) {
        println!("  {n}");
    }
    for r in rules {
        println!("  [{}] {} {}", if r.met { "✓" } else { "✗" }, r.rule, r.text_zh);
        for c in &r.conditions {
            let mark = match (c.met, c.needs_review) {
                (true, true) => "?",
                (true, false) => "✓",
                _ => "✗",
            };
            println!("      {mark} {}", c.reason);
        }
    }
}

/// `eligibility ID --title TITLE [--series SERIES]`: bridging to a professional title.
async fn title_eligibility(
    app: &App,
    id_number: &str,
    title: &str,
    series: Option<&str>,
    on: time::Date,
    format: OutputFormat,
) -> Result<ExitCode> {
    let series = match series {
        None => None,
        Some(s) => Some(gongjiang_app::title_eligibility::parse_series(s.trim()).map_err(|m| anyhow::anyhow!("{m}"))?),
    };
    let id = canonical_id(app, id_number);
    let d = gongjiang_app::title_eligibility::decide(app, &id, title, series, on).await?;
    if format == OutputFormat::Json {
        println!("{}", serde_json::to_string_pretty(&d)?);
    } else {
        print_decision(&d.summary(), on, &d.edition_reason, &d.notes, &d.rules);
    }
    Ok(if d.eligible { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

async fn city_wide_eligibility(
    app: &App,
    target: gongjiang_domain::level::Level,
    on: time::Date,
    format: OutputFormat,
) -> Result<ExitCode> {
    let pb = progress_bar("资格判断 eligibility");
    let started = std::time::Instant::now();
    let r = gongjiang_app::candidate::city_wide(app, target, on, &|n| pb.set_position(n)).await?;
    let seconds = started.elapsed().as_secs_f64();
    pb.finish_and_clear();
    if format == OutputFormat::Json {
        let mut v = serde_json::to_value(&r)?;
        v["seconds"] = serde_json::json!(seconds);
        println!("{v}");
        return Ok(ExitCode::SUCCESS);
    }
    let name = app.policy.ladder.display(target);
    println!("截至 {}，可申报{name}：{} / {} 人（{:.1} 秒）", iso(on), r.eligible, r.evaluated, seconds);
    println!(
        "as of {}, may apply for {}: {} of {} persons ({seconds:.1} s)",
        iso(on),
        app.policy.ladder.name_en(target),
        r.eligible,
        r.evaluated
    );
    for d in &r.by_district {
        let label = app.policy.district(&d.district).map(|x| x.name_zh.clone()).unwrap_or_else(|| d.district.clone());
        println!("  {:<8} {:>10} / {:<10}", label, d.eligible, d.evaluated);
    }
    if r.already_held > 0 {
        println!("  已持有该等级或更高 already hold it or higher: {}", r.already_held);
    }
    if r.skipped > 0 {
        println!("  未判断 not judged (no birth date or occupation): {}", r.skipped);
    }
    Ok(ExitCode::SUCCESS)
}
