//! gongjiang-domain: the types and rules of a city's skilled-talent registry. No I/O here:
//! everything is a pure function of its inputs, so it can be tested and fuzzed in isolation.

pub mod access;
pub mod benefits;
pub mod bilingual;
pub mod certificate_no;
pub mod competition;
pub mod dates;
pub mod division;
pub mod eligibility;
pub mod evaluation;
pub mod forecast;
pub mod id_number;
pub mod identifier;
pub mod insurance;
pub mod kpi;
pub mod level;
pub mod marking;
pub mod occupation;
pub mod policy;
pub mod records;
pub mod registry;
pub mod standards;
pub mod supply;
pub mod training;
pub mod uscc;
pub mod xapi;
pub mod xapi_attachments;
pub mod xapi_canonical;
