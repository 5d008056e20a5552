//! `/admin/tokens`: API tokens of the accounts an administrator manages — their scope, expiry and
//! last use; creating one (its secret shown once, on the page that answers the form) and
//! revoking one. A token carries roles within its owner's own rights (the app checks).

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::Response;
use gongjiang_app::App;
use gongjiang_app::account_admin::{self, ManagedUser};
use gongjiang_app::accounts::{self, AccountError, TOKEN_MAX_DAYS};
use gongjiang_domain::access::{Action, Resource, Role};
use gongjiang_store::tokens;
use serde::Deserialize;

use super::users::{RoleForm, RolePicker, role_picker};
use super::{account_message, role_label};
use crate::extract::Query;
use crate::ui::error::UiError;
use crate::ui::gate::Viewer;
use crate::ui::i18n::Lang;
use crate::ui::layout::{Chrome, local_time, render};
use crate::ui::pager::{Numbered, PageQuery, numbered};

pub struct TokenRow {
    pub id: i64,
    pub owner: String,
    pub name: String,
    pub roles: Vec<String>,
    pub created: String,
    pub expires: String,
    pub last_used: String,
    pub live: bool,
    pub status: String,
}

#[derive(Template)]
#[template(path = "admin/tokens.html")]
struct TokensPage {
    c: Chrome,
    l: Lang,
    rows: Vec<TokenRow>,
    pages: Numbered,
    owners: Vec<String>,
    picker: RolePicker,
    max_days: i64,
    /// The new token's secret: shown this once.
    secret: String,
    notice: String,
    error: String,
}

async fn managed(app: &App, viewer: &Viewer) -> Result<Vec<ManagedUser>, UiError> {
    let u = viewer.require(Resource::Users, Action::Write)?;
    account_admin::managed_users(&app.db, &u.permissions, "").await.map_err(UiError::internal)
}

async fn page(
    app: &App,
    viewer: &Viewer,
    l: Lang,
    q: &PageQuery,
    secret: String,
    notice: String,
    error: String,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::Users, Action::Write)?;
    let users = managed(app, viewer).await?;
    let now = time::OffsetDateTime::now_utc();
    let mine: Vec<_> = tokens::list(&app.db, None)
        .await?
        .into_iter()
        .filter_map(|t| users.iter().find(|m| m.id == t.user_id).map(|owner| (t, owner)))
        .collect();
    let cap = mine.len();
    let (mine, pages) = numbered(mine, cap, "/admin/tokens", "", q, l);
    let mut rows = Vec::new();
    for (t, owner) in mine {
        let mut roles = Vec::new();
        for line in t.roles.lines() {
            let (kind, data) = line.split_once(':').unwrap_or((line, ""));
            if let Ok(r) = Role::from_parts(kind, data) {
                roles.push(role_label(app, l, &r).await?);
            }
        }
        let (live, status) = match (t.revoked_at, t.expires_at <= now) {
            (Some(at), _) => (false, format!("{} {}", l.t("已撤销", "revoked"), local_time(at))),
            (None, true) => (false, l.t("已过期", "expired").to_string()),
            (None, false) => (true, l.t("有效", "live").to_string()),
        };
        rows.push(TokenRow {
            id: t.id,
            owner: format!("{}（{}）", owner.display_name, owner.username),
            name: t.name,
            roles,
            created: local_time(t.created_at),
            expires: local_time(t.expires_at),
            last_used: t.last_used_at.map(local_time).unwrap_or_else(|| l.t("从未使用", "never").to_string()),
            live,
            status,
        });
    }
    render(&TokensPage {
        c: Chrome::new(l, viewer, "admin"),
        l,
        rows,
        pages,
        owners: users.into_iter().map(|m| m.username).collect(),
        picker: role_picker(app, l, u),
        max_days: TOKEN_MAX_DAYS,
        secret,
        notice,
        error,
    })
}

/// `GET /admin/tokens`.
pub async fn list(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Query(q): Query<PageQuery>,
) -> Result<Response, UiError> {
    page(&app, &viewer, l, &q, String::new(), String::new(), String::new()).await
}

#[derive(Debug, Deserialize)]
pub struct CreateForm {
    owner: String,
    name: String,
    days: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    district: String,
    #[serde(default)]
    organisation: String,
    #[serde(default)]
    id_number: String,
}

/// `POST /admin/tokens`: the token is shown on the page that answers, once; nowhere after.
pub async fn create(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Form(f): Form<CreateForm>,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::Users, Action::Write)?;
    let actor = u.actor();
    if !managed(&app, &viewer).await?.iter().any(|m| m.username == f.owner) {
        return Err(UiError::not_found("没有该账户，或不在您的管理范围内", "no such account within what you manage"));
    }
    let outcome = async {
        let form = RoleForm {
            kind: f.kind.clone(),
            district: f.district.clone(),
            organisation: f.organisation.clone(),
            id_number: f.id_number.clone(),
        };
        let role = accounts::parse_role_arg(&app.db, &form.text()?).await?;
        let days = f.days.trim().parse::<i64>().unwrap_or(0);
        accounts::create_token(&app.db, &actor, &f.owner, &f.name, &[role], days).await
    }
    .await;
    match outcome {
        Ok(issued) => {
            let notice = format!(
                "{} {}",
                l.t(
                    "令牌已创建，只显示这一次，请立即复制保存：",
                    "token created; it is shown this once — copy it now:"
                ),
                issued.id
            );
            page(&app, &viewer, l, &PageQuery::default(), issued.token, notice, String::new()).await
        }
        Err(AccountError::Store(e)) => Err(e.into()),
        Err(e) => {
            page(&app, &viewer, l, &PageQuery::default(), String::new(), String::new(), account_message(l, &e)).await
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    id: i64,
}

/// `POST /admin/tokens/revoke`.
pub async fn revoke(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Form(f): Form<RevokeForm>,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::Users, Action::Write)?;
    let actor = u.actor();
    let users = managed(&app, &viewer).await?;
    let not_found = || UiError::not_found("没有该令牌，或不在您的管理范围内", "no such token within what you manage");
    let t = tokens::by_id(&app.db, f.id).await?.ok_or_else(not_found)?;
    if !users.iter().any(|m| m.id == t.user_id) {
        return Err(not_found());
    }
    match accounts::revoke_token(&app.db, &actor, f.id).await {
        Ok(()) => {
            page(
                &app,
                &viewer,
                l,
                &PageQuery::default(),
                String::new(),
                l.t("已撤销令牌", "token revoked").to_string(),
                String::new(),
            )
            .await
        }
        Err(AccountError::Store(e)) => Err(e.into()),
        Err(e) => {
            page(&app, &viewer, l, &PageQuery::default(), String::new(), String::new(), account_message(l, &e)).await
        }
    }
}
