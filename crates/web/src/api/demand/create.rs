use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use gongjiang_app::App;
use gongjiang_app::demand::{self, SubmitReport};
use gongjiang_domain::access::{Action, Resource};
use gongjiang_domain::bilingual::Msg;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorBody, ErrorDetail};

/// One demand row as submitted. Keys are the import's column names (English, or the Chinese
/// headers such as `需求人数`); values are text or numbers.
#[derive(Debug, Serialize, ToSchema)]
pub struct DemandInput {
    /// 填报单位统一社会信用代码（须已登记）· reporter's credit code (a registered organisation).
    #[schema(example = "91120116MA05K1A2XW")]
    pub reporter_uscc: String,
    /// 职业（细类）代码或唯一名称 · occupation (detail) code or its exact name.
    #[schema(example = "6-18-01-01")]
    pub occupation: String,
    /// 技能等级：1–8、等级名称或 五级…一级 · level: 1–8, a name such as 高级工, or 五级…一级.
    #[schema(example = "高级工")]
    pub level: String,
    /// 需求人数 1–1000000 · number of people, 1–1000000.
    #[schema(example = 12)]
    pub people: i64,
    /// 年份或季度 · a year (`2026`) or a quarter (`2026Q2`, `2026年第二季度`).
    #[schema(example = "2026")]
    pub period: String,
    /// 区：区划代码或区名 · district: GB/T 2260 code or name.
    #[schema(example = "滨海新区")]
    pub district: String,
    /// 重点产业链 id 或名称（可选）· industrial chain id or name (optional).
    #[schema(example = "high_end_equipment")]
    pub chain: Option<String>,
    /// 备注（可选，≤500 字）· note (optional, up to 500 characters).
    pub note: Option<String>,
}

// Kept as a view: app/src/demand.rs (its `SubmitReport`) is being restructured elsewhere and
// carries no OpenAPI schema yet.
/// What a submission did. When some rows were rejected the status is 422 and `error` says so;
/// the good rows are written all the same.
#[derive(Debug, Serialize, ToSchema)]
pub struct DemandSubmitView {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorDetail>,
    pub received: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: Vec<RejectedRowView>,
}

// Kept as a view: see `DemandSubmitView`.
#[derive(Debug, Serialize, ToSchema)]
pub struct RejectedRowView {
    /// 0-based position of the row in the submitted array.
    pub index: u64,
    /// One entry per bad field: `code` is `invalid_field`, `param` the field's name as sent.
    pub errors: Vec<RejectedFieldView>,
}

// Kept as a view: see `DemandSubmitView`.
#[derive(Debug, Serialize, ToSchema)]
pub struct RejectedFieldView {
    #[schema(example = "invalid_field")]
    pub code: String,
    #[schema(example = "people")]
    pub param: String,
    /// The value as sent.
    pub value: String,
    pub message_zh: String,
    pub message_en: String,
}

impl DemandSubmitView {
    fn new(r: SubmitReport) -> DemandSubmitView {
        let error = (!r.rejected.is_empty()).then(|| {
            let n = r.rejected.len();
            let m = Msg::new(
                format!("{n} 行未通过校验，其余行已保存"),
                format!("{n} row(s) rejected; the others were saved"),
            );
            ErrorDetail { code: "invalid_rows".to_string(), message_zh: m.zh, message_en: m.en, param: None }
        });
        DemandSubmitView {
            error,
            received: r.received,
            inserted: r.inserted,
            updated: r.updated,
            unchanged: r.unchanged,
            rejected: r
                .rejected
                .into_iter()
                .map(|row| RejectedRowView {
                    index: row.line,
                    errors: row
                        .errors
                        .into_iter()
                        .map(|e| RejectedFieldView {
                            code: "invalid_field".to_string(),
                            param: e.column,
                            value: e.value,
                            message_zh: e.reason.zh,
                            message_en: e.reason.en,
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// Rows per request; larger batches go through `gongjiang import demand FILE`.
pub const MAX_ROWS: usize = 1000;

/// 填报需求 · Report demand
///
/// 提交需求行的 JSON 数组；每行每个字段都按导入规则校验，合格行保存（按 填报单位×职业×等级×期间×区 更新而不重复），
/// 不合格行逐行逐字段说明原因。Submit a JSON array of demand rows: every field is checked with the
/// import's rules; good rows are saved (a row with the same reporter × occupation × level ×
/// period × district updates it), bad ones are reported per row and field.
#[utoipa::path(
    post,
    operation_id = "create_demand",
    path = "/api/v1/demand",
    tag = "supply_demand",
    request_body = Vec<DemandInput>,
    responses(
        (status = 200, description = "全部保存 / every row saved", body = DemandSubmitView),
        (status = 422, description = "部分或全部行被拒，合格行已保存 / some rows rejected, the good ones saved", body = DemandSubmitView),
        (status = 400, description = "请求体不是 JSON 数组 / the body is not a JSON array", body = ErrorBody),
        (status = 401, description = "未登录 / not signed in", body = ErrorBody),
        (status = 403, description = "无权限 / not allowed", body = ErrorBody),
    ),
    security(("session" = []), ("bearer" = []))
)]
pub async fn create(
    State(app): State<App>,
    caller: CurrentUser,
    body: Bytes,
) -> Result<(StatusCode, Json<DemandSubmitView>), ApiError> {
    // Submitting demand is submitting data for an organisation: the imports-write scope decides
    // for which reporters (others' rows are rejected, the rest kept).
    let scope = caller.require_some(Resource::Imports, Action::Write)?;
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&body).map_err(|e| {
        ApiError::BadRequest(Msg::new(
            format!("请求体应为 JSON 数组（每行一个对象）：{e}"),
            format!("the body must be a JSON array of row objects: {e}"),
        ))
    })?;
    if rows.len() > MAX_ROWS {
        return Err(ApiError::BadRequest(Msg::new(
            format!("每次最多 {MAX_ROWS} 行，更多请用文件导入"),
            format!("at most {MAX_ROWS} rows per request; import a file for more"),
        )));
    }
    let report = demand::submit(&app, &caller.actor(), &scope, &rows).await?;
    let status = if report.rejected.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, Json(DemandSubmitView::new(report))))
}
