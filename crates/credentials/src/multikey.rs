//! Multikey encodings of Ed25519 keys: multicodec header + key bytes, base58btc, `z` prefix.

use ed25519_dalek::{SigningKey, VerifyingKey};

/// Multicodec `ed25519-pub` (0xed) as an unsigned varint.
const ED25519_PUB: [u8; 2] = [0xed, 0x01];
/// Multicodec `ed25519-priv` (0x1300) as an unsigned varint.
const ED25519_PRIV: [u8; 2] = [0x80, 0x26];

/// `z6Mk…`: the `publicKeyMultibase` of a Multikey, also the did:key method-specific id.
pub fn encode_public(key: &VerifyingKey) -> String {
    encode(&ED25519_PUB, key.as_bytes())
}

/// `z3u2…`: the `secretKeyMultibase` of a Multikey.
pub fn encode_secret(key: &SigningKey) -> String {
    encode(&ED25519_PRIV, &key.to_bytes())
}

pub fn decode_public(text: &str) -> Option<VerifyingKey> {
    let bytes: [u8; 32] = decode(&ED25519_PUB, text)?;
    VerifyingKey::from_bytes(&bytes).ok()
}

pub fn decode_secret(text: &str) -> Option<SigningKey> {
    decode(&ED25519_PRIV, text).map(|bytes: [u8; 32]| SigningKey::from_bytes(&bytes))
}

/// `z` + base58btc, the multibase form of a proof value or a key.
pub fn base58btc(bytes: &[u8]) -> String {
    format!("z{}", bs58::encode(bytes).into_string())
}

pub fn from_base58btc(text: &str) -> Option<Vec<u8>> {
    bs58::decode(text.strip_prefix('z')?).into_vec().ok()
}

fn encode(header: &[u8; 2], key: &[u8]) -> String {
    let mut bytes = Vec::with_capacity(34);
    bytes.extend_from_slice(header);
    bytes.extend_from_slice(key);
    base58btc(&bytes)
}

fn decode<const N: usize>(header: &[u8; 2], text: &str) -> Option<[u8; N]> {
    let bytes = from_base58btc(text)?;
    bytes.strip_prefix(header.as_slice())?.try_into().ok()
}
