//! Accounts people manage themselves: a worker's sign-up with real-name binding (实名绑定), and
//! setting one's own password — also after an administrator set a temporary one.
//!
//! Sign-up binds the new account to the registry's person only when the name and identity
//! number given match a record; a wrong guess gets the same answer whether the number is on
//! record or not (as public certificate verification does), and every attempt is audited with
//! the number masked. The city decides whether a new account works at once or waits for an
//! administrator to enable it.

use gongjiang_domain::access::{Role, RoleKind};
use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::id_number::IdNumber;
use gongjiang_domain::identifier::mask_identity;
use gongjiang_store::{Db, accounts as repo, persons, tx};
use time::{Date, OffsetDateTime};

use crate::Actor;
use crate::accounts::{AccountError, append, check_password_policy, check_username, hash_password};

/// What a worker gives to make their own account.
#[derive(Debug, Clone)]
pub struct SignUp<'a> {
    pub name: &'a str,
    pub id_number: &'a str,
    pub username: &'a str,
    pub password: &'a str,
    /// A phone number or e-mail for recovery.
    pub contact: &'a str,
}

/// How a sign-up ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignedUp {
    /// The account works now.
    Active,
    /// The account waits for an administrator to enable it.
    AwaitingApproval,
}

fn no_match() -> AccountError {
    AccountError::Denied(Msg::new(
        "姓名与证件号码不匹配，或该证件号码未登记；请核对后重试，或联系所在区人社部门",
        "the name and identity number do not match a record, or the number is not registered; check them, \
         or ask your district's human-resources bureau",
    ))
}

fn check_contact(contact: &str) -> Result<(), AccountError> {
    let c = contact.trim();
    let phone = c.len() == 11 && c.starts_with('1') && c.chars().all(|ch| ch.is_ascii_digit());
    let email = c.len() <= 254 && c.split_once('@').is_some_and(|(a, d)| !a.is_empty() && d.contains('.'));
    if phone || email {
        Ok(())
    } else {
        Err(AccountError::Invalid(Msg::new(
            "请填写 11 位手机号码或电子邮箱，用于找回账户",
            "give an 11-digit mobile number or an e-mail address, for recovering the account",
        )))
    }
}

/// Makes a worker's account bound to their registry record. `approval`: the account is made
/// disabled, for an administrator to enable. `client_addr` goes into the audit trail.
pub async fn sign_up(
    db: &Db,
    s: &SignUp<'_>,
    today: Date,
    approval: bool,
    client_addr: Option<&str>,
) -> Result<SignedUp, AccountError> {
    check_username(s.username).map_err(AccountError::Invalid)?;
    check_password_policy(s.username, s.password).map_err(AccountError::Invalid)?;
    check_contact(s.contact)?;
    let actor =
        Actor { label: format!("signup:{}", s.username), user_id: None, client_addr: client_addr.map(str::to_string) };
    // A resident identity number is read as the registry stores it (15 digits converted,
    // full-width folded); other documents as typed, upper-cased.
    let number = match IdNumber::parse(s.id_number, today) {
        Ok(p) => p.id.as_str().to_string(),
        Err(_) => s.id_number.trim().to_ascii_uppercase(),
    };
    let found = persons::by_id_number(db, &number).await?;
    let person = match found {
        Some(p) if p.name.trim() == s.name.trim() => p,
        _ => {
            let mut t = tx::begin(db).await?;
            let after = serde_json::json!({ "id_number": mask_identity(&number), "username": s.username });
            append(&mut t, &actor, "user.signup_refused", "users", None, None, Some(&after)).await?;
            t.commit().await?;
            return Err(no_match());
        }
    };
    if repo::by_username(db, s.username).await?.is_some() {
        return Err(AccountError::Conflict(Msg::new(
            format!("用户名“{}”已被使用，请换一个", s.username),
            format!("the user name \"{}\" is taken; choose another", s.username),
        )));
    }
    let phc = hash_password(s.password).await?;
    let role = Role::Worker { person: person.id };
    let (kind, data) = role.to_parts();
    let mut t = tx::begin(db).await?;
    repo::serialize_account_changes(&mut t).await?;
    if repo::role_scope_held_in(&mut t, RoleKind::Worker.code(), &data).await? {
        return Err(AccountError::Conflict(Msg::new(
            "此人已有账户：请直接登录；忘记用户名或密码请联系所在区人社部门",
            "this person has an account already: sign in with it, or ask your district's bureau if you forgot it",
        )));
    }
    let at = OffsetDateTime::now_utc();
    let id = match repo::insert_user(&mut t, s.username, s.name.trim(), &phc, at).await {
        Err(gongjiang_store::StoreError::Conflict { .. }) => {
            return Err(AccountError::Conflict(Msg::new("用户名已被使用", "the user name is taken")));
        }
        r => r?,
    };
    repo::set_contact(&mut t, id, Some(s.contact.trim())).await?;
    if approval {
        repo::set_disabled(&mut t, id, true).await?;
    }
    repo::insert_grant(&mut t, id, kind, &data, None, at).await?;
    let after = serde_json::json!({
        "username": s.username,
        "id_number": mask_identity(&number),
        "awaiting_approval": approval,
    });
    append(&mut t, &actor, "user.signup", "users", Some(&id.to_string()), None, Some(&after)).await?;
    t.commit().await?;
    Ok(if approval { SignedUp::AwaitingApproval } else { SignedUp::Active })
}

