//! Data Integrity proofs with the EdDSA cryptosuites of W3C vc-di-eddsa:
//!
//! * `eddsa-jcs-2022`: document and proof options canonicalised with RFC 8785 JCS;
//! * `eddsa-rdfc-2022`: both turned into RDF with the shipped JSON-LD contexts and
//!   canonicalised with RDFC-1.0.
//!
//! Either way the signed bytes are `SHA-256(canonical proof options) ‖ SHA-256(canonical
//! document)`, and `proofValue` is the Ed25519 signature in base58btc multibase (`z…`).

use ed25519_dalek::{Signature, Verifier};
use gongjiang_domain::bilingual::Msg;
use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::did::controller_of;
use crate::issuer_keys::{IssuerKey, Keyring, PublicKey};
use crate::{jcs, multikey, rdfc, xsd_time};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Suite {
    #[serde(rename = "eddsa-jcs-2022")]
    EddsaJcs2022,
    #[serde(rename = "eddsa-rdfc-2022")]
    EddsaRdfc2022,
}

impl Suite {
    pub fn name(self) -> &'static str {
        match self {
            Suite::EddsaJcs2022 => "eddsa-jcs-2022",
            Suite::EddsaRdfc2022 => "eddsa-rdfc-2022",
        }
    }

    pub fn from_name(name: &str) -> Option<Suite> {
        match name {
            "eddsa-jcs-2022" => Some(Suite::EddsaJcs2022),
            "eddsa-rdfc-2022" => Some(Suite::EddsaRdfc2022),
            _ => None,
        }
    }

    fn canonicalize(self, value: &Value) -> Result<String, String> {
        match self {
            Suite::EddsaJcs2022 => jcs::canonicalize(value),
            Suite::EddsaRdfc2022 => rdfc::canonicalize(value),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("the document is not a JSON object")]
    NotAnObject,
    #[error("the document already has a proof")]
    AlreadySigned,
    #[error("cannot canonicalise the document: {0}")]
    Canonicalization(String),
}

impl SignError {
    pub fn message(&self) -> Msg {
        match self {
            SignError::NotAnObject => {
                Msg::new("待签名的文档不是 JSON 对象", "the document to sign is not a JSON object")
            }
            SignError::AlreadySigned => Msg::new("文档已有签名（proof）", "the document already has a proof"),
            SignError::Canonicalization(reason) => {
                Msg::new(format!("无法规范化文档：{reason}"), format!("cannot canonicalise the document: {reason}"))
            }
        }
    }
}

/// Signs with the key's `did:key` verification method.
pub fn sign(document: &Value, key: &IssuerKey, suite: Suite, created: OffsetDateTime) -> Result<Value, SignError> {
    sign_as(document, key, &key.verification_method(), suite, created)
}

/// Signs naming the given verification method (e.g. `did:web:…#z6Mk…` from
/// [`Keyring::active_verification_method`]).
pub fn sign_as(
    document: &Value,
    key: &IssuerKey,
    verification_method: &str,
    suite: Suite,
    created: OffsetDateTime,
) -> Result<Value, SignError> {
    let Value::Object(fields) = document else {
        return Err(SignError::NotAnObject);
    };
    if fields.contains_key("proof") {
        return Err(SignError::AlreadySigned);
    }
    let mut options = Map::new();
    options.insert("type".into(), "DataIntegrityProof".into());
    options.insert("cryptosuite".into(), suite.name().into());
    options.insert("created".into(), xsd_time::format(created).into());
    options.insert("verificationMethod".into(), verification_method.into());
    options.insert("proofPurpose".into(), "assertionMethod".into());
    if suite == Suite::EddsaJcs2022
        && let Some(context) = fields.get("@context")
    {
        // vc-di-eddsa, Create Proof (eddsa-jcs-2022): the proof carries the document's @context,
        // and is hashed with it.
        options.insert("@context".into(), context.clone());
    }
    let hash = hash_data(suite, fields, &options).map_err(SignError::Canonicalization)?;
    options.insert("proofValue".into(), multikey::base58btc(&key.sign_bytes(&hash)).into());
    let mut signed = fields.clone();
    signed.insert("proof".into(), Value::Object(options));
    Ok(Value::Object(signed))
}

