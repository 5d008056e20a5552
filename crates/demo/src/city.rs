//! Everything fixed once the city is built from a policy and a catalogue: districts,
//! organisations, occupations and the distributions persons are drawn from.

use std::collections::HashSet;

use gongjiang_domain::dates::add_years;
use gongjiang_domain::id_number::{is_province_prefix, province_name};
use gongjiang_domain::level::Level;
use gongjiang_domain::occupation::Catalogue;
use gongjiang_domain::policy::Policy;
use gongjiang_domain::records::NewOrganisation;
use gongjiang_domain::registry::OrgKind;
use gongjiang_domain::uscc;
use time::Date;

use crate::rng::{Rng, Weighted};
use crate::tables::{
    BRANCHES, BRAND, COMMON_BOOST, COMMON_OCCUPATIONS, DISTRICT_PROFILE, EDUCATION_BY_MAJOR, EDUCATION_GROUPS,
    ENTERPRISE_SUFFIXES, EVALUATION_TRADES, FEMALE_NEW, FEMALE_OLD, FORMER_CODE_UNTIL, HIGH_SKILLED_OF_SKILLED,
    INDUSTRIES, MALE_BY_MAJOR, MALE_NEW, MALE_OLD, MANUFACTURING_COMMON, MIGRANT_REGIONS, MIN_ORGS, PERSONS_PER_ORG,
    RANK_SHAPE, RANKS_RETIRED, RANKS_STUDENT, RANKS_UNEMPLOYED, SELF_EMPLOYED_GROUPS, SKILLED_SHARE, STATUSES,
    STUDENT_EDUCATION, SURNAMES, TECH_SCHOOL_WORDS, TRADES, VOCATIONAL_WORDS,
};

