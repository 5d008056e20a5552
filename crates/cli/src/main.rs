//! `gongjiang`: the one binary — the HTTP service, imports and exports, demo data, eligibility
//! decisions and validators for the identifiers the registry lives on.

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use gongjiang_app::export::HeaderLanguage;
use gongjiang_app::import::{ImportOptions, Kind};
use gongjiang_app::{App, AppError};
use gongjiang_domain::bilingual::{Explain, Msg};
use gongjiang_domain::certificate_no::CertificateNo;
use gongjiang_domain::dates::{iso, parse_date};
use gongjiang_domain::id_number::IdNumber;
use gongjiang_domain::kpi::{Grouping, fmt_fraction};
use gongjiang_domain::uscc::Uscc;
use indicatif::{ProgressBar, ProgressStyle};

mod cert;
mod evaluation;
mod person;
mod security;
mod supply;

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
    /// Database URL: sqlite://FILE (embedded, the default) or postgres://USER@HOST/DB
    #[arg(long, global = true, env = "GONGJIANG_DB", default_value = "sqlite://gongjiang.db")]
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
    /// Public address of this server, written into credentials (verification page, status lists);
    /// an https:// address also makes the session cookie `Secure` (`__Host-gongjiang_session`)
    #[arg(long, global = true, env = "GONGJIANG_PUBLIC_URL", default_value = gongjiang_app::credentials::DEFAULT_PUBLIC_URL)]
    public_url: String,
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
    Serve {
        /// Address to listen on
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// Load demo data first if the database has no persons yet
        #[arg(long)]
        demo: bool,
        /// Persons to generate with --demo
        #[arg(long, default_value_t = 20_000)]
        demo_persons: u64,
        /// Public endpoints (certificate verification): sustained requests per minute per client address
        #[arg(long, default_value_t = 60)]
        public_rate: u32,
        /// Public endpoints: requests a client may make at once
        #[arg(long, default_value_t = 20)]
        public_burst: u32,
        /// Sign-in attempts per minute per client address (each account also locks after 5 failures)
        #[arg(long, default_value_t = gongjiang_web::rate_limit::PublicRate::SIGN_IN.per_minute)]
        sign_in_rate: u32,
        /// Address of a reverse proxy in front of the service whose X-Forwarded-For names the
        /// client (repeat, or separate with commas); the audit trail and rate limits then see the real client
        #[arg(long, env = "GONGJIANG_TRUSTED_PROXIES", value_delimiter = ',')]
        trusted_proxy: Vec<std::net::IpAddr>,
        /// Do not publish the skills statistics page (/public/kpi) to visitors without sign-in
        #[arg(long)]
        no_public_kpi: bool,
    },
    /// Generate a realistic synthetic Tianjin (deterministic for a seed) into the database, or as CSV files
    Demo {
        /// Number of persons
        #[arg(long, default_value_t = 20_000)]
        persons: u64,
        /// Random seed: the same seed gives the same city
        #[arg(long, default_value_t = 2025)]
        seed: u64,
        /// Write orgs.csv, persons.csv, levels.csv, employment.csv, statistics.csv, demand.csv into DIR instead of the database
        #[arg(long, value_name = "DIR")]
        csv: Option<PathBuf>,
    },
    /// Import a CSV or XLSX file (English or Chinese headers); bad rows go to an error report
    Import {
        /// What the file holds (columns: see README or `docs/ARCHITECTURE.md`)
        kind: ImportKind,
        /// A .csv (UTF-8 or GB18030) or .xlsx file whose first row is the header
        file: PathBuf,
        /// Write rejected rows (line, column, value, reason in Chinese and English) to this CSV/XLSX file
        #[arg(long, value_name = "FILE")]
        errors: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
        /// Rows per transaction (an interrupted import loses at most one; run it again to finish)
        #[arg(long, default_value_t = 50_000)]
        batch: usize,
    },
    /// Export the registry to CSV or XLSX (Chinese headers unless --headers en)
    Export {
        /// What to export
        kind: ExportKind,
        /// Output file: .csv (UTF-8 with BOM, opens in Excel) or .xlsx
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = Headers::Zh)]
        headers: Headers,
    },
    /// May this person apply for LEVEL? Prints the decision and exactly why. With --all: how many
    /// registered persons may, city-wide and by district
    Eligibility {
        /// Identity number of a registered person
        #[arg(required_unless_present = "all")]
        id_number: Option<String>,
        /// Judge every registered person in their registered occupation
        #[arg(long, conflicts_with = "id_number")]
        all: bool,
        /// Target level: rank 1–8, a name such as 技师, or 五级…一级
        #[arg(long)]
        level: String,
        /// Occupation code (default: the person's registered occupation)
        #[arg(long)]
        occupation: Option<String>,
        /// Decide as of this date (default: today)
        #[arg(long)]
        on: Option<String>,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// KPI figures as of a date: skilled share of employed persons, high-skilled share of skilled,
    /// against the policy's targets; one row per group plus the city `total`
    Kpi {
        /// Group rows by district (GB/T 2260 code), employer's industry, industrial chain of the
        /// employer (overlapping: a person counts in each chain), occupation major group or highest
        /// level; default: the city total only
        #[arg(long, value_enum)]
        by: Option<KpiBy>,
        /// As of this date (default: today)
        #[arg(long, value_name = "DATE", conflicts_with_all = ["series", "projection"])]
        as_of: Option<String>,
        /// The figures at each year-end (quarter-end with --step quarter) from --from to --to (the
        /// current period as of today)
        #[arg(long, conflicts_with = "projection")]
        series: bool,
        /// Holt's linear trend on the year-ends (quarter-ends with --step quarter) from --from,
        /// projected to each policy target: "reached in YYYY-Qn" or "not reached by the target date"
        #[arg(long)]
        projection: bool,
        /// Spacing of --series / --projection: year-ends (default) or quarter-ends
        #[arg(long, value_enum)]
        step: Option<KpiStep>,
        /// First year of --series / --projection (default: five years before the current one)
        #[arg(long, value_name = "YEAR")]
        from: Option<i32>,
        /// Last year of --series (default: the current year)
        #[arg(long, value_name = "YEAR", requires = "series")]
        to: Option<i32>,
        #[arg(long, value_enum, default_value_t = KpiFormat::Table)]
        format: KpiFormat,
        #[command(subcommand)]
        action: Option<KpiAction>,
    },
    /// Reported demand against holders of each level (or above), per occupation × level ×
    /// district or chain, ranked by gap; with --forecast, the gap projected and the training
    /// per year that closes it
    SupplyGap(supply::SupplyGapArgs),
    /// The shortage list (急需紧缺职业目录) of a period, as the bureau publishes it (XLSX)
    ShortageList(supply::ShortageListArgs),
    /// Check an identity number, credit code or certificate number; exit 0 if valid, 1 if not
    Validate { what: ValidateKind, value: String },
    /// Policy files
    Policy {
        #[command(subcommand)]
        command: PolicyCommand,
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
    /// Load another edition of the occupational classification (CSV/XLSX: code,name[,level,parent,gbm])
    Occupations {
        file: PathBuf,
        /// Edition, e.g. 2015 or 1999
        #[arg(long)]
        edition: String,
    },
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
    /// The personal-data key file (kept outside the database): create, rotate, re-encrypt
    Keys {
        #[command(subcommand)]
        command: security::KeysCommand,
    },
}

#[derive(Subcommand)]
enum PolicyCommand {
    /// Validate a policy file; exit 0 if it loads, 1 with every problem listed if not
    Check { file: PathBuf },
}

#[derive(Clone, Copy, ValueEnum)]
enum ImportKind {
    /// Organisations: uscc, name, kind, district[, industry]
    Orgs,
    /// Persons: id_number, name[, id_type, district, employer_uscc, occupation, education, employment_status, work_start]
    Persons,
    /// Skill levels held: id_number, occupation, level, obtained_on[, source, trade, certificate_no, issuer_uscc]
    Levels,
    /// Employment spells: id_number, employer_uscc, start[, end, occupation]
    Employment,
    /// Official employed-persons figures: year, district, employed_persons[, industry]
    Statistics,
    /// Demand reported by enterprises: reporter_uscc, occupation, level, people, period, district[, chain, note]
    Demand,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportKind {
    Orgs,
    Persons,
    Levels,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum OutputFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum KpiAction {
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
enum KpiBy {
    District,
    Industry,
    Chain,
    Occupation,
    Level,
}

#[derive(Clone, Copy, ValueEnum)]
enum KpiStep {
    Year,
    Quarter,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum KpiFormat {
    Table,
    Json,
    /// One row per group plus `total`; shares as fractions (0.3142)
    Csv,
}

#[derive(Clone, Copy, ValueEnum)]
enum Headers {
    Zh,
    En,
}

#[derive(Clone, Copy, ValueEnum)]
enum ValidateKind {
    Id,
    Uscc,
    Cert,
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve { .. }) {
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
    if cert::keys_dir(cli.issuer_keys.as_deref(), &cli.db).is_some() {
        let mut issuing = cert::issuing(cli.issuer_keys.as_deref(), &cli.db, cli.did_web.as_deref(), &cli.public_url)?;
        if cli.credential_suite == "rdfc" {
            issuing = issuing.with_suite(gongjiang_credentials::Suite::EddsaRdfc2022);
        }
        app.credentials = Some(std::sync::Arc::new(issuing));
    }
    Ok(app)
}

/// Where the personal-data keys come from: `--keys`, or the default beside the SQLite file.
fn pii_keys(cli: &Cli) -> gongjiang_app::keys::Keys {
    match &cli.keys {
        Some(p) => gongjiang_app::keys::Keys::File(p.clone()),
        None => gongjiang_app::keys::Keys::Default,
    }
}

fn progress_bar(label: &'static str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new_spinner();
    pb.set_style(
        ProgressStyle::with_template("{spinner} {msg} {pos} 行/rows ({per_sec}, {elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    pb.set_message(label);
    pb.enable_steady_tick(std::time::Duration::from_millis(200));
    pb
}

async fn run(cli: Cli) -> Result<ExitCode> {
    match &cli.command {
        Command::Validate { what, value } => Ok(validate(*what, value)),
        Command::Policy { command: PolicyCommand::Check { file } } => Ok(policy_check(file)),
        Command::Serve {
            addr,
            demo,
            demo_persons,
            public_rate,
            public_burst,
            sign_in_rate,
            trusted_proxy,
            no_public_kpi,
        } => {
            let app = open(&cli).await?;
            let Some(issuing) = app.credentials.clone() else {
                bail!("--issuer-keys (GONGJIANG_ISSUER_KEYS) is required with PostgreSQL, to sign certificates");
            };
            let signed = issuing.sign_missing(&app).await?;
            if signed > 0 {
                eprintln!("已为 {signed} 份证书签名 / signed {signed} certificate credentials");
            }
            if *demo && gongjiang_store::persons::count(&app.db).await? == 0 {
                eprintln!("正在生成演示数据 / generating demo data: {demo_persons} persons …");
                let pb = progress_bar("演示数据 demo");
                let s = gongjiang_demo::load(&app, *demo_persons, 2025, &|n| pb.set_position(n)).await?;
                pb.finish_and_clear();
                eprintln!("{}", serde_json::to_string(&s)?);
                let e = gongjiang_demo::evaluation::run(&app).await?;
                eprintln!("演示评价计划 / demo evaluation: {}", serde_json::to_string(&e)?);
            }
            eprintln!("gongjiang 已启动 / listening on http://{addr}  (API: /api/v1, 文档 docs: /api/docs)");
            let public_rate = gongjiang_web::rate_limit::PublicRate { per_minute: *public_rate, burst: *public_burst };
            let options = gongjiang_web::WebOptions {
                public_rate,
                sign_in_rate: gongjiang_web::rate_limit::PublicRate {
                    per_minute: *sign_in_rate,
                    ..gongjiang_web::rate_limit::PublicRate::SIGN_IN
                },
                // Over HTTPS the session cookie is `Secure` and `__Host-`-prefixed.
                https: cli.public_url.starts_with("https://"),
                trusted_proxies: trusted_proxy.clone(),
                public_kpi: !*no_public_kpi,
            };
            gongjiang_web::serve(app, *addr, &options).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo { persons, seed, csv } => {
            if let Some(dir) = csv {
                let policy = gongjiang_app::load_policy(cli.policy.as_deref())?;
                let catalogue = gongjiang_domain::occupation::catalogue_2022();
                std::fs::create_dir_all(dir)?;
                let today = (time::OffsetDateTime::now_utc() + time::Duration::hours(8)).date();
                gongjiang_demo::write_csv(&policy, &catalogue, *persons, *seed, today, dir)?;
                eprintln!("已写入 / written: {}", dir.display());
                return Ok(ExitCode::SUCCESS);
            }
            let app = open(&cli).await?;
            let pb = progress_bar("演示数据 demo");
            let s = gongjiang_demo::load(&app, *persons, *seed, &|n| pb.set_position(n)).await?;
            pb.finish_and_clear();
            println!("{}", serde_json::to_string(&s)?);
            let e = gongjiang_demo::evaluation::run(&app).await?;
            eprintln!("演示评价计划 / demo evaluation: {}", serde_json::to_string(&e)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Import { kind, file, errors, format, batch } => {
            let kind = match kind {
                ImportKind::Orgs => Kind::Orgs,
                ImportKind::Persons => Kind::Persons,
                ImportKind::Levels => Kind::Levels,
                ImportKind::Employment => Kind::Employment,
                ImportKind::Statistics => Kind::Statistics,
                ImportKind::Demand => Kind::Demand,
            };
            let app = open(&cli).await?;
            let opts = ImportOptions { errors_path: errors.clone(), batch_rows: *batch, defer_indexes: None };
            let pb = progress_bar("导入 import");
            let result =
                gongjiang_app::import::run(&app, &security::cli_actor(), kind, file, &opts, &|n| pb.set_position(n))
                    .await;
            pb.finish_and_clear();
            let s = match result {
                Ok(s) => s,
                Err(AppError::BadFile(m)) => bail!("{}：{m}", file.display()),
                Err(e) => return Err(anyhow::Error::from(e).context(file.display().to_string())),
            };
            if *format == OutputFormat::Json {
                println!("{}", serde_json::to_string(&s)?);
            } else {
                for w in &s.warnings {
                    eprintln!("提示 / warning: {w}");
                }
                println!(
                    "读取 read {}，新增 inserted {}，更新 updated {}，未变 unchanged {}，拒绝 rejected {}",
                    s.read, s.inserted, s.updated, s.unchanged, s.rejected
                );
                for r in s.rejected_rows.iter().take(20) {
                    for e in &r.errors {
                        println!("  第 {} 行 line {}: {} = \"{}\": {}", r.line, r.line, e.column, e.value, e.reason);
                    }
                }
                if s.rejected > 20 && errors.is_none() {
                    println!("  … 用 --errors FILE 获取完整错误报告 / use --errors FILE for the full report");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Evaluation { command } => evaluation::run(&open(&cli).await?, command).await,
        Command::Cert { command } => {
            let ctx = cert::KeyOptions {
                issuer_keys: cli.issuer_keys.as_deref(),
                db_url: &cli.db,
                did_web: cli.did_web.as_deref(),
            };
            cert::run(&ctx, open(&cli), command).await
        }
        Command::Export { kind, file, headers } => {
            let kind = match kind {
                ExportKind::Orgs => Kind::Orgs,
                ExportKind::Persons => Kind::Persons,
                ExportKind::Levels => Kind::Levels,
            };
            let lang = match headers {
                Headers::Zh => HeaderLanguage::Chinese,
                Headers::En => HeaderLanguage::English,
            };
            let app = open(&cli).await?;
            let pb = progress_bar("导出 export");
            let n = gongjiang_app::export::run(&app, &security::cli_actor(), kind, file, lang, &|n| pb.set_position(n))
                .await
                .with_context(|| file.display().to_string())?;
            pb.finish_and_clear();
            eprintln!("已导出 {n} 行 / exported {n} rows to {}", file.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Eligibility { id_number, all, level, occupation, on, format } => {
            let app = open(&cli).await?;
            let Some(target) = app.policy.ladder.parse_level(level) else {
                bail!("无法识别的等级 / unrecognised level: {level} (1–8, 如 技师, 或 五级…一级)");
            };
            let on = match on {
                Some(d) => parse_date(d).with_context(|| format!("不是有效日期 / not a valid date: {d}"))?,
                None => app.today(),
            };
            let id_number = match (id_number, all) {
                (Some(id), false) => id,
                _ => return city_wide_eligibility(&app, target, on, *format).await,
            };
            let id = IdNumber::parse(id_number, app.today())
                .map(|p| p.id.as_str().to_string())
                .unwrap_or_else(|_| id_number.trim().to_uppercase());
            let d = gongjiang_app::candidate::decide(&app, &id, target, occupation.as_deref(), on).await?;
            if *format == OutputFormat::Json {
                println!("{}", serde_json::to_string_pretty(&d)?);
            } else {
                println!("{}（{}）", d.summary(), iso(on));
                for r in &d.rules {
                    println!("  [{}] {} {}", if r.met { "✓" } else { "✗" }, r.rule, r.text_zh);
                    for c in &r.conditions {
                        println!("      {} {}", if c.met { "✓" } else { "✗" }, c.reason);
                    }
                }
            }
            Ok(if d.eligible { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Command::Kpi { action: Some(KpiAction::Recount { check, at }), .. } => {
            let app = open(&cli).await?;
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
            Ok(ExitCode::SUCCESS)
        }
        Command::Kpi { by, as_of, series, projection, step, from, to, format, action: None } => {
            let app = open(&cli).await?;
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
        Command::SupplyGap(args) => {
            supply::supply_gap(&open(&cli).await?, args).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::ShortageList(args) => {
            supply::shortage_list(&open(&cli).await?, args).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Occupations { file, edition } => {
            let app = open(&cli).await?;
            let text = read_catalogue_file(file)?;
            let c = gongjiang_domain::occupation::Catalogue::parse_csv(
                edition
                    .parse()
                    .map_err(|e: gongjiang_domain::occupation::EditionError| anyhow::anyhow!("{}", e.explain()))?,
                &text,
            )
            .map_err(|errs| anyhow::anyhow!(errs.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")))?;
            let n = gongjiang_app::reference::load_catalogue(&app.db, &c).await?;
            println!("已载入 {n} 条 / loaded {n} entries of the {edition} edition");
            Ok(ExitCode::SUCCESS)
        }
        Command::User { command } => security::user(&cli.db, cli.keys.as_deref(), command).await,
        Command::Token { command } => security::token(&cli.db, cli.keys.as_deref(), command).await,
        Command::Audit { command } => security::audit_cmd(&cli.db, command).await,
        Command::Person { command } => person::run(&open(&cli).await?, command).await,
        Command::Keys { command } => security::keys(&cli.db, cli.keys.as_deref(), command).await,
    }
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
            println!("{}", CSV_HEADERS.join(","));
            for cells in csv_rows(report) {
                println!("{}", cells.iter().map(|c| csv_field(c)).collect::<Vec<_>>().join(","));
            }
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
            println!("{}", HEADERS.join(","));
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
                    println!("{}", cells.iter().map(|c| csv_field(c)).collect::<Vec<_>>().join(","));
                }
            }
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
            println!(
                "group,kpi,target_id,comparison,target,due,value_at_due,observed_at_due,gap_at_due,reached_year,outlook,reached_quarter"
            );
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
                        println!("{}", cells.iter().map(|c| csv_field(c)).collect::<Vec<_>>().join(","));
                    }
                }
            }
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

/// A report's notes under a table.
fn print_notes(notes: &[gongjiang_domain::bilingual::Msg]) {
    for n in notes {
        println!("注 / note: {} / {}", n.zh, n.en);
    }
}

fn csv_field(c: &str) -> String {
    if c.contains([',', '"', '\n']) { format!("\"{}\"", c.replace('"', "\"\"")) } else { c.to_string() }
}

/// A catalogue file as CSV text, whichever format it came in.
fn read_catalogue_file(path: &Path) -> Result<String> {
    let mut reader = gongjiang_tabular::RowReader::open(path)?;
    let mut out = reader.headers().join(",");
    out.push('\n');
    for row in reader.by_ref() {
        let row = row?;
        out.push_str(
            &row.cells
                .iter()
                .map(|c| if c.contains([',', '"']) { format!("\"{}\"", c.replace('"', "\"\"")) } else { c.clone() })
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push('\n');
    }
    Ok(out)
}

fn print_segments(title: Msg, segments: &[gongjiang_domain::certificate_no::Segment]) {
    println!("✓ {title}");
    for (label, value, meaning) in segments {
        println!("  {:<24} {:<12} {}", label.to_string(), value, meaning);
    }
}

fn validate(what: ValidateKind, value: &str) -> ExitCode {
    let today = (time::OffsetDateTime::now_utc() + time::Duration::hours(8)).date();
    let result: Result<(), Msg> = match what {
        ValidateKind::Id => IdNumber::parse(value, today)
            .map(|p| {
                let mut title = Msg::new(
                    format!("有效的居民身份证号码 {}", p.id.as_str()),
                    format!("valid resident identity number {}", p.id.as_str()),
                );
                if p.converted_from_15 {
                    title = Msg::new(
                        format!("{}（由15位旧号码转换而来）", title.zh),
                        format!("{} (converted from a 15-digit legacy number)", title.en),
                    );
                }
                print_segments(title, &p.id.segments());
            })
            .map_err(|e| e.explain()),
        ValidateKind::Uscc => Uscc::parse(value)
            .map(|u| {
                print_segments(
                    Msg::new(
                        format!("有效的统一社会信用代码 {}", u.as_str()),
                        format!("valid unified social credit code {}", u.as_str()),
                    ),
                    &u.segments(),
                );
            })
            .map_err(|e| e.explain()),
        ValidateKind::Cert => CertificateNo::parse(value)
            .map(|c| {
                print_segments(
                    Msg::new(
                        format!("格式有效的证书编号 {}", c.as_str()),
                        format!("well-formed certificate number {}", c.as_str()),
                    ),
                    &c.segments(),
                );
            })
            .map_err(|e| e.explain()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(m) => {
            println!("✗ {}\n  {}", m.zh, m.en);
            ExitCode::from(1)
        }
    }
}

fn policy_check(file: &Path) -> ExitCode {
    match gongjiang_app::load_policy(Some(file)) {
        Ok(p) => {
            println!("✓ {} {} ({})", p.meta.name_zh, p.meta.version, file.display());
            ExitCode::SUCCESS
        }
        Err(AppError::Policy(errors)) => {
            for e in errors {
                println!("✗ {e}");
            }
            ExitCode::from(1)
        }
        Err(e) => {
            println!("✗ {e}");
            ExitCode::from(1)
        }
    }
}
