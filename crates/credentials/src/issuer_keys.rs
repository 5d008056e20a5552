//! Issuer keys (Ed25519) as JSON key files, and a keyring: a folder of key files with one active.
//!
//! A key file is a Multikey document:
//!
//! ```json
//! { "type": "Multikey", "controller": "did:key:z6Mk…", "id": "did:key:z6Mk…#z6Mk…",
//!   "publicKeyMultibase": "z6Mk…", "secretKeyMultibase": "z3u2…", "created": "2026-11-25T08:00:00Z" }
//! ```
//!
//! A retired key may keep only its public half (no `secretKeyMultibase`): credentials it signed
//! still verify while the file stays in the folder, and it can sign nothing new.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use ed25519_dalek::{Signer, SigningKey};
use gongjiang_domain::bilingual::Msg;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

pub use crate::public_key::PublicKey;
use crate::{multikey, xsd_time};

/// The file in a keyring folder that names the active key by its `publicKeyMultibase`.
pub const ACTIVE_FILE: &str = "active";

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("key file {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("key file {path}: {reason}")]
    Invalid { path: PathBuf, reason: String },
    #[error("keyring {path}: {reason}")]
    Keyring { path: PathBuf, reason: String },
    #[error("no random numbers from the operating system: {0}")]
    Random(String),
}

impl KeyError {
    pub fn message(&self) -> Msg {
        match self {
            KeyError::Io { path, source } => Msg::new(
                format!("无法读写密钥文件 {}：{source}", path.display()),
                format!("cannot read or write key file {}: {source}", path.display()),
            ),
            KeyError::Invalid { path, reason } => Msg::new(
                format!("密钥文件 {} 无效：{reason}", path.display()),
                format!("key file {} is invalid: {reason}", path.display()),
            ),
            KeyError::Keyring { path, reason } => Msg::new(
                format!("密钥环 {} 有误：{reason}", path.display()),
                format!("keyring {} is wrong: {reason}", path.display()),
            ),
            KeyError::Random(reason) => {
                Msg::new(format!("无法获取随机数：{reason}"), format!("no random numbers: {reason}"))
            }
        }
    }
}

/// An Ed25519 signing key with the date it was made.
#[derive(Clone)]
pub struct IssuerKey {
    signing: SigningKey,
    created: OffsetDateTime,
}

impl std::fmt::Debug for IssuerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuerKey").field("public", &self.public().multibase()).finish_non_exhaustive()
    }
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct KeyFile {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    controller: Option<String>,
    public_key_multibase: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    secret_key_multibase: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    created: Option<String>,
}

impl IssuerKey {
    /// A new key from the operating system's random numbers, dated now.
    pub fn generate() -> Result<IssuerKey, KeyError> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|e| KeyError::Random(e.to_string()))?;
        Ok(IssuerKey::from_seed(seed, OffsetDateTime::now_utc()))
    }

    /// A key from its 32 secret bytes (tests and known-answer vectors).
    pub fn from_seed(seed: [u8; 32], created: OffsetDateTime) -> IssuerKey {
        IssuerKey { signing: SigningKey::from_bytes(&seed), created }
    }

    pub fn from_multibase(secret: &str, created: OffsetDateTime) -> Option<IssuerKey> {
        multikey::decode_secret(secret).map(|signing| IssuerKey { signing, created })
    }

    pub fn public(&self) -> PublicKey {
        PublicKey(self.signing.verifying_key())
    }

    pub fn created(&self) -> OffsetDateTime {
        self.created
    }

    pub fn secret_multibase(&self) -> String {
        multikey::encode_secret(&self.signing)
    }

    pub fn did_key(&self) -> String {
        self.public().did_key()
    }

    pub fn verification_method(&self) -> String {
        self.public().verification_method()
    }

    pub(crate) fn sign_bytes(&self, message: &[u8]) -> [u8; 64] {
        self.signing.sign(message).to_bytes()
    }

    /// Reads a key file that holds the secret key.
    pub fn load(path: &Path) -> Result<IssuerKey, KeyError> {
        match read_key_file(path)? {
            LoadedKey::Secret(key) => Ok(key),
            LoadedKey::Public(_) => Err(invalid(path, "no secretKeyMultibase: this file holds a public key only")),
        }
    }

    /// Writes the key file, readable by its owner only (mode 0600). An existing file is not
    /// overwritten.
    pub fn save(&self, path: &Path) -> Result<(), KeyError> {
        let public = self.public();
        let file = KeyFile {
            kind: "Multikey".into(),
            id: Some(public.verification_method()),
            controller: Some(public.did_key()),
            public_key_multibase: public.multibase(),
            secret_key_multibase: Some(self.secret_multibase()),
            created: Some(xsd_time::format(self.created)),
        };
        let text = serde_json::to_string_pretty(&file).map_err(|e| invalid(path, &e.to_string()))?;
        let io = |source| KeyError::Io { path: path.to_path_buf(), source };
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut out = options.open(path).map_err(io)?;
        out.write_all(text.as_bytes()).map_err(io)?;
        out.write_all(b"\n").map_err(io)?;
        out.sync_all().map_err(io)
    }
}

