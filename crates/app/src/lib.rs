//! gongjiang-app: the use cases — import, export, eligibility, evaluation, KPIs — on top of the
//! domain rules and the store.

pub mod account_admin;
pub mod accounts;
pub mod audit;
pub mod audit_checkpoint;
pub mod benefits;
pub mod candidate;
pub mod competition;
pub mod credentials;
pub mod demand;
pub mod error;
pub mod evaluation;
pub mod export;
pub mod import;
pub mod kpi;
pub mod kpi_series;
pub mod personal_data;
pub mod pii_keys;
pub mod reference;
pub mod registry;
pub mod registry_entry;
pub mod self_service;
pub mod subsidy;
pub mod supply;
pub mod title_eligibility;
pub mod training;
pub mod xapi;
pub mod xapi_documents;

use std::path::Path;
use std::sync::Arc;

pub use audit::Actor;
pub use error::AppError;
use gongjiang_domain::occupation::Catalogue;
use gongjiang_domain::policy::Policy;
use gongjiang_store::Db;
use time::Date;

/// What every use case needs: the database, the policy in force and the occupation catalogue.
#[derive(Clone)]
pub struct App {
    pub db: Db,
    pub policy: Arc<Policy>,
    pub catalogue: Arc<Catalogue>,
    /// Fixed "today" for reproducible runs and tests; `None` = the real date in Asia/Shanghai.
    pub today_override: Option<Date>,
    /// The city as credential issuer (keyring, public URL); `None` = certificates are issued
    /// but not signed until one is configured.
    pub credentials: Option<Arc<credentials::Issuing>>,
}

impl App {
    /// [`App::open_with`] the default key file: `pii-keys.toml` beside a SQLite file (created
    /// on first use); an error for PostgreSQL, which needs the file named.
    pub async fn open(db_url: &str, policy_path: Option<&Path>) -> Result<App, AppError> {
        App::open_with(db_url, policy_path, &pii_keys::Keys::Default).await
    }

    /// Connects, migrates, loads the policy (the shipped Tianjin one when `policy_path` is
    /// `None`), attaches the personal-data keys (checking they open the stored identity numbers,
    /// and encrypting those a migrated database still holds in plaintext) and makes sure the
    /// occupation catalogue is in the database.
    pub async fn open_with(db_url: &str, policy_path: Option<&Path>, keys: &pii_keys::Keys) -> Result<App, AppError> {
        let policy = load_policy(policy_path)?;
        let db = pii_keys::open_db(db_url, keys).await?;
        let catalogue = gongjiang_domain::occupation::catalogue_2022();
        reference::ensure_catalogue(&db, &catalogue).await?;
        let interrupted = import::runs::mark_interrupted(&db).await?;
        if interrupted > 0 {
            tracing::warn!(
                runs = interrupted,
                "import runs whose process died were marked interrupted; rerun their files"
            );
        }
        Ok(App {
            db,
            policy: Arc::new(policy),
            catalogue: Arc::new(catalogue),
            today_override: None,
            credentials: None,
        })
    }

    /// Today in China (UTC+8), where the registry's dates live.
    pub fn today(&self) -> Date {
        self.today_override.unwrap_or_else(|| (time::OffsetDateTime::now_utc() + time::Duration::hours(8)).date())
    }
}

pub fn load_policy(path: Option<&Path>) -> Result<Policy, AppError> {
    match path {
        None => Ok(Policy::tianjin()),
        Some(p) => {
            let text = std::fs::read_to_string(p)?;
            Policy::from_toml_str(&text, &p.display().to_string()).map_err(AppError::Policy)
        }
    }
}
