//! Parsers for query and path parameters. Each failure is a 400 that names the parameter and
//! says, in both languages, what was expected.

use gongjiang_domain::bilingual::Explain;
use gongjiang_domain::level::Level;
use gongjiang_domain::occupation::{Edition, OccupationCode};
use gongjiang_domain::policy::Policy;
use gongjiang_domain::uscc::Uscc;
use time::Date;
use time::macros::format_description;
use uuid::Uuid;

use crate::error::ApiError;

/// A parameter given empty (`?district=`) counts as not given: forms send empty fields.
pub fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

pub fn date(param: &'static str, s: &str) -> Result<Date, ApiError> {
    Date::parse(s, format_description!("[year]-[month]-[day]")).map_err(|_| {
        ApiError::bad_param(
            "invalid_date",
            param,
            format!("{param} 应为 YYYY-MM-DD 格式的日期，收到“{s}”"),
            format!("{param} must be a date as YYYY-MM-DD, got \"{s}\""),
        )
    })
}

pub fn uuid(param: &'static str, s: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(s.trim()).map_err(|_| {
        ApiError::bad_param(
            "invalid_id",
            param,
            format!("{param} 应为 UUID（如 0190a6b4-7c1e-7a3b-9f00-3f5c2d1e4b6a），收到“{s}”"),
            format!("{param} must be a UUID (e.g. 0190a6b4-7c1e-7a3b-9f00-3f5c2d1e4b6a), got \"{s}\""),
        )
    })
}

/// The last four characters of an identity number (尾号): digits, the last one may be X.
pub fn id_tail(param: &'static str, s: &str) -> Result<String, ApiError> {
    match gongjiang_domain::identifier::number_query(s) {
        Some(gongjiang_domain::identifier::NumberQuery::Tail(t)) => Ok(t),
        _ => Err(ApiError::bad_param(
            "invalid_id_tail",
            param,
            format!("{param} 应为身份证号的后4位（数字，末位可为 X），收到“{s}”"),
            format!(
                "{param} must be the last four characters of an identity number (digits, the last may be X), got \"{s}\""
            ),
        )),
    }
}

pub fn uscc(param: &'static str, s: &str) -> Result<Uscc, ApiError> {
    Uscc::parse(s).map_err(|e| {
        let m = e.explain();
        ApiError::bad_param("invalid_uscc", param, format!("{param}：{}", m.zh), format!("{param}: {}", m.en))
    })
}

pub fn occupation(param: &'static str, s: &str) -> Result<OccupationCode, ApiError> {
    OccupationCode::parse(s).map_err(|e| {
        let m = e.explain();
        ApiError::bad_param("invalid_occupation", param, format!("{param}：{}", m.zh), format!("{param}: {}", m.en))
    })
}

pub fn edition(param: &'static str, s: &str) -> Result<Edition, ApiError> {
    s.parse::<Edition>().map_err(|e| {
        let m = e.explain();
        ApiError::bad_param("invalid_edition", param, format!("{param}：{}", m.zh), format!("{param}: {}", m.en))
    })
}

/// A rank (1–8) or any name or alias the policy's ladder knows (技师, 二级, …).
pub fn level(policy: &Policy, param: &'static str, s: &str) -> Result<Level, ApiError> {
    policy.ladder.parse_level(s).ok_or_else(|| {
        ApiError::bad_param(
            "invalid_level",
            param,
            format!("{param} 应为等级序号 1–8 或等级名称（如 技师、二级），收到“{s}”"),
            format!("{param} must be a level rank 1–8 or a level name (e.g. 技师, 二级), got \"{s}\""),
        )
    })
}

/// A district of the policy's jurisdiction, by GB/T 2260 code or name; returns its code.
pub fn district(policy: &Policy, param: &'static str, s: &str) -> Result<String, ApiError> {
    policy.district(s).map(|d| d.code.clone()).ok_or_else(|| {
        ApiError::bad_param(
            "unknown_district",
            param,
            format!("“{s}”不是{}的区（填区划代码或区名，见 /api/v1/policy/districts）", policy.meta.name_zh),
            format!(
                "\"{s}\" is not a district of {} (give its code or name; see /api/v1/policy/districts)",
                policy.meta.name_en
            ),
        )
    })
}

/// An industry of the policy (GB/T 4754 section letter or name); returns its code.
pub fn industry(policy: &Policy, param: &'static str, s: &str) -> Result<String, ApiError> {
    policy.industry(s).map(|i| i.code.clone()).ok_or_else(|| {
        ApiError::bad_param(
            "unknown_industry",
            param,
            format!("“{s}”不是策略中的行业（填国民经济行业门类字母或名称，见 /api/v1/policy）"),
            format!("\"{s}\" is not an industry of the policy (give its GB/T 4754 section letter or name; see /api/v1/policy)"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_strict_iso() {
        assert!(date("on", "2025-02-28").is_ok());
        assert!(date("on", "2025-02-30").is_err());
        assert!(date("on", "2025/02/28").is_err());
        assert!(date("on", "yesterday").is_err());
    }
}
