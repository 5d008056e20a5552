//! The real server on 127.0.0.1:0 over a fresh database of each backend the environment
//! offers, with a small registry put in through the store.

use std::net::SocketAddr;

use gongjiang_app::App;
use gongjiang_app::credentials::Issuing;
use gongjiang_app::pii_keys::Keys;
use gongjiang_credentials::{IssuerKey, Keyring, PublicKey};
use gongjiang_domain::level::Level;
use gongjiang_domain::records::{NewEmployment, NewLevel, NewOrganisation, NewPerson};
use gongjiang_domain::registry::{Education, EmploymentStatus, IdType, LevelSource, OrgKind};
use gongjiang_store::employment::{self, EmploymentWrite};
use gongjiang_store::levels::{self, LevelWrite};
use gongjiang_store::organisations;
use gongjiang_store::persons::{self, PersonWrite};
use gongjiang_testkit::TestDb;
use serde_json::Value;
use time::{Date, Month};
use tokio::sync::oneshot;

/// The date the server takes as today, so eligibility answers do not change with the calendar.
pub const TODAY: Date = time::macros::date!(2025 - 06 - 30);

/// How many persons [`seed`] registers.
pub const PERSONS: usize = 61;

pub struct Server {
    pub base: String,
    pub backend: &'static str,
    pub app: App,
    /// An API token of the city administrator `root` (made by [`spawn`]): what [`Server::get`]
    /// and the helpers built on it send, so stories about registry data read as an administrator.
    /// Anonymous requests go through [`Server::client`].
    pub admin_token: String,
    client: reqwest::Client,
    stop: Option<oneshot::Sender<()>>,
    _db: TestDb,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// A response: status, content type and the body (parsed when it is JSON).
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub text: String,
    pub json: Value,
    pub set_cookie: Option<String>,
    pub retry_after: Option<String>,
}

impl Server {
    /// GET as the city administrator (see [`Server::admin_token`]).
    pub async fn get(&self, path: &str) -> Reply {
        self.send(self.client.get(format!("{}{path}", self.base)).bearer_auth(&self.admin_token)).await
    }

    /// GET without credentials.
    pub async fn get_anonymous(&self, path: &str) -> Reply {
        self.send(self.client.get(format!("{}{path}", self.base))).await
    }

    pub async fn send(&self, req: reqwest::RequestBuilder) -> Reply {
        let resp = req.send().await.expect("the server answers");
        let status = resp.status().as_u16();
        let header = |name: &str| resp.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
        let content_type = header("content-type").unwrap_or_default();
        let (set_cookie, retry_after) = (header("set-cookie"), header("retry-after"));
        let text = resp.text().await.expect("a body");
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        assert!(status < 500, "[{}] {status} {text}", self.backend);
        Reply { status, content_type, text, json, set_cookie, retry_after }
    }

    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// GET that must succeed with JSON.
    pub async fn ok(&self, path: &str) -> Value {
        let r = self.get(path).await;
        assert_eq!(r.status, 200, "[{}] GET {path}: {}", self.backend, r.text);
        assert!(r.content_type.starts_with("application/json"), "GET {path}: {}", r.content_type);
        r.json
    }

    /// GET that must succeed; the body parsed as JSON whatever its JSON media type.
    pub async fn ok_any(&self, path: &str) -> Value {
        let r = self.get(path).await;
        assert_eq!(r.status, 200, "[{}] GET {path}: {}", self.backend, r.text);
        r.json
    }

    /// Follows `next` from the first page to the last; returns every item in order.
    pub async fn walk(&self, path: &str) -> Vec<Value> {
        let sep = if path.contains('?') { '&' } else { '?' };
        let mut items = Vec::new();
        let mut next: Option<String> = None;
        for _ in 0..10_000 {
            let url = match &next {
                None => path.to_string(),
                Some(c) => format!("{path}{sep}after={c}"),
            };
            let page = self.ok(&url).await;
            items.extend(page["items"].as_array().expect("items").iter().cloned());
            match &page["next"] {
                Value::Null => return items,
                Value::String(c) => next = Some(c.clone()),
                other => panic!("next is neither a cursor nor null: {other}"),
            }
        }
        panic!("paging did not end");
    }
}

/// Runs `story` against a server on SQLite, and on PostgreSQL too when `TEST_PG_URL` is set.
pub async fn on_each_backend<F, Fut>(story: F)
where
    F: Fn(Server) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for db in TestDb::all().await {
        story(spawn(db).await).await;
    }
}

