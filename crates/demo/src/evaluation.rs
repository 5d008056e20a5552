//! The demo city's skill-level evaluation: one social evaluation organisation (认定机构) files
//! its scope and runs sessions through the real use cases (`gongjiang_app::evaluation`), so the pages
//! and the public verification have real certificates to show:
//!
//! * two sessions finished months ago — applications judged by the eligibility engine (one
//!   refused and admitted by override, 破格), examiners, scores (one candidate fails), publicity,
//!   certificates issued and signed;
//! * one session in publicity now, with an open objection;
//! * one session examined, its scores still to enter;
//! * one session open for applications, with an application the engine refused and nobody has
//!   reviewed yet.
//!
//! Candidates are persons of the registry who may apply for the next level in their own
//! occupation on the application date; which ones follows from the registry (and so from the
//! seed). Each step runs with "today" set to the day it happened.

use std::collections::HashMap;

use gongjiang_domain::access::Scope;
use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::evaluation::ExaminerRole;
use gongjiang_domain::level::Level;
use gongjiang_domain::registry::OrgKind;
use gongjiang_store::organisations::{self, OrgFilter};
use gongjiang_store::persons::{self, Person, PersonFilter};
use serde::Serialize;
use time::{Date, Duration};

use gongjiang_app::evaluation::applications::{self, Apply};
use gongjiang_app::evaluation::institutions::{self, FileInstitution};
use gongjiang_app::evaluation::sessions::{self, PlanSession};
use gongjiang_app::evaluation::{results, scores};
use gongjiang_app::{Actor, App, AppError, candidate};
use gongjiang_domain::standards::Asked;

/// The standard the demo's sessions name: applications are judged under its edition.
const STANDARD: &str = "2018";

/// The demo institution's site serial: its certificate numbers start `S000012000888`.
pub const SITE_SERIAL: &str = "000888";
/// Who the demo's evaluation steps are recorded as.
const BY: &str = "demo";
/// Persons looked at to find the occupations with the most candidates.
const SAMPLE: i64 = 4_000;

/// What the demo evaluation made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct EvaluationSummary {
    pub sessions: u64,
    pub applications: u64,
    pub certificates: u64,
}

fn at(app: &App, day: Date) -> App {
    App { today_override: Some(day), ..app.clone() }
}

/// A group of candidates: persons of one occupation who may apply for `target` on `on`.
struct Pool {
    occupation: String,
    target: Level,
    eligible: Vec<Person>,
    refused: Vec<Person>,
}

/// The pools of the occupations most common among the first [`SAMPLE`] persons, largest first.
async fn pools(app: &App, on: Date) -> Result<Vec<Pool>, AppError> {
    let sample = persons::list(&app.db, &Scope::all(), &PersonFilter::default(), None, SAMPLE).await?;
    let mut by_occupation: HashMap<String, Vec<Person>> = HashMap::new();
    for p in sample {
        if let Some(o) = p.occupation_code.clone() {
            by_occupation.entry(o).or_default().push(p);
        }
    }
    let mut occupations: Vec<(String, Vec<Person>)> = by_occupation.into_iter().collect();
    occupations.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
    let mut out = Vec::new();
    for (occupation, people) in occupations.into_iter().take(4) {
        // Most candidates apply one level up from 中级工 (3) or 高级工 (4).
        let mut by_target: HashMap<u8, Pool> = HashMap::new();
        for p in people {
            let next = u8::try_from(p.current_level.unwrap_or(0) + 1).unwrap_or(0);
            if !(3..=5).contains(&next) {
                continue;
            }
            let Some(target) = Level::new(next) else { continue };
            let Ok(d) = candidate::decide_for(app, &p, target, Some(&occupation), on, Asked::Session(STANDARD)).await
            else {
                continue;
            };
            let pool = by_target.entry(next).or_insert_with(|| Pool {
                occupation: occupation.clone(),
                target,
                eligible: Vec::new(),
                refused: Vec::new(),
            });
            if d.eligible { pool.eligible.push(p) } else { pool.refused.push(p) }
        }
        let best = by_target.into_values().max_by_key(|p| (p.eligible.len(), p.target.rank()));
        if let Some(pool) = best.filter(|p| p.eligible.len() >= 2 && !p.refused.is_empty()) {
            out.push(pool);
        }
    }
    out.sort_by(|a, b| b.eligible.len().cmp(&a.eligible.len()).then(a.occupation.cmp(&b.occupation)));
    Ok(out)
}

