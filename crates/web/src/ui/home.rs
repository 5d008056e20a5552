//! `/`: for a visitor, the public services; for a signed-in user, what their roles let them do
//! and what needs their attention now — applications the eligibility engine refused that a
//! reviewer may still admit, objections lodged during publicity (公示), imports that rejected rows.

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use gongjiang_app::App;
use gongjiang_domain::access::{Action, Resource, RoleKind};
use gongjiang_store::worklist;

use super::error::UiError;
use super::gate::Viewer;
use super::i18n::Lang;
use super::layout::{Chrome, iso, render};
use super::public_kpi;

/// One line of a "needs attention" list, in the page's language.
pub struct Row {
    pub href: String,
    pub title: String,
    pub detail: String,
    pub when: String,
}

/// A thing this user can do, as a card on the home page.
pub struct Task {
    pub href: String,
    pub zh: &'static str,
    pub en: &'static str,
    pub about_zh: &'static str,
    pub about_en: &'static str,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
    l: Lang,
    tasks: Vec<Task>,
    refused: Vec<Row>,
    objections: Vec<Row>,
    imports: Vec<Row>,
    corrections: Vec<Row>,
    /// Whether the user would see each list (so an empty list says "nothing", not nothing).
    sees_applications: bool,
    sees_objections: bool,
    sees_imports: bool,
    sees_corrections: bool,
}

impl HomePage {
    fn attention(&self) -> usize {
        self.refused.len() + self.objections.len() + self.imports.len() + self.corrections.len()
    }
}

fn task(href: &str, zh: &'static str, en: &'static str, about_zh: &'static str, about_en: &'static str) -> Task {
    Task { href: href.to_string(), zh, en, about_zh, about_en }
}

