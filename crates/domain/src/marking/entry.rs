//! Whether a person may enter an event, explained: age from the policy's minimum (16) up to the
//! statutory retirement age on the competition's first day; for an event that names its
//! occupation as required (国赛精选 events take practitioners of that occupation), a level or
//! job in that occupation.

use serde::Serialize;
use time::{Date, Month};

use crate::bilingual::Msg;
use crate::dates::iso;
use crate::policy::EntryConditions;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryCheck {
    pub eligible: bool,
    /// Every reason (a refusal lists all of them); for an eligible entrant, what was checked.
    pub reasons: Vec<Msg>,
}

/// The day `months` months after `birth` (the same day of the month, or the month's last day).
fn add_months(birth: Date, months: u32) -> Date {
    let total = birth.year() * 12 + i32::from(u8::from(birth.month())) - 1 + months as i32;
    let (y, m) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u8);
    let month = Month::try_from(m).unwrap_or(Month::January);
    let last = time::util::days_in_month(month, y);
    Date::from_calendar_date(y, month, birth.day().min(last)).unwrap_or(birth)
}

/// `practises`: the person holds a level or works in the event's occupation; only checked when
/// `occupation_required`.
pub fn check_entrant(
    cond: &EntryConditions,
    competition: &str,
    birth: Date,
    male: bool,
    on: Date,
    occupation_required: bool,
    practises: bool,
) -> EntryCheck {
    let mut refusals = Vec::new();
    let mut checked = Vec::new();
    let adult = add_months(birth, cond.min_age * 12);
    if on < adult {
        refusals.push(Msg::new(
            format!("比赛开始日 {} 时未满 {} 周岁（{} 满 {} 周岁）", iso(on), cond.min_age, iso(adult), cond.min_age),
            format!("under {} on the first day, {} (turns {} on {})", cond.min_age, iso(on), cond.min_age, iso(adult)),
        ));
    } else {
        checked.push(Msg::new(format!("已满 {} 周岁", cond.min_age), format!("aged {} or over", cond.min_age)));
    }
    if let Some(r) = cond.retirement.iter().find(|r| r.male == male) {
        let months = r.months_for(birth.year(), u8::from(birth.month()));
        let retires = add_months(birth, months);
        let age = format!("{}岁{}个月", months / 12, months % 12);
        let age_en = format!("{} years {} months", months / 12, months % 12);
        if on >= retires {
            refusals.push(Msg::new(
                format!("已于 {} 达到法定退休年龄（{age}），不能参赛", iso(retires)),
                format!("reached the statutory retirement age ({age_en}) on {}: may not enter", iso(retires)),
            ));
        } else {
            checked.push(Msg::new(
                format!("未达法定退休年龄（{age}，{} 到龄）", iso(retires)),
                format!("below the statutory retirement age ({age_en}, reached on {})", iso(retires)),
            ));
        }
    }
    for cap in cond.age_caps.iter().filter(|c| c.competitions.iter().any(|n| competition.contains(n.as_str()))) {
        let age = on.year() - birth.year();
        if age > cap.max_age as i32 {
            refusals.push(Msg::new(
                format!("本竞赛限当年不超过 {} 周岁（{} 年及以后出生），本人当年 {age} 周岁", cap.max_age, on.year() - cap.max_age as i32),
                format!(
                    "this competition takes entrants aged at most {} in its year (born {} or later); the person is {age} that year",
                    cap.max_age,
                    on.year() - cap.max_age as i32
                ),
            ));
        } else {
            checked.push(Msg::new(
                format!("符合当年不超过 {} 周岁的年龄上限", cap.max_age),
                format!("within the age cap of {} in the competition's year", cap.max_age),
            ));
        }
    }
    if occupation_required {
        if practises {
            checked.push(Msg::new("从事本赛项职业", "practises the event's occupation"));
        } else {
            refusals.push(Msg::new(
                "本赛项限本职业从业人员参赛，本人在该职业没有等级或就业记录",
                "the event is for practitioners of its occupation; the person has no level or job in it",
            ));
        }
    }
    if refusals.is_empty() {
        EntryCheck { eligible: true, reasons: checked }
    } else {
        EntryCheck { eligible: false, reasons: refusals }
    }
}