/// `SHA-256(canonical proof configuration) ‖ SHA-256(canonical document)`. Under jcs the proof
/// configuration is the proof options as they travel (with the @context the signer put in);
/// under rdfc it is given the document's @context so that its terms expand.
fn hash_data(suite: Suite, unsecured: &Map<String, Value>, options: &Map<String, Value>) -> Result<Vec<u8>, String> {
    let mut config = options.clone();
    if suite == Suite::EddsaRdfc2022
        && let Some(context) = unsecured.get("@context")
    {
        config.insert("@context".into(), context.clone());
    }
    let config_hash = Sha256::digest(suite.canonicalize(&Value::Object(config))?.as_bytes());
    let document_hash = Sha256::digest(suite.canonicalize(&Value::Object(unsecured.clone()))?.as_bytes());
    let mut out = Vec::with_capacity(64);
    out.extend_from_slice(&config_hash);
    out.extend_from_slice(&document_hash);
    Ok(out)
}

/// Finds the public key a verification method names, without the network.
pub trait KeyResolver {
    fn resolve(&self, verification_method: &str) -> Option<PublicKey>;
}

impl KeyResolver for Keyring {
    /// `did:key:X#X` resolves when X is a trusted key; `did:web:…#X` when the DID is this
    /// keyring's did:web and X a trusted key.
    fn resolve(&self, verification_method: &str) -> Option<PublicKey> {
        let (did, fragment) = verification_method.split_once('#')?;
        let key = PublicKey::from_multibase(fragment)?;
        if !self.trusted().contains(&key) {
            return None;
        }
        let named_by_did = match did.strip_prefix("did:key:") {
            Some(id) => id == fragment,
            None => self.did_web() == Some(did),
        };
        named_by_did.then_some(key)
    }
}

/// What a successful verification found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verified {
    pub issuer: String,
    pub verification_method: String,
    pub suite: Suite,
    pub created: Option<String>,
}

/// Why a credential does not verify. Each explains itself in Chinese first, then English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Failure {
    /// Not a JSON object, or a required member is missing or of the wrong type.
    Malformed {
        reason: String,
    },
    /// No `proof` at all.
    MissingProof,
    /// A proof that is not a well-formed `DataIntegrityProof` of a supported cryptosuite.
    BadProof {
        reason: String,
    },
    /// The signature does not match: the document was changed, or it was signed by another key.
    SignatureMismatch,
    /// The proof names a key that is not in the keyring.
    UnknownKey {
        verification_method: String,
    },
    /// The proof's key belongs to another DID than the credential's issuer.
    IssuerMismatch {
        issuer: String,
        verification_method: String,
    },
    NotYetValid {
        valid_from: String,
    },
    Expired {
        valid_until: String,
    },
}

impl Failure {
    pub fn message(&self) -> Msg {
        match self {
            Failure::Malformed { reason } => {
                Msg::new(format!("凭证格式错误：{reason}"), format!("malformed credential: {reason}"))
            }
            Failure::MissingProof => Msg::new("凭证没有签名（proof）", "the credential has no proof"),
            Failure::BadProof { reason } => {
                Msg::new(format!("签名（proof）无效：{reason}"), format!("the proof is not valid: {reason}"))
            }
            Failure::SignatureMismatch => Msg::new(
                "签名不符：凭证内容已被篡改，或不是用该密钥签发的",
                "the signature does not match: the credential was altered or signed with another key",
            ),
            Failure::UnknownKey { verification_method } => Msg::new(
                format!("签发机构未知：密钥 {verification_method} 不在受信任的密钥环中"),
                format!("unknown issuer: key {verification_method} is not in the trusted keyring"),
            ),
            Failure::IssuerMismatch { issuer, verification_method } => Msg::new(
                format!("签发机构不符：凭证签发者为 {issuer}，签名密钥却是 {verification_method}"),
                format!("issuer mismatch: the credential names {issuer} but was signed with {verification_method}"),
            ),
            Failure::NotYetValid { valid_from } => Msg::new(
                format!("凭证尚未生效（生效时间 {valid_from}）"),
                format!("the credential is not valid yet (valid from {valid_from})"),
            ),
            Failure::Expired { valid_until } => Msg::new(
                format!("凭证已过期（有效期至 {valid_until}）"),
                format!("the credential has expired (valid until {valid_until})"),
            ),
        }
    }
}

