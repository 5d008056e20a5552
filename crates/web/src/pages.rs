//! The public verification pages, rendered on the server: `/verify` (a form: number and name,
//! or a credential file) and `/v/{public_id}` (what a certificate's QR code opens). No
//! external assets; Chinese first with English beneath; readable on a 360 px phone. Only the
//! masked holder fields are ever shown.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongjiang_app::App;
use gongjiang_store::certificates::{self, Certificate};
use serde::Deserialize;

use crate::error::ApiError;
use crate::extract::{Path, Query};
use crate::handlers::certificates::verify::{PublicCertificate, find};

const STYLE: &str = "body{font-family:'Noto Sans CJK SC','Noto Sans SC','PingFang SC','Microsoft YaHei',sans-serif;\
margin:0;padding:16px;max-width:640px;margin:auto;color:#1a1a1a;line-height:1.5}\
h1{font-size:1.35em;margin:.2em 0}.en{color:#555;font-size:.85em;display:block}\
form{display:grid;gap:10px;margin:12px 0;padding:12px;border:1px solid #ccc;border-radius:6px}\
label{display:grid;gap:4px}input{font-size:1em;padding:8px;border:1px solid #999;border-radius:4px;width:100%;box-sizing:border-box}\
button{font-size:1em;padding:10px;border:0;border-radius:4px;background:#b22222;color:#fff}\
.result{padding:12px;border-radius:6px;margin:12px 0}.valid{background:#e6f4ea;border:1px solid #2e7d32}\
.bad{background:#fdecea;border:1px solid #c62828}.warn{background:#fff8e1;border:1px solid #f9a825}\
dl{display:grid;grid-template-columns:auto 1fr;gap:4px 12px;margin:8px 0}dt{font-weight:bold}dd{margin:0;word-break:break-all}\
pre{white-space:pre-wrap;word-break:break-all}";

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

fn page(title_zh: &str, title_en: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{} / {}</title><style>{STYLE}</style></head><body>\
         <h1>{}<span class=\"en\">{}</span></h1>{body}</body></html>",
        escape(title_zh),
        escape(title_en),
        escape(title_zh),
        escape(title_en)
    );
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}

fn status_block(status: &str) -> String {
    let (class, zh, en) = match status {
        "valid" => ("valid", "✔ 证书有效", "The certificate is valid"),
        "revoked" => ("bad", "✘ 证书已撤销", "The certificate has been revoked"),
        "suspended" => ("warn", "⚠ 证书已暂停", "The certificate is suspended"),
        _ => ("bad", "✘ 未查到该证书（编号或姓名不符）", "No such certificate (number or name do not match)"),
    };
    format!("<div class=\"result {class}\"><strong>{zh}</strong><span class=\"en\">{en}</span></div>")
}

fn facts(c: &Certificate) -> String {
    let p = PublicCertificate::from(c);
    let rows = [
        ("证书编号", "Number", p.number),
        ("姓名", "Name", p.holder_name),
        ("证件号码", "ID number", p.id_number),
        ("职业", "Occupation", format!("{} {}", p.occupation, p.occupation_name)),
        ("工种/职业方向", "Trade", p.trade),
        ("职业技能等级", "Level", p.level),
        ("评价机构", "Institution", p.institution),
        ("发证日期", "Issued on", p.issued_on.to_string()),
    ];
    let mut out = String::from("<dl>");
    for (zh, en, value) in rows {
        out.push_str(&format!("<dt>{zh}<span class=\"en\">{en}</span></dt><dd>{}</dd>", escape(&value)));
    }
    if let Some(reason) = p.status_reason {
        out.push_str(&format!("<dt>原因<span class=\"en\">Reason</span></dt><dd>{}</dd>", escape(&reason)));
    }
    out.push_str("</dl>");
    out
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifyForm {
    number: Option<String>,
    name: Option<String>,
}

const FILE_FORM: &str = "<form id=\"vc\"><label>已签名的电子证书文件（JSON）\
<span class=\"en\">Signed certificate credential file (JSON)</span>\
<input type=\"file\" id=\"file\" accept=\".json,application/json\"></label>\
<button type=\"submit\">验证文件 / Verify the file</button></form><div id=\"out\"></div>\
<script>document.getElementById('vc').addEventListener('submit',async function(e){e.preventDefault();\
var out=document.getElementById('out');var f=document.getElementById('file').files[0];if(!f){return;}\
var text=await f.text();var vc;try{vc=JSON.parse(text);}catch(x){out.className='result bad';\
out.textContent='不是 JSON 文件 / not a JSON file';return;}\
var r=await fetch('/credentials/verify',{method:'POST',headers:{'Content-Type':'application/json'},\
body:JSON.stringify({verifiableCredential:vc})});var j={};try{j=await r.json();}catch(x){}\
if(j.verified){out.className='result valid';out.textContent='✔ 签名有效，证书有效 / signature and certificate valid';}\
else{out.className='result bad';var lines=(j.errors||[]).map(function(p){return p.message_zh+' / '+p.message_en;});\
if(j.error){lines.push(j.error.message_zh+' / '+j.error.message_en);}\
out.textContent='✘ '+(lines.join('；')||('HTTP '+r.status));}});</script>";

/// `GET /verify[?number=…&name=…]`: the form, and the answer when both are given.
pub async fn verify_page(State(app): State<App>, Query(form): Query<VerifyForm>) -> Result<Response, ApiError> {
    let number = form.number.as_deref().map(str::trim).unwrap_or_default();
    let name = form.name.as_deref().map(str::trim).unwrap_or_default();
    let mut body = String::new();
    if !number.is_empty() && !name.is_empty() {
        match find(&app, number, name).await? {
            Some(c) => {
                body.push_str(&status_block(&c.status));
                body.push_str(&facts(&c));
            }
            None => body.push_str(&status_block("not_found")),
        }
    }
    body.push_str(&format!(
        "<form method=\"get\" action=\"/verify\">\
         <label>证书编号<span class=\"en\">Certificate number</span>\
         <input name=\"number\" value=\"{}\" maxlength=\"40\" autocomplete=\"off\" required></label>\
         <label>持证人姓名<span class=\"en\">Holder's name</span>\
         <input name=\"name\" value=\"{}\" maxlength=\"40\" autocomplete=\"off\" required></label>\
         <button type=\"submit\">查验 / Verify</button></form>",
        escape(number),
        escape(name)
    ));
    body.push_str(FILE_FORM);
    body.push_str(
        "<p class=\"en\">姓名与证件号码已脱敏显示。Names and identity numbers are shown masked. \
         离线验证 / offline: <code>gongjiang cert verify FILE.json</code></p>",
    );
    Ok(page("职业技能等级证书查验", "Vocational skill level certificate verification", &body))
}

/// `GET /v/{public_id}`: one certificate's masked facts and its current status.
pub async fn certificate_page(State(app): State<App>, Path(key): Path<String>) -> Result<Response, ApiError> {
    let found = match uuid::Uuid::parse_str(key.trim()) {
        Ok(id) => certificates::by_public_id(&app.db, id).await?,
        Err(_) => None,
    };
    let Some(c) = found else {
        let mut r = page("职业技能等级证书", "Vocational skill level certificate", &status_block("not_found"));
        *r.status_mut() = StatusCode::NOT_FOUND;
        return Ok(r);
    };
    let body = format!(
        "{}{}<p><a href=\"/verify\">按编号和姓名查验 / verify by number and name</a></p>",
        status_block(&c.status),
        facts(&c)
    );
    Ok(page("职业技能等级证书", "Vocational skill level certificate", &body))
}
