//! File import: read → validate every row → write valid rows in batches, each batch one
//! transaction → report every rejected row (`pipeline::run`). One module per kind of file
//! checks its rows and resolves their references (`orgs`, `persons`, `levels`, `employment`,
//! `statistics`, `demand`, `standards`, `competition_results`, `insurance`, `programmes`, `platforms`,
//! `enrolments`, `apprenticeships`, `education`, `titles`); the cell rules they share are in `rows`, the header mapping in
//! `columns`, the summary and the error report in `report`.

pub mod apprenticeships;
pub mod columns;
mod competition_certificates;
pub mod competition_results;
pub mod demand;
pub mod education;
pub mod employment;
pub mod enrolments;
pub mod insurance;
mod kind;
pub mod levels;
pub mod orgs;
pub mod persons;
mod pipeline;
pub mod platforms;
pub mod programmes;
pub mod report;
mod resolve;
pub mod rows;
pub mod runs;
pub mod standards;
pub mod statistics;
pub mod titles;
pub mod workbook;

pub use kind::Kind;
pub use pipeline::{ImportOptions, run};
pub use report::{ERROR_REPORT_HEADERS, ImportSummary, RejectedRow, write_error_report};
