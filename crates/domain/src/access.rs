//! Who may do what to which records: roles as data, a scope per permission, and the algebra
//! that combines several roles and limits what a user may grant. Pure, so it can be proved by
//! property tests (`tests/access.rs`); `docs/SECURITY.md` states the algebra in prose.
//!
//! The rule that keeps scopes from leaking: a user's permission for (resource, action) is the
//! **union over their roles of what each role grants for that same resource and action**. A role's
//! scope is built from that role's own parameters and attached only to that role's permissions,
//! so it can never widen a permission another role gave (RuoYi's "data scope" is one scope per
//! user applied to every permission the user has — the failure this design rules out).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::bilingual::{Explain, Msg};

/// The kinds of record a permission is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Resource {
    Persons,
    Levels,
    Organisations,
    Imports,
    Kpi,
    EvaluationSessions,
    EvaluationApplications,
    Certificates,
    Competitions,
    Audit,
    Users,
}

impl Resource {
    pub const ALL: [Resource; 11] = [
        Resource::Persons,
        Resource::Levels,
        Resource::Organisations,
        Resource::Imports,
        Resource::Kpi,
        Resource::EvaluationSessions,
        Resource::EvaluationApplications,
        Resource::Certificates,
        Resource::Competitions,
        Resource::Audit,
        Resource::Users,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Resource::Persons => "persons",
            Resource::Levels => "levels",
            Resource::Organisations => "organisations",
            Resource::Imports => "imports",
            Resource::Kpi => "kpi",
            Resource::EvaluationSessions => "evaluation_sessions",
            Resource::EvaluationApplications => "evaluation_applications",
            Resource::Certificates => "certificates",
            Resource::Competitions => "competitions",
            Resource::Audit => "audit",
            Resource::Users => "users",
        }
    }
}

/// What a permission allows on its resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Read,
    Write,
    /// Read personal data (the identity number) in full; without it responses mask them.
    ReadPersonalData,
    /// Pass this permission on to another user (within the same scope or a narrower one).
    Grant,
}

impl Action {
    pub const ALL: [Action; 4] = [Action::Read, Action::Write, Action::ReadPersonalData, Action::Grant];

    pub fn code(self) -> &'static str {
        match self {
            Action::Read => "read",
            Action::Write => "write",
            Action::ReadPersonalData => "read_personal_data",
            Action::Grant => "grant",
        }
    }
}

/// The records a permission reaches: everything, or the union of some districts (GB/T 2260
/// codes), some organisations (by id), and some persons (by id). Empty sets and `all = false`
/// is no record at all. Kept normalised: when `all` is set the sets are empty, so two scopes that
/// reach the same records are equal.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Scope {
    all: bool,
    districts: BTreeSet<String>,
    organisations: BTreeSet<i64>,
    persons: BTreeSet<i64>,
}

impl Scope {
    pub fn none() -> Scope {
        Scope::default()
    }

    pub fn all() -> Scope {
        Scope { all: true, ..Scope::default() }
    }

    pub fn districts<S: Into<String>>(codes: impl IntoIterator<Item = S>) -> Scope {
        Scope { districts: codes.into_iter().map(Into::into).collect(), ..Scope::default() }
    }

    pub fn organisation(id: i64) -> Scope {
        Scope { organisations: BTreeSet::from([id]), ..Scope::default() }
    }

    pub fn person(id: i64) -> Scope {
        Scope { persons: BTreeSet::from([id]), ..Scope::default() }
    }

    pub fn is_all(&self) -> bool {
        self.all
    }

    pub fn is_none(&self) -> bool {
        !self.all && self.districts.is_empty() && self.organisations.is_empty() && self.persons.is_empty()
    }

    /// District codes reached (empty when `is_all`).
    pub fn district_codes(&self) -> &BTreeSet<String> {
        &self.districts
    }

    pub fn organisation_ids(&self) -> &BTreeSet<i64> {
        &self.organisations
    }

    pub fn person_ids(&self) -> &BTreeSet<i64> {
        &self.persons
    }

