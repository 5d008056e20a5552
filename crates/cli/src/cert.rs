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

/// Where the keyring is: `--issuer-keys`, or the default folder beside the SQLite file.
pub fn keys_dir(issuer_keys: Option<&Path>, db_url: &str) -> Option<PathBuf> {
    issuer_keys.map(Path::to_path_buf).or_else(|| gongjiang_app::credentials::default_keys_dir(db_url))
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

pub struct KeyOptions<'a> {
    pub issuer_keys: Option<&'a Path>,
    pub db_url: &'a str,
    pub did_web: Option<&'a str>,
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
                    std::fs::write(out, bytes).with_context(|| format!("writing {}", out.display()))?;
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
    let Some(dir) = keys_dir(ctx.issuer_keys, ctx.db_url) else { bail!("give --issuer-keys DIR") };
    let mut ring = Keyring::load_dir(&dir)
        .map_err(|e| anyhow::anyhow!("{}", e.message()))
        .with_context(|| format!("keyring {}", dir.display()))?;
    if let Some(domain) = ctx.did_web {
        ring = ring.with_did_web(domain);
    }
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
