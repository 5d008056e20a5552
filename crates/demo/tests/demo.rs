//! The demo city: deterministic, valid identifiers, consistent histories, calibrated KPIs, and
//! both writers (database and CSV) agree with the importer and the store.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use gongjiang_app::Actor;
use gongjiang_app::App;
use gongjiang_app::import::{self, ImportOptions, Kind};
use gongjiang_app::pii_keys::Keys;
use gongjiang_demo::{self as demo, DemoCity, DemoPerson};
use gongjiang_domain::access::Scope;
use gongjiang_domain::certificate_no::CertificateNo;
use gongjiang_domain::dates::{add_years, whole_years_between};
use gongjiang_domain::id_number::{Gender, IdNumber};
use gongjiang_domain::occupation::{Catalogue, OccupationCode, shared_catalogue_2022};
use gongjiang_domain::policy::Policy;
use gongjiang_domain::records::{NewOrganisation, NewStatistic};
use gongjiang_domain::registry::{Education, EmploymentStatus, LevelSource, OrgKind};
use gongjiang_domain::uscc::Uscc;
use gongjiang_store::{employment, levels, organisations, persons, statistics};
use gongjiang_testkit::TestDb;
use time::Date;
use time::macros::date;

const TODAY: Date = date!(2026 - 06 - 30);

fn policy() -> &'static Policy {
    static P: OnceLock<Policy> = OnceLock::new();
    P.get_or_init(Policy::tianjin)
}

fn catalogue() -> &'static Catalogue {
    shared_catalogue_2022()
}

struct Generated {
    orgs: Vec<NewOrganisation>,
    persons: Vec<DemoPerson>,
    stats: Vec<NewStatistic>,
}

fn generate(persons: u64, seed: u64, chunk: usize) -> Generated {
    let mut city = DemoCity::new(policy(), catalogue(), persons, seed, TODAY);
    let orgs = city.organisations().to_vec();
    let mut all = Vec::new();
    while city.remaining() > 0 {
        all.extend(city.persons_chunk(chunk));
    }
    assert!(city.persons_chunk(10).is_empty());
    Generated { orgs, persons: all, stats: city.statistics() }
}

/// One 20,000-person city shared by the checks below.
fn city_20k() -> &'static Generated {
    static C: OnceLock<Generated> = OnceLock::new();
    C.get_or_init(|| generate(20_000, 2026, 4096))
}

fn is_employed(s: Option<EmploymentStatus>) -> bool {
    s.is_some_and(|s| policy().kpi.employed_statuses.contains(&s))
}

#[test]
fn same_seed_gives_the_same_city_in_any_chunking_and_another_seed_another() {
    let a = generate(3000, 7, 1000);
    let b = generate(3000, 7, 777);
    assert_eq!(a.orgs, b.orgs);
    assert_eq!(a.persons.len(), 3000);
    assert!(a.persons == b.persons, "same seed, different persons");
    assert_eq!(a.stats, b.stats);
    let c = generate(3000, 8, 1000);
    assert_ne!(a.orgs, c.orgs);
    assert!(a.persons != c.persons);
    assert_ne!(a.stats, c.stats);
}

