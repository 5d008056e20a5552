//! 系统管理 `/admin`: accounts and roles, API tokens and the audit trail, in forms that apply the
//! same rules as the command line (the grant rule, the password policy, tokens within their
//! owner's rights), every action audited by the app. Who sees what: managing users needs the
//! users permission; reading the audit trail needs the audit permission.

pub mod audit;
pub mod tokens;
pub mod users;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use gongjiang_app::App;
use gongjiang_app::accounts::AccountError;
use gongjiang_domain::access::{Action, Parameter, Resource, Role, Scope};
use gongjiang_store::{persons, worklist};

use super::error::UiError;
use super::gate::Viewer;
use super::i18n::Lang;
use super::layout::{Chrome, render};
use crate::views::mask_id_number;

/// A role as an administrator reads it: the kind, then what it is bound to by name — never an
/// internal id (`worker:26` reads as the person's name and masked identity number).
pub async fn role_label(app: &App, l: Lang, role: &Role) -> Result<String, UiError> {
    let kind = l.msg(&role.kind().name()).to_string();
    let (_, data) = role.to_parts();
    let id = data.parse::<i64>().unwrap_or_default();
    let bound = match role.kind().parameter() {
        Parameter::None => String::new(),
        Parameter::Districts => data
            .split(',')
            .map(|c| app.policy.district(c).map(|d| l.t(&d.name_zh, &d.name_en).to_string()).unwrap_or(c.to_string()))
            .collect::<Vec<_>>()
            .join(l.t("、", ", ")),
        Parameter::Person => match persons::get(&app.db, &Scope::all(), id).await? {
            Some(p) => format!("{} {}", p.name, mask_id_number(&p.id_number)),
            None => l.t("已删除的人员", "a deleted person").to_string(),
        },
        Parameter::Organisation => match worklist::organisation_names(&app.db, &[id]).await?.into_iter().next() {
            Some((_, uscc, name, _)) => format!("{name} {uscc}"),
            None => l.t("已删除的单位", "a deleted organisation").to_string(),
        },
    };
    Ok(if bound.is_empty() { kind } else { format!("{kind}（{bound}）") })
}

/// What went wrong with an account action, in the reader's language.
pub fn account_message(l: Lang, e: &AccountError) -> String {
    match e {
        AccountError::Invalid(m) | AccountError::Denied(m) | AccountError::NotFound(m) | AccountError::Conflict(m) => {
            l.msg(m).to_string()
        }
        other => other.to_string(),
    }
}

/// Page numbers for a list of `total` rows in pages of `size`: (number, is current).
pub fn page_numbers(total: usize, size: usize, page: usize) -> Vec<(usize, bool)> {
    let pages = total.div_ceil(size.max(1)).max(1);
    (1..=pages).filter(|n| *n <= 3 || *n + 2 >= pages || n.abs_diff(page) <= 2).map(|n| (n, n == page)).collect()
}

/// The page sizes a list offers.
pub const PAGE_SIZES: [usize; 3] = [20, 50, 100];

/// A page size from a query, one of [`PAGE_SIZES`].
pub fn page_size(asked: Option<usize>) -> usize {
    asked.filter(|s| PAGE_SIZES.contains(s)).unwrap_or(PAGE_SIZES[0])
}

#[derive(Template)]
#[template(path = "admin/index.html")]
struct Index {
    c: Chrome,
    l: Lang,
    users: bool,
    audit: bool,
    /// Filing institutions and planning sessions (`/admin/institutions`).
    evaluation: bool,
}

/// `GET /admin`: what the reader may administer.
pub async fn index(State(_app): State<App>, viewer: Viewer, l: Lang) -> Result<Response, UiError> {
    let u = viewer.signed_in()?;
    let (users, audit) = (u.can(Resource::Users, Action::Write), u.can(Resource::Audit, Action::Read));
    if !users && !audit {
        return Err(UiError::forbidden());
    }
    let evaluation = u.can(Resource::EvaluationSessions, Action::Write);
    render(&Index { c: Chrome::new(l, &viewer, "admin"), l, users, audit, evaluation })
}