/// How far one demo session goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    Final,
    Publicity,
    Examined,
    Open,
}

struct Timeline {
    apply: Date,
    theory: Date,
    practical: Date,
    review: Date,
    publish: Date,
    finalise: Date,
}

fn timeline(today: Date, stage: Stage, back: i64) -> Timeline {
    let d = |days: i64| today - Duration::days(days);
    match stage {
        // Applications and exams weeks ago, publicity ending months ago.
        Stage::Final => Timeline {
            apply: d(back + 60),
            theory: d(back + 40),
            practical: d(back + 39),
            review: d(back + 38),
            publish: d(back + 20),
            finalise: d(back),
        },
        // Published today (the period runs for the policy's working days), or examined days ago.
        Stage::Publicity | Stage::Examined => {
            Timeline { apply: d(45), theory: d(25), practical: d(24), review: d(23), publish: today, finalise: today }
        }
        Stage::Open => Timeline {
            apply: today,
            theory: today + Duration::days(30),
            practical: today + Duration::days(31),
            review: today + Duration::days(32),
            publish: today,
            finalise: today,
        },
    }
}

const EXAMINERS: [&str; 3] = ["王建国", "李秀英", "赵志强"];
const INVIGILATORS: [&str; 2] = ["刘芳", "陈静"];
const REVIEWERS: [&str; 3] = ["孙立新", "周海燕", "吴国华"];

/// The demo's writes in the audit trail: the system, acting as the demo loader.
fn demo_actor() -> Actor {
    Actor::system("demo")
}

/// Runs one session as far as `stage`; returns (applications, certificates).
async fn run_session(
    app: &App,
    institution: i64,
    pool: &Pool,
    stage: Stage,
    t: &Timeline,
    take: usize,
) -> Result<(u64, u64), AppError> {
    let ladder = &app.policy.ladder;
    let level_name = ladder.name_zh(pool.target).to_string();
    let review = gongjiang_domain::evaluation::needs_review(&app.policy.evaluation, pool.target);
    let planner = at(app, t.apply - Duration::days(10));
    let actor = demo_actor();
    let id = sessions::plan(
        &planner,
        &actor,
        &PlanSession {
            institution_id: institution,
            occupation: &pool.occupation,
            trade: "",
            level: &level_name,
            standard_edition: STANDARD,
            theory_on: t.theory,
            practical_on: t.practical,
            review_on: review.then_some(t.review),
            site: "天津市河西区友谊路 35 号 职业技能鉴定中心",
            capacity: 30,
            theory_rooms: 1,
        },
    )
    .await?;
    sessions::open_applications(&planner, &actor, id).await?;
    let applicant = at(app, t.apply);
    let eligible: Vec<&Person> = pool.eligible.iter().take(take).collect();
    let refused = pool.refused.first();
    let mut applications = 0;
    for p in eligible.iter().copied().chain(refused) {
        let a = Apply { session_id: id, id_number: &p.id_number, name: None, applied_on: t.apply, submitted_by: BY };
        match applications::apply(&applicant, &actor, &a).await {
            Ok(_) => applications += 1,
            // A person the rules of this session exclude (e.g. already applied): skip them.
            Err(AppError::Invalid(_)) => {}
            Err(e) => return Err(e),
        }
    }
    if stage == Stage::Open {
        return Ok((applications, 0));
    }
    // The refused applicant is admitted by override (破格), with the reason on record.
    let stored = gongjiang_store::applications::for_session(&app.db, id).await?;
    for a in stored.iter().filter(|a| a.status == "refused") {
        applications::admit_by_override(
            &applicant,
            &actor,
            a.id,
            "市人社局职业能力建设处",
            "获市级技能竞赛一等奖，按规定破格申报",
        )
        .await?;
    }
    sessions::assign_examiners(&applicant, &actor, id, ExaminerRole::Invigilator, &INVIGILATORS).await?;
    sessions::assign_examiners(&applicant, &actor, id, ExaminerRole::Examiner, &EXAMINERS).await?;
    if review {
        sessions::assign_examiners(&applicant, &actor, id, ExaminerRole::Reviewer, &REVIEWERS).await?;
    }
    let examiner = at(app, t.practical + Duration::days(2));
    sessions::mark_examined(&examiner, &actor, id).await?;
    if stage == Stage::Examined {
        return Ok((applications, 0));
    }
    let admitted = gongjiang_store::applications::for_session(&app.db, id).await?;
    let admitted: Vec<_> = admitted.iter().filter(|a| a.status == "admitted").collect();
    for (i, a) in admitted.iter().enumerate() {
        // One candidate in five misses the skill test's pass mark; in the session left in
        // publicity, the last one does when fewer than four sat it, so there is a result to
        // object to.
        let fails = i % 5 == 3 || (stage == Stage::Publicity && admitted.len() < 4 && i + 1 == admitted.len());
        let practical = if fails { "55" } else { ["86", "78.5", "91", "72", "88"][i % 5] };
        let review_score = if review { "82" } else { "" };
        scores::enter(
            &examiner,
            &actor,
            id,
            &a.id_number,
            [["82", "75", "90.5", "68", "79"][i % 5], practical, review_score],
            BY,
        )
        .await?;
    }
    results::publish(&at(app, t.publish), &actor, id).await?;
    if stage == Stage::Publicity {
        // A candidate who failed objects to the result.
        if let Some(a) = gongjiang_store::applications::for_session(&app.db, id)
            .await?
            .iter()
            .find(|a| a.result.as_deref() == Some("fail"))
        {
            results::lodge_objection(
                &at(app, t.publish),
                &actor,
                a.id,
                &a.name,
                "技能考核评分与现场操作不符，申请复核",
            )
            .await?;
        }
        return Ok((applications, 0));
    }
    let done = results::finalise(&at(app, t.finalise), &actor, id, BY).await?;
    Ok((applications, done.issued.len() as u64))
}

