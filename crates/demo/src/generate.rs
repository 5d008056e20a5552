//! The generator: persons with their level histories and employment, drawn in chunks.

use gongjiang_domain::certificate_no::CertificateNo;
use gongjiang_domain::dates::add_years;
use gongjiang_domain::id_number;
use gongjiang_domain::level::Level;
use gongjiang_domain::occupation::Catalogue;
use gongjiang_domain::policy::Policy;
use gongjiang_domain::records::{NewEmployment, NewInsuranceSpell, NewLevel, NewOrganisation, NewPerson, NewStatistic};
use gongjiang_domain::registry::{Education, EmploymentStatus, IdType, InsuranceScheme, LevelSource, OrgKind};
use serde::Serialize;
use time::{Date, Month};

use crate::city::{Tables, day, jd, years_later};
use crate::rng::Rng;
use crate::tables::{MALE_BY_MAJOR, MEAN_EXTRA_DAYS, MIGRANT_SHARE, MIN_CAREER_YEARS, MIN_YEARS_TO, STATUSES};

/// One generated person with their level history, employment spells and insurance spells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DemoPerson {
    pub person: NewPerson,
    pub levels: Vec<NewLevel>,
    pub employment: Vec<NewEmployment>,
    pub insurance: Vec<NewInsuranceSpell>,
}

/// An employment spell being built: organisation index, start and end as Julian days.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Spell {
    pub(crate) org: u32,
    pub(crate) start: i32,
    pub(crate) end: Option<i32>,
}

/// Sequence codes (顺序码) handed out per address code, birth date and sex, so identity
/// numbers are unique within a run. Successive numbers are scattered over 001–999 by a
/// bijection, as real ones look.
pub(crate) struct IdSequences {
    pub(crate) first_jd: i32,
    pub(crate) days: usize,
    pub(crate) next: Vec<u16>,
}

impl IdSequences {
    pub(crate) fn take(&mut self, code: usize, jd: i32, male: bool) -> Option<u16> {
        let day = usize::try_from(jd - self.first_jd).ok().filter(|d| *d < self.days)?;
        let i = (code * self.days + day) * 2 + usize::from(male);
        let k = u64::from(self.next[i]);
        let cap: u64 = if male { 500 } else { 499 };
        if k >= cap {
            return None;
        }
        self.next[i] += 1;
        let off = (code as u64 * 7919 + day as u64 * 104_729) % cap;
        let n = (k * 197 + off) % cap;
        Some(if male { (2 * n + 1) as u16 } else { (2 * (n + 1)) as u16 })
    }
}

/// A deterministic synthetic city (see the module documentation).
pub struct DemoCity {
    pub(crate) t: Tables,
    pub(crate) rng: Rng,
    pub(crate) ids: IdSequences,
    pub(crate) serials: Serials,
    pub(crate) total: u64,
    pub(crate) generated: u64,
    pub(crate) employed_by_district: Vec<u64>,
    pub(crate) employed_by_industry: Vec<u64>,
    pub(crate) employed_with_industry: u64,
}

/// Age at which each education is completed, in [`Education::ALL`] order (no work before 16).
pub(crate) fn completion_age(e: Education) -> i32 {
    match e {
        Education::Primary | Education::JuniorSecondary => 16,
        Education::SeniorSecondary | Education::SecondaryVocational | Education::TechSchoolIntermediate => 18,
        Education::TechSchoolAdvanced => 20,
        Education::TechSchoolPreTechnician | Education::HigherVocational => 21,
        Education::Bachelor => 22,
        Education::Master => 25,
        Education::Doctorate => 28,
    }
}

/// Whether the education lets its graduates apply for 中级工 straight away (2018 template:
/// technician-school graduates, evaluated vocational-school graduates).
pub(crate) fn school_path(e: Education) -> Option<f64> {
    match e {
        Education::TechSchoolIntermediate | Education::TechSchoolAdvanced | Education::TechSchoolPreTechnician => {
            Some(0.6)
        }
        Education::SecondaryVocational | Education::HigherVocational => Some(0.3),
        _ => None,
    }
}