pub(crate) struct DistrictInfo {
    pub(crate) code: String,
    /// 滨海 for 滨海新区: what enterprise names use.
    pub(crate) short: String,
    /// 滨海新区.
    pub(crate) full: String,
    /// Normalised share of the employed.
    pub(crate) share: f64,
    pub(crate) manufacturing_bias: f64,
    /// Index into `Tables::address_codes` of the current code.
    pub(crate) address: u16,
    /// Former codes (index, used for births before this year).
    pub(crate) former: Vec<(u16, i32)>,
    /// Employment statistics: factor of the registry count in the last year, and yearly
    /// growth before it.
    pub(crate) stat_factor: f64,
    pub(crate) stat_growth: f64,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct OrgInfo {
    pub(crate) kind: OrgKind,
    pub(crate) district: u16,
    /// Index into `Tables::industries` (codes the policy knows).
    pub(crate) industry: Option<u16>,
    /// Index into `Tables::profiles`.
    pub(crate) profile: u16,
    /// Ordinal among evaluation institutions (legacy certificate numbers), else 0.
    pub(crate) evaluator_ordinal: u16,
}

/// A medium category (中类) of the catalogue with its detail occupations.
pub(crate) struct Group {
    pub(crate) major: u8,
    pub(crate) details: Vec<u32>,
    pub(crate) pick: Weighted,
}

/// Which occupation groups an employer's staff hold: `all` for anyone, `skilled` tilted towards
/// the categories skill levels are certified in (4 and 6), `trades` only those.
pub(crate) struct Profile {
    pub(crate) groups: Vec<u32>,
    pub(crate) all: Weighted,
    pub(crate) skilled: Weighted,
    pub(crate) trades: Weighted,
}

/// Everything fixed once the city is built.
pub(crate) struct Tables {
    pub(crate) today: Date,
    pub(crate) today_jd: i32,
    pub(crate) jurisdiction: String,
    /// GB/T 2260 province prefix for certificate numbers.
    pub(crate) province: String,
    /// The certificate level code of each ladder rank (index = rank), from the policy's ladder.
    pub(crate) level_codes: [Option<u8>; 9],
    pub(crate) districts: Vec<DistrictInfo>,
    pub(crate) district_pick: Weighted,
    pub(crate) address_codes: Vec<String>,
    pub(crate) migrant_codes: Vec<u16>,
    pub(crate) migrant_pick: Weighted,
    pub(crate) industries: Vec<String>,
    pub(crate) orgs: Vec<NewOrganisation>,
    pub(crate) org_info: Vec<OrgInfo>,
    /// Enterprises per district, weighted by size.
    pub(crate) enterprises: Vec<(Vec<u32>, Weighted)>,
    pub(crate) all_enterprises: (Vec<u32>, Weighted),
    /// Schools, training centres and institutions per district.
    pub(crate) others: Vec<Vec<u32>>,
    pub(crate) evaluators: Vec<u32>,
    pub(crate) evaluator_pick: Weighted,
    pub(crate) occ_codes: Vec<String>,
    pub(crate) occ_group: Vec<u32>,
    pub(crate) occ_major: Vec<u8>,
    pub(crate) occ_male: Vec<f64>,
    pub(crate) occ_trade: Vec<&'static str>,
    pub(crate) groups: Vec<Group>,
    pub(crate) profiles: Vec<Profile>,
    pub(crate) self_employed_profile: u16,
    pub(crate) status_pick: Weighted,
    pub(crate) counted: [bool; 5],
    pub(crate) rank_counted: Weighted,
    pub(crate) rank_other: [Weighted; 5],
    /// Ages 18..=62 of the working population.
    pub(crate) age_pick: Weighted,
    pub(crate) education_by_major: Vec<Weighted>,
    pub(crate) student_education: Weighted,
    pub(crate) surname_pick: Weighted,
    pub(crate) male_old: Vec<char>,
    pub(crate) male_new: Vec<char>,
    pub(crate) female_old: Vec<char>,
    pub(crate) female_new: Vec<char>,
    /// Employed persons expected per person still to draw (for statistics drawn early).
    pub(crate) p_counted: f64,
    pub(crate) industry_factor: f64,
    pub(crate) industry_growth: f64,
}

pub(crate) fn jd(d: Date) -> i32 {
    d.to_julian_day()
}

pub(crate) fn day(jd: i32) -> Date {
    Date::from_julian_day(jd).unwrap_or(Date::MIN)
}

pub(crate) fn years_later(jd_from: i32, years: i32) -> i32 {
    add_years(day(jd_from), years).to_julian_day()
}

/// Strips the administrative suffix: 滨海新区 → 滨海, 和平区 → 和平, 天津市 → 天津.
pub(crate) fn short_name(name: &str) -> String {
    for suffix in ["自治区", "新区", "区", "县", "市", "省"] {
        if let Some(s) = name.strip_suffix(suffix)
            && !s.is_empty()
        {
            return s.to_string();
        }
    }
    name.to_string()
}

/// Builds a credit code: authority and type, region, a 9-character organisation code derived
/// from `serial` by a bijection (unique per serial; `prefix` "MA"/"MJ" for post-2015 style
/// codes, none for the older all-digit style) with its GB 11714 check character, and the
/// GB 32100 check character.
pub(crate) fn make_uscc(authority: char, kind: char, region: &str, serial: u64, prefix: Option<&str>) -> String {
    let alphabet = uscc::ALPHABET.as_bytes();
    let mut org = String::with_capacity(9);
    match prefix {
        Some(p) => {
            org.push_str(p);
            let m = 31u64.pow(6);
            let mut n = (serial + 1).wrapping_mul(48_271) % m;
            let mut tail = [b'0'; 6];
            for slot in tail.iter_mut().rev() {
                *slot = alphabet[(n % 31) as usize];
                n /= 31;
            }
            org.extend(tail.iter().map(|b| *b as char));
        }
        None => {
            let n = (serial + 1).wrapping_mul(48_271_597) % 100_000_000;
            org.push_str(&format!("{n:08}"));
        }
    }
    const W: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = org
        .bytes()
        .zip(W)
        .map(|(c, w)| w * if c.is_ascii_digit() { u32::from(c - b'0') } else { u32::from(c - b'A') + 10 })
        .sum();
    org.push(match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        r => char::from(b'0' + r as u8),
    });
    let first17 = format!("{authority}{kind}{region}{org}");
    let check = uscc::check_char(&first17).unwrap_or('0');
    format!("{first17}{check}")
}

