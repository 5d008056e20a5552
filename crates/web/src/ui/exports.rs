//! "Export what you see": any list of persons a page shows downloads as a workbook with the
//! same rows (identity numbers masked as on screen), headers in the page's language.

use std::future::Future;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongjiang_app::App;
use gongjiang_store::persons::Person;
use gongjiang_tabular::TableWriter;

use super::error::UiError;
use super::i18n::Lang;
use super::layout::urlencode;
use super::person_row::person_row;

/// The most rows a browser export writes; larger extracts are `gongjiang export` on the server.
pub const MAX_ROWS: usize = 200_000;
const PAGE: i64 = 5_000;

/// The file as a download named `name` (UTF-8, with an ASCII fallback).
pub fn download(bytes: Vec<u8>, content_type: &'static str, name: &str, ascii_name: &str) -> Response {
    let disposition = format!("attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{}", urlencode(name));
    let mut resp = (StatusCode::OK, bytes).into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Writes every person `page` yields (keyset pages of 5,000, up to [`MAX_ROWS`]) as an XLSX.
pub async fn persons_workbook<F, Fut>(app: &App, l: Lang, title: &str, page: F) -> Result<Response, UiError>
where
    F: Fn(Option<i64>, i64) -> Fut,
    Fut: Future<Output = Result<Vec<Person>, UiError>>,
{
    let headers = [
        l.t("姓名", "Name"),
        l.t("证件号码（脱敏）", "ID number (masked)"),
        l.t("性别", "Gender"),
        l.t("出生年份", "Birth year"),
        l.t("所在区", "District"),
        l.t("用人单位", "Employer"),
        l.t("职业", "Occupation"),
        l.t("最高等级", "Highest level"),
        l.t("就业状态", "Employment status"),
    ];
    let file =
        tempfile::Builder::new().prefix("gongjiang-export-").suffix(".xlsx").tempfile().map_err(UiError::internal)?;
    let path = file.path().to_path_buf();
    let date = gongjiang_domain::dates::iso(app.today());
    let heading = match l {
        Lang::Zh => format!("{title}（截至 {date}，证件号码已脱敏）"),
        Lang::En => format!("{title} as of {date} (identity numbers masked)"),
    };
    let mut w = TableWriter::titled(&path, &heading, l.t("人员", "persons"), &headers).map_err(UiError::internal)?;
    let mut after = None;
    let mut written = 0usize;
    loop {
        let rows = page(after, PAGE).await?;
        let Some(last) = rows.last() else { break };
        after = Some(last.id);
        for p in rows {
            if written >= MAX_ROWS {
                break;
            }
            let r = person_row(app, l, p);
            w.write_row(&[
                r.name,
                r.id_number,
                r.gender,
                r.birth_year,
                r.district,
                r.employer,
                r.occupation,
                r.level,
                r.status,
            ])
            .map_err(UiError::internal)?;
            written += 1;
        }
        if written >= MAX_ROWS {
            break;
        }
    }
    w.finish().map_err(UiError::internal)?;
    let bytes = tokio::fs::read(&path).await.map_err(UiError::internal)?;
    drop(file);
    Ok(download(bytes, XLSX, &format!("{title} {date}.xlsx"), &format!("persons-{date}.xlsx")))
}
