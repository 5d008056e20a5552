//! Scopes in SQL: a caller's [`Scope`] for a (resource, action), turned into a `WHERE` fragment
//! with bound parameters. Every registry read that returns records to a caller takes a required
//! `scope: &Scope` and pushes it here, so an endpoint cannot forget it (it does not compile
//! without one) and the filter is the one place where "which records" is decided.
//!
//! The fragment is `all` → nothing; `none` → `AND 1 = 0`; otherwise `AND (t1 OR t2 …)` where each
//! term tests one thing a record belongs to — a district, an organisation or a person — against
//! the scope's `IN` list for that kind. What a record of each resource belongs to is the table in
//! docs/SECURITY.md §5, written once below as [`Belongs`] values; each includes the districts of the
//! organisations it carries, the consistency the grant rule's placement relies on.

use gongjiang_domain::access::Scope;
use sqlx::QueryBuilder;

use crate::dialect::in_subquery;
use crate::{Backend, push_in_list};

/// What records of one resource belong to, as SQL terms over the query's aliases. Each term has
/// one `{}` where the bound `IN` list goes.
#[derive(Debug, Clone, Copy)]
pub struct Belongs {
    pub districts: &'static [&'static str],
    pub organisations: &'static [&'static str],
    pub persons: &'static [&'static str],
}

/// Persons (`persons p LEFT JOIN organisations o ON o.id = p.employer_id`): their registered
/// district and their employer's; their employer, and the institutions whose evaluation sessions
/// they applied to (an evaluation institution's candidates); themselves.
pub const PERSONS: Belongs = Belongs {
    districts: &["p.district_code IN {}", "o.district_code IN {}"],
    organisations: &[
        "p.employer_id IN {}",
        "p.id IN (SELECT a.person_id FROM evaluation_applications a \
         JOIN evaluation_sessions es ON es.id = a.session_id \
         JOIN evaluation_institutions ei ON ei.id = es.institution_id WHERE ei.organisation_id IN {})",
    ],
    persons: &["p.id IN {}"],
};

/// Level records (`skill_levels s LEFT JOIN organisations o ON o.id = s.issuer_id`): as their
/// holder (district, employer's district, employer), plus the issuing organisation and its
/// district. The holder's terms are correlated `EXISTS`, cheap for the few rows of one history
/// (an `IN (SELECT …)` would gather every person of the district first: 136 ms against 0.2 ms on
/// PostgreSQL at 200,000 persons).
pub const LEVELS: Belongs = Belongs {
    districts: &[
        "EXISTS (SELECT 1 FROM persons lp WHERE lp.id = s.person_id AND lp.district_code IN {})",
        "EXISTS (SELECT 1 FROM persons lp JOIN organisations lo ON lo.id = lp.employer_id \
         WHERE lp.id = s.person_id AND lo.district_code IN {})",
        "o.district_code IN {}",
    ],
    organisations: &[
        "s.issuer_id IN {}",
        "EXISTS (SELECT 1 FROM persons lp WHERE lp.id = s.person_id AND lp.employer_id IN {})",
    ],
    persons: &["s.person_id IN {}"],
};

/// Organisations (the table unaliased): their district, themselves.
pub const ORGANISATIONS: Belongs = Belongs {
    districts: &["organisations.district_code IN {}"],
    organisations: &["organisations.id IN {}"],
    persons: &[],
};

/// Demand reports (`skill_demand d JOIN organisations o ON o.id = d.reporter_id`): the district
/// the demand is in and the reporter's; the reporter.
pub const DEMAND: Belongs = Belongs {
    districts: &["d.district_code IN {}", "o.district_code IN {}"],
    organisations: &["d.reporter_id IN {}"],
    persons: &[],
};

/// Evaluation sessions (the table unaliased): the institution's organisation and its district.
pub const EVALUATION_SESSIONS: Belongs = Belongs {
    districts: &["evaluation_sessions.institution_id IN (SELECT si.id FROM evaluation_institutions si \
         JOIN organisations so ON so.id = si.organisation_id WHERE so.district_code IN {})"],
    organisations: &[
        "evaluation_sessions.institution_id IN (SELECT si.id FROM evaluation_institutions si WHERE si.organisation_id IN {})",
    ],
    persons: &[],
};

