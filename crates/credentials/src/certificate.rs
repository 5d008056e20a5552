//! A skill-level certificate (职业技能等级证书, RESEARCH.md §4.2) as an Open Badges 3.0
//! `OpenBadgeCredential`: the achievement is the occupation at a level.
//!
//! Only terms of the VC 2.0 and OB 3.0.3 contexts are used, so JSON-LD expansion drops nothing
//! and `eddsa-rdfc-2022` signs every field:
//!
//! | certificate field | where |
//! |---|---|
//! | 证书编号 certificate number | `credentialSubject.licenseNumber` |
//! | 职业 occupation code + name | `achievement.humanCode`, `achievement.fieldOfStudy` |
//! | 工种/职业方向 (or `--`) | `achievement.specialization` |
//! | 职业技能等级 level | `achievement.name`, `achievement.tag` |
//! | 评价机构 issuing institution | `credentialSubject.source` (a `Profile`: who assessed, for the issuer) |
//! | 发证日期 issue date | `awardedDate` |
//! | 姓名 holder name | `credentialSubject.identifier[]`, `identityType` `name`, not hashed |
//! | 证件号码 identity number | `credentialSubject.identifier[]`, salted SHA-256, `hashed: true` |
//! | query page | `url` |

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::contexts::{CREDENTIALS_V2, OPEN_BADGES_V3_0_3};
use crate::xsd_time;

/// Who signs: a DID (`did:web:<city domain>` or `did:key:…`) and a display name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issuer {
    pub id: String,
    pub name: String,
    pub url: Option<String>,
}

/// Where the credential's revocation bit lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusListEntry {
    /// The URL of the `BitstringStatusListCredential`.
    pub status_list_credential: String,
    pub index: usize,
}

/// What a certificate says, ready to become a credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateClaims {
    /// The credential's own id, written `urn:uuid:…`.
    pub credential_id: Uuid,
    pub certificate_no: String,
    pub occupation_code: String,
    pub occupation_name: String,
    /// 工种/职业方向; `None` is written `--`, as the certificate style requires.
    pub trade: Option<String>,
    /// As printed, e.g. `三级/高级工`.
    pub level_name: String,
    /// 评价机构名称, exactly as registered.
    pub institution_name: String,
    pub issued_on: Date,
    pub holder_name: String,
    /// `sha256$<hex>` of the identity number followed by `holder_identity_salt`; see
    /// [`hash_identity`]. The plain number never enters a credential.
    pub holder_identity_hash: String,
    pub holder_identity_salt: String,
    pub valid_from: OffsetDateTime,
    pub valid_until: Option<OffsetDateTime>,
    pub status: Option<StatusListEntry>,
    /// The public page that shows this certificate's current state.
    pub verification_url: String,
}

/// The OB 3.0 `IdentityHash` of an identity number: `sha256$` + hex of SHA-256(number ‖ salt).
pub fn hash_identity(identity_number: &str, salt: &str) -> String {
    let digest = Sha256::digest(format!("{identity_number}{salt}").as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256${hex}")
}

/// A fresh salt for [`hash_identity`] (16 random bytes, hex), so the hash of a short identity
/// number cannot be looked up in a table. Falls back to the credential id's bytes if the
/// operating system gives no random numbers.
pub fn new_salt(fallback: Uuid) -> String {
    let mut bytes = *fallback.as_bytes();
    let _ = getrandom::fill(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

const TRADE_NONE: &str = "--";

/// The unsigned `OpenBadgeCredential` of a certificate.
pub fn certificate_credential(claims: &CertificateClaims, issuer: &Issuer) -> Value {
    let trade = claims.trade.as_deref().filter(|t| !t.trim().is_empty()).unwrap_or(TRADE_NONE);
    let achievement_id = format!(
        "urn:gongjiang:achievement:{}:{}:{}",
        percent_encode(&claims.occupation_code),
        percent_encode(trade),
        percent_encode(&claims.level_name)
    );
    let title = if trade == TRADE_NONE {
        format!("{}（{}）", claims.occupation_name, claims.level_name)
    } else {
        format!("{}·{}（{}）", claims.occupation_name, trade, claims.level_name)
    };
    let mut issuer_profile = json!({ "id": issuer.id, "type": ["Profile"], "name": issuer.name });
    if let Some(url) = &issuer.url {
        issuer_profile["url"] = json!(url);
    }
    let mut credential = json!({
        "@context": [CREDENTIALS_V2, OPEN_BADGES_V3_0_3],
        "id": format!("urn:uuid:{}", claims.credential_id),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "职业技能等级证书",
        "description": format!(
            "职业技能等级证书 {}：{} / Vocational skill level certificate {}",
            claims.certificate_no, title, claims.certificate_no
        ),
        "issuer": issuer_profile,
        "validFrom": xsd_time::format(claims.valid_from),
        "awardedDate": format!("{}T00:00:00+08:00", claims.issued_on),
        "url": claims.verification_url,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "licenseNumber": claims.certificate_no,
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": false,
                    "identityHash": claims.holder_name,
                },
                {
                    "type": "IdentityObject",
                    "identityType": "nationalIdentityNumber",
                    "hashed": true,
                    "identityHash": claims.holder_identity_hash,
                    "salt": claims.holder_identity_salt,
                },
            ],
            "source": {
                "type": ["Profile"],
                "name": claims.institution_name,
            },
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": title,
                "description": format!(
                    "职业技能等级认定：{} {}，{}，{} / Vocational skill level assessment: occupation {} {}, trade {}, level {}",
                    claims.occupation_code, claims.occupation_name, trade, claims.level_name,
                    claims.occupation_code, claims.occupation_name, trade, claims.level_name
                ),
                "criteria": {
                    "narrative": format!(
                        "按国家职业技能标准（{}）通过职业技能等级认定。 / Passed the skill level assessment under the national occupational skill standard for {}.",
                        claims.occupation_code, claims.occupation_code
                    ),
                },
                "humanCode": claims.occupation_code,
                "fieldOfStudy": claims.occupation_name,
                "specialization": trade,
                "tag": ["职业技能等级证书", claims.level_name],
            },
        },
    });
    if let Some(until) = claims.valid_until {
        credential["validUntil"] = json!(xsd_time::format(until));
    }
    if let Some(status) = &claims.status {
        credential["credentialStatus"] = json!({
            "id": format!("{}#{}", status.status_list_credential, status.index),
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": status.index.to_string(),
            "statusListCredential": status.status_list_credential,
        });
    }
    credential
}

/// RFC 3986 percent-encoding of everything but unreserved characters, for URN segments.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
