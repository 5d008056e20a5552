//! Identity numbers at rest: the store seals them on the way in and opens them on the way out,
//! with the key ring the database handle carries (`Db::with_keys`; the key file lives outside
//! the database, `docs/SECURITY.md` §4).
//!
//! `persons.id_cipher` holds the number encrypted (XChaCha20-Poly1305, a fresh nonce per value,
//! the column named in the associated data) and `persons.id_lookup` its HMAC-SHA256 under a
//! separate key, unique, which every lookup and the imports' de-duplication go through. No
//! column holds the number in plaintext; `persons_plaintext_ids` holds the numbers of a
//! database migrated from before encryption only until [`crate::persons::seal_plaintext`] has
//! encrypted them.

use std::sync::Arc;

use gongjiang_crypto::pii::ID_NUMBER_COLUMN;
use gongjiang_crypto::pii_keys::KeyRing;

use crate::StoreError;

/// The key ring a database handle seals and opens identity numbers with; empty when the
/// database was opened without one (then every read or write of a number is refused).
#[derive(Clone, Default)]
pub struct Pii(Option<Arc<KeyRing>>);

impl std::fmt::Debug for Pii {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Some(ring) => write!(f, "Pii(current key {})", ring.current_id()),
            None => f.write_str("Pii(no keys)"),
        }
    }
}

/// An identity number as stored: ciphertext and lookup hash under the current key.
pub(crate) struct Sealed {
    pub cipher: String,
    pub lookup: String,
    /// The keyed hash of the last four characters (`persons.id_tail`).
    pub tail: i64,
}

impl Pii {
    pub fn new(ring: Arc<KeyRing>) -> Pii {
        Pii(Some(ring))
    }

    pub fn ring(&self) -> Result<&KeyRing, StoreError> {
        self.0.as_deref().ok_or(StoreError::NoKeys)
    }

    pub fn is_set(&self) -> bool {
        self.0.is_some()
    }

    pub(crate) fn seal(&self, number: &str) -> Result<Sealed, StoreError> {
        let ring = self.ring()?;
        Ok(Sealed {
            cipher: ring.encrypt(number, ID_NUMBER_COLUMN)?,
            lookup: ring.lookup_hash(number)?,
            tail: ring.tail_hash(number)?,
        })
    }

    /// The tail hash alone, for a caller that has the rest.
    pub(crate) fn tail(&self, number: &str) -> Result<i64, StoreError> {
        Ok(self.ring()?.tail_hash(number)?)
    }

    /// The tail hash of `tail` (four characters) under every key, current first.
    pub(crate) fn tails(&self, tail: &str) -> Result<Vec<i64>, StoreError> {
        Ok(self.ring()?.tail_hashes(tail)?)
    }

    /// The ciphertext alone, for a caller that has the lookup hash already.
    pub(crate) fn encrypt(&self, number: &str) -> Result<String, StoreError> {
        Ok(self.ring()?.encrypt(number, ID_NUMBER_COLUMN)?)
    }

    /// The number in a stored ciphertext.
    pub(crate) fn open(&self, cipher: &str) -> Result<String, StoreError> {
        if cipher.is_empty() {
            return Err(StoreError::Unsealed);
        }
        Ok(self.ring()?.decrypt(cipher, ID_NUMBER_COLUMN)?)
    }

    /// Replaces each row's `id_number` (selected as the ciphertext) by the number.
    pub(crate) fn open_all<T>(&self, rows: &mut [T], field: impl Fn(&mut T) -> &mut String) -> Result<(), StoreError> {
        for r in rows {
            let f = field(r);
            *f = self.open(f)?;
        }
        Ok(())
    }

    /// Other personal data encrypted the same way, with its own column named in the associated
    /// data (a correction request's proposed value).
    pub(crate) fn seal_text(&self, column: &[u8], text: &str) -> Result<String, StoreError> {
        Ok(self.ring()?.encrypt_text(text, column)?)
    }

    pub(crate) fn open_text(&self, column: &[u8], cipher: &str) -> Result<String, StoreError> {
        Ok(self.ring()?.decrypt(cipher, column)?)
    }

    /// Other bytes encrypted the same way (an xAPI attachment's content).
    pub(crate) fn seal_bytes(&self, column: &[u8], bytes: &[u8]) -> Result<String, StoreError> {
        Ok(self.ring()?.encrypt_bytes(bytes, column)?)
    }

    pub(crate) fn open_bytes(&self, column: &[u8], cipher: &str) -> Result<Vec<u8>, StoreError> {
        Ok(self.ring()?.decrypt_bytes(cipher, column)?)
    }

    /// The lookup hash of `number` under every key, current first: rows not yet re-hashed
    /// after a rotation are found too.
    pub(crate) fn lookups(&self, number: &str) -> Result<Vec<String>, StoreError> {
        Ok(self.ring()?.lookup_hashes(number)?)
    }

    /// Whether a stored ciphertext or lookup hash was made with an older key.
    pub(crate) fn is_stale(&self, stored: &str) -> Result<bool, StoreError> {
        Ok(self.ring()?.is_stale(stored))
    }
}