impl DemoCity {
    /// Builds the city's organisations and tables; persons are drawn afterwards.
    pub fn new(policy: &Policy, catalogue: &Catalogue, persons: u64, seed: u64, today: Date) -> DemoCity {
        let mut rng = Rng::new(seed);
        let t = Tables::build(policy, catalogue, persons, &mut rng, today);
        // Birth dates of ages 18–62 (with a margin) for every address code.
        let first_jd = jd(add_years(today, -64));
        let days = (jd(today) - first_jd + 1) as usize;
        let ids = IdSequences { first_jd, days, next: vec![0; t.address_codes.len() * days * 2] };
        let n_orgs = t.orgs.len();
        let n_districts = t.districts.len();
        let n_industries = t.industries.len();
        DemoCity {
            t,
            rng,
            ids,
            serials: Serials { national: vec![0; n_orgs], legacy: vec![0; n_orgs] },
            total: persons,
            generated: 0,
            employed_by_district: vec![0; n_districts],
            employed_by_industry: vec![0; n_industries],
            employed_with_industry: 0,
        }
    }

    pub fn organisations(&self) -> &[NewOrganisation] {
        &self.t.orgs
    }

    pub fn persons_total(&self) -> u64 {
        self.total
    }

    /// Persons not drawn yet.
    pub fn remaining(&self) -> u64 {
        self.total - self.generated
    }

