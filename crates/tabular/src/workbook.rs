//! Workbooks people fill in and read, not just data: an import template (required headers
//! starred, a note on each header, every cell formatted as text so an 18-digit identity number
//! stays a number of 18 digits, drop-down lists for coded columns, an instructions sheet) and an
//! error report (the rejected rows as they were in the file, each bad cell filled red with the
//! reason in a note, and the reasons in two last columns).

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, Format, FormatBorder, Formula, Note, Workbook, Worksheet,
};

use crate::TabularError;

fn xlsx(e: rust_xlsxwriter::XlsxError) -> TabularError {
    TabularError::Xlsx(e.to_string())
}

/// One column of an import template.
pub struct TemplateColumn {
    pub header: String,
    pub required: bool,
    /// What goes in the cell (shown as the header's note and on the instructions sheet).
    pub note: String,
    /// Allowed values: a drop-down list, and Excel refuses anything else.
    pub choices: Vec<String>,
    /// Suggested values (a drop-down that still accepts other text, e.g. any occupation code).
    pub suggestions: Vec<String>,
    /// Shown on the instructions sheet, not in the data sheet (where it would be imported).
    pub example: String,
    pub width: f64,
}

/// Texts of the template in the reader's language.
pub struct TemplateTexts {
    pub data_sheet: String,
    pub help_sheet: String,
    pub help_headers: [String; 5],
    pub required_yes: String,
    pub required_no: String,
    pub invalid_title: String,
    pub invalid_message: String,
    pub intro: Vec<String>,
}

const LAST_ROW: u32 = 1_048_575;
const CODES_SHEET: &str = "codes";

fn header_format(required: bool) -> Format {
    let f = Format::new().set_bold().set_background_color(Color::RGB(0xDCE6F5)).set_border(FormatBorder::Thin);
    if required { f.set_font_color(Color::RGB(0x8B1A1A)) } else { f }
}

/// An import template as XLSX bytes.
pub fn template(columns: &[TemplateColumn], texts: &TemplateTexts) -> Result<Vec<u8>, TabularError> {
    let mut book = Workbook::new();
    let text = Format::new().set_num_format("@");

    // Lists live on a hidden sheet: a list typed into the validation itself is capped at 255
    // characters, far fewer than the occupation catalogue.
    let mut codes = Worksheet::new();
    codes.set_name(CODES_SHEET).map_err(xlsx)?;
    let mut ranges: Vec<Option<String>> = Vec::with_capacity(columns.len());
    let mut list_col = 0u16;
    for c in columns {
        let values = if c.choices.is_empty() { &c.suggestions } else { &c.choices };
        if values.is_empty() {
            ranges.push(None);
            continue;
        }
        codes.write_string(0, list_col, &c.header).map_err(xlsx)?;
        for (i, v) in values.iter().enumerate() {
            codes.write_string(i as u32 + 1, list_col, v).map_err(xlsx)?;
        }
        let letter = rust_xlsxwriter::utility::column_number_to_name(list_col);
        ranges.push(Some(format!("={CODES_SHEET}!${letter}$2:${letter}${}", values.len() + 1)));
        list_col += 1;
    }
    codes.set_hidden(true);

    let mut data = Worksheet::new();
    data.set_name(&texts.data_sheet).map_err(xlsx)?;
    for (i, c) in columns.iter().enumerate() {
        let col = i as u16;
        let header = if c.required { format!("*{}", c.header) } else { c.header.clone() };
        data.write_string_with_format(0, col, &header, &header_format(c.required)).map_err(xlsx)?;
        data.set_column_width(col, c.width).map_err(xlsx)?;
        data.set_column_format(col, &text).map_err(xlsx)?;
        if !c.note.is_empty() {
            let note = Note::new(&c.note).add_author_prefix(false).set_width(260).set_height(110);
            data.insert_note(0, col, &note).map_err(xlsx)?;
        }
        if let Some(range) = &ranges[i] {
            let mut v = DataValidation::new().allow_list_formula(Formula::new(range));
            if c.choices.is_empty() {
                // Suggestions only: warn, do not refuse.
                v = v.set_error_style(DataValidationErrorStyle::Information);
            } else {
                v = v
                    .set_error_title(&texts.invalid_title)
                    .map_err(xlsx)?
                    .set_error_message(&texts.invalid_message)
                    .map_err(xlsx)?;
            }
            data.add_data_validation(1, col, LAST_ROW, col, &v).map_err(xlsx)?;
        }
    }
    data.set_freeze_panes(1, 0).map_err(xlsx)?;

    let mut help = Worksheet::new();
    help.set_name(&texts.help_sheet).map_err(xlsx)?;
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let mut row = 0u32;
    for line in &texts.intro {
        help.write_string_with_format(row, 0, line, &if row == 0 { bold.clone() } else { Format::new() })
            .map_err(xlsx)?;
        row += 1;
    }
    row += 1;
    for (i, h) in texts.help_headers.iter().enumerate() {
        help.write_string_with_format(row, i as u16, h, &header_format(false)).map_err(xlsx)?;
    }
    row += 1;
    for c in columns {
        let allowed = if c.choices.is_empty() { String::new() } else { c.choices.join("、") };
        let required = if c.required { &texts.required_yes } else { &texts.required_no };
        let cells = [&c.header, required, &c.note, &allowed, &c.example];
        for (i, v) in cells.iter().enumerate() {
            help.write_string_with_format(row, i as u16, *v, &wrap).map_err(xlsx)?;
        }
        row += 1;
    }
    for (col, width) in [(0u16, 22.0), (1, 8.0), (2, 60.0), (3, 40.0), (4, 24.0)] {
        help.set_column_width(col, width).map_err(xlsx)?;
    }

    data.set_active(true);
    book.push_worksheet(data);
    book.push_worksheet(help);
    book.push_worksheet(codes);
    book.save_to_buffer().map_err(xlsx)
}

