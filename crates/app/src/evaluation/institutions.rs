//! Filing evaluation institutions, their scope and the staff an employer-type one lists.

use gongjiang_domain::access::Scope;
use gongjiang_domain::bilingual::Explain;
use gongjiang_domain::certificate_no::CertificateNo;
use gongjiang_domain::dates::iso;
use gongjiang_domain::evaluation::{InstitutionCategory, ListedStaffKind, ScopeRow};
use gongjiang_domain::occupation::OccupationCode;
use gongjiang_store::institutions::{self, NewInstitution};
use gongjiang_store::{StoreError, organisations, persons, tx};
use serde_json::json;
use time::Date;

use super::{invalid, required_text};
use crate::audit::{self, Actor};
use crate::{App, AppError};

pub struct FileInstitution<'a> {
    /// `Y`/`S` (or 用人单位 / 社会培训评价组织).
    pub category: &'a str,
    /// `0000` when filed with the province.
    pub body_code: &'a str,
    pub province_code: &'a str,
    pub site_serial: &'a str,
    /// As it must be printed on certificates.
    pub name: &'a str,
    /// The organisation's credit code: required for an employer (`Y`).
    pub organisation_uscc: Option<&'a str>,
}

/// Files an institution and returns its id. The number parts are checked by building a sample
/// certificate number from them. Audited as `institution.file`.
pub async fn file(app: &App, actor: &Actor, f: &FileInstitution<'_>) -> Result<i64, AppError> {
    let category = InstitutionCategory::parse(f.category).ok_or_else(|| {
        invalid(
            format!("评价机构类别“{}”应为 Y（用人单位）或 S（社会培训评价组织）", f.category),
            format!("institution category '{}' should be Y (employer) or S (social organisation)", f.category),
        )
    })?;
    let name = required_text(f.name, "评价机构名称", "institution name")?;
    CertificateNo::national(category.letter(), f.body_code, f.province_code, f.site_serial, 0, 5, 1)
        .map_err(|e| AppError::Invalid(e.explain()))?;
    let organisation_id = match f.organisation_uscc.map(str::trim).filter(|u| !u.is_empty()) {
        Some(u) => Some(
            // Filing an institution is the operator's (CLI): every organisation.
            organisations::by_uscc(&app.db, &Scope::all(), u)
                .await?
                .ok_or_else(|| invalid(format!("单位 {u} 未登记"), format!("organisation {u} is not registered")))?
                .id,
        ),
        None => None,
    };
    if category == InstitutionCategory::Employer && organisation_id.is_none() {
        return Err(invalid(
            "用人单位类（Y）评价机构须关联其登记的单位",
            "an employer-type (Y) institution must be linked to its registered organisation",
        ));
    }
    let n = NewInstitution {
        category: category.letter(),
        body_code: f.body_code,
        province_code: f.province_code,
        site_serial: f.site_serial,
        name,
        organisation_id,
    };
    let mut t = tx::begin(&app.db).await?;
    let id = institutions::file_in(&mut t, &n).await.map_err(|e| match e {
        StoreError::Conflict { .. } => invalid(
            "该评价机构（类别、机构代码、省份、站点序列码）已备案",
            "an institution with this category, body code, province and site serial is filed already",
        ),
        e => e.into(),
    })?;
    let after = json!({
        "category": n.category.to_string(), "body_code": n.body_code, "province_code": n.province_code,
        "site_serial": n.site_serial, "name": n.name, "organisation_id": n.organisation_id,
    });
    audit::record(&mut t, actor, "institution.file", RESOURCE, Some(&id.to_string()), None, Some(&after)).await?;
    t.commit().await?;
    Ok(id)
}

const RESOURCE: &str = "evaluation_institutions";

/// Adds a scope row: `occupation` at `level` (a level with a national certificate) from `from`
/// to `to`. Audited as `institution.scope_add`.
pub async fn add_scope(
    app: &App,
    actor: &Actor,
    institution_id: i64,
    occupation: &str,
    level: &str,
    from: Date,
    to: Option<Date>,
) -> Result<(), AppError> {
    let code = OccupationCode::parse(occupation).ok().filter(|c| app.catalogue.is_detail(c)).ok_or_else(|| {
        invalid(
            format!("职业代码“{occupation}”不在职业分类大典中"),
            format!("occupation code '{occupation}' is not in the classification"),
        )
    })?;
    let level = app.policy.ladder.parse_level(level).ok_or_else(|| {
        invalid(format!("等级“{level}”不在等级阶梯上"), format!("level '{level}' is not on the ladder"))
    })?;
    if app.policy.ladder.certificate_level_code(level).is_none() {
        return Err(invalid(
            format!("{}不经职业技能等级认定，不能备案为评价范围", app.policy.ladder.display(level)),
            format!(
                "{} is not certified by skill-level evaluation and cannot be in a filed scope",
                app.policy.ladder.name_en(level)
            ),
        ));
    }
    if to.is_some_and(|t| t < from) {
        return Err(invalid("备案有效期的结束日期早于开始日期", "the filing ends before it starts"));
    }
    institutions::get(&app.db, institution_id).await?.ok_or_else(|| no_institution(institution_id))?;
    let row = ScopeRow { occupation_code: code.as_str().to_string(), level, valid_from: from, valid_to: to };
    let mut t = tx::begin(&app.db).await?;
    institutions::add_scope_in(&mut t, institution_id, &row).await.map_err(|e| match e {
        StoreError::Conflict { .. } => invalid("该备案范围已存在", "this scope row is filed already"),
        e => e.into(),
    })?;
    let after = json!({
        "occupation_code": row.occupation_code, "level": row.level.rank(),
        "valid_from": iso(row.valid_from), "valid_to": row.valid_to.map(iso),
    });
    let id = institution_id.to_string();
    audit::record(&mut t, actor, "institution.scope_add", RESOURCE, Some(&id), None, Some(&after)).await?;
    t.commit().await?;
    Ok(())
}

/// Lists a dispatched, outsourced or intern worker an employer-type institution may evaluate.
/// Audited as `institution.staff_list` (the person by internal id).
pub async fn list_staff(
    app: &App,
    actor: &Actor,
    institution_id: i64,
    id_number: &str,
    kind: &str,
    from: Date,
    to: Option<Date>,
) -> Result<(), AppError> {
    let kind = ListedStaffKind::parse(kind).ok_or_else(|| {
        invalid(
            format!("人员类别“{kind}”应为 派遣、外包 或 实习"),
            format!("staff kind '{kind}' should be dispatched, outsourced or intern"),
        )
    })?;
    let person = persons::by_id_number(&app.db, id_number.trim())
        .await?
        .ok_or_else(|| invalid("人员未登记", "the person is not registered"))?;
    institutions::get(&app.db, institution_id).await?.ok_or_else(|| no_institution(institution_id))?;
    let mut t = tx::begin(&app.db).await?;
    institutions::list_staff_in(&mut t, institution_id, person.id, kind, from, to).await?;
    let after = json!({ "person_id": person.id, "kind": kind.code(), "from": iso(from), "to": to.map(iso) });
    let id = institution_id.to_string();
    audit::record(&mut t, actor, "institution.staff_list", RESOURCE, Some(&id), None, Some(&after)).await?;
    t.commit().await?;
    Ok(())
}

pub(crate) fn no_institution(id: i64) -> AppError {
    AppError::NotFound(gongjiang_domain::bilingual::Msg::new(
        format!("没有编号为 {id} 的评价机构"),
        format!("no evaluation institution {id}"),
    ))
}
