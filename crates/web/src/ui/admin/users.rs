//! `/admin/users`: the accounts an administrator manages (search, total, pages), creating one
//! with its first role, and one account's page: its roles by name, granting and revoking with
//! pickers, stopping and restarting it. The app applies the grant rule (nobody grants beyond
//! what they hold) and audits every change; a refusal is shown on the form, in words.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use gongjiang_app::App;
use gongjiang_app::account_admin::{self, ManagedUser};
use gongjiang_app::accounts::{self, AccountError};
use gongjiang_domain::access::{Action, Parameter, Resource, RoleKind};
use serde::Deserialize;

use super::{PAGE_SIZES, account_message, page_numbers, page_size, role_label};
use crate::extract::{Path, Query};
use crate::ui::error::UiError;
use crate::ui::gate::{SignedIn, Viewer};
use crate::ui::i18n::Lang;
use crate::ui::layout::{Chrome, go_to, local_time, render, urlencode};
use crate::ui::persons::Choice;

pub struct UserRow {
    pub username: String,
    pub display_name: String,
    pub href: String,
    pub roles: Vec<String>,
    pub status: String,
    pub created: String,
}

/// The role picker: which kinds, and the districts a district role may name.
pub struct RolePicker {
    pub kinds: Vec<Choice>,
    pub districts: Vec<Choice>,
}

pub fn role_picker(app: &App, l: Lang, u: &SignedIn) -> RolePicker {
    let city = u.has_role(RoleKind::CityAdmin);
    let reach = u.scope(Resource::Users, Action::Grant);
    let kinds = RoleKind::ALL
        .into_iter()
        .filter(|k| *k != RoleKind::Public && (city || *k != RoleKind::CityAdmin))
        .map(|k| Choice { value: k.code().into(), label: l.msg(&k.name()).to_string(), selected: false })
        .collect();
    let districts = app
        .policy
        .districts
        .iter()
        .filter(|d| reach.is_all() || reach.district_codes().contains(&d.code))
        .map(|d| Choice { value: d.code.clone(), label: l.t(&d.name_zh, &d.name_en).to_string(), selected: false })
        .collect();
    RolePicker { kinds, districts }
}

/// A role as the picker sends it: the kind and, by kind, a district, an organisation's credit
/// code or a person's identity number.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub district: String,
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub id_number: String,
}

