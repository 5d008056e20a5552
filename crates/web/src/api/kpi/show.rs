use axum::Json;
use axum::extract::State;
use gongjiang_app::App;
use gongjiang_app::kpi::KpiReport;
use gongjiang_domain::access::{Action, Resource};
use gongjiang_domain::kpi::{Grouping, KpiRow, TargetRef};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorBody};
use crate::extract::Query;
use crate::params::{self, given};
use crate::views::Bilingual;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct KpiQuery {
    /// 分组：district（区）、industry（用人单位行业门类）、chain（用人单位所属重点产业链，各组互有重叠）、
    /// occupation（职业大类）、level（最高有效等级）；不填 = 仅全市 ·
    /// grouping: `district`, `industry` (employer's section), `chain` (employer's industrial chains;
    /// the groups overlap), `occupation` (major group), `level` (highest valid level); omitted =
    /// the city total only.
    #[param(example = "district")]
    by: Option<String>,
    /// 统计日期 YYYY-MM-DD，默认今天 · as of this date, YYYY-MM-DD; default today (Asia/Shanghai).
    #[param(example = "2025-12-31")]
    as_of: Option<String>,
}

/// The KPI figures: enough members to recompute every share.
#[derive(Debug, Serialize, ToSchema)]
pub struct KpiView {
    #[schema(example = "2025-12-31")]
    pub as_of: String,
    /// `city`, `district`, `industry`, `chain`, `occupation` or `level`.
    pub by: String,
    pub definitions: KpiDefinitionsView,
    /// One row per group, the city `total` row last.
    pub rows: Vec<KpiRowView>,
    /// 阅读须知：按产业链分组时各组互有重叠、之和不等于合计；非今日的统计中就业状态等取当前值 ·
    /// what a reader must know: by chain the groups overlap and do not add up to the total; for a
    /// date other than today, employment status, district, employer, industry and chains are
    /// today's values (the registry keeps no history of them).
    pub notes: Vec<Bilingual>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct KpiDefinitionsView {
    /// Employment statuses counted as employed persons (each person's current status: the
    /// registry keeps no history of it).
    pub employed_statuses: Vec<String>,
    /// Lowest rank counted as skilled talent.
    pub skilled_from_rank: u8,
    /// Lowest rank counted as high-skilled talent.
    pub high_skilled_from_rank: u8,
    /// `official_statistics_then_registry`, `official_statistics` or `registry`.
    pub denominator: String,
    /// Year of the official statistics used (the year of `as_of`).
    pub statistics_year: i32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct KpiRowView {
    /// District code, industry letter, chain id, occupation major group or level rank; `total`
    /// for the city; `unknown` for persons without the attribute; `none` by level for no valid
    /// level, by chain for an employer in no chain.
    #[schema(example = "120116")]
    pub group: String,
    pub name_zh: Option<String>,
    pub name_en: Option<String>,
    /// The skilled share's denominator.
    pub employed_persons: Option<i64>,
    /// `official_statistics`, `registry`, or `unavailable` (the policy wants the official
    /// figure only and none is loaded).
    #[schema(example = "official_statistics")]
    pub denominator_source: String,
    /// Employed persons in the registry.
    pub registry_employed: i64,
    /// Employed persons whose highest level valid on `as_of` is at least `skilled_from_rank`.
    pub skilled: i64,
    /// … at least `high_skilled_from_rank`.
    pub high_skilled: i64,
    /// skilled ÷ employed_persons, a fraction.
    #[schema(example = 0.3142)]
    pub skilled_share: Option<f64>,
    /// high_skilled ÷ skilled, a fraction.
    pub high_skilled_share: Option<f64>,
    pub target_skilled_share: Option<KpiTargetView>,
    /// target − share: positive when short.
    pub gap_skilled_share: Option<f64>,
    pub target_high_skilled_share: Option<KpiTargetView>,
    pub gap_high_skilled_share: Option<f64>,
}

/// The policy target a share is compared with: the group's district target if the policy sets
/// one, else the city's; the first due on or after `as_of`, or the latest when all are past.
#[derive(Debug, Serialize, ToSchema)]
pub struct KpiTargetView {
    #[schema(example = "tj-14fyp-skilled-share")]
    pub id: String,
    #[schema(example = 0.4)]
    pub value: f64,
    /// `>` or `>=`.
    pub comparison: String,
    #[schema(example = "2025-12-31")]
    pub due: String,
    /// District code of a district target; null for a city-wide one.
    pub district: Option<String>,
    /// Whether the share meets the target (null when there is no share).
    pub met: Option<bool>,
}

impl From<&TargetRef> for KpiTargetView {
    fn from(t: &TargetRef) -> KpiTargetView {
        KpiTargetView {
            id: t.id.clone(),
            value: t.value,
            comparison: t.comparison.to_string(),
            due: gongjiang_domain::dates::iso(t.due),
            district: t.district.clone(),
            met: t.met,
        }
    }
}

impl From<KpiRow> for KpiRowView {
    fn from(r: KpiRow) -> KpiRowView {
        KpiRowView {
            target_skilled_share: r.target_skilled_share.as_ref().map(KpiTargetView::from),
            target_high_skilled_share: r.target_high_skilled_share.as_ref().map(KpiTargetView::from),
            denominator_source: r.denominator_source.code().to_string(),
            group: r.group,
            name_zh: r.name_zh,
            name_en: r.name_en,
            employed_persons: r.employed_persons,
            registry_employed: r.registry_employed,
            skilled: r.skilled,
            high_skilled: r.high_skilled,
            skilled_share: r.skilled_share,
            high_skilled_share: r.high_skilled_share,
            gap_skilled_share: r.gap_skilled_share,
            gap_high_skilled_share: r.gap_high_skilled_share,
        }
    }
}

impl From<KpiReport> for KpiView {
    fn from(r: KpiReport) -> KpiView {
        let d = r.definitions;
        KpiView {
            as_of: gongjiang_domain::dates::iso(r.as_of),
            by: r.by.code().to_string(),
            definitions: KpiDefinitionsView {
                employed_statuses: d.employed_statuses,
                skilled_from_rank: d.skilled_from_rank,
                high_skilled_from_rank: d.high_skilled_from_rank,
                denominator: d.denominator.code().to_string(),
                statistics_year: d.statistics_year,
            },
            rows: r.rows.into_iter().map(KpiRowView::from).collect(),
            notes: r.notes.into_iter().map(Bilingual::from).collect(),
        }
    }
}

/// 技能人才指标 · KPI figures as of a date
///
/// 技能人才占就业人员比例、高技能人才占技能人才比例，及与政策目标的差距；口径见策略文件 `[kpi]`。
/// Skilled share of employed persons and high-skilled share of skilled talent, with the policy's
/// targets and the gaps; definitions from the policy's `[kpi]`.
#[utoipa::path(
    get,
    operation_id = "get_kpi",
    path = "/api/v1/kpi",
    tag = "kpi",
    params(KpiQuery),
    responses(
        (status = 200, description = "各组及全市合计 / one row per group and the city total", body = KpiView),
        (status = 400, description = "参数有误 / bad parameter", body = ErrorBody),
        (status = 401, description = "未登录 / not signed in", body = ErrorBody),
        (status = 403, description = "无权限 / not allowed", body = ErrorBody),
    ),
    security(("session" = []), ("bearer" = []))
)]
pub async fn show(
    State(app): State<App>,
    caller: CurrentUser,
    Query(q): Query<KpiQuery>,
) -> Result<Json<KpiView>, ApiError> {
    let scope = caller.require_some(Resource::Kpi, Action::Read)?;
    let by = super::grouping(&q.by)?;
    let as_of = match given(&q.as_of) {
        Some(s) => params::date("as_of", s)?,
        None => app.today(),
    };
    let report = gongjiang_app::kpi::compute(&app, by, as_of).await?;
    let mut view = KpiView::from(report);
    super::keep_visible(&mut view.rows, by == Grouping::District, &scope, |r| &r.group);
    Ok(Json(view))
}