    /// Every record either scope reaches.
    pub fn union(&self, other: &Scope) -> Scope {
        if self.all || other.all {
            return Scope::all();
        }
        Scope {
            all: false,
            districts: self.districts.union(&other.districts).cloned().collect(),
            organisations: self.organisations.union(&other.organisations).copied().collect(),
            persons: self.persons.union(&other.persons).copied().collect(),
        }
    }

    /// Whether the scope reaches a record that belongs to `target`. This is the meaning the
    /// storage filters implement: `district_code IN (…) OR organisation_id IN (…) OR person_id IN (…)`.
    pub fn admits(&self, target: &Target) -> bool {
        self.all
            || target.districts.iter().any(|d| self.districts.contains(d))
            || target.organisations.iter().any(|o| self.organisations.contains(o))
            || target.person.is_some_and(|p| self.persons.contains(&p))
    }

    /// Whether every record `other` reaches is reached by `self`, given where organisations and
    /// persons are placed. Sound: `covers` never says yes when some record consistent with the
    /// placement is admitted by `other` but not by `self` (property-tested). With an empty
    /// placement it is plain set containment.
    pub fn covers(&self, other: &Scope, placement: &Placement) -> bool {
        if self.all {
            return true;
        }
        if other.all {
            return false;
        }
        let in_my_districts = |d: Option<&String>| d.is_some_and(|d| self.districts.contains(d));
        other.districts.iter().all(|d| self.districts.contains(d))
            && other
                .organisations
                .iter()
                .all(|o| self.organisations.contains(o) || in_my_districts(placement.organisation_district.get(o)))
            && other
                .persons
                .iter()
                .all(|p| self.persons.contains(p) || in_my_districts(placement.person_district.get(p)))
    }
}

/// What a record belongs to: the districts, organisations and person the store attaches to it.
/// The store keeps these consistent with [`Placement`]: a record of organisation `o` also belongs
/// to `o`'s district, a record of person `p` also belongs to `p`'s registered district.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Target {
    pub districts: BTreeSet<String>,
    pub organisations: BTreeSet<i64>,
    pub person: Option<i64>,
}

/// Facts about where organisations and persons are, looked up by the caller for the ids a grant
/// mentions. They let a district administrator grant a role bound to an organisation or person
/// in their districts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Placement {
    pub organisation_district: BTreeMap<i64, String>,
    pub person_district: BTreeMap<i64, String>,
}

/// The roles of the mission brief, each with the parameters that bound its reach.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Role {
    /// 市级管理员: everything in the city.
    CityAdmin,
    /// 区级管理员: one or more districts.
    DistrictAdmin { districts: BTreeSet<String> },
    /// 企业人力资源: its own organisation's staff.
    EnterpriseHr { organisation: i64 },
    /// 培训机构: its own learners.
    TrainingProvider { organisation: i64 },
    /// 技工院校: its own students.
    School { organisation: i64 },
    /// 评价机构: its own sessions, candidates and certificates.
    EvaluationInstitution { organisation: i64 },
    /// 竞赛组织方: its own competitions.
    CompetitionOrganiser { organisation: i64 },
    /// 劳动者本人: one person, themselves.
    Worker { person: i64 },
    /// 公众: certificate verification only — which needs no permission at all (the verification
    /// endpoint shows public fields only), so the role grants nothing. Were it to grant "read
    /// certificates everywhere", any user holding it beside another role could read every
    /// certificate in full.
    Public,
}

/// A role's kind without its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum RoleKind {
    CityAdmin,
    DistrictAdmin,
    EnterpriseHr,
    TrainingProvider,
    School,
    EvaluationInstitution,
    CompetitionOrganiser,
    Worker,
    Public,
}

impl RoleKind {
    pub const ALL: [RoleKind; 9] = [
        RoleKind::CityAdmin,
        RoleKind::DistrictAdmin,
        RoleKind::EnterpriseHr,
        RoleKind::TrainingProvider,
        RoleKind::School,
        RoleKind::EvaluationInstitution,
        RoleKind::CompetitionOrganiser,
        RoleKind::Worker,
        RoleKind::Public,
    ];

