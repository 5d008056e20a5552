//! `gongjiang`: the one binary — the HTTP service, imports and exports, demo data, eligibility
//! decisions and validators for the identifiers the registry lives on.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use gongjiang_app::App;

mod backup;
mod benefits;
mod cert;
mod competition;
mod demo;
mod eligibility;
mod evaluation;
mod export;
mod import;
mod issuer_keyring;
mod kpi;
mod occupations;
mod output;
mod person;
mod policy;
mod security;
mod serve;
mod subsidy;
mod supply;
mod training;
mod validate;

#[derive(Parser)]
#[command(
    name = "gongjiang",
    version,
    about = "工匠：城市技能人才队伍信息系统 / gongjiang: a city's skilled-talent workforce registry",
    long_about = "工匠 gongjiang — 技能人才登记、职业技能等级、申报资格判断与政策数据。\n\
                  The registry of a city's skilled workers and their levels on the eight-level ladder, \
                  eligibility decisions with explanations, and policy as data."
)]
struct Cli {
    /// Database URL: sqlite://FILE (embedded, the default) or postgres://USER@HOST/DB; a bare
    /// file path means that SQLite file
    #[arg(long, global = true, env = "GONGJIANG_DB", default_value = "sqlite://gongjiang.db", value_parser = db_url)]
    db: String,
    /// Policy file (TOML); default: the shipped Tianjin policy
    #[arg(long, global = true, env = "GONGJIANG_POLICY")]
    policy: Option<PathBuf>,
    /// The personal-data key file (identity numbers are stored encrypted with it; keep it outside
    /// the database and back it up apart); default: `pii-keys.toml` beside the SQLite file,
    /// created on first use. Required with PostgreSQL (create it with `gongjiang keys init`).
    #[arg(long, global = true, env = "GONGJIANG_KEYS", value_name = "FILE")]
    keys: Option<PathBuf>,
    /// The issuer's keyring folder (signing and verifying certificates); default: `issuer-keys`
    /// beside the SQLite file, created with a first key on first use. Required with PostgreSQL.
    #[arg(long, global = true, env = "GONGJIANG_ISSUER_KEYS")]
    issuer_keys: Option<PathBuf>,
    /// The city's domain for a did:web issuer (publish /.well-known/did.json there); default did:key
    #[arg(long, global = true, env = "GONGJIANG_DID_WEB")]
    did_web: Option<String>,
    /// Public address of this server, written into credentials and QR codes (verification page,
    /// status lists); an https:// address also makes the session cookie `Secure`
    /// (`__Host-gongjiang_session`). Default: the address `serve --addr` listens on, else
    /// http://127.0.0.1:8080
    #[arg(long, global = true, env = "GONGJIANG_PUBLIC_URL")]
    public_url: Option<String>,
    /// Cryptosuite of new credentials: jcs (eddsa-jcs-2022, default: fast, every JSON byte signed)
    /// or rdfc (eddsa-rdfc-2022, for wallets that only speak it)
    #[arg(long, global = true, env = "GONGJIANG_CREDENTIAL_SUITE", default_value = "jcs", value_parser = ["jcs", "rdfc"])]
    credential_suite: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web application and the HTTP API (pages at /, JSON under /api/v1, OpenAPI at
    /// /api/openapi.json, docs at /api/docs)
    Serve(serve::ServeArgs),
    /// Generate a realistic synthetic Tianjin (deterministic for a seed) into the database, or as CSV files
    Demo(demo::DemoArgs),
    /// Import a CSV or XLSX file (English or Chinese headers); bad rows go to an error report
    Import(import::ImportArgs),
    /// Export the registry to CSV or XLSX (Chinese headers unless --headers en)
    Export(export::ExportArgs),
    /// May this person apply for LEVEL? Prints the decision and exactly why. With --all: how many
    /// registered persons may, city-wide and by district
    Eligibility(eligibility::EligibilityArgs),
    /// What a person is entitled to on a day (技能提升补贴, 海河英才 …), scheme by scheme, and why
    Benefits(benefits::BenefitsArgs),
    /// 免申即享: who is entitled city-wide, claims made for them, and the claim workflow
    Subsidy {
        #[command(subcommand)]
        command: subsidy::SubsidyCommand,
    },
    /// KPI figures as of a date: skilled share of employed persons, high-skilled share of skilled,
    /// against the policy's targets; one row per group plus the city `total`
    Kpi(kpi::KpiArgs),
    /// Reported demand against holders of each level (or above), per occupation × level ×
    /// district or chain, ranked by gap; with --forecast, the gap projected and the training
    /// per year that closes it
    SupplyGap(supply::SupplyGapArgs),
    /// The shortage list (急需紧缺职业目录) of a period, as the bureau publishes it (XLSX)
    ShortageList(supply::ShortageListArgs),
    /// 终身职业技能培训 / Training: programmes' enrolments and learning hours
    Training {
        #[command(subcommand)]
        command: training::TrainingCommand,
    },
    /// Check an identity number, credit code or certificate number; exit 0 if valid, 1 if not
    Validate(validate::ValidateArgs),
    /// Policy files
    Policy {
        #[command(subcommand)]
        command: policy::PolicyCommand,
    },
    /// Certificates: verify a signed credential offline, revoke/suspend/reinstate, PDF, keys
    Cert {
        #[command(subcommand)]
        command: cert::CertCommand,
    },
    /// 职业技能等级认定 / Skill-level evaluation: institutions, sessions, applications, examiners,
    /// scores, publicity and objections, finalisation
    Evaluation {
        #[command(subcommand)]
        command: evaluation::EvaluationCommand,
    },
    /// 职业技能竞赛 / Competitions scored in gongjiang: set-up, judges, entrants, marking into a
    /// hash-chained ledger, sign-off, standings on the WorldSkills scale, publishing (以赛代评)
    Competition {
        #[command(subcommand)]
        command: competition::CompetitionCommand,
    },
    /// Load another edition of the occupational classification (CSV/XLSX: code,name[,level,parent,gbm])
    Occupations(occupations::OccupationsArgs),
    /// Accounts: add users (the first city administrator needs no grantor), grant and revoke roles, list
    User {
        #[command(subcommand)]
        command: security::UserCommand,
    },
    /// API tokens for systems that push data: create (shown once), revoke, list
    Token {
        #[command(subcommand)]
        command: security::TokenCommand,
    },
    /// The hash-chained audit trail: verify it, search it
    Audit {
        #[command(subcommand)]
        command: security::AuditCommand,
    },
    /// A person's data: a copy of everything held about them (查询/复制), correction requests
    /// (记录更正请求)
    Person {
        #[command(subcommand)]
        command: person::PersonCommand,
    },
    /// A consistent copy of the SQLite database while the service runs (owner-only file); back
    /// the key files up with it
    Backup { file: PathBuf },
    /// Put a backup in place of the SQLite database (stop the service first; --yes to confirm)
    Restore {
        file: PathBuf,
        #[arg(long)]
        yes: bool,
    },
    /// The personal-data key file (kept outside the database): create, rotate, re-encrypt
    Keys {
        #[command(subcommand)]
        command: security::KeysCommand,
    },
}

/// Ends the process quietly when its output is closed early (`gongjiang kpi | head`), as a
/// command-line tool should, instead of panicking at the next `println!`. Not for `serve`: a
/// service outlives a closed log pipe (sockets are written with `MSG_NOSIGNAL` either way).
fn exit_quietly_on_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of SIGPIPE before any thread is started; the
    // Rust runtime set it to "ignore" and nothing in this program relies on that.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// `--db` as a URL: a bare file path (`city.db`, `./data/city.sqlite`) names a SQLite file.
fn db_url(arg: &str) -> Result<String, String> {
    Ok(if arg.contains("://") || arg.starts_with("sqlite:") { arg.to_string() } else { format!("sqlite://{arg}") })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve(_)) {
        exit_quietly_on_closed_pipe();
    }
    tracing_subscriber::fmt()
        // sqlx reports every statement over a second at WARN; a bulk load's index rebuilds are
        // expected to take that long, so only its errors reach a user's terminal.
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("GONGJIANG_LOG")
                .unwrap_or_else(|_| "info,sqlx::query=error".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cannot start: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误 / error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Opens the app; with the issuer configured when a keyring is available (always with SQLite,
/// whose default folder is created on first use; with PostgreSQL only when `--issuer-keys` is
/// given).
async fn open(cli: &Cli) -> Result<App> {
    let mut app = App::open_with(&cli.db, cli.policy.as_deref(), &pii_keys(cli))
        .await
        .with_context(|| format!("opening {}", cli.db))?;
    if issuer_keyring::keys_dir(cli.issuer_keys.as_deref(), &cli.db).is_some() {
        let mut issuing = cert::issuing(cli.issuer_keys.as_deref(), &cli.db, cli.did_web.as_deref(), &public_url(cli))?;
        if cli.credential_suite == "rdfc" {
            issuing = issuing.with_suite(gongjiang_credentials::Suite::EddsaRdfc2022);
        }
        app.credentials = Some(std::sync::Arc::new(issuing));
    }
    Ok(app)
}

/// The public address written into credentials: `--public-url`, else where `serve` listens (so
/// a demo's QR codes and status lists work as printed; a wildcard address becomes loopback),
/// else the default.
fn public_url(cli: &Cli) -> String {
    match (&cli.public_url, &cli.command) {
        (Some(url), _) => url.trim_end_matches('/').to_string(),
        (None, Command::Serve(args)) if args.addr.ip().is_unspecified() => {
            format!("http://127.0.0.1:{}", args.addr.port())
        }
        (None, Command::Serve(args)) => format!("http://{}", args.addr),
        (None, _) => gongjiang_app::credentials::DEFAULT_PUBLIC_URL.to_string(),
    }
}

/// Where the personal-data keys come from: `--keys`, or the default beside the SQLite file.
fn pii_keys(cli: &Cli) -> gongjiang_app::pii_keys::Keys {
    match &cli.keys {
        Some(p) => gongjiang_app::pii_keys::Keys::File(p.clone()),
        None => gongjiang_app::pii_keys::Keys::Default,
    }
}

async fn run(cli: Cli) -> Result<ExitCode> {
    match &cli.command {
        Command::Validate(args) => Ok(validate::run(args)),
        Command::Policy { command } => Ok(policy::run(command)),
        Command::Serve(args) => {
            if cli.public_url.is_none() && args.addr.ip().is_unspecified() {
                eprintln!(
                    "注意：证书二维码与状态列表地址为 {url}，其他设备无法访问；请用 --public-url 指定对外地址 / note: QR codes and status lists point to {url}, which other devices cannot reach; give --public-url",
                    url = public_url(&cli)
                );
            }
            serve::run(args, public_url(&cli).starts_with("https://"), open(&cli)).await
        }
        Command::Demo(args) => demo::run(args, cli.policy.as_deref(), open(&cli)).await,
        Command::Import(args) => import::run(args, open(&cli)).await,
        Command::Evaluation { command } => evaluation::run(&open(&cli).await?, command).await,
        Command::Competition { command } => competition::run(&open(&cli).await?, command).await,
        Command::Cert { command } => {
            let ctx = issuer_keyring::KeyOptions {
                issuer_keys: cli.issuer_keys.as_deref(),
                db_url: &cli.db,
                did_web: cli.did_web.as_deref(),
            };
            cert::run(&ctx, open(&cli), command).await
        }
        Command::Export(args) => export::run(args, open(&cli)).await,
        Command::Eligibility(args) => eligibility::run(args, open(&cli)).await,
        Command::Kpi(args) => kpi::run(args, open(&cli)).await,
        Command::Benefits(args) => benefits::run(args, open(&cli)).await,
        Command::Subsidy { command } => subsidy::run(&open(&cli).await?, command).await,
        Command::SupplyGap(args) => {
            supply::supply_gap(&open(&cli).await?, args).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::ShortageList(args) => {
            supply::shortage_list(&open(&cli).await?, args).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Training { command } => {
            training::run(&open(&cli).await?, command).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Occupations(args) => occupations::run(args, open(&cli)).await,
        Command::User { command } => security::user(&cli.db, cli.keys.as_deref(), command).await,
        Command::Token { command } => security::token(&cli.db, cli.keys.as_deref(), command).await,
        Command::Audit { command } => {
            let ctx = issuer_keyring::KeyOptions {
                issuer_keys: cli.issuer_keys.as_deref(),
                db_url: &cli.db,
                did_web: cli.did_web.as_deref(),
            };
            security::audit_cmd(&ctx, command).await
        }
        Command::Person { command } => person::run(&open(&cli).await?, command).await,
        Command::Keys { command } => security::keys(&cli.db, cli.keys.as_deref(), command).await,
        Command::Backup { file } => backup::backup(&cli.db, file).await,
        Command::Restore { file, yes } => backup::restore(&cli.db, file, *yes).await,
    }
}
