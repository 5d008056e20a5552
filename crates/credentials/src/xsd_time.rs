//! Date-times as credentials write them: XML Schema `dateTimeStamp` in UTC, whole seconds.

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, UtcOffset};

/// `2026-11-25T08:00:00Z`: seconds precision, always `Z`, so every implementation reads and
/// canonicalises the same text.
pub fn format(at: OffsetDateTime) -> String {
    let utc = at.to_offset(UtcOffset::UTC).replace_nanosecond(0).unwrap_or(at);
    utc.format(format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z")).unwrap_or_default()
}

/// Reads any RFC 3339 date-time (offsets and fractions allowed, as VC 2.0 allows).
pub(crate) fn parse(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text, &Rfc3339).ok()
}
