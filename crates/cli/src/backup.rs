//! `gongjiang backup FILE` and `gongjiang restore FILE`: a consistent copy of the SQLite
//! database while the service runs, and putting one back (with the service stopped). The key
//! files (personal data, issuer) are not in the database: back them up beside it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use gongjiang_store::{Db, backup};

/// The SQLite file a `sqlite://` URL names.
fn sqlite_file(url: &str) -> Result<PathBuf> {
    let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).map(|p| p.split('?').next());
    match path.flatten() {
        Some(p) if !p.is_empty() && !p.contains(":memory:") => Ok(PathBuf::from(p)),
        _ => bail!(
            "备份与恢复针对 SQLite 文件；PostgreSQL 请用 pg_dump / pg_restore（见 docs/OPERATIONS.md）/ backup and restore are for a SQLite file; use pg_dump / pg_restore for PostgreSQL (docs/OPERATIONS.md)"
        ),
    }
}

pub async fn backup(db_url: &str, to: &Path) -> Result<ExitCode> {
    sqlite_file(db_url)?;
    let db = Db::connect(db_url).await.with_context(|| format!("opening {db_url}"))?;
    let bytes = backup::backup(&db, to).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    db.close().await;
    println!("已备份 / backed up: {} ({} MB)", to.display(), bytes / 1_000_000);
    println!("  密钥文件不在数据库中，请一并备份 / the key files are not in the database: back them up too");
    Ok(ExitCode::SUCCESS)
}

pub async fn restore(db_url: &str, from: &Path, yes: bool) -> Result<ExitCode> {
    let target = sqlite_file(db_url)?;
    if !yes {
        eprintln!(
            "恢复会用 {} 替换 {}；请先停止服务，再加 --yes 运行 / restoring replaces {} with {}: stop the service, then run again with --yes",
            from.display(),
            target.display(),
            target.display(),
            from.display()
        );
        return Ok(ExitCode::from(2));
    }
    backup::restore(from, &target).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    // Opening brings a backup from an earlier release up to this one's schema.
    let db = Db::connect(db_url).await.with_context(|| format!("opening {db_url}"))?;
    db.close().await;
    println!("已恢复 / restored: {} ← {}", target.display(), from.display());
    Ok(ExitCode::SUCCESS)
}
