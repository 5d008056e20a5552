//! The outcome of judging one condition, before it is turned into a `ConditionOutcome`.

use time::Date;

use crate::bilingual::Msg;

pub(super) struct Judgement {
    pub(super) met: bool,
    pub(super) met_on: Option<Date>,
    /// The condition stops holding on this date (a revocation), if it is met or will be.
    pub(super) until: Option<Date>,
    pub(super) reason: Option<Msg>,
    /// Met only provisionally; a reviewer must confirm (待人工核实).
    pub(super) review: bool,
}
