//! Skill-level evaluation (职业技能等级认定), RESEARCH.md §3–§4: the pure rules an evaluation
//! session follows. Filed scope, the session's state machine, staffing ratios, scores and
//! pass/fail, the publicity (公示) period, and the text printed on certificates. Every number a
//! policy sets is read from `policy::Evaluation`, never written here.

use serde::Serialize;
use time::Date;

use crate::bilingual::Msg;
use crate::dates::iso;
use crate::level::Level;
use crate::policy::{Evaluation, Ladder, WorkingCalendar};

/// Printed at the top of every certificate (RESEARCH §4.2).
pub const CERTIFICATE_TITLE: &str = "职业技能等级证书";

/// What the 工种/职业方向 field of a certificate shows when there is no sub-trade (§4.2).
pub const NO_TRADE: &str = "--";

/// The 工种/职业方向 field as printed: the trade, or `--` when empty.
pub fn trade_on_certificate(trade: &str) -> &str {
    if trade.trim().is_empty() { NO_TRADE } else { trade.trim() }
}

/// The level as printed on a certificate: `三级/高级工` (the ladder's grade alias and name).
pub fn level_on_certificate(ladder: &Ladder, level: Level) -> String {
    ladder.display(level)
}

// ---------------------------------------------------------------------------------------------
// Institutions
// ---------------------------------------------------------------------------------------------

/// Evaluation-institution category, the first letter of a certificate number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum InstitutionCategory {
    /// `Y`: an employer evaluating its own staff (企业自主评价).
    Employer,
    /// `S`: a social training-and-evaluation organisation (社会培训评价组织).
    Social,
}

impl InstitutionCategory {
    pub fn letter(self) -> char {
        match self {
            InstitutionCategory::Employer => 'Y',
            InstitutionCategory::Social => 'S',
        }
    }

    pub fn parse(s: &str) -> Option<InstitutionCategory> {
        match s.trim() {
            "Y" | "y" | "employer" | "用人单位" | "企业" => Some(InstitutionCategory::Employer),
            "S" | "s" | "social" | "社会培训评价组织" => Some(InstitutionCategory::Social),
            _ => None,
        }
    }
}

/// One filed scope row: the institution may evaluate `occupation` at `levels` from `valid_from`
/// to `valid_to` (inclusive; open-ended when `None`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScopeRow {
    pub occupation_code: String,
    pub level: Level,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
}

impl ScopeRow {
    pub fn covers(&self, occupation: &str, level: Level, on: Date) -> bool {
        self.occupation_code == occupation
            && self.level == level
            && self.valid_from <= on
            && self.valid_to.is_none_or(|t| on <= t)
    }
}

/// Whether the filed scope covers a session of `occupation` at `level` on every one of `dates`.
pub fn check_scope(
    scope: &[ScopeRow],
    occupation: &str,
    level: Level,
    level_name: &str,
    dates: &[Date],
) -> Result<(), Msg> {
    if !scope.iter().any(|r| r.occupation_code == occupation && r.level == level) {
        return Err(Msg::new(
            format!("评价机构备案范围不含职业 {occupation} 的{level_name}"),
            format!("the institution's filed scope does not include occupation {occupation} at level {level_name}"),
        ));
    }
    for &d in dates {
        if !scope.iter().any(|r| r.covers(occupation, level, d)) {
            return Err(Msg::new(
                format!("评价机构对职业 {occupation} {level_name}的备案在 {} 不在有效期内", iso(d)),
                format!(
                    "the institution's filing for occupation {occupation} at level {level_name} is not valid on {}",
                    iso(d)
                ),
            ));
        }
    }
    Ok(())
}

/// How a person stands with an employer-type (`Y`) institution on the application date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffRelation {
    /// Employed by the institution's organisation on the date.
    Employee,
    /// On the institution's list of dispatched, outsourced or intern staff on the date.
    Listed,
    None,
}