    /// The stable code stored in the database and typed on the command line.
    pub fn code(self) -> &'static str {
        match self {
            RoleKind::CityAdmin => "city-admin",
            RoleKind::DistrictAdmin => "district-admin",
            RoleKind::EnterpriseHr => "enterprise-hr",
            RoleKind::TrainingProvider => "training-provider",
            RoleKind::School => "school",
            RoleKind::EvaluationInstitution => "evaluation-institution",
            RoleKind::CompetitionOrganiser => "competition-organiser",
            RoleKind::Worker => "worker",
            RoleKind::Public => "public",
        }
    }

    pub fn name(self) -> Msg {
        let (zh, en) = match self {
            RoleKind::CityAdmin => ("市级管理员", "city administrator"),
            RoleKind::DistrictAdmin => ("区级管理员", "district administrator"),
            RoleKind::EnterpriseHr => ("企业人力资源", "enterprise HR"),
            RoleKind::TrainingProvider => ("培训机构", "training provider"),
            RoleKind::School => ("技工院校", "school"),
            RoleKind::EvaluationInstitution => ("评价机构", "evaluation institution"),
            RoleKind::CompetitionOrganiser => ("竞赛组织方", "competition organiser"),
            RoleKind::Worker => ("劳动者本人", "worker"),
            RoleKind::Public => ("公众", "public"),
        };
        Msg::new(zh, en)
    }

    pub fn from_code(code: &str) -> Option<RoleKind> {
        RoleKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// What the kind is bound to, for messages and the CLI's help.
    pub fn parameter(self) -> Parameter {
        match self {
            RoleKind::CityAdmin | RoleKind::Public => Parameter::None,
            RoleKind::DistrictAdmin => Parameter::Districts,
            RoleKind::Worker => Parameter::Person,
            _ => Parameter::Organisation,
        }
    }
}

/// What a role kind is bound to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parameter {
    None,
    Districts,
    Organisation,
    Person,
}

use Action::{Grant as G, Read as R, ReadPersonalData as P, Write as W};

/// The permission table: for each role kind, the actions it allows on each resource, always
/// within the role's own scope. Read it as the policy; change it here and the matrix test in
/// `tests/access.rs` shows every consequence.
/// One row of the permission table: a role kind and the actions it allows on each resource.
pub type PermissionRow = (RoleKind, &'static [(Resource, &'static [Action])]);

