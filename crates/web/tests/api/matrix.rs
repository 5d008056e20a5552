//! The authorization matrix: every route the server serves × every kind of role (and anonymous)
//! × a record of their own and one of someone else's, over real HTTP, compared with what the
//! access algebra (`Permissions::allows`) says. The expectations come from the algebra and from
//! the records' data read back with `Scope::all()`; the answers from the server, whose filters
//! are the store's SQL. One table, [`MATRIX`], names every route: a route the server serves but
//! the table lacks fails the test, so a new endpoint cannot be added without deciding who may
//! call it.

use std::collections::{BTreeSet, HashMap};

use gongjiang_domain::access::{Action, Permissions, Resource, Role, Target};
use gongjiang_domain::records::NewPerson;
use gongjiang_domain::registry::{Education, EmploymentStatus, IdType};
use gongjiang_store::{applications, certificates, institutions, organisations, persons, sessions};
use gongjiang_testkit::TestDb;
use serde_json::{Value, json};

use crate::support::{Reply, Server, employer_a, employer_b, school, spawn_with};
use crate::users::{Signed, sign_in, user};

/// What a record of the matrix is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Person,
    Organisation,
    Session,
    Certificate,
    /// A demand report, addressed by reporter, district, period, occupation and level.
    Demand,
    /// A competition (its code; its event `E1`), belonging to the organisation that created it.
    Competition,
}

/// Who may call a route.
#[derive(Debug, Clone, Copy)]
enum Rule {
    /// Anyone, signed in or not (verification, reference data, pages).
    Public,
    /// Signing in: anyone with a password.
    SignIn,
    /// Any signed-in caller.
    SignedIn,
    /// Signing out: a cookie session.
    SignOut,
    /// One record, addressed by the path or the body: allowed iff the caller's permission for
    /// (resource, action) admits the record. Denied as 404 when `hidden` (the record's existence is
    /// not confirmed), 403 otherwise.
    Record { kind: Kind, resource: Resource, action: Action, hidden: bool },
    /// A listing: 403 without any scope for (resource, action); else exactly the records it
    /// admits — the own record present, the other's absent, nothing outside the scope.
    List { kind: Kind, resource: Resource, action: Action },
    /// The persons behind a KPI figure: needs KPI read; lists persons as `List` does.
    KpiPersons,
    /// Figures: 403 without any KPI read scope; rows of districts outside the scope are absent.
    Aggregate,
    /// Demand reports: 403 without imports-write; rows for an organisation in scope are kept,
    /// others rejected.
    Submit,
    /// The audit trail: city-wide audit read only.
    CityWide,
    /// The caller's own person (`/api/v1/me/…`): the person a worker role names; 404 for a
    /// signed-in caller whose roles name none.
    Own,
    /// An action on one record, called with an empty JSON object: a caller the permission admits
    /// gets past authorization (any answer but 401, 403 or 404 — a 400 for the missing fields,
    /// say); the others are refused as `Record { hidden: true }` is.
    Guarded { kind: Kind, resource: Resource, action: Action },
    /// Creating a record of one's own: any scope for (resource, action) gets past authorization
    /// (called with an empty JSON object); none is 403.
    AnyScope { resource: Resource, action: Action },
}

struct Row {
    method: &'static str,
    path: &'static str,
    rule: Rule,
}

const fn row(method: &'static str, path: &'static str, rule: Rule) -> Row {
    Row { method, path, rule }
}

use Action::{Read, ReadPersonalData, Write};
use Kind::{Certificate, Competition, Demand, Organisation, Person, Session};
use Resource::{Certificates, Competitions, EvaluationSessions, Organisations, Persons};

const RUN_COMPETITION: Rule = Rule::Guarded { kind: Competition, resource: Competitions, action: Write };

