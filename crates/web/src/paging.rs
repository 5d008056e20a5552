//! Keyset paging for every listing: `?limit=` (default 50, at most 500) and `?after=<cursor>`.
//! A cursor is opaque to clients: the listing it belongs to and a position, base64url-encoded.
//! It orders pages and means nothing else; a cursor of one listing is refused by another.

use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 500;

/// Which listing a cursor belongs to; its tag is the cursor's first byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    Organisations,
    Persons,
    Occupations,
    /// The persons behind a KPI figure (`/api/v1/kpi/persons`).
    KpiPersons,
    /// Reported demand (`/api/v1/demand`).
    Demand,
    /// The audit trail, newest first (`/api/v1/audit`): the position is a sequence number and
    /// the next page holds smaller ones.
    Audit,
}

impl Listing {
    fn tag(self) -> u8 {
        match self {
            Listing::Organisations => b'o',
            Listing::Persons => b'p',
            Listing::Occupations => b'c',
            Listing::KpiPersons => b'k',
            Listing::Demand => b'd',
            Listing::Audit => b'a',
        }
    }
}

/// One page of a listing.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T: ToSchema> {
    pub items: Vec<T>,
    /// Pass as `after` to get the next page; `null` on the last page.
    pub next: Option<String>,
}

/// The page a client asked for, validated.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    pub listing: Listing,
    /// Position of the last item already seen (exclusive lower bound), if any.
    pub after: Option<i64>,
    pub limit: i64,
}

impl PageRequest {
    pub fn parse(listing: Listing, limit: Option<&str>, after: Option<&str>) -> Result<PageRequest, ApiError> {
        let limit = match limit.map(str::trim).filter(|s| !s.is_empty()) {
            None => DEFAULT_LIMIT,
            Some(s) => match s.parse::<i64>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
                _ => {
                    return Err(ApiError::bad_param(
                        "invalid_limit",
                        "limit",
                        format!("limit 应为 1 到 {MAX_LIMIT} 之间的整数，收到“{s}”"),
                        format!("limit must be an integer from 1 to {MAX_LIMIT}, got \"{s}\""),
                    ));
                }
            },
        };
        let after = match after.map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(decode(listing, s).ok_or_else(|| {
                ApiError::bad_param(
                    "invalid_cursor",
                    "after",
                    "after 不是本列表返回的 next 游标",
                    "after is not a `next` cursor returned by this listing",
                )
            })?),
        };
        Ok(PageRequest { listing, after, limit })
    }

    /// Rows to ask the store for: one more than the page, to learn whether another page follows.
    pub fn fetch(&self) -> i64 {
        self.limit + 1
    }

    /// Cuts the probe row off `rows` (fetched with [`PageRequest::fetch`]) and makes the next
    /// cursor from the position of the last row kept.
    pub fn finish<R, T: ToSchema>(
        &self,
        mut rows: Vec<R>,
        position: impl Fn(&R) -> i64,
        view: impl FnMut(R) -> T,
    ) -> Page<T> {
        let more = rows.len() as i64 > self.limit;
        rows.truncate(self.limit as usize);
        let next = if more { rows.last().map(|r| encode(self.listing, position(r))) } else { None };
        Page { items: rows.into_iter().map(view).collect(), next }
    }
}

pub fn encode(listing: Listing, position: i64) -> String {
    let mut bytes = [0u8; 9];
    bytes[0] = listing.tag();
    bytes[1..].copy_from_slice(&position.to_be_bytes());
    base64url(&bytes)
}

pub fn decode(listing: Listing, cursor: &str) -> Option<i64> {
    let bytes = unbase64url(cursor)?;
    let (tag, rest) = bytes.split_first()?;
    if *tag != listing.tag() {
        return None;
    }
    let position = i64::from_be_bytes(rest.try_into().ok()?);
    (position >= 0).then_some(position)
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64url without padding, for inputs whose length is a multiple of three.
fn base64url(bytes: &[u8; 9]) -> String {
    let mut out = String::with_capacity(12);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16) | (u32::from(chunk[1]) << 8) | u32::from(chunk[2]);
        for shift in [18, 12, 6, 0] {
            out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
        }
    }
    out
}

fn unbase64url(s: &str) -> Option<Vec<u8>> {
    if s.len() != 12 {
        return None;
    }
    let mut out = Vec::with_capacity(9);
    for chunk in s.as_bytes().chunks(4) {
        let mut n = 0u32;
        for &c in chunk {
            n = (n << 6) | ALPHABET.iter().position(|&a| a == c)? as u32;
        }
        out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8, n as u8]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_belong_to_their_listing() {
        for n in [0, 1, 49, 1 << 40, i64::MAX] {
            let c = encode(Listing::Persons, n);
            assert_eq!(decode(Listing::Persons, &c), Some(n));
            assert_eq!(decode(Listing::Organisations, &c), None);
        }
        assert_eq!(decode(Listing::Persons, "42"), None);
        assert_eq!(decode(Listing::Persons, "!!!!!!!!!!!!"), None);
        assert_eq!(decode(Listing::Persons, &encode(Listing::Persons, -1)), None);
    }

    #[test]
    fn limit_is_bounded() {
        let p = |l: &str| PageRequest::parse(Listing::Persons, Some(l), None).map(|p| p.limit);
        assert_eq!(p("").ok(), Some(DEFAULT_LIMIT));
        assert_eq!(p("500").ok(), Some(500));
        assert!(p("0").is_err());
        assert!(p("501").is_err());
        assert!(p("ten").is_err());
        assert!(p("-1").is_err());
    }
}