/// One rejected row of an import, as the report shows it.
pub struct MarkedRow {
    /// The row's line in the file.
    pub line: u64,
    /// Its cells as they were in the file.
    pub cells: Vec<String>,
    /// Bad cells: column index into `cells` and the reason (both languages, one per line).
    pub bad: Vec<(usize, String)>,
    /// Every reason of the row, in Chinese and in English.
    pub reasons_zh: String,
    pub reasons_en: String,
}

/// Texts of the report's extra columns.
pub struct ReportTexts {
    pub sheet: String,
    pub line: String,
    pub reasons_zh: String,
    pub reasons_en: String,
}

/// The fill of a bad cell, and its font: dark red on light red (contrast ≈ 6:1).
fn bad_cell() -> Format {
    Format::new()
        .set_background_color(Color::RGB(0xFFC7CE))
        .set_font_color(Color::RGB(0x9C0006))
        .set_border(FormatBorder::Thin)
        .set_border_color(Color::RGB(0x9C0006))
        .set_num_format("@")
}

/// The error report as XLSX bytes: a line-number column, the file's own columns, two reason
/// columns; bad cells marked.
pub fn marked_report(headers: &[String], rows: &[MarkedRow], texts: &ReportTexts) -> Result<Vec<u8>, TabularError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(&texts.sheet).map_err(xlsx)?;
    let head = header_format(false);
    let text = Format::new().set_num_format("@");
    let bad = bad_cell();
    sheet.write_string_with_format(0, 0, &texts.line, &head).map_err(xlsx)?;
    for (i, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, i as u16 + 1, h, &head).map_err(xlsx)?;
        sheet.set_column_width(i as u16 + 1, 18.0).map_err(xlsx)?;
    }
    let zh_col = headers.len() as u16 + 1;
    sheet.write_string_with_format(0, zh_col, &texts.reasons_zh, &head).map_err(xlsx)?;
    sheet.write_string_with_format(0, zh_col + 1, &texts.reasons_en, &head).map_err(xlsx)?;
    sheet.set_column_width(zh_col, 50.0).map_err(xlsx)?;
    sheet.set_column_width(zh_col + 1, 50.0).map_err(xlsx)?;
    for (r, m) in rows.iter().enumerate() {
        let row = r as u32 + 1;
        sheet.write_number(row, 0, m.line as f64).map_err(xlsx)?;
        for (i, cell) in m.cells.iter().enumerate() {
            let col = i as u16 + 1;
            match m.bad.iter().find(|(c, _)| *c == i) {
                Some((_, reason)) => {
                    sheet.write_string_with_format(row, col, cell, &bad).map_err(xlsx)?;
                    let note = Note::new(reason).add_author_prefix(false).set_width(260).set_height(90);
                    sheet.insert_note(row, col, &note).map_err(xlsx)?;
                }
                None => {
                    sheet.write_string_with_format(row, col, cell, &text).map_err(xlsx)?;
                }
            }
        }
        sheet.write_string(row, zh_col, &m.reasons_zh).map_err(xlsx)?;
        sheet.write_string(row, zh_col + 1, &m.reasons_en).map_err(xlsx)?;
    }
    sheet.set_freeze_panes(1, 1).map_err(xlsx)?;
    book.save_to_buffer().map_err(xlsx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RowReader;

    fn read_back(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.xlsx");
        std::fs::write(&path, bytes).unwrap();
        let mut r = RowReader::open(&path).unwrap();
        let headers = r.headers().to_vec();
        let rows = r.by_ref().map(|x| x.unwrap().cells).collect();
        (headers, rows)
    }

    #[test]
    fn the_report_keeps_the_rows_and_their_reasons() {
        let headers = vec!["身份证号".to_string(), "姓名".to_string()];
        let rows = vec![MarkedRow {
            line: 3,
            cells: vec!["12010119800101123".into(), "张三".into()],
            bad: vec![(0, "校验码错误\nbad check digit".into())],
            reasons_zh: "身份证号：校验码错误".into(),
            reasons_en: "id_number: bad check digit".into(),
        }];
        let texts = ReportTexts {
            sheet: "错误".into(),
            line: "行号".into(),
            reasons_zh: "错误说明".into(),
            reasons_en: "Errors".into(),
        };
        let (h, r) = read_back(&marked_report(&headers, &rows, &texts).unwrap());
        assert_eq!(h, ["行号", "身份证号", "姓名", "错误说明", "Errors"]);
        assert_eq!(r[0][1..3], ["12010119800101123", "张三"]);
        assert_eq!(r[0][3], "身份证号：校验码错误");
    }

    #[test]
    fn the_template_stars_required_headers_and_reads_back_as_headers() {
        let col = |h: &str, required: bool, choices: Vec<String>| TemplateColumn {
            header: h.into(),
            required,
            note: "说明".into(),
            choices,
            suggestions: Vec::new(),
            example: String::new(),
            width: 12.0,
        };
        let texts = TemplateTexts {
            data_sheet: "数据".into(),
            help_sheet: "说明".into(),
            help_headers: ["列".into(), "必填".into(), "说明".into(), "可选值".into(), "示例".into()],
            required_yes: "是".into(),
            required_no: "否".into(),
            invalid_title: "无效".into(),
            invalid_message: "请从下拉列表选择".into(),
            intro: vec!["导入模板".into()],
        };
        let bytes =
            template(&[col("身份证号", true, vec![]), col("所在区", false, vec!["和平区".into()])], &texts).unwrap();
        let (h, rows) = read_back(&bytes);
        assert_eq!(h, ["*身份证号", "所在区"]);
        assert!(rows.is_empty());
    }
}
