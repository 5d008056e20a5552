//! Certificates as signed W3C Verifiable Credentials: signing what was issued, publishing the
//! city's status lists, and verifying a credential someone shows us (signature, issuer,
//! validity dates and — when it points at our lists — its current status).
//!
//! The keyring lives in a folder outside the database (`docs/CREDENTIALS.md`); the signed JSON
//! is stored with the certificate. Signing happens after the issuing transaction commits, for
//! every certificate whose credential is still missing, so a crash between the two leaves
//! nothing wrong: the next pass (the next finalise, `gongjiang cert sign`, or server start)
//! signs what is missing.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use gongjiang_credentials::{
    CertificateClaims, Failure, Issuer, IssuerKey, KeyError, Keyring, StatusList, StatusListEntry, Suite,
    certificate_credential, sign_as, status_entry, status_list_credential, verify,
};
use gongjiang_domain::bilingual::Msg;
use gongjiang_store::certificates::{self as store, Certificate};
use gongjiang_store::{Db, StoreError};
use serde::Serialize;
use serde_json::Value;
use time::{OffsetDateTime, UtcOffset};

use crate::error::AppError;

/// Where the issuer's keys live when nothing says otherwise: a folder `issuer-keys` beside the
/// SQLite file. `None` for PostgreSQL (and in-memory SQLite): there the folder must be given.
pub fn default_keys_dir(db_url: &str) -> Option<PathBuf> {
    crate::pii_keys::beside_sqlite_file(db_url, "issuer-keys")
}

/// The status lists the city publishes, by purpose. Both are indexed by the certificate's
/// `status_index`; the credential names the revocation list, and our verifier reads both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ListPurpose {
    Revocation,
    Suspension,
}

impl ListPurpose {
    pub fn parse(s: &str) -> Option<ListPurpose> {
        match s {
            "revocation" => Some(ListPurpose::Revocation),
            "suspension" => Some(ListPurpose::Suspension),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ListPurpose::Revocation => "revocation",
            ListPurpose::Suspension => "suspension",
        }
    }

    /// The certificate status whose bit this list sets.
    fn status(self) -> &'static str {
        match self {
            ListPurpose::Revocation => "revoked",
            ListPurpose::Suspension => "suspended",
        }
    }
}

/// The city as an issuer: its keyring, the public address its verification pages and status
/// lists are served at, and the cryptosuite new credentials are signed with.
pub struct Issuing {
    keyring: Keyring,
    public_url: String,
    suite: Suite,
    name: String,
    /// Signed status lists by purpose, with the non-valid entries they were built from: a list
    /// is re-signed only when those change (in this process or another one).
    lists: Mutex<HashMap<ListPurpose, SignedList>>,
    /// Other issuers' keys this server trusts ([`Issuing::trust`]): their credentials verify,
    /// but their status is not ours to know.
    outside: Vec<gongjiang_credentials::PublicKey>,
}

/// A signed status list credential and the indexes whose bits it sets.
type SignedList = (Vec<i64>, Arc<Value>);

/// The default public address, for a server run on one machine.
pub const DEFAULT_PUBLIC_URL: &str = "http://127.0.0.1:8080";

/// The issuer's display name in credentials.
pub const ISSUER_NAME: &str = "天津市职业技能等级认定 / Tianjin vocational skill level assessment";

impl Issuing {
    /// `eddsa-jcs-2022` by default: see `docs/CREDENTIALS.md` (speed; every JSON byte signed).
    pub fn new(keyring: Keyring, public_url: &str) -> Issuing {
        Issuing {
            keyring,
            public_url: public_url.trim_end_matches('/').to_string(),
            suite: Suite::EddsaJcs2022,
            name: ISSUER_NAME.to_string(),
            lists: Mutex::new(HashMap::new()),
            outside: Vec::new(),
        }
    }

    pub fn with_suite(mut self, suite: Suite) -> Issuing {
        self.suite = suite;
        self
    }

    /// Loads the keyring folder; when `create` and the folder holds no key, makes the folder
    /// and a first key (logging where).
    pub fn open_dir(dir: &Path, create: bool, did_web: Option<&str>, public_url: &str) -> Result<Issuing, AppError> {
        let key_error = |e: KeyError| AppError::Invalid(e.message());
        let empty = !dir.exists()
            || std::fs::read_dir(dir)?.filter_map(Result::ok).all(|e| e.path().extension().is_none_or(|x| x != "json"));
        if empty && create {
            std::fs::create_dir_all(dir)?;
            let key = IssuerKey::generate().map_err(key_error)?;
            let path = Keyring::rotate_dir(dir, &key).map_err(key_error)?;
            tracing::info!(path = %path.display(), did = %key.did_key(), "created the issuer's signing key");
        }
        let mut ring = Keyring::load_dir(dir).map_err(key_error)?;
        if let Some(domain) = did_web.filter(|d| !d.trim().is_empty()) {
            ring = ring.with_did_web(domain.trim());
        }
        Ok(Issuing::new(ring, public_url))
    }

