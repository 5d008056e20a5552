//! Identity numbers at rest: encrypted with XChaCha20-Poly1305 (a random 192-bit nonce per
//! value, so equal numbers encrypt differently) and found by an HMAC-SHA256 lookup hash under
//! a separate key (equal numbers hash equally, so `WHERE id_lookup = $1` finds a person).
//!
//! Stored forms carry the key id, so keys can rotate: `v1:<key id>:<base64url nonce‖ciphertext>`
//! (84 characters for an 18-character number) and `<key id>:<hex of the HMAC's first 128 bits>`
//! (35). Both are compact on purpose: every person row and the unique lookup index carry them,
//! and at ten million persons each byte is ten megabytes. 128 bits of an HMAC are a PRF output
//! as good as 256 for exact lookup (a collision among 10⁸ numbers has probability ~10⁻²³). The
//! associated data names the column, so a ciphertext copied into another column does not
//! decrypt there.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::pii_keys::KeyRing;
use crate::{CryptoError, random_bytes};

/// Associated data for the identity-number column of `persons`.
pub const ID_NUMBER_COLUMN: &[u8] = b"gongjiang:persons.id_number";

const VERSION: &str = "v1";
const NONCE_LEN: usize = 24;
/// Bytes of the HMAC kept as the lookup hash.
const LOOKUP_LEN: usize = 16;

/// The canonical text that is encrypted and hashed: trimmed, check letter upper-case.
fn canonical(plain: &str) -> String {
    plain.trim().to_ascii_uppercase()
}

impl KeyRing {
    /// Encrypts an identity number (canonical: trimmed, check letter upper-case) with the
    /// current key.
    pub fn encrypt(&self, plain: &str, column: &[u8]) -> Result<String, CryptoError> {
        self.encrypt_text(&canonical(plain), column)
    }

    /// Encrypts any text as it is with the current key.
    pub fn encrypt_text(&self, text: &str, column: &[u8]) -> Result<String, CryptoError> {
        self.encrypt_bytes(text.as_bytes(), column)
    }

    /// Encrypts any bytes (an xAPI attachment) with the current key; the stored form is text.
    pub fn encrypt_bytes(&self, bytes: &[u8], column: &[u8]) -> Result<String, CryptoError> {
        let key = self.current_key()?;
        let cipher = XChaCha20Poly1305::new((&key.encryption).into());
        let nonce_bytes = random_bytes::<NONCE_LEN>()?;
        let nonce = XNonce::from(nonce_bytes);
        let ct = cipher.encrypt(&nonce, Payload { msg: bytes, aad: column }).map_err(|_| CryptoError::BadCiphertext)?;
        let mut out = Vec::with_capacity(NONCE_LEN + ct.len());
        out.extend_from_slice(&nonce_bytes);
        out.extend_from_slice(&ct);
        Ok(format!("{VERSION}:{}:{}", self.current, URL_SAFE_NO_PAD.encode(out)))
    }

    /// Decrypts with whichever key the stored value names.
    pub fn decrypt(&self, stored: &str, column: &[u8]) -> Result<String, CryptoError> {
        String::from_utf8(self.decrypt_bytes(stored, column)?).map_err(|_| CryptoError::Decrypt)
    }

