//! The access algebra, proved on random roles: several roles merge per (resource, action) and
//! never lend one role's scope to another role's permission; a grant never reaches beyond the
//! grantor. Universes are small so that random roles overlap and collide often.

use std::collections::BTreeSet;

use gongjiang_domain::access::{Action, Permissions, Placement, Resource, Role, RoleKind, Scope, Target, check_grant};
use proptest::prelude::*;

const DISTRICTS: [&str; 4] = ["120101", "120102", "120103", "120104"];

fn district() -> impl Strategy<Value = String> {
    prop::sample::select(&DISTRICTS[..]).prop_map(str::to_string)
}

fn role() -> impl Strategy<Value = Role> {
    prop_oneof![
        1 => Just(Role::CityAdmin),
        4 => prop::collection::btree_set(district(), 1..3).prop_map(|districts| Role::DistrictAdmin { districts }),
        2 => (1i64..6).prop_map(|organisation| Role::EnterpriseHr { organisation }),
        1 => (1i64..6).prop_map(|organisation| Role::TrainingProvider { organisation }),
        1 => (1i64..6).prop_map(|organisation| Role::School { organisation }),
        2 => (1i64..6).prop_map(|organisation| Role::EvaluationInstitution { organisation }),
        1 => (1i64..6).prop_map(|organisation| Role::CompetitionOrganiser { organisation }),
        3 => (1i64..6).prop_map(|person| Role::Worker { person }),
        1 => Just(Role::Public),
    ]
}

fn roles() -> impl Strategy<Value = Vec<Role>> {
    prop::collection::vec(role(), 0..4)
}

fn scope() -> impl Strategy<Value = Scope> {
    prop_oneof![
        1 => Just(Scope::all()),
        1 => Just(Scope::none()),
        6 => (prop::collection::btree_set(district(), 0..3), prop::collection::btree_set(1i64..6, 0..3), prop::collection::btree_set(1i64..6, 0..3))
            .prop_map(|(d, o, p)| {
                o.into_iter().map(Scope::organisation)
                    .chain(p.into_iter().map(Scope::person))
                    .fold(Scope::districts(d), |acc, s| acc.union(&s))
            }),
    ]
}

/// Where organisations 1–5 and persons 1–5 are (some unknown).
fn placement() -> impl Strategy<Value = Placement> {
    (prop::collection::btree_map(1i64..6, district(), 0..6), prop::collection::btree_map(1i64..6, district(), 0..6))
        .prop_map(|(organisation_district, person_district)| Placement { organisation_district, person_district })
}

/// A record: a few districts, organisations and maybe a person — made consistent with the
/// placement the way the store keeps them (a record of organisation o also belongs to o's district).
fn target(p: &Placement) -> impl Strategy<Value = Target> + use<> {
    let p = p.clone();
    (
        prop::collection::btree_set(district(), 0..2),
        prop::collection::btree_set(1i64..6, 0..2),
        prop::option::of(1i64..6),
    )
        .prop_map(move |(mut districts, organisations, person)| {
            districts.extend(organisations.iter().filter_map(|o| p.organisation_district.get(o).cloned()));
            districts.extend(person.and_then(|x| p.person_district.get(&x).cloned()));
            Target { districts, organisations, person }
        })
}

fn placement_and_targets() -> impl Strategy<Value = (Placement, Vec<Target>)> {
    placement().prop_flat_map(|p| {
        let t = prop::collection::vec(target(&p), 1..12);
        (Just(p), t)
    })
}