/// A `Y` institution evaluates its own employees and the staff it lists; an `S` one anyone.
pub fn check_own_staff(category: InstitutionCategory, relation: StaffRelation, on: Date) -> Result<(), Msg> {
    match (category, relation) {
        (InstitutionCategory::Social, _) | (_, StaffRelation::Employee | StaffRelation::Listed) => Ok(()),
        (InstitutionCategory::Employer, StaffRelation::None) => Err(Msg::new(
            format!("企业自主评价只面向本单位职工及其登记的派遣、外包、实习人员：{} 申报当日此人不在其中", iso(on)),
            format!(
                "an employer's own evaluation is only for its employees and the dispatched, outsourced or intern staff it lists; on {} this person is neither",
                iso(on)
            ),
        )),
    }
}

/// Kinds of non-employee staff a `Y` institution may list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ListedStaffKind {
    Dispatched,
    Outsourced,
    Intern,
}

impl ListedStaffKind {
    pub fn code(self) -> &'static str {
        match self {
            ListedStaffKind::Dispatched => "dispatched",
            ListedStaffKind::Outsourced => "outsourced",
            ListedStaffKind::Intern => "intern",
        }
    }

    pub fn parse(s: &str) -> Option<ListedStaffKind> {
        match s.trim() {
            "dispatched" | "派遣" | "劳务派遣" => Some(ListedStaffKind::Dispatched),
            "outsourced" | "外包" | "业务外包" => Some(ListedStaffKind::Outsourced),
            "intern" | "实习" | "实习生" => Some(ListedStaffKind::Intern),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Sessions
// ---------------------------------------------------------------------------------------------

/// planned → open for applications → examined → publicity → final, one step at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    Planned,
    Open,
    Examined,
    Publicity,
    Final,
}

impl SessionStatus {
    pub const ALL: [SessionStatus; 5] = [
        SessionStatus::Planned,
        SessionStatus::Open,
        SessionStatus::Examined,
        SessionStatus::Publicity,
        SessionStatus::Final,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SessionStatus::Planned => "planned",
            SessionStatus::Open => "open",
            SessionStatus::Examined => "examined",
            SessionStatus::Publicity => "publicity",
            SessionStatus::Final => "final",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            SessionStatus::Planned => "计划中",
            SessionStatus::Open => "接受报名",
            SessionStatus::Examined => "已考试",
            SessionStatus::Publicity => "公示中",
            SessionStatus::Final => "已完成",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            SessionStatus::Planned => "planned",
            SessionStatus::Open => "open for applications",
            SessionStatus::Examined => "examined",
            SessionStatus::Publicity => "under publicity",
            SessionStatus::Final => "final",
        }
    }

    pub fn parse(s: &str) -> Option<SessionStatus> {
        SessionStatus::ALL.into_iter().find(|v| v.code() == s.trim())
    }

    fn next(self) -> Option<SessionStatus> {
        match self {
            SessionStatus::Planned => Some(SessionStatus::Open),
            SessionStatus::Open => Some(SessionStatus::Examined),
            SessionStatus::Examined => Some(SessionStatus::Publicity),
            SessionStatus::Publicity => Some(SessionStatus::Final),
            SessionStatus::Final => None,
        }
    }

    /// Whether a session may move from `self` to `to`: only to the next status.
    pub fn transition(self, to: SessionStatus) -> Result<(), Msg> {
        if self.next() == Some(to) {
            return Ok(());
        }
        Err(Msg::new(
            format!("评价计划状态不能从“{}”变为“{}”", self.zh(), to.zh()),
            format!("a session cannot go from '{}' to '{}'", self.en(), to.en()),
        ))
    }

    /// Refuses an action that needs the session in `expected`.
    pub fn require(self, expected: SessionStatus, action: &Msg) -> Result<(), Msg> {
        if self == expected {
            return Ok(());
        }
        Err(Msg::new(
            format!("评价计划处于“{}”状态，不能{}（须为“{}”）", self.zh(), action.zh, expected.zh()),
            format!("the session is {}: cannot {} (it must be {})", self.en(), action.en, expected.en()),
        ))
    }
}

