//! An organiser's set-up of a competition: events, and per event its marking scheme, judges and
//! entrants, as on `/competitions/setup` and an event's manage page.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use gongjiang_app::App;
use gongjiang_app::competition::setup;
use gongjiang_store::judging;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{EventView, as_csv, body, event_run_by, no_event, run_by};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorBody};
use crate::extract::Path;
use crate::views::Bilingual;

/// A new event of a competition.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEvent {
    #[schema(example = "W1")]
    pub code: String,
    #[schema(example = "焊工")]
    pub name: String,
    /// The event's occupation (a detail code of the classification).
    #[schema(example = "6-18-02-04")]
    pub occupation: String,
    /// Lowest and highest level an entrant may hold: a rank 1–8 or a level's name.
    #[schema(example = "1")]
    pub level_min: String,
    #[schema(example = "8")]
    pub level_max: String,
    /// Persons per entry; more than one is a team.
    #[serde(default = "one")]
    pub team_size: u32,
    /// 国赛精选: only practitioners of the occupation.
    #[serde(default)]
    pub practitioners_only: bool,
}

fn one() -> u32 {
    1
}

/// 添加赛项 · Add an event to a competition
#[utoipa::path(
    post,
    operation_id = "add_competition_event",
    path = "/api/v1/competitions/{code}/events",
    tag = "competitions",
    params(("code" = String, Path, description = "竞赛代码 / the competition's code")),
    request_body = NewEvent,
    responses(
        (status = 201, description = "已添加 / added", body = EventView),
        (status = 400, description = "请求体无效 / the body is not valid", body = ErrorBody),
        (status = 401, description = "未登录 / not signed in", body = ErrorBody),
        (status = 403, description = "无竞赛管理权限 / may not run competitions", body = ErrorBody),
        (status = 404, description = "无此竞赛，或不归本单位组织 / no such competition, or not the caller's", body = ErrorBody),
        (status = 422, description = "代码已被使用、职业或等级无效 / code taken, occupation or level not valid", body = ErrorBody),
    ),
    security(("session" = []), ("bearer" = []))
)]
pub async fn add_event(
    State(app): State<App>,
    caller: CurrentUser,
    Path(code): Path<String>,
    bytes: Bytes,
) -> Result<(StatusCode, Json<EventView>), ApiError> {
    let c = run_by(&app, &caller, &code).await?;
    let n: NewEvent = body(&bytes)?;
    let input = setup::EventInput {
        code: &n.code,
        name: &n.name,
        occupation: n.occupation.trim(),
        level_min: &n.level_min,
        level_max: &n.level_max,
        team_size: n.team_size,
        occupation_required: n.practitioners_only,
    };
    setup::add_event(&app, &caller.actor(), &c.code, &input).await?;
    let e = judging::event_by_code(&app.db, c.id, n.code.trim()).await?.ok_or_else(no_event)?;
    Ok((StatusCode::CREATED, Json(EventView::new(&app, &e))))
}

/// CSV text: a marking scheme (one aspect a line) or entrants (one a line).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CsvText {
    /// With or without its header line.
    #[schema(example = "code,kind,description,max_mark\nM1,measurement,焊缝尺寸,50\nM2,measurement,焊缝外观,50")]
    pub csv: String,
}

/// A marking scheme as set.
#[derive(Debug, Serialize, ToSchema)]
pub struct SchemeView {
    pub aspects: Vec<AspectView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AspectView {
    #[schema(example = "A1")]
    pub code: String,
    /// `measurement` (测量) or `judgement` (评价).
    #[schema(example = "judgement")]
    pub kind: String,
    pub description: String,
    /// The aspect's maximum, in tenths of a mark.
    pub max_tenths: u32,
    /// Judgement aspects: what scores 0, 1, 2 and 3 mean.
    pub descriptors: Vec<String>,
}

/// 评分方案 · Set an event's marking scheme
///
/// CSV `code, kind, description, max_mark, descriptor_0 … descriptor_3` (or the Chinese headers);
/// refused once a mark is given. Every fault names its line, column and reason.
#[utoipa::path(
    post,
    operation_id = "set_competition_scheme",
    path = "/api/v1/competitions/{code}/events/{event}/scheme",
    tag = "competitions",
    params(
        ("code" = String, Path, description = "竞赛代码 / the competition's code"),
        ("event" = String, Path, description = "赛项代码 / the event's code"),
    ),
    request_body = CsvText,
    responses(
        (status = 200, description = "已设置 / set", body = SchemeView),
        (status = 400, description = "请求体或文件无效 / the body or the CSV is not valid", body = ErrorBody),
        (status = 401, description = "未登录 / not signed in", body = ErrorBody),
        (status = 403, description = "无竞赛管理权限 / may not run competitions", body = ErrorBody),
        (status = 404, description = "无此竞赛或赛项，或不归本单位组织 / no such competition or event, or not the caller's", body = ErrorBody),
        (status = 422, description = "评分方案有误或已开始评分 / the scheme is wrong or marking has begun", body = ErrorBody),
    ),
    security(("session" = []), ("bearer" = []))
)]
pub async fn scheme(
    State(app): State<App>,
    caller: CurrentUser,
    Path((code, event)): Path<(String, String)>,
    bytes: Bytes,
) -> Result<Json<SchemeView>, ApiError> {
    let (c, e) = event_run_by(&app, &caller, &code, &event).await?;
    let t: CsvText = body(&bytes)?;
    let file = as_csv("code,kind,description,max_mark,descriptor_0,descriptor_1,descriptor_2,descriptor_3", &t.csv)?;
    let s = setup::set_scheme_file(&app, &caller.actor(), &c.code, &e.code, file.path()).await?;
    let aspects = s
        .aspects
        .into_iter()
        .map(|a| AspectView {
            code: a.code,
            kind: match a.kind {
                gongjiang_domain::marking::AspectKind::Measurement => "measurement",
                gongjiang_domain::marking::AspectKind::Judgement => "judgement",
            }
            .to_string(),
            description: a.description,
            max_tenths: a.max_tenths,
            descriptors: a.descriptors,
        })
        .collect();
    Ok(Json(SchemeView { aspects }))
}

