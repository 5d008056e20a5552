use axum::Json;
use axum::extract::State;
use gongjiang_app::App;
use gongjiang_domain::registry::{PlatformKind, PlatformTier};
use gongjiang_store::platforms::{self, Filter, Listed};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, ErrorBody};
use crate::extract::Query;
use crate::params::{self, given};

/// The most platforms one answer lists (Tianjin had about 660 in 2023, RESEARCH §8.3).
const LIMIT: i64 = 2000;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PlatformQuery {
    /// 依托单位所在区（代码，如 120101）· the organisation's district (code, e.g. 120101).
    district: Option<String>,
    /// 职业代码或其上级类别（如 6-18 含 6-18-01-01）· an occupation code or a category of it.
    #[param(example = "6-18-01-01")]
    occupation: Option<String>,
    /// 平台类型 · kind: master_studio, high_skill_base, public_training_centre,
    /// enterprise_training_centre, industry_education_station.
    kind: Option<String>,
    /// 级别 · tier: national, municipal, district.
    tier: Option<String>,
    /// 只列此日有效的平台（YYYY-MM-DD），默认今天；`all` 列出全部 · only platforms in force on
    /// that day, default today; `all` lists every one.
    in_force_on: Option<String>,
}

/// One platform.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlatformView {
    #[schema(example = "TJ-DSGZS-2023-001")]
    pub code: String,
    pub name: String,
    /// `master_studio` …
    pub kind: String,
    pub kind_zh: String,
    pub kind_en: String,
    /// `national`, `municipal` or `district`.
    pub tier: String,
    pub tier_zh: String,
    pub tier_en: String,
    #[schema(value_type = String, format = Date)]
    pub approved_on: String,
    #[schema(value_type = Option<String>, format = Date)]
    pub valid_until: Option<String>,
    /// Funding granted, in yuan.
    pub funding_yuan: Option<i64>,
    pub occupation_code: Option<String>,
    pub organisation_uscc: String,
    pub organisation_name: String,
    pub district_code: String,
    /// A skill-master studio's lead master (name only).
    pub lead_name: Option<String>,
}

impl From<Listed> for PlatformView {
    fn from(p: Listed) -> PlatformView {
        let kind = PlatformKind::parse(&p.kind);
        let tier = PlatformTier::parse(&p.tier);
        PlatformView {
            kind_zh: kind.map_or("", |k| k.zh()).to_owned(),
            kind_en: kind.map_or("", |k| k.en()).to_owned(),
            tier_zh: tier.map_or("", |t| t.zh()).to_owned(),
            tier_en: tier.map_or("", |t| t.en()).to_owned(),
            code: p.code,
            name: p.name,
            kind: p.kind,
            tier: p.tier,
            approved_on: gongjiang_domain::dates::iso(p.approved_on),
            valid_until: p.valid_until.map(gongjiang_domain::dates::iso),
            funding_yuan: p.funding_yuan,
            occupation_code: p.occupation_code,
            organisation_uscc: p.organisation_uscc,
            organisation_name: p.organisation_name,
            district_code: p.district_code,
            lead_name: p.lead_name,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlatformList {
    pub platforms: Vec<PlatformView>,
}

fn occupation_prefix(s: &str) -> Result<String, ApiError> {
    let t = s.trim();
    let ok =
        !t.is_empty() && t.len() <= 20 && t.split('-').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if ok {
        Ok(t.to_owned())
    } else {
        Err(ApiError::bad_param(
            "invalid_occupation",
            "occupation",
            "occupation 应为职业代码或其类别，如 6-18-01-01 或 6-18",
            "occupation must be an occupation code or category, e.g. 6-18-01-01 or 6-18",
        ))
    }
}

fn coded<T>(
    param: &'static str,
    s: &str,
    parse: fn(&str) -> Option<T>,
    allowed: fn() -> String,
) -> Result<T, ApiError> {
    parse(s).ok_or_else(|| {
        ApiError::bad_param(
            "invalid_value",
            param,
            format!("{param} 应为：{}", allowed()),
            format!("{param} must be one of: {}", allowed()),
        )
    })
}

/// 培养平台列表 · List training platforms
#[utoipa::path(
    get,
    operation_id = "list_platforms",
    path = "/api/v1/platforms",
    tag = "platforms",
    params(PlatformQuery),
    responses(
        (status = 200, description = "平台（国家级、市级、区级，各按编号）/ platforms, national first, by code", body = PlatformList),
        (status = 400, description = "参数有误 / bad parameter", body = ErrorBody),
    )
)]
pub async fn list(State(app): State<App>, Query(q): Query<PlatformQuery>) -> Result<Json<PlatformList>, ApiError> {
    let district = given(&q.district).map(|d| params::district(&app.policy, "district", d)).transpose()?;
    let occupation = given(&q.occupation).map(occupation_prefix).transpose()?;
    let kind = given(&q.kind).map(|k| coded("kind", k, PlatformKind::parse, PlatformKind::allowed)).transpose()?;
    let tier = given(&q.tier).map(|t| coded("tier", t, PlatformTier::parse, PlatformTier::allowed)).transpose()?;
    let in_force_on = match given(&q.in_force_on) {
        Some("all") => None,
        Some(d) => Some(params::date("in_force_on", d)?),
        None => Some(app.today()),
    };
    let f = Filter {
        district,
        occupation,
        kind: kind.map(|k| k.code().to_owned()),
        tier: tier.map(|t| t.code().to_owned()),
        in_force_on,
    };
    let rows = platforms::list(&app.db, &f, LIMIT).await?;
    Ok(Json(PlatformList { platforms: rows.into_iter().map(PlatformView::from).collect() }))
}
