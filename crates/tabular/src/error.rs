//! What reading or writing a table can fail with, in Chinese and English.

use thiserror::Error;

use crate::encoding::Encoding;

#[derive(Debug, Error)]
pub enum TabularError {
    #[error("文件类型不支持（请用 .csv 或 .xlsx）/ unsupported file type (use .csv or .xlsx): {0}")]
    UnsupportedFormat(String),
    #[error("无法读取或写入文件 / cannot read or write the file: {0}")]
    Io(std::io::Error),
    #[error("CSV 格式错误（第 {line} 行）/ malformed CSV (line {line}): {reason}")]
    Csv { line: u64, reason: String },
    #[error("XLSX 文件无法读取 / cannot read the XLSX file: {0}")]
    Xlsx(String),
    #[error("文件为空，没有表头行 / the file is empty: no header row")]
    Empty,
    #[error(
        "第 {line} 行第 {column} 列有内容，超过 {max} 列的上限 / line {line} has a cell in column {column}, beyond the limit of {max} columns"
    )]
    RowTooWide { line: u64, column: usize, max: usize },
    #[error(
        "第 {line} 行第 {column} 列不是有效的 {encoding} 编码文本（整个文件按 {encoding} 读取；如有误请指定 --encoding）/ line {line}, column {column} is not valid {encoding} text (the file was read as {encoding}; use --encoding if that is wrong)"
    )]
    Undecodable { line: u64, column: usize, encoding: Encoding },
    #[error("XLSX 工作表最多 1048575 行数据，请改用 CSV / an XLSX sheet holds at most 1,048,575 data rows: use CSV")]
    TooManyRowsForXlsx,
}

// Not `#[from]`: that would make the I/O error a `source` too, and error chains would print it
// twice.
impl From<std::io::Error> for TabularError {
    fn from(e: std::io::Error) -> Self {
        TabularError::Io(e)
    }
}