pub const PERMISSION_TABLE: &[PermissionRow] = &[
    (
        RoleKind::CityAdmin,
        &[
            (Resource::Persons, &[R, W, P, G]),
            (Resource::Levels, &[R, W, P, G]),
            (Resource::Organisations, &[R, W, P, G]),
            (Resource::Imports, &[R, W, P, G]),
            (Resource::Kpi, &[R, W, P, G]),
            (Resource::EvaluationSessions, &[R, W, P, G]),
            (Resource::EvaluationApplications, &[R, W, P, G]),
            (Resource::Certificates, &[R, W, P, G]),
            (Resource::Competitions, &[R, W, P, G]),
            (Resource::Audit, &[R, W, P, G]),
            (Resource::Users, &[R, W, P, G]),
        ],
    ),
    (
        RoleKind::DistrictAdmin,
        &[
            (Resource::Persons, &[R, W, P, G]),
            (Resource::Levels, &[R, W, G]),
            (Resource::Organisations, &[R, W, G]),
            (Resource::Imports, &[R, W, G]),
            (Resource::Kpi, &[R, G]),
            (Resource::EvaluationSessions, &[R, G]),
            (Resource::EvaluationApplications, &[R, W, G]),
            (Resource::Certificates, &[R, P, G]),
            (Resource::Competitions, &[R, W, G]),
            (Resource::Users, &[R, W, G]),
        ],
    ),
    (
        RoleKind::EnterpriseHr,
        &[
            (Resource::Persons, &[R, W, P, G]),
            (Resource::Levels, &[R, G]),
            (Resource::Organisations, &[R, G]),
            (Resource::Imports, &[R, W, G]),
            (Resource::Kpi, &[R, G]),
            (Resource::EvaluationApplications, &[R, W, G]),
            (Resource::Certificates, &[R, G]),
            (Resource::Users, &[R, W, G]),
        ],
    ),
    (
        RoleKind::TrainingProvider,
        &[
            (Resource::Persons, &[R, G]),
            (Resource::Levels, &[R, G]),
            (Resource::Organisations, &[R, G]),
            (Resource::Imports, &[R, W, G]),
            (Resource::Users, &[R, W, G]),
        ],
    ),
    (
        RoleKind::School,
        &[
            (Resource::Persons, &[R, G]),
            (Resource::Levels, &[R, G]),
            (Resource::Organisations, &[R, G]),
            (Resource::Imports, &[R, W, G]),
            (Resource::Users, &[R, W, G]),
        ],
    ),
    (
        RoleKind::EvaluationInstitution,
        &[
            (Resource::Persons, &[R, P, G]),
            (Resource::Levels, &[R, W, G]),
            (Resource::Organisations, &[R, G]),
            (Resource::Imports, &[R, W, G]),
            (Resource::EvaluationSessions, &[R, W, G]),
            (Resource::EvaluationApplications, &[R, W, G]),
            (Resource::Certificates, &[R, W, P, G]),
            (Resource::Users, &[R, W, G]),
        ],
    ),
    (
        RoleKind::CompetitionOrganiser,
        &[
            (Resource::Persons, &[R, G]),
            (Resource::Organisations, &[R, G]),
            (Resource::Imports, &[R, W, G]),
            (Resource::Competitions, &[R, W, G]),
            (Resource::Users, &[R, W, G]),
        ],
    ),
    (
        RoleKind::Worker,
        &[
            (Resource::Persons, &[R, P]),
            (Resource::Levels, &[R]),
            (Resource::EvaluationApplications, &[R, W]),
            (Resource::Certificates, &[R, P]),
            (Resource::Competitions, &[R]),
        ],
    ),
    (RoleKind::Public, &[]),
];

impl Role {
    pub fn kind(&self) -> RoleKind {
        match self {
            Role::CityAdmin => RoleKind::CityAdmin,
            Role::DistrictAdmin { .. } => RoleKind::DistrictAdmin,
            Role::EnterpriseHr { .. } => RoleKind::EnterpriseHr,
            Role::TrainingProvider { .. } => RoleKind::TrainingProvider,
            Role::School { .. } => RoleKind::School,
            Role::EvaluationInstitution { .. } => RoleKind::EvaluationInstitution,
            Role::CompetitionOrganiser { .. } => RoleKind::CompetitionOrganiser,
            Role::Worker { .. } => RoleKind::Worker,
            Role::Public => RoleKind::Public,
        }
    }

    /// The records this role reaches, from its own parameters only.
    pub fn own_scope(&self) -> Scope {
        match self {
            Role::CityAdmin => Scope::all(),
            Role::DistrictAdmin { districts } => Scope::districts(districts.iter().cloned()),
            Role::EnterpriseHr { organisation }
            | Role::TrainingProvider { organisation }
            | Role::School { organisation }
            | Role::EvaluationInstitution { organisation }
            | Role::CompetitionOrganiser { organisation } => Scope::organisation(*organisation),
            Role::Worker { person } => Scope::person(*person),
            Role::Public => Scope::none(),
        }
    }

    /// What this role alone allows: each entry of its kind's row in [`PERMISSION_TABLE`], with the
    /// role's own scope.
    pub fn permissions(&self) -> Permissions {
        let scope = self.own_scope();
        let mut p = Permissions::default();
        if scope.is_none() {
            return p;
        }
        let kind = self.kind();
        for (k, rows) in PERMISSION_TABLE {
            if *k != kind {
                continue;
            }
            for (resource, actions) in *rows {
                for action in *actions {
                    p.0.insert((*resource, *action), scope.clone());
                }
            }
        }
        p
    }

