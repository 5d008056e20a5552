//! Export of the registry to CSV or XLSX, with the same columns the importer reads (Chinese
//! headers by default, English on request), so an exported file imports back unchanged.

use std::path::Path;

use gongjiang_domain::access::Scope;
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
    match kind {
        Kind::Orgs => {
            let cols = ["uscc", "name", "kind", "district", "industry"];
            let mut w = TableWriter::create(path, &headers(kind, lang, &cols))?;
            let mut after = None;
            loop {
                let page = organisations::list(&app.db, &Scope::all(), &OrgFilter::default(), after, PAGE).await?;
                let Some(last) = page.last() else { break };
                after = Some(last.id);
                for o in &page {
                    w.write_row(&[
                        o.uscc.clone(),
                        o.name.clone(),
                        o.kind.clone(),
                        o.district_code.clone(),
                        opt(&o.industry),
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
            let mut w = TableWriter::create(path, &headers(kind, lang, &cols))?;
            let mut after = None;
            loop {
                let page = persons::list(&app.db, &Scope::all(), &PersonFilter::default(), after, PAGE).await?;
                let Some(last) = page.last() else { break };
                after = Some(last.id);
                for p in &page {
                    w.write_row(&[
                        p.id_number.clone(),
                        p.name.clone(),
                        p.id_type.clone(),
                        opt(&p.district_code),
                        opt(&p.employer_uscc),
                        opt(&p.occupation_code),
                        opt(&p.education),
                        opt(&p.employment_status),
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
            let mut w = TableWriter::create(path, &headers(kind, lang, &cols))?;
            let mut after = 0;
            loop {
                let page = levels::export_page(&app.db, after, PAGE).await?;
                let Some(last) = page.last() else { break };
                after = last.id;
                for l in &page {
                    let level = gongjiang_domain::level::Level::new(l.level as u8)
                        .map(|lv| app.policy.ladder.name_zh(lv).to_string())
                        .unwrap_or_else(|| l.level.to_string());
                    w.write_row(&[
                        l.id_number.clone(),
                        l.occupation_code.clone(),
                        level,
                        gongjiang_domain::dates::iso(l.obtained_on),
                        l.source.clone(),
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
        | Kind::Enrolments
        | Kind::Apprenticeships => {
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
