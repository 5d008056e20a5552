//! Password hashes: Argon2id with the crate's default cost (19 MiB, 2 passes, 1 lane — the
//! OWASP minimum), stored as PHC strings so the cost can rise later without breaking old
//! hashes. These calls take tens of milliseconds of CPU: async callers run them on a blocking
//! thread (`tokio::task::spawn_blocking`).

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::CryptoError;

/// The PHC string of `password` with a fresh random salt.
pub fn hash(password: &str) -> Result<String, CryptoError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| CryptoError::PasswordHash(e.to_string()))
}

/// Whether `password` matches the stored PHC string. A malformed stored hash never matches.
pub fn verify(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// Spends the same work as a real verification, for a user name that does not exist, so the
/// response time does not tell an attacker which names are registered.
pub fn verify_nobody(password: &str) {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let phc = DUMMY.get_or_init(|| hash("gongjiang dummy password for timing").unwrap_or_default());
    let _ = verify(password, phc);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_hash_round_trips_and_rejects_other_passwords() {
        let h = hash("correct horse battery staple").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify("correct horse battery staple", &h));
        assert!(!verify("correct horse battery stapler", &h));
        assert!(!verify("anything", "not a phc string"));
        assert_ne!(h, hash("correct horse battery staple").unwrap(), "salts differ");
    }
}