pub async fn spawn(db: TestDb) -> Server {
    spawn_with(db, gongjiang_web::WebOptions::default(), &[]).await
}

/// A server with `options`, whose issuer (a fresh key, published at the server's own address)
/// also trusts the public keys `trust`.
pub async fn spawn_with(db: TestDb, options: gongjiang_web::WebOptions, trust: &[PublicKey]) -> Server {
    spawn_issuer(db, options, trust, None).await
}

/// As [`spawn_with`], the issuer named `did:web:<did_web>` when given.
pub async fn spawn_issuer(
    db: TestDb,
    options: gongjiang_web::WebOptions,
    trust: &[PublicKey],
    did_web: Option<&str>,
) -> Server {
    spawn_on_policy(db, options, trust, did_web, None).await
}

/// As [`spawn_issuer`], under the policy file `policy` when given (the shipped one otherwise).
pub async fn spawn_on_policy(
    db: TestDb,
    options: gongjiang_web::WebOptions,
    trust: &[PublicKey],
    did_web: Option<&str>,
    policy: Option<&std::path::Path>,
) -> Server {
    let mut app = App::open_with(&db.url, policy, &Keys::Ring(db.keys())).await.expect("open the app");
    app.today_override = Some(TODAY);
    seed(&app).await;
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await.expect("bind");
    let addr = listener.local_addr().expect("local addr");
    let mut ring = Keyring::single(IssuerKey::generate().expect("a key"));
    if let Some(domain) = did_web {
        ring = ring.with_did_web(domain);
    }
    let mut issuing = Issuing::new(ring, &format!("http://{addr}"));
    for key in trust {
        issuing.trust(*key);
    }
    app.credentials = Some(std::sync::Arc::new(issuing));
    let admin_token = crate::users::bootstrap_admin(&app).await;
    let (stop, stopped) = oneshot::channel::<()>();
    let served = app.clone();
    tokio::spawn(async move {
        let shutdown = async {
            let _ = stopped.await;
        };
        if let Err(e) = gongjiang_web::serve_on(listener, served, &options, shutdown).await {
            eprintln!("server failed: {e}");
        }
    });
    Server {
        base: format!("http://{addr}"),
        backend: db.backend,
        app,
        admin_token,
        client: reqwest::Client::new(),
        stop: Some(stop),
        _db: db,
    }
}

/// A valid credit code from a 17-character body.
pub fn uscc(body17: &str) -> String {
    let check = gongjiang_domain::uscc::check_char(body17).expect("alphabet characters");
    format!("{body17}{check}")
}

/// A valid resident identity number for a person born on `birth` in `region`.
pub fn id_number(region: &str, birth: Date, seq: u32) -> String {
    let body = format!("{region}{:04}{:02}{:02}{:03}", birth.year(), u8::from(birth.month()), birth.day(), seq % 1000);
    let check = gongjiang_domain::id_number::check_char(&body).expect("17 digits");
    format!("{body}{check}")
}

pub fn employer_a() -> String {
    uscc("91120116MA05AAAA1")
}
pub fn employer_b() -> String {
    uscc("91120101MA05BBBB2")
}
pub fn school() -> String {
    uscc("52120102MJ0CCCC03")
}