    pub fn keyring(&self) -> &Keyring {
        &self.keyring
    }

    /// Trusts another issuer's public key (verification only).
    pub fn trust(&mut self, key: gongjiang_credentials::PublicKey) {
        if !self.keyring.trusted().contains(&key) {
            self.outside.push(key);
        }
        self.keyring.trust(key);
    }

    pub fn suite(&self) -> Suite {
        self.suite
    }

    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    /// What the QR code opens: `<public url>/v/<public_id>`.
    pub fn verification_url(&self, public_id: uuid::Uuid) -> String {
        format!("{}/v/{public_id}", self.public_url)
    }

    pub fn status_list_url(&self, purpose: ListPurpose) -> String {
        format!("{}/credentials/status/{}", self.public_url, purpose.name())
    }

    fn issuer_did(&self) -> Result<String, AppError> {
        self.keyring.issuer_did().ok_or_else(no_signing_key)
    }

    fn signer(&self) -> Result<(&IssuerKey, String), AppError> {
        let key = self.keyring.active().ok_or_else(no_signing_key)?;
        let method = self.keyring.active_verification_method().ok_or_else(no_signing_key)?;
        Ok((key, method))
    }

    fn sign(&self, doc: &Value) -> Result<Value, AppError> {
        let (key, method) = self.signer()?;
        sign_as(doc, key, &method, self.suite, OffsetDateTime::now_utc()).map_err(|e| AppError::Invalid(e.message()))
    }

    /// The unsigned credential of a stored certificate: the holder by name (no form of the
    /// identity number), its revocation entry in our list.
    pub fn unsigned_credential(&self, c: &Certificate) -> Result<Value, AppError> {
        let valid_from = c.issue_date.midnight().assume_offset(UtcOffset::from_hms(8, 0, 0).unwrap_or(UtcOffset::UTC));
        let claims = CertificateClaims {
            credential_id: c.public_id,
            certificate_no: c.number.clone(),
            occupation_code: c.occupation_code.clone(),
            occupation_name: c.occupation_name.clone(),
            trade: Some(c.trade.clone()).filter(|t| t != "--"),
            level_name: c.level_text.clone(),
            institution_name: c.institution_name.clone(),
            issued_on: c.issue_date,
            holder_name: c.holder_name.clone(),
            valid_from,
            valid_until: None,
            status: Some(StatusListEntry {
                status_list_credential: self.status_list_url(ListPurpose::Revocation),
                index: usize::try_from(c.status_index).unwrap_or(0),
            }),
            verification_url: self.verification_url(c.public_id),
            basis: c.basis.clone(),
        };
        let issuer = Issuer { id: self.issuer_did()?, name: self.name.clone(), url: Some(self.public_url.clone()) };
        Ok(certificate_credential(&claims, &issuer))
    }

    /// The signed credential of a stored certificate.
    pub fn sign_certificate(&self, c: &Certificate) -> Result<Value, AppError> {
        self.sign(&self.unsigned_credential(c)?)
    }

    /// Signs every certificate that has no credential yet and stores it; returns how many.
    /// Safe to run again at any time, and concurrently: a certificate signed meanwhile by
    /// another pass keeps its first credential.
    pub async fn sign_missing(&self, db: &Db) -> Result<usize, AppError> {
        const BATCH: i64 = 500;
        let mut signed = 0;
        let mut skipped = std::collections::HashSet::new();
        loop {
            let todo = store::unsigned(db, BATCH + skipped.len() as i64).await?;
            let todo: Vec<_> = todo.into_iter().filter(|c| !skipped.contains(&c.id)).collect();
            if todo.is_empty() {
                return Ok(signed);
            }
            for c in todo {
                let doc = self.sign_certificate(&c)?;
                let text = serde_json::to_string(&doc).map_err(|e| StoreError::Invalid(e.to_string()))?;
                if store::set_credential(db, c.id, &text).await? {
                    signed += 1;
                } else {
                    skipped.insert(c.id);
                }
            }
        }
    }