impl RoleForm {
    /// The role as the command line types it (`district-admin:120101`, `worker:ID` …).
    pub fn text(&self) -> Result<String, AccountError> {
        let kind = RoleKind::from_code(self.kind.trim()).ok_or_else(|| {
            AccountError::Invalid(gongjiang_domain::bilingual::Msg::new("请选择角色", "choose a role"))
        })?;
        let missing = |zh: &str, en: &str| AccountError::Invalid(gongjiang_domain::bilingual::Msg::new(zh, en));
        let param = match kind.parameter() {
            Parameter::None => String::new(),
            Parameter::Districts if self.district.trim().is_empty() => {
                return Err(missing("区级管理员须选择所辖区", "a district administrator needs a district"));
            }
            Parameter::Districts => self.district.trim().to_string(),
            Parameter::Organisation if self.organisation.trim().is_empty() => {
                return Err(missing(
                    "该角色须填写单位的统一社会信用代码",
                    "this role needs the organisation's credit code",
                ));
            }
            Parameter::Organisation => self.organisation.trim().to_ascii_uppercase(),
            Parameter::Person if self.id_number.trim().is_empty() => {
                return Err(missing(
                    "劳动者本人角色须填写证件号码",
                    "the worker role needs the person's identity number",
                ));
            }
            Parameter::Person => self.id_number.trim().to_ascii_uppercase(),
        };
        Ok(if param.is_empty() { kind.code().to_string() } else { format!("{}:{param}", kind.code()) })
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    page: Option<usize>,
    size: Option<usize>,
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct ListPage {
    c: Chrome,
    l: Lang,
    q: String,
    total: usize,
    sizes: Vec<(usize, bool)>,
    pages: Vec<(usize, bool, String)>,
    rows: Vec<UserRow>,
    picker: RolePicker,
    notice: String,
    error: String,
    form: CreateForm,
}

async fn row(app: &App, l: Lang, u: ManagedUser) -> Result<UserRow, UiError> {
    let mut roles = Vec::new();
    for r in &u.roles {
        roles.push(role_label(app, l, r).await?);
    }
    Ok(UserRow {
        href: format!("/admin/users/{}", urlencode(&u.username)),
        status: status(l, &u),
        created: local_time(u.created_at),
        username: u.username,
        display_name: u.display_name,
        roles,
    })
}

fn status(l: Lang, u: &ManagedUser) -> String {
    if u.disabled {
        return l.t("已停用", "disabled").to_string();
    }
    match u.locked_until {
        Some(t) if t > time::OffsetDateTime::now_utc() => {
            format!("{} {}", l.t("锁定至", "locked until"), local_time(t))
        }
        _ => l.t("正常", "active").to_string(),
    }
}

async fn list_page(
    app: &App,
    viewer: &Viewer,
    l: Lang,
    q: &ListQuery,
    form: CreateForm,
    error: String,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::Users, Action::Write)?;
    let text = q.q.clone().unwrap_or_default();
    let found = account_admin::managed_users(&app.db, &u.permissions, &text).await.map_err(UiError::internal)?;
    let size = page_size(q.size);
    let total = found.len();
    let page = q.page.unwrap_or(1).clamp(1, total.div_ceil(size).max(1));
    let mut rows = Vec::new();
    for m in found.into_iter().skip((page - 1) * size).take(size) {
        rows.push(row(app, l, m).await?);
    }
    let href = |n: usize| format!("/admin/users?q={}&size={size}&page={n}", urlencode(&text));
    let notice = match q.done.as_deref() {
        Some("created") => l.t("已创建账户", "account created").to_string(),
        _ => String::new(),
    };
    render(&ListPage {
        c: Chrome::new(l, viewer, "admin"),
        l,
        q: text.clone(),
        total,
        sizes: PAGE_SIZES.iter().map(|s| (*s, *s == size)).collect(),
        pages: page_numbers(total, size, page).into_iter().map(|(n, cur)| (n, cur, href(n))).collect(),
        rows,
        picker: role_picker(app, l, u),
        notice,
        error,
        form,
    })
}

/// `GET /admin/users`.
pub async fn list(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Query(q): Query<ListQuery>,
) -> Result<Response, UiError> {
    list_page(&app, &viewer, l, &q, CreateForm::default(), String::new()).await
}

#[derive(Debug, Default, Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub district: String,
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub id_number: String,
}

impl CreateForm {
    fn role(&self) -> RoleForm {
        RoleForm {
            kind: self.kind.clone(),
            district: self.district.clone(),
            organisation: self.organisation.clone(),
            id_number: self.id_number.clone(),
        }
    }
}

/// `POST /admin/users`: a new account with its first role. A refusal shows the form again
/// with what was typed (never the password) and why.
pub async fn create(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    headers: HeaderMap,
    Form(f): Form<CreateForm>,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::Users, Action::Write)?;
    let outcome = async {
        let role = accounts::parse_role_arg(&app.db, &f.role().text()?).await?;
        accounts::create_user(&app.db, &u.actor(), f.username.trim(), f.display_name.trim(), &f.password, &[role]).await
    }
    .await;
    match outcome {
        Ok(_) => Ok(go_to(&headers, &format!("/admin/users/{}?done=created", urlencode(f.username.trim())))),
        Err(e) => {
            let error = account_message(l, &e);
            let kept = CreateForm { password: String::new(), ..f };
            list_page(&app, &viewer, l, &ListQuery::default(), kept, error).await
        }
    }
}

#[derive(Template)]
#[template(path = "admin/user.html")]
struct UserPage {
    c: Chrome,
    l: Lang,
    user: UserRow,
    disabled: bool,
    /// (label, kind code, stored parameter) of each role, for the revoke buttons.
    roles: Vec<(String, String)>,
    picker: RolePicker,
    notice: String,
    error: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct Notice {
    done: Option<String>,
}

async fn user_page(
    app: &App,
    viewer: &Viewer,
    l: Lang,
    name: &str,
    notice: String,
    error: String,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::Users, Action::Write)?;
    let managed = account_admin::managed_users(&app.db, &u.permissions, "").await.map_err(UiError::internal)?;
    let Some(m) = managed.into_iter().find(|m| m.username == name) else {
        return Err(UiError::not_found("没有该账户，或不在您的管理范围内", "no such account within what you manage"));
    };
    let mut roles = Vec::new();
    for r in &m.roles {
        let (kind, data) = r.to_parts();
        let text = if data.is_empty() { kind.to_string() } else { format!("{kind}:{data}") };
        roles.push((role_label(app, l, r).await?, text));
    }
    let disabled = m.disabled;
    let user = row(app, l, m).await?;
    render(&UserPage {
        c: Chrome::new(l, viewer, "admin"),
        l,
        user,
        disabled,
        roles,
        picker: role_picker(app, l, u),
        notice,
        error,
    })
}