/// The registry the stories read:
/// - employer A: enterprise in 滨海新区 (120116), manufacturing (C), in the 高端装备 chain;
/// - employer B: enterprise in 和平区 (120101), information technology (I), in the 信创 chain;
/// - a technician school in 河东区 (120102), education (P);
/// - 61 persons 测试人员00…60: even numbers work at A, odd at B; every third lives in 滨海新区,
///   the others in 和平区; every fourth is a 车工 (6-18-01-01), the others 计算机程序设计员
///   (4-04-05-01); every fifth holds 高级工 (rank 4) since 2015-07-01, every tenth also 技师
///   (rank 5) since 2021-07-01;
/// - person 0 has two employment spells (A then B).
pub async fn seed(app: &App) {
    let db = &app.db;
    let orgs = [
        (employer_a(), "滨海精密机械有限公司", OrgKind::Enterprise, "120116", "C", Some("high_end_equipment")),
        (employer_b(), "和平软件有限公司", OrgKind::Enterprise, "120101", "I", Some("xinchuang")),
        (school(), "天津市第一技师学院", OrgKind::TechnicianSchool, "120102", "P", None),
    ]
    .map(|(uscc, name, kind, district, industry, chain)| NewOrganisation {
        uscc,
        name: name.to_string(),
        kind,
        district_code: district.to_string(),
        industry: Some(industry.to_string()),
        chains: chain.map(|c| vec![c.to_string()]),
    });
    organisations::upsert_batch(db, &orgs).await.expect("organisations");
    let org_ids = organisations::all_ids(db).await.expect("org ids");

    let people: Vec<NewPerson> = (0..PERSONS).map(person).collect();
    let writes: Vec<PersonWrite<'_>> = people
        .iter()
        .map(|p| PersonWrite { person: p, employer_id: p.employer_uscc.as_ref().map(|u| org_ids[u]) })
        .collect();
    persons::upsert_batch(db, &writes).await.expect("persons");
    let numbers: Vec<&str> = people.iter().map(|p| p.id_number.as_str()).collect();
    let person_ids = persons::ids_by_id_number(db, &numbers).await.expect("person ids");

    let mut new_levels = Vec::new();
    for (k, p) in people.iter().enumerate() {
        let occupation = p.occupation_code.clone().expect("occupation");
        if k.is_multiple_of(5) {
            new_levels.push(level(p, &occupation, 4, date(2015, 7, 1)));
        }
        if k.is_multiple_of(10) {
            new_levels.push(level(p, &occupation, 5, date(2021, 7, 1)));
        }
    }
    let level_writes: Vec<LevelWrite<'_>> = new_levels
        .iter()
        .map(|l| LevelWrite {
            revoked: None,
            level: l,
            person_id: person_ids[&l.id_number],
            issuer_id: Some(org_ids[&school()]),
            recorded_by: "import:test.csv",
        })
        .collect();
    levels::record_batch(db, &level_writes).await.expect("levels");

    let first = &people[0].id_number;
    let spells = [
        NewEmployment {
            id_number: first.clone(),
            employer_uscc: employer_a(),
            start: date(2008, 9, 1),
            end: Some(date(2016, 12, 31)),
            occupation_code: Some("6-18-01-01".to_string()),
        },
        NewEmployment {
            id_number: first.clone(),
            employer_uscc: employer_b(),
            start: date(2017, 1, 1),
            end: None,
            occupation_code: Some("6-18-01-01".to_string()),
        },
    ];
    let spell_writes: Vec<EmploymentWrite<'_>> = spells
        .iter()
        .map(|s| EmploymentWrite {
            spell: s,
            person_id: person_ids[&s.id_number],
            employer_id: org_ids[&s.employer_uscc],
        })
        .collect();
    employment::upsert_batch(db, &spell_writes).await.expect("employment");
}

pub fn date(y: i32, m: u8, d: u8) -> Date {
    Date::from_calendar_date(y, Month::try_from(m).expect("month"), d).expect("date")
}

pub fn person(k: usize) -> NewPerson {
    let birth = date(1980 + (k % 20) as i32, 1 + (k % 12) as u8, 1 + (k % 28) as u8);
    let district = if k.is_multiple_of(3) { "120116" } else { "120101" };
    NewPerson {
        id_type: IdType::ResidentId,
        id_number: id_number(district, birth, k as u32 + 100),
        id_from_15: false,
        name: format!("测试人员{k:02}"),
        gender: Some(if k.is_multiple_of(2) { "M" } else { "F" }.to_string()),
        birth_date: Some(birth),
        district_code: Some(district.to_string()),
        employer_uscc: Some(if k.is_multiple_of(2) { employer_a() } else { employer_b() }),
        occupation_code: Some(if k.is_multiple_of(4) { "6-18-01-01" } else { "4-04-05-01" }.to_string()),
        education: Some(Education::SeniorSecondary),
        employment_status: Some(EmploymentStatus::Employed),
        work_start: Some(date(2005, 9, 1)),
    }
}

fn level(p: &NewPerson, occupation: &str, rank: u8, on: Date) -> NewLevel {
    NewLevel {
        id_number: p.id_number.clone(),
        occupation_code: occupation.to_string(),
        trade: String::new(),
        level: Level::new(rank).expect("rank"),
        obtained_on: on,
        source: LevelSource::Exam,
        certificate_no: None,
        issuer_uscc: Some(school()),
    }
}

/// The error body's code and parameter, checking the shape on the way.
pub fn error_of(r: &Reply) -> (String, Option<String>) {
    let e = &r.json["error"];
    assert!(e.is_object(), "not the error shape: {}", r.text);
    assert!(e["message_zh"].as_str().is_some_and(|s| !s.is_empty()), "{}", r.text);
    assert!(e["message_en"].as_str().is_some_and(|s| !s.is_empty()), "{}", r.text);
    (e["code"].as_str().expect("code").to_string(), e["param"].as_str().map(str::to_string))
}
