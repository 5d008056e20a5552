//! `/api/v1/me`: a worker's own data — a copy of everything the registry holds about them
//! (查询/复制), correction requests (记录更正请求) and the benefits they are entitled to. "Me" is the
//! person a caller's worker role names; a caller without one has no record here (404).

pub mod benefits;
pub mod corrections;
pub mod data;

use gongjiang_domain::access::Role;

use crate::auth::CurrentUser;
use crate::error::ApiError;

/// The person the caller's worker role names.
fn my_person(caller: &CurrentUser) -> Result<i64, ApiError> {
    caller
        .roles
        .iter()
        .find_map(|r| match r {
            Role::Worker { person } => Some(*person),
            _ => None,
        })
        .ok_or_else(|| {
            ApiError::not_found(
                "您的账户没有关联的人员记录（劳动者本人角色）",
                "your account is linked to no person record (the worker role)",
            )
        })
}
