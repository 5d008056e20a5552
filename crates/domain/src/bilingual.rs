//! Every message an end user may read is given in Chinese first and English second.

use serde::Serialize;

/// A message in both languages the product speaks.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Msg {
    pub zh: String,
    pub en: String,
}

impl Msg {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Msg { zh: zh.into(), en: en.into() }
    }
}

impl std::fmt::Display for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} / {}", self.zh, self.en)
    }
}

/// Implemented by every domain error that reaches a user: it explains itself in both languages.
pub trait Explain {
    fn explain(&self) -> Msg;
}
