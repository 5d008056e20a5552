//! Social-insurance files: contribution spells of a registered person (身份证号, 险种, 起始日期,
//! 截止日期, and the district where the scheme is local). Benefits count months from them.

use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::dates::parse_date;
use gongjiang_domain::records::NewInsuranceSpell;
use gongjiang_domain::registry::InsuranceScheme;
use gongjiang_store::insurance::{self, SpellWrite};
use gongjiang_store::tx::Tx;
use gongjiang_store::{WriteCounts, persons};

use super::columns::HeaderMap;
use super::resolve::{Resolver, person_not_registered};
use super::rows::{FieldError, Row, RowContext, coded, holder_id, past_date};
use crate::AppError;

/// Checks one row: a known scheme, a start that has happened, an end (if any) not before it.
pub fn validate(cx: &RowContext<'_>, h: &HeaderMap, cells: &[String]) -> Result<NewInsuranceSpell, Vec<FieldError>> {
    let mut r = Row::new(h, cells);
    let today = cx.today;
    let id = r.parsed(0, |s| holder_id(s, today));
    let scheme = r.parsed(1, coded(InsuranceScheme::parse, InsuranceScheme::allowed));
    let starts_on = r.parsed(2, past_date(today));
    let ends_on = r.optional(3, |s| {
        parse_date(s).ok_or_else(|| {
            Msg::new("不是有效日期（应为 YYYY-MM-DD 或 YYYY-MM）", "not a valid date (use YYYY-MM-DD or YYYY-MM)")
        })
    });
    if let (Some(s), Some(e)) = (starts_on, ends_on)
        && e < s
    {
        r.fail(3, Msg::new("截止日期早于起始日期", "ends_on is before starts_on"));
    }
    let district = r.optional(4, cx.district());
    let v = (|| {
        Some(NewInsuranceSpell {
            id_number: id?,
            scheme: scheme?,
            starts_on: starts_on?,
            ends_on,
            district_code: district,
        })
    })();
    r.finish(v)
}

/// Writes a batch: the person must be registered.
pub(super) async fn write(
    res: &mut Resolver,
    t: &mut Tx,
    rows: Vec<(u64, NewInsuranceSpell)>,
) -> Result<WriteCounts, AppError> {
    let keys: Vec<&str> = rows.iter().map(|(_, s)| s.id_number.as_str()).collect();
    let people = persons::ids_by_id_number_in(t, &keys).await?;
    let mut writes = Vec::with_capacity(rows.len());
    for (line, s) in &rows {
        let Some(&person_id) = people.get(&s.id_number) else {
            res.reject(*line, "id_number", &s.id_number, person_not_registered());
            continue;
        };
        writes.push(SpellWrite { spell: s, person_id });
    }
    Ok(insurance::upsert_batch_in(t, &writes, &res.recorded_by).await?)
}
