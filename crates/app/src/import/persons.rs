//! Persons files: one row per person, by identity number; the employer must be registered.

use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::records::NewPerson;
use gongjiang_domain::registry::{Education, EmploymentStatus, IdType};
use gongjiang_store::WriteCounts;
use gongjiang_store::persons::{self, PersonWrite};
use gongjiang_store::tx::Tx;

use super::columns::HeaderMap;
use super::resolve::{Resolver, organisation_not_registered};
use super::rows::{FieldError, Identity, Row, RowContext, coded, identity, name, past_date, uscc};
use crate::AppError;

/// Checks one row of a persons file. A resident identity number gives the gender and birth
/// date; the work start may not be before the birth.
pub fn validate(cx: &RowContext<'_>, h: &HeaderMap, cells: &[String]) -> Result<NewPerson, Vec<FieldError>> {
    let mut r = Row::new(h, cells);
    let id_type = r.optional(2, coded(IdType::parse, IdType::allowed)).unwrap_or(IdType::ResidentId);
    let today = cx.today;
    let id = r.parsed(0, |s| identity(id_type, s, today));
    let name = r.parsed(1, name(100));
    let district = r.optional(3, cx.district());
    let employer = r.optional(4, uscc);
    let occupation = r.optional(5, cx.occupation());
    let education = r.optional(6, coded(Education::parse, Education::allowed));
    let status = r.optional(7, coded(EmploymentStatus::parse, EmploymentStatus::allowed));
    let work_start = r.optional(8, past_date(today));
    if let (Some(ws), Some(Identity { birth_date: Some(b), .. })) = (work_start, &id)
        && ws < *b
    {
        r.fail(8, Msg::new("参加工作日期早于出生日期", "work start is before the birth date"));
    }
    let v = (|| {
        let id = id?;
        Some(NewPerson {
            id_type,
            id_number: id.number,
            id_from_15: id.from_15,
            name: name?,
            gender: id.gender,
            birth_date: id.birth_date,
            district_code: district,
            employer_uscc: employer,
            occupation_code: occupation,
            education,
            employment_status: status,
            work_start,
        })
    })();
    r.finish(v)
}

/// Writes a batch: a row whose employer is not registered is rejected, the rest upserted.
pub(super) async fn write(
    res: &mut Resolver,
    t: &mut Tx,
    rows: Vec<(u64, NewPerson)>,
) -> Result<WriteCounts, AppError> {
    let orgs = res.organisations(t).await?;
    let mut writes = Vec::with_capacity(rows.len());
    for (line, p) in &rows {
        let employer_id = match p.employer_uscc.as_deref() {
            None => None,
            Some(u) => match orgs.get(u) {
                Some(&id) => Some(id),
                None => {
                    res.reject(*line, "employer_uscc", u, organisation_not_registered("单位", "employer"));
                    continue;
                }
            },
        };
        writes.push(PersonWrite { person: p, employer_id });
    }
    Ok(persons::upsert_batch_in(t, &writes).await?)
}
