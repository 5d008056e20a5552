//! The training system's rules (终身职业技能培训体系): learning hours as files and platforms
//! write them, and the checks of an enterprise new-type apprenticeship agreement against the
//! policy's rule set in force on its start (`policy::ApprenticeshipRules`). Pure.

use time::{Date, Month};

use crate::bilingual::Msg;
use crate::dates::iso;
use crate::level::Level;
use crate::policy::{ApprenticeshipRule, Policy};

/// Seconds in an hour (学时 is counted as a clock hour here).
pub const HOUR: i64 = 3600;

/// Decimal hours (`72`, `72.5`, `0.25`) → whole seconds. At most two decimals; not negative.
pub fn parse_hours(s: &str) -> Option<i64> {
    let s = s.trim();
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty() || whole.len() > 6 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if frac.len() > 2 || !frac.bytes().all(|b| b.is_ascii_digit()) || (s.contains('.') && frac.is_empty()) {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let hundredths: i64 = if frac.is_empty() { 0 } else { format!("{frac:0<2}").parse().ok()? };
    Some(whole * HOUR + hundredths * HOUR / 100)
}

/// Seconds → hours as a decimal with at most two places, rounded half up (`5400` → 1.5).
pub fn hours(seconds: i64) -> f64 {
    let hundredths = (seconds * 100 + HOUR / 2).div_euclid(HOUR);
    hundredths as f64 / 100.0
}

/// `date` plus whole months; a day the month lacks becomes its last (31 Jan + 1 = 28/29 Feb).
pub fn add_months(date: Date, months: u32) -> Date {
    let total = date.year() * 12 + i32::from(u8::from(date.month())) - 1 + months as i32;
    let (year, month) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u8);
    let month = Month::try_from(month).unwrap_or(Month::December);
    let last = time::util::days_in_month(month, year);
    Date::from_calendar_date(year, month, date.day().min(last)).unwrap_or(date)
}

/// The facts of an apprenticeship agreement that the rules read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agreement {
    /// `None`: an open-ended labour contract (无固定期限).
    pub contract_ends_on: Option<Date>,
    pub starts_on: Date,
    pub ends_on: Date,
    pub level: Level,
    /// Why the apprenticeship runs past the usual maximum (特殊情况延长的原因), if recorded.
    pub extension_reason: Option<String>,
}

/// A broken rule: the column it concerns (`contract_ends_on`, `ends_on`, `level`, `starts_on`)
/// and why, naming the rule set and, when inferred, saying so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breach {
    pub column: &'static str,
    pub reason: Msg,
}

fn cite(rule: &ApprenticeshipRule) -> (String, String) {
    match &rule.inferred {
        None => (format!("（规则 {}）", rule.id), format!(" (rule {})", rule.id)),
        Some(_) => (format!("（规则 {}，含推断）", rule.id), format!(" (rule {}, partly inferred)", rule.id)),
    }
}