impl Tables {
    pub(crate) fn build(policy: &Policy, catalogue: &Catalogue, persons: u64, rng: &mut Rng, today: Date) -> Tables {
        let jurisdiction = policy.meta.jurisdiction.clone();
        let province = jurisdiction.get(..2).filter(|p| is_province_prefix(p)).unwrap_or("12").to_string();
        // The jurisdiction's name (天津市), not the policy document's.
        let city_full = match policy.meta.jurisdiction_name_zh.trim() {
            "" => province_name(&province).map_or_else(|| policy.meta.name_zh.clone(), |m| m.zh),
            name => name.to_string(),
        };
        let city_short = short_name(&city_full);

        // --- districts and the address codes of identity numbers
        let mut address_codes: Vec<String> = Vec::new();
        let mut districts: Vec<DistrictInfo> = Vec::new();
        let policy_districts: Vec<(String, String)> = if policy.districts.is_empty() {
            vec![(jurisdiction.clone(), city_full.clone())]
        } else {
            policy.districts.iter().map(|d| (d.code.clone(), d.name_zh.clone())).collect()
        };
        for (code, name) in &policy_districts {
            let (share, bias) = DISTRICT_PROFILE
                .iter()
                .find(|(c, _, _)| c == code)
                .map(|(_, s, b)| (*s, *b))
                .unwrap_or((100.0 / policy_districts.len() as f64, 1.0));
            address_codes.push(code.clone());
            let address = (address_codes.len() - 1) as u16;
            let mut former = Vec::new();
            for f in policy.former_district_codes.iter().filter(|f| &f.current == code) {
                if f.code.len() == 6 && f.code.bytes().all(|b| b.is_ascii_digit()) {
                    let until = FORMER_CODE_UNTIL.iter().find(|(c, _)| *c == f.code).map_or(2000, |(_, y)| *y);
                    address_codes.push(f.code.clone());
                    former.push(((address_codes.len() - 1) as u16, until));
                }
            }
            districts.push(DistrictInfo {
                code: code.clone(),
                short: short_name(name),
                full: name.clone(),
                share,
                manufacturing_bias: bias,
                address,
                former,
                stat_factor: 0.97 + 0.08 * rng.unit(),
                stat_growth: 0.004 + 0.014 * rng.unit(),
            });
        }
        let total_share: f64 = districts.iter().map(|d| d.share).sum();
        for d in &mut districts {
            d.share /= total_share;
        }
        let district_pick = Weighted::new(districts.iter().map(|d| d.share));
        let home_province = &jurisdiction[..jurisdiction.len().min(2)];
        let mut migrant_codes = Vec::new();
        let mut migrant_weights = Vec::new();
        for (code, w) in MIGRANT_REGIONS.iter().filter(|(c, _)| !c.starts_with(home_province)) {
            address_codes.push((*code).to_string());
            migrant_codes.push((address_codes.len() - 1) as u16);
            migrant_weights.push(*w);
        }
        let migrant_pick = Weighted::new(migrant_weights);

        // --- occupations: groups of detail occupations, weighted
        let mut occ_codes = Vec::new();
        let mut occ_group = Vec::new();
        let mut occ_major = Vec::new();
        let mut occ_male = Vec::new();
        let mut occ_trade = Vec::new();
        let mut group_codes: Vec<String> = Vec::new();
        let mut group_details: Vec<(u8, Vec<u32>, Vec<f64>)> = Vec::new();
        for o in catalogue.details() {
            let code = o.code.as_str();
            let major = o.code.major();
            let medium = o.code.at_depth(2).map(|c| c.as_str().to_string()).unwrap_or_else(|| major.to_string());
            let g = match group_codes.last() {
                Some(last) if *last == medium => group_codes.len() - 1,
                _ => match group_codes.iter().position(|c| *c == medium) {
                    Some(i) => i,
                    None => {
                        group_codes.push(medium);
                        group_details.push((major, Vec::new(), Vec::new()));
                        group_codes.len() - 1
                    }
                },
            };
            let common = COMMON_OCCUPATIONS.iter().find(|(n, _)| *n == o.name);
            let weight = if common.is_some() {
                COMMON_BOOST
            } else if o.code.is_other() {
                0.2
            } else {
                1.0
            };
            let i = occ_codes.len() as u32;
            occ_codes.push(code.to_string());
            occ_group.push(g as u32);
            occ_major.push(major);
            occ_male.push(common.map_or(MALE_BY_MAJOR[usize::from(major.min(8))], |(_, m)| *m));
            occ_trade.push(TRADES.iter().find(|(n, _)| *n == o.name).map_or("", |(_, t)| *t));
            group_details[g].1.push(i);
            group_details[g].2.push(weight);
        }
        let groups: Vec<Group> = group_details
            .into_iter()
            .map(|(major, details, weights)| Group { major, details, pick: Weighted::new(weights) })
            .collect();
        let certified = |major: u8| major == 4 || major == 6;
        let make_profile = |spec: &[(&str, f64)]| -> Profile {
            let mut entries: Vec<(u32, f64)> = Vec::new();
            for (prefix, w) in spec {
                let matching: Vec<usize> = group_codes
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| *c == prefix || (!prefix.contains('-') && c.split('-').next() == Some(prefix)))
                    .map(|(i, _)| i)
                    .collect();
                for i in &matching {
                    entries.push((*i as u32, w / matching.len() as f64));
                }
            }
            if entries.is_empty() {
                // A catalogue without these groups: every group, by its number of occupations.
                entries = groups.iter().enumerate().map(|(i, g)| (i as u32, g.details.len() as f64)).collect();
            }
            let major = |i: u32| groups[i as usize].major;
            let mut trade_w: Vec<f64> =
                entries.iter().map(|(i, w)| if certified(major(*i)) { *w } else { 0.0 }).collect();
            let mut all_w: Vec<f64> = entries.iter().map(|(_, w)| *w).collect();
            let mut skilled_w: Vec<f64> =
                entries.iter().map(|(i, w)| if certified(major(*i)) { *w } else { *w * 0.08 }).collect();
            let mut ids: Vec<u32> = entries.iter().map(|(i, _)| *i).collect();
            if trade_w.iter().all(|w| *w <= 0.0) {
                // No production or service trades here: skill levels borrow every such group.
                for (i, g) in groups.iter().enumerate().filter(|(_, g)| certified(g.major)) {
                    ids.push(i as u32);
                    all_w.push(0.0);
                    skilled_w.push(0.0);
                    trade_w.push((g.details.len() as f64).sqrt());
                }
            }
            Profile {
                groups: ids,
                all: Weighted::new(all_w),
                skilled: Weighted::new(skilled_w),
                trades: Weighted::new(trade_w),
            }
        };

