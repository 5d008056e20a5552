//! A signed checkpoint of the audit chain's head, kept outside the database.
//!
//! The chain proves every entry up to the head, but someone who can write the database can cut
//! entries off the end and move the head back: the shorter chain is consistent. A checkpoint
//! (`gongjiang audit checkpoint`) records the head's sequence number and hash, signed with the
//! issuer's key (which lives outside the database, like the personal-data key file); verifying
//! against it (`gongjiang audit verify --checkpoint FILE`) fails when the chain no longer holds
//! that entry with that hash.

use gongjiang_credentials::{Keyring, Suite, sign_as, verify};
use gongjiang_domain::bilingual::Msg;
use gongjiang_store::Db;
use gongjiang_store::audit::{self, Break};
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::AppError;

const SUBJECT: &str = "urn:gongjiang:audit-head";

/// The signed checkpoint of the chain's head as it is now.
pub async fn checkpoint(db: &Db, keyring: &Keyring, now: OffsetDateTime) -> Result<Value, AppError> {
    let v = audit::verify(db).await?;
    if let Some(b) = v.broken {
        return Err(AppError::Invalid(b.reason.explain()));
    }
    let key = keyring.active().ok_or_else(no_key)?;
    let method = keyring.active_verification_method().ok_or_else(no_key)?;
    let issuer = keyring.issuer_did().ok_or_else(no_key)?;
    let doc = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "name": "审计链检查点 / audit chain checkpoint",
        "issuer": issuer,
        "validFrom": gongjiang_credentials::xsd_time(now),
        "credentialSubject": { "id": SUBJECT, "seq": v.head_seq, "hash": v.head_hash },
    });
    sign_as(&doc, key, &method, Suite::EddsaJcs2022, now).map_err(|e| AppError::Invalid(e.message()))
}

/// Checks `doc` (signature by a key of `keyring`) and that the chain still holds its entry with
/// its hash: `None` when it does, the break otherwise.
pub async fn check(db: &Db, doc: &Value, keyring: &Keyring) -> Result<Option<Break>, AppError> {
    if let Err(failures) = verify(doc, keyring, OffsetDateTime::now_utc()) {
        let m = failures.first().map(|f| f.message()).unwrap_or_else(|| Msg::new("签名无效", "bad signature"));
        return Err(AppError::Invalid(Msg::new(
            format!("检查点无效：{}", m.zh),
            format!("the checkpoint is not valid: {}", m.en),
        )));
    }
    let subject = &doc["credentialSubject"];
    let (Some(SUBJECT), Some(seq), Some(hash)) =
        (subject["id"].as_str(), subject["seq"].as_i64(), subject["hash"].as_str())
    else {
        return Err(AppError::Invalid(Msg::new("不是审计链检查点", "not an audit chain checkpoint")));
    };
    if seq == 0 {
        return Ok(None);
    }
    Ok(match audit::hash_at(db, seq).await? {
        Some(h) if h == hash => None,
        _ => Some(Break::BeforeCheckpoint),
    })
}

fn no_key() -> AppError {
    AppError::Invalid(Msg::new(
        "没有签名密钥：检查点需要签发密钥（--issuer-keys）",
        "no signing key: a checkpoint is signed with the issuer key (--issuer-keys)",
    ))
}