#[test]
fn organisations_have_valid_unique_credit_codes_names_and_districts() {
    let c = city_20k();
    assert!(c.orgs.len() >= 500, "about one organisation per 40 persons: {}", c.orgs.len());
    let small = generate(100, 1, 100);
    assert!(small.orgs.len() >= 50, "at least 50 organisations");

    let mut codes = HashSet::new();
    let mut names = HashSet::new();
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    let mut industries: BTreeMap<String, usize> = BTreeMap::new();
    for o in &c.orgs {
        let u = Uscc::parse(&o.uscc).unwrap_or_else(|e| panic!("{}: {e}", o.uscc));
        assert_eq!(u.as_str(), o.uscc);
        assert!(u.organisation_code_check_ok(), "{}", o.uscc);
        assert_eq!(u.region_code(), o.district_code, "region of {}", o.uscc);
        let class = (u.authority_code(), u.organisation_type_code());
        match o.kind {
            OrgKind::Enterprise => assert_eq!(class, ('9', '1'), "{}", o.uscc),
            _ => assert!(matches!(class, ('1', '2') | ('5', '2')), "{} {:?}", o.uscc, o.kind),
        }
        assert!(policy().district(&o.district_code).is_some_and(|d| d.code == o.district_code));
        if let Some(i) = &o.industry {
            assert!(policy().industry(i).is_some(), "{i}");
            *industries.entry(i.clone()).or_default() += 1;
        }
        assert!(codes.insert(o.uscc.clone()), "duplicate code {}", o.uscc);
        assert!(names.insert(o.name.clone()), "duplicate name {}", o.name);
        assert!(o.name.starts_with("天津"), "{}", o.name);
        *kinds.entry(o.kind.code()).or_default() += 1;
    }
    for k in [
        OrgKind::Enterprise,
        OrgKind::TechnicianSchool,
        OrgKind::VocationalSchool,
        OrgKind::TrainingInstitution,
        OrgKind::EvaluationInstitution,
        OrgKind::PublicTrainingCentre,
    ] {
        assert!(kinds.get(k.code()).is_some_and(|n| *n > 0), "no {k:?}");
    }
    assert!(kinds["enterprise"] * 10 > c.orgs.len() * 8, "mostly enterprises: {kinds:?}");
    let manufacturing = industries.get("C").copied().unwrap_or(0);
    assert!(industries.values().all(|n| *n <= manufacturing), "manufacturing leads: {industries:?}");
    let binhai = c.orgs.iter().filter(|o| o.district_code == "120116").count();
    for d in &policy().districts {
        let n = c.orgs.iter().filter(|o| o.district_code == d.code).count();
        assert!(n > 0 && n <= binhai, "{} has {n} organisations, 滨海新区 {binhai}", d.name_zh);
    }
}

#[test]
fn identity_numbers_are_valid_unique_and_match_the_person() {
    let c = city_20k();
    let mut seen = HashSet::new();
    let mut men = 0usize;
    let mut migrants = 0usize;
    for p in &c.persons {
        let q = &p.person;
        let parsed = IdNumber::parse(&q.id_number, TODAY).unwrap_or_else(|e| panic!("{}: {e:?}", q.id_number));
        assert_eq!(parsed.id.as_str(), q.id_number);
        assert!(!parsed.converted_from_15 && !q.id_from_15);
        assert_eq!(Some(parsed.id.birth_date()), q.birth_date);
        let g = if parsed.id.gender() == Gender::Male { "M" } else { "F" };
        assert_eq!(q.gender.as_deref(), Some(g));
        let age = parsed.id.age_on(TODAY);
        assert!((18..=62).contains(&age), "{} is {age}", q.id_number);
        assert!(seen.insert(q.id_number.clone()), "duplicate {}", q.id_number);
        assert!(!q.name.is_empty() && q.name.chars().count() <= 4, "{}", q.name);
        men += usize::from(g == "M");
        migrants += usize::from(parsed.id.province_code() != "12");
        let district = q.district_code.as_deref().expect("district");
        assert!(policy().district(district).is_some());
    }
    let n = c.persons.len() as f64;
    let (men, migrants) = (men as f64 / n, migrants as f64 / n);
    eprintln!("men {:.1} %, other provinces {:.1} %", men * 100.0, migrants * 100.0);
    assert!((0.52..=0.58).contains(&men), "men {men}");
    assert!((0.18..=0.22).contains(&migrants), "migrants {migrants}");
}