/// Every route: method, path as the OpenAPI document (or `page_routes`) writes it, and who may
/// call it.
const MATRIX: &[Row] = &[
    row("GET", "/api/v1/organisations", Rule::List { kind: Organisation, resource: Organisations, action: Read }),
    row(
        "GET",
        "/api/v1/organisations/{key}",
        Rule::Record { kind: Organisation, resource: Organisations, action: Read, hidden: true },
    ),
    row("GET", "/api/v1/persons", Rule::List { kind: Person, resource: Persons, action: Read }),
    row(
        "GET",
        "/api/v1/persons/{public_id}",
        Rule::Record { kind: Person, resource: Persons, action: Read, hidden: true },
    ),
    row(
        "GET",
        "/api/v1/persons/{public_id}/eligibility",
        Rule::Record { kind: Person, resource: Persons, action: Read, hidden: true },
    ),
    row("GET", "/api/v1/occupations", Rule::Public),
    row("GET", "/api/v1/occupations/{code}", Rule::Public),
    row("GET", "/api/v1/platforms", Rule::Public),
    row("GET", "/api/v1/policy", Rule::Public),
    row("GET", "/api/v1/policy/districts", Rule::Public),
    row("GET", "/api/v1/kpi", Rule::Aggregate),
    row("GET", "/api/v1/kpi/series", Rule::Aggregate),
    row("GET", "/api/v1/kpi/projection", Rule::Aggregate),
    row("GET", "/api/v1/kpi/persons", Rule::KpiPersons),
    row("GET", "/api/v1/demand", Rule::List { kind: Demand, resource: Organisations, action: Read }),
    row("POST", "/api/v1/demand", Rule::Submit),
    row("GET", "/api/v1/supply-gap", Rule::Aggregate),
    row("GET", "/api/v1/supply-gap/forecast", Rule::Aggregate),
    row("GET", "/api/v1/institutions", Rule::Public),
    row("GET", "/api/v1/institutions/{public_id}", Rule::Public),
    row(
        "GET",
        "/api/v1/sessions/{public_id}",
        Rule::Record { kind: Session, resource: EvaluationSessions, action: Read, hidden: true },
    ),
    row("GET", "/api/v1/health", Rule::Public),
    row("POST", "/api/v1/session", Rule::SignIn),
    row("GET", "/api/v1/session", Rule::SignedIn),
    row("DELETE", "/api/v1/session", Rule::SignOut),
    row("GET", "/api/v1/audit", Rule::CityWide),
    row("GET", "/api/v1/me/data", Rule::Own),
    row("GET", "/api/v1/me/benefits", Rule::Own),
    row("POST", "/api/v1/me/corrections", Rule::Own),
    row("GET", "/api/v1/certificates/verify", Rule::Public),
    row(
        "GET",
        "/api/v1/certificates/{public_id}/pdf",
        Rule::Record { kind: Certificate, resource: Certificates, action: ReadPersonalData, hidden: true },
    ),
    row("POST", "/credentials/verify", Rule::Public),
    row(
        "POST",
        "/credentials/issue",
        Rule::Record { kind: Certificate, resource: Certificates, action: Write, hidden: true },
    ),
    row(
        "POST",
        "/credentials/status",
        Rule::Record { kind: Certificate, resource: Certificates, action: Write, hidden: true },
    ),
    row("GET", "/credentials/status/{purpose}", Rule::Public),
    row("GET", "/.well-known/did.json", Rule::Public),
    row("GET", "/api/openapi.json", Rule::Public),
    row("GET", "/api/docs", Rule::Public),
    row("GET", "/api/v1/competitions", Rule::Public),
    row("POST", "/api/v1/competitions", Rule::AnyScope { resource: Competitions, action: Write }),
    row("GET", "/api/v1/competitions/{code}/events/{event}", Rule::Public),
    row("GET", "/api/v1/competitions/{code}/events/{event}/standings", RUN_COMPETITION),
    row("POST", "/api/v1/competitions/{code}/events", RUN_COMPETITION),
    row("POST", "/api/v1/competitions/{code}/events/{event}/scheme", RUN_COMPETITION),
    row("POST", "/api/v1/competitions/{code}/events/{event}/judges", RUN_COMPETITION),
    row("POST", "/api/v1/competitions/{code}/events/{event}/entries", RUN_COMPETITION),
    row("POST", "/api/v1/competitions/{code}/events/{event}/sign-off", RUN_COMPETITION),
    row("POST", "/api/v1/competitions/{code}/events/{event}/publish", RUN_COMPETITION),
    row("GET", "/verify", Rule::Public),
    row("GET", "/v/{public_id}", Rule::Public),
];

#[test]
fn the_matrix_names_every_route_the_server_serves() {
    let mut served = BTreeSet::new();
    let doc = serde_json::to_value(gongjiang_web::openapi()).expect("the document as JSON");
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("a path item").keys() {
            served.insert((method.to_uppercase(), path.clone()));
        }
    }
    for path in gongjiang_web::page_routes() {
        served.insert(("GET".to_string(), path.to_string()));
    }
    let table: BTreeSet<(String, String)> = MATRIX.iter().map(|r| (r.method.to_string(), r.path.to_string())).collect();
    assert_eq!(table.len(), MATRIX.len(), "a route is in the matrix twice");
    let missing: Vec<_> = served.difference(&table).collect();
    assert!(missing.is_empty(), "routes the server serves but the authorization matrix does not name: {missing:?}");
    let stale: Vec<_> = table.difference(&served).collect();
    assert!(stale.is_empty(), "matrix rows for routes the server does not serve: {stale:?}");
}

/// One record and what it belongs to, computed from its data.
#[derive(Debug, Clone)]
struct Rec {
    /// How routes address it: public id, or credit code for organisations.
    key: String,
    target: Target,
    /// A certificate's number (for issuing).
    number: String,
}

/// The records of every kind, with their targets as docs/SECURITY.md §5 defines them.
struct World {
    records: HashMap<&'static str, Vec<Rec>>,
    /// A certificate's number and holder, for public verification.
    verify: (String, String),
    institution: String,
}

impl World {
    fn of(&self, kind: Kind) -> &[Rec] {
        let k = match kind {
            Person => "persons",
            Organisation => "organisations",
            Session => "sessions",
            Certificate => "certificates",
            Demand => "demand",
            Competition => "competitions",
        };
        &self.records[k]
    }
}

/// A person employed by the technician school, so the training-provider and school roles have
/// someone of their own.
fn teacher() -> NewPerson {
    NewPerson {
        id_type: IdType::ResidentId,
        id_number: crate::support::id_number("120102", crate::support::date(1985, 3, 4), 901),
        id_from_15: false,
        name: "学校教师".into(),
        gender: Some("F".into()),
        birth_date: Some(crate::support::date(1985, 3, 4)),
        district_code: Some("120102".into()),
        employer_uscc: Some(school()),
        occupation_code: Some("6-18-01-01".into()),
        education: Some(Education::SeniorSecondary),
        employment_status: Some(EmploymentStatus::Employed),
        work_start: Some(crate::support::date(2006, 9, 1)),
    }
}