    /// The signed `BitstringStatusListCredential` of one purpose, rebuilt only when the set
    /// of certificates with that status changed.
    pub async fn status_list(&self, db: &Db, purpose: ListPurpose) -> Result<Arc<Value>, AppError> {
        let indexes: Vec<i64> = store::status_list_entries(db)
            .await?
            .into_iter()
            .filter(|(_, status)| status == purpose.status())
            .map(|(i, _)| i)
            .collect();
        if let Some((built_from, doc)) = self.lists.lock().unwrap_or_else(|e| e.into_inner()).get(&purpose)
            && *built_from == indexes
        {
            return Ok(doc.clone());
        }
        let top = indexes.iter().copied().max().unwrap_or(0);
        let bits = usize::try_from(top + 1).unwrap_or(0).max(131_072).next_multiple_of(8);
        let mut list = StatusList::new(bits);
        for i in &indexes {
            list.set(usize::try_from(*i).unwrap_or(0), true);
        }
        let url = self.status_list_url(purpose);
        let unsigned =
            status_list_credential(&url, purpose.name(), &self.issuer_did()?, &list, OffsetDateTime::now_utc());
        let doc = Arc::new(self.sign(&unsigned)?);
        self.lists.lock().unwrap_or_else(|e| e.into_inner()).insert(purpose, (indexes, doc.clone()));
        Ok(doc)
    }

    /// Verifies a credential: proof, trusted issuer, validity dates, and its status now.
    ///
    /// `verified` is true only when the status was checked too. A credential this server signed
    /// is checked against its certificate in the database, whatever public address its status
    /// entry names (a domain move, a demo address): the certificate record is the truth the
    /// lists are built from. Another issuer's credential, or one without a status entry, cannot
    /// be checked here: the outcome is `unconfirmed`, never `valid`.
    pub async fn verify(&self, db: &Db, doc: &Value) -> Result<Verification, AppError> {
        let now = OffsetDateTime::now_utc();
        let mut v = Verification { checks: vec!["proof".into()], ..Verification::default() };
        let signed = match verify(doc, &self.keyring, now) {
            Ok(signed) => signed,
            Err(failures) => {
                v.errors = failures.iter().map(Problem::from_failure).collect();
                v.outcome = Outcome::Invalid;
                return Ok(v);
            }
        };
        let ours = !self.outside.iter().any(|k| signed.verification_method.ends_with(&format!("#{}", k.multibase())));
        let stored = if ours { self.stored_certificate(db, doc).await? } else { None };
        let mut checked = false;
        match (&stored, status_entry(doc)) {
            (Some(c), _) => {
                checked = true;
                for purpose in [ListPurpose::Revocation, ListPurpose::Suspension] {
                    if c.status == purpose.status() {
                        v.errors.push(Problem::status(purpose));
                    }
                }
            }
            (None, Some(entry)) if ours && self.is_ours(&entry.status_list_credential) => {
                checked = true;
                for purpose in [ListPurpose::Revocation, ListPurpose::Suspension] {
                    let list = self.status_list(db, purpose).await?;
                    let bits = gongjiang_credentials::list_of(&list).map_err(|e| AppError::Invalid(e.message()))?;
                    if bits.get(entry.index) == Some(true) {
                        v.errors.push(Problem::status(purpose));
                    }
                }
            }
            (None, None) => v.warnings.push(Problem::new(
                "no_status",
                Msg::new(
                    "签名有效，但凭证没有状态条目，无法核实是否已撤销",
                    "the signature holds, but the credential has no status entry: whether it is revoked cannot be checked",
                ),
            )),
            (None, Some(entry)) => v.warnings.push(Problem::new(
                "status_not_checked",
                Msg::new(
                    format!(
                        "签名有效，但状态列表 {} 不由本系统发布，无法核实是否已撤销；请向签发机构核实",
                        entry.status_list_credential
                    ),
                    format!(
                        "the signature holds, but the status list {} is not published here: whether it is revoked cannot be checked; ask the issuer",
                        entry.status_list_credential
                    ),
                ),
            )),
        }
        if checked {
            v.checks.push("credentialStatus".into());
        }
        v.outcome = if v.errors.iter().any(|e| e.kind == "revoked") {
            Outcome::Revoked
        } else if v.errors.iter().any(|e| e.kind == "suspended") {
            Outcome::Suspended
        } else if !v.errors.is_empty() {
            Outcome::Invalid
        } else if checked {
            Outcome::Valid
        } else {
            Outcome::Unconfirmed
        };
        v.verified = v.outcome == Outcome::Valid;
        Ok(v)
    }