        // --- industries the policy knows, with a profile each (manufacturing: one per branch)
        let industries: Vec<String> = policy.industries.iter().map(|i| i.code.clone()).collect();
        let mut profiles: Vec<Profile> = Vec::new();
        // (index into INDUSTRIES, index into industries, first profile, profiles)
        let mut known: Vec<(usize, u16, u16)> = Vec::new();
        for (k, ind) in INDUSTRIES.iter().enumerate() {
            let Some(pos) = industries.iter().position(|c| c == ind.code) else { continue };
            let first = profiles.len() as u16;
            if ind.code == "C" {
                for b in BRANCHES {
                    let spec: Vec<(&str, f64)> = b.groups.iter().chain(MANUFACTURING_COMMON).copied().collect();
                    profiles.push(make_profile(&spec));
                }
            } else {
                profiles.push(make_profile(ind.groups));
            }
            known.push((k, pos as u16, first));
        }
        let education_profile = profiles.len() as u16;
        profiles.push(make_profile(EDUCATION_GROUPS));
        let self_employed_profile = profiles.len() as u16;
        profiles.push(make_profile(SELF_EMPLOYED_GROUPS));
        let fallback_profile = profiles.len() as u16;
        profiles.push(make_profile(&[("4", 1.0), ("6", 1.0)]));
        let education_industry = industries.iter().position(|c| c == "P").map(|p| p as u16);

        // --- organisations
        let n_orgs = (persons / PERSONS_PER_ORG).max(MIN_ORGS);
        let counts = [
            (OrgKind::PublicTrainingCentre, (n_orgs / 2000).clamp(1, 20)),
            (OrgKind::TechnicianSchool, (n_orgs / 500).clamp(2, 40)),
            (OrgKind::VocationalSchool, (n_orgs / 500).clamp(2, 50)),
            (OrgKind::TrainingInstitution, (n_orgs / 80).clamp(3, 3000)),
            (OrgKind::EvaluationInstitution, (n_orgs / 150).clamp(3, 400)),
        ];
        let n_other: u64 = counts.iter().map(|(_, n)| n).sum();
        let n_enterprises = n_orgs.saturating_sub(n_other).max(districts.len() as u64);

