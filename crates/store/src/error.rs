//! The store's error type: what a repository call can fail with.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("not a database URL gongjiang understands (sqlite://FILE or postgres://…): {0}")]
    BadUrl(String),
    /// The SQLite file could not be created or made owner-only.
    #[error("无法创建数据库文件或设置其权限 / cannot create the database file or set its mode: {0}")]
    File(String),
    #[error("not found")]
    NotFound,
    #[error("conflicts with existing data ({constraint})")]
    Conflict { constraint: String },
    #[error("database migration {version} failed: {source}")]
    Migration { version: i64, source: sqlx::Error },
    /// Data the store was asked to write cannot be written as it is.
    #[error("{0}")]
    Invalid(String),
    /// A write of records outside the writer's scope (see `scope`): nothing was written.
    #[error("outside the writer's scope")]
    OutOfScope,
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    /// Rows to pass to SQL as a JSON parameter could not be encoded (nothing was written).
    #[error("cannot encode rows as a JSON parameter: {0}")]
    JsonParam(serde_json::Error),
    /// The database was opened without the personal-data key ring.
    #[error(
        "没有个人信息密钥文件，无法读写身份证号（--keys 或 GONGJIANG_KEYS） / no personal-data key file: identity numbers cannot be read or written (--keys or GONGJIANG_KEYS)"
    )]
    NoKeys,
    /// Identity numbers of a database migrated from before encryption are not encrypted yet.
    #[error(
        "身份证号尚未加密：请运行 gongjiang keys reencrypt / identity numbers are not encrypted yet: run gongjiang keys reencrypt"
    )]
    Unsealed,
    #[error(transparent)]
    Crypto(#[from] gongjiang_crypto::CryptoError),
}

impl StoreError {
    /// Turns a unique-constraint violation into `Conflict`, leaving other errors alone.
    pub fn from_sqlx(e: sqlx::Error) -> StoreError {
        if let sqlx::Error::Database(db) = &e
            && db.is_unique_violation()
        {
            return StoreError::Conflict { constraint: db.constraint().unwrap_or("unique").to_string() };
        }
        StoreError::Sqlx(e)
    }
}