async fn build_world(s: &Server) -> World {
    let mut app = s.app.clone();
    let holders = crate::verification::run_session(&mut app).await;
    let db = &s.app.db;
    let all = gongjiang_domain::access::Scope::all();
    let org_ids = organisations::all_ids(db).await.unwrap();
    seed_demand(s, &org_ids).await;
    persons::upsert_batch(db, &[persons::PersonWrite { person: &teacher(), employer_id: Some(org_ids[&school()]) }])
        .await
        .unwrap();
    let orgs = organisations::list(db, &all, &Default::default(), None, 1000).await.unwrap();
    let district_of_org: HashMap<i64, String> = orgs.iter().map(|o| (o.id, o.district_code.clone())).collect();
    let org_rec = orgs
        .iter()
        .map(|o| Rec {
            key: o.uscc.clone(),
            target: Target { districts: [o.district_code.clone()].into(), organisations: [o.id].into(), person: None },
            number: String::new(),
        })
        .collect();

    // Sessions, their institutions' organisations, and who applied to them.
    let certs: Vec<_> = {
        let mut v = Vec::new();
        for (_, number) in &holders {
            v.push(certificates::by_number(db, number).await.unwrap().unwrap());
        }
        v
    };
    let mut session_rec = Vec::new();
    let mut applied: HashMap<i64, BTreeSet<i64>> = HashMap::new();
    let mut seen = BTreeSet::new();
    for c in &certs {
        let sid = c.session_id.expect("a session's certificate");
        if !seen.insert(sid) {
            continue;
        }
        let session = sessions::get(db, sid).await.unwrap().unwrap();
        let inst_org = institutions::get(db, session.institution_id).await.unwrap().unwrap().organisation_id.unwrap();
        for a in applications::for_session(db, sid).await.unwrap() {
            applied.entry(a.person_id).or_default().insert(inst_org);
        }
        session_rec.push(Rec {
            key: session.public_id.to_string(),
            target: Target {
                districts: [district_of_org[&inst_org].clone()].into(),
                organisations: [inst_org].into(),
                person: None,
            },
            number: String::new(),
        });
    }
    let people = persons::list(db, &all, &Default::default(), None, 1000).await.unwrap();
    let mut cert_rec = Vec::new();
    for c in &certs {
        // A certificate belongs to its holder, the holder's registered district and the
        // issuing institution's organisation.
        let inst_org = institutions::get(db, c.institution_id).await.unwrap().unwrap().organisation_id;
        let holder = people.iter().find(|p| p.id == c.person_id).expect("the holder is listed");
        cert_rec.push(Rec {
            key: c.public_id.to_string(),
            target: Target {
                districts: holder.district_code.iter().cloned().collect(),
                organisations: inst_org.into_iter().collect(),
                person: Some(c.person_id),
            },
            number: c.number.clone(),
        });
    }

    let person_rec = people
        .iter()
        .map(|p| {
            let employer = p.employer_uscc.as_ref().map(|u| org_ids[u]);
            let mut districts: BTreeSet<String> = p.district_code.iter().cloned().collect();
            let mut organisations: BTreeSet<i64> = applied.get(&p.id).cloned().unwrap_or_default();
            if let Some(e) = employer {
                districts.insert(district_of_org[&e].clone());
                organisations.insert(e);
            }
            Rec {
                key: p.public_id.to_string(),
                target: Target { districts, organisations, person: Some(p.id) },
                number: String::new(),
            }
        })
        .collect();
    let institution = institutions::list(db).await.unwrap()[0].public_id.to_string();
    World {
        records: HashMap::from([
            ("persons", person_rec),
            ("organisations", org_rec),
            ("sessions", session_rec),
            ("certificates", cert_rec),
            ("demand", demand_records(s, &district_of_org).await),
            ("competitions", competition_records(s, &org_ids).await),
        ]),
        verify: holders[0].clone(),
        institution,
    }
}

/// Three competitions, each with an event `E1`: the city's own, employer A's and employer B's
/// (created by their competition organisers).
async fn competition_records(s: &Server, org_ids: &HashMap<String, i64>) -> Vec<Rec> {
    use gongjiang_app::competition::setup::{CompetitionInput, EventInput, add_event, create};
    let who = gongjiang_app::Actor::cli("test");
    let mut out = Vec::new();
    for (code, org) in
        [("MX-CITY", None), ("MX-A", Some(org_ids[&employer_a()])), ("MX-B", Some(org_ids[&employer_b()]))]
    {
        let input = CompetitionInput {
            code,
            name: "矩阵测试竞赛",
            tier: "district",
            organiser: "测试",
            organisation_id: org,
            starts_on: crate::support::date(2026, 1, 10),
        };
        create(&s.app, &who, &input).await.unwrap();
        let ev = EventInput {
            code: "E1",
            name: "车工",
            occupation: "6-18-01-01",
            level_min: "1",
            level_max: "8",
            team_size: 1,
            occupation_required: false,
        };
        add_event(&s.app, &who, code, &ev).await.unwrap();
        out.push(Rec {
            key: code.to_string(),
            target: Target { districts: Default::default(), organisations: org.into_iter().collect(), person: None },
            number: String::new(),
        });
    }
    out
}

