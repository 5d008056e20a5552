//! The two headline KPIs and their arithmetic: skilled talent as a share of employed persons,
//! and high-skilled talent as a share of skilled talent. Who counts as employed, skilled and
//! high-skilled, where the denominator comes from and what the targets are all come from the
//! policy; this module only combines counts. Shares are `f64` fractions (0.3142, not 31.42 %),
//! rounded only when printed.

use serde::Serialize;
use time::Date;

use crate::bilingual::Msg;
use crate::policy::{Denominator, KpiKind, KpiTarget};

/// How KPI rows are grouped.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Grouping {
    /// One row: the whole city.
    City,
    /// By the person's work district (GB/T 2260 code).
    District,
    /// By the employer's industry (GB/T 4754 section letter).
    Industry,
    /// By the major group (大类, first digit) of the person's registered occupation.
    Occupation,
    /// By the highest level each person holds as of the date (`none` = no valid level).
    Level,
    /// By the industrial chains (重点产业链) the person's employer belongs to: a person counts in
    /// every chain of their employer (`none` = the employer is in no chain, or there is none),
    /// so the chain rows overlap and do not add up to the city total.
    Chain,
}

impl Grouping {
    pub const ALL: [Grouping; 6] = [
        Grouping::City,
        Grouping::District,
        Grouping::Industry,
        Grouping::Occupation,
        Grouping::Level,
        Grouping::Chain,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Grouping::City => "city",
            Grouping::District => "district",
            Grouping::Industry => "industry",
            Grouping::Occupation => "occupation",
            Grouping::Level => "level",
            Grouping::Chain => "chain",
        }
    }

    /// Whether a person can count in several groups (by chain): the groups then do not add up
    /// to the total.
    pub fn overlapping(self) -> bool {
        self == Grouping::Chain
    }

    pub fn parse(s: &str) -> Option<Grouping> {
        let s = s.trim();
        match s {
            "" | "none" | "total" => Some(Grouping::City),
            _ => Grouping::ALL.into_iter().find(|g| g.code().eq_ignore_ascii_case(s)),
        }
    }
}

/// Where a row's skilled-share denominator comes from.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DenominatorSource {
    /// The statistics bureau's employed-persons figure for the year and group.
    OfficialStatistics,
    /// Employed persons in the registry.
    Registry,
    /// The policy asks for the official figure only and none is loaded: no share.
    Unavailable,
}

impl DenominatorSource {
    pub fn code(self) -> &'static str {
        match self {
            DenominatorSource::OfficialStatistics => "official_statistics",
            DenominatorSource::Registry => "registry",
            DenominatorSource::Unavailable => "unavailable",
        }
    }
}

// The codes of two policy enumerations (declared in `policy.rs`), as their serde names spell
// them; responses and files take codes from here, not from serialising the value.
impl Denominator {
    pub fn code(self) -> &'static str {
        match self {
            Denominator::OfficialStatisticsThenRegistry => "official_statistics_then_registry",
            Denominator::OfficialStatistics => "official_statistics",
            Denominator::Registry => "registry",
        }
    }
}

impl KpiKind {
    pub fn code(self) -> &'static str {
        match self {
            KpiKind::SkilledShare => "skilled_share",
            KpiKind::HighSkilledShare => "high_skilled_share",
        }
    }
}

/// Registry counts of one group as of a date.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Persons whose employment status the policy counts as employed.
    pub registry_employed: i64,
    /// Of those, persons whose highest valid level is at least the policy's skilled level.
    pub skilled: i64,
    /// Of those, persons whose highest valid level is at least the high-skilled level.
    pub high_skilled: i64,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        self.registry_employed += o.registry_employed;
        self.skilled += o.skilled;
        self.high_skilled += o.high_skilled;
    }
}