#[test]
fn certificate_numbers_are_valid_unique_and_carry_the_level() {
    let c = city_20k();
    let mut seen = HashSet::new();
    let (mut national, mut legacy) = (0, 0);
    for l in c.persons.iter().flat_map(|p| &p.levels) {
        let Some(no) = &l.certificate_no else { continue };
        let parsed = CertificateNo::parse(no).unwrap_or_else(|e| panic!("{no}: {e}"));
        assert_eq!(parsed.as_str(), no);
        assert_eq!(parsed.level(), Some(l.level), "{no}");
        assert!(seen.insert(no.clone()), "duplicate {no}");
        match &parsed {
            CertificateNo::National22(n) => {
                national += 1;
                assert!(l.obtained_on.year() >= 2020);
                assert_eq!(n.issue_year(), l.obtained_on.year());
                let expected = if l.source == LevelSource::EnterpriseEvaluation { "Y" } else { "S" };
                assert_eq!(n.category(), expected, "{no}");
                assert_eq!(n.province_code(), "12");
            }
            CertificateNo::Legacy16(n) => {
                legacy += 1;
                assert!((1995..2020).contains(&l.obtained_on.year()));
                assert_eq!(n.issue_year(), l.obtained_on.year());
            }
            other => panic!("unexpected form {other:?}"),
        }
    }
    assert!(national > 500 && legacy > 500, "national {national}, legacy {legacy}");
}

/// Minimum whole years between consecutive ranks of one occupation (2018 template; 特级/首席
/// as assumed by the generator).
fn min_years_to(rank: u8) -> i32 {
    match rank {
        3 | 5 | 6 => 4,
        4 | 7 => 5,
        8 => 3,
        _ => 0,
    }
}