/// Two demand reports through the store: one by employer A (滨海新区), one by employer B (和平区).
async fn seed_demand(s: &Server, org_ids: &HashMap<String, i64>) {
    let rows = json!([
        {"reporter_uscc": employer_a(), "occupation": "6-18-01-01", "level": "高级工", "people": 5, "period": "2026", "district": "120116"},
        {"reporter_uscc": employer_b(), "occupation": "4-04-05-01", "level": "技师", "people": 2, "period": "2026", "district": "120101"},
    ]);
    let report = gongjiang_app::demand::submit(
        &s.app,
        &gongjiang_app::Actor::cli("test"),
        &gongjiang_domain::access::Scope::all(),
        rows.as_array().unwrap(),
    )
    .await
    .expect("demand");
    assert!(report.rejected.is_empty(), "{report:?}");
    assert!(org_ids.contains_key(&employer_a()));
}

fn demand_key(v: &Value) -> String {
    format!(
        "{}/{}/{}/{}/{}",
        v["reporter"]["uscc"].as_str().unwrap_or_default(),
        v["district"]["code"].as_str().unwrap_or_default(),
        v["period"].as_str().unwrap_or_default(),
        v["occupation"]["code"].as_str().unwrap_or_default(),
        v["level"]["rank"]
    )
}

/// Every demand row with its target: the district the demand is in and the reporter's district;
/// the reporter.
async fn demand_records(s: &Server, district_of_org: &HashMap<i64, String>) -> Vec<Rec> {
    let all = gongjiang_domain::access::Scope::all();
    let org_ids = organisations::all_ids(&s.app.db).await.unwrap();
    let rows = gongjiang_store::demand::list(&s.app.db, &all, &Default::default(), None, 1000).await.unwrap();
    rows.into_iter()
        .map(|d| {
            let reporter = org_ids[&d.reporter_uscc];
            let period = if d.quarter == 0 { d.year.to_string() } else { format!("{}Q{}", d.year, d.quarter) };
            Rec {
                key: format!("{}/{}/{}/{}/{}", d.reporter_uscc, d.district_code, period, d.occupation_code, d.level),
                target: Target {
                    districts: [d.district_code.clone(), district_of_org[&reporter].clone()].into(),
                    organisations: [reporter].into(),
                    person: None,
                },
                number: String::new(),
            }
        })
        .collect()
}

/// One caller of the matrix.
struct Caller {
    name: &'static str,
    perms: Permissions,
    session: Option<Signed>,
    /// The person a worker role names.
    person: Option<i64>,
}

impl Caller {
    fn request(&self, s: &Server, method: &str, path: &str, body: Option<&Value>) -> reqwest::RequestBuilder {
        let url = format!("{}{path}", s.base);
        let req = match method {
            "GET" => s.client().get(url),
            "POST" => s.client().post(url),
            "DELETE" => s.client().delete(url),
            other => panic!("no such method {other}"),
        };
        let req = match &self.session {
            Some(me) if method == "GET" => me.without_csrf(req),
            Some(me) => me.with_csrf(req, &me.csrf),
            None => req,
        };
        match body {
            Some(b) => req.json(b),
            None => req,
        }
    }

    async fn call(&self, s: &Server, method: &str, path: &str, body: Option<&Value>) -> Reply {
        s.send(self.request(s, method, path, body)).await
    }
}

/// Makes a user of every role kind (bound to the seeded organisations and a person) and signs
/// each in over HTTP; plus the anonymous caller.
async fn callers(s: &Server) -> Vec<Caller> {
    let db = &s.app.db;
    let org_ids = organisations::all_ids(db).await.unwrap();
    let worker =
        persons::list(db, &gongjiang_domain::access::Scope::all(), &Default::default(), None, 1).await.unwrap()[0].id;
    let roles: Vec<(&'static str, Option<Role>)> = vec![
        ("root", Some(Role::CityAdmin)),
        ("district", Some(Role::DistrictAdmin { districts: ["120116".to_string()].into() })),
        ("hr", Some(Role::EnterpriseHr { organisation: org_ids[&employer_a()] })),
        ("provider", Some(Role::TrainingProvider { organisation: org_ids[&school()] })),
        ("school", Some(Role::School { organisation: org_ids[&school()] })),
        ("institution", Some(Role::EvaluationInstitution { organisation: org_ids[&crate::verification::story_org()] })),
        ("organiser", Some(Role::CompetitionOrganiser { organisation: org_ids[&employer_b()] })),
        ("worker", Some(Role::Worker { person: worker })),
        ("public", Some(Role::Public)),
        ("anonymous", None),
    ];
    let mut out = Vec::new();
    for (name, role) in roles {
        let Some(role) = role else {
            out.push(Caller { name, perms: Permissions::default(), session: None, person: None });
            continue;
        };
        if name != "root" {
            user(&s.app, name, std::slice::from_ref(&role)).await;
        }
        let person = match role {
            Role::Worker { person } => Some(person),
            _ => None,
        };
        let session = Some(sign_in(s, name).await);
        out.push(Caller { name, perms: Permissions::of_roles(&[role]), session, person });
    }
    out
}