/// Writes a public-only key file (for a retired key whose secret is destroyed, or a key of
/// another issuer that this verifier trusts).
pub fn save_public(public: &PublicKey, path: &Path) -> Result<(), KeyError> {
    let file = KeyFile {
        kind: "Multikey".into(),
        id: Some(public.verification_method()),
        controller: Some(public.did_key()),
        public_key_multibase: public.multibase(),
        secret_key_multibase: None,
        created: None,
    };
    let text = serde_json::to_string_pretty(&file).map_err(|e| invalid(path, &e.to_string()))?;
    fs::write(path, text + "\n").map_err(|source| KeyError::Io { path: path.to_path_buf(), source })
}

enum LoadedKey {
    Secret(IssuerKey),
    Public(PublicKey),
}

fn invalid(path: &Path, reason: &str) -> KeyError {
    KeyError::Invalid { path: path.to_path_buf(), reason: reason.to_string() }
}

fn read_key_file(path: &Path) -> Result<LoadedKey, KeyError> {
    let text = fs::read_to_string(path).map_err(|source| KeyError::Io { path: path.to_path_buf(), source })?;
    let file: KeyFile = serde_json::from_str(&text).map_err(|e| invalid(path, &e.to_string()))?;
    if file.kind != "Multikey" {
        return Err(invalid(path, "type is not Multikey"));
    }
    let public = PublicKey::from_multibase(&file.public_key_multibase)
        .ok_or_else(|| invalid(path, "publicKeyMultibase is not an Ed25519 Multikey"))?;
    let Some(secret) = file.secret_key_multibase else {
        return Ok(LoadedKey::Public(public));
    };
    let created = match file.created.as_deref() {
        Some(text) => xsd_time::parse(text).ok_or_else(|| invalid(path, "created is not a date-time"))?,
        None => OffsetDateTime::UNIX_EPOCH,
    };
    let key = IssuerKey::from_multibase(&secret, created)
        .ok_or_else(|| invalid(path, "secretKeyMultibase is not an Ed25519 Multikey"))?;
    if key.public() != public {
        return Err(invalid(path, "secretKeyMultibase does not match publicKeyMultibase"));
    }
    Ok(LoadedKey::Secret(key))
}

/// The keys an issuer signs with and a verifier trusts.
///
/// New credentials are signed with the active key; a credential verifies when its proof names a
/// key listed here (under `did:key`, or under the keyring's `did:web` DID).
#[derive(Debug, Clone, Default)]
pub struct Keyring {
    trusted: Vec<PublicKey>,
    active: Option<IssuerKey>,
    did_web: Option<String>,
}

impl Keyring {
    pub fn new() -> Keyring {
        Keyring::default()
    }

    /// A keyring of one key, which is active.
    pub fn single(key: IssuerKey) -> Keyring {
        let mut ring = Keyring::new();
        ring.trust(key.public());
        ring.active = Some(key);
        ring
    }

