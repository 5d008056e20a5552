//! `gongjiang benefits`: what a registered person is entitled to on a day, scheme by scheme,
//! and why.

use std::future::Future;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use gongjiang_app::App;
use gongjiang_domain::dates::{iso, parse_date};
use gongjiang_domain::id_number::IdNumber;

use crate::output::OutputFormat;

#[derive(Args)]
pub struct BenefitsArgs {
    /// Identity number of a registered person
    pub id_number: String,
    /// Decide as of this date (default: today)
    #[arg(long)]
    pub on: Option<String>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

pub async fn run(args: &BenefitsArgs, app: impl Future<Output = Result<App>>) -> Result<ExitCode> {
    let app = app.await?;
    let on = match &args.on {
        Some(d) => parse_date(d).with_context(|| format!("不是有效日期 / not a valid date: {d}"))?,
        None => app.today(),
    };
    let id = IdNumber::parse(&args.id_number, app.today())
        .map(|p| p.id.as_str().to_string())
        .unwrap_or_else(|_| args.id_number.trim().to_uppercase());
    let r = gongjiang_app::benefits::for_id_number(&app, &id, on).await?;
    if args.format == OutputFormat::Json {
        println!("{}", serde_json::to_string_pretty(&r.schemes)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("{}（{}）", r.person.name, iso(on));
    for d in &r.schemes {
        let mark = if d.eligible { "✓" } else { "✗" };
        println!("[{mark}] {} / {} ({})", d.name.zh, d.name.en, d.scheme);
        for m in &d.reasons {
            println!("    {} / {}", m.zh, m.en);
        }
        if d.inferred {
            for n in &d.inferred_notes {
                println!("    推断 / inferred: {} / {}", n.zh, n.en);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
