//! `gongjiang subsidy`: 免申即享 — who is entitled city-wide, claims made for them without an
//! application — and the claim workflow (district review, public notice and objections,
//! approval, payment).

use std::io::Write;

use anyhow::{Context, Result};
use clap::Subcommand;
use gongjiang_app::App;
use gongjiang_domain::dates::parse_date;
use time::Date;

use crate::output::OutputFormat;
use crate::security;

#[derive(Subcommand)]
pub enum SubsidyCommand {
    /// Everyone entitled on a day (id_number, occupation, level, obtained_on, amount), streamed
    Eligible {
        /// The scheme id of the policy, e.g. skill-upgrade
        #[arg(long)]
        scheme: String,
        /// Default: today
        #[arg(long)]
        on: Option<String>,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// Make a claim for every entitlement of the day (running it again makes none); with
    /// --id-number, for one person on their (or their employer's) request
    Claim {
        #[arg(long)]
        scheme: String,
        /// Only this registered person (route `application`)
        #[arg(long)]
        id_number: Option<String>,
        #[arg(long)]
        on: Option<String>,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// What a scheme paid by district and month, what it owes, what is to be recovered
    Spend {
        #[arg(long)]
        scheme: String,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// List claims (oldest first)
    Claims {
        #[arg(long)]
        scheme: Option<String>,
        /// in_review, in_notice, approved, rejected, paid, withdrawn
        #[arg(long)]
        status: Option<String>,
        /// Only claims whose certificate was revoked after payment (to recover)
        #[arg(long)]
        recovery: bool,
        #[arg(long, default_value_t = 100)]
        limit: i64,
    },
    /// District review of a claim: --approve starts the public notice, --reject ends it
    Review {
        claim: i64,
        #[arg(long, conflicts_with = "reject", required_unless_present = "reject")]
        approve: bool,
        #[arg(long)]
        reject: bool,
        #[arg(long)]
        on: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Lodge an objection during the public notice
    Object {
        claim: i64,
        #[arg(long)]
        by: String,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        on: Option<String>,
    },
    /// Resolve an objection: --uphold rejects the claim, --dismiss lets it go on
    Resolve {
        objection: i64,
        #[arg(long, conflicts_with = "dismiss", required_unless_present = "dismiss")]
        uphold: bool,
        #[arg(long)]
        dismiss: bool,
        #[arg(long)]
        on: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Approve a claim after its public notice, with no objection open
    Approve {
        claim: i64,
        #[arg(long)]
        on: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Record the payment of an approved claim (the payer's reference)
    Pay {
        claim: i64,
        #[arg(long)]
        reference: String,
        #[arg(long)]
        on: Option<String>,
    },
}

fn day(app: &App, on: &Option<String>) -> Result<Date> {
    match on {
        Some(d) => parse_date(d).with_context(|| format!("不是有效日期 / not a valid date: {d}")),
        None => Ok(app.today()),
    }
}

pub async fn run(app: &App, command: &SubsidyCommand) -> Result<std::process::ExitCode> {
    let actor = security::cli_actor();
    // The command line acts for the city: every district.
    let all = gongjiang_domain::access::Scope::all();
    match command {
        SubsidyCommand::Eligible { scheme, on, format } => {
            let on = day(app, on)?;
            let json = *format == OutputFormat::Json;
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let mut first = true;
            if json {
                write!(out, "[")?;
            }
            let mut sink = |page: &[gongjiang_app::subsidy::Entitled]| -> Result<(), gongjiang_app::AppError> {
                for e in page {
                    let line = if json {
                        let sep = if first { "\n" } else { ",\n" };
                        format!("{sep}{}", serde_json::to_string(e).map_err(|e| std::io::Error::other(e.to_string()))?)
                    } else {
                        format!(
                            "{}\t{}\t{}\t{}\t{}\n",
                            e.id_number, e.occupation, e.level_name, e.obtained_on, e.amount
                        )
                    };
                    first = false;
                    out.write_all(line.as_bytes())?;
                }
                Ok(())
            };
            let s = gongjiang_app::subsidy::eligible(app, scheme, on, &mut sink).await?;
            if json {
                writeln!(out, "\n]")?;
            }
            out.flush()?;
            eprintln!(
                "核查 checked {} 人/persons，应享 entitled {}，合计 total ¥{}",
                s.persons_checked, s.entitled, s.amount
            );
        }
        SubsidyCommand::Claim { scheme, id_number, on, format } => {
            let on = day(app, on)?;
            let s = match id_number {
                Some(id) => gongjiang_app::subsidy::claim_for(app, &actor, scheme, id.trim(), on).await?,
                None => gongjiang_app::subsidy::claim(app, &actor, scheme, on).await?,
            };
            if *format == OutputFormat::Json {
                println!("{}", serde_json::to_string(&s)?);
            } else {
                println!(
                    "核查 checked {}，应享 entitled {}（¥{}），新建申领 claims created {}",
                    s.persons_checked, s.entitled, s.amount, s.claims_created
                );
            }
        }
        SubsidyCommand::Spend { scheme, format } => {
            let r = gongjiang_app::subsidy::spend(app, scheme, None).await?;
            if *format == OutputFormat::Json {
                println!("{}", serde_json::to_string(&r)?);
            } else {
                println!("区 district\t月 month\t笔数 claims\t已发放 paid (¥)");
                for row in &r.paid {
                    println!("{} {}\t{}\t{}\t{}", row.district, row.district_name, row.month, row.claims, row.paid);
                }
                println!("待发放 owed: {} 笔/claims, ¥{}", r.owed_claims, r.owed);
                println!("待追回 to recover: {} 笔/claims, ¥{}", r.recovery_claims, r.recovery);
            }
        }
        SubsidyCommand::Claims { scheme, status, recovery, limit } => {
            let f = gongjiang_store::benefits::ClaimFilter {
                scheme: scheme.clone(),
                status: status.clone(),
                district_code: None,
                districts: None,
                recovery_due: *recovery,
            };
            for c in gongjiang_store::benefits::list(&app.db, &f, *limit).await? {
                // The claim's number (for review, approve, pay) beside what the row says.
                let mut v = serde_json::to_value(&c)?;
                v["claim"] = serde_json::json!(c.id);
                println!("{v}");
            }
        }
        SubsidyCommand::Review { claim, approve, on, note, .. } => {
            gongjiang_app::subsidy::review(app, &actor, &all, *claim, *approve, day(app, on)?, note).await?;
        }
        SubsidyCommand::Object { claim, by, reason, on } => {
            let id = gongjiang_app::subsidy::object(app, &actor, &all, *claim, day(app, on)?, by, reason).await?;
            println!("异议 objection {id}");
        }
        SubsidyCommand::Resolve { objection, uphold, on, note, .. } => {
            gongjiang_app::subsidy::resolve_objection(app, &actor, &all, *objection, *uphold, day(app, on)?, note)
                .await?;
        }
        SubsidyCommand::Approve { claim, on, note } => {
            gongjiang_app::subsidy::approve(app, &actor, &all, *claim, day(app, on)?, note).await?;
        }
        SubsidyCommand::Pay { claim, reference, on } => {
            gongjiang_app::subsidy::pay(app, &actor, &all, *claim, day(app, on)?, reference).await?;
        }
    }
    Ok(std::process::ExitCode::SUCCESS)
}