    /// The next `n` persons (fewer at the end; empty when all are drawn). The sequence of
    /// persons does not depend on how it is cut into chunks.
    pub fn persons_chunk(&mut self, n: usize) -> Vec<DemoPerson> {
        let n = (n as u64).min(self.remaining()) as usize;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(self.next_person());
            self.generated += 1;
        }
        out
    }

    /// Official employed-persons figures per district and year, 2021 to last year, with a city
    /// total and city-wide figures per industry. They follow the employed persons drawn so far
    /// (and the expected number among those still to draw): call it after the last chunk.
    pub fn statistics(&self) -> Vec<NewStatistic> {
        let t = &self.t;
        let remaining = self.remaining() as f64;
        let last = t.today.year() - 1;
        let first = 2021.min(last);
        let mut out = Vec::new();
        let registry: Vec<f64> = t
            .districts
            .iter()
            .zip(&self.employed_by_district)
            .map(|(d, n)| *n as f64 + remaining * t.p_counted * d.share)
            .collect();
        for year in first..=last {
            let back = f64::from(last - year);
            let mut city = 0i64;
            for (d, n) in t.districts.iter().zip(&registry) {
                let v = (n * d.stat_factor * (1.0 - d.stat_growth * back)).round() as i64;
                city += v;
                out.push(NewStatistic {
                    year,
                    district_code: d.code.clone(),
                    industry: String::new(),
                    chain: String::new(),
                    employed_persons: v,
                });
            }
            if t.jurisdiction != t.districts.first().map(|d| d.code.as_str()).unwrap_or_default() {
                out.push(NewStatistic {
                    year,
                    district_code: t.jurisdiction.clone(),
                    industry: String::new(),
                    chain: String::new(),
                    employed_persons: city,
                });
            }
            if self.employed_with_industry > 0 {
                // Scale the drawn persons' industries up to the expected total.
                let drawn = self.generated as f64;
                let scale = if drawn > 0.0 { (drawn + remaining) / drawn } else { 1.0 };
                for (code, n) in t.industries.iter().zip(&self.employed_by_industry) {
                    if *n == 0 {
                        continue;
                    }
                    let v = (*n as f64 * scale * t.industry_factor * (1.0 - t.industry_growth * back)).round() as i64;
                    out.push(NewStatistic {
                        year,
                        district_code: t.jurisdiction.clone(),
                        industry: code.clone(),
                        chain: String::new(),
                        employed_persons: v,
                    });
                }
            }
        }
        out
    }

    pub(crate) fn next_person(&mut self) -> DemoPerson {
        let t = &self.t;
        let rng = &mut self.rng;
        let today_jd = t.today_jd;

        // Status and the highest rank to reach.
        let si = t.status_pick.pick(rng);
        let mut status = STATUSES[si].0;
        let counted = t.counted[si];
        let rank = if counted { t.rank_counted.pick(rng) } else { t.rank_other[si].pick(rng) } as u8;
        if status == EmploymentStatus::SelfEmployed && (rank == 1 || rank >= 7) {
            // Apprentices and appointed technicians work for an enterprise.
            status = EmploymentStatus::Employed;
        }
        let counted = counted || (status == EmploymentStatus::Employed && t.counted[0]);

        // Where, for whom, as what.
        let d = t.district_pick.pick(rng);
        let employer = match status {
            EmploymentStatus::Employed | EmploymentStatus::Unemployed | EmploymentStatus::Retired => {
                Some(t.pick_employer(d, rank == 1 || rank >= 7, rng))
            }
            _ => None,
        };
        let profile = match (status, employer) {
            (EmploymentStatus::SelfEmployed, _) => Some(t.self_employed_profile),
            (_, Some(e)) => Some(t.org_info[e as usize].profile),
            _ => None,
        };
        let occ = profile.map(|p| t.pick_occupation(p, rank >= 2, rng));
        let major = occ.map_or(0, |o| t.occ_major[o as usize]);
        let male = rng.chance(occ.map_or(MALE_BY_MAJOR[0], |o| t.occ_male[o as usize]));

        // Education, then an age that leaves time for the career.
        let mut education = if status == EmploymentStatus::Student {
            Education::ALL[t.student_education.pick(rng)]
        } else {
            Education::ALL[t.education_by_major[usize::from(major.min(8))].pick(rng)]
        };
        if rank == 1 && education > Education::HigherVocational {
            education = Education::HigherVocational;
        }
        let completion = completion_age(education);
        let career_min = completion + MIN_CAREER_YEARS[usize::from(rank)] + 1;
        let mut retire_age = 0;
        let age = match status {
            EmploymentStatus::Student => rng.between(18, 24),
            EmploymentStatus::Retired => {
                retire_age = if male {
                    if rng.chance(0.75) { 60 } else { 55 }
                } else if rng.chance(0.7) {
                    50
                } else {
                    55
                };
                retire_age = retire_age.max(career_min).min(62);
                rng.between(retire_age, 62)
            }
            _ if rank == 1 => rng.between((completion + 1).max(18), 28.max(completion + 1)),
            EmploymentStatus::Unemployed => {
                18 + t.age_pick.pick_from(rng, (career_min + 2 - 18).max(0) as usize) as i32
            }
            _ => 18 + t.age_pick.pick_from(rng, (career_min - 18).max(0) as usize) as i32,
        };
        if age >= 50 && education >= Education::HigherVocational && rank != 1 && rng.chance(0.45) {
            // Fewer graduates among the older cohorts.
            education = if rng.chance(0.5) { Education::SeniorSecondary } else { Education::SecondaryVocational };
        }
        let completion = completion_age(education);

        // Birth date with exactly `age` years today, and a unique identity number.
        let lo = jd(add_years(t.today, -(age + 1))) + 1;
        let hi = jd(add_years(t.today, -age));
        let mut birth = rng.between(lo, hi);
        let migrant = rng.chance(MIGRANT_SHARE) && !t.migrant_codes.is_empty();
        let mut address = if migrant {
            t.migrant_codes[t.migrant_pick.pick(rng)]
        } else {
            let home = if rng.chance(0.75) { d } else { t.district_pick.pick(rng) };
            let dist = &t.districts[home];
            let born_year = day(birth).year();
            let former: Vec<u16> =
                dist.former.iter().filter(|(_, until)| born_year < *until).map(|(c, _)| *c).collect();
            if former.is_empty() { dist.address } else { *rng.pick(&former) }
        };
        let mut seq = self.ids.take(usize::from(address), birth, male);
        let mut shift = 0;
        while seq.is_none() {
            // Every sequence code of that day is taken: the day before (or a home district).
            shift += 1;
            let candidate = birth - 1;
            if candidate > jd(add_years(t.today, -63)) && shift < 366 {
                birth = candidate;
            } else {
                address = ((usize::from(address) + 1) % t.address_codes.len()) as u16;
            }
            seq = self.ids.take(usize::from(address), birth, male);
        }
        let birth_date = day(birth);
        let mut body = String::with_capacity(18);
        body.push_str(&t.address_codes[usize::from(address)]);
        body.push_str(&format!(
            "{:04}{:02}{:02}{:03}",
            birth_date.year(),
            u8::from(birth_date.month()),
            birth_date.day(),
            seq.unwrap_or(1)
        ));
        let check = id_number::check_char(&body).unwrap_or('0');
        body.push(check);
        let id_number = body;
        let name = t.person_name(male, birth_date.year(), rng);

        // Working life: start after school, end today (or at retirement / job loss).
        let grad = years_later(birth, completion);
        let career_end = match status {
            EmploymentStatus::Unemployed => today_jd - rng.between(30, 730),
            EmploymentStatus::Retired => years_later(birth, retire_age).min(today_jd),
            _ => today_jd,
        };
        let need = MIN_CAREER_YEARS[usize::from(rank)] * 366 + 10;
        let work_start = if status == EmploymentStatus::Student {
            None
        } else if rank == 1 {
            let recent = today_jd - rng.between(120, 3 * 365);
            Some(grad.max(recent).max(jd(Date::from_calendar_date(2021, Month::January, 1).unwrap_or(t.today))))
                .map(|w| w.min(today_jd - 100))
        } else {
            let room = (career_end - need - grad).max(0);
            Some(grad + rng.between(0, room.min(548)))
        };

        // Employment spells.
        let mut spells: Vec<Spell> = Vec::new();
        if let Some(ws) = work_start {
            let end_of_last = career_end;
            let years = (end_of_last - ws) / 365;
            let mut k = if years < 2 || rank == 1 || rank >= 7 {
                1
            } else {
                match rng.below(20) {
                    0..=8 => 1,
                    9..=15 => 2,
                    _ => 3,
                }
            };
            if status == EmploymentStatus::SelfEmployed {
                // Some worked for an employer before going their own way.
                if rng.chance(0.45) && end_of_last - ws > 400 {
                    let e = t.pick_employer(t.district_pick.pick(rng), false, rng);
                    let end = rng.between(ws + 180, end_of_last - 200);
                    spells.push(Spell { org: e, start: ws, end: Some(end) });
                }
            } else if let Some(current) = employer {
                let (lo, hi) = (ws + 180, end_of_last - 90);
                if hi - lo < 365 {
                    k = 1;
                }
                let mut starts = vec![ws];
                let mut cuts: Vec<i32> = (1..k).map(|_| rng.between(lo, hi)).collect();
                cuts.sort_unstable();
                for c in cuts {
                    if starts.last().is_some_and(|s| c >= s + 120) {
                        starts.push(c);
                    }
                }
                k = starts.len();
                let mut prev_org = current;
                let mut orgs: Vec<u32> = Vec::with_capacity(k);
                for _ in 1..k {
                    let home = if rng.chance(0.7) { d } else { t.district_pick.pick(rng) };
                    let mut e = t.pick_employer(home, false, rng);
                    if e == prev_org {
                        e = t.pick_employer(home, false, rng);
                    }
                    prev_org = e;
                    orgs.push(e);
                }
                orgs.reverse();
                orgs.push(current);
                for (i, org) in orgs.iter().enumerate() {
                    let start = starts[i];
                    let end = if i + 1 < starts.len() {
                        Some((starts[i + 1] - 1 - rng.between(0, 60)).max(start))
                    } else if status == EmploymentStatus::Employed {
                        None
                    } else {
                        Some(end_of_last.max(start))
                    };
                    spells.push(Spell { org: *org, start, end });
                }
            }
        }

        // The occupation the skill levels are in.
        let trade = match occ {
            Some(o) if rank >= 1 && (major == 4 || major == 6) => {
                if rank >= 2 && rng.chance(0.15) {
                    t.sibling(o, rng).or(Some(o))
                } else {
                    Some(o)
                }
            }
            Some(o) if rank >= 1 => profile.and_then(|p| t.pick_trade(p, rng)).or(Some(o)),
            _ if rank >= 1 => t.pick_trade(t.self_employed_profile, rng),
            _ => None,
        };

        // Level history: (rank, Julian day).
        let mut history: Vec<(u8, i32)> = Vec::new();
        if let (Some(_), true) = (trade, rank >= 1) {
            match work_start {
                None => {
                    // A student who took 初级工 at school.
                    let from = years_later(birth, 16) + 1;
                    history.push((rank.min(2), rng.between(from, today_jd - 1)));
                }
                Some(ws) if rank == 1 => {
                    let from = ws + rng.between(90, 365);
                    let min_date = jd(Date::from_calendar_date(2021, Month::July, 1).unwrap_or(t.today));
                    history.push((1, from.max(min_date).min(today_jd - 1)));
                }
                Some(ws) => history = ladder_history(rank, education, ws, career_end, rng),
            }
        }

        // Skill levels with their sources, issuers and certificate numbers.
        let mut levels = Vec::with_capacity(history.len() + 1);
        let trade_occ = trade.unwrap_or(0);
        for (r, date) in &history {
            let at = Obtained { occ: trade_occ, rank: *r, date: *date };
            levels.extend(certify(t, rng, &mut self.serials, &id_number, at, &spells));
        }
        if rank >= 3
            && let (Some(ws), Some(tr)) = (work_start, trade)
            && rng.chance(0.06)
            && let Some(second) = t.sibling(tr, rng)
        {
            // A second trade at 初级工 (an electrician who also took 焊工).
            let from = years_later(ws, 1) + 1;
            if from < career_end {
                let at = Obtained { occ: second, rank: 2, date: rng.between(from, career_end) };
                levels.extend(certify(t, rng, &mut self.serials, &id_number, at, &spells));
            }
        }

        // Employment records: earlier spells in the trade, the current one in the occupation.
        let n_spells = spells.len();
        let employment: Vec<NewEmployment> = spells
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let o = if i + 1 == n_spells { occ } else { trade.or(occ) };
                NewEmployment {
                    id_number: id_number.clone(),
                    employer_uscc: t.orgs[s.org as usize].uscc.clone(),
                    start: day(s.start),
                    end: s.end.map(day),
                    occupation_code: o.map(|o| t.occ_codes[o as usize].clone()),
                }
            })
            .collect();

        if counted {
            self.employed_by_district[d] += 1;
            if let Some(i) =
                employer.filter(|_| status == EmploymentStatus::Employed).and_then(|e| t.org_info[e as usize].industry)
            {
                self.employed_by_industry[usize::from(i)] += 1;
                self.employed_with_industry += 1;
            }
        }

        // Insurance: unemployment and pension insurance paid through each spell at an employer
        // (the demo's assumption; derived, not drawn, so the rest of the city is unchanged).
        let insurance = employment
            .iter()
            .flat_map(|e: &NewEmployment| {
                [InsuranceScheme::Unemployment, InsuranceScheme::Pension].map(|scheme| NewInsuranceSpell {
                    id_number: e.id_number.clone(),
                    scheme,
                    starts_on: e.start,
                    ends_on: e.end,
                    district_code: None,
                })
            })
            .collect();

        let current_employer = employer.filter(|_| status == EmploymentStatus::Employed);
        DemoPerson {
            person: NewPerson {
                id_type: IdType::ResidentId,
                id_number,
                id_from_15: false,
                name,
                gender: Some(if male { "M" } else { "F" }.to_string()),
                birth_date: Some(birth_date),
                district_code: Some(t.districts[d].code.clone()),
                employer_uscc: current_employer.map(|e| t.orgs[e as usize].uscc.clone()),
                occupation_code: occ.map(|o| t.occ_codes[o as usize].clone()),
                education: Some(education),
                employment_status: Some(status),
                work_start: work_start.map(day),
            },
            levels,
            employment,
            insurance,
        }
    }
}

