//! Certificates for promotions through competitions (以赛代评): a promoted competitor gets a
//! 职业技能等级证书 like any other level — numbered in the issuing institution's series, on the
//! city's status list, signed as a credential after commit — in the transaction that records
//! the result and the level, with the competition as its basis.
//!
//! Who issues it: an evaluation institution whose filed scope covers the event's occupation at
//! the promoted level on the award day (as an evaluation session's institution must). The one
//! the results file names (column `institution`, 评价机构编号) if it is filed for that; else the
//! competition organiser's own institution if it is; else the only one filed. None filed, or
//! several and none named, refuses the row with the reason: the promotion is not recorded
//! without its certificate, and importing the row again once an institution is filed (or named)
//! records both.

use std::collections::HashMap;

use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::evaluation::{self, CERTIFICATE_TITLE};
use gongjiang_domain::level::Level;
use gongjiang_domain::policy::Policy;
use gongjiang_domain::registry::IdType;
use gongjiang_store::certificates::{self as certs, Certificate, LevelCertificate, NewCertificate};
use gongjiang_store::institutions::{self, Filed};
use gongjiang_store::persons;
use gongjiang_store::tx::Tx;
use time::Date;

use crate::AppError;

/// The filed scopes read so far, by occupation, and the organiser's organisation (a competition
/// scored in gongjiang).
pub(super) struct Issuers {
    filed: HashMap<String, Vec<Filed>>,
    organiser: Option<i64>,
}

/// A promotion's certificate to issue once its level row is written.
pub(super) struct Promotion {
    pub person_id: i64,
    pub institution_id: i64,
    pub level: Level,
    pub level_code: u8,
    pub occupation: String,
    pub occupation_name: String,
    pub awarded_on: Date,
    pub basis: String,
}

impl Issuers {
    pub fn new(organiser: Option<i64>) -> Issuers {
        Issuers { filed: HashMap::new(), organiser }
    }

    /// The institution that issues the certificate of `level` in `occupation` on `on`, and the
    /// level's national code; `Err` with the reason the row is refused.
    pub async fn choose(
        &mut self,
        t: &mut Tx,
        policy: &Policy,
        named: Option<i64>,
        occupation: &str,
        level: Level,
        on: Date,
    ) -> Result<Result<(i64, u8), Msg>, AppError> {
        let ladder = &policy.ladder;
        let Some(code) = ladder.certificate_level_code(level) else {
            return Ok(Err(Msg::new(
                format!("{}没有国家证书等级代码，不能颁发证书", ladder.display(level)),
                format!(
                    "{} has no national certificate level code: no certificate can be issued",
                    ladder.name_en(level)
                ),
            )));
        };
        if !self.filed.contains_key(occupation) {
            let rows = institutions::filed_for_in(t, occupation).await?;
            self.filed.insert(occupation.to_owned(), rows);
        }
        let mut covering: Vec<&Filed> = Vec::new();
        for f in &self.filed[occupation] {
            if f.scope.covers(occupation, level, on) && !covering.iter().any(|c| c.institution_id == f.institution_id) {
                covering.push(f);
            }
        }
        let what_zh = format!("{occupation} {}（{on}）", ladder.display(level));
        let what_en = format!("{occupation} at {} on {on}", ladder.name_en(level));
        if let Some(id) = named {
            return Ok(match covering.iter().find(|f| f.institution_id == id) {
                Some(_) => Ok((id, code)),
                None => Err(Msg::new(
                    format!("评价机构 {id} 未备案认定{what_zh}，不能为该晋升颁发证书"),
                    format!(
                        "evaluation institution {id} is not filed to certify {what_en}: it cannot issue this promotion's certificate"
                    ),
                )),
            });
        }
        if let Some(org) = self.organiser
            && let Some(f) = covering.iter().find(|f| f.organisation_id == Some(org))
        {
            return Ok(Ok((f.institution_id, code)));
        }
        Ok(match covering.as_slice() {
            [one] => Ok((one.institution_id, code)),
            [] => Err(Msg::new(
                format!("没有评价机构备案认定{what_zh}：晋升须同时颁发证书，本行未记录；备案后重新导入"),
                format!(
                    "no evaluation institution is filed to certify {what_en}: a promotion comes with its certificate, so this row is not recorded; import it again once one is filed"
                ),
            )),
            several => {
                let ids: Vec<String> = several.iter().map(|f| f.institution_id.to_string()).collect();
                Err(Msg::new(
                    format!(
                        "有 {} 家评价机构备案认定{what_zh}（编号 {}）：请在“评价机构编号”列指明颁发证书的机构",
                        ids.len(),
                        ids.join("、")
                    ),
                    format!(
                        "{} evaluation institutions are filed to certify {what_en} (ids {}): name the one that issues the certificate in column institution",
                        ids.len(),
                        ids.join(", ")
                    ),
                ))
            }
        })
    }
}

/// Issues the certificates of promotions whose level rows are `level_ids` (same order).
pub(super) async fn issue(
    t: &mut Tx,
    policy: &Policy,
    promotions: &[(Promotion, i64)],
) -> Result<Vec<Certificate>, AppError> {
    let mut batch = Vec::with_capacity(promotions.len());
    for (p, level_id) in promotions {
        let Some(person) = persons::get_in(t, p.person_id).await? else { continue };
        batch.push(LevelCertificate {
            certificate: NewCertificate {
                application_id: None,
                person_id: p.person_id,
                title: CERTIFICATE_TITLE.to_string(),
                id_type: IdType::parse(&person.id_type).map_or(person.id_type.clone(), |t| t.zh().to_string()),
                holder_name: person.name.clone(),
                occupation_code: p.occupation.clone(),
                occupation_name: p.occupation_name.clone(),
                trade: evaluation::trade_on_certificate("").to_string(),
                history_trade: String::new(),
                level: p.level.rank(),
                level_text: evaluation::level_on_certificate(&policy.ladder, p.level),
            },
            institution_id: p.institution_id,
            skill_level_id: *level_id,
            issue_date: p.awarded_on,
            level_code: p.level_code,
            basis: p.basis.clone(),
        });
    }
    Ok(certs::issue_for_levels_in(t, &batch).await?)
}
