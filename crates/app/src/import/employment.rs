//! Employment files: spells of a registered person at a registered employer.

use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::dates::parse_date;
use gongjiang_domain::records::NewEmployment;
use gongjiang_store::employment::{self, EmploymentWrite};
use gongjiang_store::tx::Tx;
use gongjiang_store::{WriteCounts, persons};

use super::columns::HeaderMap;
use super::resolve::{Resolver, organisation_not_registered, person_not_registered};
use super::rows::{FieldError, Row, RowContext, holder_id, past_date, uscc};
use crate::AppError;

/// Checks one row of an employment file: the spell may not end before it starts.
pub fn validate(cx: &RowContext<'_>, h: &HeaderMap, cells: &[String]) -> Result<NewEmployment, Vec<FieldError>> {
    let mut r = Row::new(h, cells);
    let today = cx.today;
    let id = r.parsed(0, |s| holder_id(s, today));
    let employer = r.parsed(1, uscc);
    let start = r.parsed(2, past_date(today));
    let end = r.optional(3, |s| parse_date(s).ok_or_else(|| Msg::new("不是有效日期", "not a valid date")));
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        r.fail(3, Msg::new("结束日期早于开始日期", "end is before start"));
    }
    let occupation = r.optional(4, cx.occupation());
    let v = (|| {
        Some(NewEmployment {
            id_number: id?,
            employer_uscc: employer?,
            start: start?,
            end,
            occupation_code: occupation,
        })
    })();
    r.finish(v)
}

/// Writes a batch: the person and the employer must both be registered.
pub(super) async fn write(
    res: &mut Resolver,
    t: &mut Tx,
    rows: Vec<(u64, NewEmployment)>,
) -> Result<WriteCounts, AppError> {
    let orgs = res.organisations(t).await?;
    let keys: Vec<&str> = rows.iter().map(|(_, e)| e.id_number.as_str()).collect();
    let people = persons::ids_by_id_number_in(t, &keys).await?;
    let mut writes = Vec::with_capacity(rows.len());
    for (line, e) in &rows {
        let Some(&person_id) = people.get(&e.id_number) else {
            res.reject(*line, "id_number", &e.id_number, person_not_registered());
            continue;
        };
        let Some(&employer_id) = orgs.get(&e.employer_uscc) else {
            res.reject(*line, "employer_uscc", &e.employer_uscc, organisation_not_registered("单位", "employer"));
            continue;
        };
        writes.push(EmploymentWrite { spell: e, person_id, employer_id });
    }
    Ok(employment::upsert_batch_in(t, &writes).await?)
}