/// One KPI row: numerators, denominators, shares, targets and gaps — enough to recompute it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiRow {
    /// The group's code (district code, industry letter, occupation major group, level rank),
    /// `total` for the city, `unknown` for persons without the grouping attribute, `none` for
    /// persons without a valid level when grouping by level.
    pub group: String,
    pub name_zh: Option<String>,
    pub name_en: Option<String>,
    /// The skilled share's denominator: the official figure or the registry count.
    pub employed_persons: Option<i64>,
    pub denominator_source: DenominatorSource,
    /// Employed persons in the registry (always given, whatever the denominator).
    pub registry_employed: i64,
    pub skilled: i64,
    pub high_skilled: i64,
    /// skilled ÷ employed_persons.
    pub skilled_share: Option<f64>,
    /// high_skilled ÷ skilled.
    pub high_skilled_share: Option<f64>,
    pub target_skilled_share: Option<TargetRef>,
    /// target − share: positive when short of the target.
    pub gap_skilled_share: Option<f64>,
    pub target_high_skilled_share: Option<TargetRef>,
    pub gap_high_skilled_share: Option<f64>,
    /// The official count of skilled persons (技能人才数) for the group and year, if loaded.
    pub official_skilled: Option<i64>,
    /// The official count of high-skilled persons (高技能人才数), if loaded.
    pub official_high_skilled: Option<i64>,
    /// official_high_skilled ÷ official_skilled: the official high-skilled share.
    pub official_high_skilled_share: Option<f64>,
    /// The registry's coverage: skilled ÷ official_skilled.
    pub skilled_coverage: Option<f64>,
    /// high_skilled ÷ official_high_skilled.
    pub high_skilled_coverage: Option<f64>,
}

/// The target a row is compared with.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetRef {
    pub id: String,
    pub value: f64,
    /// `>` or `>=`, as the policy writes it.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub comparison: &'static str,
    #[serde(serialize_with = "crate::dates::serde_iso::serialize")]
    pub due: Date,
    /// The district the target is for; `None` = city-wide.
    pub district: Option<String>,
    /// Whether the share meets it.
    pub met: Option<bool>,
}

/// `num ÷ den`, or `None` when the denominator is zero.
pub fn share(num: i64, den: i64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

/// The skilled-share denominator the policy asks for, given the official figure (if loaded).
pub fn denominator(mode: Denominator, official: Option<i64>, registry: i64) -> (Option<i64>, DenominatorSource) {
    match (mode, official) {
        (Denominator::Registry, _) => (Some(registry), DenominatorSource::Registry),
        (_, Some(v)) => (Some(v), DenominatorSource::OfficialStatistics),
        (Denominator::OfficialStatisticsThenRegistry, None) => (Some(registry), DenominatorSource::Registry),
        (Denominator::OfficialStatistics, None) => (None, DenominatorSource::Unavailable),
    }
}

/// The target a KPI is measured against on `as_of`: a target for `district` if the policy sets
/// one, else a city-wide one; of those, the first due on or after `as_of` (the one still being
/// worked towards), or, when all are past, the latest.
pub fn target_for<'a>(
    targets: &'a [KpiTarget],
    kpi: KpiKind,
    district: Option<&str>,
    as_of: Date,
) -> Option<&'a KpiTarget> {
    let pick = |d: Option<&str>| {
        let mut of: Vec<&KpiTarget> = targets.iter().filter(|t| t.kpi == kpi && t.district.as_deref() == d).collect();
        of.sort_by_key(|t| t.due);
        of.iter().find(|t| t.due >= as_of).or(of.last()).copied()
    };
    district.and_then(|d| pick(Some(d))).or_else(|| pick(None))
}

/// Official counts of skilled and high-skilled persons (技能人才数, 高技能人才数) as the
/// statistics report them, beside which the registry's counts are shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OfficialSkills {
    pub skilled: Option<i64>,
    pub high_skilled: Option<i64>,
}

/// Everything that makes a row, before the arithmetic.
pub struct RowInput<'a> {
    pub group: String,
    /// The group's Chinese and English names, where known.
    pub names: (Option<String>, Option<String>),
    pub counts: Counts,
    /// The official employed-persons figure for the group and year, if loaded.
    pub official: Option<i64>,
    /// The official skilled and high-skilled counts for the group and year, where loaded.
    pub official_skills: OfficialSkills,
    /// District whose targets apply (else city-wide targets).
    pub target_district: Option<&'a str>,
    /// Whether targets mean anything for the row (not for a row of one level, whose shares
    /// are 0 or 1 by construction).
    pub with_targets: bool,
}