        let brand: Vec<char> = BRAND.chars().collect();
        let suffix_pick = Weighted::new(ENTERPRISE_SUFFIXES.iter().map(|(_, w)| *w));
        let mut names: HashSet<String> = HashSet::new();
        let mut orgs: Vec<NewOrganisation> = Vec::new();
        let mut org_info: Vec<OrgInfo> = Vec::new();
        let mut size: Vec<f64> = Vec::new();
        let mut evaluators: Vec<u32> = Vec::new();
        let find_district = |code: &str| districts.iter().position(|d| d.code == code);
        let brand_name = |rng: &mut Rng| -> String {
            let a = *rng.pick(&brand);
            let mut b = *rng.pick(&brand);
            if a == b {
                b = *rng.pick(&brand);
            }
            format!("{a}{b}")
        };

        for (kind, n) in counts {
            for k in 0..n {
                let d = match kind {
                    OrgKind::PublicTrainingCentre if k == 0 => find_district("120112").unwrap_or(0),
                    OrgKind::PublicTrainingCentre if k == 1 => {
                        find_district("120116").unwrap_or_else(|| district_pick.pick(rng))
                    }
                    _ => district_pick.pick(rng),
                };
                let dist = &districts[d];
                let mut name = String::new();
                for attempt in 0..40 {
                    name = match kind {
                        OrgKind::PublicTrainingCentre if k == 0 && attempt == 0 => {
                            format!("{city_full}职业技能公共实训中心")
                        }
                        OrgKind::PublicTrainingCentre => match rng.below(2) {
                            0 => format!("{city_full}{}公共实训基地", dist.full),
                            _ => format!("{city_short}{}先进制造业公共实训中心", dist.short),
                        },
                        OrgKind::TechnicianSchool => match rng.below(3) {
                            0 => format!("{city_full}{}技师学院", rng.pick(TECH_SCHOOL_WORDS)),
                            1 => format!("{city_full}{}高级技工学校", rng.pick(TECH_SCHOOL_WORDS)),
                            _ => format!("{city_full}{}技工学校", dist.full),
                        },
                        OrgKind::VocationalSchool => match rng.below(3) {
                            0 => format!("{city_short}{}职业技术学院", rng.pick(VOCATIONAL_WORDS)),
                            1 => format!("{city_full}{}职业中等专业学校", dist.full),
                            _ => format!("{city_full}{}中等专业学校", rng.pick(VOCATIONAL_WORDS)),
                        },
                        OrgKind::TrainingInstitution => match rng.below(2) {
                            0 => format!("{city_full}{}{}职业培训学校", dist.full, brand_name(rng)),
                            _ => format!("{city_short}{}职业技能培训中心", brand_name(rng)),
                        },
                        _ => match rng.below(3) {
                            0 => format!("{city_short}{}职业技能评价中心", brand_name(rng)),
                            1 => format!("{city_short}{}职业技能等级认定中心", brand_name(rng)),
                            _ => format!(
                                "{city_full}{}行业职业技能鉴定{}站",
                                rng.pick(EVALUATION_TRADES),
                                brand_name(rng)
                            ),
                        },
                    };
                    if attempt >= 30 {
                        name = format!("{name}（{}）", attempt - 29);
                    }
                    if !names.contains(&name) {
                        break;
                    }
                }
                names.insert(name.clone());
                let serial = orgs.len() as u64;
                let public = match kind {
                    OrgKind::PublicTrainingCentre => true,
                    OrgKind::TechnicianSchool => rng.chance(0.8),
                    OrgKind::VocationalSchool => rng.chance(0.85),
                    _ => false,
                };
                let uscc = if public {
                    make_uscc('1', '2', &dist.code, serial, None)
                } else {
                    make_uscc('5', '2', &dist.code, serial, Some("MJ"))
                };
                let ordinal = if kind == OrgKind::EvaluationInstitution {
                    evaluators.push(orgs.len() as u32);
                    (evaluators.len() - 1) as u16
                } else {
                    0
                };
                orgs.push(NewOrganisation {
                    uscc,
                    name,
                    kind,
                    district_code: dist.code.clone(),
                    industry: education_industry.map(|i| industries[usize::from(i)].clone()),
                    chains: None,
                });
                org_info.push(OrgInfo {
                    kind,
                    district: d as u16,
                    industry: education_industry,
                    profile: education_profile,
                    evaluator_ordinal: ordinal,
                });
                size.push(1.0 + 3.0 * rng.unit());
            }
        }

