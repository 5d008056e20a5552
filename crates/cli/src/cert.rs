//! `gongjiang cert …`: verify a signed certificate offline, change a certificate's status,
//! print its PDF, sign what is unsigned, and manage the issuer's keyring.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use gongjiang_app::credentials::{Issuing, certificate_pdf};
use gongjiang_app::evaluation::certificates;
use gongjiang_app::{App, AppError};
use gongjiang_credentials::{IssuerKey, Keyring, did_web_document};
use gongjiang_domain::dates::parse_date;

use crate::issuer_keyring::{KeyOptions, keys_dir, load_keyring};
use crate::output::OutputFormat;
use serde_json::Value;
use time::OffsetDateTime;

#[derive(Subcommand)]
pub enum CertCommand {
    /// Verify a signed certificate credential (JSON) offline: signature, issuer, dates and, with
    /// --status-list, revocation. Exit 0 valid, 1 not valid (reasons printed), 3 signature valid
    /// but revocation not checked
    Verify {
        file: PathBuf,
        /// A signed status list credential (as served at /credentials/status/revocation) to check revocation
        #[arg(long, value_name = "FILE")]
        status_list: Option<PathBuf>,
    },
    /// Revoke a certificate (final); its level in the holder's history is revoked too
    Revoke(StatusChange),
    /// Suspend a certificate
    Suspend(StatusChange),
    /// Lift a suspension
    Reinstate(StatusChange),
    /// Write a certificate's PDF (A4, with the QR code of its verification page)
    Pdf {
        number: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// Sign every certificate that has no credential yet (idempotent)
    Sign,
    /// List certificates (number, holder masked, occupation, level, issue date, status): a
    /// person's, a session's, or the latest
    List {
        /// The holder's identity number
        #[arg(long, value_name = "ID_NUMBER")]
        person: Option<String>,
        /// An evaluation session's number
        #[arg(long, value_name = "N")]
        session: Option<i64>,
        /// At most this many (the latest first) when neither --person nor --session is given
        #[arg(long, default_value_t = 100)]
        limit: i64,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// Write a certificate's signed credential (JSON) to a file (owner-only)
    Export {
        number: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// The issuer's keyring (folder of key files; see docs/CREDENTIALS.md)
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
}

#[derive(clap::Args)]
pub struct StatusChange {
    number: String,
    #[arg(long)]
    reason: String,
    /// Effective date (YYYY-MM-DD); default today
    #[arg(long)]
    on: Option<String>,
}

#[derive(Subcommand)]
pub enum KeysCommand {
    /// Create the keyring folder with a first key (refused if it holds keys already)
    Init,
    /// Add a new key and make it active; old keys keep verifying what they signed
    Rotate,
    /// Print the did.json to publish at https://DOMAIN/.well-known/did.json
    DidWeb { domain: String },
}

/// The issuer for `app`: the given folder must hold keys; the default one is created with a
/// first key on first use.
pub fn issuing(issuer_keys: Option<&Path>, db_url: &str, did_web: Option<&str>, public_url: &str) -> Result<Issuing> {
    let Some(dir) = keys_dir(issuer_keys, db_url) else {
        bail!(
            "签发证书需要密钥环：请用 --issuer-keys 或环境变量 GONGJIANG_ISSUER_KEYS 指定目录 / \
             signing certificates needs a keyring: give --issuer-keys or GONGJIANG_ISSUER_KEYS"
        );
    };
    Issuing::open_dir(&dir, issuer_keys.is_none(), did_web, public_url)
        .with_context(|| format!("issuer keyring {}", dir.display()))
}

/// `app` is awaited only by the subcommands that need the database.
pub async fn run(
    ctx: &KeyOptions<'_>,
    app: impl std::future::Future<Output = Result<App>>,
    command: &CertCommand,
) -> Result<ExitCode> {
    let refusal = |e: AppError| match e {
        AppError::Invalid(m) | AppError::NotFound(m) | AppError::BadFile(m) => {
            eprintln!("{m}");
            Ok(ExitCode::from(1))
        }
        e => Err(anyhow::Error::from(e)),
    };
    match command {
        CertCommand::Verify { file, status_list } => verify_offline(ctx, file, status_list.as_deref()),
        CertCommand::Revoke(c) | CertCommand::Suspend(c) | CertCommand::Reinstate(c) => {
            let app = app.await?;
            let on = match &c.on {
                Some(text) => parse_date(text).with_context(|| format!("--on {text}: not a date"))?,
                None => app.today(),
            };
            let done = match command {
                CertCommand::Revoke(_) => {
                    certificates::revoke(&app, &crate::security::cli_actor(), &c.number, &c.reason, on).await
                }
                CertCommand::Suspend(_) => {
                    certificates::suspend(&app, &crate::security::cli_actor(), &c.number, &c.reason, on).await
                }
                _ => certificates::reinstate(&app, &crate::security::cli_actor(), &c.number, &c.reason, on).await,
            };
            match done {
                Ok(()) => {
                    println!("已更新 / updated: {}", c.number);
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => refusal(e),
            }
        }
        CertCommand::List { person, session, limit, format } => {
            let app = app.await?;
            let db = &app.db;
            let found = match (person, session) {
                (Some(id), _) => match gongjiang_store::persons::by_id_number(db, id.trim()).await? {
                    Some(p) => gongjiang_store::certificates::for_person(db, p.id).await?,
                    None => Vec::new(),
                },
                (None, Some(s)) => gongjiang_store::certificates::for_session(db, *s).await?,
                (None, None) => gongjiang_store::certificates::latest(db, (*limit).clamp(1, 100_000)).await?,
            };
            print_certificates(&found, *format)?;
            Ok(ExitCode::SUCCESS)
        }
        CertCommand::Export { number, out } => {
            let app = app.await?;
            let Some(c) = gongjiang_store::certificates::by_number(&app.db, number.trim()).await? else {
                eprintln!("没有编号为 {number} 的证书 / no certificate numbered {number}");
                return Ok(ExitCode::from(1));
            };
            let Some(credential) = c.credential else {
                eprintln!(
                    "证书 {number} 尚未签名：请先运行 gongjiang cert sign / certificate {number} is not signed yet: run gongjiang cert sign"
                );
                return Ok(ExitCode::from(1));
            };
            let mut file = gongjiang_tabular::create_private(out).with_context(|| out.display().to_string())?;
            std::io::Write::write_all(&mut file, credential.as_bytes())?;
            println!("已写入 / written: {}", out.display());
            Ok(ExitCode::SUCCESS)
        }
        CertCommand::Pdf { number, out } => {
            let app = app.await?;
            let Some(c) = gongjiang_store::certificates::by_number(&app.db, number.trim()).await? else {
                eprintln!("没有编号为 {number} 的证书 / no certificate numbered {number}");
                return Ok(ExitCode::from(1));
            };
            let url = match &app.credentials {
                Some(i) => i.verification_url(c.public_id),
                None => format!("{}/v/{}", gongjiang_app::credentials::DEFAULT_PUBLIC_URL, c.public_id),
            };
            match certificate_pdf(&c, &url) {
                Ok(bytes) => {
                    let mut file =
                        gongjiang_tabular::create_private(out).with_context(|| format!("writing {}", out.display()))?;
                    std::io::Write::write_all(&mut file, &bytes)?;
                    println!("已写入 / written: {}", out.display());
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => refusal(e),
            }
        }
        CertCommand::Sign => {
            let app = app.await?;
            let Some(issuing) = app.credentials.clone() else { bail!("no issuer keyring") };
            let n = issuing.sign_missing(&app.db).await?;
            println!("已签名 / signed: {n}");
            Ok(ExitCode::SUCCESS)
        }
        CertCommand::Keys { command } => keys(ctx, command),
    }
}

fn keys(ctx: &KeyOptions<'_>, command: &KeysCommand) -> Result<ExitCode> {
    let Some(dir) = keys_dir(ctx.issuer_keys, ctx.db_url) else { bail!("give --issuer-keys DIR") };
    match command {
        KeysCommand::Init => {
            if dir.exists() && Keyring::load_dir(&dir).is_ok_and(|r| !r.trusted().is_empty()) {
                eprintln!("密钥环已存在 / the keyring exists already: {}", dir.display());
                return Ok(ExitCode::from(1));
            }
            std::fs::create_dir_all(&dir)?;
            let key = IssuerKey::generate().map_err(|e| anyhow::anyhow!("{}", e.message()))?;
            let path = Keyring::rotate_dir(&dir, &key).map_err(|e| anyhow::anyhow!("{}", e.message()))?;
            println!("{}\n{}", path.display(), key.did_key());
        }
        KeysCommand::Rotate => {
            let key = IssuerKey::generate().map_err(|e| anyhow::anyhow!("{}", e.message()))?;
            let path = Keyring::rotate_dir(&dir, &key).map_err(|e| anyhow::anyhow!("{}", e.message()))?;
            println!("{}\n{}", path.display(), key.did_key());
        }
        KeysCommand::DidWeb { domain } => {
            let ring = Keyring::load_dir(&dir).map_err(|e| anyhow::anyhow!("{}", e.message()))?;
            println!("{}", serde_json::to_string_pretty(&did_web_document(domain, ring.trusted()))?);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn read_json(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{}: not JSON", path.display()))
}

/// The exit code of a credential whose signature holds but whose status was not checked.
pub const UNCONFIRMED: u8 = 3;

/// Verifies with the keyring only (no database, no network): proof, trusted issuer, dates, and
/// the revocation bit when a signed status list file is given.
fn verify_offline(ctx: &KeyOptions<'_>, file: &Path, status_list: Option<&Path>) -> Result<ExitCode> {
    let ring = load_keyring(ctx)?;
    let doc = read_json(file)?;
    let list = status_list.map(read_json).transpose()?;
    let verdict = gongjiang_app::credentials::verify_offline(&doc, &ring, list.as_ref(), OffsetDateTime::now_utc())?;
    for n in &verdict.notes {
        eprintln!("注意 / note: {n}");
    }
    let (number, problems) = (verdict.number, verdict.problems);
    if problems.is_empty() && verdict.status_checked {
        println!("有效 / valid: {number}");
        Ok(ExitCode::SUCCESS)
    } else if problems.is_empty() {
        // Not "valid": a revoked certificate has a perfectly good signature.
        println!(
            "未核实 / unconfirmed: {number}：签名有效，但未核实是否已撤销（请用 --status-list 提供签发机构发布的状态列表）/ the signature holds, but revocation was NOT checked (give the issuer's status list with --status-list)"
        );
        Ok(ExitCode::from(UNCONFIRMED))
    } else {
        println!("无效 / not valid: {number}");
        for p in problems {
            println!("  {p}");
        }
        Ok(ExitCode::from(1))
    }
}

/// The certificates as a table, CSV or JSON: the holder's number masked.
fn print_certificates(list: &[gongjiang_store::certificates::Certificate], format: OutputFormat) -> Result<()> {
    use gongjiang_domain::identifier::mask_identity;
    if format == OutputFormat::Json {
        let rows: Vec<Value> = list
            .iter()
            .map(|c| {
                serde_json::json!({
                    "number": c.number, "holder": c.holder_name, "id_number": mask_identity(&c.id_number),
                    "occupation": c.occupation_code, "occupation_name": c.occupation_name, "level": c.level_text,
                    "issued_on": gongjiang_domain::dates::iso(c.issue_date), "status": c.status,
                    "signed": c.credential.is_some(),
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    let headers = [
        "证书编号 number",
        "姓名 holder",
        "身份证号 id_number",
        "职业 occupation",
        "等级 level",
        "发证日期 issued_on",
        "状态 status",
    ];
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|c| {
            vec![
                c.number.clone(),
                c.holder_name.clone(),
                mask_identity(&c.id_number),
                format!("{} {}", c.occupation_code, c.occupation_name),
                c.level_text.clone(),
                gongjiang_domain::dates::iso(c.issue_date),
                c.status.clone(),
            ]
        })
        .collect();
    println!("{}", headers.join("\t"));
    for r in rows {
        println!("{}", r.join("\t"));
    }
    println!("共 {} 张 / {} certificates", list.len(), list.len());
    Ok(())
}