/// Builds a row from counts, the official figure and the policy's targets.
pub fn row(input: RowInput<'_>, mode: Denominator, targets: &[KpiTarget], as_of: Date) -> KpiRow {
    let c = input.counts;
    let (employed_persons, denominator_source) = denominator(mode, input.official, c.registry_employed);
    let skilled_share = employed_persons.and_then(|d| share(c.skilled, d));
    let high_skilled_share = share(c.high_skilled, c.skilled);
    let against = |kpi: KpiKind, value: Option<f64>| {
        if !input.with_targets {
            return None;
        }
        let t = target_for(targets, kpi, input.target_district, as_of)?;
        Some((
            TargetRef {
                id: t.id.clone(),
                value: t.value,
                comparison: match t.comparison {
                    crate::policy::Comparison::Greater => ">",
                    crate::policy::Comparison::GreaterOrEqual => ">=",
                },
                due: t.due,
                district: t.district.clone(),
                met: value.map(|v| t.is_met(v)),
            },
            value.map(|v| t.value - v),
        ))
    };
    let (target_skilled_share, gap_skilled_share) = match against(KpiKind::SkilledShare, skilled_share) {
        Some((t, g)) => (Some(t), g),
        None => (None, None),
    };
    let (target_high_skilled_share, gap_high_skilled_share) =
        match against(KpiKind::HighSkilledShare, high_skilled_share) {
            Some((t, g)) => (Some(t), g),
            None => (None, None),
        };
    let (name_zh, name_en) = input.names;
    let o = input.official_skills;
    KpiRow {
        group: input.group,
        name_zh,
        name_en,
        employed_persons,
        denominator_source,
        registry_employed: c.registry_employed,
        skilled: c.skilled,
        high_skilled: c.high_skilled,
        skilled_share,
        high_skilled_share,
        target_skilled_share,
        gap_skilled_share,
        target_high_skilled_share,
        gap_high_skilled_share,
        official_skilled: o.skilled,
        official_high_skilled: o.high_skilled,
        official_high_skilled_share: o.skilled.zip(o.high_skilled).and_then(|(s, h)| share(h, s)),
        skilled_coverage: o.skilled.and_then(|s| share(c.skilled, s)),
        high_skilled_coverage: o.high_skilled.and_then(|h| share(c.high_skilled, h)),
    }
}

/// A share for printing: four decimals, empty when there is none.
pub fn fmt_fraction(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.4}")).unwrap_or_default()
}

/// The message for an unknown `by` value.
pub fn unknown_grouping(s: &str) -> Msg {
    Msg::new(
        format!("无法识别的分组“{s}”（可用：district、industry、occupation、level、chain）"),
        format!("unknown grouping \"{s}\" (expected district, industry, occupation, level or chain)"),
    )
}

// ---------------------------------------------------------------------------------------------
// A person's highest valid level over time
// ---------------------------------------------------------------------------------------------

/// One level record as the KPI and supply counts read it: valid from `obtained_on` up to the day
/// before `revoked_on` (the first day it no longer counts).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HeldLevel {
    pub occupation_code: String,
    pub rank: u8,
    pub obtained_on: Date,
    pub revoked_on: Option<Date>,
}

impl HeldLevel {
    pub fn valid_on(&self, on: Date) -> bool {
        self.obtained_on <= on && self.revoked_on.is_none_or(|r| r > on)
    }
}

/// The highest rank valid on `on` among `levels`; 0 = none.
pub fn top_on<'a>(levels: impl IntoIterator<Item = &'a HeldLevel>, on: Date) -> u8 {
    levels.into_iter().filter(|l| l.valid_on(on)).map(|l| l.rank).max().unwrap_or(0)
}

/// The first day after `after` on which the highest valid rank can change: a level obtained or
/// revoked later.
pub fn next_change_after<'a>(levels: impl IntoIterator<Item = &'a HeldLevel>, after: Date) -> Option<Date> {
    levels.into_iter().flat_map(|l| [Some(l.obtained_on), l.revoked_on]).flatten().filter(|d| *d > after).min()
}

/// The highest valid rank changes from `from` to `to` on day `on` (0 = none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TopChange {
    pub on: Date,
    pub from: u8,
    pub to: u8,
}

