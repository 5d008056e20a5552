//! Export of the registry to CSV or XLSX, with the same columns the importer reads (Chinese
//! headers by default, English on request), so an exported file imports back unchanged. With
//! Chinese headers the values are Chinese too (居民身份证, 和平区, 本科, 在职 — the importer
//! reads names as well as codes); with English headers they are the codes. A workbook carries a
//! title row saying what it holds and as of when, a named sheet and readable column widths.

use std::path::Path;

use gongjiang_domain::access::Scope;
use gongjiang_domain::registry::{Education, EmploymentStatus, IdType, LevelSource, OrgKind};
use gongjiang_store::levels;
use gongjiang_store::organisations::{self, OrgFilter};
use gongjiang_store::persons::{self, PersonFilter};
use gongjiang_tabular::TableWriter;

use crate::audit::{self, Actor};
use crate::import::Kind;
use crate::{App, AppError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderLanguage {
    Chinese,
    English,
}

const PAGE: i64 = 5000;

fn headers(kind: Kind, lang: HeaderLanguage, names: &[&str]) -> Vec<&'static str> {
    names
        .iter()
        .map(|n| {
            let c = kind.columns().iter().find(|c| c.name == *n).expect("export columns are import columns");
            match lang {
                HeaderLanguage::Chinese => c.zh[0],
                HeaderLanguage::English => c.name,
            }
        })
        .collect()
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(|x| x.to_string()).unwrap_or_default()
}

/// Values as the file's readers expect them: Chinese names in a Chinese-header file, codes in an
/// English-header one. A value the registry does not know is written as stored.
struct Values<'a> {
    app: &'a App,
    zh: bool,
}

impl Values<'_> {
    fn coded(&self, code: &str, zh: Option<&'static str>) -> String {
        match (self.zh, zh) {
            (true, Some(name)) => name.to_string(),
            _ => code.to_string(),
        }
    }

    fn district(&self, code: &str) -> String {
        let name = self.app.policy.district(code).filter(|d| d.code == code).map(|d| d.name_zh.clone());
        if self.zh { name.unwrap_or_else(|| code.to_string()) } else { code.to_string() }
    }

    fn industry(&self, code: &str) -> String {
        let name = self.app.policy.industry(code).map(|i| i.name_zh.clone());
        if self.zh { name.unwrap_or_else(|| code.to_string()) } else { code.to_string() }
    }
}

/// What the file holds, as its title row says it, and its sheet's name.
fn title(kind: Kind, lang: HeaderLanguage, as_of: time::Date) -> (String, &'static str) {
    let on = gongjiang_domain::dates::iso(as_of);
    let (zh, en, sheet_zh, sheet_en) = match kind {
        Kind::Orgs => ("单位名单", "Organisations", "单位", "organisations"),
        Kind::Persons => ("人员名单", "Persons", "人员", "persons"),
        _ => ("技能等级记录", "Skill levels", "技能等级", "levels"),
    };
    match lang {
        HeaderLanguage::Chinese => (format!("{zh}（截至 {on}，工匠导出）"), sheet_zh),
        HeaderLanguage::English => (format!("{en} as of {on} (gongjiang export)"), sheet_en),
    }
}

