//! `/persons`: search the registry (name, full identity number, employer, occupation, level,
//! district) with keyset paging, which stays fast at any depth and size; `/persons/{id}`: one
//! person — facts, schooling and titles, level history as a timeline, certificates, employment,
//! and the pathway: per occupation held or worked in, the levels open now and the next one,
//! what is missing and from when.
//!
//! What a reader reaches is their `persons/read` scope: a district administrator their
//! districts, an HR clerk their organisation's staff, a worker themself.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use gongjiang_app::App;
use gongjiang_app::registry::{self, PageAt, Person, PersonFilter};
use gongjiang_domain::access::{Action, Resource, Scope};
use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::identifier::{NumberQuery, number_query};
use gongjiang_domain::level::Level;
use gongjiang_domain::registry::LevelSource;
use gongjiang_store::persons;
use gongjiang_store::{employment, levels, worklist};
use serde::Deserialize;

use super::error::UiError;
use super::gate::{SignedIn, Viewer};
use super::i18n::Lang;
use super::layout::{Chrome, iso, opt_iso, render, urlencode};
use super::person_row::{PersonRow, person_row, person_rows};
use crate::api::persons::occupation_label;
use crate::extract::{Path, Query};
use crate::paging::{self, Listing};
use crate::params::{self, given};

/// The districts and organisations a reader's scope names: what a search is bound to (the
/// store filters by the scope itself).
pub struct PersonReach {
    pub all: bool,
    pub districts: Vec<String>,
    /// (id, credit code, name) of the organisations reached.
    pub organisations: Vec<(i64, String, String)>,
}

impl PersonReach {
    pub async fn of(app: &App, scope: &Scope) -> Result<PersonReach, UiError> {
        let ids: Vec<i64> = scope.organisation_ids().iter().copied().collect();
        let organisations = worklist::organisation_names(&app.db, &ids)
            .await?
            .into_iter()
            .map(|(id, uscc, name, _)| (id, uscc, name))
            .collect();
        Ok(PersonReach {
            all: scope.is_all(),
            districts: scope.district_codes().iter().cloned().collect(),
            organisations,
        })
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    pub name: Option<String>,
    pub id_number: Option<String>,
    pub employer: Option<String>,
    pub occupation: Option<String>,
    pub level: Option<String>,
    pub district: Option<String>,
    pub after: Option<String>,
    /// Rows a page: 20, 50 or 100.
    pub size: Option<usize>,
    /// The page's number, carried by the "next" link.
    pub page: Option<usize>,
}

impl SearchQuery {
    /// The query string of the filters and the page size (no cursor), for links.
    pub fn filters(&self) -> String {
        let f = self.search_filters();
        match self.size {
            Some(n) if f.is_empty() => format!("size={n}"),
            Some(n) => format!("{f}&size={n}"),
            None => f,
        }
    }

