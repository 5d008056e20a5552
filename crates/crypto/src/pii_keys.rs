//! The key file: the keys that protect personal data, kept outside the database (so a copied
//! database file or backup alone reveals nothing) in a TOML file readable by its owner only.
//!
//! ```toml
//! current = "k2"          # new data is written with this key
//! [[keys]]
//! id = "k1"               # older keys stay until every row is re-encrypted
//! encryption = "64 hex"   # XChaCha20-Poly1305 key
//! lookup = "64 hex"       # HMAC-SHA256 key for exact-match lookup hashes
//! ```

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use serde::Deserialize;

use crate::{CryptoError, random_bytes};

/// The two keys of one generation: encryption and lookup are separate so that neither reveals
/// the other and a lookup hash can never be used to decrypt.
#[derive(Clone)]
pub struct PiiKey {
    pub(crate) encryption: [u8; 32],
    pub(crate) lookup: [u8; 32],
}

impl std::fmt::Debug for PiiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PiiKey(…)")
    }
}

/// Every key generation the file holds, and which one new data is written with.
#[derive(Debug, Clone)]
pub struct KeyRing {
    pub(crate) current: String,
    pub(crate) keys: BTreeMap<String, PiiKey>,
}

#[derive(Deserialize)]
struct KeyFile {
    current: String,
    keys: Vec<KeyEntry>,
}

#[derive(Deserialize)]
struct KeyEntry {
    id: String,
    encryption: String,
    lookup: String,
}

impl KeyRing {
    /// A ring with one freshly generated key, `k1`.
    pub fn generate() -> Result<KeyRing, CryptoError> {
        let mut ring = KeyRing { current: String::new(), keys: BTreeMap::new() };
        ring.rotate()?;
        Ok(ring)
    }

    /// Adds a new key generation (`k<n+1>`) and makes it current; returns its id. Old keys stay
    /// so existing ciphertexts still decrypt until they are re-encrypted.
    pub fn rotate(&mut self) -> Result<String, CryptoError> {
        // One more than the highest `k<n>`, so a removed key's id is never given out again.
        let top = self.keys.keys().filter_map(|k| k.strip_prefix('k')?.parse::<u32>().ok()).max().unwrap_or(0);
        let id = format!("k{}", top + 1);
        let key = PiiKey { encryption: random_bytes()?, lookup: random_bytes()? };
        self.keys.insert(id.clone(), key);
        self.current = id.clone();
        Ok(id)
    }

    /// Removes an old key generation, once no stored value uses it (`gongjiang keys reencrypt`
    /// reports that). The current key cannot be removed.
    pub fn remove(&mut self, id: &str) -> Result<(), CryptoError> {
        if id == self.current {
            return Err(CryptoError::CurrentKey(id.to_string()));
        }
        self.keys.remove(id).map(|_| ()).ok_or_else(|| CryptoError::UnknownKey(id.to_string()))
    }

    pub fn current_id(&self) -> &str {
        &self.current
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.keys.keys().map(String::as_str)
    }

    pub(crate) fn key(&self, id: &str) -> Result<&PiiKey, CryptoError> {
        self.keys.get(id).ok_or_else(|| CryptoError::UnknownKey(id.to_string()))
    }

    pub(crate) fn current_key(&self) -> Result<&PiiKey, CryptoError> {
        self.key(&self.current)
    }

    pub fn to_toml(&self) -> String {
        // Written by hand: ids are checked to be plain (no quotes), values are hex.
        let mut out = String::from(
            "# gongjiang 个人信息密钥 / personal-data keys. 保存在数据库之外，仅所有者可读 (0600)；\n\
             # 丢失即无法解密身份证号 / keep outside the database, owner-only; losing it loses the identity numbers.\n",
        );
        out.push_str(&format!("current = \"{}\"\n", self.current));
        for (id, k) in &self.keys {
            out.push_str(&format!(
                "\n[[keys]]\nid = \"{id}\"\nencryption = \"{}\"\nlookup = \"{}\"\n",
                hex::encode(k.encryption),
                hex::encode(k.lookup)
            ));
        }
        out
    }

