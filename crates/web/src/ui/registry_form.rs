//! What the person and organisation forms (`person_new`, `organisation_form`) share: who may use
//! them, the district check, and the import's answer turned into the form's problems.

use gongjiang_app::AppError;
use gongjiang_app::registry_entry::Entered;
use gongjiang_domain::access::{Action, Resource};
use uuid::Uuid;

use super::error::UiError;
use super::gate::{SignedIn, Viewer};
use super::i18n::Lang;

/// (field, reason) of each problem, or one general problem with an empty field.
pub type Problems = Vec<(String, String)>;

/// A writer of `resource` for the city or for districts: entering records is a district's or the
/// city's job, not an organisation's.
pub fn writer(viewer: &Viewer, resource: Resource) -> Result<&SignedIn, UiError> {
    let u = viewer.require(resource, Action::Write)?;
    let s = u.scope(resource, Action::Write);
    if !s.is_all() && s.district_codes().is_empty() {
        return Err(UiError::forbidden());
    }
    Ok(u)
}

/// The problem when `district` is outside the writer's districts.
pub fn outside_districts(u: &SignedIn, resource: Resource, l: Lang, district: &str) -> Option<Problems> {
    let reach = u.scope(resource, Action::Write);
    (!reach.is_all() && !reach.district_codes().iter().any(|d| d == district))
        .then(|| vec![("district".into(), l.t("请选择您所辖的区", "choose one of your districts").to_string())])
}

/// The saved record's public id, or the problems to show beside the form's fields.
pub fn outcome(l: Lang, r: Result<Entered, AppError>) -> Result<Result<Uuid, Problems>, UiError> {
    match r {
        Ok(Entered::Saved(id)) => Ok(Ok(id)),
        Ok(Entered::Refused(rows)) => Ok(Err(problems_of(l, &rows))),
        Err(AppError::Invalid(m) | AppError::NotFound(m)) => Ok(Err(vec![(String::new(), l.msg(&m).to_string())])),
        Err(e) => Err(e.into()),
    }
}

/// Each problem of the rejected rows: the column and the reason in the reader's language.
pub fn problems_of(l: Lang, rows: &[gongjiang_app::import::RejectedRow]) -> Problems {
    rows.iter().flat_map(|r| &r.errors).map(|e| (e.column.clone(), l.msg(&e.reason).to_string())).collect()
}