/// Files the demo institution and runs its sessions. Does nothing when the institution is
/// filed already (a second run), or when no evaluation organisation or no candidates can be
/// found (a very small city).
pub async fn run(app: &App) -> Result<EvaluationSummary, AppError> {
    let mut summary = EvaluationSummary::default();
    let today = app.today();
    let filed = gongjiang_store::institutions::list(&app.db).await?;
    if filed.iter().any(|i| i.category == "S" && i.site_serial == SITE_SERIAL) {
        return Ok(summary);
    }
    let orgs = organisations::list(
        &app.db,
        &Scope::all(),
        &OrgFilter { kind: Some(OrgKind::EvaluationInstitution.code().to_string()), ..OrgFilter::default() },
        None,
        1,
    )
    .await?;
    let Some(org) = orgs.first() else { return Ok(summary) };
    let pools = pools(app, today - Duration::days(180)).await?;
    if pools.is_empty() {
        return Ok(summary);
    }
    let filing = at(app, today - Duration::days(400));
    let actor = demo_actor();
    let institution = institutions::file(
        &filing,
        &actor,
        &FileInstitution {
            category: "S",
            body_code: "0000",
            province_code: "12",
            site_serial: SITE_SERIAL,
            name: &org.name,
            organisation_uscc: Some(&org.uscc),
        },
    )
    .await?;
    for pool in &pools {
        let level = app.policy.ladder.name_zh(pool.target).to_string();
        institutions::add_scope(
            &filing,
            &actor,
            institution,
            &pool.occupation,
            &level,
            today - Duration::days(400),
            None,
        )
        .await?;
    }
    let plan: [(Stage, i64, usize); 5] = [
        (Stage::Final, 120, 7),
        (Stage::Final, 60, 5),
        (Stage::Publicity, 0, 5),
        (Stage::Examined, 0, 4),
        (Stage::Open, 0, 3),
    ];
    for (i, (stage, back, take)) in plan.into_iter().enumerate() {
        let pool = &pools[i % pools.len()];
        // Later sessions of the same pool take the next candidates.
        let skip = plan[..i]
            .iter()
            .enumerate()
            .filter(|(j, _)| j % pools.len() == i % pools.len())
            .map(|(_, p)| p.2)
            .sum::<usize>();
        let rest = Pool {
            occupation: pool.occupation.clone(),
            target: pool.target,
            eligible: pool.eligible.iter().skip(skip).cloned().collect(),
            // Each session gets a refused applicant; a pool with few of them lends one again.
            refused: pool.refused.iter().cycle().skip(i / pools.len()).take(1).cloned().collect(),
        };
        if rest.eligible.len() < 2 {
            continue;
        }
        let (applications, certificates) =
            run_session(app, institution, &rest, stage, &timeline(today, stage, back), take).await?;
        summary.sessions += 1;
        summary.applications += applications;
        summary.certificates += certificates;
    }
    if summary.sessions == 0 {
        return Err(AppError::Invalid(Msg::new("演示评价计划未能生成", "no demo evaluation session could be made")));
    }
    Ok(summary)
}
