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
//! | 证件号码 identity number | nowhere: a salted hash of an 18-character number whose first and last
//! four characters the public pages show leaves about 25,000 candidates, recovered in seconds
//! (docs/SECURITY.md, "What the public artefacts reveal") |
//! | query page | `url` |
//! | 认定依据 for a promotion through a competition (以赛代评) | `achievement.criteria.narrative` (else the assessment sentence) |

use serde_json::{Value, json};
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
    pub valid_from: OffsetDateTime,
    pub valid_until: Option<OffsetDateTime>,
    pub status: Option<StatusListEntry>,
    /// The public page that shows this certificate's current state.
    pub verification_url: String,
    /// What the level rests on when it was not an evaluation: for a promotion through a
    /// competition (以赛代评) the competition, tier, group and place. Written as the
    /// achievement's criteria (`criteria.narrative`), in place of the assessment sentence.
    pub basis: Option<String>,
}

const TRADE_NONE: &str = "--";

/// How the level was obtained: the assessment under the national standard, or the competition
/// result it rests on (以赛代评).
fn criteria(claims: &CertificateClaims) -> String {
    match claims.basis.as_deref().map(str::trim).filter(|b| !b.is_empty()) {
        Some(basis) => format!(
            "以赛代评：依职业技能竞赛成绩晋升。{basis} / Promotion through a competition (以赛代评) under the competition result: {basis}"
        ),
        None => format!(
            "按国家职业技能标准（{}）通过职业技能等级认定。 / Passed the skill level assessment under the national occupational skill standard for {}.",
            claims.occupation_code, claims.occupation_code
        ),
    }
}

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
                "criteria": { "narrative": criteria(claims) },
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
