//! Standings and publishing. Each group (职工 / 学生) of an event is ranked on its own: raw
//! totals, the WorldSkills scale, places with the tie rule, and the award the tier's rule gives
//! (`gongjiang_domain::marking`). Publishing needs every entrant signed off; it records each
//! entrant's result through the results-import path (`record_scored`: the 以赛代评 decision,
//! the promotion into the level history with source 以赛代评, the KPI upkeep at commit), the
//! standing on the entry, and closes the event, in one transaction.

use std::collections::HashMap;

use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::competition::CompetitionResult;
use gongjiang_domain::marking::{award_for, medal_places, opens, rank, standardise, tie_margin};
use gongjiang_domain::policy::{AwardKind, RewardKind, RewardRule};
use gongjiang_domain::registry::{CompetitionGroup, CompetitionTier};
use gongjiang_store::judging::{self, CompetitionRow, EntryRow, EventRow};
use gongjiang_store::tx;
use serde::Serialize;
use serde_json::json;
use time::Date;

use super::{event, invalid, not_published, tier_of};
use crate::audit::{self, Actor};
use crate::import::competition_results::{ResultRow, record_scored};
use crate::{App, AppError};

/// An entrant's standing in their group.
#[derive(Debug, Clone, Serialize)]
pub struct Standing {
    pub bib: String,
    #[serde(skip)]
    pub entry_id: i64,
    #[serde(skip)]
    pub person_id: i64,
    /// The team (an event whose team size is above one): its members share the row's totals,
    /// place and award.
    pub team: Option<String>,
    pub total_hundredths: u32,
    pub measurement_hundredths: u32,
    /// On the WorldSkills scale, tenths of a point.
    pub standardised_tenths: i64,
    pub place: u32,
    pub tied: bool,
    /// `gold`, `silver`, `bronze`, `excellence` — by the policy's award rows.
    pub award: Option<String>,
    pub award_name: Option<Msg>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupStandings {
    pub group: String,
    /// Entrants ranked: persons, or teams in a team event.
    pub entrants: u32,
    pub rows: Vec<Standing>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Standings {
    pub competition: CompetitionRow,
    pub event: EventRow,
    pub groups: Vec<GroupStandings>,
    /// Competitor numbers not signed off yet (not ranked).
    pub unsigned: Vec<String>,
}

/// A unit ranked as one: an entrant, or a team of an event whose team size is above one.
struct Unit<'a> {
    members: Vec<&'a EntryRow>,
    total_hundredths: u32,
    measurement_hundredths: u32,
}

/// The mean of `values`, rounded half up (a team's total from its members' totals).
fn mean_half_up(values: impl Iterator<Item = i64>) -> u32 {
    let (sum, n) = values.fold((0i64, 0i64), |(s, n), v| (s + v, n + 1));
    if n == 0 {
        return 0;
    }
    u32::try_from((2 * sum + n) / (2 * n)).unwrap_or(0)
}

/// The ranked units of an event and the competitor numbers left out (not signed off, or in a
/// team that is incomplete or not wholly signed off). A team is the entrants with the same team
/// name; it counts once, its total is the mean of its members' signed-off totals (the same when
/// the judges mark every member alike) `[I]`, and it is ranked only with exactly `team_size`
/// members, all signed off. A team's group is its first member's.
fn units<'a>(e: &EventRow, entries: &'a [EntryRow]) -> (Vec<(CompetitionGroup, Unit<'a>)>, Vec<String>) {
    let signed = |x: &EntryRow| x.signed_off_by.is_some() && x.total_hundredths.is_some();
    let mut unsigned = Vec::new();
    let mut out = Vec::new();
    let group_of = |x: &EntryRow| CompetitionGroup::parse(&x.entry_group).unwrap_or(CompetitionGroup::Employee);
    if e.team_size <= 1 {
        for x in entries {
            if !signed(x) {
                unsigned.push(x.bib.clone());
                continue;
            }
            let unit = Unit {
                members: vec![x],
                total_hundredths: u32::try_from(x.total_hundredths.unwrap_or(0)).unwrap_or(0),
                measurement_hundredths: u32::try_from(x.measurement_hundredths.unwrap_or(0)).unwrap_or(0),
            };
            out.push((group_of(x), unit));
        }
        return (out, unsigned);
    }
    let mut teams: Vec<(String, Vec<&EntryRow>)> = Vec::new();
    for x in entries {
        let name = x.team.clone().unwrap_or_default();
        match teams.iter_mut().find(|(t, _)| *t == name) {
            Some((_, v)) => v.push(x),
            None => teams.push((name, vec![x])),
        }
    }
    let size = usize::try_from(e.team_size).unwrap_or(1);
    for (_, members) in teams {
        if members.len() != size || !members.iter().all(|x| signed(x)) {
            unsigned.extend(members.iter().map(|x| x.bib.clone()));
            continue;
        }
        let unit = Unit {
            total_hundredths: mean_half_up(members.iter().map(|x| x.total_hundredths.unwrap_or(0))),
            measurement_hundredths: mean_half_up(members.iter().map(|x| x.measurement_hundredths.unwrap_or(0))),
            members,
        };
        out.push((group_of(unit.members[0]), unit));
    }
    (out, unsigned)
}

/// The standings of an event from its signed-off entries. An event whose team size is above one
/// ranks teams: each member's row carries the team's totals, place and award, and the group's
/// number of entrants counts teams.
pub fn standings_of(app: &App, c: &CompetitionRow, e: &EventRow, entries: &[EntryRow]) -> Result<Standings, AppError> {
    let tier = tier_of(c)?;
    let (all, unsigned) = units(e, entries);
    let mut by_group: Vec<(CompetitionGroup, Vec<Unit<'_>>)> = Vec::new();
    for (g, u) in all {
        match by_group.iter_mut().find(|(k, _)| *k == g) {
            Some((_, v)) => v.push(u),
            None => by_group.push((g, vec![u])),
        }
    }
    by_group.sort_by_key(|(g, _)| g.code());
    let mut groups = Vec::new();
    for (g, members) in by_group {
        let keyed: Vec<(usize, u32, u32)> =
            members.iter().enumerate().map(|(i, u)| (i, u.total_hundredths, u.measurement_hundredths)).collect();
        let raw: Vec<u32> = keyed.iter().map(|k| k.1).collect();
        let std = standardise(&raw);
        let n = members.len() as u32;
        let placed = rank(&keyed);
        let awards = &app.policy.competition.awards;
        // WorldSkills' tied medals: medal places within the policy's margin on the scale.
        let medal: Vec<u32> = match tie_margin(awards, tier, &c.name) {
            Some(m) => medal_places(&placed.iter().map(|p| std[p.key]).collect::<Vec<_>>(), m),
            None => placed.iter().map(|p| p.place).collect(),
        };
        let mut rows = Vec::new();
        for (p, medal_place) in placed.into_iter().zip(medal) {
            let s = std[p.key];
            let award = award_for(awards, tier, &c.name, p.place, medal_place, n, s);
            for x in &members[p.key].members {
                rows.push(Standing {
                    bib: x.bib.clone(),
                    entry_id: x.id,
                    person_id: x.person_id,
                    team: x.team.clone().filter(|_| e.team_size > 1),
                    total_hundredths: p.total_hundredths,
                    measurement_hundredths: p.measurement_hundredths,
                    standardised_tenths: s,
                    place: p.place,
                    tied: p.tied,
                    award: award.map(|a| a.award.code().to_owned()),
                    award_name: award.map(|a| a.award.name()),
                });
            }
        }
        groups.push(GroupStandings { group: g.code().to_owned(), entrants: n, rows });
    }
    Ok(Standings { competition: c.clone(), event: e.clone(), groups, unsigned })
}

/// The standings of an event now.
pub async fn standings(app: &App, competition_code: &str, event_code: &str) -> Result<Standings, AppError> {
    let (c, e) = event(app, competition_code, event_code).await?;
    let entries = judging::entries_of(&app.db, e.id).await?;
    standings_of(app, &c, &e, &entries)
}

/// One entrant's published result and what it gave.
#[derive(Debug, Clone, Serialize)]
pub struct Published {
    pub bib: String,
    pub group: String,
    pub place: u32,
    pub award: Option<String>,
    pub outcome: String,
    pub level_before: Option<u8>,
    pub level_after: Option<u8>,
    pub explanation: Msg,
    /// Cash reward, honours and admissions the result opens (policy `[[competition.rewards]]`).
    pub opens: Vec<Msg>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PublishSummary {
    pub event_id: i64,
    #[serde(with = "gongjiang_domain::dates::serde_iso")]
    pub awarded_on: Date,
    pub promoted: u64,
    /// Numbers of the certificates issued for the promotions.
    pub certificates: Vec<String>,
    pub results: Vec<Published>,
}

/// Publishes an event's results on `awarded_on` (the promotions' date). Audited
/// `competition.publish`.
pub async fn publish(
    app: &App,
    actor: &Actor,
    competition_code: &str,
    event_code: &str,
    awarded_on: Date,
) -> Result<PublishSummary, AppError> {
    let (c, e) = event(app, competition_code, event_code).await?;
    not_published(&e)?;
    if awarded_on > app.today() || awarded_on < c.starts_on {
        return Err(invalid(
            format!("成绩公布日期应在竞赛开始日 {} 与今天之间", c.starts_on),
            format!("the publication date must be between the competition's first day {} and today", c.starts_on),
        ));
    }
    let tier = tier_of(&c)?;
    let mut t = tx::begin(&app.db).await?;
    let entries = judging::entries_of_in(&mut t, e.id).await?;
    let st = standings_of(app, &c, &e, &entries)?;
    if entries.is_empty() || !st.unsigned.is_empty() {
        return Err(invalid(
            format!("尚有选手的评分未签字确认或团队不完整，不能公布成绩：{}", st.unsigned.join("、")),
            format!(
                "some competitors' marks are not signed off, or their team is incomplete, so results cannot be published: {}",
                st.unsigned.join(", ")
            ),
        ));
    }
    let occupation_name = gongjiang_domain::occupation::OccupationCode::parse(&e.occupation_code)
        .ok()
        .and_then(|code| app.catalogue.name_of(&code).map(str::to_string))
        .unwrap_or_else(|| e.occupation_code.clone());
    let mut rows = Vec::new();
    let mut line_of: HashMap<u64, (&str, &Standing)> = HashMap::new();
    let mut line = 0u64;
    for g in &st.groups {
        let group = CompetitionGroup::parse(&g.group).unwrap_or(CompetitionGroup::Employee);
        for s in &g.rows {
            line += 1;
            line_of.insert(line, (g.group.as_str(), s));
            rows.push((
                line,
                s.person_id,
                ResultRow {
                    id_number: String::new(),
                    occupation_name: occupation_name.clone(),
                    institution: None,
                    result: CompetitionResult {
                        competition: c.name.clone(),
                        tier,
                        group,
                        rank: s.place,
                        entrants: Some(g.entrants),
                        awarded_on,
                        occupation: e.occupation_code.clone(),
                    },
                },
            ));
        }
    }
    let by = format!("competition:{}/{}", c.code, e.code);
    let scored = record_scored(&app.policy, &mut t, rows, &by, c.organisation_id).await?;
    if let Some(r) = scored.refused.first() {
        let why = r.errors.first().map(|f| f.reason.clone()).unwrap_or_else(|| Msg::new("未知原因", "unknown reason"));
        return Err(AppError::Invalid(why));
    }
    let (decisions, promoted) = (scored.decisions, scored.promoted);
    let certificates: Vec<String> = scored.certificates.iter().map(|c| c.number.clone()).collect();
    let mut results = Vec::with_capacity(decisions.len());
    for d in &decisions {
        let Some(&(group, s)) = line_of.get(&d.line) else { continue };
        let result_id = judging::result_id_in(&mut t, s.person_id, &c.name, &e.occupation_code, awarded_on).await?;
        judging::set_standing(&mut t, s.entry_id, s.standardised_tenths, s.place, s.award.as_deref(), result_id)
            .await?;
        let opens = opened(app, &c, group, s, g_entrants(&st, group), awarded_on).into_iter().map(describe).collect();
        results.push(Published {
            opens,
            bib: s.bib.clone(),
            group: group.to_owned(),
            place: s.place,
            award: s.award.clone(),
            outcome: d.outcome.clone(),
            level_before: d.level_before,
            level_after: d.level_after,
            explanation: d.explanation.clone(),
        });
    }
    results.sort_by(|a, b| (&a.group, a.place, &a.bib).cmp(&(&b.group, b.place, &b.bib)));
    judging::set_published(&mut t, e.id, awarded_on).await?;
    let after = json!({
        "event_id": e.id, "awarded_on": awarded_on.to_string(), "entrants": results.len(), "promoted": promoted,
        "certificates": certificates,
    });
    audit::record(
        &mut t,
        actor,
        "competition.publish",
        "competition_events",
        Some(&e.id.to_string()),
        None,
        Some(&after),
    )
    .await?;
    t.commit().await?;
    crate::credentials::sign_after_issue(app.credentials.as_deref(), &app.db).await;
    Ok(PublishSummary { event_id: e.id, awarded_on, promoted, certificates, results })
}

fn g_entrants(st: &Standings, group: &str) -> u32 {
    st.groups.iter().find(|g| g.group == group).map(|g| g.entrants).unwrap_or(0)
}

/// What a standing opens under the policy's reward table on `on`.
pub fn opened<'a>(
    app: &'a App,
    c: &CompetitionRow,
    group: &str,
    s: &Standing,
    entrants: u32,
    on: Date,
) -> Vec<&'a RewardRule> {
    let (Some(tier), Some(group)) = (CompetitionTier::parse(&c.tier), CompetitionGroup::parse(group)) else {
        return Vec::new();
    };
    let award = s.award.as_deref().and_then(AwardKind::parse);
    opens(&app.policy.competition.rewards, tier, group, &c.name, s.place, entrants, award, on)
}

/// A reward row as the results say it: its name, the amount, the employer's match, `[推断]`.
pub fn describe(r: &RewardRule) -> Msg {
    let (mut zh, mut en) = (r.name.zh.clone(), r.name.en.clone());
    if r.inferred.is_some() {
        zh.push_str(" [推断]");
        en.push_str(" [inferred]");
    }
    Msg::new(zh, en)
}

/// A student's admission right (免试 / 保送), as the education bureau receives the list.
#[derive(Debug, Clone, Serialize)]
pub struct Admission {
    pub id_number: String,
    pub name: String,
    pub competition: String,
    pub event: String,
    pub place: u32,
    pub award: Option<String>,
    pub admission: Msg,
    pub source: String,
}

/// Student entrants of a published event whose result opens an admission row.
pub async fn admissions(app: &App, competition_code: &str, event_code: &str) -> Result<Vec<Admission>, AppError> {
    let st = standings(app, competition_code, event_code).await?;
    let Some(on) = st.event.published_on else {
        return Err(invalid(
            format!("赛项 {} 的成绩尚未公布", st.event.code),
            format!("the results of event {} are not published yet", st.event.code),
        ));
    };
    let mut out = Vec::new();
    for g in &st.groups {
        for s in &g.rows {
            for r in opened(app, &st.competition, &g.group, s, g.entrants, on)
                .into_iter()
                .filter(|r| r.kind == RewardKind::Admission)
            {
                let p = gongjiang_store::persons::get(&app.db, &gongjiang_domain::access::Scope::all(), s.person_id)
                    .await?;
                let (id_number, name) = p.map(|p| (p.id_number, p.name)).unwrap_or_default();
                out.push(Admission {
                    id_number,
                    name,
                    competition: st.competition.name.clone(),
                    event: format!("{} {}", st.event.code, st.event.name),
                    place: s.place,
                    award: s.award_name.as_ref().map(|m| m.zh.clone()),
                    admission: describe(r),
                    source: r.source.clone(),
                });
            }
        }
    }
    Ok(out)
}

/// The admissions list as CSV or XLSX (by the file's extension), Chinese headers.
pub fn write_admissions(path: &std::path::Path, rows: &[Admission]) -> Result<(), AppError> {
    let mut w = gongjiang_tabular::TableWriter::create(
        path,
        &["身份证号", "姓名", "竞赛名称", "赛项", "名次", "奖项", "升学待遇", "依据"],
    )?;
    for a in rows {
        w.write_row(&[
            a.id_number.clone(),
            a.name.clone(),
            a.competition.clone(),
            a.event.clone(),
            a.place.to_string(),
            a.award.clone().unwrap_or_default(),
            a.admission.zh.clone(),
            a.source.clone(),
        ])?;
    }
    w.finish()?;
    Ok(())
}
