//! The one error type of the use cases. Messages a user reads are bilingual (`Msg`); store,
//! file and key errors pass through with their own text.

use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::policy::PolicyError;
use gongjiang_store::StoreError;
use gongjiang_tabular::TabularError;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum AppError {
    #[error("{0}")]
    BadFile(Msg),
    #[error("{0}")]
    Invalid(Msg),
    #[error("{0}")]
    NotFound(Msg),
    #[error("策略文件有误 / the policy file is invalid:\n{}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))]
    Policy(Vec<PolicyError>),
    #[error(transparent)]
    Tabular(#[from] TabularError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The personal-data key file is missing, unreadable or does not fit the database.
    #[error("{0}")]
    Keys(Msg),
    #[error(transparent)]
    Crypto(#[from] gongjiang_crypto::CryptoError),
}