/// A judge of an event.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewJudge {
    #[schema(example = "J1")]
    pub code: String,
    #[schema(example = "裁判甲")]
    pub name: String,
    /// The judge's organisation (credit code): a judge does not mark entrants of their own.
    pub organisation: Option<String>,
    /// The account that marks as this judge.
    pub username: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JudgeAdded {
    pub code: String,
}

/// 添加裁判 · Add a judge to an event
#[utoipa::path(
    post,
    operation_id = "add_competition_judge",
    path = "/api/v1/competitions/{code}/events/{event}/judges",
    tag = "competitions",
    params(
        ("code" = String, Path, description = "竞赛代码 / the competition's code"),
        ("event" = String, Path, description = "赛项代码 / the event's code"),
    ),
    request_body = NewJudge,
    responses(
        (status = 201, description = "已添加 / added", body = JudgeAdded),
        (status = 400, description = "请求体无效 / the body is not valid", body = ErrorBody),
        (status = 401, description = "未登录 / not signed in", body = ErrorBody),
        (status = 403, description = "无竞赛管理权限 / may not run competitions", body = ErrorBody),
        (status = 404, description = "无此竞赛或赛项，或不归本单位组织 / no such competition or event, or not the caller's", body = ErrorBody),
        (status = 422, description = "代码已被使用、单位或账户无效 / code taken, organisation or account not valid", body = ErrorBody),
    ),
    security(("session" = []), ("bearer" = []))
)]
pub async fn judges(
    State(app): State<App>,
    caller: CurrentUser,
    Path((code, event)): Path<(String, String)>,
    bytes: Bytes,
) -> Result<(StatusCode, Json<JudgeAdded>), ApiError> {
    let (c, e) = event_run_by(&app, &caller, &code, &event).await?;
    let j: NewJudge = body(&bytes)?;
    let input = setup::JudgeInput {
        code: &j.code,
        name: &j.name,
        uscc: j.organisation.as_deref().map(str::trim).filter(|s| !s.is_empty()),
        username: j.username.as_deref().map(str::trim).filter(|s| !s.is_empty()),
    };
    setup::add_judge(&app, &caller.actor(), &c.code, &e.code, &input).await?;
    Ok((StatusCode::CREATED, Json(JudgeAdded { code: j.code.trim().to_string() })))
}

/// What registering entrants did.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntriesView {
    pub read: u64,
    pub accepted: u64,
    pub rejected: u64,
    /// Each refused line with every reason (an ineligible entrant's too).
    pub refused: Vec<RefusedLine>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RefusedLine {
    /// The CSV's line (1 = the header).
    pub line: u64,
    pub errors: Vec<RefusedField>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RefusedField {
    pub column: String,
    pub reason: Bilingual,
}

/// 选手报名 · Register entrants of an event
///
/// CSV `身份证号, 组别, 参赛号[, 队名, 单位统一社会信用代码]` (or `id_number, group, bib, team,
/// uscc`), one entrant a line; eligibility checked per line, the good lines registered together.
#[utoipa::path(
    post,
    operation_id = "add_competition_entries",
    path = "/api/v1/competitions/{code}/events/{event}/entries",
    tag = "competitions",
    params(
        ("code" = String, Path, description = "竞赛代码 / the competition's code"),
        ("event" = String, Path, description = "赛项代码 / the event's code"),
    ),
    request_body = CsvText,
    responses(
        (status = 200, description = "报名结果 / what was registered and refused", body = EntriesView),
        (status = 400, description = "请求体或文件无效 / the body or the CSV is not valid", body = ErrorBody),
        (status = 401, description = "未登录 / not signed in", body = ErrorBody),
        (status = 403, description = "无竞赛管理权限 / may not run competitions", body = ErrorBody),
        (status = 404, description = "无此竞赛或赛项，或不归本单位组织 / no such competition or event, or not the caller's", body = ErrorBody),
        (status = 422, description = "成绩已公布 / the results are published", body = ErrorBody),
    ),
    security(("session" = []), ("bearer" = []))
)]
pub async fn entries(
    State(app): State<App>,
    caller: CurrentUser,
    Path((code, event)): Path<(String, String)>,
    bytes: Bytes,
) -> Result<Json<EntriesView>, ApiError> {
    let (c, e) = event_run_by(&app, &caller, &code, &event).await?;
    let t: CsvText = body(&bytes)?;
    let file = as_csv("身份证号,组别,参赛号,队名,单位统一社会信用代码", &t.csv)?;
    let s = setup::import_entries(&app, &caller.actor(), &c.code, &e.code, file.path(), None).await?;
    let refused = s
        .report
        .into_iter()
        .map(|r| RefusedLine {
            line: r.line,
            errors: r
                .errors
                .into_iter()
                .map(|f| RefusedField { column: f.column, reason: Bilingual::from(f.reason) })
                .collect(),
        })
        .collect();
    Ok(Json(EntriesView { read: s.read, accepted: s.accepted, rejected: s.rejected, refused }))
}