    /// The query string of the filters alone.
    fn search_filters(&self) -> String {
        let parts = [
            ("name", &self.name),
            ("id_number", &self.id_number),
            ("employer", &self.employer),
            ("occupation", &self.occupation),
            ("level", &self.level),
            ("district", &self.district),
        ];
        parts
            .iter()
            .filter_map(|(k, v)| given(v).map(|v| format!("{k}={}", urlencode(v))))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// A choice in a `<select>`.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "persons.html")]
struct SearchPage {
    c: Chrome,
    l: Lang,
    q: SearchQuery,
    districts: Vec<Choice>,
    levels: Vec<Choice>,
    employers: Vec<Choice>,
    rows: Vec<PersonRow>,
    searched: bool,
    next_href: Option<String>,
    first_page: bool,
    export_href: String,
    problem: Option<String>,
    scope_note: Option<String>,
    /// How many the search finds (“超过 100,000” past the count's cap).
    total: String,
    /// The reader may enter a person by hand (`/persons/new`).
    may_add: bool,
    pager: super::pager::Pager,
}

/// The store filter for a search within the reader's reach.
pub fn filter_of(app: &App, reach: &PersonReach, q: &SearchQuery) -> Result<PersonFilter, UiError> {
    let policy = &app.policy;
    let mut f = PersonFilter {
        district_code: given(&q.district).map(|s| params::district(policy, "district", s)).transpose()?,
        employer_uscc: given(&q.employer)
            .map(|s| params::uscc("employer", s).map(|u| u.as_str().to_string()))
            .transpose()?,
        occupation: given(&q.occupation)
            .map(|s| params::occupation("occupation", s).map(|c| c.as_str().to_string()))
            .transpose()?,
        industry: None,
        level: given(&q.level).map(|s| params::level(policy, "level", s).map(|l| i16::from(l.rank()))).transpose()?,
        name: given(&q.name).map(str::to_string),
        id_tail: None,
    };
    if reach.all {
        return Ok(f);
    }
    // Within a district or organisation scope, the search is bound to one of them.
    if let Some(d) = &f.district_code
        && reach.districts.contains(d)
    {
        return Ok(f);
    }
    if let Some(u) = &f.employer_uscc
        && reach.organisations.iter().any(|(_, x, _)| x == u)
    {
        return Ok(f);
    }
    if f.district_code.is_none() && f.employer_uscc.is_none() {
        if let Some(d) = reach.districts.first() {
            f.district_code = Some(d.clone());
            return Ok(f);
        }
        if let Some((_, u, _)) = reach.organisations.first() {
            f.employer_uscc = Some(u.clone());
            return Ok(f);
        }
    }
    Err(UiError::forbidden())
}

/// `GET /persons`.
pub async fn search(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Query(q): Query<SearchQuery>,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::Persons, Action::Read)?;
    let scope = u.scope(Resource::Persons, Action::Read);
    let reach = PersonReach::of(&app, &scope).await?;
    if !reach.all && reach.districts.is_empty() && reach.organisations.is_empty() {
        return Ok(Redirect::to("/me").into_response());
    }
    let searched =
        [&q.name, &q.id_number, &q.employer, &q.occupation, &q.level, &q.district].iter().any(|v| given(v).is_some());
    let mut rows = Vec::new();
    let mut next_href = None;
    let mut problem = None;
    let mut total = String::new();
    let mut count = None;
    let size = super::pager::size(q.size);
    let after = super::layout::cursor(Listing::Persons, &q.after)?;
    let number = given(&q.id_number).map(number_query);
    if let Some(Some(NumberQuery::Whole(n))) = &number {
        // The full number, exact: one person or none (a person outside one's reach is none).
        if let Some(p) = persons::by_id_number(&app.db, n).await?
            && persons::admitted(&app.db, &scope, &[p.id]).await?.contains(&p.id)
        {
            rows.push(person_row(&app, l, p));
        }
        total = rows.len().to_string();
    } else if let Some(None) = &number {
        problem = Some(
            l.t(
                "身份证号请填完整号码、前4位和后4位（如 1201**********123X）或后4位",
                "Enter the whole identity number, its first and last four characters (as in 1201**********123X), \
                 or its last four",
            )
            .to_string(),
        );
    } else if let Some(Some(fragment)) = &number {
        // A masked number or a 尾号: every match in reach (a few hundred at most in a city),
        // paged here by number.
        match filter_of(&app, &reach, &q) {
            Ok(f) => {
                let found = by_fragment(&app, &scope, f, fragment).await?;
                let n = found.len() as i64;
                count = Some(n);
                total = if n > FRAGMENT_CAP {
                    format!("{} {}", l.t("超过", "more than"), super::layout::int(FRAGMENT_CAP))
                } else {
                    super::layout::int(n)
                };
                let page = q.page.unwrap_or(1).max(1);
                let (from, size) = ((page - 1) * size as usize, size as usize);
                if from + size < found.len().min(FRAGMENT_CAP as usize) {
                    next_href = Some(format!("/persons?{}&page={}", q.filters(), page + 1));
                }
                rows = person_rows(&app, l, found.into_iter().skip(from).take(size).collect());
            }
            Err(UiError::Page { msg, .. }) => problem = Some(l.msg(&msg).to_string()),
            Err(e) => return Err(e),
        }
    } else {
        match filter_of(&app, &reach, &q) {
            Ok(f) => {
                let n = registry::count_persons(&app, &scope, &f).await?;
                count = Some(n);
                total = if n >= registry::COUNT_CAP {
                    format!("{} {}", l.t("超过", "more than"), super::layout::int(registry::COUNT_CAP))
                } else {
                    super::layout::int(n)
                };
                let mut found = registry::persons(&app, &scope, &f, PageAt { after, limit: size + 1 }).await?;
                let more = found.len() as i64 > size;
                found.truncate(size as usize);
                if more && let Some(last) = found.last() {
                    let filters = q.filters();
                    let sep = if filters.is_empty() { "" } else { "&" };
                    let cursor = paging::encode(Listing::Persons, last.id);
                    let page = q.page.unwrap_or(1) + 1;
                    next_href = Some(format!("/persons?{filters}{sep}after={cursor}&page={page}"));
                }
                rows = person_rows(&app, l, found);
            }
            Err(UiError::Page { msg, .. }) => problem = Some(l.msg(&msg).to_string()),
            Err(e) => return Err(e),
        }
    }
    let districts = district_choices(&app, l, &reach, given(&q.district));
    let levels = level_choices(&app, l, given(&q.level));
    let employers = reach
        .organisations
        .iter()
        .map(|(_, uscc, name)| Choice {
            value: uscc.clone(),
            label: name.clone(),
            selected: given(&q.employer) == Some(uscc),
        })
        .collect();
    let scope_note = (!reach.all).then(|| {
        let mut parts: Vec<String> = reach
            .districts
            .iter()
            .map(|d| {
                app.policy.district(d).map(|x| l.t(&x.name_zh, &x.name_en).to_string()).unwrap_or_else(|| d.clone())
            })
            .collect();
        parts.extend(reach.organisations.iter().map(|(_, _, n)| n.clone()));
        format!("{}{}", l.t("您可查看：", "You can see: "), parts.join(l.t("、", ", ")))
    });
    let export_href = format!("/persons/export.xlsx?{}", q.search_filters());
    let pager = super::pager::pager("/persons", &q.search_filters(), size, q.page, count, registry::COUNT_CAP);
    render(&SearchPage {
        c: Chrome::new(l, &viewer, "persons"),
        l,
        first_page: after.is_none(),
        q,
        districts,
        levels,
        employers,
        rows,
        searched,
        next_href,
        export_href,
        problem,
        scope_note,
        total,
        may_add: {
            let w = u.scope(Resource::Persons, Action::Write);
            w.is_all() || !w.district_codes().is_empty()
        },
        pager,
    })
}

/// Matches past which a search by masked number or 尾号 reads "more than".
const FRAGMENT_CAP: i64 = 1_000;

/// The persons in reach whose number ends (and, for a masked number, begins) as `fragment`
/// says, in id order, up to one more than [`FRAGMENT_CAP`]: found by the tail hash, then
/// checked on the decrypted numbers (which also rules out a hash collision).
async fn by_fragment(
    app: &App,
    scope: &Scope,
    mut f: PersonFilter,
    fragment: &NumberQuery,
) -> Result<Vec<Person>, UiError> {
    let (head, tail) = match fragment {
        NumberQuery::Masked { head, tail } => (head.as_str(), tail.as_str()),
        NumberQuery::Tail(tail) => ("", tail.as_str()),
        NumberQuery::Whole(n) => (n.as_str(), n.as_str()),
    };
    f.id_tail = Some(tail.to_string());
    let mut found = Vec::new();
    let mut after = None;
    // Pages of candidates until enough match: a masked number's head rules out some.
    loop {
        let page = registry::persons(app, scope, &f, PageAt { after, limit: 500 }).await?;
        let last = page.last().map(|p| p.id);
        let full = page.len() == 500;
        found.extend(page.into_iter().filter(|p| p.id_number.starts_with(head) && p.id_number.ends_with(tail)));
        if !full || found.len() as i64 > FRAGMENT_CAP {
            break;
        }
        after = last;
    }
    found.truncate(FRAGMENT_CAP as usize + 1);
    Ok(found)
}

pub fn district_choices(app: &App, l: Lang, reach: &PersonReach, selected: Option<&str>) -> Vec<Choice> {
    app.policy
        .districts
        .iter()
        .filter(|d| reach.all || reach.districts.contains(&d.code))
        .map(|d| Choice {
            value: d.code.clone(),
            label: l.t(&d.name_zh, &d.name_en).to_string(),
            selected: selected.is_some_and(|s| s == d.code || s == d.name_zh),
        })
        .collect()
}

pub fn level_choices(app: &App, l: Lang, selected: Option<&str>) -> Vec<Choice> {
    (1..=8u8)
        .filter_map(Level::new)
        .map(|lv| Choice {
            value: lv.rank().to_string(),
            label: format!("{} {}", lv.rank(), l.t(app.policy.ladder.name_zh(lv), app.policy.ladder.name_en(lv))),
            selected: selected == Some(lv.rank().to_string().as_str()),
        })
        .collect()
}

/// `GET /persons/export.xlsx?…`: every person the search finds, as a workbook.
pub async fn export(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Query(q): Query<SearchQuery>,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::Persons, Action::Read)?;
    let scope = u.scope(Resource::Persons, Action::Read);
    let reach = PersonReach::of(&app, &scope).await?;
    let f = filter_of(&app, &reach, &q)?;
    let title = l.t("人员查询结果", "Persons").to_string();
    super::exports::persons_workbook(&app, l, &title, |after, limit| {
        let app = app.clone();
        let f = f.clone();
        let scope = scope.clone();
        async move { Ok(registry::persons(&app, &scope, &f, PageAt { after, limit }).await?) }
    })
    .await
}

/// One entry of the level history as the timeline shows it.
pub struct LevelItem {
    pub when: String,
    pub level: String,
    pub occupation: String,
    pub trade: String,
    pub source: String,
    pub certificate_no: String,
    pub revoked: Option<String>,
    /// An appointment's term (聘期), shown instead of a revocation: the level counts until it ends.
    pub term: Option<String>,
}

pub struct CertificateItem {
    pub number: String,
    pub level: String,
    pub occupation: String,
    pub institution: String,
    pub issued_on: String,
    pub status: String,
    pub status_class: &'static str,
    pub public_href: String,
    pub pdf_href: Option<String>,
    pub credential_href: Option<String>,
}

pub struct SpellItem {
    pub employer: String,
    pub from: String,
    pub to: String,
    pub occupation: String,
}

/// One qualifying rule and how the person fares against each of its conditions.
pub struct RuleLine {
    pub text: String,
    pub met: bool,
    /// When it is (or, by waiting, will be) met.
    pub met_on: String,
    pub conditions: Vec<ConditionLine>,
}

pub struct ConditionLine {
    pub reason: String,
    pub met: bool,
    pub met_on: String,
    /// Met only provisionally: a reviewer must confirm (待人工核实).
    pub needs_review: bool,
}

/// One education record on the person page.
pub struct EducationItem {
    pub education: String,
    pub major: String,
    /// "2019-07-01 毕业" or "在读，预计 2026-07-01 毕业".
    pub when: String,
}

/// One professional title on the person page.
pub struct TitleItem {
    pub title: String,
    pub series: String,
    pub grade: String,
    pub obtained_on: String,
}

/// The pathway in one occupation: the level held, the levels open now, and the next one.
pub struct OccupationPath {
    /// "6-31-01-03 电工".
    pub occupation: String,
    /// The level held there, or empty.
    pub current: String,
    pub may_apply: Vec<OpenLevel>,
    /// The lowest level not yet open, with every rule.
    pub next: Option<Pathway>,
}

/// A level the person may apply for now.
pub struct OpenLevel {
    pub target: String,
    pub summary: String,
    /// Rests on an inference or needs review: shown as 待人工核实.
    pub inferred: bool,
}

/// A level and what stands between the person and it.
pub struct Pathway {
    pub target: String,
    pub summary: String,
    pub earliest: Option<String>,
    pub rules: Vec<RuleLine>,
    pub notes: Vec<String>,
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    c: Chrome,
    l: Lang,
    row: PersonRow,
    work_start: String,
    education: String,
    levels: Vec<LevelItem>,
    certificates: Vec<CertificateItem>,
    spells: Vec<SpellItem>,
    schooling: Vec<EducationItem>,
    titles: Vec<TitleItem>,
    pathways: Vec<OccupationPath>,
    pathway_problem: Option<String>,
    /// Competitions entered (以赛代评): the event, the entry and, once published, the standing.
    entries: Vec<super::competitions::PersonEntryItem>,
    own: bool,
    corrections: super::corrections::CorrectionsView,
    /// The fields a person may ask to correct (code, label), for their own page's form.
    correction_fields: Vec<(&'static str, String)>,
    /// `/persons/{id}/edit` for a district or city officer whose reach includes the person.
    edit_href: Option<String>,
}

/// The person a path names, if the reader reaches them; 404 otherwise, whether they exist or
/// not (nothing is disclosed about records outside one's reach).
async fn person_in_reach(app: &App, u: &SignedIn, key: &str) -> Result<Person, UiError> {
    let id = params::uuid("public_id", key)?;
    persons::by_public_id(&app.db, &u.scope(Resource::Persons, Action::Read), id)
        .await?
        .ok_or_else(|| UiError::not_found("无此人员", "no such person"))
}

/// `GET /persons/{public_id}`.
pub async fn show(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Path(key): Path<String>,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::Persons, Action::Read)?;
    let p = person_in_reach(&app, u, &key).await?;
    let history = levels::history(&app.db, &u.scope(Resource::Levels, Action::Read), p.id).await?;
    let spells = employment::for_person(&app.db, &u.scope(Resource::Persons, Action::Read), p.id).await?;
    let certs = worklist::certificates_of(&app.db, p.id).await?;
    let own = u.scope(Resource::Persons, Action::Read).person_ids().contains(&p.id);
    let cert_scope = u.scope(Resource::Certificates, Action::Read);
    let pdf_scope = u.scope(Resource::Certificates, Action::ReadPersonalData);
    let person_target = gongjiang_domain::access::Target {
        districts: p.district_code.iter().cloned().collect(),
        organisations: Default::default(),
        person: Some(p.id),
    };
    let may_credential = cert_scope.admits(&person_target);
    let may_pdf = pdf_scope.admits(&person_target);
    let write = u.scope(Resource::Persons, Action::Write);
    let edit_href = ((write.is_all() || !write.district_codes().is_empty()) && write.admits(&person_target))
        .then(|| format!("/persons/{}/edit", p.public_id));