    pub fn from_toml(text: &str, path: &str) -> Result<KeyRing, CryptoError> {
        let bad = |reason: String| CryptoError::KeyFile { path: path.to_string(), reason };
        let file: KeyFile = toml::from_str(text).map_err(|e| bad(e.to_string()))?;
        let mut keys = BTreeMap::new();
        for e in file.keys {
            if e.id.is_empty() || !e.id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
                return Err(bad(format!("密钥编号无效 / invalid key id {:?}", e.id)));
            }
            let parse = |hex_text: &str, what: &str| -> Result<[u8; 32], CryptoError> {
                let bytes =
                    hex::decode(hex_text).map_err(|_| bad(format!("{} {what}: 不是十六进制 / not hex", e.id)))?;
                bytes.try_into().map_err(|_| bad(format!("{} {what}: 应为 32 字节 / must be 32 bytes", e.id)))
            };
            let key = PiiKey { encryption: parse(&e.encryption, "encryption")?, lookup: parse(&e.lookup, "lookup")? };
            if keys.insert(e.id.clone(), key).is_some() {
                return Err(bad(format!("密钥编号重复 / key id {} appears twice", e.id)));
            }
        }
        if !keys.contains_key(&file.current) {
            return Err(bad(format!("current = {:?} 不在 keys 中 / is not one of the keys", file.current)));
        }
        Ok(KeyRing { current: file.current, keys })
    }
}

/// Reads the key file, refusing one that others than its owner may read.
pub fn load(path: &Path) -> Result<KeyRing, CryptoError> {
    let shown = path.display().to_string();
    let bad = |reason: String| CryptoError::KeyFile { path: shown.clone(), reason };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_err(|e| bad(e.to_string()))?.permissions().mode();
        if mode & 0o077 != 0 {
            return Err(bad(format!(
                "权限 {:o} 过宽，应为 600 / permissions {:o} are too open; run chmod 600",
                mode & 0o777,
                mode & 0o777
            )));
        }
    }
    let text = std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?;
    KeyRing::from_toml(&text, &shown)
}

/// Writes a key file readable by its owner only. `replace = false` refuses to overwrite an
/// existing file (overwriting would lose the keys of every encrypted row).
pub fn save(path: &Path, ring: &KeyRing, replace: bool) -> Result<(), CryptoError> {
    let shown = path.display().to_string();
    let bad = |e: std::io::Error| CryptoError::KeyFile { path: shown.clone(), reason: e.to_string() };
    let tmp = path.with_extension("tmp");
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let target = if replace { &tmp } else { path };
    let mut f = opts.open(target).map_err(bad)?;
    f.write_all(ring.to_toml().as_bytes()).map_err(bad)?;
    f.sync_all().map_err(bad)?;
    if replace {
        std::fs::rename(&tmp, path).map_err(bad)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_file_round_trips_is_owner_only_and_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.toml");
        let mut ring = KeyRing::generate().unwrap();
        save(&path, &ring, false).unwrap();
        assert!(save(&path, &ring, false).is_err(), "an existing key file must not be overwritten");
        let loaded = load(&path).unwrap();
        assert_eq!(loaded.current_id(), "k1");
        assert_eq!(loaded.key("k1").unwrap().encryption, ring.key("k1").unwrap().encryption);

        assert_eq!(ring.rotate().unwrap(), "k2");
        save(&path, &ring, true).unwrap();
        let mut retired = ring.clone();
        assert!(retired.remove("k2").is_err(), "not the current key");
        retired.remove("k1").unwrap();
        assert_eq!(retired.rotate().unwrap(), "k3", "a removed key's id is not reused");
        let loaded = load(&path).unwrap();
        assert_eq!((loaded.current_id(), loaded.ids().count()), ("k2", 2));

        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            let e = load(&path).unwrap_err().to_string();
            assert!(e.contains("600"), "{e}");
        }
    }

    #[test]
    fn a_key_file_with_a_missing_current_key_is_refused() {
        let text = "current = \"k9\"\n[[keys]]\nid = \"k1\"\nencryption = \"00\"\nlookup = \"00\"\n";
        assert!(KeyRing::from_toml(text, "t").is_err());
    }
}
