//! Where a keyset-paged list stands — the page number, how many pages the count makes, and the
//! page sizes to choose from. Registry lists page by key (fast at any depth on 10 million rows),
//! so a page is reached by "next" from the one before; its number travels in the link.

use super::admin::{PAGE_SIZES, page_size};

pub struct SizeLink {
    pub size: usize,
    pub href: String,
    pub current: bool,
}

pub struct Pager {
    /// 1 for the first page.
    pub number: usize,
    /// The page count, when the count is exact (not capped).
    pub of: Option<usize>,
    pub sizes: Vec<SizeLink>,
}

/// The page size a query asks for, one of [`PAGE_SIZES`] (20 unless asked).
pub fn size(asked: Option<usize>) -> i64 {
    page_size(asked) as i64
}

/// `base` is the list's path; `filters` its query without size, cursor or page number.
pub fn pager(base: &str, filters: &str, size: i64, number: Option<usize>, total: Option<i64>, cap: i64) -> Pager {
    let sep = if filters.is_empty() { "" } else { "&" };
    Pager {
        number: number.unwrap_or(1).max(1),
        of: total.filter(|t| *t < cap).map(|t| (t.max(1) as usize).div_ceil(size as usize)),
        sizes: PAGE_SIZES
            .iter()
            .map(|s| SizeLink { size: *s, href: format!("{base}?{filters}{sep}size={s}"), current: *s as i64 == size })
            .collect(),
    }
}
