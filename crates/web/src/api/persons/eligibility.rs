use axum::Json;
use axum::extract::State;
use gongjiang_app::App;
use gongjiang_app::candidate::decide_for;
use gongjiang_app::title_eligibility::{decide_for as decide_title_for, parse_series};
use gongjiang_domain::access::{Action, Resource};
use gongjiang_domain::eligibility::{Decision, RuleOutcome, TitleDecision, resolve_title};
use gongjiang_domain::standards::Asked;
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::show::find;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Path, Query};
use crate::params::{self, given};
use crate::views::Bilingual;
use gongjiang_domain::dates::serde_iso;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EligibilityQuery {
    /// 目标等级（与 title 二选一）：序号 1–8 或名称（技师、二级…）· target level (or `title`):
    /// rank 1–8 or name.
    #[param(example = "技师")]
    level: Option<String>,
    /// 拟申报的职称（职业发展贯通，与 level 二选一），如 助理工程师、工程师、高级工程师 · a
    /// professional title to apply for through bridging (instead of `level`), e.g. 工程师.
    #[param(example = "工程师")]
    title: Option<String>,
    /// 职称系列，默认按职称名称确定，否则为工程技术 · the title's series; by default found from
    /// the title's name, else 工程技术 (engineering).
    #[param(example = "工程技术")]
    series: Option<String>,
    /// 申报职业代码，默认为其登记职业 · occupation to apply in; the registered one when left out.
    occupation: Option<String>,
    /// 判断日期 YYYY-MM-DD，默认今天（北京时间）· date to decide on; today (Asia/Shanghai) when left out.
    #[param(value_type = Option<String>, format = Date, example = "2025-06-30")]
    on: Option<String>,
    /// 申报条件版本（如 2018、2023），默认为该职业施行中的标准所定版本，再次为策略默认 · edition of
    /// the application conditions; by default the occupation's standard in force, else the policy's.
    #[param(example = "2018")]
    edition: Option<String>,
}

/// The eligibility engine's decision (the same members as `gongjiang eligibility --format
/// json`), with the person it is about, a one-line summary and the occupation's name. A view
/// because it adds those (presentation work); its rules are the engine's `RuleOutcome`s as
/// they are.
#[derive(Debug, Serialize, ToSchema)]
pub struct EligibilityView {
    /// The person's public id.
    pub person: Uuid,
    pub eligible: bool,
    /// One line: eligible, or what is missing and from when it will not be.
    pub summary: Bilingual,
    /// The occupation code decided for.
    #[schema(example = "6-18-01-01")]
    pub occupation: String,
    /// Its name in the catalogue in force.
    pub occupation_name: Option<String>,
    /// Rank of the target level, 1–8.
    #[schema(example = 5)]
    pub target: u8,
    /// e.g. zh `二级/技师`, en `technician`.
    pub target_name: Bilingual,
    #[serde(with = "serde_iso")]
    pub on: Date,
    /// Id of the policy edition applied; empty when none applies.
    pub edition: String,
    /// Why that edition: `requested`, `session`, `standard` (the occupation's standard in force),
    /// `default` (the policy's) or `none`.
    #[schema(example = "standard")]
    pub edition_basis: String,
    /// Why that edition, in words; names the standard when one governs.
    pub edition_reason: Bilingual,
    /// Id of the first rule that is met, if any.
    pub rule: Option<String>,
    /// Every rule for the target level, each with the outcome of every condition.
    pub rules: Vec<RuleOutcome>,
    /// When not eligible: the earliest date on which waiting alone makes the person eligible.
    #[serde(with = "serde_iso::option")]
    pub earliest_eligible_on: Option<Date>,
    /// Remarks not about one condition (no edition applies, level already held, …).
    pub notes: Vec<Bilingual>,
    /// The answer rests on an inference: a rule the policy marks `[I]`/`[GAP]`, or an edition
    /// chosen without the occupation's standard on file.
    pub inferred: bool,
    /// Every reason, flat, as `gongjiang eligibility` prints them: the summary, the edition's,
    /// the notes, then each condition's rule by rule.
    pub reasons: Vec<Bilingual>,
}

