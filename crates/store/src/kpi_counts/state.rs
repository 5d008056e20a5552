//! A person's KPI state: computed from the raw records (the person, the employer's industry and
//! chains, the level records), read back as stored, and written; and what a state contributes
//! to the counts of today and to the dated changes.

use std::collections::{BTreeMap, HashMap};

use gongjiang_domain::dates::{iso, parse_date};
use gongjiang_domain::kpi::{HeldLevel, next_change_after, top_changes, top_on};
use time::Date;

use crate::conn::{Conn, on_conn};
use crate::dialect::{Json, PerBackend, json_ids, json_param, json_rows};
use crate::{Backend, StoreError};

/// (dimension, group, highest level, employment status); '' = missing.
pub(crate) type Key = (&'static str, String, i16, String);

/// (dimension, period, group, highest level, employment status): a row of `kpi_count_changes`.
pub(crate) type ChangeKey = (&'static str, i32, String, i16, String);

/// (dimension, occupation, group, highest level in it): a row of `holder_counts`.
pub(crate) type HolderKey = (&'static str, String, String, i16);

/// (dimension, year, occupation, group, highest level in it): a row of `holder_count_changes`.
pub(crate) type HolderChangeKey = (&'static str, i32, String, String, i16);

/// Which persons a statement reads or writes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Sel<'a> {
    /// The person ids in a JSON array.
    Ids(&'a str),
    /// Person ids from the first to the second, inclusive.
    Range(i64, i64),
}

/// The statements of one selection kind on one backend.
struct Sql {
    attrs: String,
    chains: String,
    levels: String,
    stored: String,
    delete: String,
}

impl Sql {
    /// The statements for the persons whose id passes `filter` (`IN (…)`, `BETWEEN …`).
    fn new(filter: &str) -> Sql {
        Sql {
            attrs: format!(
                "SELECT p.id AS person_id, p.district_code, o.industry, SUBSTR(p.occupation_code, 1, 1) AS occupation_major, \
                 p.employment_status FROM persons p LEFT JOIN organisations o ON o.id = p.employer_id WHERE p.id {filter}"
            ),
            chains: format!(
                "SELECT p.id, c.chain FROM persons p JOIN organisation_chains c ON c.organisation_id = p.employer_id \
                 WHERE p.id {filter} ORDER BY 1, 2"
            ),
            levels: format!(
                "SELECT person_id, occupation_code, level, obtained_on, revoked_on FROM skill_levels WHERE person_id {filter}"
            ),
            stored: format!(
                "SELECT person_id, district_code, industry, occupation_major, employment_status, top_level, \
                 next_change_on, chains, levels FROM kpi_person_state WHERE person_id {filter}"
            ),
            delete: format!("DELETE FROM kpi_person_state WHERE person_id {filter}"),
        }
    }
}

/// The persons whose ids are in a JSON array.
static IDS: PerBackend<Sql> = PerBackend::new(|b| Sql::new(&format!("IN ({})", json_ids(b))));
/// The persons in a range of ids (the same text on both backends).
static RANGE: PerBackend<Sql> = PerBackend::new(|_| Sql::new("BETWEEN $1 AND $2"));

static INSERT: PerBackend<String> = PerBackend::new(|b| {
    let cols = [
        Json::BigInt,
        Json::Text,
        Json::Text,
        Json::Text,
        Json::Text,
        Json::SmallInt,
        Json::Date,
        Json::Text,
        Json::Text,
    ];
    format!(
        "INSERT INTO kpi_person_state (person_id, district_code, industry, occupation_major, employment_status, \
         top_level, next_change_on, chains, levels) {}",
        json_rows(b, &cols).select("")
    )
});

fn sql(backend: Backend, sel: Sel<'_>) -> &'static Sql {
    match sel {
        Sel::Range(..) => RANGE.get(backend),
        Sel::Ids(_) => IDS.get(backend),
    }
}

/// Binds the selection's parameters ($1, or $1 and $2) to a query.
macro_rules! bind_sel {
    ($q:expr, $sel:expr) => {
        match $sel {
            Sel::Ids(json) => $q.bind(json),
            Sel::Range(first, last) => $q.bind(first).bind(last),
        }
    };
}

/// What the counts group a person by ('' or `None` = missing).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Attrs {
    pub district_code: Option<String>,
    pub industry: Option<String>,
    pub occupation_major: Option<String>,
    pub employment_status: Option<String>,
    /// The employer's industrial chains, sorted.
    pub chains: Vec<String>,
}

impl Attrs {
    /// The count keys of a person with these attributes and this highest level: one per
    /// dimension, and by chain one per chain of the employer ('' = none).
    pub fn keys(&self, top: i16) -> Vec<Key> {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        let status = s(&self.employment_status);
        let mut keys = vec![
            ("city", String::new(), top, status.clone()),
            ("district", s(&self.district_code), top, status.clone()),
            ("industry", s(&self.industry), top, status.clone()),
            ("occupation", s(&self.occupation_major), top, status.clone()),
        ];
        if self.chains.is_empty() {
            keys.push(("chain", String::new(), top, status));
        } else {
            keys.extend(self.chains.iter().map(|c| ("chain", c.clone(), top, status.clone())));
        }
        keys
    }

    /// The supply groups of a holder with these attributes: the district ('' = none), and each
    /// chain of the employer.
    pub fn holder_groups(&self) -> Vec<(&'static str, String)> {
        let mut groups = vec![("district", self.district_code.clone().unwrap_or_default())];
        groups.extend(self.chains.iter().map(|c| ("chain", c.clone())));
        groups
    }

    fn chains_text(&self) -> Option<String> {
        (!self.chains.is_empty()).then(|| self.chains.join(","))
    }
}

/// One person's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PersonState {
    pub attrs: Attrs,
    /// Highest level valid on the state's date; 0 = none.
    pub top_level: i16,
    /// The next day after the state's date on which `top_level` can change.
    pub next_change_on: Option<Date>,
    /// The level records the state was computed from, sorted.
    pub levels: Vec<HeldLevel>,
}

/// The level records as `kpi_person_state.levels` keeps them.
fn levels_text(levels: &[HeldLevel]) -> Option<String> {
    (!levels.is_empty()).then(|| {
        let one = |l: &HeldLevel| {
            let revoked = l.revoked_on.map(iso).unwrap_or_default();
            format!("{}|{}|{}|{revoked}", l.occupation_code, l.rank, iso(l.obtained_on))
        };
        levels.iter().map(one).collect::<Vec<_>>().join(";")
    })
}

/// The level records back from [`levels_text`]; a malformed one is left out (and the state then
/// differs from its records, which `check` reports).
fn parse_levels(text: &str) -> Vec<HeldLevel> {
    text.split(';')
        .filter_map(|one| {
            let mut f = one.split('|');
            let (occupation, rank, obtained, revoked) = (f.next()?, f.next()?, f.next()?, f.next()?);
            Some(HeldLevel {
                occupation_code: occupation.to_string(),
                rank: rank.parse().ok()?,
                obtained_on: parse_date(obtained)?,
                revoked_on: if revoked.is_empty() { None } else { Some(parse_date(revoked)?) },
            })
        })
        .collect()
}

/// The changes table's periods a day belongs to: its year and its month (`202406`).
pub(crate) fn periods_of(on: Date) -> [i32; 2] {
    [on.year(), on.year() * 100 + i32::from(u8::from(on.month()))]
}

/// The states of a selection of persons, by person id.
#[derive(Debug, Default)]
pub(crate) struct States(pub BTreeMap<i64, PersonState>);

#[derive(sqlx::FromRow)]
struct AttrRow {
    person_id: i64,
    district_code: Option<String>,
    industry: Option<String>,
    occupation_major: Option<String>,
    employment_status: Option<String>,
}

#[derive(sqlx::FromRow)]
struct LevelRow {
    person_id: i64,
    occupation_code: String,
    level: i16,
    obtained_on: Date,
    revoked_on: Option<Date>,
}

#[derive(sqlx::FromRow)]
struct StoredRow {
    person_id: i64,
    district_code: Option<String>,
    industry: Option<String>,
    occupation_major: Option<String>,
    employment_status: Option<String>,
    top_level: i16,
    next_change_on: Option<Date>,
    chains: Option<String>,
    levels: Option<String>,
}

impl States {
    /// The states as stored for the selection.
    pub async fn stored(c: &mut Conn<'_>, sel: Sel<'_>) -> Result<States, StoreError> {
        let sql = sql(c.backend(), sel);
        let rows: Vec<StoredRow> =
            on_conn!(c, conn => bind_sel!(sqlx::query_as(sql.stored.as_str()), sel).fetch_all(&mut **conn).await?);
        Ok(States(
            rows.into_iter()
                .map(|r| {
                    let attrs = Attrs {
                        district_code: r.district_code,
                        industry: r.industry,
                        occupation_major: r.occupation_major,
                        employment_status: r.employment_status,
                        chains: r.chains.map(|c| c.split(',').map(str::to_string).collect()).unwrap_or_default(),
                    };
                    let state = PersonState {
                        attrs,
                        top_level: r.top_level,
                        next_change_on: r.next_change_on,
                        levels: r.levels.as_deref().map(parse_levels).unwrap_or_default(),
                    };
                    (r.person_id, state)
                })
                .collect(),
        ))
    }

    /// The states of the selection as of `as_of`, computed from the raw records.
    pub async fn from_records(c: &mut Conn<'_>, sel: Sel<'_>, as_of: Date) -> Result<States, StoreError> {
        let sql = sql(c.backend(), sel);
        let (attrs, chains, levels): (Vec<AttrRow>, Vec<(i64, String)>, Vec<LevelRow>) = on_conn!(c, conn => {
            let attrs = bind_sel!(sqlx::query_as(sql.attrs.as_str()), sel).fetch_all(&mut **conn).await?;
            let chains = bind_sel!(sqlx::query_as(sql.chains.as_str()), sel).fetch_all(&mut **conn).await?;
            let levels = bind_sel!(sqlx::query_as(sql.levels.as_str()), sel).fetch_all(&mut **conn).await?;
            (attrs, chains, levels)
        });
        let mut chains_of: HashMap<i64, Vec<String>> = HashMap::new();
        for (id, chain) in chains {
            chains_of.entry(id).or_default().push(chain);
        }
        let mut levels_of: HashMap<i64, Vec<HeldLevel>> = HashMap::new();
        for l in levels {
            levels_of.entry(l.person_id).or_default().push(HeldLevel {
                occupation_code: l.occupation_code,
                rank: u8::try_from(l.level).unwrap_or(0),
                obtained_on: l.obtained_on,
                revoked_on: l.revoked_on,
            });
        }
        Ok(States(
            attrs
                .into_iter()
                .map(|a| {
                    let mut chains = chains_of.remove(&a.person_id).unwrap_or_default();
                    chains.sort();
                    chains.dedup();
                    let mut levels = levels_of.remove(&a.person_id).unwrap_or_default();
                    levels.sort();
                    let state = PersonState {
                        attrs: Attrs {
                            district_code: a.district_code,
                            industry: a.industry,
                            occupation_major: a.occupation_major,
                            employment_status: a.employment_status,
                            chains,
                        },
                        top_level: i16::from(top_on(&levels, as_of)),
                        next_change_on: next_change_after(&levels, as_of),
                        levels,
                    };
                    (a.person_id, state)
                })
                .collect(),
        ))
    }

    /// Adds `sign` times what the states, which describe `as_of`, contribute: to today's counts
    /// (each key at the state's highest level) and to the dated changes (each key at no level
    /// from the start, then each change of the highest level in its year and its month); to the
    /// holders of each occupation today (each supply group at the highest level in the
    /// occupation) and to their yearly changes.
    pub fn add_to(&self, delta: &mut Deltas, as_of: Date, sign: i64) {
        for s in self.0.values() {
            let mut by_occupation: BTreeMap<&str, Vec<&HeldLevel>> = BTreeMap::new();
            for l in &s.levels {
                by_occupation.entry(l.occupation_code.as_str()).or_default().push(l);
            }
            let groups = s.attrs.holder_groups();
            for (occupation, levels) in by_occupation {
                let top = i16::from(top_on(levels.iter().copied(), as_of));
                for (dim, grp) in groups.iter().filter(|_| top > 0) {
                    *delta.holders.entry((dim, occupation.to_string(), grp.clone(), top)).or_default() += sign;
                }
                for c in top_changes(levels.iter().copied()) {
                    for (dim, grp) in &groups {
                        let key =
                            |level: u8| (*dim, c.on.year(), occupation.to_string(), grp.clone(), i16::from(level));
                        if c.from > 0 {
                            *delta.holder_changes.entry(key(c.from)).or_default() -= sign;
                        }
                        if c.to > 0 {
                            *delta.holder_changes.entry(key(c.to)).or_default() += sign;
                        }
                    }
                }
            }
            for k in s.attrs.keys(s.top_level) {
                *delta.counts.entry(k).or_default() += sign;
            }
            for (dim, grp, _, status) in s.attrs.keys(0) {
                *delta.changes.entry((dim, 0, grp, 0, status)).or_default() += sign;
            }
            for c in top_changes(&s.levels) {
                let (from, to) = (s.attrs.keys(i16::from(c.from)), s.attrs.keys(i16::from(c.to)));
                for period in periods_of(c.on) {
                    for (dim, grp, level, status) in from.iter().cloned() {
                        *delta.changes.entry((dim, period, grp, level, status)).or_default() -= sign;
                    }
                    for (dim, grp, level, status) in to.iter().cloned() {
                        *delta.changes.entry((dim, period, grp, level, status)).or_default() += sign;
                    }
                }
            }
        }
    }
}

/// What a write changes in the maintained tables.
#[derive(Debug, Default)]
pub(crate) struct Deltas {
    pub counts: BTreeMap<Key, i64>,
    pub changes: BTreeMap<ChangeKey, i64>,
    pub holders: BTreeMap<HolderKey, i64>,
    pub holder_changes: BTreeMap<HolderChangeKey, i64>,
}

/// Replaces the stored states of the selection by `new`.
pub(crate) async fn replace(c: &mut Conn<'_>, sel: Sel<'_>, new: &States) -> Result<(), StoreError> {
    let sql = sql(c.backend(), sel);
    on_conn!(c, conn => bind_sel!(sqlx::query(sql.delete.as_str()), sel).execute(&mut **conn).await.map(|_| ())?);
    if new.0.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = new
        .0
        .iter()
        .map(|(id, s)| {
            let a = &s.attrs;
            (
                id,
                &a.district_code,
                &a.industry,
                &a.occupation_major,
                &a.employment_status,
                s.top_level,
                s.next_change_on.map(iso),
                a.chains_text(),
                levels_text(&s.levels),
            )
        })
        .collect();
    let json = json_param(&rows)?;
    let insert = INSERT.sql(c.backend());
    on_conn!(c, conn => sqlx::query(insert).bind(&json).execute(&mut **conn).await.map(|_| ())?);
    Ok(())
}
