//! The domain rules' tests, one program: identifiers, the occupation catalogue, the policy
//! file, access rules and the eligibility engine, each in its module.

mod access;
mod apprenticeship;
mod arbitrary_input;
mod benefits;
mod calendar;
mod competition;
mod editions;
mod eligibility;
mod identifiers;
mod insurance;
mod marking;
mod occupations;
mod policy;
mod schooling_and_titles;
