//! Skill-level evaluation (职业技能等级认定) end to end: filed institutions → sessions →
//! applications (checked by the eligibility engine as of the application date) → examiners →
//! scores → publicity and objections → certificates and the level history.
//!
//! The rules are the domain's (`gongjiang_domain::evaluation`) and the numbers the policy's;
//! this module gathers facts from the store, asks the rules and writes the outcome.

pub mod applications;
pub mod certificates;
pub mod institutions;
pub mod results;
pub mod scores;
pub mod sessions;

use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::level::Level;
use gongjiang_store::sessions::Session;
use gongjiang_store::{StoreError, sessions as session_store};
use serde::Serialize;

use crate::import::RejectedRow;
use crate::{App, AppError};

/// The outcome of a bulk file (applications or scores).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct BulkSummary {
    pub read: u64,
    /// Rows written as asked (applications admitted, scores recorded).
    pub accepted: u64,
    /// Applications stored but refused by the eligibility engine (also in the report).
    pub refused: u64,
    /// Rows that wrote nothing, with every reason.
    pub rejected: u64,
    pub warnings: Vec<Msg>,
    #[serde(skip)]
    pub report: Vec<RejectedRow>,
}

pub(crate) fn invalid(zh: impl Into<String>, en: impl Into<String>) -> AppError {
    AppError::Invalid(Msg::new(zh, en))
}

pub(crate) async fn session(app: &App, id: i64) -> Result<Session, AppError> {
    session_store::get(&app.db, id)
        .await?
        .ok_or_else(|| AppError::NotFound(Msg::new(format!("没有编号为 {id} 的评价计划"), format!("no session {id}"))))
}

pub(crate) fn level_of(rank: i16) -> Result<Level, AppError> {
    u8::try_from(rank)
        .ok()
        .and_then(Level::new)
        .ok_or_else(|| AppError::Store(StoreError::Invalid(format!("stored level {rank} is not on the ladder"))))
}

/// A non-empty trimmed text, or an error naming the field.
pub(crate) fn required_text<'a>(value: &'a str, zh: &str, en: &str) -> Result<&'a str, AppError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(invalid(format!("{zh}不能为空"), format!("the {en} is required")));
    }
    Ok(v)
}