// ---------------------------------------------------------------------------------------------
// Staffing
// ---------------------------------------------------------------------------------------------

/// Examiners assigned to a session, by role.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Staffing {
    pub invigilators: u32,
    pub examiners: u32,
    pub reviewers: u32,
}

/// What a session needs, and what is missing (empty when the session is staffed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaffingCheck {
    pub required: Staffing,
    pub missing: Vec<Msg>,
}

impl StaffingCheck {
    pub fn is_ok(&self) -> bool {
        self.missing.is_empty()
    }
}

fn round_up_to_odd(n: u32) -> u32 {
    if n.is_multiple_of(2) { n + 1 } else { n }
}

/// Whether `level` needs a comprehensive review (综合评审) under the policy.
pub fn needs_review(rules: &Evaluation, level: Level) -> bool {
    rules.comprehensive_review.levels.contains(&level)
}

/// Checks the assigned staff against the policy's ratios for `candidates` admitted candidates
/// in `rooms` theory rooms.
pub fn check_staffing(rules: &Evaluation, level: Level, candidates: u32, rooms: u32, have: Staffing) -> StaffingCheck {
    let t = &rules.theory_exam;
    let s = &rules.skill_test;
    let r = &rules.comprehensive_review;
    let rooms = if candidates > 0 { rooms.max(1) } else { rooms };
    let invigilators =
        candidates.div_ceil(t.candidates_per_invigilator.max(1)).max(t.min_invigilators_per_room * rooms);
    let mut examiners = candidates.div_ceil(s.candidates_per_examiner.max(1)).max(s.min_examiners);
    if s.odd_examiners {
        examiners = round_up_to_odd(examiners);
    }
    let review = needs_review(rules, level);
    let reviewers = if review { r.min_panel } else { 0 };
    let required = Staffing { invigilators, examiners, reviewers };
    let mut missing = Vec::new();
    if have.invigilators < invigilators {
        missing.push(Msg::new(
            format!(
                "理论考试需监考人员至少 {invigilators} 名（考生 {candidates} 名，配比 1:{}，{rooms} 个考场每场不少于 {} 名），现有 {} 名",
                t.candidates_per_invigilator, t.min_invigilators_per_room, have.invigilators
            ),
            format!(
                "the theory exam needs at least {invigilators} invigilators ({candidates} candidates at 1:{}, at least {} in each of {rooms} rooms); {} assigned",
                t.candidates_per_invigilator, t.min_invigilators_per_room, have.invigilators
            ),
        ));
    }
    if have.examiners < examiners {
        missing.push(Msg::new(
            format!(
                "技能考核需考评人员至少 {examiners} 名（考生 {candidates} 名，配比 1:{}，不少于 {} 名{}），现有 {} 名",
                s.candidates_per_examiner,
                s.min_examiners,
                if s.odd_examiners { "且为单数" } else { "" },
                have.examiners
            ),
            format!(
                "the skill test needs at least {examiners} examiners ({candidates} candidates at 1:{}, at least {}{}); {} assigned",
                s.candidates_per_examiner,
                s.min_examiners,
                if s.odd_examiners { ", an odd number" } else { "" },
                have.examiners
            ),
        ));
    } else if s.odd_examiners && have.examiners.is_multiple_of(2) {
        missing.push(Msg::new(
            format!("技能考核考评人员须为单数，现有 {} 名", have.examiners),
            format!("the skill test needs an odd number of examiners; {} assigned", have.examiners),
        ));
    }
    if review {
        if have.reviewers < r.min_panel {
            missing.push(Msg::new(
                format!(
                    "综合评审需评审委员至少 {} 名{}，现有 {} 名",
                    r.min_panel,
                    if r.odd_panel { "且为单数" } else { "" },
                    have.reviewers
                ),
                format!(
                    "the comprehensive review needs a panel of at least {}{}; {} assigned",
                    r.min_panel,
                    if r.odd_panel { ", an odd number" } else { "" },
                    have.reviewers
                ),
            ));
        } else if r.odd_panel && have.reviewers.is_multiple_of(2) {
            missing.push(Msg::new(
                format!("综合评审委员须为单数，现有 {} 名", have.reviewers),
                format!("the comprehensive review panel must be an odd number; {} assigned", have.reviewers),
            ));
        }
    }
    StaffingCheck { required, missing }
}

