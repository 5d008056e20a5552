//! Public certificate verification, no sign-in: by number and name (`/verify`), by the QR code's
//! link (`/v/{public_id}`), and by uploading the signed credential file (`POST /verify/file`).
//! Only masked holder fields are ever shown; a wrong name answers like an unknown number.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gongjiang_app::App;
use gongjiang_app::credentials::Outcome;
use gongjiang_domain::bilingual::Msg;
use gongjiang_store::certificates::{self, Certificate};
use serde::Deserialize;

use super::error::UiError;
use super::gate::Viewer;
use super::i18n::Lang;
use super::layout::{Chrome, render};
use crate::api::certificates::verify::{PublicCertificate, find};
use crate::extract::{Path, Query};

/// The largest credential file accepted (a signed credential is a few kilobytes).
pub const MAX_CREDENTIAL_BYTES: usize = 256 * 1024;

/// A verdict as the page shows it.
pub struct Verdict {
    /// `valid`, `revoked`, `suspended`, `not_found`, `invalid`, `unconfirmed` (the signature
    /// holds, the status could not be checked: shown as a warning, never as valid).
    pub status: String,
    pub certificate: Option<PublicCertificate>,
    /// Reasons (file verification) in both languages.
    pub problems: Vec<Msg>,
    pub notes: Vec<Msg>,
}

impl Verdict {
    fn of(c: Option<&Certificate>) -> Verdict {
        Verdict {
            status: c.map(|c| c.status.clone()).unwrap_or_else(|| "not_found".into()),
            certificate: c.map(PublicCertificate::from),
            problems: Vec::new(),
            notes: Vec::new(),
        }
    }

    pub fn class(&self) -> &'static str {
        match self.status.as_str() {
            "valid" => "valid",
            "suspended" | "unconfirmed" => "warn",
            _ => "bad",
        }
    }

    pub fn headline(&self, l: &Lang) -> &'static str {
        match self.status.as_str() {
            "valid" => l.t("✔ 证书有效", "✔ The certificate is valid"),
            "revoked" => l.t("✘ 证书已撤销", "✘ The certificate has been revoked"),
            "suspended" => l.t("⚠ 证书已暂停", "⚠ The certificate is suspended"),
            "invalid" => l.t("✘ 电子证书未通过验证", "✘ The credential file does not verify"),
            "unconfirmed" => l.t(
                "⚠ 签名有效，但无法核实证书是否已撤销（待人工核实）",
                "⚠ The signature holds, but whether the certificate is revoked could not be checked (verify with the issuer)",
            ),
            _ => l.t("✘ 未查到该证书（编号或姓名不符）", "✘ No such certificate (number or name do not match)"),
        }
    }
}

#[derive(Template)]
#[template(path = "verify.html")]
struct VerifyPage {
    c: Chrome,
    l: Lang,
    number: String,
    name: String,
    verdict: Option<Verdict>,
    /// Which way the verdict came: `number`, `file`.
    via: &'static str,
}

#[derive(Debug, Deserialize)]
pub struct VerifyForm {
    number: Option<String>,
    name: Option<String>,
}

/// `GET /verify[?number=…&name=…]`: the forms, and the answer when both are given.
pub async fn page(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Query(form): Query<VerifyForm>,
) -> Result<Response, UiError> {
    let number = form.number.as_deref().map(str::trim).unwrap_or_default().to_string();
    let name = form.name.as_deref().map(str::trim).unwrap_or_default().to_string();
    let verdict = if !number.is_empty() && !name.is_empty() {
        Some(Verdict::of(find(&app, &number, &name).await?.as_ref()))
    } else {
        None
    };
    render(&VerifyPage { c: Chrome::new(l, &viewer, "verify"), l, number, name, verdict, via: "number" })
}

/// `POST /verify/file`: a signed credential file (multipart field `credential`), checked
/// against the city's keys and the status lists as they stand now.
pub async fn file(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    mut multipart: Multipart,
) -> Result<Response, UiError> {
    let mut bytes = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(|e| bad_upload(&e))? {
        if field.name() == Some("credential") {
            bytes = field.bytes().await.map_err(|e| bad_upload(&e))?.to_vec();
        }
    }
    let verdict = if bytes.is_empty() {
        invalid(Msg::new("请选择电子证书文件（.json）", "choose a credential file (.json)"))
    } else if bytes.len() > MAX_CREDENTIAL_BYTES {
        invalid(Msg::new("文件过大，不是电子证书", "the file is too large to be a credential"))
    } else {
        match serde_json::from_slice::<serde_json::Value>(&bytes) {
            Err(_) => invalid(Msg::new("文件不是 JSON，不是电子证书", "the file is not JSON, so not a credential")),
            Ok(doc) => verify_document(&app, &doc).await?,
        }
    };
    // The verdict is the page: 200 whatever it says (htmx swaps the answer in).
    let page = VerifyPage {
        c: Chrome::new(l, &viewer, "verify"),
        l,
        number: String::new(),
        name: String::new(),
        verdict: Some(verdict),
        via: "file",
    };
    render(&page)
}

fn bad_upload(e: &axum::extract::multipart::MultipartError) -> UiError {
    UiError::bad(Msg::new(format!("上传的文件无法读取：{e}"), format!("the upload could not be read: {e}")))
}

fn invalid(problem: Msg) -> Verdict {
    Verdict { status: "invalid".into(), certificate: None, problems: vec![problem], notes: Vec::new() }
}

async fn verify_document(app: &App, doc: &serde_json::Value) -> Result<Verdict, UiError> {
    let Some(issuing) = &app.credentials else {
        return Ok(invalid(Msg::new(
            "本服务未配置签发密钥，无法验证电子证书",
            "this server has no issuer keys configured and cannot verify credentials",
        )));
    };
    let v = issuing.verify(&app.db, doc).await?;
    let number = doc.pointer("/credentialSubject/licenseNumber").and_then(|n| n.as_str());
    let stored = match number {
        Some(n) => certificates::by_number(&app.db, n).await?,
        None => None,
    };
    let status = match v.outcome {
        Outcome::Valid => "valid",
        Outcome::Revoked => "revoked",
        Outcome::Suspended => "suspended",
        Outcome::Invalid => "invalid",
        Outcome::Unconfirmed => "unconfirmed",
    };
    Ok(Verdict {
        status: status.into(),
        // Facts only for a credential that is genuinely ours (signature holds).
        certificate: if matches!(status, "valid" | "revoked" | "suspended") {
            stored.as_ref().map(PublicCertificate::from)
        } else {
            None
        },
        problems: v.errors.into_iter().map(|p| p.message).collect(),
        notes: v.warnings.into_iter().map(|p| p.message).collect(),
    })
}

#[derive(Template)]
#[template(path = "certificate_public.html")]
struct CertificatePage {
    c: Chrome,
    l: Lang,
    verdict: Verdict,
}

/// `GET /v/{public_id}`: what a certificate's QR code opens — its masked facts and status now.
pub async fn certificate(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Path(key): Path<String>,
) -> Result<Response, UiError> {
    let found = match uuid::Uuid::parse_str(key.trim()) {
        Ok(id) => certificates::by_public_id(&app.db, id).await?,
        Err(_) => None,
    };
    let status = if found.is_some() { StatusCode::OK } else { StatusCode::NOT_FOUND };
    let page = CertificatePage { c: Chrome::new(l, &viewer, "verify"), l, verdict: Verdict::of(found.as_ref()) };
    Ok((status, render(&page)?).into_response())
}