        // Enterprises: the first one in each district, so every district has an employer.
        let industry_pick: Vec<Weighted> = districts
            .iter()
            .map(|d| {
                Weighted::new(known.iter().map(|(k, _, _)| {
                    let p = &INDUSTRIES[*k];
                    match p.code {
                        "C" => p.weight * d.manufacturing_bias,
                        "A" | "B" | "D" | "E" => p.weight * d.manufacturing_bias.sqrt(),
                        _ => p.weight / d.manufacturing_bias.sqrt(),
                    }
                }))
            })
            .collect();
        let branch_pick = Weighted::new(BRANCHES.iter().map(|b| b.weight));
        // Chain enterprises, without drawing from the generator (the rest of the city stays as it
        // was): two manufacturers in three belong to a chain of the 新兴/优势 groups, every IT firm
        // to a 引领 one, chosen by serial number; every seventh manufacturer to a second chain.
        let chains_in = |groups: &[&str]| -> Vec<String> {
            policy
                .industrial_chains
                .iter()
                .filter(|c| c.group.as_deref().is_some_and(|g| groups.contains(&g)))
                .map(|c| c.id.clone())
                .collect()
        };
        let (leading_chains, manufacturing_chains) = (chains_in(&["1"]), chains_in(&["3", "4"]));
        let chains_for = |industry: Option<&str>, serial: usize| -> Option<Vec<String>> {
            let pick = |list: &[String], k: usize| list.get(k % list.len().max(1)).cloned();
            let mut v: Vec<String> = match industry {
                Some("C") if serial % 3 != 2 => pick(&manufacturing_chains, serial / 3).into_iter().collect(),
                Some("I") => pick(&leading_chains, serial).into_iter().collect(),
                _ => Vec::new(),
            };
            if industry == Some("C") && serial.is_multiple_of(7) {
                v.extend(pick(&manufacturing_chains, serial / 7 + 1));
            }
            v.sort();
            v.dedup();
            (!v.is_empty()).then_some(v)
        };
        for e in 0..n_enterprises {
            let d = if (e as usize) < districts.len() { e as usize } else { district_pick.pick(rng) };
            let dist = &districts[d];
            let (industry, profile, words): (Option<u16>, u16, &[&str]) = if industry_pick[d].is_empty() {
                (None, fallback_profile, &["实业", "科技", "商贸"])
            } else {
                let (k, pos, first) = known[industry_pick[d].pick(rng)];
                let p = &INDUSTRIES[k];
                if p.code == "C" {
                    let b = branch_pick.pick(rng);
                    (Some(pos), first + b as u16, BRANCHES[b].words)
                } else {
                    (Some(pos), first, p.words)
                }
            };
            let mut name = String::new();
            for attempt in 0..40 {
                let word = *rng.pick(words);
                let suffix = ENTERPRISE_SUFFIXES[suffix_pick.pick(rng)].0;
                let mut trade_name = brand_name(rng);
                if attempt >= 20 {
                    trade_name.push(*rng.pick(&brand));
                }
                name = match rng.below(20) {
                    0..=8 => format!("{city_short}{}{trade_name}{word}{suffix}", dist.short),
                    9..=16 => format!("{city_full}{trade_name}{word}{suffix}"),
                    _ => format!("{city_short}{trade_name}{word}{suffix}"),
                };
                if attempt >= 38 {
                    name = format!("{name}（{}）", orgs.len());
                }
                if !names.contains(&name) {
                    break;
                }
            }
            names.insert(name.clone());
            let serial = orgs.len() as u64;
            let prefix = if rng.chance(0.65) { Some("MA") } else { None };
            let industry_code = industry.map(|i| industries[usize::from(i)].clone());
            orgs.push(NewOrganisation {
                uscc: make_uscc('9', '1', &dist.code, serial, prefix),
                name,
                kind: OrgKind::Enterprise,
                district_code: dist.code.clone(),
                chains: chains_for(industry_code.as_deref(), serial as usize),
                industry: industry_code,
            });
            org_info.push(OrgInfo {
                kind: OrgKind::Enterprise,
                district: d as u16,
                industry,
                profile,
                evaluator_ordinal: 0,
            });
            // Pareto (α = 1.2) staff sizes, capped: a few large employers, many small ones.
            size.push((1.0 - rng.unit()).powf(-1.0 / 1.2).min(2000.0));
        }
        let mut enterprises: Vec<(Vec<u32>, Vec<f64>)> = vec![(Vec::new(), Vec::new()); districts.len()];
        let mut others: Vec<Vec<u32>> = vec![Vec::new(); districts.len()];
        let mut all_enterprises: (Vec<u32>, Vec<f64>) = (Vec::new(), Vec::new());
        for (i, info) in org_info.iter().enumerate() {
            if info.kind == OrgKind::Enterprise {
                enterprises[usize::from(info.district)].0.push(i as u32);
                enterprises[usize::from(info.district)].1.push(size[i]);
                all_enterprises.0.push(i as u32);
                all_enterprises.1.push(size[i]);
            } else {
                others[usize::from(info.district)].push(i as u32);
            }
        }
        let evaluator_pick = Weighted::new(evaluators.iter().map(|i| size[*i as usize]));