fn every_key() -> impl Iterator<Item = (Resource, Action)> {
    Resource::ALL.into_iter().flat_map(|r| Action::ALL.into_iter().map(move |a| (r, a)))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn union_is_commutative_associative_and_idempotent(a in scope(), b in scope(), c in scope()) {
        prop_assert_eq!(a.union(&b), b.union(&a));
        prop_assert_eq!(a.union(&b).union(&c), a.union(&b.union(&c)));
        prop_assert_eq!(a.union(&a), a.clone());
        prop_assert_eq!(a.union(&Scope::none()), a.clone());
        prop_assert_eq!(a.union(&Scope::all()), Scope::all());
    }

    #[test]
    fn union_is_monotone(a in scope(), b in scope(), (p, ts) in placement_and_targets()) {
        let u = a.union(&b);
        prop_assert!(u.covers(&a, &Placement::default()) && u.covers(&b, &Placement::default()));
        for t in &ts {
            prop_assert_eq!(u.admits(t), a.admits(t) || b.admits(t));
        }
        let _ = p;
    }

    #[test]
    fn permissions_of_roles_do_not_depend_on_order_or_repetition(rs in roles()) {
        let forward = Permissions::of_roles(&rs);
        let mut reversed = rs.clone();
        reversed.reverse();
        prop_assert_eq!(&forward, &Permissions::of_roles(&reversed));
        let doubled: Vec<Role> = rs.iter().chain(rs.iter()).cloned().collect();
        prop_assert_eq!(&forward, &Permissions::of_roles(&doubled));
    }

    #[test]
    fn adding_a_role_never_removes_access(rs in roles(), extra in role(), (_p, ts) in placement_and_targets()) {
        let before = Permissions::of_roles(&rs);
        let mut more = rs.clone();
        more.push(extra);
        let after = Permissions::of_roles(&more);
        prop_assert!(after.covers(&before, &Placement::default()));
        for (r, a) in every_key() {
            for t in &ts {
                prop_assert!(!before.allows(r, a, t) || after.allows(r, a, t));
            }
        }
    }

    /// The RuoYi failure, ruled out: whatever a multi-role user may do to a record, one of
    /// their roles alone allows that same action on that same record.
    #[test]
    fn no_role_lends_its_scope_to_another_roles_permission(rs in roles(), (_p, ts) in placement_and_targets()) {
        let user = Permissions::of_roles(&rs);
        for (r, a) in every_key() {
            for t in &ts {
                let some_role_alone = rs.iter().any(|role| role.permissions().allows(r, a, t));
                prop_assert_eq!(user.allows(r, a, t), some_role_alone, "{:?}/{:?} on {:?} with {:?}", r, a, t, rs);
            }
        }
    }

    #[test]
    fn covers_is_sound_for_every_record_consistent_with_the_placement(a in scope(), b in scope(), (p, ts) in placement_and_targets()) {
        if a.covers(&b, &p) {
            for t in &ts {
                prop_assert!(!b.admits(t) || a.admits(t), "{:?} covers {:?} but not on {:?}", a, b, t);
            }
        }
    }

    #[test]
    fn a_grant_never_reaches_beyond_the_grantor(grantor in roles(), granted in role(), (p, ts) in placement_and_targets()) {
        let g = Permissions::of_roles(&grantor);
        if check_grant(&g, &granted, &p).is_ok() {
            let given = granted.permissions();
            for (r, a) in every_key() {
                for t in &ts {
                    prop_assert!(!given.allows(r, a, t) || g.allows(r, a, t), "{:?} granted {:?}: {:?}/{:?} on {:?}", grantor, granted, r, a, t);
                }
            }
        }
    }

    /// Grant after grant: whoever received a role can pass on no more than they got.
    #[test]
    fn chains_of_grants_never_widen(first in roles(), second in role(), third in role(), p in placement()) {
        let root = Permissions::of_roles(&first);
        if check_grant(&root, &second, &p).is_ok() {
            let mid = second.permissions();
            if check_grant(&mid, &third, &p).is_ok() {
                prop_assert!(root.covers(&third.permissions(), &p));
            }
        }
    }

    #[test]
    fn stored_form_round_trips(r in role()) {
        let (kind, data) = r.to_parts();
        prop_assert_eq!(Role::from_parts(kind, &data).unwrap(), r);
    }
}

fn persons_of(org: i64, district: &str) -> Target {
    Target { districts: BTreeSet::from([district.to_string()]), organisations: BTreeSet::from([org]), person: None }
}

/// RuoYi-style merging, for contrast: one data scope per user (the union of every role's scope)
/// applied to every permission the user holds.
fn ruoyi_style(roles: &[Role], r: Resource, a: Action, t: &Target) -> bool {
    let holds = roles.iter().any(|role| !role.permissions().scope(r, a).is_none());
    let data_scope = roles.iter().fold(Scope::none(), |acc, role| acc.union(&role.own_scope()));
    holds && data_scope.admits(t)
}

#[test]
fn a_worker_who_is_also_an_evaluation_institution_cannot_write_other_institutions_certificates() {
    // Person 7 works at institution 3 and also holds the worker role for themselves.
    let roles = [Role::EvaluationInstitution { organisation: 3 }, Role::Worker { person: 7 }];
    let user = Permissions::of_roles(&roles);
    // Person 7's own certificate, issued by institution 5 in another district.
    let own_certificate_elsewhere = Target {
        districts: BTreeSet::from(["120104".to_string()]),
        organisations: BTreeSet::from([5]),
        person: Some(7),
    };
    assert!(user.allows(Resource::Certificates, Action::Read, &own_certificate_elsewhere));
    assert!(
        !user.allows(Resource::Certificates, Action::Write, &own_certificate_elsewhere),
        "the worker role's own-person scope must not widen the institution's write permission"
    );
    assert!(
        ruoyi_style(&roles, Resource::Certificates, Action::Write, &own_certificate_elsewhere),
        "RuoYi would allow it"
    );
}

