//! Running an event to its results: signing the marks off and publishing, as on an event's
//! manage page.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use gongjiang_app::App;
use gongjiang_app::competition::{marking, results};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

use super::{body, event_run_by};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorBody};
use crate::extract::Path;
use crate::params;
use crate::views::Bilingual;
use gongjiang_domain::dates::serde_iso;

/// Whom to sign off: one competitor number, or (empty body or no `bib`) everyone whose marks
/// all stand.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignOffRequest {
    #[schema(example = "003")]
    pub bib: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SignOffView {
    /// Signed off now, with raw totals.
    pub signed: Vec<SignedView>,
    /// Signed off before.
    pub already: Vec<String>,
    /// Not yet: each competitor number with every reason (an aspect missing judges, judges more
    /// than one point apart …).
    pub blocked: Vec<BlockedView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SignedView {
    pub bib: String,
    #[schema(example = "93.33")]
    pub total: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BlockedView {
    pub bib: String,
    pub reasons: Vec<Bilingual>,
}

/// 签字确认 · Sign an event's marks off
///
/// Locks the marks of every entrant whose aspects all stand (or of the one named); the others
/// are listed with why. Audited `competition.sign_off`.
#[utoipa::path(
    post,
    operation_id = "sign_off_competition_event",
    path = "/api/v1/competitions/{code}/events/{event}/sign-off",
    tag = "competitions",
    params(
        ("code" = String, Path, description = "竞赛代码 / the competition's code"),
        ("event" = String, Path, description = "赛项代码 / the event's code"),
    ),
    request_body(content = SignOffRequest, description = "可省略 / optional"),
    responses(
        (status = 200, description = "签字结果 / who was signed off and who not", body = SignOffView),
        (status = 400, description = "请求体无效 / the body is not valid", body = ErrorBody),
        (status = 401, description = "未登录 / not signed in", body = ErrorBody),
        (status = 403, description = "无竞赛管理权限 / may not run competitions", body = ErrorBody),
        (status = 404, description = "无此竞赛或赛项，或不归本单位组织 / no such competition or event, or not the caller's", body = ErrorBody),
        (status = 422, description = "无评分方案或成绩已公布 / no scheme, or published already", body = ErrorBody),
    ),
    security(("session" = []), ("bearer" = []))
)]
pub async fn sign_off(
    State(app): State<App>,
    caller: CurrentUser,
    Path((code, event)): Path<(String, String)>,
    bytes: Bytes,
) -> Result<Json<SignOffView>, ApiError> {
    let (c, e) = event_run_by(&app, &caller, &code, &event).await?;
    let r: SignOffRequest =
        if bytes.iter().all(u8::is_ascii_whitespace) { SignOffRequest::default() } else { body(&bytes)? };
    let bib = r.bib.as_deref().map(str::trim).filter(|b| !b.is_empty());
    let s = marking::sign_off(&app, &caller.actor(), &c.code, &e.code, bib).await?;
    Ok(Json(SignOffView {
        signed: s
            .signed
            .into_iter()
            .map(|(bib, total)| SignedView { bib, total: gongjiang_domain::marking::show(total) })
            .collect(),
        already: s.already,
        blocked: s
            .blocked
            .into_iter()
            .map(|(bib, why)| BlockedView { bib, reasons: why.into_iter().map(Bilingual::from).collect() })
            .collect(),
    }))
}

/// The publication day (the promotions' date).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishRequest {
    #[schema(example = "2026-06-01")]
    pub on: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublishView {
    #[serde(with = "serde_iso")]
    pub awarded_on: Date,
    pub promoted: u64,
    /// Numbers of the certificates issued for the promotions.
    pub certificates: Vec<String>,
    pub results: Vec<PublishedView>,
}

/// One entrant's published result and what it gave.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublishedView {
    pub bib: String,
    /// `employee` or `student`.
    pub group: String,
    pub place: u32,
    pub award: Option<String>,
    /// `promoted`, `no_rule`, `already_held` or `year_limit`.
    #[schema(example = "promoted")]
    pub outcome: String,
    /// Ladder ranks before and after (1 学徒工 … 8 首席技师).
    pub level_before: Option<u8>,
    pub level_after: Option<u8>,
    /// The rule applied, or why none.
    pub explanation: Bilingual,
    pub opens: Vec<Bilingual>,
}

/// 公布成绩 · Publish an event's results
///
/// Needs every entrant signed off. In one transaction: each result recorded with its 以赛代评
/// decision, promotions into the level history with their certificates, standings stored, the
/// event closed. Audited `competition.publish`.
#[utoipa::path(
    post,
    operation_id = "publish_competition_event",
    path = "/api/v1/competitions/{code}/events/{event}/publish",
    tag = "competitions",
    params(
        ("code" = String, Path, description = "竞赛代码 / the competition's code"),
        ("event" = String, Path, description = "赛项代码 / the event's code"),
    ),
    request_body = PublishRequest,
    responses(
        (status = 200, description = "已公布 / published", body = PublishView),
        (status = 400, description = "请求体或日期无效 / the body or the date is not valid", body = ErrorBody),
        (status = 401, description = "未登录 / not signed in", body = ErrorBody),
        (status = 403, description = "无竞赛管理权限 / may not run competitions", body = ErrorBody),
        (status = 404, description = "无此竞赛或赛项，或不归本单位组织 / no such competition or event, or not the caller's", body = ErrorBody),
        (status = 422, description = "尚有未签字的选手、日期不在范围内、已公布，或没有可颁发证书的评价机构 / someone not signed off, the date out of range, published already, or no institution to issue a promotion's certificate", body = ErrorBody),
    ),
    security(("session" = []), ("bearer" = []))
)]
pub async fn publish(
    State(app): State<App>,
    caller: CurrentUser,
    Path((code, event)): Path<(String, String)>,
    bytes: Bytes,
) -> Result<Json<PublishView>, ApiError> {
    let (c, e) = event_run_by(&app, &caller, &code, &event).await?;
    let r: PublishRequest = body(&bytes)?;
    let on = params::date("on", &r.on)?;
    let p = results::publish(&app, &caller.actor(), &c.code, &e.code, on).await?;
    Ok(Json(PublishView {
        awarded_on: p.awarded_on,
        promoted: p.promoted,
        certificates: p.certificates,
        results: p
            .results
            .into_iter()
            .map(|x| PublishedView {
                bib: x.bib,
                group: x.group,
                place: x.place,
                award: x.award,
                outcome: x.outcome,
                level_before: x.level_before,
                level_after: x.level_after,
                explanation: Bilingual::from(x.explanation),
                opens: x.opens.into_iter().map(Bilingual::from).collect(),
            })
            .collect(),
    }))
}
