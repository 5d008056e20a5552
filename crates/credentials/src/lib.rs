//! Signed skill-level certificates (职业技能等级证书) as W3C Verifiable Credentials 2.0 shaped as
//! Open Badges 3.0 `OpenBadgeCredential`s, secured with Data Integrity EdDSA proofs
//! (`eddsa-jcs-2022` and `eddsa-rdfc-2022`), issued under `did:key` or `did:web`, and revocable
//! through a Bitstring Status List.
//!
//! Pure: no database, no network. The only I/O is reading and writing key files. JSON-LD
//! contexts are shipped in `contexts/` and never fetched. See `docs/CREDENTIALS.md`.

pub mod certificate;
pub mod contexts;
pub mod did;
pub mod issuer_keys;
mod jcs;
pub mod multikey;
pub mod proof;
mod public_key;
mod rdfc;
pub mod status_list;
mod xsd_time;

/// A time as `xsd:dateTime` (UTC, seconds), as credentials write `validFrom`.
pub use xsd_time::format as xsd_time;

pub use certificate::{CertificateClaims, Issuer, StatusListEntry, certificate_credential};
pub use did::{did_web_document, did_web_verification_method};
pub use issuer_keys::{IssuerKey, KeyError, Keyring, PublicKey};
pub use proof::{Failure, KeyResolver, SignError, Suite, Verified, sign, sign_as, verify};
pub use status_list::{StatusEntry, StatusList, StatusListError, list_of, status_entry, status_list_credential};
