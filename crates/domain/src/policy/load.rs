//! The entry points: a policy from TOML text, and the shipped Tianjin policy.

use toml::de::DeTable;

use super::error::PolicyError;
use super::model::Policy;
use super::read::Loader;
use super::spans::locate_in_table;
use crate::bilingual::Msg;

/// The shipped Tianjin policy file.
pub const TIANJIN_TOML: &str = include_str!("../../../../policy/tianjin.toml");

impl Policy {
    /// Reads and validates a policy. `file` names the file in error messages.
    pub fn from_toml_str(text: &str, file: &str) -> Result<Policy, Vec<PolicyError>> {
        let (root, syntax) = DeTable::parse_recoverable(text);
        let mut loader = Loader { file, text, root: root.get_ref(), errors: Vec::new() };
        if !syntax.is_empty() {
            for e in &syntax {
                let mut key = String::new();
                if let Some(span) = e.span() {
                    locate_in_table(root.get_ref(), &span, &mut key);
                }
                let why =
                    Msg::new(format!("TOML 语法错误：{}", e.message()), format!("TOML syntax error: {}", e.message()));
                loader.push(key, e.span(), why);
            }
            return Err(loader.errors);
        }
        let raw = loader.read();
        match loader.build(raw) {
            Some(policy) if loader.errors.is_empty() => Ok(policy),
            _ => {
                // In file order; errors without a position last.
                loader.errors.sort_by_key(|e| (e.line.is_none(), e.line, e.column));
                Err(loader.errors)
            }
        }
    }

    /// The shipped Tianjin policy. A test proves it loads.
    pub fn tianjin() -> Policy {
        Policy::from_toml_str(TIANJIN_TOML, "policy/tianjin.toml").expect("the shipped Tianjin policy is valid")
    }
}
