use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use gongjiang_app::App;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

/// The policy in force, as `gongjiang_domain::policy::Policy` serialises it. This type only
/// documents its top-level members for the OpenAPI document (a test checks that it names
/// every member the response has); the response is the policy itself.
#[derive(Debug, Serialize, ToSchema)]
#[allow(dead_code)]
pub struct PolicyDocument {
    /// `id`, `name_zh`, `name_en`, `jurisdiction` (GB/T 2260), `version`, `effective_from`,
    /// `effective_to`, `sources`.
    meta: Value,
    /// The eight-level ladder: `levels` (rank, names, grade alias, certificate level code, how
    /// obtained), `skilled_from`, `high_skilled_from`.
    ladder: Value,
    /// County-level districts: code, names, statistical group, aliases.
    districts: Vec<Value>,
    /// Abolished district codes and the district that replaced each.
    former_district_codes: Vec<Value>,
    /// GB/T 4754 industry sections.
    industries: Vec<Value>,
    /// The city's industrial system (groups and sectors), if the policy names one.
    industrial_system: Option<Value>,
    /// Key industrial chains.
    industrial_chains: Vec<Value>,
    /// How the KPIs are computed: which employment statuses count, the denominator.
    kpi: Value,
    /// KPI targets: kind, comparison, value, due date, district.
    kpi_targets: Vec<Value>,
    /// Eligibility rules for each level, in effective-dated editions, and which edition each
    /// occupation follows.
    eligibility: Value,
    /// Evaluation parameters: pass mark, invigilation ratios, review panels, publicity period.
    evaluation: Value,
    /// The shortage list's scale (紧缺程度): `thresholds` (severity `acute`/`short`/`moderate`,
    /// `min_ratio`, `min_gap`, most severe first) and `source`; `null` when the policy has none.
    shortage: Option<Value>,
    /// Promotion through competitions (以赛代评): `source` and `promotions` (id, tier, group or
    /// `null` for both, band `{"ranks": {from, to}}` or `{"top_percent": {percent}}`, award,
    /// step_up_from, competitions, effective dates, source, `inferred` `{zh, en}` or `null`);
    /// empty when the policy has none.
    competition: Value,
    /// The incentive schemes (`gongjiang benefits`): `source`, `skill_upgrade` (id, names,
    /// effective dates, source, `inferred` `{zh, en}` or `null` with `inferred_from`,
    /// insurance_scheme, insurance_months, claim_within_months, per_year, level_sources,
    /// amounts `[{level, yuan}]`, review and notice working days) and `haihe_talent` (the same
    /// head, and `routes`: id, version, education, min_level, max_age, work_years,
    /// insurance_months, insurance_scheme, effective dates, source, inferred) and
    /// `skill_allowance` (the same head and `monthly` `[{level, yuan}]`, empty where the city has
    /// set no schedule); a scheme is `null` when the policy has none.
    benefits: Value,
    /// The enterprise new-type apprenticeship's rules (企业新型学徒制): `source` and `rules` (id,
    /// `min_contract_months`, `min_months`, `max_months`, `max_months_with_reason` — each `null`
    /// when not set —, `lowest_target`, `highest_target` (ranks), effective dates, source,
    /// `inferred` `{zh, en}` or `null`); empty when the policy has none.
    apprenticeship: Value,
    /// Professional titles (职称): `source`, `edition` (the bridging document a title decision
    /// names), `correspondence` (series, specialty, occupation code prefixes, source — which title
    /// corresponds to which occupation) and `bridging` (id, series, grade, titles, texts, source,
    /// review, effective dates, conditions `all`); empty when the policy has none.
    titles: Value,
    /// The working-day calendar: `years` (year, `holidays` as `[from, to]` ranges, `workdays`
    /// — make-up working days, 调休 —, source); empty when the policy has none.
    calendar: Value,
}

/// 现行政策 · The policy in force
#[utoipa::path(
    get,
    operation_id = "get_policy",
    path = "/api/v1/policy",
    tag = "policy",
    responses((status = 200, description = "现行政策全文 / the whole policy in force", body = PolicyDocument))
)]
pub async fn show(State(app): State<App>) -> Response {
    // Serialised here, borrowing the shared policy, rather than cloned into the response.
    Json(&*app.policy).into_response()
}