#[test]
fn a_district_admin_who_is_also_hr_cannot_read_full_identity_numbers_via_the_hr_scope_elsewhere() {
    let roles = [
        Role::DistrictAdmin { districts: BTreeSet::from(["120101".to_string()]) },
        Role::TrainingProvider { organisation: 9 },
    ];
    let user = Permissions::of_roles(&roles);
    // Learners of training provider 9, registered in district 120104.
    let learners = persons_of(9, "120104");
    assert!(user.allows(Resource::Persons, Action::Read, &learners));
    assert!(!user.allows(Resource::Persons, Action::ReadPersonalData, &learners));
    assert!(!user.allows(Resource::Persons, Action::Write, &learners));
    assert!(ruoyi_style(&roles, Resource::Persons, Action::ReadPersonalData, &learners), "RuoYi would allow it");
}

#[test]
fn the_public_role_grants_nothing_even_beside_other_roles() {
    let alone = Permissions::of_roles(&[Role::Public]);
    assert_eq!(alone.entries().count(), 0);
    let hr = Role::EnterpriseHr { organisation: 1 };
    assert_eq!(Permissions::of_roles(&[hr.clone(), Role::Public]), hr.permissions());
}

#[test]
fn grant_rule_examples() {
    let d = |c: &str| BTreeSet::from([c.to_string()]);
    let city = Permissions::of_roles(&[Role::CityAdmin]);
    let district = Permissions::of_roles(&[Role::DistrictAdmin { districts: d("120101") }]);
    let hr = Permissions::of_roles(&[Role::EnterpriseHr { organisation: 4 }]);
    let worker = Permissions::of_roles(&[Role::Worker { person: 2 }]);
    let placement = Placement {
        organisation_district: [(4, "120101".to_string()), (5, "120102".to_string())].into(),
        person_district: [(2, "120101".to_string())].into(),
    };
    let none = Placement::default();
    for role in [
        Role::CityAdmin,
        Role::DistrictAdmin { districts: d("120102") },
        Role::EvaluationInstitution { organisation: 5 },
    ] {
        assert!(check_grant(&city, &role, &none).is_ok(), "city admin grants {role:?}");
    }
    // A district administrator: their own districts, organisations and persons there, no wider.
    assert!(check_grant(&district, &Role::DistrictAdmin { districts: d("120101") }, &none).is_ok());
    assert!(check_grant(&district, &Role::DistrictAdmin { districts: d("120102") }, &none).is_err());
    assert!(check_grant(&district, &Role::CityAdmin, &none).is_err());
    assert!(check_grant(&district, &Role::EnterpriseHr { organisation: 4 }, &placement).is_ok());
    assert!(check_grant(&district, &Role::EnterpriseHr { organisation: 4 }, &none).is_err(), "unknown place: refuse");
    assert!(check_grant(&district, &Role::EnterpriseHr { organisation: 5 }, &placement).is_err());
    assert!(check_grant(&district, &Role::Worker { person: 2 }, &placement).is_ok());
    // Evaluation institutions are registered with the city: a district cannot create one.
    assert!(check_grant(&district, &Role::EvaluationInstitution { organisation: 4 }, &placement).is_err());
    // HR may appoint a colleague for the same organisation, nothing else.
    assert!(check_grant(&hr, &Role::EnterpriseHr { organisation: 4 }, &none).is_ok());
    assert!(check_grant(&hr, &Role::EnterpriseHr { organisation: 5 }, &placement).is_err());
    assert!(check_grant(&hr, &Role::Worker { person: 2 }, &placement).is_err());
    // A worker may grant nothing, not even the empty public role.
    assert!(check_grant(&worker, &Role::Worker { person: 2 }, &placement).is_err());
    assert!(check_grant(&worker, &Role::Public, &placement).is_err());
}

#[test]
fn every_role_kind_has_a_row_in_the_permission_table() {
    for kind in RoleKind::ALL {
        assert!(gongjiang_domain::access::PERMISSION_TABLE.iter().any(|(k, _)| *k == kind), "{kind:?}");
        assert_eq!(RoleKind::from_code(kind.code()), Some(kind));
    }
    assert!(Role::from_parts("district-admin", "12010").is_err());
    assert!(Role::from_parts("emperor", "").unwrap_err().to_string().contains("未知角色"));
}
