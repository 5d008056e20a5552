//! The personal-data key file: where it is, creating it on first use beside a SQLite file, and
//! bringing a database's identity numbers under its keys (sealing a migrated database's
//! plaintext, re-encrypting after a rotation). `docs/SECURITY.md` §4.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use gongjiang_crypto::pii_keys::{self as key_file, KeyRing};
use gongjiang_domain::bilingual::Msg;
use gongjiang_store::{Backend, Db, persons};

use crate::error::AppError;

/// The key file's name when it lives beside a SQLite database.
pub const DEFAULT_FILE_NAME: &str = "pii-keys.toml";

/// Rows per transaction when sealing or re-encrypting.
pub const BATCH: i64 = 10_000;

/// Where the keys come from.
#[derive(Clone)]
pub enum Keys {
    /// `pii-keys.toml` beside the SQLite file, created (0600) on first use; PostgreSQL needs
    /// the file named.
    Default,
    /// A key file made with `gongjiang keys init` (`--keys` / `GONGJIANG_KEYS`); it must exist.
    File(PathBuf),
    /// A key ring already in memory (tests, tools).
    Ring(Arc<KeyRing>),
}

/// `name` beside the file of a `sqlite://` URL; `None` for PostgreSQL and in-memory SQLite.
pub fn beside_sqlite_file(db_url: &str, name: &str) -> Option<PathBuf> {
    if Backend::of_url(db_url).ok()? != Backend::Sqlite {
        return None;
    }
    let path = db_url.strip_prefix("sqlite://").or_else(|| db_url.strip_prefix("sqlite:"))?;
    let path = path.split('?').next()?;
    if path.is_empty() || path.contains(":memory:") {
        return None;
    }
    let parent = Path::new(path).parent().map(Path::to_path_buf).unwrap_or_default();
    Some(if parent.as_os_str().is_empty() { PathBuf::from(name) } else { parent.join(name) })
}

/// The key file `Keys::Default` means for this database.
pub fn default_file(db_url: &str) -> Option<PathBuf> {
    beside_sqlite_file(db_url, DEFAULT_FILE_NAME)
}

fn key_error(path: &Path, e: impl std::fmt::Display) -> AppError {
    AppError::Keys(Msg::new(
        format!("个人信息密钥文件 {} 无法使用：{e}", path.display()),
        format!("the personal-data key file {} cannot be used: {e}", path.display()),
    ))
}

/// Connects to the database (migrating it) with the personal-data keys attached: checked to open
/// the stored identity numbers, and sealing those a migrated database still holds in plaintext.
pub async fn open_db(db_url: &str, keys: &Keys) -> Result<Db, AppError> {
    let (ring, created) = load(db_url, keys)?;
    let db = Db::connect(db_url).await?.with_keys(ring);
    bring_under_keys(&db, created.as_deref()).await?;
    Ok(db)
}

/// The key ring, and the file it was created in when this call created it.
fn load(db_url: &str, keys: &Keys) -> Result<(Arc<KeyRing>, Option<PathBuf>), AppError> {
    match keys {
        Keys::Ring(ring) => Ok((ring.clone(), None)),
        Keys::File(path) => {
            if !path.exists() {
                return Err(AppError::Keys(Msg::new(
                    format!(
                        "密钥文件 {} 不存在：请先运行 gongjiang keys init --keys {}",
                        path.display(),
                        path.display()
                    ),
                    format!(
                        "the key file {} does not exist: create it with gongjiang keys init --keys {}",
                        path.display(),
                        path.display()
                    ),
                )));
            }
            Ok((Arc::new(key_file::load(path).map_err(|e| key_error(path, e))?), None))
        }
        Keys::Default => {
            let Some(path) = default_file(db_url) else {
                return Err(AppError::Keys(Msg::new(
                    "PostgreSQL 需要指定个人信息密钥文件：--keys FILE 或环境变量 GONGJIANG_KEYS（用 gongjiang keys init 创建）",
                    "PostgreSQL needs the personal-data key file named: --keys FILE or GONGJIANG_KEYS (create it with \
                     gongjiang keys init)",
                )));
            };
            if path.exists() {
                return Ok((Arc::new(key_file::load(&path).map_err(|e| key_error(&path, e))?), None));
            }
            let ring = KeyRing::generate()?;
            key_file::save(&path, &ring, false).map_err(|e| key_error(&path, e))?;
            tracing::warn!(
                path = %path.display(),
                "created the personal-data key file (mode 600); back it up apart from the database — without it the \
                 identity numbers cannot be read"
            );
            Ok((Arc::new(ring), Some(path)))
        }
    }
}