fn notice_text(l: Lang, done: Option<&str>) -> String {
    match done {
        Some("created") => l.t("已创建账户", "account created"),
        Some("granted") => l.t("已授予角色", "role granted"),
        Some("revoked") => l.t("已撤销角色，该用户已被退出登录", "role revoked; the user was signed out"),
        Some("disabled") => l.t("已停用账户", "account disabled"),
        Some("enabled") => l.t("已启用账户", "account enabled"),
        Some("password") => l.t(
            "已设置临时密码：该用户下次登录时须设置自己的密码",
            "temporary password set: the user sets their own at next sign-in",
        ),
        _ => "",
    }
    .to_string()
}

/// `GET /admin/users/{username}`.
pub async fn show(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Path(name): Path<String>,
    Query(n): Query<Notice>,
) -> Result<Response, UiError> {
    user_page(&app, &viewer, l, &name, notice_text(l, n.done.as_deref()), String::new()).await
}

/// `POST /admin/users/{username}/roles`: grants the picked role.
pub async fn grant(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    headers: HeaderMap,
    Path(name): Path<String>,
    Form(f): Form<RoleForm>,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::Users, Action::Write)?;
    let outcome = async {
        let role = accounts::parse_role_arg(&app.db, &f.text()?).await?;
        accounts::grant_role(&app.db, &u.actor(), &name, &role).await
    }
    .await;
    after(&app, &viewer, l, &headers, &name, outcome, "granted").await
}

#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    role: String,
}

/// `POST /admin/users/{username}/roles/revoke`: revokes one role (its sign-ins end).
pub async fn revoke(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    headers: HeaderMap,
    Path(name): Path<String>,
    Form(f): Form<RevokeForm>,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::Users, Action::Write)?;
    let outcome = async {
        let (kind, data) = f.role.split_once(':').unwrap_or((f.role.as_str(), ""));
        let role = gongjiang_domain::access::Role::from_parts(kind, data)
            .map_err(|e| AccountError::Invalid(gongjiang_domain::bilingual::Explain::explain(&e)))?;
        accounts::revoke_role(&app.db, &u.actor(), &name, &role).await
    }
    .await;
    after(&app, &viewer, l, &headers, &name, outcome, "revoked").await
}

#[derive(Debug, Deserialize)]
pub struct StatusForm {
    /// `disable` or `enable`.
    action: String,
}

/// `POST /admin/users/{username}/status`: stops or restarts the account.
pub async fn set_status(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    headers: HeaderMap,
    Path(name): Path<String>,
    Form(f): Form<StatusForm>,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::Users, Action::Write)?;
    let disable = f.action == "disable";
    let outcome = account_admin::set_disabled(&app.db, &u.actor(), &name, disable).await;
    after(&app, &viewer, l, &headers, &name, outcome, if disable { "disabled" } else { "enabled" }).await
}

/// Back to the account's page: with a notice after a change, or with the refusal in words.
async fn after(
    app: &App,
    viewer: &Viewer,
    l: Lang,
    headers: &HeaderMap,
    name: &str,
    outcome: Result<(), AccountError>,
    done: &str,
) -> Result<Response, UiError> {
    match outcome {
        Ok(()) => Ok(go_to(headers, &format!("/admin/users/{}?done={done}", urlencode(name)))),
        Err(AccountError::Store(e)) => Err(e.into()),
        Err(e) => user_page(app, viewer, l, name, String::new(), account_message(l, &e)).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct ResetForm {
    password: String,
}

/// `POST /admin/users/{username}/password`: a temporary password the user replaces at their
/// next sign-in (their current sign-ins end).
pub async fn reset_password(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    headers: HeaderMap,
    Path(name): Path<String>,
    Form(f): Form<ResetForm>,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::Users, Action::Write)?;
    let outcome = gongjiang_app::self_service::reset_password(&app.db, &u.actor(), &name, &f.password).await;
    after(&app, &viewer, l, &headers, &name, outcome, "password").await
}