/// `GET /`.
pub async fn page(
    State(app): State<App>,
    Extension(publish): Extension<super::gate::Publish>,
    Extension(jobs): Extension<std::sync::Arc<super::imports::Jobs>>,
    viewer: Viewer,
    l: Lang,
) -> Result<Response, UiError> {
    let Some(u) = &viewer.user else {
        return public_kpi::landing(&app, &viewer, l, publish.0).await;
    };
    let mut tasks = Vec::new();
    if u.sees_kpi() {
        tasks.push(task(
            "/dashboard",
            "指标看板",
            "KPI dashboard",
            "技能人才占比、高技能人才占比对照目标，按区、产业、等级，点击数字查看名单",
            "Skilled and high-skilled shares against targets, by district, industry and level; click a figure for the list",
        ));
    }
    let worker_only = u.has_role(RoleKind::Worker) && !u.can(Resource::Organisations, Action::Read);
    if worker_only {
        tasks.push(task(
            "/me",
            "我的档案",
            "My record",
            "我的技能等级、证书，以及下一等级还差什么、何时满足",
            "My levels and certificates, and what the next level still needs and when",
        ));
    } else if u.can(Resource::Persons, Action::Read) {
        tasks.push(task(
            "/persons",
            "人员查询",
            "Find persons",
            "按姓名、证件号码、单位、职业、等级、区查询，查看等级晋升路径",
            "By name, ID number, employer, occupation, level or district; see each person's pathway",
        ));
    }
    if u.can(Resource::Organisations, Action::Read) {
        tasks.push(task(
            "/organisations",
            "单位查询",
            "Organisations",
            "单位及其职工",
            "Organisations and their staff",
        ));
    }
    if u.can(Resource::Imports, Action::Write) {
        tasks.push(task(
            "/imports",
            "导入导出",
            "Import & export",
            "下载模板、上传 Excel，逐行错误报告标出有误的单元格",
            "Download a template, upload Excel, get an error report with the bad cells marked",
        ));
    }
    if u.can(Resource::EvaluationSessions, Action::Read) || u.can(Resource::EvaluationApplications, Action::Write) {
        tasks.push(task(
            "/evaluation",
            "评价认定",
            "Evaluation",
            "评价计划、申报与资格说明、成绩、公示与异议、证书",
            "Sessions, applications with eligibility reasons, scores, publicity and objections, certificates",
        ));
    }
    tasks.push(task(
        "/verify",
        "证书查验",
        "Verify a certificate",
        "按编号和姓名、二维码或电子证书文件查验",
        "By number and name, QR code or credential file",
    ));

    let applications = u.scope(Resource::EvaluationApplications, Action::Write);
    let sees_applications = !applications.is_none() && !worker_only;
    let level = |rank: i16| super::layout::level_name(&app, l, rank);
    let refused =
        if sees_applications { worklist::refused_to_review(&app.db, &applications, 20).await? } else { Vec::new() };
    let refused = refused
        .into_iter()
        .map(|a| Row {
            href: format!("/evaluation/sessions/{}#application-{}", a.session_public_id, a.application_id),
            title: format!("{} · {} {} · {}", a.name, a.occupation_code, level(a.level), a.institution_name),
            detail: l.t(&a.reason_zh, &a.reason_en).to_string(),
            when: iso(a.applied_on),
        })
        .collect();
    let sessions = u.scope(Resource::EvaluationSessions, Action::Read);
    let sees_objections = !sessions.is_none();
    let objections =
        if sees_objections { worklist::open_objections(&app.db, &sessions, 20).await? } else { Vec::new() };
    let objections = objections
        .into_iter()
        .map(|o| Row {
            href: format!("/evaluation/sessions/{}#objections", o.session_public_id),
            title: format!("{} · {} {} · {}", o.name, o.occupation_code, level(o.level), o.institution_name),
            detail: o.text,
            when: o
                .publicity_ends_on
                .map(|d| format!("{} {}", l.t("公示截止", "publicity ends"), iso(d)))
                .unwrap_or_default(),
        })
        .collect();
    // Correction requests: for whoever may change the persons they concern.
    let writable = u.scope(Resource::Persons, Action::Write);
    let sees_corrections = !writable.is_none() && !worker_only;
    let corrections =
        if sees_corrections { worklist::open_corrections(&app.db, &writable, 20).await? } else { Vec::new() };
    let corrections = corrections
        .into_iter()
        .map(|c| Row {
            href: format!("/persons/{}#corrections", c.person_public_id),
            title: format!("{} · {}", c.name, super::corrections::field_label(l, &c.field)),
            detail: c.reason,
            when: super::layout::local_time(c.requested_at),
        })
        .collect();
    // Import runs do not record who started them: city-wide importers see them all.
    let sees_imports = u.scope(Resource::Imports, Action::Write).is_all();
    let imports = if sees_imports { worklist::import_runs(&app.db, true, 10).await? } else { Vec::new() };
    let imports = imports
        .into_iter()
        .map(|r| Row {
            // The job's page (with its error report) while this process keeps it; else the list.
            href: jobs
                .of_run(r.id, u.user_id)
                .map(|j| format!("/imports/jobs/{j}"))
                .unwrap_or_else(|| "/imports".into()),
            title: format!(
                "{} · {}",
                r.file_name,
                gongjiang_app::import::Kind::parse(&r.kind)
                    .map(|k| super::imports::kind_label(l, k))
                    .unwrap_or(&r.kind)
            ),
            detail: format!(
                "{} {} · {} {}",
                l.t("读取", "read"),
                super::layout::int(r.read),
                l.t("被拒", "rejected"),
                super::layout::int(r.rejected)
            ),
            when: super::layout::local_time(r.started_at),
        })
        .collect();
    render(&HomePage {
        c: Chrome::new(l, &viewer, "home"),
        l,
        tasks,
        refused,
        objections,
        imports,
        corrections,
        sees_applications,
        sees_objections,
        sees_imports,
        sees_corrections,
    })
}

/// `GET /me`: a worker's own record.
pub async fn me(State(app): State<App>, viewer: Viewer) -> Result<Response, UiError> {
    let u = viewer.signed_in()?;
    let person = u.roles.iter().find_map(|r| match r {
        gongjiang_domain::access::Role::Worker { person } => Some(*person),
        _ => None,
    });
    let Some(person) = person else {
        return Err(UiError::not_found(
            "您的账户未关联劳动者本人档案",
            "your account is not linked to a worker's record",
        ));
    };
    let Some(public_id) = worklist::person_public_id(&app.db, person).await? else {
        return Err(UiError::not_found("档案不存在", "no such record"));
    };
    Ok(Redirect::to(&format!("/persons/{public_id}")).into_response())
}