    /// Decrypts bytes sealed by [`KeyRing::encrypt_bytes`].
    pub fn decrypt_bytes(&self, stored: &str, column: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let (kid, body) = split_ciphertext(stored)?;
        let key = self.key(kid)?;
        let bytes = URL_SAFE_NO_PAD.decode(body).map_err(|_| CryptoError::BadCiphertext)?;
        if bytes.len() <= NONCE_LEN {
            return Err(CryptoError::BadCiphertext);
        }
        let (nonce, ct) = bytes.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| CryptoError::BadCiphertext)?;
        let cipher = XChaCha20Poly1305::new((&key.encryption).into());
        cipher.decrypt(&XNonce::from(nonce), Payload { msg: ct, aad: column }).map_err(|_| CryptoError::Decrypt)
    }

    /// The lookup hash under the current key: what is stored beside the ciphertext.
    pub fn lookup_hash(&self, plain: &str) -> Result<String, CryptoError> {
        self.lookup_hash_with(&self.current, plain)
    }

    /// The lookup hash under every key, current first: during a rotation rows hashed with an
    /// older key are still found with `WHERE id_lookup IN (…)`.
    pub fn lookup_hashes(&self, plain: &str) -> Result<Vec<String>, CryptoError> {
        let mut ids: Vec<&str> = vec![self.current.as_str()];
        ids.extend(self.keys.keys().map(String::as_str).filter(|k| *k != self.current));
        ids.into_iter().map(|k| self.lookup_hash_with(k, plain)).collect()
    }

    fn lookup_hash_with(&self, kid: &str, plain: &str) -> Result<String, CryptoError> {
        let key = self.key(kid)?;
        let mut mac = <Hmac<Sha256>>::new_from_slice(&key.lookup).map_err(|_| CryptoError::UnknownKey(kid.into()))?;
        mac.update(canonical(plain).as_bytes());
        Ok(format!("{kid}:{}", hex::encode(&mac.finalize().into_bytes()[..LOOKUP_LEN])))
    }

    /// The tail hash of a number under the current key: a keyed hash of its last four
    /// characters, stored beside the lookup hash so an officer can find a person from the masked
    /// number a list shows (`1201**********123X`) or the "尾号" a caller gives. Only the last
    /// four are hashed (about 11,000 values), so the column's index grows at a few thousand
    /// places instead of at random, and a search reaches a few hundred rows of a city of ten
    /// million; the first four are checked on the decrypted candidates.
    pub fn tail_hash(&self, plain: &str) -> Result<i64, CryptoError> {
        self.tail_hash_with(&self.current, plain)
    }

    /// The tail hash of `tail` (the last four characters, or a whole number) under every key,
    /// current first.
    pub fn tail_hashes(&self, tail: &str) -> Result<Vec<i64>, CryptoError> {
        let mut ids: Vec<&str> = vec![self.current.as_str()];
        ids.extend(self.keys.keys().map(String::as_str).filter(|k| *k != self.current));
        ids.into_iter().map(|k| self.tail_hash_with(k, tail)).collect()
    }

    fn tail_hash_with(&self, kid: &str, plain: &str) -> Result<i64, CryptoError> {
        let key = self.key(kid)?;
        let c = canonical(plain);
        let chars: Vec<char> = c.chars().collect();
        let tail: String = chars[chars.len().saturating_sub(4)..].iter().collect();
        let mut mac = <Hmac<Sha256>>::new_from_slice(&key.lookup).map_err(|_| CryptoError::UnknownKey(kid.into()))?;
        mac.update(b"gongjiang:persons.id_tail\0");
        mac.update(tail.as_bytes());
        let bytes = mac.finalize().into_bytes();
        let mut first = [0u8; 8];
        first.copy_from_slice(&bytes[..8]);
        Ok(i64::from_be_bytes(first))
    }

    /// Whether a stored ciphertext or lookup hash was made with an older key and should be
    /// rewritten by the re-encryption pass.
    pub fn is_stale(&self, stored: &str) -> bool {
        let kid = stored.strip_prefix("v1:").unwrap_or(stored).split(':').next().unwrap_or("");
        kid != self.current
    }
}

