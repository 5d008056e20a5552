//! Marking at the bench, on a phone: a judge (the account an event's judge row names) picks a
//! competitor and gives each aspect its score with large buttons — 0–3 for a judgement aspect,
//! 0 or 1 for a measurement. Competitors the judge may not mark (same organisation) are shown
//! as such; a competitor whose marks are signed off is locked. Every score goes to the event's
//! hash-chained ledger through `gongjiang_app::competition::marking::mark`.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use gongjiang_app::competition::marking::{self, MarkInput};
use gongjiang_app::{App, AppError};
use gongjiang_domain::marking::{AspectKind, show};
use gongjiang_store::judging::{self, JudgeRow};
use gongjiang_store::marks_ledger;
use serde::Deserialize;

use super::error::UiError;
use super::gate::Viewer;
use super::i18n::Lang;
use super::layout::{Chrome, go_to, render};
use crate::extract::{Path, Query};

pub struct Competitor {
    pub bib: String,
    pub href: String,
    pub state: String,
    pub current: bool,
    pub blocked: bool,
}

pub struct Choice {
    pub value: u8,
    pub checked: bool,
}

pub struct AspectRow {
    pub code: String,
    pub description: String,
    pub kind: String,
    pub max: String,
    pub descriptors: Vec<String>,
    pub choices: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "competition_mark.html")]