    /// The certificate behind a credential this server signed: by the credential's id
    /// (`urn:uuid:<public id>`), else by its certificate number.
    async fn stored_certificate(&self, db: &Db, doc: &Value) -> Result<Option<Certificate>, AppError> {
        let by_id = doc
            .get("id")
            .and_then(Value::as_str)
            .and_then(|id| id.strip_prefix("urn:uuid:"))
            .and_then(|u| uuid::Uuid::parse_str(u).ok());
        if let Some(id) = by_id
            && let Some(c) = store::by_public_id(db, id).await?
        {
            return Ok(Some(c));
        }
        match doc.pointer("/credentialSubject/licenseNumber").and_then(Value::as_str) {
            Some(number) => Ok(store::by_number(db, number).await?),
            None => Ok(None),
        }
    }

    fn is_ours(&self, url: &str) -> bool {
        [ListPurpose::Revocation, ListPurpose::Suspension].iter().any(|p| self.status_list_url(*p) == url)
    }
}

fn no_signing_key() -> AppError {
    AppError::Invalid(Msg::new("密钥环中没有可用于签名的密钥", "the keyring has no active signing key"))
}

/// One reason a credential does not verify, or a warning.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Problem {
    /// `malformed`, `missing_proof`, `bad_proof`, `signature_mismatch`, `unknown_issuer`,
    /// `issuer_mismatch`, `not_yet_valid`, `expired`, `revoked`, `suspended`; warnings
    /// `no_status`, `status_not_checked`.
    pub kind: String,
    pub message: Msg,
}

impl Problem {
    fn new(kind: &str, message: Msg) -> Problem {
        Problem { kind: kind.to_string(), message }
    }

    fn from_failure(f: &Failure) -> Problem {
        let kind = match f {
            Failure::Malformed { .. } => "malformed",
            Failure::MissingProof => "missing_proof",
            Failure::BadProof { .. } => "bad_proof",
            Failure::SignatureMismatch => "signature_mismatch",
            Failure::UnknownKey { .. } => "unknown_issuer",
            Failure::IssuerMismatch { .. } => "issuer_mismatch",
            Failure::NotYetValid { .. } => "not_yet_valid",
            Failure::Expired { .. } => "expired",
        };
        Problem::new(kind, f.message())
    }

    fn status(purpose: ListPurpose) -> Problem {
        match purpose {
            ListPurpose::Revocation => {
                Problem::new("revoked", Msg::new("该证书已被撤销", "the certificate is revoked"))
            }
            ListPurpose::Suspension => {
                Problem::new("suspended", Msg::new("该证书已被暂停", "the certificate is suspended"))
            }
        }
    }
}

/// What a verification concluded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Signature, issuer, dates and status all hold.
    Valid,
    Revoked,
    Suspended,
    /// The signature, issuer or dates do not hold.
    #[default]
    Invalid,
    /// The signature holds but the status could not be checked: not "valid".
    Unconfirmed,
}

/// The outcome of verifying a credential, in the W3C VC API's shape.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Verification {
    /// True only for [`Outcome::Valid`].
    pub verified: bool,
    pub outcome: Outcome,
    pub checks: Vec<String>,
    pub warnings: Vec<Problem>,
    pub errors: Vec<Problem>,
}

/// Signs what is missing when the app has an issuer; a failure is logged, not returned: the
/// certificates are issued, and the next pass signs them.
pub async fn sign_after_issue(issuing: Option<&Issuing>, db: &Db) {
    let Some(issuing) = issuing else {
        tracing::warn!("no issuer keyring configured: new certificates are not signed yet");
        return;
    };
    match issuing.sign_missing(db).await {
        Ok(n) => tracing::info!(signed = n, "signed certificate credentials"),
        Err(e) => tracing::error!(error = %e, "signing certificate credentials failed; a rerun signs what is missing"),
    }
}

/// The certificate as an A4 PDF with its QR code (the full identity number is printed: give it
/// only to those entitled to the certificate itself). The QR code opens the address signed in
/// the certificate's credential when it has one (so the paper and the credential agree after a
/// change of public address), else `verification_url`. A revoked or suspended certificate says
/// so across the top.
pub fn certificate_pdf(c: &Certificate, verification_url: &str) -> Result<Vec<u8>, AppError> {
    use gongjiang_documents::{CertificateDocument, Fonts, certificate_pdf};
    let failed = |e: gongjiang_documents::DocumentError| {
        AppError::Invalid(Msg::new(format!("无法生成证书 PDF：{e}"), format!("cannot render the certificate PDF: {e}")))
    };
    let fonts = Fonts::discover().map_err(failed)?;
    let doc = CertificateDocument {
        holder_name: c.holder_name.clone(),
        id_type: c.id_type.clone(),
        id_number: c.id_number.clone(),
        occupation_name: c.occupation_name.clone(),
        occupation_code: c.occupation_code.clone(),
        trade: Some(c.trade.clone()).filter(|t| t != "--" && !t.is_empty()),
        level: c.level_text.clone(),
        certificate_no: c.number.clone(),
        evaluation_body: c.institution_name.clone(),
        issued_on: c.issue_date,
        verification_url: signed_url(c).unwrap_or_else(|| verification_url.to_string()),
        photo: None,
        status_notice: status_notice(c),
        basis: c.basis.clone(),
    };
    certificate_pdf(&doc, &fonts).map_err(failed)
}

