//! A problem found in a policy file, with its place.

use std::fmt;

use serde::Serialize;

use crate::bilingual::{Explain, Msg};

/// One problem in a policy file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyError {
    /// The file name as given to the loader.
    pub file: String,
    /// Dotted path of the offending entry, e.g. `eligibility.editions[1].rules[3].all[0]`;
    /// empty when the problem concerns the whole document.
    pub key: String,
    /// 1-based line and column when the position is known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub why: Msg,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        if !self.key.is_empty() {
            write!(f, ": {}", self.key)?;
        }
        write!(f, ": {}", self.why)
    }
}

impl std::error::Error for PolicyError {}

impl Explain for PolicyError {
    fn explain(&self) -> Msg {
        let place = match self.line {
            Some(line) => format!("{}:{line}", self.file),
            None => self.file.clone(),
        };
        let key = if self.key.is_empty() { String::new() } else { format!(" {}", self.key) };
        Msg::new(
            format!("策略文件 {place}{key}：{}", self.why.zh),
            format!("policy file {place}{key}: {}", self.why.en),
        )
    }
}