/// Checks an agreement against the rule set in force on its start; every breach is returned.
pub fn check_apprenticeship(policy: &Policy, a: &Agreement) -> Vec<Breach> {
    let mut out = Vec::new();
    if a.ends_on <= a.starts_on {
        out.push(Breach {
            column: "ends_on",
            reason: Msg::new("结束日期应晚于开始日期", "the end date must be after the start date"),
        });
        return out;
    }
    let Some(rule) = policy.apprenticeship.in_force(a.starts_on) else {
        out.push(Breach {
            column: "starts_on",
            reason: Msg::new(
                format!("开始日期 {} 没有施行中的企业新型学徒制规则（见政策文件 [apprenticeship]）", iso(a.starts_on)),
                format!(
                    "no apprenticeship rules are in force on the start date {} (see [apprenticeship] in the policy)",
                    iso(a.starts_on)
                ),
            ),
        });
        return out;
    };
    let (zh, en) = cite(rule);
    if let Some(m) = rule.min_contract_months {
        let needed = add_months(a.starts_on, m);
        if let Some(end) = a.contract_ends_on
            && end < needed
        {
            out.push(Breach {
                column: "contract_ends_on",
                reason: Msg::new(
                    format!(
                        "劳动合同应为 {m} 个月以上：自开始日期 {} 起须至少到 {}，合同截止于 {}{zh}",
                        iso(a.starts_on),
                        iso(needed),
                        iso(end)
                    ),
                    format!(
                        "the labour contract must run at least {m} months: from the start {} to {} or later, but it ends on {}{en}",
                        iso(a.starts_on),
                        iso(needed),
                        iso(end)
                    ),
                ),
            });
        }
    }
    // Months are counted as calendar months from the start; a planned end on the day before
    // the anniversary (2024-03-01 → 2025-02-28) is a whole year.
    if let Some(m) = rule.min_months {
        let shortest = add_months(a.starts_on, m).previous_day().unwrap_or(a.starts_on);
        if a.ends_on < shortest {
            out.push(Breach {
                column: "ends_on",
                reason: Msg::new(
                    format!("学徒期应不少于 {m} 个月（至少到 {}）{zh}", iso(shortest)),
                    format!("the apprenticeship must last at least {m} months (to {} or later){en}", iso(shortest)),
                ),
            });
        }
    }
    if let Some(max) = rule.max_months {
        let reason = a.extension_reason.as_deref().is_some_and(|r| !r.trim().is_empty());
        let limit = match (reason, rule.max_months_with_reason) {
            (true, Some(ext)) => ext,
            _ => max,
        };
        let latest = add_months(a.starts_on, limit);
        if a.ends_on > latest {
            let (why_zh, why_en) = match (reason, rule.max_months_with_reason) {
                (false, Some(ext)) if a.ends_on <= add_months(a.starts_on, ext) => (
                    format!("；特殊情况可延长至 {ext} 个月，须填写延期原因"),
                    format!("; up to {ext} months in special cases, with the reason recorded"),
                ),
                _ => (String::new(), String::new()),
            };
            out.push(Breach {
                column: "ends_on",
                reason: Msg::new(
                    format!("学徒期不得超过 {limit} 个月（最迟到 {}）{why_zh}{zh}", iso(latest)),
                    format!(
                        "the apprenticeship may last at most {limit} months (to {} at the latest){why_en}{en}",
                        iso(latest)
                    ),
                ),
            });
        }
    }
    if a.level < rule.lowest_target || a.level > rule.highest_target {
        let (lo, hi) = (&policy.ladder, (rule.lowest_target, rule.highest_target));
        out.push(Breach {
            column: "level",
            reason: Msg::new(
                format!("培养目标应为 {} 至 {}{zh}", lo.name_zh(hi.0), lo.name_zh(hi.1)),
                format!("the target level must be {} to {}{en}", lo.name_en(hi.0), lo.name_en(hi.1)),
            ),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn hours_parse_to_seconds_and_back() {
        assert_eq!(parse_hours("72"), Some(72 * HOUR));
        assert_eq!(parse_hours("1.5"), Some(5400));
        assert_eq!(parse_hours("0.25"), Some(900));
        assert_eq!(parse_hours("1."), None);
        assert_eq!(parse_hours("-1"), None);
        assert_eq!(parse_hours("1.234"), None);
        assert_eq!(hours(5400), 1.5);
        assert_eq!(hours(1799), 0.5);
        assert_eq!(hours(0), 0.0);
    }

    #[test]
    fn months_clamp_to_the_end_of_the_month() {
        assert_eq!(add_months(date!(2024 - 01 - 31), 1), date!(2024 - 02 - 29));
        assert_eq!(add_months(date!(2024 - 03 - 01), 24), date!(2026 - 03 - 01));
        assert_eq!(add_months(date!(2024 - 11 - 15), 2), date!(2025 - 01 - 15));
    }

    fn agreement(contract: Option<Date>, start: Date, end: Date, rank: u8, reason: Option<&str>) -> Agreement {
        Agreement {
            contract_ends_on: contract,
            starts_on: start,
            ends_on: end,
            level: Level::new(rank).unwrap(),
            extension_reason: reason.map(str::to_owned),
        }
    }

    #[test]
    fn the_2021_rules_hold_every_number_of_the_policy() {
        let p = Policy::tianjin();
        let s = date!(2024 - 03 - 01);
        let ok = agreement(Some(date!(2027 - 02 - 28)), s, date!(2025 - 02 - 28), 3, None);
        assert_eq!(check_apprenticeship(&p, &ok), []);
        let open_ended = agreement(None, s, date!(2026 - 03 - 01), 6, None);
        assert_eq!(check_apprenticeship(&p, &open_ended), []);
        let cols = |a: &Agreement| check_apprenticeship(&p, a).iter().map(|b| b.column).collect::<Vec<_>>();
        // Contract ends a day short of twelve months.
        assert_eq!(
            cols(&agreement(Some(date!(2025 - 02 - 28)), s, date!(2025 - 02 - 28), 3, None)),
            ["contract_ends_on"]
        );
        // Eleven months; three years without a reason; with a reason; over three years with one.
        assert_eq!(cols(&agreement(None, s, date!(2025 - 01 - 31), 3, None)), ["ends_on"]);
        assert_eq!(cols(&agreement(None, s, date!(2027 - 03 - 01), 3, None)), ["ends_on"]);
        assert_eq!(cols(&agreement(None, s, date!(2027 - 03 - 01), 3, Some("企业技改"))), Vec::<&str>::new());
        assert_eq!(cols(&agreement(None, s, date!(2027 - 03 - 02), 3, Some("企业技改"))), ["ends_on"]);
        // 初级工 and 特级技师 are outside 中级工..高级技师.
        assert_eq!(cols(&agreement(None, s, date!(2025 - 06 - 01), 2, None)), ["level"]);
        assert_eq!(cols(&agreement(None, s, date!(2025 - 06 - 01), 7, None)), ["level"]);
        let r = check_apprenticeship(&p, &agreement(None, s, date!(2027 - 03 - 01), 3, None));
        assert!(r[0].reason.zh.contains("延期原因") && r[0].reason.zh.contains("national-2021"), "{:?}", r[0]);
        assert!(r[0].reason.en.contains("partly inferred"), "{:?}", r[0]);
    }

    #[test]
    fn the_rule_set_is_the_one_in_force_on_the_start() {
        let p = Policy::tianjin();
        // Under the 2018 rules the target is 中级工..高级工 and the contract is not checked.
        let a = agreement(Some(date!(2020 - 03 - 01)), date!(2020 - 01 - 01), date!(2023 - 06 - 01), 5, None);
        let r = check_apprenticeship(&p, &a);
        assert_eq!(r.iter().map(|b| b.column).collect::<Vec<_>>(), ["level"]);
        assert!(r[0].reason.zh.contains("national-2018"));
        let early = agreement(None, date!(2017 - 01 - 01), date!(2018 - 06 - 01), 3, None);
        assert_eq!(check_apprenticeship(&p, &early)[0].column, "starts_on");
    }
}
