//! `/api/v1/supply-gap`: reported demand against the holders of each level, ranked, and the
//! gap projected forward with the training that would close it.

pub mod forecast;
pub mod show;

use gongjiang_app::App;
use gongjiang_app::supply::{self, GapGrouping, GapQuery, GapRow, PipelineSource};
use serde::Serialize;
use utoipa::ToSchema;

use super::demand::period;
use crate::error::ApiError;
use crate::params::{self, given};
use crate::views::Bilingual;

/// The query both endpoints share.
pub(crate) fn gap_query(
    app: &App,
    by: &Option<String>,
    period_param: &Option<String>,
    occupation: &Option<String>,
    as_of: &Option<String>,
) -> Result<GapQuery, ApiError> {
    let by = match given(by) {
        None => GapGrouping::District,
        Some(s) => supply::parse_grouping(s).ok_or_else(|| {
            ApiError::bad_param(
                "invalid_grouping",
                "by",
                format!("by 应为 district、chain 或 city，收到“{s}”"),
                format!("by must be district, chain or city, got \"{s}\""),
            )
        })?,
    };
    let period = match given(period_param) {
        Some(s) => period("period", s)?,
        None => gongjiang_domain::supply::Period { year: app.today().year(), quarter: None },
    };
    Ok(GapQuery {
        by,
        period,
        occupation: given(occupation)
            .map(|s| params::occupation("occupation", s).map(|c| c.as_str().to_string()))
            .transpose()?,
        as_of: given(as_of).map(|s| params::date("as_of", s)).transpose()?,
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PipelineSourceView {
    /// `none` until the registry records people on their way to a level.
    #[schema(example = "none")]
    pub code: String,
    pub note: Bilingual,
}

impl From<PipelineSource> for PipelineSourceView {
    fn from(p: PipelineSource) -> Self {
        PipelineSourceView { code: p.code.to_string(), note: p.note.into() }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GapRowView {
    /// 1 = the largest gap.
    pub rank: u32,
    #[schema(example = "6-18-01-01")]
    pub occupation_code: String,
    pub occupation_name: Option<String>,
    /// Level rank asked for, 1–8.
    #[schema(example = 4)]
    pub level: u8,
    pub level_name_zh: String,
    pub level_name_en: String,
    /// District code, chain id, or `city`.
    #[schema(example = "120116")]
    pub group: String,
    pub group_name_zh: String,
    pub group_name_en: String,
    pub demand: i64,
    /// Holders of this level or above in the occupation and group on `as_of`.
    pub holders: i64,
    /// People on their way to the level (0 while `pipeline_source.code` is `none`).
    pub pipeline: i64,
    /// holders + pipeline.
    pub supply: i64,
    /// demand − supply; negative when supply exceeds demand.
    pub gap: i64,
    /// demand ÷ supply; `null` when supply is 0.
    pub ratio: Option<f64>,
    /// `acute` (非常紧缺), `short` (紧缺), `moderate` (较紧缺) by the policy's `[shortage]`
    /// thresholds; `null` when not short.
    #[schema(example = "short")]
    pub severity: Option<String>,
    pub severity_zh: Option<String>,
}

impl From<GapRow> for GapRowView {
    fn from(r: GapRow) -> Self {
        GapRowView {
            rank: r.rank,
            occupation_code: r.occupation_code,
            occupation_name: r.occupation_name,
            level: r.level,
            level_name_zh: r.level_name_zh,
            level_name_en: r.level_name_en,
            group: r.group,
            group_name_zh: r.group_name_zh,
            group_name_en: r.group_name_en,
            demand: r.demand,
            holders: r.holders,
            pipeline: r.pipeline,
            supply: r.supply,
            gap: r.gap,
            ratio: r.ratio,
            severity: r.severity.map(|s| s.code().to_string()),
            severity_zh: r.severity_zh.map(str::to_string),
        }
    }
}
