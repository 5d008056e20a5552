//! `gongjiang user|token|audit|keys`: accounts, API tokens, the audit trail and the personal-data
//! key file, from the operator's shell. The shell is trusted to reach the database; the grant
//! rule still applies to whoever `--by` names, and every change is audited.

use std::io::{BufRead, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Subcommand, ValueEnum};
use gongjiang_app::accounts::{self, Actor};
use gongjiang_store::{Db, audit};
use time::OffsetDateTime;

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create a user. The password is read from a prompt or, with --password-stdin, from the
    /// first line of standard input — never from an argument. Without --by only the first city
    /// administrator can be created (while none exists)
    Add {
        username: String,
        #[arg(long)]
        display_name: String,
        /// city-admin | district-admin:120101,120102 | enterprise-hr:CREDIT_CODE | training-provider:… |
        /// school:… | evaluation-institution:… | competition-organiser:… | worker:ID_NUMBER | public
        /// (repeatable)
        #[arg(long = "role", value_name = "ROLE")]
        roles: Vec<String>,
        /// The administrator granting the roles (the grant rule is checked against their roles)
        #[arg(long, value_name = "USERNAME")]
        by: Option<String>,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Grant a role; --by must hold it (and the right to grant it) at least as widely
    Grant {
        username: String,
        #[arg(long, value_name = "ROLE")]
        role: String,
        #[arg(long, value_name = "USERNAME")]
        by: String,
    },
    /// Revoke a role (whoever could grant it may revoke it); the user's sessions end
    Revoke {
        username: String,
        #[arg(long, value_name = "ROLE")]
        role: String,
        #[arg(long, value_name = "USERNAME")]
        by: String,
    },
    /// List users and their active roles
    List {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a user's system; printed once, stored only as a hash
    Create {
        /// The user the token acts for; its roles must be within theirs
        #[arg(long, value_name = "USERNAME")]
        user: String,
        #[arg(long)]
        name: String,
        #[arg(long = "role", value_name = "ROLE", required = true)]
        roles: Vec<String>,
        /// Days until it expires (1–366)
        #[arg(long, default_value_t = 90)]
        days: i64,
        /// Who creates it, for the audit trail (default: the OS user)
        #[arg(long, value_name = "USERNAME")]
        by: Option<String>,
    },
    /// Revoke a token by its id
    Revoke {
        id: i64,
        #[arg(long, value_name = "USERNAME")]
        by: Option<String>,
    },
    /// List tokens (never their secrets)
    List {
        #[arg(long, value_name = "USERNAME")]
        user: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Walk the hash chain: exit 0 when intact, 1 with the first broken entry and why
    Verify {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Also check against a signed checkpoint of an earlier head (catches entries cut off the end)
        #[arg(long, value_name = "FILE")]
        checkpoint: Option<PathBuf>,
    },
    /// Write a signed checkpoint of the chain's head (signed with the issuer key); keep it outside the database
    Checkpoint {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Search entries, newest first
    Search {
        #[arg(long)]
        actor: Option<String>,
        #[arg(long)]
        action: Option<String>,
        #[arg(long)]
        resource: Option<String>,
        #[arg(long)]
        record: Option<String>,
        /// From this time (RFC 3339) or day (YYYY-MM-DD, Beijing time), inclusive
        #[arg(long)]
        from: Option<String>,
        /// Until this time or day, exclusive
        #[arg(long)]
        to: Option<String>,
        /// Entries before this seq (the next page)
        #[arg(long)]
        before: Option<i64>,
        #[arg(long, default_value_t = 50)]
        limit: i64,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

/// The key file is `--keys FILE` (`GONGJIANG_KEYS`), by default `pii-keys.toml` beside the
/// SQLite file.
#[derive(Subcommand)]
pub enum KeysCommand {
    /// Create a new key file (owner-only, 0600); refuses to overwrite one
    Init,
    /// Add a new key generation and make it current; older keys stay for existing data until
    /// `keys reencrypt` has rewritten it
    Rotate,
    /// Re-encrypt and re-hash, under the current key, every identity number stored under an
    /// older one (after `keys rotate`), in batches of 10,000 persons, one transaction each.
    /// Safe to interrupt and run again; --after resumes from the last id printed
    Reencrypt {
        /// Start after this person id (the last id an interrupted run printed)
        #[arg(long, default_value_t = 0)]
        after: i64,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

async fn connect(url: &str) -> Result<Db> {
    Db::connect(url).await.with_context(|| format!("opening {url}"))
}

/// The database with the personal-data keys when there are any (`--keys`, or a key file beside
/// the SQLite file): needed only to name a worker by identity number.
async fn connect_keyed(url: &str, keys: Option<&Path>) -> Result<Db> {
    use gongjiang_app::pii_keys::{Keys, default_file, open_db};
    let file = keys.map(Path::to_path_buf).or_else(|| default_file(url).filter(|p| p.exists()));
    match file {
        Some(f) => open_db(url, &Keys::File(f)).await.with_context(|| format!("opening {url}")),
        None => connect(url).await,
    }
}

fn os_user() -> String {
    std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_else(|_| "unknown".into())
}

/// The operator at this shell, as the audit trail names them: `cli:OSUSER`, from `cli`.
pub fn cli_actor() -> Actor {
    Actor::cli(&os_user())
}

/// The acting user named by `--by`, or the operator's shell account.
async fn actor(db: &Db, by: Option<&str>) -> Result<Actor> {
    let client_addr = Some(format!("cli:{}", os_user()));
    match by {
        None => Ok(cli_actor()),
        Some(name) => {
            let Some(u) = gongjiang_store::accounts::by_username(db, name).await? else {
                bail!("没有用户“{name}” / no user \"{name}\" (--by)");
            };
            if u.disabled {
                bail!("用户“{name}”已停用 / user \"{name}\" is disabled (--by)");
            }
            Ok(Actor { label: format!("user:{name}"), user_id: Some(u.id), client_addr })
        }
    }
}

fn read_password(from_stdin: bool) -> Result<String> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_string());
    }
    if !std::io::stdin().is_terminal() {
        bail!("没有终端可输入密码：请用 --password-stdin / no terminal to type a password on: use --password-stdin");
    }
    let first = rpassword::prompt_password("密码 / password: ")?;
    let again = rpassword::prompt_password("再次输入 / again: ")?;
    if first != again {
        bail!("两次输入的密码不一致 / the two passwords differ");
    }
    Ok(first)
}

async fn roles(db: &Db, texts: &[String]) -> Result<Vec<gongjiang_domain::access::Role>> {
    let mut out = Vec::new();
    for t in texts {
        out.push(accounts::parse_role_arg(db, t).await?);
    }
    Ok(out)
}

pub async fn user(db_url: &str, keys: Option<&Path>, command: &UserCommand) -> Result<ExitCode> {
    let db = connect_keyed(db_url, keys).await?;
    match command {
        UserCommand::Add { username, display_name, roles: role_texts, by, password_stdin } => {
            let roles = roles(&db, role_texts).await?;
            let actor = actor(&db, by.as_deref()).await?;
            let password = read_password(*password_stdin)?;
            let id = accounts::create_user(&db, &actor, username, display_name, &password, &roles).await?;
            eprintln!("已创建用户 / created user {username} (id {id})");
        }
        UserCommand::Grant { username, role, by } => {
            let role = accounts::parse_role_arg(&db, role).await?;
            accounts::grant_role(&db, &actor(&db, Some(by)).await?, username, &role).await?;
            eprintln!("已授予 / granted");
        }
        UserCommand::Revoke { username, role, by } => {
            let role = accounts::parse_role_arg(&db, role).await?;
            accounts::revoke_role(&db, &actor(&db, Some(by)).await?, username, &role).await?;
            eprintln!("已撤销，该用户的会话已结束 / revoked; the user's sessions have ended");
        }
        UserCommand::List { format } => {
            let users = accounts::list_users(&db).await?;
            if *format == Format::Json {
                println!("{}", serde_json::to_string_pretty(&users)?);
            } else {
                for u in users {
                    let state = if u.disabled { " [停用 disabled]" } else { "" };
                    println!("{:<20} {:<16} {}{state}", u.username, u.display_name, u.roles.join(" "));
                }
            }
        }
    }
    db.close().await;
    Ok(ExitCode::SUCCESS)
}

pub async fn token(db_url: &str, keys: Option<&Path>, command: &TokenCommand) -> Result<ExitCode> {
    let db = connect_keyed(db_url, keys).await?;
    match command {
        TokenCommand::Create { user, name, roles: role_texts, days, by } => {
            let roles = roles(&db, role_texts).await?;
            let actor = actor(&db, by.as_deref()).await?;
            let t = accounts::create_token(&db, &actor, user, name, &roles, *days).await?;
            eprintln!(
                "令牌 {} 仅显示这一次，请立即保存 / token {} is shown this once only; store it now (expires {})",
                t.id,
                t.id,
                t.expires_at.date()
            );
            println!("{}", t.token);
        }
        TokenCommand::Revoke { id, by } => {
            accounts::revoke_token(&db, &actor(&db, by.as_deref()).await?, *id).await?;
            eprintln!("已撤销 / revoked token {id}");
        }
        TokenCommand::List { user } => {
            let owner = match user {
                None => None,
                Some(name) => match gongjiang_store::accounts::by_username(&db, name).await? {
                    Some(u) => Some(u.id),
                    None => bail!("没有用户“{name}” / no user \"{name}\""),
                },
            };
            println!("{}", serde_json::to_string_pretty(&gongjiang_store::tokens::list(&db, owner).await?)?);
        }
    }
    db.close().await;
    Ok(ExitCode::SUCCESS)
}

fn parse_time(text: &str) -> Result<OffsetDateTime> {
    if let Ok(t) = OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339) {
        return Ok(t);
    }
    let day = gongjiang_domain::dates::parse_date(text)
        .with_context(|| format!("不是时间或日期 / not a time or date: {text}"))?;
    Ok(day.midnight().assume_offset(time::macros::offset!(+8)))
}

pub async fn audit_cmd(ctx: &crate::issuer_keyring::KeyOptions<'_>, command: &AuditCommand) -> Result<ExitCode> {
    let db = connect(ctx.db_url).await?;
    let code = match command {
        AuditCommand::Checkpoint { out } => {
            let ring = crate::issuer_keyring::load_keyring(ctx)?;
            let doc = gongjiang_app::audit_checkpoint::checkpoint(&db, &ring, time::OffsetDateTime::now_utc())
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let mut file = gongjiang_tabular::create_private(out)?;
            std::io::Write::write_all(&mut file, serde_json::to_string_pretty(&doc)?.as_bytes())?;
            let subject = &doc["credentialSubject"];
            println!(
                "已写入检查点 / checkpoint written: {} (seq {}, hash {})",
                out.display(),
                subject["seq"],
                subject["hash"]
            );
            ExitCode::SUCCESS
        }
        AuditCommand::Verify { format, checkpoint } => {
            let mut v = audit::verify(&db).await?;
            if let Some(path) = checkpoint
                && v.broken.is_none()
            {
                let ring = crate::issuer_keyring::load_keyring(ctx)?;
                let text = std::fs::read_to_string(path).with_context(|| path.display().to_string())?;
                let doc: serde_json::Value = serde_json::from_str(&text).with_context(|| path.display().to_string())?;
                let seq = doc["credentialSubject"]["seq"].as_i64().unwrap_or(0);
                match gongjiang_app::audit_checkpoint::check(&db, &doc, &ring).await {
                    Ok(None) => {}
                    Ok(Some(reason)) => v.broken = Some(audit::BrokenAt { seq, reason }),
                    Err(e) => bail!("{}: {e}", path.display()),
                }
            }
            if *format == Format::Json {
                println!("{}", serde_json::to_string_pretty(&v)?);
            }
            match &v.broken {
                None => {
                    if *format == Format::Text {
                        println!("✓ 审计链完整：{} 条 / the audit chain is intact: {} entries", v.checked, v.checked);
                        println!("  链头 head: seq {} hash {}", v.head_seq, v.head_hash);
                        println!("  请在数据库之外记录链头 / record the head outside the database");
                    }
                    ExitCode::SUCCESS
                }
                Some(b) => {
                    if *format == Format::Text {
                        let m = b.reason.explain();
                        println!("✗ 审计链在第 {} 条断开：{}", b.seq, m.zh);
                        println!("  the audit chain is broken at entry {}: {}", b.seq, m.en);
                    }
                    ExitCode::from(1)
                }
            }
        }
        AuditCommand::Search { actor, action, resource, record, from, to, before, limit, format } => {
            let f = audit::AuditFilter {
                actor: actor.clone(),
                action: action.clone(),
                resource: resource.clone(),
                record_id: record.clone(),
                from: from.as_deref().map(parse_time).transpose()?,
                to: to.as_deref().map(parse_time).transpose()?,
            };
            let entries = audit::search(&db, &f, *before, (*limit).clamp(1, 10_000)).await?;
            if *format == Format::Json {
                println!("{}", serde_json::to_string_pretty(&entries)?);
            } else {
                for e in &entries {
                    println!(
                        "{:>8} {} {:<20} {:<18} {}/{} {}",
                        e.seq,
                        e.at.to_offset(time::macros::offset!(+8))
                            .format(&time::format_description::well_known::Rfc3339)?,
                        e.actor,
                        e.action,
                        e.resource,
                        e.record_id.as_deref().unwrap_or("-"),
                        e.client_addr.as_deref().unwrap_or("")
                    );
                }
                if let Some(last) = entries.last().filter(|_| entries.len() as i64 == *limit) {
                    eprintln!("… 下一页 / next page: --before {}", last.seq);
                }
            }
            ExitCode::SUCCESS
        }
    };
    db.close().await;
    Ok(code)
}

/// The key file `--keys` names, or the default beside the SQLite file.
fn key_file(db_url: &str, keys: Option<&Path>) -> Result<PathBuf> {
    match keys.map(Path::to_path_buf).or_else(|| gongjiang_app::pii_keys::default_file(db_url)) {
        Some(p) => Ok(p),
        None => bail!(
            "请用 --keys FILE 或环境变量 GONGJIANG_KEYS 指定密钥文件（PostgreSQL 没有默认位置） / give the key file with \
             --keys FILE or GONGJIANG_KEYS (PostgreSQL has no default place for it)"
        ),
    }
}

pub async fn keys(db_url: &str, keys: Option<&Path>, command: &KeysCommand) -> Result<ExitCode> {
    use gongjiang_crypto::pii_keys::{KeyRing, load, save};
    let path = key_file(db_url, keys)?;
    match command {
        KeysCommand::Init => {
            let ring = KeyRing::generate()?;
            save(&path, &ring, false).with_context(|| refuse_overwrite(&path))?;
            eprintln!(
                "已生成密钥文件 {}（密钥 {}，权限 600）。请与数据库分开备份 / key file written (key {}, mode 600); \
                 back it up separately from the database",
                path.display(),
                ring.current_id(),
                ring.current_id()
            );
        }
        KeysCommand::Rotate => {
            let mut ring = load(&path)?;
            let id = ring.rotate()?;
            save(&path, &ring, true)?;
            eprintln!(
                "新密钥 {id} 已启用，旧密钥保留用于已有数据；请重启服务并运行 gongjiang keys reencrypt / new key {id} is \
                 current; older keys stay for existing data: restart the server, then run gongjiang keys reencrypt"
            );
        }
        KeysCommand::Reencrypt { after, format } => {
            let db = gongjiang_app::pii_keys::open_db(db_url, &gongjiang_app::pii_keys::Keys::File(path.clone()))
                .await
                .with_context(|| format!("opening {db_url}"))?;
            let r = gongjiang_app::pii_keys::reencrypt(&db, *after, &|last| {
                eprintln!("… 已处理至人员 id {last} / done up to person id {last}");
            })
            .await?;
            db.close().await;
            if *format == Format::Json {
                println!("{}", serde_json::to_string_pretty(&r)?);
                return Ok(ExitCode::SUCCESS);
            }
            let ring = load(&path)?;
            println!(
                "已用当前密钥 {} 重写 {} 个值（加密 {} 个迁移前的明文号码） / rewrote {} values under the current key {} \
                 (and encrypted {} plaintext numbers of a migrated database)",
                ring.current_id(),
                r.rewritten,
                r.sealed,
                r.rewritten,
                ring.current_id(),
                r.sealed
            );
            println!(
                "  另重写更正请求 {} 条、xAPI 附件 {} 个 / also rewrote {} correction requests and {} xAPI attachments",
                r.corrections, r.attachments, r.corrections, r.attachments
            );
            for (key, ciphers, lookups) in &r.per_key {
                println!("  {key}: 密文 ciphertexts {ciphers}, 查找哈希 lookup hashes {lookups}");
            }
            let old: Vec<&str> = ring.ids().filter(|k| *k != ring.current_id()).collect();
            let still: Vec<&str> =
                r.per_key.iter().filter(|(k, _, _)| k != ring.current_id()).map(|(k, _, _)| k.as_str()).collect();
            if !old.is_empty() && still.is_empty() {
                println!(
                    "  旧密钥 {} 已不再使用，可以从密钥文件中删除（先备份） / the old keys {} are no longer used and may be \
                     removed from the key file (back it up first)",
                    old.join(", "),
                    old.join(", ")
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn refuse_overwrite(path: &Path) -> String {
    format!("不会覆盖已有的密钥文件 / will not overwrite the key file {}", path.display())
}