    /// Names the issuer `did:web:<domain>` instead of `did:key`; `domain` may carry a port
    /// (`example.org:8443`, written `%3A` in the DID) and a path (`example.org/issuers/a`).
    pub fn with_did_web(mut self, domain: &str) -> Keyring {
        self.did_web = Some(crate::did::did_web(domain));
        self
    }

    /// Adds a key that verifies but does not sign.
    pub fn trust(&mut self, key: PublicKey) {
        if !self.trusted.contains(&key) {
            self.trusted.push(key);
        }
    }

    /// Adds a key and makes it the one new credentials are signed with; earlier keys stay trusted.
    pub fn rotate_to(&mut self, key: IssuerKey) {
        self.trust(key.public());
        self.active = Some(key);
    }

    /// Stops trusting a key: credentials it signed no longer verify.
    pub fn remove(&mut self, key: &PublicKey) {
        self.trusted.retain(|k| k != key);
        if self.active.as_ref().is_some_and(|a| a.public() == *key) {
            self.active = None;
        }
    }

    pub fn trusted(&self) -> &[PublicKey] {
        &self.trusted
    }

    pub fn active(&self) -> Option<&IssuerKey> {
        self.active.as_ref()
    }

    pub fn did_web(&self) -> Option<&str> {
        self.did_web.as_deref()
    }

    /// The issuer DID of new credentials: the keyring's did:web, or the active key's did:key.
    pub fn issuer_did(&self) -> Option<String> {
        match (&self.did_web, &self.active) {
            (Some(did), _) => Some(did.clone()),
            (None, Some(key)) => Some(key.did_key()),
            (None, None) => None,
        }
    }

    /// The verification method new proofs name.
    pub fn active_verification_method(&self) -> Option<String> {
        let key = self.active.as_ref()?;
        Some(match &self.did_web {
            Some(did) => crate::did::did_web_verification_method(did, &key.public()),
            None => key.verification_method(),
        })
    }

    /// Reads every `*.json` key file of a folder; the file `active` names the active key by its
    /// `publicKeyMultibase`. Without that file, a folder with exactly one secret key makes it
    /// active.
    pub fn load_dir(dir: &Path) -> Result<Keyring, KeyError> {
        let ring_error = |reason: String| KeyError::Keyring { path: dir.to_path_buf(), reason };
        let entries = fs::read_dir(dir).map_err(|source| KeyError::Io { path: dir.to_path_buf(), source })?;
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        paths.sort();
        let mut ring = Keyring::new();
        let mut secrets = Vec::new();
        for path in &paths {
            match read_key_file(path)? {
                LoadedKey::Secret(key) => {
                    ring.trust(key.public());
                    secrets.push(key);
                }
                LoadedKey::Public(public) => ring.trust(public),
            }
        }
        let active_path = dir.join(ACTIVE_FILE);
        if active_path.exists() {
            let named = fs::read_to_string(&active_path)
                .map_err(|source| KeyError::Io { path: active_path.clone(), source })?;
            let named = named.trim();
            let key = secrets
                .into_iter()
                .find(|k| k.public().multibase() == named)
                .ok_or_else(|| ring_error(format!("the active key {named} has no key file with its secret key")))?;
            ring.active = Some(key);
        } else if secrets.len() == 1 {
            ring.active = secrets.pop();
        } else if secrets.len() > 1 {
            return Err(ring_error(format!("{} secret keys and no `{ACTIVE_FILE}` file naming one", secrets.len())));
        }
        Ok(ring)
    }

    /// Adds a new key file to the folder and makes it active (the `active` file is replaced);
    /// the old key files stay, so what they signed still verifies.
    pub fn rotate_dir(dir: &Path, key: &IssuerKey) -> Result<PathBuf, KeyError> {
        let name = format!("{}.json", key.public().multibase());
        let path = dir.join(name);
        key.save(&path)?;
        let active = dir.join(ACTIVE_FILE);
        let temp = dir.join(format!("{ACTIVE_FILE}.tmp"));
        let io = |source| KeyError::Io { path: active.clone(), source };
        fs::write(&temp, key.public().multibase() + "\n").map_err(io)?;
        fs::rename(&temp, &active).map_err(io)?;
        Ok(path)
    }
}