/// Checks that the keys open the database's identity numbers, then seals what a migration from
/// before encryption left in plaintext. A key file created just now for a database whose numbers
/// it cannot open is removed again (it was the wrong guess, not a key to keep).
async fn bring_under_keys(db: &Db, created: Option<&Path>) -> Result<(), AppError> {
    if let Err(e) = persons::keys_open_data(db).await {
        if let Some(p) = created {
            let _ = std::fs::remove_file(p);
        }
        return Err(AppError::Keys(Msg::new(
            format!("密钥文件打不开本数据库中的身份证号（{e}）：是否用错了密钥文件？"),
            format!("the key file does not open this database's identity numbers ({e}): is it the right key file?"),
        )));
    }
    let pending = persons::unsealed_count(db).await?;
    if pending > 0 {
        tracing::info!(pending, "encrypting the identity numbers of a database migrated from before encryption");
        let mut done = 0u64;
        loop {
            let n = persons::seal_plaintext(db, BATCH).await?;
            if n == 0 {
                break;
            }
            done += n;
            tracing::info!(done, "identity numbers encrypted");
        }
        tracing::warn!(
            done,
            "identity numbers encrypted; run VACUUM (SQLite) or VACUUM FULL persons (PostgreSQL) so no plaintext \
             stays in free pages, then take a new backup (docs/SECURITY.md §4)"
        );
    }
    let mut tails = 0u64;
    loop {
        let n = persons::backfill_tails(db, BATCH).await?;
        if n == 0 {
            break;
        }
        tails += n;
        tracing::info!(tails, "identity-number tail hashes added (search by masked number)");
    }
    Ok(())
}

/// What `gongjiang keys reencrypt` did.
#[derive(Debug, Clone, Default, serde::Serialize, PartialEq, Eq)]
pub struct Reencrypted {
    /// Plaintext numbers of a migrated database encrypted now.
    pub sealed: u64,
    /// Persons looked at.
    pub batches: u64,
    /// Values rewritten under the current key (identity numbers and their lookup hashes).
    pub rewritten: u64,
    /// Correction requests' proposed values rewritten under the current key.
    pub corrections: u64,
    /// xAPI attachments rewritten under the current key.
    pub attachments: u64,
    /// The last person id done: pass it as `after` to resume an interrupted run.
    pub last_id: i64,
    /// Values per key id afterwards: `(key, ciphertexts, lookup hashes)`.
    pub per_key: Vec<(String, i64, i64)>,
}

/// Re-encrypts and re-hashes, under the current key, every identity number stored under an
/// older one (after `keys rotate`), walking persons by id from `after` in batches of
/// [`BATCH`], one transaction each; then the correction requests' proposed values and the xAPI attachments. Resumable
/// (`after` = the last id reported) and idempotent.
pub async fn reencrypt(db: &Db, after: i64, progress: &(dyn Fn(i64) + Sync)) -> Result<Reencrypted, AppError> {
    let mut r = Reencrypted { last_id: after, ..Reencrypted::default() };
    loop {
        let n = persons::seal_plaintext(db, BATCH).await?;
        if n == 0 {
            break;
        }
        r.sealed += n;
    }
    while let Some((last, rewritten)) = persons::reseal_batch(db, r.last_id, BATCH).await? {
        r.batches += 1;
        r.rewritten += rewritten;
        r.last_id = last;
        progress(last);
    }
    r.corrections = gongjiang_store::corrections::reseal(db).await?;
    r.attachments = gongjiang_store::xapi_attachments::reseal(db).await?;
    r.per_key = persons::values_per_key(db).await?;
    Ok(r)
}
