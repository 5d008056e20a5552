//! The registry's listings, one query function each, that the JSON API and the pages both call:
//! persons and organisations a reader's scope reaches, filtered, in keyset pages (by internal
//! id, after `after`, at most `limit` rows). The scope is applied by the store's query itself,
//! so a listing can never show a record outside it.

use gongjiang_domain::access::Scope;
pub use gongjiang_store::organisations::{OrgFilter, Organisation};
pub use gongjiang_store::persons::{Person, PersonFilter};
use gongjiang_store::{organisations as store_organisations, persons as store_persons};

use crate::{App, AppError};

/// One keyset page of a listing: the rows after `after` (an internal id; `None` = from the
/// start), at most `limit` of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageAt {
    pub after: Option<i64>,
    pub limit: i64,
}

/// The persons `scope` reaches that match `filter`, ordered by internal id.
pub async fn persons(app: &App, scope: &Scope, filter: &PersonFilter, page: PageAt) -> Result<Vec<Person>, AppError> {
    Ok(store_persons::list(&app.db, scope, filter, page.after, page.limit).await?)
}

/// How many persons `scope` reaches match `filter`, counted up to [`COUNT_CAP`].
pub async fn count_persons(app: &App, scope: &Scope, filter: &PersonFilter) -> Result<i64, AppError> {
    Ok(store_persons::count_matching(&app.db, scope, filter, COUNT_CAP).await?)
}

/// Searches count their results up to this many; beyond it a page says "more than".
pub const COUNT_CAP: i64 = 100_000;

/// The organisations `scope` reaches that match `filter`, ordered by internal id.
pub async fn organisations(
    app: &App,
    scope: &Scope,
    filter: &OrgFilter,
    page: PageAt,
) -> Result<Vec<Organisation>, AppError> {
    Ok(store_organisations::list(&app.db, scope, filter, page.after, page.limit).await?)
}