/// Dates at which a worker reached each rank up to `rank`, from `work_start`, all by
/// `career_end`, respecting the template's minimum intervals.
pub(crate) fn ladder_history(
    rank: u8,
    education: Education,
    work_start: i32,
    career_end: i32,
    rng: &mut Rng,
) -> Vec<(u8, i32)> {
    // Where the ladder starts: 中级工 on graduating from a technician or vocational school, or
    // after 6 years of work; else 初级工 after a year of work (or an apprenticeship).
    let mut first = 2u8;
    let mut first_years = MIN_YEARS_TO[2];
    let mut first_extra = MEAN_EXTRA_DAYS[2];
    let available = career_end - work_start;
    let path_days = |from: u8, first_years: i32| -> i32 {
        let mut y = first_years;
        for r in (from + 1)..=rank {
            y += MIN_YEARS_TO[usize::from(r)];
        }
        y * 366 + 10
    };
    if rank >= 3 {
        if let Some(p) = school_path(education)
            && rng.chance(p)
        {
            first = 3;
            first_years = 0;
            first_extra = 60.0;
        } else if rng.chance(0.12) && path_days(3, 6) <= available {
            first = 3;
            first_years = 6;
            first_extra = 700.0;
        }
    }
    let mut steps: Vec<(u8, i32, f64)> = Vec::new();
    // 30 % of recent starters were apprentices first (企业新型学徒制 since 2021).
    let apprentice_from = jd(Date::from_calendar_date(2021, Month::July, 1).unwrap_or(Date::MIN));
    if first == 2 && work_start >= apprentice_from && rng.chance(0.3) {
        steps.push((1, 0, 200.0));
    }
    steps.push((first, first_years, first_extra));
    for r in (first + 1)..=rank {
        steps.push((r, MIN_YEARS_TO[usize::from(r)], MEAN_EXTRA_DAYS[usize::from(r)]));
    }
    let min_days: i32 = steps.iter().map(|(_, y, _)| y * 366 + 1).sum();
    let slack = f64::from((available - min_days).max(0));
    let mut extras: Vec<f64> = steps.iter().map(|(_, _, mean)| rng.exp(*mean)).collect();
    let sum: f64 = extras.iter().sum();
    if sum > slack {
        let k = slack / sum * rng.unit().max(0.5);
        for e in &mut extras {
            *e *= k;
        }
    }
    let mut out = Vec::with_capacity(steps.len());
    let mut at = work_start;
    for (i, (r, years, _)) in steps.iter().enumerate() {
        let date = years_later(at, *years) + 1 + extras[i] as i32;
        if date > career_end {
            // Cannot happen with the slack computed above; never record a future level.
            break;
        }
        out.push((*r, date));
        at = date;
    }
    out
}