/// Roles of the people who run a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExaminerRole {
    /// 监考人员 (theory exam).
    Invigilator,
    /// 考评人员 (skill test).
    Examiner,
    /// 评审委员 (comprehensive review).
    Reviewer,
}

impl ExaminerRole {
    pub fn code(self) -> &'static str {
        match self {
            ExaminerRole::Invigilator => "invigilator",
            ExaminerRole::Examiner => "examiner",
            ExaminerRole::Reviewer => "reviewer",
        }
    }

    pub fn parse(s: &str) -> Option<ExaminerRole> {
        match s.trim() {
            "invigilator" | "监考" | "监考人员" => Some(ExaminerRole::Invigilator),
            "examiner" | "考评" | "考评人员" | "考评员" => Some(ExaminerRole::Examiner),
            "reviewer" | "评审" | "评审委员" => Some(ExaminerRole::Reviewer),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Scores
// ---------------------------------------------------------------------------------------------

/// A score in tenths of a point (`85.5` = 855). Never a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Score(u32);

impl Score {
    pub fn from_tenths(tenths: u32) -> Score {
        Score(tenths)
    }

    pub fn tenths(self) -> u32 {
        self.0
    }

    /// Reads `85`, `85.5` or `85.0` (at most one decimal), from 0 to the policy's full mark.
    pub fn parse(s: &str, out_of: u32) -> Result<Score, Msg> {
        let t = s.trim();
        let bad = || {
            Msg::new(
                format!("分数“{t}”应为 0–{out_of} 的数，最多一位小数"),
                format!("score '{t}' should be a number from 0 to {out_of} with at most one decimal"),
            )
        };
        let (whole, frac) = match t.split_once('.') {
            Some((w, f)) => (w, f),
            None => (t, ""),
        };
        if whole.is_empty() || whole.len() > 4 || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        if frac.len() > 1 || !frac.bytes().all(|b| b.is_ascii_digit()) || (t.ends_with('.')) {
            return Err(bad());
        }
        let whole: u32 = whole.parse().map_err(|_| bad())?;
        let frac: u32 = if frac.is_empty() { 0 } else { frac.parse().map_err(|_| bad())? };
        let tenths = whole * 10 + frac;
        if tenths > out_of * 10 {
            return Err(Msg::new(
                format!("分数 {t} 超出范围 0–{out_of}"),
                format!("score {t} is out of range 0–{out_of}"),
            ));
        }
        Ok(Score(tenths))
    }
}

impl std::fmt::Display for Score {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.0 / 10, self.0 % 10)
    }
}

/// The components of an assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Component {
    Theory,
    Practical,
    Review,
}

impl Component {
    pub fn zh(self) -> &'static str {
        match self {
            Component::Theory => "理论知识考试",
            Component::Practical => "技能考核",
            Component::Review => "综合评审",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Component::Theory => "theory exam",
            Component::Practical => "skill test",
            Component::Review => "comprehensive review",
        }
    }
}

/// A candidate's scores as entered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Scores {
    pub theory: Option<Score>,
    pub practical: Option<Score>,
    pub review: Option<Score>,
}

/// The result of an assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ResultStatus {
    Pass,
    Fail,
    /// Withdrawn after an upheld objection (or by the institution).
    Withdrawn,
}