#[test]
fn histories_and_employment_are_consistent() {
    let c = city_20k();
    let orgs: HashMap<&str, &NewOrganisation> = c.orgs.iter().map(|o| (o.uscc.as_str(), o)).collect();
    let detail = |code: &str| OccupationCode::parse(code).is_ok_and(|c| catalogue().is_detail(&c));
    let mut sources: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &c.persons {
        let q = &p.person;
        let birth = q.birth_date.expect("birth date");
        let sixteen = add_years(birth, 16);
        let status = q.employment_status.expect("status");
        if let Some(o) = &q.occupation_code {
            assert!(detail(o), "{o}");
        }
        assert_eq!(q.work_start.is_none(), status == EmploymentStatus::Student, "{q:?}");
        if let Some(ws) = q.work_start {
            assert!(ws >= sixteen && ws <= TODAY, "work start {ws} of {q:?}");
        }
        assert_eq!(q.employer_uscc.is_some(), status == EmploymentStatus::Employed, "{q:?}");
        if let Some(e) = &q.employer_uscc {
            assert_eq!(Some(&orgs[e.as_str()].district_code), q.district_code.as_ref());
        }

        // Employment: ordered, non-overlapping, the last open one at the current employer.
        let spells = &p.employment;
        for (i, s) in spells.iter().enumerate() {
            assert_eq!(s.id_number, q.id_number);
            assert!(orgs.contains_key(s.employer_uscc.as_str()));
            assert!(s.start >= q.work_start.expect("work start") && s.start <= TODAY);
            if let Some(end) = s.end {
                assert!(end >= s.start && end <= TODAY, "{s:?}");
            }
            if let Some(next) = spells.get(i + 1) {
                assert!(s.end.is_some_and(|e| e < next.start), "{spells:?}");
            }
            assert!(s.occupation_code.as_deref().is_some_and(detail), "{s:?}");
        }
        if status == EmploymentStatus::Employed {
            let last = spells.last().expect("an employed person has a spell");
            assert!(last.end.is_none());
            assert_eq!(Some(&last.employer_uscc), q.employer_uscc.as_ref());
            assert!((1..=3).contains(&spells.len()));
        } else {
            assert!(spells.iter().all(|s| s.end.is_some()), "{spells:?}");
        }
        let employer_on = |d: Date| {
            spells.iter().find(|s| s.start <= d && s.end.is_none_or(|e| d <= e)).map(|s| s.employer_uscc.as_str())
        };

        // Levels: in catalogue occupations, monotone per occupation with the template's intervals.
        let mut by_occupation: BTreeMap<&str, Vec<_>> = BTreeMap::new();
        for l in &p.levels {
            assert_eq!(l.id_number, q.id_number);
            assert!(detail(&l.occupation_code), "{}", l.occupation_code);
            assert!(l.obtained_on >= sixteen && l.obtained_on <= TODAY, "{l:?}");
            if let Some(ws) = q.work_start {
                assert!(l.obtained_on >= ws, "{l:?} before work start {ws}");
            }
            *sources.entry(l.source.code()).or_default() += 1;
            match l.level.rank() {
                1 => assert_eq!(l.source, LevelSource::EnterpriseEvaluation),
                7 | 8 => assert_eq!(l.source, LevelSource::Appointment),
                _ => assert!(matches!(
                    l.source,
                    LevelSource::Exam | LevelSource::EnterpriseEvaluation | LevelSource::Competition
                )),
            }
            match l.source {
                LevelSource::EnterpriseEvaluation | LevelSource::Appointment => {
                    let issuer = l.issuer_uscc.as_deref().expect("the employer issues it");
                    assert_eq!(orgs[issuer].kind, OrgKind::Enterprise);
                    assert_eq!(employer_on(l.obtained_on), Some(issuer), "{l:?} {spells:?}");
                }
                _ => {
                    if let Some(issuer) = &l.issuer_uscc {
                        assert_eq!(orgs[issuer.as_str()].kind, OrgKind::EvaluationInstitution);
                    }
                }
            }
            by_occupation.entry(l.occupation_code.as_str()).or_default().push(l);
        }
        for (occ, mut hist) in by_occupation {
            hist.sort_by_key(|l| l.obtained_on);
            let first = hist[0];
            match first.level.rank() {
                1 | 2 => {}
                3 => {
                    let school = matches!(
                        q.education,
                        Some(
                            Education::SecondaryVocational
                                | Education::TechSchoolIntermediate
                                | Education::TechSchoolAdvanced
                                | Education::TechSchoolPreTechnician
                                | Education::HigherVocational
                        )
                    );
                    let six_years = q.work_start.is_some_and(|ws| whole_years_between(ws, first.obtained_on) >= 6);
                    assert!(school || six_years, "中级工 first without school or 6 years: {q:?} {first:?}");
                }
                r => panic!("history in {occ} starts at rank {r}: {hist:?}"),
            }
            if first.level.rank() == 2
                && let Some(ws) = q.work_start
            {
                assert!(whole_years_between(ws, first.obtained_on) >= 1, "初级工 within a year of work: {first:?}");
            }
            for w in hist.windows(2) {
                let (a, b) = (w[0], w[1]);
                assert!(b.level.rank() == a.level.rank() + 1 && b.obtained_on > a.obtained_on, "{hist:?}");
                let years = whole_years_between(a.obtained_on, b.obtained_on);
                assert!(years >= min_years_to(b.level.rank()), "{} years to rank {}: {hist:?}", years, b.level);
            }
        }
    }
    eprintln!("level sources: {sources:?}");
    assert!(sources["exam"] > sources["enterprise_evaluation"]);
    assert!(sources["enterprise_evaluation"] > sources["competition"]);
    assert!(sources["competition"] > 0);
}

/// KPI counts as the policy defines them: employed persons, skilled and high-skilled among them.
#[derive(Default)]
struct Tally {
    all: u64,
    employed: u64,
    skilled: u64,
    high: u64,
}

impl Tally {
    fn add<'a>(&mut self, persons: impl IntoIterator<Item = &'a DemoPerson>) {
        let ladder = &policy().ladder;
        for p in persons {
            self.all += 1;
            if !is_employed(p.person.employment_status) {
                continue;
            }
            self.employed += 1;
            if let Some(top) = p.levels.iter().map(|l| l.level).max() {
                self.skilled += u64::from(ladder.is_skilled(top));
                self.high += u64::from(ladder.is_high_skilled(top));
            }
        }
    }

    fn shares(&self) -> Shares {
        Shares {
            employed: self.employed as f64 / self.all as f64,
            skilled: self.skilled as f64 / self.employed as f64,
            high_of_skilled: self.high as f64 / self.skilled as f64,
        }
    }
}

struct Shares {
    employed: f64,
    skilled: f64,
    high_of_skilled: f64,
}

