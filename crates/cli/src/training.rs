//! `gongjiang training`: the training system from the command line — a programme's enrolments
//! with the hours credited and each holder masked.

use anyhow::Result;
use clap::{Args, Subcommand, ValueEnum};
use gongjiang_app::App;
use gongjiang_app::training::{self, EnrolmentsReport};
use gongjiang_domain::access::Scope;

use crate::output::csv_stdout;

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ListFormat {
    Table,
    Json,
    Csv,
}

#[derive(Subcommand)]
pub enum TrainingCommand {
    /// A programme's enrolments: learner account, hours credited, status, masked holder
    Enrolments(EnrolmentsArgs),
    /// xAPI statements a provider pushed that credited nothing (no such learner or programme,
    /// another provider's programme), newest first, with the reason
    Unmatched(UnmatchedArgs),
}

#[derive(Args)]
pub struct UnmatchedArgs {
    /// The provider's credit code (default: every provider)
    #[arg(long)]
    provider: Option<String>,
    #[arg(long, default_value_t = 100)]
    limit: i64,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    format: ListFormat,
}

#[derive(Args)]
pub struct EnrolmentsArgs {
    /// The programme's code (项目编号)
    #[arg(long)]
    programme: String,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    format: ListFormat,
}

/// The CSV columns of `training enrolments --format csv`.
pub const ENROLMENT_HEADERS: [&str; 7] =
    ["learner_id", "hours", "status", "enrolled_on", "completed_on", "holder", "holder_name"];

pub async fn run(app: &App, command: &TrainingCommand) -> Result<()> {
    match command {
        TrainingCommand::Enrolments(a) => {
            let r = training::enrolments(app, &Scope::all(), &a.programme).await?;
            match a.format {
                ListFormat::Json => println!("{}", serde_json::to_string_pretty(&r)?),
                ListFormat::Csv => {
                    let mut w = csv_stdout(&ENROLMENT_HEADERS)?;
                    for e in &r.enrolments {
                        w.write_row(&[
                            e.learner_id.clone().unwrap_or_default(),
                            e.hours.to_string(),
                            e.status.clone(),
                            gongjiang_domain::dates::iso(e.enrolled_on),
                            e.completed_on.map(gongjiang_domain::dates::iso).unwrap_or_default(),
                            e.holder.clone(),
                            e.holder_name.clone(),
                        ])?;
                    }
                    w.finish()?;
                }
                ListFormat::Table => print_table(&r),
            }
        }
        TrainingCommand::Unmatched(a) => {
            let provider = match &a.provider {
                None => None,
                Some(u) => Some(
                    gongjiang_store::organisations::ids_by_uscc(&app.db, &[u.as_str()])
                        .await?
                        .get(u)
                        .copied()
                        .ok_or_else(|| anyhow::anyhow!("单位未登记 / organisation not registered: {u}"))?,
                ),
            };
            let rows = gongjiang_app::xapi::unmatched(app, provider, a.limit.max(1)).await?;
            match a.format {
                ListFormat::Json => println!("{}", serde_json::to_string_pretty(&rows)?),
                ListFormat::Csv => {
                    let mut w =
                        csv_stdout(&["statement_id", "stored", "actor", "verb", "activity", "reason_zh", "reason_en"])?;
                    for u in &rows {
                        w.write_row(&[
                            u.statement_id.clone(),
                            u.stored.clone(),
                            u.actor.clone(),
                            u.verb.clone(),
                            u.activity.clone().unwrap_or_default(),
                            u.reason.zh.clone(),
                            u.reason.en.clone(),
                        ])?;
                    }
                    w.finish()?;
                }
                ListFormat::Table => {
                    for u in &rows {
                        println!(
                            "{} {} {} {}：{} / {}",
                            u.stored,
                            u.statement_id,
                            u.actor,
                            u.activity.as_deref().unwrap_or("—"),
                            u.reason.zh,
                            u.reason.en
                        );
                    }
                    if rows.is_empty() {
                        println!("（没有未匹配的语句 / no unmatched statements）");
                    }
                }
            }
        }
    }
    Ok(())
}

fn print_table(r: &EnrolmentsReport) {
    println!(
        "培训项目 programme {}（{}）：{} {}，{} {}，学时 required hours {}，计划人数 places {}，报名 enrolled {}",
        r.programme,
        r.name,
        r.provider_name,
        r.provider_uscc,
        r.occupation_code,
        r.level_name_zh,
        r.required_hours,
        r.capacity,
        r.enrolments.len()
    );
    println!(
        "{:<16} {:>8} {:<10} {:<10} {:<10} {:<20} 姓名",
        "学员账号", "学时", "状态", "报名日期", "完成日期", "证件号码"
    );
    for e in &r.enrolments {
        println!(
            "{:<16} {:>8} {:<10} {:<10} {:<10} {:<20} {}",
            e.learner_id.as_deref().unwrap_or("—"),
            e.hours,
            e.status,
            gongjiang_domain::dates::iso(e.enrolled_on),
            e.completed_on.map(gongjiang_domain::dates::iso).unwrap_or_default(),
            e.holder,
            e.holder_name
        );
    }
}
