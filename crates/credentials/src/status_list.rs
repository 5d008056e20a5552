//! W3C Bitstring Status List v1.0: one bit per credential (1 = revoked, for purpose
//! `revocation`). Bit 0 is the most significant bit of the first byte. The list travels as
//! GZIP, then multibase base64url without padding (`u…`), inside a
//! `BitstringStatusListCredential` that is signed like any credential.

use std::io::{Read, Write};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use gongjiang_domain::bilingual::Msg;
use serde::Serialize;
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::contexts::CREDENTIALS_V2;
use crate::xsd_time;

/// The smallest list the specification allows (16 KiB), so that one credential's bit hides
/// among many (group privacy).
pub const MIN_BITS: usize = 131_072;

/// Refuse to inflate a list larger than this (a GZIP bomb guard): 16 Mbit.
const MAX_BYTES: u64 = 2 * 1024 * 1024;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StatusListError {
    #[error("encoded list is not multibase base64url (u…)")]
    NotBase64Url,
    #[error("encoded list is not GZIP data")]
    NotGzip,
    #[error("list has {0} bits, fewer than the 131072 the specification requires")]
    TooShort(usize),
    #[error("list is larger than 16 Mbit")]
    TooLong,
}

impl StatusListError {
    pub fn message(&self) -> Msg {
        match self {
            StatusListError::NotBase64Url => {
                Msg::new("状态列表不是 base64url 多重编码", "the status list is not multibase base64url")
            }
            StatusListError::NotGzip => Msg::new("状态列表不是 GZIP 数据", "the status list is not GZIP data"),
            StatusListError::TooShort(bits) => Msg::new(
                format!("状态列表只有 {bits} 位，少于规范要求的 131072 位"),
                format!("the status list has {bits} bits, fewer than the 131072 required"),
            ),
            StatusListError::TooLong => Msg::new("状态列表超过 16 Mbit", "the status list is larger than 16 Mbit"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusList {
    bytes: Vec<u8>,
}

impl StatusList {
    /// A list of at least `bits` bits, all clear; never shorter than [`MIN_BITS`], rounded up to
    /// whole bytes.
    pub fn new(bits: usize) -> StatusList {
        StatusList { bytes: vec![0; bits.max(MIN_BITS).div_ceil(8)] }
    }

    pub fn len(&self) -> usize {
        self.bytes.len() * 8
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The bit at `index`; `None` past the end of the list.
    pub fn get(&self, index: usize) -> Option<bool> {
        let byte = self.bytes.get(index / 8)?;
        Some(byte & (0x80 >> (index % 8)) != 0)
    }

    /// Sets or clears a bit; returns `false` (and changes nothing) past the end of the list.
    pub fn set(&mut self, index: usize, value: bool) -> bool {
        let Some(byte) = self.bytes.get_mut(index / 8) else { return false };
        let mask = 0x80 >> (index % 8);
        if value {
            *byte |= mask;
        } else {
            *byte &= !mask;
        }
        true
    }

    /// `u` + base64url (no padding) of the GZIP-compressed bits: the `encodedList`.
    pub fn encode(&self) -> String {
        let mut gzip = GzEncoder::new(Vec::new(), Compression::best());
        // Writing to a Vec cannot fail.
        let _ = gzip.write_all(&self.bytes);
        let compressed = gzip.finish().unwrap_or_default();
        format!("u{}", URL_SAFE_NO_PAD.encode(compressed))
    }

    /// Reads an `encodedList` (with the multibase `u`, or without it as older lists were written).
    pub fn decode(encoded: &str) -> Result<StatusList, StatusListError> {
        let text = encoded.strip_prefix('u').unwrap_or(encoded);
        let compressed = URL_SAFE_NO_PAD.decode(text).map_err(|_| StatusListError::NotBase64Url)?;
        let mut bytes = Vec::new();
        GzDecoder::new(compressed.as_slice())
            .take(MAX_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|_| StatusListError::NotGzip)?;
        if bytes.len() as u64 > MAX_BYTES {
            return Err(StatusListError::TooLong);
        }
        if bytes.len() * 8 < MIN_BITS {
            return Err(StatusListError::TooShort(bytes.len() * 8));
        }
        Ok(StatusList { bytes })
    }
}

/// The unsigned `BitstringStatusListCredential` that publishes a list at `id`.
pub fn status_list_credential(
    id: &str,
    purpose: &str,
    issuer: &str,
    list: &StatusList,
    valid_from: OffsetDateTime,
) -> Value {
    json!({
        "@context": [CREDENTIALS_V2],
        "id": id,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": xsd_time::format(valid_from),
        "credentialSubject": {
            "id": format!("{id}#list"),
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": list.encode(),
        },
    })
}

/// A credential's `BitstringStatusListEntry`: where its bit is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusEntry {
    pub status_list_credential: String,
    pub index: usize,
    pub purpose: String,
}

/// The first `BitstringStatusListEntry` of a credential's `credentialStatus`, if any.
pub fn status_entry(document: &Value) -> Option<StatusEntry> {
    let entries = match document.get("credentialStatus")? {
        Value::Array(list) => list.clone(),
        single => vec![single.clone()],
    };
    entries.iter().find_map(|entry| {
        if entry.get("type")?.as_str()? != "BitstringStatusListEntry" {
            return None;
        }
        let index = match entry.get("statusListIndex")? {
            Value::String(text) => text.parse().ok()?,
            Value::Number(n) => usize::try_from(n.as_u64()?).ok()?,
            _ => return None,
        };
        Some(StatusEntry {
            status_list_credential: entry.get("statusListCredential")?.as_str()?.to_string(),
            index,
            purpose: entry.get("statusPurpose")?.as_str()?.to_string(),
        })
    })
}

/// Reads the list out of a (verified) status list credential.
pub fn list_of(status_list_credential: &Value) -> Result<StatusList, StatusListError> {
    let encoded = status_list_credential
        .pointer("/credentialSubject/encodedList")
        .and_then(Value::as_str)
        .ok_or(StatusListError::NotBase64Url)?;
    StatusList::decode(encoded)
}