/// Writes every row of `kind` to `path`; returns the number of rows written. The export is a
/// read of personal data in bulk (persons' and levels' identity numbers in full): audited as
/// `export.file` (the kind, the file name, the rows) once written.
pub async fn run(
    app: &App,
    actor: &Actor,
    kind: Kind,
    path: &Path,
    lang: HeaderLanguage,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<u64, AppError> {
    let mut n = 0u64;
    let v = Values { app, zh: lang == HeaderLanguage::Chinese };
    let (title, sheet) = title(kind, lang, app.today());
    let create = |cols: &[&str]| TableWriter::titled(path, &title, sheet, &headers(kind, lang, cols));
    match kind {
        Kind::Orgs => {
            let cols = ["uscc", "name", "kind", "district", "industry"];
            let mut w = create(&cols)?;
            let mut after = None;
            loop {
                let page = organisations::list(&app.db, &Scope::all(), &OrgFilter::default(), after, PAGE).await?;
                let Some(last) = page.last() else { break };
                after = Some(last.id);
                for o in &page {
                    w.write_row(&[
                        o.uscc.clone(),
                        o.name.clone(),
                        v.coded(&o.kind, OrgKind::parse(&o.kind).map(OrgKind::zh)),
                        v.district(&o.district_code),
                        o.industry.as_deref().map(|i| v.industry(i)).unwrap_or_default(),
                    ])?;
                }
                n += page.len() as u64;
                progress(n);
            }
            w.finish()?;
        }
        Kind::Persons => {
            let cols = [
                "id_number",
                "name",
                "id_type",
                "district",
                "employer_uscc",
                "occupation",
                "education",
                "employment_status",
                "work_start",
            ];
            let mut w = create(&cols)?;
            let mut after = None;
            loop {
                let page = persons::list(&app.db, &Scope::all(), &PersonFilter::default(), after, PAGE).await?;
                let Some(last) = page.last() else { break };
                after = Some(last.id);
                for p in &page {
                    w.write_row(&[
                        p.id_number.clone(),
                        p.name.clone(),
                        v.coded(&p.id_type, IdType::parse(&p.id_type).map(IdType::zh)),
                        p.district_code.as_deref().map(|d| v.district(d)).unwrap_or_default(),
                        opt(&p.employer_uscc),
                        opt(&p.occupation_code),
                        p.education
                            .as_deref()
                            .map(|e| v.coded(e, Education::parse(e).map(Education::zh)))
                            .unwrap_or_default(),
                        p.employment_status
                            .as_deref()
                            .map(|e| v.coded(e, EmploymentStatus::parse(e).map(EmploymentStatus::zh)))
                            .unwrap_or_default(),
                        p.work_start.map(gongjiang_domain::dates::iso).unwrap_or_default(),
                    ])?;
                }
                n += page.len() as u64;
                progress(n);
            }
            w.finish()?;
        }
        Kind::Levels => {
            let cols = [
                "id_number",
                "occupation",
                "level",
                "obtained_on",
                "source",
                "trade",
                "certificate_no",
                "issuer_uscc",
                "revoked_on",
                "revoked_reason",
            ];
            let mut w = create(&cols)?;
            let mut after = 0;
            loop {
                let page = levels::export_page(&app.db, after, PAGE).await?;
                let Some(last) = page.last() else { break };
                after = last.id;
                for l in &page {
                    let level = gongjiang_domain::level::Level::new(l.level as u8)
                        .map(|lv| app.policy.ladder.name_zh(lv).to_string())
                        .unwrap_or_else(|| l.level.to_string());
                    let source = v.coded(&l.source, LevelSource::parse(&l.source).map(LevelSource::zh));
                    w.write_row(&[
                        l.id_number.clone(),
                        l.occupation_code.clone(),
                        level,
                        gongjiang_domain::dates::iso(l.obtained_on),
                        source,
                        l.trade.clone(),
                        opt(&l.certificate_no),
                        opt(&l.issuer_uscc),
                        l.revoked_on.map(gongjiang_domain::dates::iso).unwrap_or_default(),
                        opt(&l.revoked_reason),
                    ])?;
                }
                n += page.len() as u64;
                progress(n);
            }
            w.finish()?;
        }
        Kind::Employment
        | Kind::Statistics
        | Kind::Demand
        | Kind::Standards
        | Kind::CompetitionResults
        | Kind::Insurance
        | Kind::Programmes
        | Kind::Platforms
        | Kind::Enrolments
        | Kind::Apprenticeships
        | Kind::Education
        | Kind::Titles => {
            return Err(AppError::Invalid(gongjiang_domain::bilingual::Msg::new(
                "只能导出 orgs、persons、levels",
                "only orgs, persons and levels can be exported",
            )));
        }
    }
    let file = path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    let after = serde_json::json!({ "kind": kind.name(), "file": file, "rows": n });
    let mut t = gongjiang_store::tx::begin(&app.db).await?;
    audit::record(&mut t, actor, "export.file", kind.name(), None, None, Some(&after)).await?;
    t.commit().await?;
    Ok(n)
}
