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

/// The page-size and page-number query of a list held in memory.
#[derive(Debug, Default, serde::Deserialize)]
pub struct PageQuery {
    pub size: Option<usize>,
    pub page: Option<usize>,
}

/// A list read whole (up to a cap) and shown a page at a time: the total, numbered page links
/// and the page sizes. For work lists of hundreds or a few thousand rows, where a count and an
/// offset cost nothing; the registry's lists page by key instead ([`pager`]).
pub struct Numbered {
    /// "37", or "超过 2,000" when the query's cap was reached.
    pub total: String,
    pub pages: Vec<(usize, bool, String)>,
    pub sizes: Vec<SizeLink>,
}

/// This page of `rows` (read with `LIMIT cap + 1`) and the links around it. `filters` is the
/// list's query without size and page.
pub fn numbered<T>(
    rows: Vec<T>,
    cap: usize,
    base: &str,
    filters: &str,
    q: &PageQuery,
    l: super::i18n::Lang,
) -> (Vec<T>, Numbered) {
    let size = page_size(q.size);
    let capped = rows.len() > cap;
    let total = rows.len().min(cap);
    let pages = total.div_ceil(size).max(1);
    let number = q.page.unwrap_or(1).clamp(1, pages);
    let sep = if filters.is_empty() { "" } else { "&" };
    let shown = rows.into_iter().skip((number - 1) * size).take(size).collect();
    let numbered = Numbered {
        total: if capped {
            format!("{} {}", l.t("超过", "more than"), super::layout::int(cap as i64))
        } else {
            super::layout::int(total as i64)
        },
        pages: super::admin::page_numbers(total, size, number)
            .into_iter()
            .map(|(n, cur)| (n, cur, format!("{base}?{filters}{sep}size={size}&page={n}")))
            .collect(),
        sizes: PAGE_SIZES
            .iter()
            .map(|s| SizeLink { size: *s, href: format!("{base}?{filters}{sep}size={s}"), current: *s == size })
            .collect(),
    };
    (shown, numbered)
}