fn is_ok(status: u16) -> bool {
    (200..300).contains(&status)
}

/// What a refused call answers: 401 without credentials; 404 for a record hidden from a caller
/// who may read some of its kind; 403 otherwise.
fn refusal(c: &Caller, hidden_from_some: bool) -> u16 {
    if c.session.is_none() {
        401
    } else if hidden_from_some {
        404
    } else {
        403
    }
}

/// The path (and body) that addresses `rec` on `row`.
fn address(row: &Row, rec: &Rec) -> (String, Option<Value>) {
    match row.path {
        "/credentials/issue" => {
            (row.path.to_string(), Some(json!({"credential": {"credentialSubject": {"licenseNumber": rec.number}}})))
        }
        "/credentials/status" => (
            row.path.to_string(),
            Some(json!({"credentialId": format!("urn:uuid:{}", rec.key), "credentialStatus": []})),
        ),
        "/api/v1/persons/{public_id}/eligibility" => (row.path.replace("{public_id}", &rec.key) + "?level=4", None),
        p => (p.replace("{public_id}", &rec.key).replace("{key}", &rec.key), None),
    }
}

fn public_path(row: &Row, w: &World) -> (String, Option<Value>) {
    let cert = &w.of(Certificate)[0].key;
    let path = match row.path {
        "/api/v1/occupations/{code}" => row.path.replace("{code}", "6-18-01-01"),
        "/api/v1/institutions/{public_id}" => row.path.replace("{public_id}", &w.institution),
        "/api/v1/certificates/verify" => format!("{}?number={}&name={}", row.path, w.verify.1, w.verify.0),
        "/credentials/status/{purpose}" => row.path.replace("{purpose}", "revocation"),
        "/v/{public_id}" => row.path.replace("{public_id}", cert),
        "/api/v1/competitions/{code}/events/{event}" => row.path.replace("{code}", "MX-A").replace("{event}", "E1"),
        p => p.to_string(),
    };
    let body = (row.method == "POST").then(|| json!({"verifiableCredential": {}}));
    (path, body)
}

fn listed_keys(kind: Kind, page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|v| match kind {
            Person => v["public_id"].as_str().unwrap_or_default().to_string(),
            Organisation => v["uscc"].as_str().unwrap_or_default().to_string(),
            Demand => demand_key(v),
            other => panic!("no listing of {other:?}"),
        })
        .collect()
}

/// Groups of an aggregate answer.
fn groups(path: &str, v: &Value) -> Vec<String> {
    let list = if path.starts_with("/api/v1/kpi/series") || path.starts_with("/api/v1/kpi/projection") {
        &v["groups"]
    } else {
        &v["rows"]
    };
    list.as_array().expect("rows").iter().map(|r| r["group"].as_str().unwrap_or_default().to_string()).collect()
}

