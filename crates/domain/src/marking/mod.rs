//! Judging a competition event as WorldSkills does (WorldSkills CIS is closed; this is an open
//! implementation of the same method): a marking scheme of *measurement* aspects (objective: the
//! aspect's marks or zero) and *judgement* aspects (three or more judges each score 0–3 against
//! written descriptors; the aspect's mark is the average score ÷ 3 × its maximum), marks that
//! stand only when complete and reconciled, the standardised score on the 700-point WorldSkills
//! scale beside the raw total, places with a stated tie rule, and the awards a tier's rule gives.
//!
//! Pure: no I/O. Marks are integers: an aspect's maximum in tenths of a mark (as the scheme
//! states it, e.g. 2.5 marks = 25), an aspect's mark and an entry's total in hundredths (a
//! judgement of three judges averages to ninths of the maximum, which tenths would round too
//! coarsely), a standardised score in tenths of a point.

mod aspect_mark;
mod entry;
mod ranking;
mod rewards;
mod scheme;
mod standardise;

pub use aspect_mark::{AspectMark, Score, SignOff, aspect_mark, check_score, entry_total, show};
pub use entry::{EntryCheck, check_entrant};
pub use ranking::{Placed, award_for, medal_places, rank, tie_margin};
pub use rewards::opens;
pub use scheme::{Aspect, AspectKind, MIN_JUDGES, Scheme, SchemeError};
pub use standardise::{WS_CENTRE, WS_SPREAD, standardise};