/// Certificate serials handed out so far per issuing organisation.
pub(crate) struct Serials {
    pub(crate) national: Vec<u32>,
    pub(crate) legacy: Vec<u32>,
}

/// A level to record: occupation index, rank and Julian day obtained.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Obtained {
    pub(crate) occ: u32,
    pub(crate) rank: u8,
    pub(crate) date: i32,
}

/// The level with its source, issuer and certificate number.
pub(crate) fn certify(
    t: &Tables,
    rng: &mut Rng,
    serials: &mut Serials,
    id_number: &str,
    at: Obtained,
    spells: &[Spell],
) -> Option<NewLevel> {
    let Obtained { occ, rank, date } = at;
    let level = Level::new(rank)?;
    let on = day(date);
    let year = on.year();
    let employer_then = spells
        .iter()
        .find(|s| s.start <= date && s.end.is_none_or(|e| date <= e))
        .map(|s| s.org)
        .filter(|o| t.org_info[*o as usize].kind == OrgKind::Enterprise);
    let evaluator = if t.evaluators.is_empty() { None } else { Some(t.evaluators[t.evaluator_pick.pick(rng)]) };
    let (source, issuer) = match rank {
        // Only an enterprise grades its apprentices: none to record without one.
        1 if employer_then.is_none() => return None,
        1 => (LevelSource::EnterpriseEvaluation, employer_then),
        7 | 8 => (LevelSource::Appointment, employer_then),
        _ if year >= 2020 && employer_then.is_some() && rng.chance(0.35) => {
            (LevelSource::EnterpriseEvaluation, employer_then)
        }
        _ if rank >= 4 && year >= 2012 && rng.chance(0.07) => (LevelSource::Competition, evaluator),
        _ => (LevelSource::Exam, evaluator),
    };
    let issuer = if year < 1995 && source == LevelSource::Exam { None } else { issuer };
    let level_code = t.level_codes[usize::from(rank)];
    let certificate_no = match (issuer, level_code) {
        (Some(org), Some(lc)) if year >= 2020 && source != LevelSource::Appointment => {
            let category = if source == LevelSource::EnterpriseEvaluation { 'Y' } else { 'S' };
            let o = org as usize;
            serials.national[o] += 1;
            let serial = serials.national[o] % 1_000_000;
            let site = format!("{:06}", (o + 1) % 1_000_000);
            CertificateNo::national(category, "0000", &t.province, &site, (year % 100) as u8, lc, serial)
                .ok()
                .map(|c| c.as_str().to_string())
        }
        (Some(org), Some(lc)) if (1995..2020).contains(&year) && source != LevelSource::EnterpriseEvaluation => {
            // 16-digit 职业资格证书 number: year, province, city 00, local testing station (2),
            // station serial, level, sequence.
            let o = org as usize;
            serials.legacy[o] += 1;
            let station = t.org_info[o].evaluator_ordinal % 1000;
            let seq = (serials.legacy[o] - 1) % 99_999 + 1;
            let text = format!("{:02}{}002{station:03}{lc}{seq:05}", year % 100, t.province);
            CertificateNo::parse(&text).ok().map(|c| c.as_str().to_string())
        }
        _ => None,
    };
    Some(NewLevel {
        id_number: id_number.to_string(),
        occupation_code: t.occ_codes[occ as usize].clone(),
        trade: t.occ_trade[occ as usize].to_string(),
        level,
        obtained_on: on,
        source,
        certificate_no,
        issuer_uscc: issuer.map(|o| t.orgs[o as usize].uscc.clone()),
    })
}