/// Sets a user's own password (checking the current one), which also ends the "must change"
/// state an administrator's reset leaves. Audited as `user.password`.
pub async fn change_password(
    db: &Db,
    actor: &Actor,
    username: &str,
    current: &str,
    new: &str,
) -> Result<(), AccountError> {
    let user = crate::accounts::verify_password(db, username, current, actor.client_addr.as_deref()).await?;
    if current == new {
        return Err(AccountError::Invalid(Msg::new(
            "新密码不能与当前密码相同",
            "the new password must differ from the current one",
        )));
    }
    check_password_policy(username, new).map_err(AccountError::Invalid)?;
    let phc = hash_password(new).await?;
    let mut t = tx::begin(db).await?;
    repo::set_password(&mut t, user.id, &phc, OffsetDateTime::now_utc()).await?;
    append(&mut t, actor, "user.password", "users", Some(&user.id.to_string()), None, None).await?;
    t.commit().await?;
    Ok(())
}

/// An administrator sets a temporary password; the user must set their own at next sign-in.
/// The administrator must be able to grant every role the account holds. Ends the user's
/// sign-ins. Audited as `user.password_reset`.
pub async fn reset_password(db: &Db, actor: &Actor, username: &str, temporary: &str) -> Result<(), AccountError> {
    let user = repo::by_username(db, username).await?.ok_or_else(|| crate::accounts::no_user(username))?;
    check_password_policy(username, temporary).map_err(AccountError::Invalid)?;
    let held = crate::accounts::roles_of(&repo::active_grants(db, user.id).await?);
    let placement = crate::accounts::placement_for(db, &held.iter().collect::<Vec<_>>()).await?;
    let phc = hash_password(temporary).await?;
    let mut t = tx::begin(db).await?;
    repo::serialize_account_changes(&mut t).await?;
    if actor.user_id.is_none() {
        return Err(AccountError::Denied(Msg::new("须指定管理员", "an administrator must be named")));
    }
    crate::accounts::authorise_grants(&mut t, actor.user_id, &held, &placement).await?;
    repo::set_password(&mut t, user.id, &phc, OffsetDateTime::now_utc()).await?;
    repo::set_must_change_password(&mut t, user.id, true).await?;
    gongjiang_store::logins::delete_for_user(&mut t, user.id).await?;
    append(&mut t, actor, "user.password_reset", "users", Some(&user.id.to_string()), None, None).await?;
    t.commit().await?;
    Ok(())
}