fn shares<'a>(persons: impl IntoIterator<Item = &'a DemoPerson>) -> Shares {
    let mut t = Tally::default();
    t.add(persons);
    t.shares()
}

#[test]
fn kpis_are_calibrated_on_tianjin() {
    let c = city_20k();
    let s = shares(&c.persons);
    eprintln!(
        "20k: employed {:.2} %, skilled/employed {:.2} %, high-skilled/skilled {:.2} %",
        s.employed * 100.0,
        s.skilled * 100.0,
        s.high_of_skilled * 100.0
    );
    assert!((0.87..=0.89).contains(&s.employed), "employed {}", s.employed);
    assert!((s.skilled - 0.31).abs() <= 0.03, "skilled {}", s.skilled);
    assert!((s.high_of_skilled - 0.34).abs() <= 0.04, "high-skilled {}", s.high_of_skilled);
    let top = |p: &DemoPerson| p.levels.iter().map(|l| l.level.rank()).max().unwrap_or(0);
    assert!(c.persons.iter().any(|p| top(p) == 1), "some apprentices");
    assert!(c.persons.iter().filter(|p| top(p) >= 7).count() <= 20, "特级/首席技师 are rare");
}

#[test]
fn statistics_follow_the_registry() {
    let c = city_20k();
    let mut registry: HashMap<&str, i64> = HashMap::new();
    for p in &c.persons {
        if is_employed(p.person.employment_status) {
            *registry.entry(p.person.district_code.as_deref().expect("district")).or_default() += 1;
        }
    }
    let years: Vec<i32> = (2021..=2025).collect();
    for year in &years {
        let rows: Vec<&NewStatistic> = c.stats.iter().filter(|s| s.year == *year && s.industry.is_empty()).collect();
        assert_eq!(rows.len(), policy().districts.len() + 1, "{year}");
        let city = rows.iter().find(|s| s.district_code == "120000").expect("city total");
        let sum: i64 = rows.iter().filter(|s| s.district_code != "120000").map(|s| s.employed_persons).sum();
        assert_eq!(city.employed_persons, sum);
    }
    assert!(c.stats.iter().all(|s| years.contains(&s.year)));
    for d in &policy().districts {
        let series: Vec<i64> = years
            .iter()
            .map(|y| {
                c.stats
                    .iter()
                    .find(|s| s.year == *y && s.district_code == d.code && s.industry.is_empty())
                    .expect("a figure per district and year")
                    .employed_persons
            })
            .collect();
        let ratio = series[4] as f64 / registry[d.code.as_str()] as f64;
        assert!((0.95..=1.07).contains(&ratio), "{}: {ratio}", d.name_zh);
        assert!(series.windows(2).all(|w| w[0] <= w[1]), "{}: {series:?}", d.name_zh);
    }
    let by_industry: Vec<&NewStatistic> = c.stats.iter().filter(|s| s.year == 2025 && !s.industry.is_empty()).collect();
    assert!(by_industry.iter().all(|s| s.district_code == "120000" && policy().industry(&s.industry).is_some()));
    let top = by_industry.iter().max_by_key(|s| s.employed_persons).expect("industry rows");
    assert_eq!(top.industry, "C", "manufacturing employs most");
}

async fn app_on(db: &TestDb) -> App {
    let mut app = App::open_with(&db.url, None, &Keys::Ring(db.keys())).await.expect("open");
    app.today_override = Some(TODAY);
    app
}

