//! What an administrator does to accounts from the 系统管理 pages beyond granting roles: find
//! the accounts they manage, stop and restart one. The rule is the grant rule: an administrator
//! manages an account when they could grant every role it holds (a district administrator
//! manages the accounts of their district, never a city administrator's).

use gongjiang_domain::access::{self, Permissions, Role};
use gongjiang_domain::bilingual::Msg;
use gongjiang_store::{Db, accounts as repo, logins, tx};
use time::OffsetDateTime;

use crate::Actor;
use crate::accounts::{AccountError, append, authorise_grants, no_user, placement_for, roles_of};

/// An account as the administration pages list it.
#[derive(Debug, Clone)]
pub struct ManagedUser {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub disabled: bool,
    pub locked_until: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
    pub roles: Vec<Role>,
}

/// The accounts `manager` may manage whose user name or display name contains `text` (any
/// case), by user name. An account without roles is managed by whoever may manage users at all
/// city-wide.
pub async fn managed_users(db: &Db, manager: &Permissions, text: &str) -> Result<Vec<ManagedUser>, AccountError> {
    let users_scope = manager.scope(access::Resource::Users, access::Action::Write);
    if users_scope.is_none() {
        return Ok(Vec::new());
    }
    let grants = repo::all_active_grants(db).await?;
    let all_roles = roles_of(&grants);
    let placement = placement_for(db, &all_roles.iter().collect::<Vec<_>>()).await?;
    let needle = text.trim().to_lowercase();
    let mut out = Vec::new();
    for u in repo::list(db).await? {
        if !needle.is_empty()
            && !u.username.to_lowercase().contains(&needle)
            && !u.display_name.to_lowercase().contains(&needle)
        {
            continue;
        }
        let mine: Vec<_> = grants.iter().filter(|g| g.user_id == u.id).cloned().collect();
        let roles = roles_of(&mine);
        let manageable = if roles.is_empty() {
            users_scope.is_all()
        } else {
            roles.iter().all(|r| access::check_grant(manager, r, &placement).is_ok())
        };
        if manageable {
            out.push(ManagedUser {
                id: u.id,
                username: u.username,
                display_name: u.display_name,
                disabled: u.disabled,
                locked_until: u.locked_until,
                created_at: u.created_at,
                roles,
            });
        }
    }
    Ok(out)
}

/// Stops (`disabled = true`) or restarts an account. Stopping ends its sign-ins at once and its
/// API tokens stop working; the actor must be able to grant every role the account holds, and
/// may not stop their own. Audited as `user.disable` / `user.enable`.
pub async fn set_disabled(db: &Db, actor: &Actor, username: &str, disabled: bool) -> Result<(), AccountError> {
    let user = repo::by_username(db, username).await?.ok_or_else(|| no_user(username))?;
    if disabled && actor.user_id == Some(user.id) {
        return Err(AccountError::Invalid(Msg::new("不能停用自己的账户", "you cannot disable your own account")));
    }
    let held = roles_of(&repo::active_grants(db, user.id).await?);
    let placement = placement_for(db, &held.iter().collect::<Vec<_>>()).await?;
    let mut t = tx::begin(db).await?;
    repo::serialize_account_changes(&mut t).await?;
    if actor.user_id.is_none() {
        return Err(AccountError::Denied(Msg::new("须指定管理员", "an administrator must be named")));
    }
    authorise_grants(&mut t, actor.user_id, &held, &placement).await?;
    if user.disabled == disabled {
        return Ok(());
    }
    repo::set_disabled(&mut t, user.id, disabled).await?;
    if disabled {
        logins::delete_for_user(&mut t, user.id).await?;
    }
    let action = if disabled { "user.disable" } else { "user.enable" };
    let after = serde_json::json!({ "username": username, "disabled": disabled });
    append(&mut t, actor, action, "users", Some(&user.id.to_string()), None, Some(&after)).await?;
    t.commit().await?;
    Ok(())
}
