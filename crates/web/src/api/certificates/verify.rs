use axum::Json;
use axum::extract::State;
use gongjiang_app::App;
use gongjiang_store::certificates::{self, Certificate};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, ErrorBody};
use crate::extract::Query;
use crate::views::{mask_id_number, mask_name};
use gongjiang_domain::dates::serde_iso;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct VerifyParams {
    /// 证书编号 / the certificate number (22 characters)
    #[param(required = true)]
    number: Option<String>,
    /// 持证人姓名 / the holder's name as printed
    #[param(required = true)]
    name: Option<String>,
}

/// What anyone may see of a certificate: the holder masked.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicCertificate {
    #[schema(example = "S000012000100264000001")]
    pub number: String,
    /// Masked: 张*明.
    #[schema(example = "张*明")]
    pub holder_name: String,
    /// Masked: 1201**********123X.
    #[schema(example = "1201**********123X")]
    pub id_number: String,
    #[schema(example = "6-18-01-01")]
    pub occupation: String,
    pub occupation_name: String,
    /// 工种/职业方向, `--` when none.
    pub trade: String,
    /// As printed, e.g. `四级/中级工`.
    pub level: String,
    /// 评价机构.
    pub institution: String,
    #[serde(with = "serde_iso")]
    pub issued_on: Date,
    /// Why it was revoked or suspended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    /// 认定依据: for a promotion through a competition (以赛代评) the competition, tier, group
    /// and place; absent for a certificate from an evaluation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
}

impl From<&Certificate> for PublicCertificate {
    fn from(c: &Certificate) -> PublicCertificate {
        PublicCertificate {
            number: c.number.clone(),
            holder_name: mask_name(&c.holder_name),
            id_number: mask_id_number(&c.id_number),
            occupation: c.occupation_code.clone(),
            occupation_name: c.occupation_name.clone(),
            trade: c.trade.clone(),
            level: c.level_text.clone(),
            institution: c.institution_name.clone(),
            issued_on: c.issue_date,
            status_reason: (c.status != "valid").then(|| c.status_reason.clone()).flatten(),
            basis: c.basis.as_ref().map(|b| format!("以赛代评 {b}")),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VerifyAnswer {
    /// `valid`, `revoked`, `suspended` or `not_found` (also for a wrong name).
    #[schema(example = "valid")]
    pub result: String,
    pub certificate: Option<PublicCertificate>,
}

/// Looks a certificate up by number and name; a wrong name is `None`, like an unknown number.
pub async fn find(app: &App, number: &str, name: &str) -> Result<Option<Certificate>, ApiError> {
    let number = number.trim().to_ascii_uppercase();
    if number.is_empty() || name.trim().is_empty() {
        return Ok(None);
    }
    let c = certificates::by_number(&app.db, &number).await?;
    Ok(c.filter(|c| c.holder_name.trim() == name.trim()))
}

/// 证书查验 · Verify a certificate by number and holder name
///
/// Public and rate-limited per client. A wrong name answers exactly like an unknown number, so
/// the register cannot be walked by number.
#[utoipa::path(
    get,
    operation_id = "verify_certificate",
    path = "/api/v1/certificates/verify",
    tag = "verification",
    params(VerifyParams),
    responses(
        (status = 200, description = "查验结果 / the result", body = VerifyAnswer),
        (status = 400, description = "缺少参数 / a parameter is missing", body = ErrorBody),
        (status = 429, description = "查询过于频繁 / too many requests", body = ErrorBody),
    )
)]
pub async fn verify(State(app): State<App>, Query(p): Query<VerifyParams>) -> Result<Json<VerifyAnswer>, ApiError> {
    let number = p.number.as_deref().map(str::trim).filter(|s| !s.is_empty()).ok_or_else(|| {
        ApiError::bad_param("missing_number", "number", "请填写证书编号", "the certificate number is required")
    })?;
    let name = p.name.as_deref().map(str::trim).filter(|s| !s.is_empty()).ok_or_else(|| {
        ApiError::bad_param("missing_name", "name", "请填写持证人姓名", "the holder's name is required")
    })?;
    Ok(Json(match find(&app, number, name).await? {
        None => VerifyAnswer { result: "not_found".into(), certificate: None },
        Some(c) => VerifyAnswer { result: c.status.clone(), certificate: Some(PublicCertificate::from(&c)) },
    }))
}
