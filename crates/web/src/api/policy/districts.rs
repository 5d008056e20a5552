use axum::Json;
use axum::extract::State;
use gongjiang_app::App;
use gongjiang_domain::policy::District;
use serde::Serialize;
use utoipa::ToSchema;

// Kept as a view: the policy's district table (the policy types in domain/policy.rs carry no
// OpenAPI schema yet).
#[derive(Debug, Serialize, ToSchema)]
pub struct DistrictView {
    /// GB/T 2260 code.
    #[schema(example = "120116")]
    pub code: String,
    #[schema(example = "滨海新区")]
    pub name_zh: String,
    #[schema(example = "Binhai New Area")]
    pub name_en: String,
    /// The group the city uses in statistics, e.g. 市内六区.
    pub group: String,
    pub group_en: String,
    /// Other names accepted as filter values, e.g. 滨海.
    pub aliases: Vec<String>,
}

impl From<&District> for DistrictView {
    fn from(d: &District) -> DistrictView {
        DistrictView {
            code: d.code.clone(),
            name_zh: d.name_zh.clone(),
            name_en: d.name_en.clone(),
            group: d.group.clone(),
            group_en: d.group_en.clone(),
            aliases: d.aliases.clone(),
        }
    }
}

/// 行政区列表 · Districts of the jurisdiction
#[utoipa::path(
    get,
    operation_id = "list_districts",
    path = "/api/v1/policy/districts",
    tag = "policy",
    responses((status = 200, description = "辖区各区（按策略文件顺序）/ the districts, in policy order", body = Vec<DistrictView>))
)]
pub async fn districts(State(app): State<App>) -> Json<Vec<DistrictView>> {
    Json(app.policy.districts.iter().map(DistrictView::from).collect())
}