        // --- status, ladder and age distributions
        let status_pick = Weighted::new(STATUSES.iter().map(|(_, p)| *p));
        let mut counted = [false; 5];
        for (i, (s, _)) in STATUSES.iter().enumerate() {
            counted[i] = policy.kpi.employed_statuses.contains(s);
        }
        let p_counted: f64 = STATUSES.iter().zip(counted).filter(|(_, c)| *c).map(|((_, p), _)| *p).sum();
        let mut level_codes = [None; 9];
        for level in Level::all() {
            level_codes[usize::from(level.rank())] = policy.ladder.certificate_level_code(level);
        }
        let skilled_from = policy.ladder.skilled_from().rank();
        let high_from = policy.ladder.high_skilled_from().rank().max(skilled_from);
        let rank_counted = Weighted::new(calibrated_ranks(skilled_from, high_from));
        let rank_other = [
            rank_counted.clone(),
            rank_counted.clone(),
            Weighted::new(RANKS_UNEMPLOYED),
            Weighted::new(RANKS_RETIRED),
            Weighted::new(RANKS_STUDENT),
        ];
        // Employed population by age (per year of age): few at 18–19, peak 30–45.
        let age_pick = Weighted::new((18..=62).map(|a| match a {
            18..=19 => 0.6,
            20..=24 => 1.6,
            25..=29 => 2.4,
            30..=34 => 2.8,
            35..=39 => 2.7,
            40..=44 => 2.4,
            45..=49 => 2.3,
            50..=54 => 2.0,
            55..=59 => 1.2,
            _ => 0.5,
        }));
        let education_by_major = EDUCATION_BY_MAJOR.iter().map(|w| Weighted::new(*w)).collect();