/// Every day on which the highest valid rank among `levels` changes, in date order; before the
/// first of them the person holds no valid level. Summing these over persons gives the counts
/// at any date (see `store::kpi_counts`).
pub fn top_changes<'a>(levels: impl IntoIterator<Item = &'a HeldLevel>) -> Vec<TopChange> {
    let levels: Vec<&HeldLevel> = levels.into_iter().collect();
    let mut days: Vec<Date> = levels.iter().flat_map(|l| [Some(l.obtained_on), l.revoked_on]).flatten().collect();
    days.sort_unstable();
    days.dedup();
    let mut out = Vec::new();
    let mut current = 0;
    for on in days {
        let top = top_on(levels.iter().copied(), on);
        if top != current {
            out.push(TopChange { on, from: current, to: top });
            current = top;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;
    use time::macros::date;

    #[test]
    fn denominator_follows_the_policy_mode() {
        use Denominator::*;
        assert_eq!(
            denominator(OfficialStatisticsThenRegistry, Some(10), 3),
            (Some(10), DenominatorSource::OfficialStatistics)
        );
        assert_eq!(denominator(OfficialStatisticsThenRegistry, None, 3), (Some(3), DenominatorSource::Registry));
        assert_eq!(denominator(Registry, Some(10), 3), (Some(3), DenominatorSource::Registry));
        assert_eq!(denominator(OfficialStatistics, None, 3), (None, DenominatorSource::Unavailable));
    }

    #[test]
    fn a_row_from_counts() {
        let p = Policy::tianjin();
        let c = Counts { registry_employed: 8, skilled: 4, high_skilled: 1 };
        let input = RowInput {
            group: "total".into(),
            names: (None, None),
            counts: c,
            official: Some(10),
            official_skills: OfficialSkills { skilled: Some(5), high_skilled: Some(2) },
            target_district: None,
            with_targets: true,
        };
        let r = row(input, p.kpi.denominator, &p.kpi_targets, date!(2025 - 12 - 31));
        // The registry's 4 skilled of the official 5 (80 %), 1 high-skilled of 2 (50 %); the
        // official high-skilled share 2 ÷ 5.
        assert_eq!((r.official_skilled, r.official_high_skilled), (Some(5), Some(2)));
        assert_eq!((r.skilled_coverage, r.high_skilled_coverage), (Some(0.8), Some(0.5)));
        assert_eq!(r.official_high_skilled_share, Some(0.4));
        assert_eq!(r.skilled_share, Some(0.4));
        assert_eq!(r.high_skilled_share, Some(0.25));
        let t = r.target_skilled_share.unwrap();
        assert_eq!((t.value, t.met), (0.40, Some(false)), "0.40 is not > 0.40");
        assert!(r.gap_skilled_share.unwrap().abs() < 1e-12);
        assert!((r.gap_high_skilled_share.unwrap() - 0.10).abs() < 1e-12);
        assert_eq!(share(1, 0), None);
        assert_eq!(Grouping::parse("District"), Some(Grouping::District));
        assert_eq!(Grouping::parse("chain"), Some(Grouping::Chain));
        assert_eq!(Grouping::parse("chains"), None);
    }

    #[test]
    fn the_highest_level_over_time() {
        let l = |rank: u8, on: Date, revoked: Option<Date>| HeldLevel {
            occupation_code: "6-18-01-01".into(),
            rank,
            obtained_on: on,
            revoked_on: revoked,
        };
        // 中级工 2019; 技师 2021, revoked from 2023-03-01; 高级工 2022; 初级工 2024 (lower: no change).
        let levels = [
            l(3, date!(2019 - 05 - 01), None),
            l(5, date!(2021 - 07 - 01), Some(date!(2023 - 03 - 01))),
            l(4, date!(2022 - 01 - 10), None),
            l(2, date!(2024 - 01 - 01), None),
        ];
        assert_eq!(top_on(&levels, date!(2019 - 04 - 30)), 0);
        assert_eq!(top_on(&levels, date!(2021 - 07 - 01)), 5);
        assert_eq!(top_on(&levels, date!(2023 - 02 - 28)), 5);
        assert_eq!(top_on(&levels, date!(2023 - 03 - 01)), 4);
        let changes: Vec<(Date, u8, u8)> = top_changes(&levels).into_iter().map(|c| (c.on, c.from, c.to)).collect();
        assert_eq!(
            changes,
            [(date!(2019 - 05 - 01), 0, 3), (date!(2021 - 07 - 01), 3, 5), (date!(2023 - 03 - 01), 5, 4)]
        );
        assert_eq!(next_change_after(&levels, date!(2022 - 06 - 01)), Some(date!(2023 - 03 - 01)));
        assert_eq!(next_change_after(&levels, date!(2024 - 01 - 01)), None);
        // The same level revoked on the day it was obtained never counts.
        assert!(top_changes(&[l(4, date!(2020 - 01 - 01), Some(date!(2020 - 01 - 01)))]).is_empty());
    }
}
