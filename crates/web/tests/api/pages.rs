//! The web application's pages over HTTP (the browser tests in e2e/ drive them in chromium):
//! sign-in redirects, the language switch, assets and their caching, security headers, HTML or
//! JSON for unknown paths, the dashboard's figures against the KPI API, the public statistics
//! page and its switch, and an import with bad rows whose report marks the bad cells.

use std::time::Duration;

use gongjiang_tabular::RowReader;
use reqwest::redirect::Policy;

use gongjiang_testkit::TestDb;

use crate::support::{Reply, Server, on_each_backend, spawn_on_policy, spawn_with};

/// A client that does not follow redirects, to see them.
fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder().redirect(Policy::none()).build().expect("a client")
}

async fn raw(s: &Server, req: reqwest::RequestBuilder) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let r = req.send().await.expect("the server answers");
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let body = r.bytes().await.expect("a body").to_vec();
    assert!(status < 500, "[{}] {status}", s.backend);
    (status, headers, body)
}

fn header<'a>(h: &'a reqwest::header::HeaderMap, name: &str) -> &'a str {
    h.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
}

/// GET a page as the city administrator (the pages take the API's bearer tokens too).
async fn page(s: &Server, path: &str) -> Reply {
    s.get(path).await
}

#[tokio::test(flavor = "multi_thread")]
async fn visitors_get_pages_and_are_sent_to_sign_in_for_the_rest() {
    on_each_backend(|s| async move {
        let b = s.backend;
        let landing = s.get_anonymous("/").await;
        assert_eq!(landing.status, 200, "{b}");
        assert!(landing.content_type.starts_with("text/html"), "{b}");
        assert!(landing.text.contains("证书查验") && landing.text.contains("href=\"/public/kpi\""), "{b}");
        assert!(landing.text.contains("<html lang=\"zh-CN\">"), "{b}: Chinese by default");

        let client = no_redirects();
        for path in ["/dashboard", "/persons", "/imports", "/evaluation", "/organisations"] {
            let (status, h, _) = raw(&s, client.get(format!("{}{path}", s.base))).await;
            assert_eq!(status, 303, "{b}: {path}");
            assert_eq!(header(&h, "location"), format!("/login?next={path}"), "{b}: {path}");
        }
        let (status, h, _) = raw(&s, client.get(format!("{}/persons?name=%E5%BC%A0", s.base))).await;
        assert_eq!((status, header(&h, "location")), (303, "/login?next=/persons%3Fname%3D%25E5%25BC%25A0"), "{b}");

        // Every page carries the content security policy; no inline script is needed.
        let (_, h, body) = raw(&s, client.get(format!("{}/verify", s.base))).await;
        let csp = header(&h, "content-security-policy");
        assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), "{b}: {csp}");
        assert_eq!(header(&h, "x-frame-options"), "DENY");
        let html = String::from_utf8_lossy(&body);
        assert!(!html.contains("<script>") && !html.contains("onclick="), "{b}: no inline script");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn english_by_query_or_by_the_switch_which_only_goes_back_to_this_site() {
    let s = spawn_with(TestDb::sqlite(), Default::default(), &[]).await;
    let en = s.get_anonymous("/verify?lang=en").await;
    assert!(en.text.contains("<html lang=\"en\">") && en.text.contains("Certificate verification"));
    let client = no_redirects();
    let (status, h, _) = raw(&s, client.get(format!("{}/lang/en?next=/verify%3Fnumber%3D1", s.base))).await;
    assert_eq!((status, header(&h, "location")), (303, "/verify?number=1"));
    assert!(header(&h, "set-cookie").starts_with("gj_lang=en;"), "{}", header(&h, "set-cookie"));
    let with_cookie = s.send(s.client().get(format!("{}/verify", s.base)).header("cookie", "gj_lang=en")).await;
    assert!(with_cookie.text.contains("Certificate verification"));
    for evil in ["//evil.example/", "https://evil.example/", "/\\evil.example"] {
        let url =
            format!("{}/lang/zh?next={}", s.base, evil.replace('/', "%2F").replace('\\', "%5C").replace(':', "%3A"));
        let (_, h, _) = raw(&s, client.get(url)).await;
        assert_eq!(header(&h, "location"), "/", "{evil}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn assets_are_cached_for_a_year_and_revalidate_by_etag_and_unknown_paths_answer_in_kind() {
    let s = spawn_with(TestDb::sqlite(), Default::default(), &[]).await;
    let landing = s.get_anonymous("/").await;
    let css = landing
        .text
        .split("href=\"/static/app.css?v=")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("the stylesheet link");
    let (status, h, body) = raw(&s, s.client().get(format!("{}/static/app.css?v={css}", s.base))).await;
    assert_eq!(status, 200);
    assert_eq!(header(&h, "cache-control"), "public, max-age=31536000, immutable");
    assert!(header(&h, "content-type").starts_with("text/css") && !body.is_empty());
    let etag = header(&h, "etag").to_string();
    assert_eq!(etag, format!("\"{css}\""), "the URL's version is the ETag");
    let (status, _, body) =
        raw(&s, s.client().get(format!("{}/static/app.css", s.base)).header("if-none-match", &etag)).await;
    assert_eq!((status, body.len()), (304, 0));
    for vendored in ["vendor/htmx-2.0.11.min.js", "vendor/echarts-6.1.0.common.min.js"] {
        let (status, h, _) = raw(&s, s.client().get(format!("{}/static/{vendored}", s.base))).await;
        assert_eq!((status, header(&h, "content-type")), (200, "text/javascript; charset=utf-8"), "{vendored}");
    }
    let (status, _, _) = raw(&s, s.client().get(format!("{}/static/nope.js", s.base))).await;
    assert_eq!(status, 404);

    let html = s.send(s.client().get(format!("{}/no/such/page", s.base)).header("accept", "text/html")).await;
    assert_eq!((html.status, html.content_type.starts_with("text/html")), (404, true));
    assert!(html.text.contains("没有这个页面"));
    let json = s.get_anonymous("/no/such/page").await;
    assert_eq!((json.status, json.json["error"]["code"].as_str()), (404, Some("not_found")));
    let api = s.send(s.client().get(format!("{}/api/v1/nope", s.base)).header("accept", "text/html")).await;
    assert!(api.content_type.starts_with("application/json"), "under /api/ always JSON");
}

/// The numerator of headline `n` (1: skilled share, 2: high-skilled share): the first link of
/// its line of counts.
fn headline_numerator(html: &str, n: usize) -> i64 {
    let card = html.split(&format!("data-headline=\"{n}\"")).nth(1).expect("the headline");
    let counts = card.split("<div class=\"muted\">").nth(1).expect("its counts");
    let text = counts.split('>').nth(1).and_then(|t| t.split('<').next()).expect("a link's text");
    text.replace(',', "").trim().parse().unwrap_or_else(|_| panic!("a number: {text}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_dashboard_shows_the_api_s_figures_and_each_drills_down_to_exactly_its_persons() {
    on_each_backend(|s| async move {
        let b = s.backend;
        let api = s.ok("/api/v1/kpi?by=district").await;
        let total = api["rows"].as_array().unwrap().iter().find(|r| r["group"] == "total").cloned().unwrap();
        let dashboard = page(&s, "/dashboard").await;
        assert_eq!(dashboard.status, 200, "{b}: {}", dashboard.text);
        assert_eq!(headline_numerator(&dashboard.text, 1), total["skilled"].as_i64().unwrap(), "{b}");
        assert_eq!(headline_numerator(&dashboard.text, 2), total["high_skilled"].as_i64().unwrap(), "{b}");
        assert!(dashboard.text.contains("data-chart=\"chart-districts\""), "{b}");
        assert!(dashboard.text.contains("hx-get=\"/dashboard/trend?group=total"), "{b}: the trend loads after");
        let trend = page(&s, "/dashboard/trend?group=total").await;
        assert!(
            trend.status == 200 && trend.text.contains("data-chart=\"chart-trend-skilled\""),
            "{b}: {}",
            trend.text
        );

        // 滨海新区's skilled persons, page by page: exactly the API's figure.
        let row = api["rows"].as_array().unwrap().iter().find(|r| r["group"] == "120116").cloned().unwrap();
        let drill = page(&s, "/kpi/persons?by=district&group=120116&measure=skilled").await;
        let rows = drill.text.matches("<tr>").count() - 1;
        assert_eq!(rows as i64, row["skilled"].as_i64().unwrap(), "{b}");
        assert!(drill.text.contains("滨海新区"), "{b}");
        let said = format!("<span data-total>共 {} 人</span>", row["skilled"].as_i64().unwrap());
        assert!(drill.text.contains(&said), "{b}: the page says its count: {}", drill.text);
        assert!(drill.text.contains("<span data-page>第 1 / 1 页</span>"), "{b}");
        // Everyone employed in the city, 20 a page: the count is the API's, the pages follow it.
        let employed = total["registry_employed"].as_i64().unwrap();
        let all = page(&s, "/kpi/persons?by=district&group=total&measure=employed&size=20").await;
        assert!(all.text.contains(&format!("<span data-total>共 {employed} 人</span>")), "{b}: {}", all.text);
        let pages = (employed + 19) / 20;
        assert!(all.text.contains(&format!("<span data-page>第 1 / {pages} 页</span>")), "{b}");
        assert_eq!(all.text.matches("<tr>").count() - 1, 20.min(employed as usize), "{b}");
        let export = s
            .send(
                s.client()
                    .get(format!("{}/kpi/persons/export.xlsx?by=district&group=120116&measure=skilled", s.base))
                    .bearer_auth(&s.admin_token),
            )
            .await;
        assert_eq!(export.status, 200, "{b}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_public_statistics_page_shows_shares_without_lists_unless_the_city_turns_it_off() {
    let s = spawn_with(TestDb::sqlite(), Default::default(), &[]).await;
    let public = s.get_anonymous("/public/kpi").await;
    assert_eq!(public.status, 200);
    assert!(
        public.text.contains("技能人才占就业人员比例") && !public.text.contains("/kpi/persons"),
        "no drill-down links"
    );
    let off = gongjiang_web::WebOptions { public_kpi: false, ..Default::default() };
    let s = spawn_with(TestDb::sqlite(), off, &[]).await;
    assert_eq!(s.get_anonymous("/public/kpi").await.status, 404);
    assert!(!s.get_anonymous("/").await.text.contains("href=\"/public/kpi\""));
}

/// Official skill counts (issue 13), where the statistics import loaded them, stand beside the
/// registry's figure with its coverage.
#[tokio::test(flavor = "multi_thread")]
async fn the_kpi_table_shows_the_official_skill_counts_beside_the_registrys() {
    let s = spawn_with(TestDb::sqlite(), Default::default(), &[]).await;
    assert!(!s.get_anonymous("/public/kpi").await.text.contains("data-official"), "none loaded");
    let year = s.app.today().year();
    let counts = gongjiang_domain::records::NewSkillCount {
        year,
        district_code: "120000".into(),
        industry: String::new(),
        chain: String::new(),
        skilled: Some(2_730_000),
        high_skilled: Some(840_000),
    };
    let mut t = gongjiang_store::tx::begin(&s.app.db).await.unwrap();
    gongjiang_store::statistics::upsert_skill_counts_in(&mut t, &[counts]).await.unwrap();
    t.commit().await.unwrap();
    let page = s.get_anonymous("/public/kpi").await.text;
    assert!(page.contains("data-official>官方 2,730,000 · 登记库覆盖"), "{page}");
    assert!(page.contains("data-official>官方 840,000 · 登记库覆盖"), "{page}");
}

/// The definitions beside the headline figures come from the policy's ladder: a city that counts
/// high-skilled talent from 技师 sees that, and the shipped policy (from 高级工) sees its own.
#[tokio::test(flavor = "multi_thread")]
async fn the_kpi_definitions_shown_are_the_policys() {
    let s = spawn_with(TestDb::sqlite(), Default::default(), &[]).await;
    let shipped = s.get_anonymous("/public/kpi").await.text;
    assert!(shipped.contains("高技能人才：高级工及以上") && shipped.contains("技能人才：初级工及以上"), "{shipped}");
    let dashboard = s.get("/dashboard").await.text;
    assert!(dashboard.contains("高技能人才：高级工及以上"), "the dashboard too");
    let english = s.get_anonymous("/public/kpi?lang=en").await.text;
    assert!(english.contains("high-skilled: senior worker and above"), "{english}");

    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../policy/tianjin.toml")).unwrap();
    assert!(text.contains("high_skilled_from_rank = 4"));
    let policy = dir.path().join("policy.toml");
    std::fs::write(&policy, text.replace("high_skilled_from_rank = 4", "high_skilled_from_rank = 5")).unwrap();
    let s = spawn_on_policy(TestDb::sqlite(), Default::default(), &[], None, Some(&policy)).await;
    let changed = s.get_anonymous("/public/kpi").await.text;
    assert!(changed.contains("高技能人才：技师及以上") && !changed.contains("高技能人才：高级工及以上"), "{changed}");
}

fn multipart(boundary: &str, kind: &str, file_name: &str, file: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n{kind}\r\n--{boundary}\r\n\
         Content-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    body
}

#[tokio::test(flavor = "multi_thread")]
async fn an_import_with_bad_rows_runs_in_the_background_and_its_report_marks_the_bad_cells() {
    on_each_backend(|s| async move {
        let b = s.backend;
        let (status, h, tpl) = raw(
            &s,
            s.client().get(format!("{}/imports/template/persons.xlsx", s.base)).bearer_auth(&s.admin_token),
        )
        .await;
        assert_eq!(status, 200, "{b}");
        assert!(header(&h, "content-disposition").contains("filename*=UTF-8''"), "{b}");
        assert_eq!(&tpl[..2], b"PK", "{b}: an XLSX");

        let good = crate::support::id_number("120104", crate::support::date(1990, 1, 1), 901);
        let bad_district = crate::support::id_number("120104", crate::support::date(1990, 1, 1), 902);
        let csv = format!(
            "身份证号,姓名,工作所在区,职业代码\n{good},导入甲,河西区,6-18-01-01\n12010419900101903Z,导入乙,河西区,6-18-01-01\n\
             {bad_district},导入丙,火星区,6-18-01-01\n"
        );
        let boundary = "gongjiang-test-boundary";
        let (status, h, _) = raw(
            &s,
            no_redirects()
                .post(format!("{}/imports", s.base))
                .bearer_auth(&s.admin_token)
                .header("content-type", format!("multipart/form-data; boundary={boundary}"))
                .body(multipart(boundary, "persons", "人员.csv", csv.as_bytes())),
        )
        .await;
        assert_eq!(status, 303, "{b}");
        let job = header(&h, "location").to_string();
        assert!(job.starts_with("/imports/jobs/"), "{b}: {job}");
        let mut done = String::new();
        for _ in 0..100 {
            let r = page(&s, &format!("{job}/progress")).await;
            if r.text.contains("data-state=\"done\"") {
                done = r.text;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(done.contains("data-count=\"rejected\">2<"), "{b}: {done}");
        assert!(done.contains("data-count=\"inserted\">1<"), "{b}");
        let home = page(&s, "/").await.text;
        assert!(home.contains(&format!("href=\"{job}\"")), "{b}: the work list links to the job and its report");

        let (status, h, report) =
            raw(&s, s.client().get(format!("{}{job}/report.xlsx", s.base)).bearer_auth(&s.admin_token)).await;
        assert_eq!(status, 200, "{b}");
        assert!(header(&h, "content-type").contains("spreadsheetml"), "{b}");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.xlsx");
        std::fs::write(&path, &report).unwrap();
        let mut reader = RowReader::open(&path).unwrap();
        assert_eq!(reader.headers(), ["行号", "身份证号", "姓名", "工作所在区", "职业代码", "错误说明", "Errors (English)"]);
        let rows: Vec<Vec<String>> = reader.by_ref().map(|r| r.unwrap().cells).collect();
        assert_eq!(rows.len(), 2, "{b}: the two bad rows, not the good one");
        assert_eq!(rows[1][3], "火星区", "{b}: the row as it was in the file");
        assert!(rows[1][5].starts_with("工作所在区："), "{b}: {}", rows[1][5]);
        // The bad cell has a note of its own (the reason), the sheet has two notes in all.
        let notes = zip_entry(&report, "xl/comments1.xml");
        assert_eq!(notes.matches("<comment ").count(), 2, "{b}: {notes}");

        // The upload held identity numbers: it is gone once the job is done, and the folder
        // it was in opens to its owner only.
        let (uploads, left) = uploads_named("人员.csv");
        assert!(left.is_empty(), "{b}: the upload was removed: {left:?}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&uploads).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o700, "{b}: {}", uploads.display());
        }
    })
    .await;
}

/// This user's private upload folder, and the files named `name` under it (any job of this
/// process).
fn uploads_named(name: &str) -> (std::path::PathBuf, Vec<std::path::PathBuf>) {
    // SAFETY: getuid has no preconditions.
    let root = std::env::temp_dir().join(format!("gongjiang-uploads-{}", unsafe { libc::getuid() }));
    let mine = format!("{}-", std::process::id());
    let mut found = Vec::new();
    for process in std::fs::read_dir(&root).unwrap().flatten() {
        if !process.file_name().to_string_lossy().starts_with(&mine) {
            continue;
        }
        for job in std::fs::read_dir(process.path()).into_iter().flatten().flatten() {
            let file = job.path().join(name);
            if file.exists() {
                found.push(file);
            }
        }
    }
    (root, found)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_two_kilobyte_spreadsheet_declaring_cell_xfd1048576_is_one_rejected_row_not_a_crash() {
    // A server that crashed left an upload behind; the next server to start removes it.
    let (root, _) = uploads_named("-");
    let mut child = std::process::Command::new("true").spawn().unwrap();
    child.wait().unwrap();
    let stale = root.join(format!("{}-crashed", child.id()));
    std::fs::create_dir_all(stale.join("job-1")).unwrap();
    std::fs::write(stale.join("job-1/人员.csv"), "身份证号\n").unwrap();
    let s = spawn_with(TestDb::sqlite(), Default::default(), &[]).await;

    let good = crate::support::id_number("120104", crate::support::date(1990, 1, 1), 911);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for (c, h) in ["身份证号", "姓名", "工作所在区"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, &good).unwrap();
    ws.write_string(1, 1, "炸弹旁的好行").unwrap();
    ws.write_string(1, 2, "河西区").unwrap();
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    book.save(&path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() < 10_000);

    let boundary = "gongjiang-test-boundary";
    let (status, h, _) = raw(
        &s,
        no_redirects()
            .post(format!("{}/imports", s.base))
            .bearer_auth(&s.admin_token)
            .header("content-type", format!("multipart/form-data; boundary={boundary}"))
            .body(multipart(boundary, "persons", "bomb.xlsx", &bytes)),
    )
    .await;
    assert_eq!(status, 303);
    let job = header(&h, "location").to_string();
    let mut done = String::new();
    for _ in 0..100 {
        let r = page(&s, &format!("{job}/progress")).await;
        if r.text.contains("data-state=\"done\"") {
            done = r.text;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(done.contains("data-count=\"inserted\">1<"), "{done}");
    assert!(done.contains("data-count=\"rejected\">1<"), "{done}");
    assert!(done.contains("超过 1024 列的上限"), "the reason is shown: {done}");
    assert_eq!(page(&s, "/imports").await.status, 200, "the server is still up");
    assert!(!stale.exists(), "the crashed process's uploads are swept");
}

/// One entry of a zip file (an XLSX), as text: found through the central directory.
fn zip_entry(zip: &[u8], name: &str) -> String {
    use std::io::Read;
    let u16_at = |i: usize| u16::from_le_bytes([zip[i], zip[i + 1]]) as usize;
    let u32_at = |i: usize| u32::from_le_bytes([zip[i], zip[i + 1], zip[i + 2], zip[i + 3]]) as usize;
    let eocd = (0..zip.len() - 21).rev().find(|&i| zip[i..i + 4] == [0x50, 0x4b, 0x05, 0x06]).expect("a zip");
    let mut p = u32_at(eocd + 16);
    for _ in 0..u16_at(eocd + 10) {
        let (method, size, name_len) = (u16_at(p + 10), u32_at(p + 20), u16_at(p + 28));
        let (extra, comment, local) = (u16_at(p + 30), u16_at(p + 32), u32_at(p + 42));
        if &zip[p + 46..p + 46 + name_len] == name.as_bytes() {
            let start = local + 30 + u16_at(local + 26) + u16_at(local + 28);
            let data = &zip[start..start + size];
            let mut out = String::new();
            match method {
                0 => out = String::from_utf8_lossy(data).to_string(),
                _ => {
                    flate2::read::DeflateDecoder::new(data).read_to_string(&mut out).expect("deflate");
                }
            }
            return out;
        }
        p += 46 + name_len + extra + comment;
    }
    panic!("no {name} in the workbook");
}

/// An error page keeps the visitor's layout: their name and sign-out, their navigation, their
/// language, and a language switch that comes back to the same address.
#[tokio::test(flavor = "multi_thread")]
async fn error_pages_keep_the_signed_in_header_and_the_language() {
    let s = spawn_with(TestDb::sqlite(), Default::default(), &[]).await;
    let root = crate::users::sign_in(&s, "root").await;
    let html = |r: reqwest::RequestBuilder| r.header("accept", "text/html");
    let r = html(root.get(&s, "/no-such-page")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("没有这个页面") && page.contains("action=\"/logout\"") && page.contains("href=\"/dashboard\""),
        "{page}"
    );
    assert!(
        page.contains("/lang/en?next=%2Fno-such-page") || page.contains("next=/no-such-page"),
        "the switch comes back here: {page}"
    );

    crate::users::user(&s.app, "norole", &[]).await;
    let w = crate::users::sign_in(&s, "norole").await;
    let r = html(w.get(&s, "/admin/users?lang=en")).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let page = r.text().await.unwrap();
    assert!(page.contains("<h1>403 · your roles do not allow this page"), "English first: {page}");
    assert!(page.contains("action=\"/logout\""), "still signed in: {page}");
}

/// A name's beginning finds every person whose name starts with it, with the count, on every
/// backend (SQLite through the name index's range, PostgreSQL under its own collation).
#[tokio::test(flavor = "multi_thread")]
async fn a_partial_name_finds_every_match_with_the_count() {
    on_each_backend(|s| async move {
        let b = s.backend;
        let page = s.get("/persons?name=%E6%B5%8B%E8%AF%95%E4%BA%BA%E5%91%980").await.text; // 测试人员0
        assert!(page.contains("<span data-total>共 10 人</span>"), "{b}: 测试人员00…09: {page}");
        let api = s.ok("/api/v1/persons?name=%E6%B5%8B%E8%AF%95%E4%BA%BA%E5%91%985&limit=100").await; // 测试人员5
        let names: Vec<&str> = api["items"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
        let expected: Vec<String> = (50..60).map(|k| format!("测试人员{k}")).collect();
        assert_eq!(names, expected, "{b}");
    })
    .await;
}

/// A list offers page sizes, says which page of how many it shows, and the next page keeps the
/// size and counts on.
#[tokio::test]
async fn the_person_list_pages_by_the_chosen_size_and_says_where_it_is() {
    on_each_backend(|s| async move {
        let b = s.backend;
        // 61 persons, 20 a page: 4 pages.
        let first = s.get("/persons?size=20").await.text;
        assert!(first.contains("<span data-page>第 1 / 4 页</span>"), "{b}: {first}");
        assert!(first.contains("<strong aria-current=\"true\">20</strong>"), "{b}");
        let next = first.split("rel=\"next\"").next().and_then(|t| t.rsplit("href=\"").next()).expect("a next link");
        let next = next.split('"').next().unwrap().replace("&amp;", "&").replace("&#38;", "&");
        assert!(next.contains("size=20") && next.contains("page=2"), "{b}: {next}");
        let second = s.get(&next).await.text;
        assert!(second.contains("<span data-page>第 2 / 4 页</span>"), "{b}: {second}");
        assert!(second.contains("本页 20"), "{b}");
        // The default is 20 a page too; 100 shows everyone on one page.
        let all = s.get("/persons?size=100").await.text;
        assert!(all.contains("第 1 / 1 页") && all.contains("本页 61") && !all.contains("rel=\"next\""), "{b}");
    })
    .await;
}

/// A person entered by hand goes through the import's checks: a bad number comes back on the
/// form with its reason, a good entry opens the new person's page, a second entry of the same
/// number is refused, and a district officer enters only their own districts.
#[tokio::test(flavor = "multi_thread")]
async fn a_clerk_registers_a_person_with_the_imports_checks() {
    on_each_backend(|s| async move {
        let b = s.backend;
        let root = crate::users::sign_in(&s, "root").await;
        let r = root.get(&s, "/persons/new").send().await.unwrap();
        assert_eq!(r.status(), 200, "{b}");
        assert!(r.text().await.unwrap().contains("id=\"person-form\""), "{b}: a form, not a UUID error");
        let good = crate::support::id_number("120101", crate::support::date(1995, 3, 3), 777);
        let form = |number: &str, district: &str| {
            vec![
                ("id_number".to_string(), number.to_string()),
                ("name".into(), "手工录入".into()),
                ("id_type".into(), "resident_id".into()),
                ("district".into(), district.to_string()),
                ("employment_status".into(), "employed".into()),
            ]
        };
        let post = |who: &crate::users::Signed, pairs: Vec<(String, String)>| {
            let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            who.post_form(&s, "/persons/new", &refs)
        };
        let bad = post(&root, form("120101199503031234", "120101")).send().await.unwrap().text().await.unwrap();
        assert!(bad.contains("role=\"alert\"") && bad.contains("id_number") && bad.contains("校验码"), "{b}: {bad}");
        let r = post(&root, form(&good, "120101")).send().await.unwrap();
        assert!(r.url().path().starts_with("/persons/"), "{b}");
        assert!(r.text().await.unwrap().contains("手工录入"), "{b}: the new person's page");
        let again = post(&root, form(&good, "120101")).send().await.unwrap().text().await.unwrap();
        assert!(again.contains("已登记"), "{b}: {again}");
        let audit = gongjiang_store::audit::search(&s.app.db, &Default::default(), None, 20).await.unwrap();
        assert!(audit.iter().any(|e| e.action == "import.batch" && e.actor == "user:root"), "{b}");

        let heping = gongjiang_domain::access::Role::DistrictAdmin { districts: ["120101".to_string()].into() };
        crate::users::user(&s.app, "heping", &[heping]).await;
        let h = crate::users::sign_in(&s, "heping").await;
        let other = crate::support::id_number("120116", crate::support::date(1996, 4, 4), 778);
        let refused = post(&h, form(&other, "120116")).send().await.unwrap().text().await.unwrap();
        assert!(refused.contains("请选择您所辖的区"), "{b}: {refused}");
        assert!(gongjiang_store::persons::by_id_number(&s.app.db, &other).await.unwrap().is_none(), "{b}");
    })
    .await;
}
