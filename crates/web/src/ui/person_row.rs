//! A person as the lists show them (search results, KPI drill-downs, their workbook exports):
//! identity number masked, codes turned into names in the page's language.

use gongjiang_app::App;
use gongjiang_domain::registry::EmploymentStatus;
use gongjiang_store::persons::Person;

use super::i18n::Lang;
use super::layout::level_name;
use crate::api::persons::occupation_label;
use crate::views::mask_id_number;

/// A person as a list row shows them (identity number masked).
pub struct PersonRow {
    pub href: String,
    pub name: String,
    pub id_number: String,
    pub gender: String,
    pub birth_year: String,
    pub district: String,
    pub employer: String,
    pub occupation: String,
    pub level: String,
    pub status: String,
}

pub fn person_rows(app: &App, l: Lang, people: Vec<Person>) -> Vec<PersonRow> {
    people.into_iter().map(|p| person_row(app, l, p)).collect()
}

fn gender(l: Lang, g: Option<&str>) -> String {
    match g {
        Some("M") => l.t("男", "M").into(),
        Some("F") => l.t("女", "F").into(),
        _ => String::new(),
    }
}

pub fn person_row(app: &App, l: Lang, p: Person) -> PersonRow {
    let district = p
        .district_code
        .as_deref()
        .map(|d| app.policy.district(d).map(|x| l.t(&x.name_zh, &x.name_en).to_string()).unwrap_or_else(|| d.into()))
        .unwrap_or_default();
    let occupation = p
        .occupation_code
        .as_deref()
        .map(|c| {
            let label = occupation_label(app, c);
            format!("{} {}", c, label.name_zh.unwrap_or_default())
        })
        .unwrap_or_default();
    PersonRow {
        href: format!("/persons/{}", p.public_id),
        id_number: mask_id_number(&p.id_number),
        gender: gender(l, p.gender.as_deref()),
        birth_year: p.birth_date.map(|d| d.year().to_string()).unwrap_or_default(),
        district,
        employer: p.employer_name.unwrap_or_default(),
        occupation,
        level: p.current_level.map(|r| level_name(app, l, r)).unwrap_or_else(|| l.t("无", "none").into()),
        status: p
            .employment_status
            .as_deref()
            .and_then(EmploymentStatus::parse)
            .map(|s| l.t(s.zh(), s.en()).to_string())
            .unwrap_or_default(),
        name: p.name,
    }
}