/// The verification address the certificate's signed credential carries.
fn signed_url(c: &Certificate) -> Option<String> {
    let doc: Value = serde_json::from_str(c.credential.as_deref()?).ok()?;
    doc.get("url")?.as_str().map(str::to_string)
}

/// What a certificate that is no longer valid prints across its face.
fn status_notice(c: &Certificate) -> Option<String> {
    let on = c
        .status_changed_on
        .map(|d| format!("于{}年{}月{}日", d.year(), u8::from(d.month()), d.day()))
        .unwrap_or_default();
    match c.status.as_str() {
        "revoked" => Some(format!("本证书已{on}撤销 / REVOKED")),
        "suspended" => Some(format!("本证书已{on}暂停 / SUSPENDED")),
        _ => None,
    }
}

/// What an offline check of a credential file found (`gongjiang cert verify`): no server, no
/// database — only the keyring and, when given, a status list the verifier downloaded earlier.
#[derive(Debug, Clone)]
pub struct OfflineVerdict {
    /// The certificate number the credential carries (`?` when it has none).
    pub number: String,
    /// Why it is not valid; empty when it is.
    pub problems: Vec<Msg>,
    /// Things the verifier should know that do not make it invalid.
    pub notes: Vec<Msg>,
    /// Whether the credential's status bit was read from the status list it names.
    pub status_checked: bool,
}

impl OfflineVerdict {
    /// Valid: nothing wrong, and the status was checked.
    pub fn is_valid(&self) -> bool {
        self.problems.is_empty() && self.status_checked
    }
}

/// Checks `doc` against the keyring as of `now`: signature, issuer and validity dates; with a
/// status list (itself verified against the same keyring), whether the credential's bit is set.
pub fn verify_offline(
    doc: &Value,
    ring: &Keyring,
    status_list: Option<&Value>,
    now: OffsetDateTime,
) -> Result<OfflineVerdict, AppError> {
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    let mut status_checked = false;
    if let Err(failures) = verify(doc, ring, now) {
        problems.extend(failures.iter().map(Failure::message));
    }
    if let Some(list_doc) = status_list {
        match (status_entry(doc), verify(list_doc, ring, now)) {
            (_, Err(failures)) => {
                for f in failures {
                    let m = f.message();
                    problems.push(Msg::new(format!("状态列表：{}", m.zh), format!("status list: {}", m.en)));
                }
            }
            (None, Ok(_)) => notes.push(Msg::new("凭证没有状态条目", "the credential has no status entry")),
            (Some(entry), Ok(_)) => {
                let purpose = list_doc.pointer("/credentialSubject/statusPurpose").and_then(Value::as_str);
                let list_id = list_doc.get("id").and_then(Value::as_str).unwrap_or("?");
                if list_id != entry.status_list_credential {
                    notes.push(Msg::new(
                        format!("状态列表 {list_id} 不是凭证所指的 {}，未据此判断状态", entry.status_list_credential),
                        format!(
                            "the status list {list_id} is not the one the credential names ({}); status not judged",
                            entry.status_list_credential
                        ),
                    ));
                } else {
                    let bits = gongjiang_credentials::list_of(list_doc).map_err(|e| AppError::Invalid(e.message()))?;
                    status_checked = bits.get(entry.index).is_some();
                    if bits.get(entry.index) == Some(true) {
                        problems.push(match purpose {
                            Some("suspension") => Msg::new("该证书已被暂停", "the certificate is suspended"),
                            _ => Msg::new("该证书已被撤销", "the certificate is revoked"),
                        });
                    }
                }
            }
        }
    }
    let number = doc.pointer("/credentialSubject/licenseNumber").and_then(Value::as_str).unwrap_or("?").to_string();
    Ok(OfflineVerdict { number, problems, notes, status_checked })
}
