//! `/organisations`: find organisations (name, credit code, district, kind), keyset-paged; one
//! organisation's page with a link to its staff. A district administrator sees their districts',
//! an organisation's users their own.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use gongjiang_app::App;
use gongjiang_app::registry::{self, OrgFilter, Organisation, PageAt};
use gongjiang_domain::access::{Action, Resource};
use gongjiang_domain::registry::OrgKind;
use gongjiang_store::organisations;
use gongjiang_store::worklist;
use serde::Deserialize;

use super::error::UiError;
use super::gate::Viewer;
use super::i18n::Lang;
use super::layout::{Chrome, render, urlencode};
use super::persons::{Choice, PersonReach, district_choices};
use crate::extract::{Path, Query};
use crate::paging::{self, Listing};
use crate::params::{self, given};

pub struct OrgRow {
    pub href: String,
    pub name: String,
    pub uscc: String,
    pub kind: String,
    pub district: String,
    pub industry: String,
}

fn row(app: &App, l: Lang, o: Organisation) -> OrgRow {
    OrgRow {
        href: format!("/organisations/{}", o.public_id),
        kind: OrgKind::parse(&o.kind).map(|k| l.t(k.zh(), k.en()).to_string()).unwrap_or(o.kind),
        district: app
            .policy
            .district(&o.district_code)
            .map(|d| l.t(&d.name_zh, &d.name_en).to_string())
            .unwrap_or(o.district_code),
        industry: o
            .industry
            .as_deref()
            .and_then(|i| app.policy.industry(i))
            .map(|i| l.t(&i.name_zh, &i.name_en).to_string())
            .unwrap_or_default(),
        name: o.name,
        uscc: o.uscc,
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct OrgQuery {
    name: Option<String>,
    uscc: Option<String>,
    district: Option<String>,
    kind: Option<String>,
    after: Option<String>,
    size: Option<usize>,
    page: Option<usize>,
}

impl OrgQuery {
    /// The filters and the page size, for the next page's link.
    fn filters(&self) -> String {
        let f = self.search_filters();
        match self.size {
            Some(n) if f.is_empty() => format!("size={n}"),
            Some(n) => format!("{f}&size={n}"),
            None => f,
        }
    }

    fn search_filters(&self) -> String {
        [("name", &self.name), ("uscc", &self.uscc), ("district", &self.district), ("kind", &self.kind)]
            .iter()
            .filter_map(|(k, v)| given(v).map(|v| format!("{k}={}", urlencode(v))))
            .collect::<Vec<_>>()
            .join("&")
    }
}

#[derive(Template)]
#[template(path = "organisations.html")]
struct ListPage {
    c: Chrome,
    l: Lang,
    name: String,
    uscc: String,
    districts: Vec<Choice>,
    kinds: Vec<Choice>,
    rows: Vec<OrgRow>,
    next_href: Option<String>,
    first_href: Option<String>,
    /// A district or city officer may register organisations.
    may_add: bool,
    /// How many the search finds (“超过 100,000” past the count's cap).
    total: String,
    pager: super::pager::Pager,
}

/// `GET /organisations`.
pub async fn list(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Query(q): Query<OrgQuery>,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::Organisations, Action::Read)?;
    let scope = u.scope(Resource::Organisations, Action::Read);
    let reach = PersonReach::of(&app, &scope).await?;
    let after = super::layout::cursor(Listing::Organisations, &q.after)?;
    let district = given(&q.district).map(|s| params::district(&app.policy, "district", s)).transpose()?;
    let mut total = None;
    let size = super::pager::size(q.size);
    let mut found = if let Some(uscc) = given(&q.uscc) {
        organisations::by_uscc(&app.db, &scope, &uscc.trim().to_ascii_uppercase()).await?.into_iter().collect()
    } else if !reach.all && reach.districts.is_empty() {
        // One's own organisations only.
        let ids: Vec<i64> = reach.organisations.iter().map(|(id, _, _)| *id).collect();
        let mut v = Vec::new();
        for (_, uscc, _, _) in worklist::organisation_names(&app.db, &ids).await? {
            v.extend(organisations::by_uscc(&app.db, &scope, &uscc).await?);
        }
        v
    } else {
        let district = match (&district, reach.all) {
            (Some(d), _) => Some(d.clone()),
            (None, true) => None,
            (None, false) => reach.districts.first().cloned(),
        };
        if !reach.all && district.as_ref().is_some_and(|d| !reach.districts.contains(d)) {
            return Err(UiError::forbidden());
        }
        let cap = registry::COUNT_CAP;
        match given(&q.name) {
            Some(n) => {
                let f = OrgFilter { district_code: district.clone(), ..OrgFilter::default() };
                total = Some(organisations::count_matching(&app.db, &scope, &f, Some(n), cap).await?);
                worklist::organisations_named(&app.db, &scope, n, district.as_deref(), after, size + 1).await?
            }
            None => {
                let f = OrgFilter { district_code: district, industry: None, kind: given(&q.kind).map(str::to_string) };
                total = Some(organisations::count_matching(&app.db, &scope, &f, None, cap).await?);
                registry::organisations(&app, &scope, &f, PageAt { after, limit: size + 1 }).await?
            }
        }
    };
    let pager = super::pager::pager("/organisations", &q.search_filters(), size, q.page, total, registry::COUNT_CAP);
    let total = match total {
        Some(n) if n >= registry::COUNT_CAP => {
            format!("{} {}", l.t("超过", "more than"), super::layout::int(registry::COUNT_CAP))
        }
        Some(n) => super::layout::int(n),
        None => found.len().to_string(),
    };
    let more = found.len() as i64 > size;
    found.truncate(size as usize);
    let filters = q.filters();
    let sep = if filters.is_empty() { "" } else { "&" };
    let next_href = more
        .then(|| {
            found.last().map(|o| {
                let cursor = paging::encode(Listing::Organisations, o.id);
                format!("/organisations?{filters}{sep}after={cursor}&page={}", q.page.unwrap_or(1) + 1)
            })
        })
        .flatten();
    let kinds = OrgKind::ALL
        .iter()
        .map(|k| Choice {
            value: k.code().to_string(),
            label: l.t(k.zh(), k.en()).to_string(),
            selected: given(&q.kind) == Some(k.code()),
        })
        .collect();
    render(&ListPage {
        c: Chrome::new(l, &viewer, "organisations"),
        l,
        name: given(&q.name).unwrap_or_default().to_string(),
        uscc: given(&q.uscc).unwrap_or_default().to_string(),
        districts: district_choices(&app, l, &reach, given(&q.district)),
        kinds,
        rows: found.into_iter().map(|o| row(&app, l, o)).collect(),
        next_href,
        first_href: after.map(|_| format!("/organisations?{filters}")),
        may_add: {
            let w = u.scope(Resource::Organisations, Action::Write);
            w.is_all() || !w.district_codes().is_empty()
        },
        total,
        pager,
    })
}

#[derive(Template)]
#[template(path = "organisation.html")]
struct ShowPage {
    c: Chrome,
    l: Lang,
    o: OrgRow,
    chains: Vec<String>,
    staff_href: Option<String>,
    edit_href: Option<String>,
}

/// `GET /organisations/{public_id}`.
pub async fn show(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Path(key): Path<String>,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::Organisations, Action::Read)?;
    let id = params::uuid("public_id", &key)?;
    let scope = u.scope(Resource::Organisations, Action::Read);
    let Some(o) = organisations::by_public_id(&app.db, &scope, id).await? else {
        return Err(UiError::not_found("没有这个单位", "no such organisation"));
    };
    let target = gongjiang_domain::access::Target {
        districts: [o.district_code.clone()].into_iter().collect(),
        organisations: [o.id].into_iter().collect(),
        person: None,
    };
    let persons_scope = u.scope(Resource::Persons, Action::Read);
    let staff_href = persons_scope.admits(&target).then(|| format!("/persons?employer={}", o.uscc));
    let write = u.scope(Resource::Organisations, Action::Write);
    let edit_href = ((write.is_all() || !write.district_codes().is_empty()) && write.admits(&target))
        .then(|| format!("/organisations/{}/edit", o.public_id));
    let chains = organisations::chains_of(&app.db, &o.uscc)
        .await?
        .into_iter()
        .map(|c| app.policy.industrial_chain(&c).map(|x| l.t(&x.name_zh, &x.name_en).to_string()).unwrap_or(c))
        .collect();
    render(&ShowPage {
        c: Chrome::new(l, &viewer, "organisations"),
        l,
        o: row(&app, l, o),
        chains,
        staff_href,
        edit_href,
    })
}