impl EligibilityView {
    // Destructured in full, so a member added to the engine's types is a compile error here
    // rather than silently missing from the API.
    fn new(app: &App, person: Uuid, d: Decision) -> EligibilityView {
        let summary = d.summary().into();
        let Decision {
            eligible,
            occupation,
            target,
            target_name,
            on,
            edition,
            edition_basis,
            edition_reason,
            rule,
            rules,
            earliest_eligible_on,
            notes,
            inferred,
            reasons,
        } = d;
        EligibilityView {
            person,
            eligible,
            summary,
            occupation_name: super::occupation_label(app, &occupation).name_zh,
            occupation,
            target: target.rank(),
            target_name: target_name.into(),
            on,
            edition,
            edition_basis: edition_basis.code().to_owned(),
            edition_reason: edition_reason.into(),
            rule,
            rules,
            earliest_eligible_on,
            notes: notes.into_iter().map(Bilingual::from).collect(),
            inferred,
            reasons: reasons.into_iter().map(Bilingual::from).collect(),
        }
    }
}

/// The bridging decision for a professional title (the same members as `gongjiang
/// eligibility ID --title TITLE --format json`), with the person and a one-line summary.
#[derive(Debug, Serialize, ToSchema)]
pub struct TitleEligibilityView {
    /// The person's public id.
    pub person: Uuid,
    pub eligible: bool,
    pub summary: Bilingual,
    /// The title asked about, e.g. 工程师.
    #[schema(example = "工程师")]
    pub title: String,
    /// Code of the title series, e.g. `engineering` (工程技术).
    #[schema(example = "engineering")]
    pub series: String,
    /// `junior`, `intermediate`, `deputy_senior` or `senior`.
    #[schema(example = "intermediate")]
    pub grade: String,
    pub target_name: Bilingual,
    #[serde(with = "serde_iso")]
    pub on: Date,
    /// The bridging document the policy follows, e.g. 津人社局发〔2022〕26号.
    pub edition: String,
    /// Always `default`: the policy's bridging rules.
    pub edition_basis: String,
    pub edition_reason: Bilingual,
    /// Id of the first route that is met, if any.
    pub rule: Option<String>,
    /// Every bridging route to the title, each with the outcome of every condition.
    pub rules: Vec<RuleOutcome>,
    #[serde(with = "serde_iso::option")]
    pub earliest_eligible_on: Option<Date>,
    pub notes: Vec<Bilingual>,
    /// The answer rests on an inference or needs review (待人工核实).
    pub inferred: bool,
    pub reasons: Vec<Bilingual>,
}

impl TitleEligibilityView {
    fn new(person: Uuid, d: TitleDecision) -> TitleEligibilityView {
        let summary = d.summary().into();
        let TitleDecision {
            eligible,
            title,
            series,
            grade,
            target_name,
            on,
            edition,
            edition_basis,
            edition_reason,
            rule,
            rules,
            earliest_eligible_on,
            notes,
            inferred,
            reasons,
        } = d;
        TitleEligibilityView {
            person,
            eligible,
            summary,
            title,
            series: series.code().to_owned(),
            grade: grade.code().to_owned(),
            target_name: target_name.into(),
            on,
            edition,
            edition_basis: edition_basis.code().to_owned(),
            edition_reason: edition_reason.into(),
            rule,
            rules,
            earliest_eligible_on,
            notes: notes.into_iter().map(Bilingual::from).collect(),
            inferred,
            reasons: reasons.into_iter().map(Bilingual::from).collect(),
        }
    }
}

/// A decision for a level (`level=`) or, through bridging, for a professional title (`title=`).
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum EligibilityAnswer {
    Level(EligibilityView),
    Title(TitleEligibilityView),
}

