//! Bearer secrets: session ids, CSRF tokens and API tokens. Each is 256 random bits, handed to
//! its holder once and stored only as its SHA-256 (a stolen database reveals no usable secret;
//! a 256-bit random value needs no slow hash).

use crate::{CryptoError, constant_time_eq, digest::sha256_hex, random_bytes};

/// A freshly made secret: `plain` goes to the holder, `hash` to the database.
#[derive(Debug, Clone)]
pub struct NewSecret {
    pub plain: String,
    pub hash: String,
}

/// A new secret, hex-encoded after `prefix` (e.g. `gjt_` for API tokens, so scanners can spot
/// leaked ones).
pub fn new_secret(prefix: &str) -> Result<NewSecret, CryptoError> {
    let plain = format!("{prefix}{}", hex::encode(random_bytes::<32>()?));
    let hash = hash_secret(&plain);
    Ok(NewSecret { plain, hash })
}

/// The stored form of a secret.
pub fn hash_secret(plain: &str) -> String {
    sha256_hex(plain.as_bytes())
}

/// Whether `plain` is the secret whose stored form is `hash` (constant time).
pub fn matches(plain: &str, hash: &str) -> bool {
    constant_time_eq(hash_secret(plain).as_bytes(), hash.as_bytes())
}

/// A secret derived from another for one `purpose` (e.g. a session's CSRF token from its id):
/// whoever holds the parent can recompute it, nobody can go back from it to the parent.
pub fn derive(parent: &str, purpose: &str) -> String {
    sha256_hex(format!("gongjiang-derived-v1\n{purpose}\n{parent}").as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_random_and_only_their_hash_is_kept() {
        let a = new_secret("gjt_").unwrap();
        let b = new_secret("gjt_").unwrap();
        assert_ne!(a.plain, b.plain);
        assert!(a.plain.starts_with("gjt_") && a.plain.len() == 4 + 64);
        assert!(!a.hash.contains(&a.plain[4..]));
        assert!(matches(&a.plain, &a.hash));
        assert!(!matches(&b.plain, &a.hash));
    }

    #[test]
    fn derived_secrets_depend_on_parent_and_purpose() {
        let a = new_secret("").unwrap();
        let b = new_secret("").unwrap();
        assert_eq!(derive(&a.plain, "csrf"), derive(&a.plain, "csrf"));
        assert_ne!(derive(&a.plain, "csrf"), derive(&b.plain, "csrf"));
        assert_ne!(derive(&a.plain, "csrf"), derive(&a.plain, "other"));
        assert_ne!(derive(&a.plain, "csrf"), a.hash, "not the stored form of the parent");
    }
}
