//! Where the issuer's keyring is and how the commands that sign or verify load it.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use gongjiang_credentials::Keyring;

/// The global options that say where the issuer's keyring is.
pub struct KeyOptions<'a> {
    pub issuer_keys: Option<&'a Path>,
    pub db_url: &'a str,
    pub did_web: Option<&'a str>,
}

/// Where the keyring is: `--issuer-keys`, or the default folder beside the SQLite file.
pub fn keys_dir(issuer_keys: Option<&Path>, db_url: &str) -> Option<PathBuf> {
    issuer_keys.map(Path::to_path_buf).or_else(|| gongjiang_app::credentials::default_keys_dir(db_url))
}

/// The issuer keyring `--issuer-keys` (or the folder beside the SQLite file) names.
pub fn load_keyring(ctx: &KeyOptions<'_>) -> Result<Keyring> {
    let Some(dir) = keys_dir(ctx.issuer_keys, ctx.db_url) else { bail!("give --issuer-keys DIR") };
    let mut ring = Keyring::load_dir(&dir)
        .map_err(|e| anyhow::anyhow!("{}", e.message()))
        .with_context(|| format!("keyring {}", dir.display()))?;
    if let Some(domain) = ctx.did_web {
        ring = ring.with_did_web(domain);
    }
    Ok(ring)
}