/// Verifies a secured credential: its proof (either cryptosuite; every proof if there are
/// several), that the proof's key is trusted and belongs to the issuer, and `validFrom` /
/// `validUntil` against `now`. Revocation is the caller's check, with [`crate::status_entry`].
pub fn verify(document: &Value, keys: &dyn KeyResolver, now: OffsetDateTime) -> Result<Verified, Vec<Failure>> {
    let Value::Object(fields) = document else {
        return Err(vec![Failure::Malformed { reason: "not a JSON object".into() }]);
    };
    let mut failures = validity_failures(fields, now);
    let issuer = match issuer_id(fields) {
        Some(issuer) => issuer,
        None => {
            failures.push(Failure::Malformed { reason: "issuer (or issuer.id) is missing".into() });
            String::new()
        }
    };
    let proofs: Vec<&Value> = match fields.get("proof") {
        None => {
            failures.push(Failure::MissingProof);
            Vec::new()
        }
        Some(Value::Array(list)) if list.is_empty() => {
            failures.push(Failure::MissingProof);
            Vec::new()
        }
        Some(Value::Array(list)) => list.iter().collect(),
        Some(single) => vec![single],
    };
    let mut unsecured = fields.clone();
    unsecured.remove("proof");
    let mut verified = None;
    for proof in proofs {
        match verify_proof(&unsecured, proof, &issuer, keys) {
            Ok(found) => verified = verified.or(Some(found)),
            Err(failure) => failures.push(failure),
        }
    }
    match verified {
        Some(found) if failures.is_empty() => Ok(found),
        _ => Err(failures),
    }
}

fn verify_proof(
    unsecured: &Map<String, Value>,
    proof: &Value,
    issuer: &str,
    keys: &dyn KeyResolver,
) -> Result<Verified, Failure> {
    let bad = |reason: &str| Failure::BadProof { reason: reason.to_string() };
    let Value::Object(proof) = proof else {
        return Err(bad("proof is not an object"));
    };
    let text = |name: &str| proof.get(name).and_then(Value::as_str);
    if text("type") != Some("DataIntegrityProof") {
        return Err(bad("type is not DataIntegrityProof"));
    }
    let suite = text("cryptosuite")
        .and_then(Suite::from_name)
        .ok_or_else(|| bad("cryptosuite is neither eddsa-jcs-2022 nor eddsa-rdfc-2022"))?;
    if text("proofPurpose") != Some("assertionMethod") {
        return Err(bad("proofPurpose is not assertionMethod"));
    }
    let method = text("verificationMethod").ok_or_else(|| bad("verificationMethod is missing"))?;
    if let Some(created) = text("created")
        && xsd_time::parse(created).is_none()
    {
        return Err(bad("created is not a date-time"));
    }
    let signature = text("proofValue")
        .and_then(multikey::from_base58btc)
        .and_then(|bytes| Signature::from_slice(&bytes).ok())
        .ok_or_else(|| bad("proofValue is not a base58btc Ed25519 signature"))?;
    let mut options = proof.clone();
    options.remove("proofValue");
    let mut unsecured = unsecured.clone();
    if let Some(context) = options.get("@context") {
        // vc-di-eddsa: the proof's @context must be a prefix of the document's, and replaces it.
        if !context_is_prefix(context, unsecured.get("@context")) {
            return Err(bad("the proof's @context does not match the document's"));
        }
        unsecured.insert("@context".into(), context.clone());
    }
    let key = keys.resolve(method).ok_or_else(|| Failure::UnknownKey { verification_method: method.to_string() })?;
    if controller_of(method) != issuer {
        return Err(Failure::IssuerMismatch { issuer: issuer.to_string(), verification_method: method.to_string() });
    }
    let hash = hash_data(suite, &unsecured, &options).map_err(|reason| Failure::Malformed { reason })?;
    key.0.verify(&hash, &signature).map_err(|_| Failure::SignatureMismatch)?;
    Ok(Verified {
        issuer: issuer.to_string(),
        verification_method: method.to_string(),
        suite,
        created: text("created").map(str::to_string),
    })
}

fn context_is_prefix(proof_context: &Value, document_context: Option<&Value>) -> bool {
    let as_list = |v: &Value| match v {
        Value::Array(list) => list.clone(),
        other => vec![other.clone()],
    };
    let Some(document_context) = document_context else { return false };
    let (proof_list, document_list) = (as_list(proof_context), as_list(document_context));
    document_list.starts_with(&proof_list)
}

fn issuer_id(fields: &Map<String, Value>) -> Option<String> {
    match fields.get("issuer")? {
        Value::String(id) => Some(id.clone()),
        Value::Object(profile) => profile.get("id").and_then(Value::as_str).map(str::to_string),
        _ => None,
    }
}

fn validity_failures(fields: &Map<String, Value>, now: OffsetDateTime) -> Vec<Failure> {
    let mut failures = Vec::new();
    for (name, in_force) in [("validFrom", true), ("validUntil", false)] {
        let Some(value) = fields.get(name) else { continue };
        let Some(at) = value.as_str().and_then(xsd_time::parse) else {
            failures.push(Failure::Malformed { reason: format!("{name} is not a date-time") });
            continue;
        };
        let text = value.as_str().unwrap_or_default().to_string();
        if in_force && at > now {
            failures.push(Failure::NotYetValid { valid_from: text });
        } else if !in_force && at < now {
            failures.push(Failure::Expired { valid_until: text });
        }
    }
    failures
}
