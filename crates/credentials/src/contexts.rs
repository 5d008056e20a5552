//! The JSON-LD contexts this crate understands, shipped in `contexts/` (see its README for the
//! source and licence of each). A context URL not listed here is never fetched: a document that
//! names one cannot be canonicalised with `eddsa-rdfc-2022`.

pub const CREDENTIALS_V2: &str = "https://www.w3.org/ns/credentials/v2";
pub const DATA_INTEGRITY_V2: &str = "https://w3id.org/security/data-integrity/v2";
pub const MULTIKEY_V1: &str = "https://w3id.org/security/multikey/v1";
pub const BITSTRING_STATUS_LIST_V1: &str = "https://www.w3.org/ns/credentials/status/v1";
pub const OPEN_BADGES_V3_0_3: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
pub const DID_V1: &str = "https://www.w3.org/ns/did/v1";

const SHIPPED: [(&str, &str); 6] = [
    (CREDENTIALS_V2, include_str!("../contexts/credentials-v2.jsonld")),
    (DATA_INTEGRITY_V2, include_str!("../contexts/data-integrity-v2.jsonld")),
    (MULTIKEY_V1, include_str!("../contexts/multikey-v1.jsonld")),
    (BITSTRING_STATUS_LIST_V1, include_str!("../contexts/vc-bitstring-status-list-v1.jsonld")),
    (OPEN_BADGES_V3_0_3, include_str!("../contexts/ob-context-3.0.3.json")),
    (DID_V1, include_str!("../contexts/did-v1.jsonld")),
];

/// The shipped text of a context, or `None` if the URL is not one of ours.
pub fn shipped(url: &str) -> Option<&'static str> {
    SHIPPED.iter().find(|(known, _)| *known == url).map(|(_, text)| *text)
}

/// Every shipped context URL.
pub fn urls() -> impl Iterator<Item = &'static str> {
    SHIPPED.iter().map(|(url, _)| *url)
}