impl ResultStatus {
    pub fn code(self) -> &'static str {
        match self {
            ResultStatus::Pass => "pass",
            ResultStatus::Fail => "fail",
            ResultStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<ResultStatus> {
        match s.trim() {
            "pass" | "合格" => Some(ResultStatus::Pass),
            "fail" | "不合格" => Some(ResultStatus::Fail),
            "withdrawn" | "撤销" | "取消" => Some(ResultStatus::Withdrawn),
            _ => None,
        }
    }
}

/// What is wrong with one component's score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScoreProblem {
    pub component: Component,
    pub reason: Msg,
}

/// Judges complete scores: pass when every required component reaches the policy's pass mark.
/// A missing required component, or a review score for a level without review, is an error.
pub fn judge(rules: &Evaluation, level: Level, scores: &Scores) -> Result<ResultStatus, Vec<ScoreProblem>> {
    let review = needs_review(rules, level);
    let mut wanted = vec![(Component::Theory, scores.theory), (Component::Practical, scores.practical)];
    if review {
        wanted.push((Component::Review, scores.review));
    }
    let mut errors: Vec<ScoreProblem> = wanted
        .iter()
        .filter(|(_, s)| s.is_none())
        .map(|&(c, _)| ScoreProblem {
            component: c,
            reason: Msg::new(format!("缺少{}成绩", c.zh()), format!("the {} score is missing", c.en())),
        })
        .collect();
    if !review && scores.review.is_some() {
        errors.push(ScoreProblem {
            component: Component::Review,
            reason: Msg::new(
                "此等级不设综合评审，不应填写综合评审成绩",
                "this level has no comprehensive review: leave its score empty",
            ),
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mark = Score(rules.pass_mark.min_score * 10);
    let passed = if rules.pass_mark.each_component {
        wanted.iter().all(|(_, s)| s.is_some_and(|s| s >= mark))
    } else {
        // An average of the required components, in tenths, rounded down.
        let sum: u32 = wanted.iter().filter_map(|(_, s)| s.map(Score::tenths)).sum();
        sum / wanted.len() as u32 >= mark.0
    };
    Ok(if passed { ResultStatus::Pass } else { ResultStatus::Fail })
}

// ---------------------------------------------------------------------------------------------
// Publicity
// ---------------------------------------------------------------------------------------------

/// The last day of a publicity period of `working_days` working days that starts on
/// `published_on` (counted as day one when it is a working day, else from the next one), on the
/// policy's working-day calendar: public holidays are skipped and make-up days (调休) count.
pub fn publicity_last_day(calendar: &WorkingCalendar, published_on: Date, working_days: u32) -> Date {
    calendar.last_working_day(published_on, working_days)
}

/// Whether results may be finalised on `today`: the period is over and no objection is open.
pub fn may_finalise(last_day: Date, today: Date, open_objections: u32) -> Result<(), Msg> {
    if today <= last_day {
        return Err(Msg::new(
            format!("公示期至 {} 结束，期满后方可确认结果", iso(last_day)),
            format!("the publicity period runs until {}: results can be finalised after it", iso(last_day)),
        ));
    }
    if open_objections > 0 {
        return Err(Msg::new(
            format!("尚有 {open_objections} 件异议未处理，处理完毕后方可确认结果"),
            format!("{open_objections} objection(s) are still open: resolve them before finalising"),
        ));
    }
    Ok(())
}

/// Whether an objection may be lodged on `today`: only during the period.
pub fn may_object(published_on: Date, last_day: Date, today: Date) -> Result<(), Msg> {
    if today < published_on || today > last_day {
        return Err(Msg::new(
            format!("异议须在公示期内（{} 至 {}）提出", iso(published_on), iso(last_day)),
            format!(
                "objections are taken during the publicity period only ({} to {})",
                iso(published_on),
                iso(last_day)
            ),
        ));
    }
    Ok(())
}

/// How an administrator resolves an objection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// The objection stands: the result becomes `new_result`.
    Upheld {
        new_result: ResultStatus,
    },
    Dismissed,
}

/// A certificate's status, as the status list publishes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateStatus {
    Valid,
    Suspended,
    Revoked,
}

impl CertificateStatus {
    pub fn code(self) -> &'static str {
        match self {
            CertificateStatus::Valid => "valid",
            CertificateStatus::Suspended => "suspended",
            CertificateStatus::Revoked => "revoked",
        }
    }

    pub fn parse(s: &str) -> Option<CertificateStatus> {
        match s.trim() {
            "valid" => Some(CertificateStatus::Valid),
            "suspended" => Some(CertificateStatus::Suspended),
            "revoked" => Some(CertificateStatus::Revoked),
            _ => None,
        }
    }

    /// Valid ↔ suspended, valid or suspended → revoked; revocation is final.
    pub fn transition(self, to: CertificateStatus) -> Result<(), Msg> {
        use CertificateStatus::*;
        match (self, to) {
            (Valid, Suspended) | (Suspended, Valid) | (Valid | Suspended, Revoked) => Ok(()),
            _ => Err(Msg::new(
                format!("证书状态不能从 {} 变为 {}", self.code(), to.code()),
                format!("a certificate cannot go from {} to {}", self.code(), to.code()),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;
    use time::macros::date;

    fn rules() -> Evaluation {
        Policy::tianjin().evaluation
    }

    fn lv(rank: u8) -> Level {
        Level::new(rank).unwrap()
    }

    #[test]
    fn scope_must_cover_occupation_level_and_every_date() {
        let scope = [ScopeRow {
            occupation_code: "6-18-01-01".into(),
            level: lv(4),
            valid_from: date!(2025 - 01 - 01),
            valid_to: Some(date!(2026 - 12 - 31)),
        }];
        let d = [date!(2026 - 03 - 01), date!(2026 - 03 - 08)];
        assert!(check_scope(&scope, "6-18-01-01", lv(4), "高级工", &d).is_ok());
        let e = check_scope(&scope, "6-18-01-01", lv(5), "技师", &d).unwrap_err();
        assert!(e.zh.contains("备案范围不含") && e.en.contains("does not include"), "{e}");
        let e = check_scope(&scope, "6-18-01-01", lv(4), "高级工", &[date!(2027 - 01 - 02)]).unwrap_err();
        assert!(e.zh.contains("2027-01-02") && e.en.contains("not valid on"), "{e}");
        assert!(check_scope(&scope, "6-18-01-02", lv(4), "高级工", &d).is_err());
    }

    #[test]
    fn employer_institutions_evaluate_only_their_own_staff() {
        let on = date!(2026 - 03 - 01);
        assert!(check_own_staff(InstitutionCategory::Employer, StaffRelation::Employee, on).is_ok());
        assert!(check_own_staff(InstitutionCategory::Employer, StaffRelation::Listed, on).is_ok());
        assert!(check_own_staff(InstitutionCategory::Social, StaffRelation::None, on).is_ok());
        let e = check_own_staff(InstitutionCategory::Employer, StaffRelation::None, on).unwrap_err();
        assert!(e.zh.contains("本单位职工") && e.en.contains("own evaluation"), "{e}");
    }

    #[test]
    fn sessions_move_one_step_at_a_time() {
        use SessionStatus::*;
        assert!(Planned.transition(Open).is_ok());
        assert!(Open.transition(Examined).is_ok());
        assert!(Examined.transition(Publicity).is_ok());
        assert!(Publicity.transition(Final).is_ok());
        assert!(Planned.transition(Examined).is_err());
        assert!(Final.transition(Planned).is_err());
        assert!(Publicity.transition(Open).is_err());
        let e = Open.require(Publicity, &Msg::new("提出异议", "lodge an objection")).unwrap_err();
        assert!(e.zh.contains("接受报名") && e.en.contains("lodge an objection"), "{e}");
        for s in SessionStatus::ALL {
            assert_eq!(SessionStatus::parse(s.code()), Some(s));
        }
    }

    #[test]
    fn staffing_follows_the_policy_ratios() {
        let r = rules();
        // 31 candidates, 2 rooms: invigilators max(⌈31/15⌉=3, 2×2=4) = 4; examiners ⌈31/5⌉=7 (odd).
        let need = check_staffing(&r, lv(4), 31, 2, Staffing::default());
        assert_eq!(need.required, Staffing { invigilators: 4, examiners: 7, reviewers: 0 });
        assert_eq!(need.missing.len(), 2);
        assert!(need.missing[0].zh.contains("理论考试需监考人员至少 4 名"), "{}", need.missing[0]);
        let ok = check_staffing(&r, lv(4), 31, 2, Staffing { invigilators: 4, examiners: 7, reviewers: 0 });
        assert!(ok.is_ok(), "{:?}", ok.missing);
        // 12 candidates: ⌈12/5⌉ = 3; 8 examiners is enough but even.
        let even = check_staffing(&r, lv(4), 12, 1, Staffing { invigilators: 2, examiners: 8, reviewers: 0 });
        assert_eq!(even.missing.len(), 1);
        assert!(even.missing[0].en.contains("odd number"), "{}", even.missing[0]);
        // 26 candidates: ⌈26/5⌉ = 6 → 7 (odd).
        assert_eq!(check_staffing(&r, lv(4), 26, 1, Staffing::default()).required.examiners, 7);
        // 技师 needs a review panel of 3+ (odd).
        let tech = check_staffing(&r, lv(5), 5, 1, Staffing { invigilators: 2, examiners: 3, reviewers: 2 });
        assert!(tech.missing.iter().any(|m| m.zh.contains("综合评审")), "{:?}", tech.missing);
        let tech = check_staffing(&r, lv(5), 5, 1, Staffing { invigilators: 2, examiners: 3, reviewers: 4 });
        assert!(tech.missing.iter().any(|m| m.zh.contains("单数")), "{:?}", tech.missing);
        assert!(check_staffing(&r, lv(5), 5, 1, Staffing { invigilators: 2, examiners: 3, reviewers: 5 }).is_ok());
    }

    #[test]
    fn staffing_reads_its_numbers_from_the_policy() {
        let mut r = rules();
        r.theory_exam.candidates_per_invigilator = 30;
        r.skill_test.candidates_per_examiner = 10;
        r.skill_test.odd_examiners = false;
        let need = check_staffing(&r, lv(4), 61, 1, Staffing::default());
        assert_eq!(need.required, Staffing { invigilators: 3, examiners: 7, reviewers: 0 });
        let need = check_staffing(&r, lv(4), 40, 1, Staffing::default());
        assert_eq!(need.required.examiners, 4, "no odd rounding when the policy does not ask");
    }

    #[test]
    fn scores_are_tenths_never_floats() {
        assert_eq!(Score::parse("85.5", 100).unwrap().tenths(), 855);
        assert_eq!(Score::parse("60", 100).unwrap().tenths(), 600);
        assert_eq!(Score::parse(" 100.0 ", 100).unwrap().tenths(), 1000);
        assert_eq!(Score::parse("0", 100).unwrap().tenths(), 0);
        assert_eq!(Score::parse("59.9", 100).unwrap().to_string(), "59.9");
        for bad in ["100.1", "101", "-1", "85.55", "abc", "", "85.", ".5", "8 5"] {
            assert!(Score::parse(bad, 100).is_err(), "{bad}");
        }
        assert!(Score::parse("101", 100).unwrap_err().zh.contains("超出范围"));
    }

    #[test]
    fn pass_needs_every_required_component_at_the_mark() {
        let r = rules();
        let s = |t: u32, p: u32, v: Option<u32>| Scores {
            theory: Some(Score(t)),
            practical: Some(Score(p)),
            review: v.map(Score),
        };
        assert_eq!(judge(&r, lv(4), &s(600, 600, None)), Ok(ResultStatus::Pass));
        assert_eq!(judge(&r, lv(4), &s(995, 599, None)), Ok(ResultStatus::Fail));
        assert_eq!(judge(&r, lv(5), &s(900, 900, Some(590))), Ok(ResultStatus::Fail));
        assert_eq!(judge(&r, lv(5), &s(900, 900, Some(600))), Ok(ResultStatus::Pass));
        let e = judge(&r, lv(5), &s(900, 900, None)).unwrap_err();
        assert!(e[0].reason.zh.contains("缺少综合评审成绩") && e[0].component == Component::Review, "{:?}", e);
        let e = judge(&r, lv(4), &Scores { theory: Some(Score(700)), ..Default::default() }).unwrap_err();
        assert!(e[0].reason.en.contains("skill test score is missing"), "{:?}", e);
        assert!(judge(&r, lv(4), &s(700, 700, Some(700))).is_err(), "no review below 技师");
    }

    #[test]
    fn publicity_counts_working_days_only() {
        // 2026-11-25 is a Wednesday: Wed Thu Fri Mon Tue.
        let cal = &crate::policy::Policy::tianjin().calendar;
        assert_eq!(publicity_last_day(cal, date!(2026 - 11 - 25), 5), date!(2026 - 12 - 01));
        // Published on a Saturday: Mon … Fri of the next week.
        assert_eq!(publicity_last_day(cal, date!(2026 - 11 - 28), 5), date!(2026 - 12 - 04));
        assert_eq!(publicity_last_day(cal, date!(2026 - 11 - 23), 1), date!(2026 - 11 - 23));
        // Across the 2026 National Day holiday (10-01…10-07) and its make-up Saturday 10-10:
        // Tue 09-29, Wed 09-30, Thu 10-08, Fri 10-09, Sat 10-10 (调休上班).
        assert_eq!(publicity_last_day(cal, date!(2026 - 09 - 29), 5), date!(2026 - 10 - 10));
        // Sunday 2026-09-20 is a make-up working day: day one.
        assert_eq!(publicity_last_day(cal, date!(2026 - 09 - 20), 1), date!(2026 - 09 - 20));
        // Without a calendar only weekends are skipped.
        let none = crate::policy::WorkingCalendar::default();
        assert_eq!(publicity_last_day(&none, date!(2026 - 09 - 29), 5), date!(2026 - 10 - 05));
        let last = date!(2026 - 12 - 01);
        assert!(may_finalise(last, last, 0).is_err());
        assert!(may_finalise(last, date!(2026 - 12 - 02), 0).is_ok());
        let e = may_finalise(last, date!(2026 - 12 - 02), 1).unwrap_err();
        assert!(e.zh.contains("异议"), "{e}");
        assert!(may_object(date!(2026 - 11 - 25), last, date!(2026 - 11 - 30)).is_ok());
        assert!(may_object(date!(2026 - 11 - 25), last, date!(2026 - 12 - 02)).is_err());
    }

    #[test]
    fn certificate_text_follows_the_national_style() {
        let p = Policy::tianjin();
        assert_eq!(level_on_certificate(&p.ladder, lv(4)), "三级/高级工");
        assert_eq!(trade_on_certificate(""), "--");
        assert_eq!(trade_on_certificate(" 数控车 "), "数控车");
        use CertificateStatus::*;
        assert!(Valid.transition(Suspended).is_ok());
        assert!(Suspended.transition(Valid).is_ok());
        assert!(Suspended.transition(Revoked).is_ok());
        assert!(Revoked.transition(Valid).is_err());
        assert!(Valid.transition(Valid).is_err());
    }
}