#[tokio::test]
async fn load_writes_what_the_summary_says_and_a_rerun_changes_nothing() {
    for db in TestDb::all().await {
        let app = app_on(&db).await;
        let seen = AtomicU64::new(0);
        let progress = |n: u64| seen.store(n, Ordering::Relaxed);
        let summary = demo::load(&app, 2000, 11, &progress).await.expect("load");
        assert_eq!(seen.load(Ordering::Relaxed), 2000);
        assert_eq!(summary.persons, 2000);
        assert_eq!(persons::count(&app.db).await.unwrap(), 2000, "{}", db.backend);
        assert_eq!(levels::count(&app.db).await.unwrap() as u64, summary.levels, "{}", db.backend);
        assert_eq!(organisations::all_ids(&app.db).await.unwrap().len() as u64, summary.organisations);
        assert_eq!(statistics::list(&app.db, None).await.unwrap().len() as u64, summary.statistics);
        assert!(summary.levels > 300 && summary.employment > 1500 && summary.statistics > 80, "{summary:?}");

        let mut city = DemoCity::new(&app.policy, &app.catalogue, 2000, 11, TODAY);
        let people = city.persons_chunk(2000);
        let keys: Vec<&str> = people.iter().map(|p| p.person.id_number.as_str()).collect();
        let ids = persons::ids_by_id_number(&app.db, &keys).await.unwrap();
        assert_eq!(ids.len(), 2000);
        let mut spells = 0u64;
        for p in &people {
            let stored = employment::for_person(&app.db, &Scope::all(), ids[&p.person.id_number]).await.unwrap();
            assert_eq!(stored.len(), p.employment.len());
            spells += stored.len() as u64;
        }
        assert_eq!(spells, summary.employment, "{}", db.backend);
        let person = persons::by_id_number(&app.db, keys[0]).await.unwrap().expect("stored");
        assert_eq!(person.name, people[0].person.name);
        assert_eq!(person.employer_uscc, people[0].person.employer_uscc);

        let again = demo::load(&app, 2000, 11, &|_| {}).await.expect("reload");
        assert_eq!(again, summary);
        assert_eq!(persons::count(&app.db).await.unwrap(), 2000);
        assert_eq!(levels::count(&app.db).await.unwrap() as u64, summary.levels, "rerun adds no levels");
    }
}

#[tokio::test]
async fn csv_files_reimport_without_a_rejected_row() {
    let dir = tempfile::tempdir().unwrap();
    demo::write_csv(policy(), catalogue(), 1500, 5, TODAY, dir.path()).expect("write");
    let generated = generate(1500, 5, 1500);
    // Demand lines may share a natural key (reporter, occupation, level, period, district): the
    // later one updates the earlier, as a re-report would.
    let demand = DemoCity::new(policy(), catalogue(), 1500, 5, TODAY).demand(policy(), 5);
    let keys: std::collections::HashSet<_> = demand
        .iter()
        .map(|d| (&d.reporter_uscc, &d.occupation_code, d.level, d.period.code(), &d.district_code))
        .collect();
    assert!(!demand.is_empty());
    let one = |n: usize| (n, n);
    let expected = [
        ("orgs.csv", Kind::Orgs, one(generated.orgs.len())),
        ("persons.csv", Kind::Persons, one(generated.persons.len())),
        ("levels.csv", Kind::Levels, one(generated.persons.iter().map(|p| p.levels.len()).sum())),
        ("employment.csv", Kind::Employment, one(generated.persons.iter().map(|p| p.employment.len()).sum())),
        ("insurance.csv", Kind::Insurance, one(generated.persons.iter().map(|p| p.insurance.len()).sum())),
        ("statistics.csv", Kind::Statistics, one(generated.stats.len())),
        ("demand.csv", Kind::Demand, (demand.len(), keys.len())),
    ];
    let db = TestDb::sqlite();
    let app = app_on(&db).await;
    for (file, kind, (rows, inserted)) in expected {
        let path = dir.path().join(file);
        let header = std::fs::read_to_string(&path)
            .unwrap()
            .lines()
            .next()
            .unwrap_or_default()
            .trim_start_matches('\u{feff}')
            .to_string();
        let canonical: Vec<&str> = kind.columns().iter().map(|c| c.name).collect();
        assert!(header.split(',').all(|h| canonical.contains(&h)), "{file}: {header}");
        let s = import::run(&app, &Actor::cli("test"), kind, &path, &ImportOptions::default(), &|_| {})
            .await
            .expect("import");
        let first: Vec<_> = s.rejected_rows.iter().take(5).collect();
        assert_eq!(s.rejected, 0, "{file}: {first:?}");
        assert!(s.warnings.is_empty(), "{file}: {:?}", s.warnings);
        assert_eq!(s.read as usize, rows, "{file}");
        assert_eq!(s.inserted as usize, inserted, "{file}");
    }
    assert_eq!(persons::count(&app.db).await.unwrap(), 1500);
    let person = &generated.persons[0].person;
    let stored = persons::by_id_number(&app.db, &person.id_number).await.unwrap().expect("stored");
    assert_eq!(stored.birth_date, person.birth_date);
    assert_eq!(stored.education.as_deref(), person.education.map(|e| e.code()));
}

