//! `/api/v1/demand`: demand for skilled people reported by enterprises and industry bodies.

pub mod create;
pub mod list;

use gongjiang_app::App;
use gongjiang_domain::supply::Period;
use gongjiang_store::demand::{DemandRow, PeriodSel};
use serde::Serialize;
use utoipa::ToSchema;

use super::persons::occupation_label;
use crate::error::ApiError;
use crate::views::{Label, LevelLabel};

// Kept as a view (presentation work): the store's demand row with the policy's names for its level,
// district and chain.
/// One demand report row.
#[derive(Debug, Serialize, ToSchema)]
pub struct DemandView {
    pub reporter: ReporterRef,
    pub occupation: Label,
    pub level: Option<LevelLabel>,
    /// `2026` or `2026Q2`.
    #[schema(example = "2026")]
    pub period: String,
    pub district: Label,
    /// The policy's industrial chain; `null` when none was reported.
    pub chain: Option<Label>,
    pub people: i64,
    pub note: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReporterRef {
    #[schema(example = "91120116MA05K1A2XW")]
    pub uscc: String,
    pub name: String,
}

impl DemandView {
    pub fn new(app: &App, d: DemandRow) -> DemandView {
        let policy = &app.policy;
        DemandView {
            reporter: ReporterRef { uscc: d.reporter_uscc, name: d.reporter_name },
            occupation: occupation_label(app, &d.occupation_code),
            level: LevelLabel::from_rank(policy, d.level),
            period: Period::from_stored(d.year, d.quarter).code(),
            district: Label::district(policy, &d.district_code),
            chain: (!d.chain.is_empty()).then(|| {
                Label::new(
                    &d.chain,
                    policy.industrial_chain(&d.chain).map(|c| (c.name_zh.as_str(), c.name_en.as_str())),
                )
            }),
            people: d.people,
            note: d.note,
        }
    }
}

/// A `period` parameter: a year or a quarter.
pub(crate) fn period(param: &'static str, s: &str) -> Result<Period, ApiError> {
    Period::parse(s).ok_or_else(|| {
        ApiError::bad_param(
            "invalid_period",
            param,
            format!("{param} 应为年份（2026）或季度（2026Q2），收到“{s}”"),
            format!("{param} must be a year (2026) or a quarter (2026Q2), got \"{s}\""),
        )
    })
}

pub(crate) fn period_sel(p: Period) -> PeriodSel {
    PeriodSel { year: p.year, quarter: p.quarter.map(i16::from) }
}

/// A `chain` parameter: id or Chinese name of one of the policy's industrial chains.
pub(crate) fn chain(app: &App, param: &'static str, s: &str) -> Result<String, ApiError> {
    app.policy.industrial_chain(s).map(|c| c.id.clone()).ok_or_else(|| {
        ApiError::bad_param(
            "unknown_chain",
            param,
            format!("“{s}”不是策略中的重点产业链（填 id 或名称，见 /api/v1/policy）"),
            format!("\"{s}\" is not an industrial chain of the policy (give its id or name; see /api/v1/policy)"),
        )
    })
}
