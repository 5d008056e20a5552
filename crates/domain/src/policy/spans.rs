//! Key paths and positions in toml's spanned tree.

use std::fmt::Write as _;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

pub(super) fn push_key(path: &mut String, key: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(key);
}

fn contains(outer: &Range<usize>, inner: &Range<usize>) -> bool {
    outer.start <= inner.start && inner.end <= outer.end && outer.start < outer.end
}

/// Extends `path` with the key path of the node at `span` inside `v`. Table spans in toml's tree
/// cover only their header, so this searches depth-first instead of narrowing by containment.
pub(super) fn locate(v: &DeValue<'_>, span: &Range<usize>, path: &mut String) -> bool {
    match v {
        DeValue::Table(t) => locate_in_table(t, span, path),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                let _ = write!(path, "[{i}]");
                if locate(item.get_ref(), span, path) || contains(&item.span(), span) {
                    return true;
                }
                path.truncate(len);
            }
            false
        }
        _ => false,
    }
}

pub(super) fn locate_in_table(t: &DeTable<'_>, span: &Range<usize>, path: &mut String) -> bool {
    for (k, val) in t.iter() {
        let len = path.len();
        push_key(path, k.get_ref());
        if contains(&k.span(), span) {
            return true;
        }
        if locate(val.get_ref(), span, path) {
            return true;
        }
        if contains(&val.span(), span) {
            return true;
        }
        path.truncate(len);
    }
    false
}

/// Removes the key whose span is `span`, anywhere inside `v`.
pub(super) fn remove_key_at(v: &mut DeValue<'_>, span: &Range<usize>) -> bool {
    match v {
        DeValue::Table(t) => {
            let hit = t.keys().find(|k| k.span() == *span).map(|k| k.get_ref().to_string());
            if let Some(name) = hit {
                return t.remove(name.as_str()).is_some();
            }
            t.iter_mut().any(|(_, val)| remove_key_at(val.get_mut(), span))
        }
        DeValue::Array(items) => items.iter_mut().any(|item| remove_key_at(item.get_mut(), span)),
        _ => false,
    }
}

/// The node at a key path like `eligibility.editions[1].rules[3].all[0]`, as deep as it exists.
pub(super) fn span_lookup<'t, 'i>(root: &'t DeTable<'i>, path: &str) -> Option<&'t Spanned<DeValue<'i>>> {
    let mut table = Some(root);
    let mut found = None;
    for segment in path.split('.') {
        let (name, rest) = segment.split_once('[').map_or((segment, ""), |(n, r)| (n, r));
        let mut node = table?.get(name)?;
        found = Some(node);
        for index in rest.split('[').filter(|s| !s.is_empty()) {
            let i: usize = index.trim_end_matches(']').parse().ok()?;
            node = node.get_ref().as_array()?.get(i)?;
            found = Some(node);
        }
        table = node.get_ref().as_table();
    }
    found
}

/// The span of the deepest existing node on a key path.
pub(super) fn span_at(root: &DeTable<'_>, path: &str) -> Option<Range<usize>> {
    let mut table = Some(root);
    let mut best = None;
    for segment in path.split('.') {
        let (name, rest) = segment.split_once('[').map_or((segment, ""), |(n, r)| (n, r));
        let Some((key, mut node)) = table.and_then(|t| t.get_key_value(name)) else {
            break;
        };
        best = Some(if node.span().is_empty() { key.span() } else { node.span() });
        for index in rest.split('[').filter(|s| !s.is_empty()) {
            let Some(next) = index
                .trim_end_matches(']')
                .parse::<usize>()
                .ok()
                .and_then(|i| node.get_ref().as_array().and_then(|a| a.get(i)))
            else {
                return best;
            };
            node = next;
            best = Some(node.span());
        }
        table = node.get_ref().as_table();
    }
    best
}

/// 1-based line and column (in characters) of a byte offset.
pub(super) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let mut start = offset;
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let before = &text[..start];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}
