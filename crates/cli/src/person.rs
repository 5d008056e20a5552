//! `gongjiang person …`: a person's rights over their data, from the operator's shell — a copy
//! of everything held about them (查询/复制), and correction requests (记录更正请求) with their
//! decision. Every step is in the audit trail under the operator (`cli:OSUSER`).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Subcommand;
use gongjiang_app::App;
use gongjiang_app::personal_data::{self, FIELDS, Request};
use gongjiang_domain::access::Scope;
use gongjiang_store::{corrections, persons};

use crate::security::{Format, cli_actor};

#[derive(Subcommand)]
pub enum PersonCommand {
    /// 查询/复制: everything the registry holds about a person — record, levels, employment,
    /// applications, certificates, appointments, correction requests and who accessed it — as
    /// JSON (.json, or standard output without --out) or a workbook (.xlsx, one sheet per part).
    /// The file holds the full identity number: hand it to the person only
    Export {
        /// The person's identity number
        id_number: String,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// 记录更正请求: correction requests
    Correction {
        #[command(subcommand)]
        command: CorrectionCommand,
    },
}

#[derive(Subcommand)]
pub enum CorrectionCommand {
    /// Record a request to correct one field of a person's record; the value is checked with the
    /// import's rules now
    Request {
        /// The person's identity number (as registered)
        id_number: String,
        /// name, id_number, gender, birth_date, district, employer, occupation, education,
        /// employment_status, work_start, or other (with --reason saying what)
        #[arg(long)]
        field: String,
        /// The correct value, as the import file would give it
        #[arg(long)]
        value: String,
        #[arg(long, default_value = "")]
        reason: String,
        /// Who asked: the person (default) or the clerk taking the request for them
        #[arg(long, default_value = "本人 / the person")]
        by: String,
    },
    /// List requests (all, or one person's, or by status)
    List {
        #[arg(long)]
        id_number: Option<String>,
        /// open, accepted or rejected
        #[arg(long)]
        status: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Accept (and apply to the record) or reject an open request, with a note
    Decide {
        id: i64,
        #[arg(long, conflicts_with = "reject", required_unless_present = "reject")]
        accept: bool,
        #[arg(long)]
        reject: bool,
        #[arg(long)]
        note: String,
    },
}

async fn person_id(app: &App, id_number: &str) -> Result<i64> {
    let n = id_number.trim().to_ascii_uppercase();
    match persons::ids_by_id_number(&app.db, &[n.as_str()]).await?.get(&n) {
        Some(&id) => Ok(id),
        None => bail!("没有登记此证件号码的人员 / no person is registered with this identity number"),
    }
}

pub async fn run(app: &App, command: &PersonCommand) -> Result<ExitCode> {
    let actor = cli_actor();
    let all = Scope::all();
    match command {
        PersonCommand::Export { id_number, out } => {
            let id = person_id(app, id_number).await?;
            let data = personal_data::export(app, &actor, &all, id).await?;
            match out {
                Some(path) => {
                    personal_data::write(&data, path)?;
                    eprintln!(
                        "已导出 {} 的个人信息（含完整证件号码）/ {}'s personal data written (with the full identity \
                         number): {}",
                        data.person.name,
                        data.person.name,
                        path.display()
                    );
                }
                None => println!("{}", serde_json::to_string_pretty(&data)?),
            }
        }
        PersonCommand::Correction { command: CorrectionCommand::Request { id_number, field, value, reason, by } } => {
            let person_id = person_id(app, id_number).await?;
            let r = Request { person_id, field, proposed: value, reason, requested_by: by };
            let id = personal_data::request_correction(app, &actor, &all, &r).await?;
            println!("已记录更正请求 {id} / correction request {id} recorded");
        }
        PersonCommand::Correction { command: CorrectionCommand::List { id_number, status, format } } => {
            let person = match id_number {
                Some(n) => Some(person_id(app, n).await?),
                None => None,
            };
            let list = corrections::list(&app.db, person, status.as_deref()).await?;
            if *format == Format::Json {
                println!("{}", serde_json::to_string_pretty(&list)?);
            } else {
                for c in &list {
                    let zh = FIELDS.iter().find(|(f, _)| *f == c.field).map_or("", |(_, zh)| zh);
                    println!(
                        "{:>6} {:<9} {} {} → {} ({}) {}",
                        c.id,
                        c.status,
                        zh,
                        c.field,
                        c.proposed,
                        c.requested_by,
                        c.decision_note.as_deref().unwrap_or("")
                    );
                }
            }
        }
        PersonCommand::Correction { command: CorrectionCommand::Decide { id, accept, note, .. } } => {
            let d = personal_data::decide_correction(app, &actor, *id, *accept, note).await?;
            match (d.accepted, d.applied) {
                (true, true) => println!("已接受并更正记录 / accepted; the record is corrected"),
                (true, false) => {
                    println!("已接受；此项须经相应流程更正 / accepted; correct it through the process it concerns")
                }
                _ => println!("已拒绝 / rejected"),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