struct MarkPage {
    c: Chrome,
    l: Lang,
    event: String,
    judge: String,
    action: String,
    competitors: Vec<Competitor>,
    bib: String,
    locked: String,
    aspects: Vec<AspectRow>,
    notice: String,
    error: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct MarkQuery {
    bib: Option<String>,
    done: Option<String>,
}

async fn judge_of(app: &App, viewer: &Viewer, code: &str, event: &str) -> Result<(String, JudgeRow, i64), UiError> {
    let u = viewer.signed_in()?;
    let c = judging::competition_by_code(&app.db, code)
        .await?
        .ok_or_else(|| UiError::not_found("没有这个竞赛", "no such competition"))?;
    let e = judging::event_by_code(&app.db, c.id, event)
        .await?
        .ok_or_else(|| UiError::not_found("没有这个赛项", "no such event"))?;
    let j = judging::judges_of(&app.db, e.id)
        .await?
        .into_iter()
        .find(|j| j.username.as_deref() == Some(u.username.as_str()))
        .ok_or_else(UiError::forbidden)?;
    Ok((format!("{} {}", e.code, e.name), j, e.id))
}

#[allow(clippy::too_many_arguments)]
async fn mark_page(
    app: &App,
    viewer: &Viewer,
    l: Lang,
    code: &str,
    event: &str,
    bib: Option<&str>,
    notice: String,
    error: String,
) -> Result<Response, UiError> {
    let (event_name, judge, event_id) = judge_of(app, viewer, code, event).await?;
    let (_, e) = gongjiang_app::competition::event(app, code, event).await.map_err(|_| UiError::forbidden())?;
    let scheme = gongjiang_app::competition::scheme_of(&e)
        .map_err(|_| UiError::not_found("本赛项尚未设定评分方案", "the event has no marking scheme yet"))?;
    let entries = judging::entries_of(&app.db, event_id).await?;
    let mut mine: HashMap<(i64, String), u8> = HashMap::new();
    for (entry, aspect, judge_id, score) in marks_ledger::latest_scores(&app.db, event_id).await? {
        if judge_id == judge.id {
            mine.insert((entry, aspect), u8::try_from(score).unwrap_or(0));
        }
    }
    let base = format!("/competitions/{code}/{event}/mark");
    let conflict = |x: &judging::EntryRow| matches!((&judge.organisation_uscc, &x.organisation_uscc), (Some(a), Some(b)) if a == b);
    let competitors = entries
        .iter()
        .map(|x| {
            let marked = scheme.aspects.iter().filter(|a| mine.contains_key(&(x.id, a.code.clone()))).count();
            let state = if conflict(x) {
                l.t("回避", "conflict").to_string()
            } else if x.signed_off_by.is_some() {
                l.t("已锁定", "locked").to_string()
            } else {
                format!("{marked}/{}", scheme.aspects.len())
            };
            Competitor {
                href: format!("{base}?bib={}", x.bib),
                current: bib == Some(x.bib.as_str()),
                blocked: conflict(x),
                bib: x.bib.clone(),
                state,
            }
        })
        .collect();
    let chosen = bib.and_then(|b| entries.iter().find(|x| x.bib == b)).filter(|x| !conflict(x));
    let locked = match chosen {
        Some(x) if x.signed_off_by.is_some() => {
            l.t("该选手的评分已签字确认并锁定。", "This competitor's marks are signed off and locked.").to_string()
        }
        _ => String::new(),
    };
    let aspects = match chosen {
        None => Vec::new(),
        Some(x) => scheme
            .aspects
            .iter()
            .map(|a| {
                let top = if a.kind == AspectKind::Judgement { 3 } else { 1 };
                let given = mine.get(&(x.id, a.code.clone())).copied();
                AspectRow {
                    code: a.code.clone(),
                    description: a.description.clone(),
                    kind: match a.kind {
                        AspectKind::Measurement => {
                            l.t("测量：1 = 得分，0 = 不得分", "measurement: 1 = marks, 0 = none")
                        }
                        AspectKind::Judgement => l.t("评价：0–3", "judgement: 0–3"),
                    }
                    .to_string(),
                    max: show(a.max_tenths * 10),
                    descriptors: a.descriptors.clone(),
                    choices: (0..=top).map(|v| Choice { value: v, checked: given == Some(v) }).collect(),
                }
            })
            .collect(),
    };
    render(&MarkPage {
        c: Chrome::new(l, viewer, "competitions"),
        l,
        event: event_name,
        judge: format!("{} {}", judge.code, judge.name),
        action: base,
        competitors,
        bib: chosen.map(|x| x.bib.clone()).unwrap_or_default(),
        locked,
        aspects,
        notice,
        error,
    })
}

/// `GET /competitions/{code}/{event}/mark`: the judge's sheet.
pub async fn page(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Path((code, event)): Path<(String, String)>,
    Query(q): Query<MarkQuery>,
) -> Result<Response, UiError> {
    let notice = if q.done.is_some() { l.t("评分已保存", "marks saved").to_string() } else { String::new() };
    mark_page(&app, &viewer, l, &code, &event, q.bib.as_deref(), notice, String::new()).await
}

/// `POST /competitions/{code}/{event}/mark`: `bib` and `s_<aspect>` = score for each aspect given.
pub async fn save(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    headers: HeaderMap,
    Path((code, event)): Path<(String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, UiError> {
    let (_, judge, _) = judge_of(&app, &viewer, &code, &event).await?;
    let u = viewer.signed_in()?;
    let bib = form.get("bib").map(|s| s.trim().to_owned()).unwrap_or_default();
    let mut marks: Vec<MarkInput> = form
        .iter()
        .filter_map(|(k, v)| {
            let aspect = k.strip_prefix("s_")?;
            let score = v.trim().parse::<i64>().ok()?;
            Some(MarkInput { judge: judge.code.clone(), bib: bib.clone(), aspect: aspect.to_owned(), score })
        })
        .collect();
    marks.sort_by(|a, b| a.aspect.cmp(&b.aspect));
    if marks.is_empty() {
        let error = l.t("请至少为一个评分项评分", "give at least one aspect a score").to_string();
        return mark_page(&app, &viewer, l, &code, &event, Some(&bib), String::new(), error).await;
    }
    match marking::mark(&app, &u.actor(), &code, &event, &marks).await {
        Ok(_) => Ok(go_to(&headers, &format!("/competitions/{code}/{event}/mark?bib={bib}&done=1"))),
        Err(AppError::Invalid(m) | AppError::NotFound(m)) => {
            mark_page(&app, &viewer, l, &code, &event, Some(&bib), String::new(), l.msg(&m).to_string()).await
        }
        Err(other) => Err(other.into()),
    }
}