        let today_jd = jd(today);
        Tables {
            today,
            today_jd,
            jurisdiction,
            province,
            level_codes,
            districts,
            district_pick,
            address_codes,
            migrant_codes,
            migrant_pick,
            industries,
            orgs,
            org_info,
            enterprises: enterprises.into_iter().map(|(ids, w)| (ids, Weighted::new(w))).collect(),
            all_enterprises: (all_enterprises.0, Weighted::new(all_enterprises.1)),
            others,
            evaluators,
            evaluator_pick,
            occ_codes,
            occ_group,
            occ_major,
            occ_male,
            occ_trade,
            groups,
            profiles,
            self_employed_profile,
            status_pick,
            counted,
            rank_counted,
            rank_other,
            age_pick,
            education_by_major,
            student_education: Weighted::new(STUDENT_EDUCATION),
            surname_pick: Weighted::new(SURNAMES.iter().map(|(_, w)| *w)),
            male_old: MALE_OLD.chars().collect(),
            male_new: MALE_NEW.chars().collect(),
            female_old: FEMALE_OLD.chars().collect(),
            female_new: FEMALE_NEW.chars().collect(),
            p_counted,
            industry_factor: 0.97 + 0.08 * rng.unit(),
            industry_growth: 0.004 + 0.014 * rng.unit(),
        }
    }

    pub(crate) fn pick_occupation(&self, profile: u16, skilled: bool, rng: &mut Rng) -> u32 {
        let p = &self.profiles[usize::from(profile)];
        let w = if skilled && !p.skilled.is_empty() { &p.skilled } else { &p.all };
        let w = if w.is_empty() { &p.trades } else { w };
        let g = &self.groups[p.groups[w.pick(rng)] as usize];
        g.details[g.pick.pick(rng)]
    }

    /// An occupation of production or service trades for a skill level.
    pub(crate) fn pick_trade(&self, profile: u16, rng: &mut Rng) -> Option<u32> {
        let p = &self.profiles[usize::from(profile)];
        if p.trades.is_empty() {
            return None;
        }
        let g = &self.groups[p.groups[p.trades.pick(rng)] as usize];
        Some(g.details[g.pick.pick(rng)])
    }

    /// Another occupation of the same group, if it has another.
    pub(crate) fn sibling(&self, occ: u32, rng: &mut Rng) -> Option<u32> {
        let g = &self.groups[self.occ_group[occ as usize] as usize];
        if g.details.len() < 2 {
            return None;
        }
        for _ in 0..4 {
            let o = g.details[g.pick.pick(rng)];
            if o != occ {
                return Some(o);
            }
        }
        None
    }

    pub(crate) fn pick_employer(&self, district: usize, enterprise_only: bool, rng: &mut Rng) -> u32 {
        let others = &self.others[district];
        if !enterprise_only && !others.is_empty() && rng.chance(0.03) {
            return *rng.pick(others);
        }
        let (ids, w) = &self.enterprises[district];
        if ids.is_empty() {
            let (ids, w) = &self.all_enterprises;
            return ids[w.pick(rng)];
        }
        ids[w.pick(rng)]
    }

    pub(crate) fn person_name(&self, male: bool, born: i32, rng: &mut Rng) -> String {
        let mut name = String::with_capacity(12);
        name.push_str(SURNAMES[self.surname_pick.pick(rng)].0);
        let old = born < 1980;
        let chars = match (male, old ^ rng.chance(0.25)) {
            (true, true) => &self.male_old,
            (true, false) => &self.male_new,
            (false, true) => &self.female_old,
            (false, false) => &self.female_new,
        };
        name.push(*rng.pick(chars));
        if rng.chance(0.75) {
            name.push(*rng.pick(chars));
        }
        name
    }
}

/// Rank probabilities (index 0 = no level) for persons the policy counts as employed: the
/// [`RANK_SHAPE`] scaled so that ranks ≥ `skilled_from` hold [`SKILLED_SHARE`] and ranks ≥
/// `high_from` hold [`HIGH_SKILLED_OF_SKILLED`] of those.
pub(crate) fn calibrated_ranks(skilled_from: u8, high_from: u8) -> [f64; 9] {
    let mut p = [0.0; 9];
    let high = SKILLED_SHARE * HIGH_SKILLED_OF_SKILLED;
    let fixed_top: f64 = (7..=8).filter(|r| *r >= high_from).map(|r| RANK_SHAPE[r as usize]).sum();
    let band = |from: u8, to: u8| (from..to).map(|r| RANK_SHAPE[usize::from(r)]).sum::<f64>();
    let low_shape = band(skilled_from, high_from);
    let high_shape = band(high_from, 7.max(high_from));
    for r in 1..=8u8 {
        let i = usize::from(r);
        p[i] = if r < skilled_from {
            RANK_SHAPE[1]
        } else if r < high_from {
            if low_shape > 0.0 { RANK_SHAPE[i] / low_shape * (SKILLED_SHARE - high) } else { 0.0 }
        } else if r >= 7 {
            RANK_SHAPE[i]
        } else if high_shape > 0.0 {
            RANK_SHAPE[i] / high_shape * (high - fixed_top)
        } else {
            0.0
        };
    }
    p[0] = (1.0 - p.iter().sum::<f64>()).max(0.0);
    p
}
