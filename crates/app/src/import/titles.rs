//! Title files: professional titles (职称) of registered persons (身份证号, 职称系列, 职称级别,
//! 职称名称, 取得日期). The grade is 初级/中级/副高级/正高级 (junior, intermediate,
//! deputy_senior, senior); the series one of the title series (工程技术 …).

use gongjiang_domain::eligibility::TitleGrade;
use gongjiang_domain::records::NewTitle;
use gongjiang_domain::registry::TitleSeries;
use gongjiang_store::tx::Tx;
use gongjiang_store::{WriteCounts, persons, schooling};

use super::columns::HeaderMap;
use super::resolve::{Resolver, person_not_registered};
use super::rows::{FieldError, Row, RowContext, coded, holder_id, past_date, text};
use crate::AppError;

/// Checks one row: a known series and grade, a title name, a date that has happened.
pub fn validate(cx: &RowContext<'_>, h: &HeaderMap, cells: &[String]) -> Result<NewTitle, Vec<FieldError>> {
    let mut r = Row::new(h, cells);
    let today = cx.today;
    let id = r.parsed(0, |s| holder_id(s, today));
    let series = r.parsed(1, coded(TitleSeries::parse, TitleSeries::allowed));
    let grade = r.parsed(2, coded(TitleGrade::parse, TitleGrade::allowed));
    let title = r.parsed(3, text(60));
    let obtained_on = r.parsed(4, past_date(today));
    let v = (|| {
        Some(NewTitle {
            id_number: id?,
            series: series?,
            grade: grade?,
            title: title?.trim().to_owned(),
            obtained_on: obtained_on?,
        })
    })();
    r.finish(v)
}

/// Writes a batch: the person must be registered.
pub(super) async fn write(res: &mut Resolver, t: &mut Tx, rows: Vec<(u64, NewTitle)>) -> Result<WriteCounts, AppError> {
    let keys: Vec<&str> = rows.iter().map(|(_, e)| e.id_number.as_str()).collect();
    let people = persons::ids_by_id_number_in(t, &keys).await?;
    let mut writes = Vec::with_capacity(rows.len());
    for (line, e) in &rows {
        match people.get(&e.id_number) {
            Some(&person_id) => writes.push((person_id, e)),
            None => res.reject(*line, "id_number", &e.id_number, person_not_registered()),
        }
    }
    Ok(schooling::upsert_titles_in(t, &writes, &res.recorded_by).await?)
}
