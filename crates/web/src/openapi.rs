//! The base of the OpenAPI 3.1 document (title, tags, security schemes); `api::router` adds
//! every route from the handlers' `#[utoipa::path]` attributes, and `crate::openapi()` is the
//! whole document. A copy is committed as `crates/web/openapi.json`; a test fails when the
//! two drift apart.

use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "gongjiang 工匠 API",
        description = "天津市技能人才登记库的接口：单位、人员（证件号码脱敏）、等级记录、申报资格判断、职业分类与现行政策（只读），\
                       以及企业需求填报、供需缺口与紧缺预测。\n\n\
                       API of the skilled-talent registry: organisations, persons (identity numbers masked), \
                       level history, eligibility decisions, the occupational classification and the policy in force (read-only); \
                       demand reported by enterprises, the supply–demand gap and its forecast.\n\n\
                       列表分页 / paging: `?limit=` (1–500, default 50) and `?after=<next>`; \
                       错误 / errors: `{\"error\": {\"code\", \"message_zh\", \"message_en\", \"param\"?}}`."
    ),
    tags(
        (name = "organisations", description = "单位 / organisations"),
        (name = "persons", description = "人员 / persons"),
        (name = "occupations", description = "职业分类 / occupational classification"),
        (name = "platforms", description = "培养平台 / training platforms"),
        (name = "policy", description = "现行政策 / the policy in force"),
        (name = "kpi", description = "技能人才指标 / KPI figures"),
        (name = "supply_demand", description = "供需预测和培养规划 / skills supply, demand and training needs"),
        (name = "evaluation", description = "职业技能等级认定：评价机构与评价计划 / skill-level evaluation: institutions and sessions"),
        (name = "competitions", description = "职业技能竞赛与以赛代评：竞赛、赛项、评分方案、裁判、选手、签字、公布成绩 / competitions and promotion through them: events, schemes, judges, entrants, sign-off, results"),
        (name = "verification", description = "证书查验与电子证书（W3C 可验证凭证）/ certificate verification and signed credentials (W3C VC API)"),
        (name = "session", description = "登录与当前用户 / signing in and who is signed in"),
        (name = "audit", description = "审计日志（市级管理员）/ the audit trail (city administrators)"),
        (name = "me", description = "本人数据：查询/复制与更正请求 / your own data: a copy, and correction requests"),
        (name = "meta", description = "服务状态 / service status"),
    ),
    modifiers(&SecuritySchemes)
)]
pub struct ApiDoc;

/// The two ways to authenticate: the session cookie of `POST /api/v1/session`, and a bearer
/// API token (`gjt_…`, from `gongjiang token create`).
struct SecuritySchemes;

impl utoipa::Modify for SecuritySchemes {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("gjt_")
                    .description(Some("API 令牌（gongjiang token create）/ an API token from `gongjiang token create`"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "gongjiang_session",
                "登录后的会话 Cookie（HTTPS 下名为 __Host-gongjiang_session）；修改数据的请求须带 X-CSRF-Token / \
                 the session cookie set by POST /api/v1/session (`__Host-gongjiang_session` over HTTPS); \
                 state-changing requests must carry X-CSRF-Token",
            ))),
        );
    }
}

/// Pretty JSON with a final newline, byte for byte what is served and committed.
pub(crate) fn to_json(doc: &utoipa::openapi::OpenApi) -> String {
    // Serialising a tree of strings and maps with string keys cannot fail; should it, the
    // document says so rather than the server refusing to start.
    let mut s = doc.to_pretty_json().unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
