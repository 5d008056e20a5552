//! A row as the readers give it.

/// A data row: its line (CSV) or row (XLSX) number as the user sees it in the file, 1-based,
/// and its cells as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRow {
    pub line: u64,
    pub cells: Vec<String>,
}