/// 申报资格判断 · Whether the person may apply for a level or, through bridging, a title
#[utoipa::path(
    get,
    operation_id = "get_person_eligibility",
    path = "/api/v1/persons/{public_id}/eligibility",
    tag = "persons",
    params(("public_id" = uuid::Uuid, Path, description = "人员公开标识 / the person's public id"), EligibilityQuery),
    responses(
        (status = 200, description = "判断结果及每条规则的理由 / the decision with the reasons for every rule", body = EligibilityAnswer),
        (status = 400, description = "参数有误 / bad parameter", body = ErrorBody),
        (status = 404, description = "无此人员 / no such person", body = ErrorBody),
        (status = 422, description = "登记信息不足以判断（如无出生日期、无登记职业）/ the record cannot answer (e.g. no birth date, no occupation)", body = ErrorBody),
        (status = 401, description = "未登录 / not signed in", body = ErrorBody),
        (status = 403, description = "无权限 / not allowed", body = ErrorBody),
    ),
    security(("session" = []), ("bearer" = []))
)]
pub async fn eligibility(
    State(app): State<App>,
    caller: CurrentUser,
    Path(public_id): Path<String>,
    Query(q): Query<EligibilityQuery>,
) -> Result<Json<EligibilityAnswer>, ApiError> {
    if let Some(title) = given(&q.title) {
        return title_eligibility(&app, &caller, &public_id, title, &q).await;
    }
    let Some(level) = given(&q.level) else {
        return Err(ApiError::bad_param(
            "invalid_level",
            "level",
            "缺少 level：目标等级（序号 1–8 或名称，如 技师），或以 title 指定拟申报的职称",
            "level is required: the target level (rank 1–8 or a name such as 技师), or title for a professional title",
        ));
    };
    let level = params::level(&app.policy, "level", level)?;
    let occupation = given(&q.occupation).map(|s| params::occupation("occupation", s)).transpose()?;
    let on = given(&q.on).map(|s| params::date("on", s)).transpose()?.unwrap_or_else(|| app.today());
    let edition = match given(&q.edition) {
        None => None,
        Some(e) if app.policy.eligibility.edition(e).is_some() => Some(e),
        Some(e) => {
            let ids: Vec<&str> = app.policy.eligibility.editions.iter().map(|x| x.id.as_str()).collect();
            return Err(ApiError::bad_param(
                "invalid_edition",
                "edition",
                format!("策略中没有申报条件版本 {e}，可选：{}", ids.join("、")),
                format!("the policy has no edition {e}; choose one of: {}", ids.join(", ")),
            ));
        }
    };
    let asked = edition.map_or(Asked::Nothing, Asked::Edition);
    let scope = caller.require_some(Resource::Persons, Action::Read)?;
    let person = find(&app, &scope, &public_id).await?;
    let decision = decide_for(&app, &person, level, occupation.as_ref().map(|c| c.as_str()), on, asked).await?;
    Ok(Json(EligibilityAnswer::Level(EligibilityView::new(&app, person.public_id, decision))))
}

async fn title_eligibility(
    app: &App,
    caller: &CurrentUser,
    public_id: &str,
    title: &str,
    q: &EligibilityQuery,
) -> Result<Json<EligibilityAnswer>, ApiError> {
    if given(&q.level).is_some() || given(&q.occupation).is_some() || given(&q.edition).is_some() {
        return Err(ApiError::bad_param(
            "invalid_title",
            "title",
            "title 不能与 level、occupation、edition 同时使用",
            "title does not go with level, occupation or edition",
        ));
    }
    let series = match given(&q.series) {
        None => None,
        Some(s) => Some(parse_series(s).map_err(|m| ApiError::bad_param("invalid_series", "series", m.zh, m.en))?),
    };
    if let Err(m) = resolve_title(&app.policy, title, series) {
        return Err(ApiError::bad_param("invalid_title", "title", m.zh, m.en));
    }
    let on = given(&q.on).map(|s| params::date("on", s)).transpose()?.unwrap_or_else(|| app.today());
    let scope = caller.require_some(Resource::Persons, Action::Read)?;
    let person = find(app, &scope, public_id).await?;
    let decision = decide_title_for(app, &person, title, series, on).await?;
    Ok(Json(EligibilityAnswer::Title(TitleEligibilityView::new(person.public_id, decision))))
}
