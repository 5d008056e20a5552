use gongjiang_credentials::{CertificateClaims, Issuer, IssuerKey, StatusListEntry};
use time::OffsetDateTime;
use time::macros::{date, datetime};
use uuid::Uuid;

pub const NOW: OffsetDateTime = datetime!(2026-07-01 00:00 UTC);
pub const CREATED: OffsetDateTime = datetime!(2026-06-01 08:00 UTC);

pub fn key(seed: u8) -> IssuerKey {
    IssuerKey::from_seed([seed; 32], datetime!(2026-01-01 00:00 UTC))
}

pub fn issuer(did: &str) -> Issuer {
    Issuer { id: did.to_string(), name: "天津市职业技能等级认定示范机构".into(), url: None }
}

pub fn claims() -> CertificateClaims {
    CertificateClaims {
        credential_id: Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0042),
        certificate_no: "S000012000100263000042".into(),
        occupation_code: "6-31-01-03".into(),
        occupation_name: "电工".into(),
        trade: Some("维修电工".into()),
        level_name: "三级/高级工".into(),
        institution_name: "天津市职业技能等级认定示范机构".into(),
        issued_on: date!(2026 - 05 - 20),
        holder_name: "张三".into(),
        valid_from: datetime!(2026-05-20 00:00 UTC),
        valid_until: Some(datetime!(2031-05-20 00:00 UTC)),
        status: Some(StatusListEntry {
            status_list_credential: "https://certs.example.tj.cn/status/1".into(),
            index: 42,
        }),
        verification_url: "https://certs.example.tj.cn/verify/S000012000100263000042".into(),
        basis: None,
    }
}