fn split_ciphertext(stored: &str) -> Result<(&str, &str), CryptoError> {
    let mut parts = stored.splitn(3, ':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(VERSION), Some(kid), Some(body)) => Ok((kid, body)),
        _ => Err(CryptoError::BadCiphertext),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "120101199001011234";

    #[test]
    fn encryption_round_trips_with_a_fresh_nonce_each_time() {
        let ring = KeyRing::generate().unwrap();
        let a = ring.encrypt(ID, ID_NUMBER_COLUMN).unwrap();
        let b = ring.encrypt(ID, ID_NUMBER_COLUMN).unwrap();
        assert_ne!(a, b, "equal numbers must not give equal ciphertexts");
        assert!(a.starts_with("v1:k1:"), "{a}");
        assert_eq!((a.len(), ring.lookup_hash(ID).unwrap().len()), (84, 35), "compact stored forms");
        assert_eq!(ring.decrypt(&a, ID_NUMBER_COLUMN).unwrap(), ID);
        assert_eq!(
            ring.encrypt("12010119900101123x", ID_NUMBER_COLUMN)
                .map(|c| ring.decrypt(&c, ID_NUMBER_COLUMN).unwrap())
                .unwrap(),
            "12010119900101123X"
        );
    }

    #[test]
    fn ciphertext_never_contains_the_plain_number() {
        let ring = KeyRing::generate().unwrap();
        for _ in 0..200 {
            let c = ring.encrypt(ID, ID_NUMBER_COLUMN).unwrap();
            assert!(!c.contains(ID) && !c.contains(&ID[6..14]) && !c.contains(&ID[..6]), "{c}");
            let h = ring.lookup_hash(ID).unwrap();
            assert!(!h.contains(&ID[..6]), "{h}");
        }
    }

    #[test]
    fn a_wrong_key_a_tampered_ciphertext_or_another_column_fails() {
        let ring = KeyRing::generate().unwrap();
        let other = KeyRing::generate().unwrap();
        let c = ring.encrypt(ID, ID_NUMBER_COLUMN).unwrap();
        assert!(matches!(other.decrypt(&c, ID_NUMBER_COLUMN), Err(CryptoError::Decrypt)));
        assert!(ring.decrypt(&c, b"gongjiang:other.column").is_err());
        let mut tampered = c.clone().into_bytes();
        let last = tampered.len() - 1;
        tampered[last] = if tampered[last] == b'0' { b'1' } else { b'0' };
        assert!(ring.decrypt(std::str::from_utf8(&tampered).unwrap(), ID_NUMBER_COLUMN).is_err());
        assert!(ring.decrypt("120101199001011234", ID_NUMBER_COLUMN).is_err());
    }

    #[test]
    fn lookup_hash_is_stable_per_key_and_differs_across_keys() {
        let ring = KeyRing::generate().unwrap();
        let other = KeyRing::generate().unwrap();
        assert_eq!(ring.lookup_hash(ID).unwrap(), ring.lookup_hash(&format!(" {ID} ")).unwrap());
        assert_ne!(ring.lookup_hash(ID).unwrap(), ring.lookup_hash("120101199001015678").unwrap());
        assert_ne!(ring.lookup_hash(ID).unwrap()[3..], other.lookup_hash(ID).unwrap()[3..]);
    }

    #[test]
    fn after_rotation_old_data_still_decrypts_and_is_marked_stale() {
        let mut ring = KeyRing::generate().unwrap();
        let old_c = ring.encrypt(ID, ID_NUMBER_COLUMN).unwrap();
        let old_h = ring.lookup_hash(ID).unwrap();
        ring.rotate().unwrap();
        let new_c = ring.encrypt(ID, ID_NUMBER_COLUMN).unwrap();
        assert!(new_c.starts_with("v1:k2:"));
        assert_eq!(ring.decrypt(&old_c, ID_NUMBER_COLUMN).unwrap(), ID);
        assert!(ring.is_stale(&old_c) && ring.is_stale(&old_h));
        assert!(!ring.is_stale(&new_c) && !ring.is_stale(&ring.lookup_hash(ID).unwrap()));
        let all = ring.lookup_hashes(ID).unwrap();
        assert_eq!(all.len(), 2);
        assert!(all[0].starts_with("k2:") && all.contains(&old_h));
    }

    #[test]
    fn tail_hash_keys_the_last_four_characters_only() {
        let mut ring = KeyRing::generate().unwrap();
        let other = KeyRing::generate().unwrap();
        let whole = ring.tail_hash(ID).unwrap();
        assert_eq!(whole, ring.tail_hashes("1234").unwrap()[0], "the whole number and its tail agree");
        assert_eq!(whole, ring.tail_hash("110105198512301234").unwrap(), "another number with the same tail");
        assert_ne!(whole, ring.tail_hash("120101199001011235").unwrap());
        assert_eq!(ring.tail_hash("12010119900101123x").unwrap(), ring.tail_hash("123X").unwrap());
        assert_ne!(whole, other.tail_hash(ID).unwrap(), "keyed: another key hashes differently");
        ring.rotate().unwrap();
        let all = ring.tail_hashes("1234").unwrap();
        assert_eq!(all.len(), 2);
        assert!(all.contains(&whole) && all[0] != whole, "current key first, the old one still found");
    }
}