    /// The stored form: kind code and parameter text (`120101,120102`, an organisation id, a
    /// person id, or empty).
    pub fn to_parts(&self) -> (&'static str, String) {
        let data = match self {
            Role::CityAdmin | Role::Public => String::new(),
            Role::DistrictAdmin { districts } => districts.iter().cloned().collect::<Vec<_>>().join(","),
            Role::EnterpriseHr { organisation }
            | Role::TrainingProvider { organisation }
            | Role::School { organisation }
            | Role::EvaluationInstitution { organisation }
            | Role::CompetitionOrganiser { organisation } => organisation.to_string(),
            Role::Worker { person } => person.to_string(),
        };
        (self.kind().code(), data)
    }

    /// Parses the stored form (see [`Role::to_parts`]).
    pub fn from_parts(kind: &str, data: &str) -> Result<Role, RoleError> {
        let k = RoleKind::from_code(kind).ok_or_else(|| RoleError::UnknownKind(kind.to_string()))?;
        let id = || data.trim().parse::<i64>().map_err(|_| RoleError::BadParameter(k, data.to_string()));
        Ok(match k {
            RoleKind::CityAdmin => Role::CityAdmin,
            RoleKind::Public => Role::Public,
            RoleKind::DistrictAdmin => Role::DistrictAdmin { districts: parse_districts(data)? },
            RoleKind::EnterpriseHr => Role::EnterpriseHr { organisation: id()? },
            RoleKind::TrainingProvider => Role::TrainingProvider { organisation: id()? },
            RoleKind::School => Role::School { organisation: id()? },
            RoleKind::EvaluationInstitution => Role::EvaluationInstitution { organisation: id()? },
            RoleKind::CompetitionOrganiser => Role::CompetitionOrganiser { organisation: id()? },
            RoleKind::Worker => Role::Worker { person: id()? },
        })
    }

    /// A role with its organisation or person parameter filled in; `None` when the kind takes
    /// another parameter.
    pub fn bound_to(kind: RoleKind, id: i64) -> Option<Role> {
        Some(match kind {
            RoleKind::EnterpriseHr => Role::EnterpriseHr { organisation: id },
            RoleKind::TrainingProvider => Role::TrainingProvider { organisation: id },
            RoleKind::School => Role::School { organisation: id },
            RoleKind::EvaluationInstitution => Role::EvaluationInstitution { organisation: id },
            RoleKind::CompetitionOrganiser => Role::CompetitionOrganiser { organisation: id },
            RoleKind::Worker => Role::Worker { person: id },
            _ => return None,
        })
    }
}

/// Parses `120101,120102`: six-digit GB/T 2260 codes, at least one.
pub fn parse_districts(text: &str) -> Result<BTreeSet<String>, RoleError> {
    let codes: BTreeSet<String> = text.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
    if codes.is_empty() {
        return Err(RoleError::BadParameter(RoleKind::DistrictAdmin, text.to_string()));
    }
    if let Some(bad) = codes.iter().find(|c| c.len() != 6 || !c.bytes().all(|b| b.is_ascii_digit())) {
        return Err(RoleError::BadParameter(RoleKind::DistrictAdmin, bad.clone()));
    }
    Ok(codes)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoleError {
    UnknownKind(String),
    BadParameter(RoleKind, String),
}

impl std::fmt::Display for RoleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.explain().fmt(f)
    }
}

impl std::error::Error for RoleError {}

impl Explain for RoleError {
    fn explain(&self) -> Msg {
        match self {
            RoleError::UnknownKind(k) => {
                let codes: Vec<&str> = RoleKind::ALL.iter().map(|k| k.code()).collect();
                Msg::new(
                    format!("未知角色“{k}”，可用：{}", codes.join("、")),
                    format!("unknown role \"{k}\"; known roles: {}", codes.join(", ")),
                )
            }
            RoleError::BadParameter(kind, v) => {
                let (zh, en) = match kind.parameter() {
                    Parameter::Districts => {
                        ("六位区县代码，用逗号分隔", "six-digit district codes separated by commas")
                    }
                    Parameter::Organisation => {
                        ("机构（统一社会信用代码或编号）", "an organisation (credit code or id)")
                    }
                    Parameter::Person => ("人员（身份证号或编号）", "a person (identity number or id)"),
                    Parameter::None => ("无参数", "no parameter"),
                };
                Msg::new(
                    format!("角色 {} 的参数“{v}”无效：应为{zh}", kind.code()),
                    format!("role {}: parameter \"{v}\" is invalid; expected {en}", kind.code()),
                )
            }
        }
    }
}