async fn check_row(s: &Server, w: &World, row: &Row, c: &Caller) {
    let b = s.backend;
    let who = format!("[{b}] {} {} as {}", row.method, row.path, c.name);
    match row.rule {
        Rule::Public => {
            let (path, body) = public_path(row, w);
            let r = c.call(s, row.method, &path, body.as_ref()).await;
            assert!(![401, 403].contains(&r.status), "{who}: public, got {} {}", r.status, r.text);
        }
        Rule::SignIn => {
            // Every signed-in caller got here through it; without an account it refuses.
            let body = json!({"username": format!("nobody-{}", c.name), "password": crate::users::PW});
            let r = c.call(s, "POST", row.path, Some(&body)).await;
            assert_eq!(r.status, 401, "{who}: {}", r.text);
        }
        Rule::SignedIn => {
            let r = c.call(s, row.method, row.path, None).await;
            assert_eq!(r.status, if c.session.is_some() { 200 } else { 401 }, "{who}: {}", r.text);
        }
        Rule::SignOut => {
            // A throwaway session, so the caller's own stays for the other rows.
            let (status, expected) = match &c.session {
                Some(_) => {
                    let spare = sign_in(s, if c.name == "root" { "root" } else { c.name }).await;
                    let r = s.send(spare.delete(s, row.path)).await;
                    let after = s.send(spare.get(s, "/api/v1/session")).await;
                    assert_eq!(after.status, 401, "{who}: the session ended");
                    (r.status, 204)
                }
                None => (c.call(s, row.method, row.path, None).await.status, 401),
            };
            assert_eq!(status, expected, "{who}");
        }
        Rule::Record { kind, resource, action, hidden } => {
            let recs = w.of(kind);
            let own = recs.iter().find(|r| c.perms.allows(resource, action, &r.target));
            let other = recs.iter().find(|r| !c.perms.allows(resource, action, &r.target));
            for (whose, rec) in [("own", own), ("other's", other)] {
                let Some(rec) = rec else { continue };
                let expected = c.perms.allows(resource, action, &rec.target);
                let (path, body) = address(row, rec);
                let r = c.call(s, row.method, &path, body.as_ref()).await;
                assert_eq!(is_ok(r.status), expected, "{who} on {whose} record {path}: {} {}", r.status, r.text);
                if !expected {
                    let some = hidden && !c.perms.scope(resource, action).is_none();
                    assert_eq!(r.status, refusal(c, some), "{who} on {whose} record: {}", r.text);
                }
                if expected && row.path == "/api/v1/persons/{public_id}" {
                    let full = c.perms.allows(Persons, ReadPersonalData, &rec.target);
                    let shown = r.json["id_number"].as_str().unwrap_or_default();
                    assert_eq!(!shown.contains('*'), full, "{who}: identity number {shown} (full = {full})");
                }
            }
        }
        Rule::List { kind, resource, action } => {
            let r = c.call(s, row.method, &format!("{}?limit=500", row.path), None).await;
            if c.perms.scope(resource, action).is_none() {
                assert_eq!(r.status, refusal(c, false), "{who}: {}", r.text);
                return;
            }
            assert_eq!(r.status, 200, "{who}: {}", r.text);
            let keys: BTreeSet<String> = listed_keys(kind, &r.json).into_iter().collect();
            let expected: BTreeSet<String> = w
                .of(kind)
                .iter()
                .filter(|rec| c.perms.allows(resource, action, &rec.target))
                .map(|rec| rec.key.clone())
                .collect();
            assert_eq!(keys, expected, "{who}: exactly the records the scope admits");
        }
        Rule::KpiPersons => {
            let path = format!("{}?measure=employed&limit=500", row.path);
            let r = c.call(s, row.method, &path, None).await;
            if c.perms.scope(Resource::Kpi, Read).is_none() || c.perms.scope(Persons, Read).is_none() {
                assert_eq!(r.status, refusal(c, false), "{who}: {}", r.text);
                return;
            }
            assert_eq!(r.status, 200, "{who}: {}", r.text);
            let keys = listed_keys(Person, &r.json);
            assert!(!keys.is_empty(), "{who}: some of their persons are employed");
            for k in keys {
                let rec = w.of(Person).iter().find(|p| p.key == k).expect("a known person");
                assert!(c.perms.allows(Persons, Read, &rec.target), "{who}: {k} is outside the scope");
            }
        }
        Rule::Aggregate => {
            let path = format!("{}?by=district", row.path);
            let r = c.call(s, row.method, &path, None).await;
            let scope = c.perms.scope(Resource::Kpi, Read);
            if scope.is_none() {
                assert_eq!(r.status, refusal(c, false), "{who}: {}", r.text);
                return;
            }
            assert!(is_ok(r.status), "{who}: {} {}", r.status, r.text);
            let shown = groups(row.path, &r.json);
            for g in &shown {
                let visible = scope.is_all() || g == "total" || g == "city" || scope.district_codes().contains(g);
                assert!(visible, "{who}: district row {g} outside the scope");
            }
            if row.path == "/api/v1/kpi" {
                for d in scope.district_codes() {
                    assert!(shown.contains(d), "{who}: their own district {d} is shown");
                }
            }
        }
        Rule::Submit => {
            let scope = c.perms.scope(Resource::Imports, Write);
            let orgs = w.of(Organisation);
            let own = orgs.iter().find(|o| scope.admits(&o.target));
            let other = orgs.iter().find(|o| !scope.admits(&o.target));
            let rows: Vec<Value> = [own, other]
                .iter()
                .flatten()
                .map(|o| {
                    json!({"reporter_uscc": o.key, "occupation": "6-18-01-01", "level": "高级工", "people": 1,
                           "period": "2027", "district": o.target.districts.iter().next().unwrap()})
                })
                .collect();
            let r = c.call(s, row.method, row.path, Some(&json!(rows))).await;
            if scope.is_none() {
                assert_eq!(r.status, refusal(c, false), "{who}: {}", r.text);
                return;
            }
            let rejected: Vec<u64> =
                r.json["rejected"].as_array().expect("rejected").iter().map(|x| x["index"].as_u64().unwrap()).collect();
            let expected: Vec<u64> = [own, other]
                .iter()
                .flatten()
                .enumerate()
                .filter(|(_, o)| !scope.admits(&o.target))
                .map(|(i, _)| i as u64)
                .collect();
            assert_eq!(rejected, expected, "{who}: rows for organisations outside the scope are refused: {}", r.text);
            assert_eq!(r.status, if expected.is_empty() { 200 } else { 422 }, "{who}");
            let kept: u64 = ["inserted", "updated", "unchanged"].iter().map(|k| r.json[*k].as_u64().unwrap()).sum();
            assert_eq!(kept, own.iter().count() as u64, "{who}: the row for their own organisation is kept");
        }
        Rule::Guarded { kind, resource, action } => {
            let recs = w.of(kind);
            let own = recs.iter().find(|r| c.perms.allows(resource, action, &r.target));
            let other = recs.iter().find(|r| !c.perms.allows(resource, action, &r.target));
            for (whose, rec) in [("own", own), ("other's", other)] {
                let Some(rec) = rec else { continue };
                let expected = c.perms.allows(resource, action, &rec.target);
                let path = row.path.replace("{code}", &rec.key).replace("{event}", "E1");
                let body = (row.method == "POST").then(|| json!({}));
                let r = c.call(s, row.method, &path, body.as_ref()).await;
                if expected {
                    assert!(
                        ![401, 403, 404].contains(&r.status),
                        "{who} on {whose} record {path}: {} {}",
                        r.status,
                        r.text
                    );
                } else {
                    let some = !c.perms.scope(resource, action).is_none();
                    assert_eq!(r.status, refusal(c, some), "{who} on {whose} record {path}: {}", r.text);
                }
            }
        }
        Rule::AnyScope { resource, action } => {
            let r = c.call(s, row.method, row.path, Some(&json!({}))).await;
            if c.perms.scope(resource, action).is_none() {
                assert_eq!(r.status, refusal(c, false), "{who}: {}", r.text);
            } else {
                assert!(![401, 403, 404].contains(&r.status), "{who}: {} {}", r.status, r.text);
            }
        }
        Rule::CityWide => {
            let r = c.call(s, row.method, row.path, None).await;
            let allowed = c.perms.scope(Resource::Audit, Read).is_all();
            assert_eq!(r.status, if allowed { 200 } else { refusal(c, false) }, "{who}: {}", r.text);
        }
        Rule::Own => {
            let body =
                (row.method == "POST").then(|| json!({"field": "other", "value": "等级记录有误", "reason": "matrix"}));
            let r = c.call(s, row.method, row.path, body.as_ref()).await;
            let Some(person) = c.person else {
                assert_eq!(r.status, if c.session.is_some() { 404 } else { 401 }, "{who}: {}", r.text);
                return;
            };
            assert!(is_ok(r.status), "{who}: {} {}", r.status, r.text);
            if row.method == "GET" {
                let own = w.of(Person).iter().find(|p| p.target.person == Some(person)).expect("their record");
                assert_eq!(r.json["person"]["public_id"].as_str(), Some(own.key.as_str()), "{who}: their own record");
                let number = r.json["person"]["id_number"].as_str().unwrap_or_default();
                assert!(number.len() >= 15 && !number.contains('*'), "{who}: in full: {number}");
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_role_on_every_route_gets_what_the_algebra_allows() {
    for db in TestDb::all().await {
        let options = gongjiang_web::WebOptions {
            public_rate: gongjiang_web::rate_limit::PublicRate { per_minute: 60_000, burst: 10_000 },
            sign_in_rate: gongjiang_web::rate_limit::PublicRate { per_minute: 60_000, burst: 10_000 },
            ..Default::default()
        };
        let s = spawn_with(db, options, &[]).await;
        let w = build_world(&s).await;
        let callers = callers(&s).await;
        // Writes last, so the listings are checked against the seeded rows.
        let ordered = MATRIX
            .iter()
            .filter(|r| !matches!(r.rule, Rule::Submit))
            .chain(MATRIX.iter().filter(|r| matches!(r.rule, Rule::Submit)));
        for row in ordered {
            for c in &callers {
                check_row(&s, &w, row, c).await;
            }
        }
        for (path, rule) in ADMIN_PAGES {
            for c in &callers {
                check_page(&s, path, *rule, c).await;
            }
        }
    }
}

/// Who may open a page of 系统管理.
#[derive(Debug, Clone, Copy)]
enum PageRule {
    /// Managing users (users write, any scope).
    Users,
    /// The audit trail: city-wide audit read.
    AuditCityWide,
    /// The index: either of the two.
    Either,
    /// Evaluation set-up: running sessions (evaluation sessions write, any scope).
    Evaluation,
    /// Entering a person by hand: persons write for the city or for districts.
    RegisterPersons,
    /// Entering an organisation by hand: organisations write for the city or for districts.
    RegisterOrganisations,
    /// Competition set-up: competitions write, any scope (city-wide or an organiser's own).
    Competitions,
    /// Anyone, signed in or not (the competitions and their published results).
    Public,
    /// Creating a training programme: importers city-wide or for their own organisations.
    Programmes,
    /// The subsidy spend report: persons write for the city or for districts.
    Spend,
}

const ADMIN_PAGES: &[(&str, PageRule)] = &[
    ("/admin", PageRule::Either),
    ("/admin/users", PageRule::Users),
    ("/admin/tokens", PageRule::Users),
    ("/admin/audit", PageRule::AuditCityWide),
    ("/evaluation/setup", PageRule::Evaluation),
    ("/admin/institutions", PageRule::Evaluation),
    ("/persons/new", PageRule::RegisterPersons),
    ("/organisations/new", PageRule::RegisterOrganisations),
    ("/competitions", PageRule::Public),
    ("/programmes", PageRule::Public),
    ("/programmes/new", PageRule::Programmes),
    ("/competitions/setup", PageRule::Competitions),
    ("/benefits/spend", PageRule::Spend),
];

/// A page: 200 when the caller's permissions allow it, else 403; without sign-in, the sign-in
/// page (the redirect is followed).
async fn check_page(s: &Server, path: &str, rule: PageRule, c: &Caller) {
    let users = !c.perms.scope(Resource::Users, Write).is_none();
    let audit = c.perms.scope(Resource::Audit, Read).is_all();
    let allowed = match rule {
        PageRule::Users => users,
        PageRule::AuditCityWide => audit,
        PageRule::Either => users || audit,
        PageRule::Evaluation => !c.perms.scope(Resource::EvaluationSessions, Write).is_none(),
        PageRule::RegisterPersons | PageRule::Spend => {
            let w = c.perms.scope(Persons, Write);
            w.is_all() || !w.district_codes().is_empty()
        }
        PageRule::RegisterOrganisations => {
            let w = c.perms.scope(Resource::Organisations, Write);
            w.is_all() || !w.district_codes().is_empty()
        }
        PageRule::Competitions => !c.perms.scope(Resource::Competitions, Write).is_none(),
        PageRule::Public => true,
        PageRule::Programmes => {
            let w = c.perms.scope(Resource::Imports, Write);
            w.is_all() || !w.organisation_ids().is_empty()
        }
    };
    let r = c.request(s, "GET", path, None).send().await.expect("the server answers");
    let who = format!("[{}] page {path} as {}", s.backend, c.name);
    match &c.session {
        None if matches!(rule, PageRule::Public) => {
            assert_eq!((r.url().path(), r.status().as_u16()), (path, 200), "{who}: open to anyone")
        }
        None => assert_eq!(r.url().path(), "/login", "{who}: sent to sign in"),
        Some(_) => assert_eq!(r.status().as_u16(), if allowed { 200 } else { 403 }, "{who}"),
    }
}

/// A caller of the concurrency test: a cookie session or a bearer token.
#[derive(Clone)]
struct Credential {
    name: &'static str,
    perms: Permissions,
    cookie: Option<Signed>,
    token: Option<String>,
}

impl Credential {
    fn get(&self, client: &reqwest::Client, base: &str, path: &str) -> reqwest::RequestBuilder {
        let req = client.get(format!("{base}{path}"));
        match (&self.cookie, &self.token) {
            (Some(me), _) => me.without_csrf(req),
            (None, Some(t)) => req.bearer_auth(t),
            (None, None) => req,
        }
    }
}

/// Many requests at once by users of different organisations and districts, half on cookies and
/// half on tokens, through the same pooled connections and server threads: each answer holds
/// only the asking user's records. (RuoYi keeps the data scope in a thread-local; a scope that
/// leaked across requests would show here as another user's row.)
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_requests_of_different_users_never_see_each_others_rows() {
    for db in TestDb::all().await {
        let options = gongjiang_web::WebOptions {
            sign_in_rate: gongjiang_web::rate_limit::PublicRate { per_minute: 60_000, burst: 10_000 },
            ..Default::default()
        };
        let s = spawn_with(db, options, &[]).await;
        let w = build_world(&s).await;
        let org_ids = organisations::all_ids(&s.app.db).await.unwrap();
        let all = gongjiang_domain::access::Scope::all();
        let people = persons::list(&s.app.db, &all, &Default::default(), None, 2).await.unwrap();
        let roles: [(&'static str, Role, bool); 6] = [
            ("hr-a", Role::EnterpriseHr { organisation: org_ids[&employer_a()] }, true),
            ("hr-b", Role::EnterpriseHr { organisation: org_ids[&employer_b()] }, false),
            ("binhai", Role::DistrictAdmin { districts: ["120116".to_string()].into() }, false),
            ("heping", Role::DistrictAdmin { districts: ["120101".to_string()].into() }, true),
            ("worker-0", Role::Worker { person: people[0].id }, true),
            ("worker-1", Role::Worker { person: people[1].id }, false),
        ];
        let admin = crate::users::admin_actor(&s.app).await;
        let mut creds = Vec::new();
        for (name, role, by_cookie) in roles {
            user(&s.app, name, std::slice::from_ref(&role)).await;
            let perms = Permissions::of_roles(std::slice::from_ref(&role));
            let (cookie, token) = if by_cookie {
                (Some(sign_in(&s, name).await), None)
            } else {
                let t = gongjiang_app::accounts::create_token(&s.app.db, &admin, name, "load", &[role], 1)
                    .await
                    .expect("token")
                    .token;
                (None, Some(t))
            };
            creds.push(Credential { name, perms, cookie, token });
        }
        let persons: std::sync::Arc<Vec<Rec>> = std::sync::Arc::new(w.of(Person).to_vec());
        let client = s.client().clone();
        let mut tasks = tokio::task::JoinSet::new();
        const REQUESTS: usize = 240;
        for i in 0..REQUESTS {
            let c = creds[i % creds.len()].clone();
            let (client, base, persons) = (client.clone(), s.base.clone(), persons.clone());
            tasks.spawn(async move {
                // Alternate the listing and a person's page (someone of theirs, or someone else).
                let rec = &persons[i % persons.len()];
                if i % 2 == 0 {
                    let page: Value =
                        c.get(&client, &base, "/api/v1/persons?limit=500").send().await.unwrap().json().await.unwrap();
                    let keys = listed_keys(Person, &page);
                    for k in &keys {
                        let p = persons.iter().find(|p| &p.key == k).expect("a known person");
                        assert!(c.perms.allows(Persons, Read, &p.target), "{} saw {k}", c.name);
                    }
                    let own = persons.iter().filter(|p| c.perms.allows(Persons, Read, &p.target)).count();
                    assert_eq!(keys.len(), own, "{}: all of theirs, none of the others'", c.name);
                } else {
                    let r = c.get(&client, &base, &format!("/api/v1/persons/{}", rec.key)).send().await.unwrap();
                    let status = r.status().as_u16();
                    assert_eq!(
                        status == 200,
                        c.perms.allows(Persons, Read, &rec.target),
                        "{} on {}: {status}",
                        c.name,
                        rec.key
                    );
                }
            });
        }
        let mut done = 0;
        while let Some(r) = tasks.join_next().await {
            r.expect("a request task");
            done += 1;
        }
        assert_eq!(done, REQUESTS);
    }
}
