//! gongjiang-crypto: every secret the platform keeps, in one small crate so the pure `domain`
//! crate stays free of cryptography and randomness.
//!
//! - [`password`]: Argon2id password hashes (PHC strings).
//! - [`secret`]: session ids, CSRF tokens and API tokens — random, shown once, stored as SHA-256.
//! - [`digest`]: SHA-256 for the audit chain.
//! - [`pii`]: identity numbers encrypted with XChaCha20-Poly1305 and looked up by HMAC-SHA256,
//!   with keys from a key file outside the database ([`keys`]).

pub mod digest;
pub mod password;
pub mod pii;
pub mod pii_keys;
pub mod secret;

use thiserror::Error;

#[derive(Debug, Error)]
pub enum CryptoError {
    #[error("操作系统随机数不可用 / the operating system's random source failed: {0}")]
    Random(String),
    #[error("密码哈希失败 / password hashing failed: {0}")]
    PasswordHash(String),
    #[error("密钥文件有误 / key file {path}: {reason}")]
    KeyFile { path: String, reason: String },
    #[error("密钥 {0} 不在密钥文件中 / key {0} is not in the key file")]
    UnknownKey(String),
    #[error("{0} 是当前密钥，不能删除 / {0} is the current key and cannot be removed")]
    CurrentKey(String),
    #[error("密文无法解密（密钥错误或数据被篡改） / the ciphertext does not decrypt (wrong key or tampered data)")]
    Decrypt,
    #[error("不是 gongjiang 密文 / not a gongjiang ciphertext")]
    BadCiphertext,
}

/// `N` bytes from the operating system's random source.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], CryptoError> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|e| CryptoError::Random(e.to_string()))?;
    Ok(b)
}

/// Compares two byte strings in time that depends only on their lengths.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