/// A scope for each (resource, action); absent means none.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Permissions(BTreeMap<(Resource, Action), Scope>);

impl Permissions {
    /// The effective permissions of a user holding `roles`: for each (resource, action), the
    /// union of the scopes each role gives for exactly that resource and action.
    pub fn of_roles<'a>(roles: impl IntoIterator<Item = &'a Role>) -> Permissions {
        roles.into_iter().fold(Permissions::default(), |acc, r| acc.union(&r.permissions()))
    }

    /// The scope for one (resource, action): [`Scope::none`] when nothing allows it.
    pub fn scope(&self, resource: Resource, action: Action) -> Scope {
        self.0.get(&(resource, action)).cloned().unwrap_or_default()
    }

    pub fn allows(&self, resource: Resource, action: Action, target: &Target) -> bool {
        self.0.get(&(resource, action)).is_some_and(|s| s.admits(target))
    }

    /// Entry-wise union.
    pub fn union(&self, other: &Permissions) -> Permissions {
        let mut out = self.0.clone();
        for (key, scope) in &other.0 {
            let merged = match out.get(key) {
                Some(mine) => mine.union(scope),
                None => scope.clone(),
            };
            out.insert(*key, merged);
        }
        Permissions(out)
    }

    /// Every (resource, action) with a scope that reaches something.
    pub fn entries(&self) -> impl Iterator<Item = (Resource, Action, &Scope)> {
        self.0.iter().filter(|(_, s)| !s.is_none()).map(|((r, a), s)| (*r, *a, s))
    }

    /// Whether `self` reaches, for every (resource, action), at least what `other` does.
    pub fn covers(&self, other: &Permissions, placement: &Placement) -> bool {
        other.entries().all(|(r, a, s)| self.scope(r, a).covers(s, placement))
    }
}

/// Why a grant was refused: the first permission of the role the grantor cannot pass on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantDenied {
    pub resource: Resource,
    pub action: Action,
}

impl Explain for GrantDenied {
    fn explain(&self) -> Msg {
        Msg::new(
            format!(
                "无权授予：该角色包含“{}/{}”，超出授权人自身可授予的范围",
                self.resource.code(),
                self.action.code()
            ),
            format!(
                "grant refused: the role gives {}/{} beyond what the grantor holds and may grant",
                self.resource.code(),
                self.action.code()
            ),
        )
    }
}

/// The grant rule: `grantor` may give `role` only if, for every (resource, action, scope) the
/// role would give, the grantor holds that same (resource, action) **and** (resource, grant),
/// each with a scope covering it; and holds (users, grant) covering the role's own scope. So a
/// grant never reaches anything the grantor does not reach themself, and a chain of grants
/// cannot widen step by step. The same rule decides who may revoke.
pub fn check_grant(grantor: &Permissions, role: &Role, placement: &Placement) -> Result<(), GrantDenied> {
    let users = grantor.scope(Resource::Users, Action::Grant);
    if users.is_none() || !users.covers(&role.own_scope(), placement) {
        return Err(GrantDenied { resource: Resource::Users, action: Action::Grant });
    }
    for (resource, action, scope) in role.permissions().entries() {
        let held = grantor.scope(resource, action);
        let passable = grantor.scope(resource, Action::Grant);
        if !held.covers(scope, placement) || !passable.covers(scope, placement) {
            return Err(GrantDenied { resource, action });
        }
    }
    Ok(())
}

/// The organisations and persons a role or scope mentions, for the caller to look up their
/// districts into a [`Placement`].
pub fn mentioned_ids(scopes: &[&Scope]) -> (BTreeSet<i64>, BTreeSet<i64>) {
    let mut orgs = BTreeSet::new();
    let mut persons = BTreeSet::new();
    for s in scopes {
        orgs.extend(s.organisations.iter().copied());
        persons.extend(s.persons.iter().copied());
    }
    (orgs, persons)
}