/// `cargo test --release -p gongjiang-demo --test demo -- --ignored --nocapture`
#[test]
#[ignore = "a million persons: run in release mode to measure"]
fn one_million_persons_speed_and_calibration() {
    let started = std::time::Instant::now();
    let mut city = DemoCity::new(policy(), catalogue(), 1_000_000, 2026, TODAY);
    let built = started.elapsed();
    let (mut levels, mut spells) = (0usize, 0usize);
    let mut tally = Tally::default();
    while city.remaining() > 0 {
        let chunk = city.persons_chunk(10_000);
        levels += chunk.iter().map(|p| p.levels.len()).sum::<usize>();
        spells += chunk.iter().map(|p| p.employment.len()).sum::<usize>();
        tally.add(&chunk);
    }
    let elapsed = started.elapsed();
    let s = tally.shares();
    eprintln!(
        "1M persons, {} organisations, {levels} levels, {spells} spells: built in {built:?}, all in {elapsed:?}; \
         employed {:.2} %, skilled/employed {:.2} %, high-skilled/skilled {:.2} %",
        city.organisations().len(),
        s.employed * 100.0,
        s.skilled * 100.0,
        s.high_of_skilled * 100.0
    );
    assert!((s.skilled - 0.31).abs() <= 0.01);
    assert!((s.high_of_skilled - 0.34).abs() <= 0.015);
    let dir = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    demo::write_csv(policy(), catalogue(), 1_000_000, 2026, TODAY, dir.path()).unwrap();
    let size: u64 = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().metadata().unwrap().len()).sum();
    eprintln!("write_csv of 1M persons: {:?}, {} MB", started.elapsed(), size >> 20);
}

#[test]
fn demo_manufacturers_and_it_firms_belong_to_the_policys_chains() {
    let c = city_20k();
    let known: Vec<&str> = policy().industrial_chains.iter().map(|x| x.id.as_str()).collect();
    let of = |industry: &'static str| c.orgs.iter().filter(move |o| o.industry.as_deref() == Some(industry));
    // Every chain id is the policy's, listed once, sorted; only enterprises are in chains.
    for o in c.orgs.iter().filter(|o| o.chains.is_some()) {
        let chains = o.chains.as_ref().unwrap();
        assert!(!chains.is_empty() && chains.windows(2).all(|w| w[0] < w[1]), "{o:?}");
        assert!(chains.iter().all(|x| known.contains(&x.as_str())), "{o:?}");
        assert_eq!(o.kind, gongjiang_domain::registry::OrgKind::Enterprise, "{o:?}");
    }
    // Every IT firm in a chain; about two manufacturers in three; no one else.
    assert!(of("I").all(|o| o.chains.is_some()));
    let (m, in_chain) = (of("C").count(), of("C").filter(|o| o.chains.is_some()).count());
    assert!(m > 30 && (in_chain as f64 / m as f64 - 0.7).abs() < 0.1, "{in_chain} of {m}");
    assert!(c.orgs.iter().filter(|o| !matches!(o.industry.as_deref(), Some("C" | "I"))).all(|o| o.chains.is_none()));
    // Several chains are used, and some manufacturers are in two.
    let used: std::collections::HashSet<&String> = c.orgs.iter().flat_map(|o| o.chains.iter().flatten()).collect();
    assert!(used.len() >= 6, "{used:?}");
    assert!(of("C").any(|o| o.chains.as_ref().is_some_and(|v| v.len() == 2)));
}