/// Appends ` AND (…)`: the records of `belongs` that `scope` reaches.
pub fn push<'t, DB>(qb: &mut QueryBuilder<DB>, scope: &Scope, belongs: &Belongs)
where
    DB: sqlx::Database,
    String: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
{
    if scope.is_all() {
        return;
    }
    let backend =
        if DB::NAME == <sqlx::Postgres as sqlx::Database>::NAME { Backend::Postgres } else { Backend::Sqlite };
    qb.push(" AND (");
    let mut terms = 0;
    let districts = scope.district_codes();
    if !districts.is_empty() {
        for term in belongs.districts {
            let term = in_subquery(backend, term);
            let tail = open_term(qb, &mut terms, &term);
            push_in_list(qb, districts.iter().cloned());
            qb.push(tail);
        }
    }
    let orgs = scope.organisation_ids();
    if !orgs.is_empty() {
        for term in belongs.organisations {
            let term = in_subquery(backend, term);
            let tail = open_term(qb, &mut terms, &term);
            push_in_list(qb, orgs.iter().copied());
            qb.push(tail);
        }
    }
    let persons = scope.person_ids();
    if !persons.is_empty() {
        for term in belongs.persons {
            let term = in_subquery(backend, term);
            let tail = open_term(qb, &mut terms, &term);
            push_in_list(qb, persons.iter().copied());
            qb.push(tail);
        }
    }
    if terms == 0 {
        // `none`, or a scope of a kind these records do not carry (persons, for organisations).
        qb.push("1 = 0");
    }
    qb.push(")");
}

/// Pushes ` OR ` (after the first term) and the term up to its `{}`; returns what follows it.
fn open_term<'t, DB: sqlx::Database>(qb: &mut QueryBuilder<DB>, terms: &mut usize, term: &'t str) -> &'t str {
    if *terms > 0 {
        qb.push(" OR ");
    }
    *terms += 1;
    let (head, tail) = term.split_once("{}").unwrap_or((term, ""));
    qb.push(head);
    tail
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sql(scope: &Scope, b: &Belongs) -> String {
        let mut qb: QueryBuilder<sqlx::Postgres> = QueryBuilder::new("SELECT 1 WHERE TRUE");
        push(&mut qb, scope, b);
        qb.sql().as_str().to_string()
    }

    #[test]
    fn all_adds_nothing_and_none_adds_false() {
        assert_eq!(sql(&Scope::all(), &PERSONS), "SELECT 1 WHERE TRUE");
        assert_eq!(sql(&Scope::none(), &PERSONS), "SELECT 1 WHERE TRUE AND (1 = 0)");
        assert_eq!(sql(&Scope::person(7), &ORGANISATIONS), "SELECT 1 WHERE TRUE AND (1 = 0)", "no person column");
    }

    #[test]
    fn every_term_of_a_kind_is_tested_with_bound_values() {
        let s = Scope::districts(["120101", "120102"]).union(&Scope::person(9));
        assert_eq!(
            sql(&s, &PERSONS),
            "SELECT 1 WHERE TRUE AND (p.district_code IN ($1, $2) OR o.district_code IN ($3, $4) OR p.id IN ($5))"
        );
        let s = Scope::organisation(3);
        assert_eq!(sql(&s, &ORGANISATIONS), "SELECT 1 WHERE TRUE AND (organisations.id IN ($1))");
        assert!(
            sql(&s, &PERSONS).contains("OR p.id = ANY(ARRAY(SELECT a.person_id FROM"),
            "PostgreSQL runs sub-queries once: {}",
            sql(&s, &PERSONS)
        );
        assert!(sql(&s, &PERSONS).ends_with("WHERE ei.organisation_id IN ($2))))"), "{}", sql(&s, &PERSONS));
    }
}