    let levels = history
        .into_iter()
        .rev()
        .map(|h| LevelItem {
            when: iso(h.obtained_on),
            level: super::layout::level_name(&app, l, h.level),
            occupation: format!(
                "{} {}",
                h.occupation_code,
                occupation_label(&app, &h.occupation_code).name_zh.unwrap_or_default()
            ),
            trade: h.trade,
            source: LevelSource::parse(&h.source).map(|s| l.t(s.zh(), s.en()).to_string()).unwrap_or(h.source),
            certificate_no: h.certificate_no.unwrap_or_default(),
            // An appointment's term is not a revocation: it says until when the level counts.
            term: h.revoked_on.zip(h.revoked_reason.as_deref()).and_then(|(d, r)| {
                r.starts_with(gongjiang_store::certificates::TERM_ENDED).then(|| {
                    let lead = if d <= app.today() {
                        l.t("聘期已届满，自此不再计入", "term over, not counted from")
                    } else {
                        l.t("聘期届满后不再计入，自", "counted until its term ends, not from")
                    };
                    format!("{lead} {} · {r}", iso(d))
                })
            }),
            revoked: h
                .revoked_on
                .filter(|_| {
                    !h.revoked_reason
                        .as_deref()
                        .is_some_and(|r| r.starts_with(gongjiang_store::certificates::TERM_ENDED))
                })
                .map(|d| {
                    format!(
                        "{} {}{}",
                        l.t("已撤销", "revoked"),
                        iso(d),
                        h.revoked_reason.clone().map(|r| format!(" · {r}")).unwrap_or_default()
                    )
                }),
        })
        .collect();
    let certificates = certs
        .into_iter()
        .map(|c| CertificateItem {
            public_href: format!("/v/{}", c.public_id),
            pdf_href: may_pdf.then(|| format!("/certificates/{}/pdf", c.public_id)),
            credential_href: (may_credential && c.signed)
                .then(|| format!("/certificates/{}/credential.json", c.public_id)),
            status_class: match c.status.as_str() {
                "valid" => "ok",
                "suspended" => "warn",
                _ => "bad",
            },
            status: match c.status.as_str() {
                "valid" => l.t("有效", "valid"),
                "suspended" => l.t("已暂停", "suspended"),
                _ => l.t("已撤销", "revoked"),
            }
            .to_string(),
            number: c.number,
            level: c.level_text,
            occupation: format!("{} {}", c.occupation_code, c.occupation_name),
            institution: c.institution_name,
            issued_on: iso(c.issue_date),
        })
        .collect();
    let spells = spells
        .into_iter()
        .rev()
        .map(|s| SpellItem {
            employer: s.employer_name,
            from: iso(s.start_on),
            to: s.end_on.map(iso).unwrap_or_else(|| l.t("至今", "now").into()),
            occupation: s.occupation_code.unwrap_or_default(),
        })
        .collect();
    let entries = super::competitions::person_entries(&app, l, p.id).await?;
    let (pathways, pathway_problem) = match pathways(&app, l, &p).await {
        Ok(p) => (p, None),
        Err(m) => (Vec::new(), Some(l.msg(&m).to_string())),
    };
    let corrections = super::corrections::for_person(&app, u, l, &p).await?;
    let (schooling, titles) = schooling_and_titles(&app, l, p.id).await?;
    let work_start = opt_iso(p.work_start);
    let education = p
        .education
        .as_deref()
        .and_then(gongjiang_domain::registry::Education::parse)
        .map(|e| l.t(e.zh(), e.en()).to_string())
        .unwrap_or_default();
    render(&PersonPage {
        c: Chrome::new(l, &viewer, if own { "me" } else { "persons" }),
        l,
        row: person_row(&app, l, p),
        work_start,
        education,
        levels,
        certificates,
        spells,
        schooling,
        titles,
        pathways,
        pathway_problem,
        entries,
        own,
        corrections,
        correction_fields: gongjiang_app::personal_data::FIELDS
            .iter()
            .map(|(f, _)| (*f, super::corrections::field_label(l, f)))
            .collect(),
        edit_href,
    })
}

/// The person's education records and professional titles, as the page lists them.
async fn schooling_and_titles(
    app: &App,
    l: Lang,
    person_id: i64,
) -> Result<(Vec<EducationItem>, Vec<TitleItem>), UiError> {
    use gongjiang_domain::eligibility::TitleGrade;
    use gongjiang_domain::registry::{Education, TitleSeries};
    let education = gongjiang_store::schooling::education_of(&app.db, person_id)
        .await?
        .into_iter()
        .map(|e| EducationItem {
            education: Education::parse(&e.education).map(|x| l.t(x.zh(), x.en()).to_string()).unwrap_or(e.education),
            major: e.major,
            when: match (e.graduated_on, e.expected_graduation_on) {
                (Some(g), _) => format!("{} {}", iso(g), l.t("毕业", "graduated")),
                (None, Some(x)) => format!("{} {}", l.t("在读，预计毕业", "student, expected to graduate"), iso(x)),
                (None, None) => String::new(),
            },
        })
        .collect();
    let titles = gongjiang_store::schooling::titles_of(&app.db, person_id)
        .await?
        .into_iter()
        .map(|t| TitleItem {
            series: TitleSeries::parse(&t.series).map(|x| l.t(x.zh(), x.en()).to_string()).unwrap_or(t.series),
            grade: TitleGrade::parse(&t.grade).map(|g| l.t(g.short_zh(), g.en()).to_string()).unwrap_or(t.grade),
            title: t.title,
            obtained_on: iso(t.obtained_on),
        })
        .collect();
    Ok((education, titles))
}

/// Per occupation the person holds a level in or works in: the levels open now and the next
/// one, as of today (`candidate::pathway_for`).
async fn pathways(app: &App, l: Lang, p: &Person) -> Result<Vec<OccupationPath>, Msg> {
    let paths = match gongjiang_app::candidate::pathway_for(app, p, app.today()).await {
        Ok(paths) => paths,
        Err(gongjiang_app::AppError::Invalid(m) | gongjiang_app::AppError::NotFound(m)) => return Err(m),
        Err(e) => {
            tracing::error!(error = %e, "pathway");
            return Err(Msg::new("暂时无法判断", "cannot decide right now"));
        }
    };
    Ok(paths
        .into_iter()
        .map(|o| OccupationPath {
            occupation: format!(
                "{} {}",
                o.occupation,
                occupation_label(app, &o.occupation).name_zh.unwrap_or_default()
            ),
            current: o.current.map(|c| super::layout::level_name(app, l, i16::from(c.rank()))).unwrap_or_default(),
            may_apply: o
                .may_apply
                .iter()
                .map(|d| OpenLevel {
                    target: l.msg(&d.target_name).to_string(),
                    summary: l.msg(&d.summary()).to_string(),
                    inferred: d.inferred,
                })
                .collect(),
            next: o.next.as_ref().map(|d| decision_view(l, d)),
        })
        .collect())
}

/// A decision with every rule, as the page shows it.
fn decision_view(l: Lang, d: &gongjiang_domain::eligibility::Decision) -> Pathway {
    let rules = d
        .rules
        .iter()
        .map(|r| RuleLine {
            text: l.t(&r.text_zh, &r.text_en).to_string(),
            met: r.met,
            met_on: r.met_on.map(iso).unwrap_or_default(),
            conditions: r
                .conditions
                .iter()
                .map(|c| ConditionLine {
                    reason: l.msg(&c.reason).to_string(),
                    met: c.met,
                    met_on: c.met_on.map(iso).unwrap_or_default(),
                    needs_review: c.needs_review,
                })
                .collect(),
        })
        .collect();
    Pathway {
        target: l.msg(&d.target_name).to_string(),
        summary: l.msg(&d.summary()).to_string(),
        earliest: d.earliest_eligible_on.map(iso),
        rules,
        notes: d.notes.iter().map(|n| l.msg(n).to_string()).collect(),
    }
}

/// `GET /certificates/{public_id}/credential.json`: the signed credential, for its holder and
/// those who may read the certificate.
pub async fn credential(State(app): State<App>, viewer: Viewer, Path(key): Path<String>) -> Result<Response, UiError> {
    let (c, _) = certificate_for(&app, &viewer, &key, Action::Read).await?;
    let Some(doc) = c.credential else {
        return Err(UiError::not_found("该证书尚未签发电子证书", "this certificate has no signed credential yet"));
    };
    let name = format!("{}.json", c.number);
    Ok(super::exports::download(doc.into_bytes(), "application/json", &name, &name))
}

/// `GET /certificates/{public_id}/pdf`: the certificate PDF (with the full identity number) for
/// those who may read the certificate's personal data.
pub async fn pdf(State(app): State<App>, viewer: Viewer, Path(key): Path<String>) -> Result<Response, UiError> {
    let (c, _) = certificate_for(&app, &viewer, &key, Action::ReadPersonalData).await?;
    let url = match &app.credentials {
        Some(issuing) => issuing.verification_url(c.public_id),
        None => format!("{}/v/{}", gongjiang_app::credentials::DEFAULT_PUBLIC_URL, c.public_id),
    };
    let name = format!("{}.pdf", c.number);
    let bytes = tokio::task::spawn_blocking(move || gongjiang_app::credentials::certificate_pdf(&c, &url))
        .await
        .map_err(UiError::internal)??;
    Ok(super::exports::download(bytes, "application/pdf", &name, &name))
}

/// A certificate, if the reader may `action` it (its holder, or the issuing institution, or
/// the holder's district, or the city).
async fn certificate_for(
    app: &App,
    viewer: &Viewer,
    key: &str,
    action: Action,
) -> Result<(gongjiang_store::certificates::Certificate, ()), UiError> {
    let u = viewer.require(Resource::Certificates, Action::Read)?;
    let id = params::uuid("public_id", key)?;
    let c = gongjiang_store::certificates::by_public_id(&app.db, id)
        .await?
        .ok_or_else(|| UiError::not_found("无此证书", "no such certificate"))?;
    let target = crate::auth::certificate_target(app, &c).await?;
    if !u.permissions.allows(Resource::Certificates, action, &target) {
        return Err(UiError::forbidden());
    }
    Ok((c, ()))
}
