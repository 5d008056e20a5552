//! Skill-level certificates (职业技能等级证书): issuance with gap-free serials, the matching
//! level-history row in the same transaction, status changes, lookups for verification, and
//! appointments to 特级技师/首席技师.
//!
//! Serials: `certificate_serials` holds the last serial per institution × year × level code. A
//! batch of `n` certificates adds `n` to it with one `INSERT … ON CONFLICT DO UPDATE …
//! RETURNING` in the issuing transaction. On SQLite the single writer serialises issuers; on
//! PostgreSQL the upsert locks the counter row until commit, so a concurrent issuer waits and
//! then reads the committed value. A rolled-back issue rolls its increment back: no gaps.
//! Status-list indexes are allocated the same way from `status_list_counters`.

use gongjiang_domain::certificate_no::CertificateNo;
use gongjiang_domain::dates::iso;
use gongjiang_domain::evaluation::{CertificateStatus, SessionStatus};
use serde::Serialize;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::dialect::{PerBackend, for_update};
use crate::pii::Pii;
use crate::tx::Tx;
use crate::{Db, StoreError, on_pool, on_tx, on_writer};

/// The city's one Bitstring Status List.
pub const CITY_STATUS_LIST: &str = "city";

/// One certificate to issue; the number, serial, status index and public id are allocated.
#[derive(Debug, Clone)]
pub struct NewCertificate {
    pub application_id: Option<i64>,
    pub person_id: i64,
    pub title: String,
    pub holder_name: String,
    pub id_type: String,
    pub occupation_code: String,
    pub occupation_name: String,
    /// As printed: `--` when there is no sub-trade.
    pub trade: String,
    /// The sub-trade as the level history keys it (empty when none).
    pub history_trade: String,
    pub level: u8,
    /// `三级/高级工`.
    pub level_text: String,
}

/// Certificates of one institution, year and level, issued together.
pub struct IssueBatch<'a> {
    pub institution_id: i64,
    /// When set, the batch finalises this session: nothing is issued if it is final already,
    /// and it becomes final in the same transaction.
    pub session_id: Option<i64>,
    pub issue_date: Date,
    pub level_code: u8,
    pub certificates: &'a [NewCertificate],
    pub recorded_by: &'a str,
}

/// A certificate as issued. The holder's identity number is read from their person row
/// (decrypted; the certificate keeps no copy) and left out of `Debug`.
#[derive(Clone, Serialize, sqlx::FromRow)]
pub struct Certificate {
    #[serde(skip)]
    pub id: i64,
    pub public_id: Uuid,
    pub number: String,
    #[serde(skip)]
    pub institution_id: i64,
    #[serde(skip)]
    pub session_id: Option<i64>,
    #[serde(skip)]
    pub application_id: Option<i64>,
    #[serde(skip)]
    pub person_id: i64,
    pub year: i32,
    pub level_code: i32,
    pub serial: i32,
    pub title: String,
    pub holder_name: String,
    pub id_type: String,
    pub id_number: String,
    pub occupation_code: String,
    pub occupation_name: String,
    pub trade: String,
    pub level: i16,
    pub level_text: String,
    pub institution_name: String,
    pub issue_date: Date,
    pub status_index: i64,
    pub status: String,
    pub status_reason: Option<String>,
    pub status_changed_on: Option<Date>,
    #[serde(skip)]
    pub skill_level_id: Option<i64>,
    pub credential: Option<String>,
    /// What the certificate rests on when no evaluation session issued it: for a promotion
    /// through a competition (以赛代评) the competition, tier, group and place.
    pub basis: Option<String>,
}

gongjiang_domain::debug_without_id_number!(Certificate {
    id,
    public_id,
    number,
    institution_id,
    session_id,
    application_id,
    person_id,
    year,
    level_code,
    serial,
    title,
    holder_name,
    id_type,
    occupation_code,
    occupation_name,
    trade,
    level,
    level_text,
    institution_name,
    issue_date,
    status_index,
    status,
    status_reason,
    status_changed_on,
    skill_level_id,
    credential,
    basis,
});

macro_rules! select_certificate {
    ($tail:literal) => {
        concat!(
            "SELECT c.id, c.public_id, c.number, c.institution_id, c.session_id, c.application_id, c.person_id, ",
            "c.year, c.level_code, c.serial, c.title, c.holder_name, c.id_type, ",
            "COALESCE(p.id_cipher, '') AS id_number, c.occupation_code, c.occupation_name, c.trade, c.level, ",
            "c.level_text, c.institution_name, c.issue_date, c.status_index, c.status, c.status_reason, ",
            "c.status_changed_on, c.skill_level_id, c.credential, c.basis FROM certificates c JOIN persons p ON p.id = c.person_id ",
            $tail
        )
    };
}

fn opened(pii: &Pii, mut rows: Vec<Certificate>) -> Result<Vec<Certificate>, StoreError> {
    pii.open_all(&mut rows, |c| &mut c.id_number)?;
    Ok(rows)
}

fn opened_one(db: &Db, row: Option<Certificate>) -> Result<Option<Certificate>, StoreError> {
    Ok(opened(db.pii(), row.into_iter().collect())?.pop())
}

#[derive(sqlx::FromRow)]
struct Issuer {
    category: String,
    body_code: String,
    province_code: String,
    site_serial: String,
    name: String,
    organisation_id: Option<i64>,
}

const NEXT_SERIALS: &str = "INSERT INTO certificate_serials (institution_id, year, level_code, last_serial) \
     VALUES ($1, $2, $3, $4) ON CONFLICT (institution_id, year, level_code) \
     DO UPDATE SET last_serial = certificate_serials.last_serial + $4 RETURNING last_serial";
const NEXT_INDEXES: &str = "INSERT INTO status_list_counters (list, last_index) VALUES ($1, $2 - 1) \
     ON CONFLICT (list) DO UPDATE SET last_index = status_list_counters.last_index + $2 RETURNING last_index";
const RECORD_LEVEL: &str = "INSERT INTO skill_levels (person_id, occupation_code, trade, level, obtained_on, source, \
     certificate_no, issuer_id, evidence, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
     ON CONFLICT (person_id, occupation_code, trade, level, obtained_on) DO UPDATE SET source = excluded.source, \
     certificate_no = excluded.certificate_no, issuer_id = excluded.issuer_id, evidence = excluded.evidence \
     RETURNING id";
const INSERT: &str = "INSERT INTO certificates (public_id, number, institution_id, session_id, application_id, \
     person_id, year, level_code, serial, title, holder_name, id_type, occupation_code, occupation_name, \
     trade, level, level_text, institution_name, issue_date, status_index, status, skill_level_id, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, \
     'valid', $21, $22)";

/// A serial past 999999, or institution parts that do not make a valid number.
fn bad_number(e: impl std::fmt::Debug) -> StoreError {
    StoreError::Invalid(format!("cannot make a certificate number: {e:?}"))
}

/// Issues a batch in one transaction: serials and status indexes allocated, one certificate
/// row and one level-history row (source `exam`, the number as evidence, the institution's
/// organisation as issuer) per certificate. Certificates whose application has one already are
/// skipped, so a rerun creates nothing new. Returns the certificates issued now.
pub async fn issue(db: &Db, b: &IssueBatch<'_>) -> Result<Vec<Certificate>, StoreError> {
    let mut tx = crate::tx::begin(db).await?;
    let r = issue_in(&mut tx, b).await?;
    tx.commit().await?;
    Ok(r)
}

/// Issues a batch in one transaction: serials and status indexes allocated, one certificate
/// row and one level-history row (source `exam`, the number as evidence, the institution's
/// organisation as issuer) per certificate. Certificates whose application has one already are
/// skipped, so a rerun creates nothing new. Returns the certificates issued now.
pub async fn issue_in(tx: &mut Tx, b: &IssueBatch<'_>) -> Result<Vec<Certificate>, StoreError> {
    const ISSUER: &str = "SELECT category, body_code, province_code, site_serial, name, organisation_id \
         FROM evaluation_institutions WHERE id = $1";
    const HAS: &str = "SELECT 1 FROM certificates WHERE application_id = $1";
    const FINAL: &str = "UPDATE evaluation_sessions SET status = $1, finalised_at = $2 WHERE id = $3";
    static SESSION: PerBackend<String> =
        PerBackend::new(|b| format!("SELECT status FROM evaluation_sessions WHERE id = $1{}", for_update(b)));
    let session_sql = SESSION.sql(tx.backend());
    let now = OffsetDateTime::now_utc();
    let year = b.issue_date.year();
    let year2 = u8::try_from(year.rem_euclid(100)).unwrap_or(0);
    let (out, holders): (Vec<Certificate>, Vec<i64>) = on_tx!(tx, conn => {
        if let Some(session_id) = b.session_id {
            let status: Option<String> = sqlx::query_scalar(session_sql).bind(session_id).fetch_optional(&mut *conn).await?;
            match status {
                None => return Err(StoreError::NotFound),
                Some(s) if s == SessionStatus::Final.code() => return Ok(Vec::new()),
                Some(_) => {}
            }
        }
        let issuer: Option<Issuer> = sqlx::query_as(ISSUER).bind(b.institution_id).fetch_optional(&mut *conn).await?;
        let Some(issuer) = issuer else { return Err(StoreError::NotFound) };
        let mut todo = Vec::with_capacity(b.certificates.len());
        for c in b.certificates {
            let done = match c.application_id {
                Some(a) => sqlx::query_scalar::<_, i32>(HAS).bind(a).fetch_optional(&mut *conn).await?.is_some(),
                None => false,
            };
            if !done {
                todo.push(c);
            }
        }
        let mut issued = Vec::with_capacity(todo.len());
        if !todo.is_empty() {
            let n = i32::try_from(todo.len()).map_err(bad_number)?;
            let last_serial: i32 = sqlx::query_scalar(NEXT_SERIALS)
                .bind(b.institution_id).bind(year).bind(i32::from(b.level_code)).bind(n)
                .fetch_one(&mut *conn).await?;
            let last_index: i64 = sqlx::query_scalar(NEXT_INDEXES)
                .bind(CITY_STATUS_LIST).bind(i64::from(n))
                .fetch_one(&mut *conn).await?;
            let category = issuer.category.chars().next().unwrap_or('?');
            for (i, c) in todo.iter().enumerate() {
                let serial = last_serial - n + 1 + i as i32;
                let status_index = last_index - i64::from(n) + 1 + i as i64;
                let number = CertificateNo::national(
                    category, &issuer.body_code, &issuer.province_code, &issuer.site_serial, year2, b.level_code,
                    u32::try_from(serial).map_err(bad_number)?,
                ).map_err(bad_number)?;
                let number = number.as_str().to_string();
                let level_id: i64 = sqlx::query_scalar(RECORD_LEVEL)
                    .bind(c.person_id).bind(&c.occupation_code).bind(&c.history_trade).bind(i16::from(c.level))
                    .bind(b.issue_date).bind("exam").bind(&number).bind(issuer.organisation_id)
                    .bind(format!("职业技能等级证书 {number}")).bind(b.recorded_by).bind(now)
                    .fetch_one(&mut *conn).await?;
                sqlx::query(INSERT)
                    .bind(Uuid::now_v7()).bind(&number).bind(b.institution_id).bind(b.session_id)
                    .bind(c.application_id).bind(c.person_id).bind(year).bind(i32::from(b.level_code)).bind(serial)
                    .bind(&c.title).bind(&c.holder_name).bind(&c.id_type)
                    .bind(&c.occupation_code).bind(&c.occupation_name).bind(&c.trade).bind(i16::from(c.level))
                    .bind(&c.level_text).bind(&issuer.name).bind(b.issue_date).bind(status_index).bind(level_id)
                    .bind(now)
                    .execute(&mut *conn).await.map_err(StoreError::from_sqlx)?;
                issued.push(number);
            }
        }
        if let Some(session_id) = b.session_id {
            sqlx::query(FINAL).bind(SessionStatus::Final.code()).bind(now).bind(session_id).execute(&mut *conn).await?;
        }
        let holders: Vec<i64> = todo.iter().map(|c| c.person_id).collect();
        let mut out = Vec::with_capacity(issued.len());
        const BY_NUMBER: &str = select_certificate!("WHERE c.number = $1");
        for number in &issued {
            out.push(sqlx::query_as::<_, Certificate>(BY_NUMBER).bind(number).fetch_one(&mut *conn).await?);
        }
        (out, holders)
    });
    tx.touch_persons(holders);
    opened(&tx.pii, out)
}

/// A certificate for a level already in the history — a promotion through a competition: the
/// certificate points at that level row, and the row gets the certificate's number and the
/// institution's organisation as issuer.
#[derive(Debug, Clone)]
pub struct LevelCertificate {
    pub certificate: NewCertificate,
    pub institution_id: i64,
    pub skill_level_id: i64,
    pub issue_date: Date,
    pub level_code: u8,
    /// What it rests on (the competition, tier, group and place), printed and signed.
    pub basis: String,
}

/// Issues certificates for level rows recorded in `tx` (serials and status indexes allocated as
/// [`issue_in`] does). A level row that has a certificate already gets none: issuing again
/// creates nothing. Returns the certificates issued now.
pub async fn issue_for_levels_in(tx: &mut Tx, certs: &[LevelCertificate]) -> Result<Vec<Certificate>, StoreError> {
    const ISSUER: &str = "SELECT category, body_code, province_code, site_serial, name, organisation_id \
         FROM evaluation_institutions WHERE id = $1";
    const HAS: &str = "SELECT 1 FROM certificates WHERE skill_level_id = $1";
    const INSERT_WITH_BASIS: &str = "INSERT INTO certificates (public_id, number, institution_id, session_id, \
         application_id, person_id, year, level_code, serial, title, holder_name, id_type, occupation_code, \
         occupation_name, trade, level, level_text, institution_name, issue_date, status_index, status, \
         skill_level_id, created_at, basis) VALUES ($1, $2, $3, NULL, NULL, $4, $5, $6, $7, $8, $9, $10, $11, $12, \
         $13, $14, $15, $16, $17, $18, 'valid', $19, $20, $21)";
    const LEVEL: &str = "UPDATE skill_levels SET certificate_no = $1, issuer_id = $2 WHERE id = $3";
    const BY_NUMBER: &str = select_certificate!("WHERE c.number = $1");
    let now = OffsetDateTime::now_utc();
    let (out, holders): (Vec<Certificate>, Vec<i64>) = on_tx!(tx, conn => {
        let mut out = Vec::with_capacity(certs.len());
        let mut holders = Vec::with_capacity(certs.len());
        for lc in certs {
            if sqlx::query_scalar::<_, i32>(HAS).bind(lc.skill_level_id).fetch_optional(&mut *conn).await?.is_some() {
                continue;
            }
            let issuer: Option<Issuer> =
                sqlx::query_as(ISSUER).bind(lc.institution_id).fetch_optional(&mut *conn).await?;
            let Some(issuer) = issuer else { return Err(StoreError::NotFound) };
            let year = lc.issue_date.year();
            let year2 = u8::try_from(year.rem_euclid(100)).unwrap_or(0);
            let serial: i32 = sqlx::query_scalar(NEXT_SERIALS)
                .bind(lc.institution_id).bind(year).bind(i32::from(lc.level_code)).bind(1i32)
                .fetch_one(&mut *conn).await?;
            let status_index: i64 = sqlx::query_scalar(NEXT_INDEXES)
                .bind(CITY_STATUS_LIST).bind(1i64)
                .fetch_one(&mut *conn).await?;
            let category = issuer.category.chars().next().unwrap_or('?');
            let number = CertificateNo::national(
                category, &issuer.body_code, &issuer.province_code, &issuer.site_serial, year2, lc.level_code,
                u32::try_from(serial).map_err(bad_number)?,
            ).map_err(bad_number)?;
            let number = number.as_str().to_string();
            let c = &lc.certificate;
            sqlx::query(INSERT_WITH_BASIS)
                .bind(Uuid::now_v7()).bind(&number).bind(lc.institution_id).bind(c.person_id).bind(year)
                .bind(i32::from(lc.level_code)).bind(serial).bind(&c.title).bind(&c.holder_name).bind(&c.id_type)
                .bind(&c.occupation_code).bind(&c.occupation_name).bind(&c.trade).bind(i16::from(c.level))
                .bind(&c.level_text).bind(&issuer.name).bind(lc.issue_date).bind(status_index)
                .bind(lc.skill_level_id).bind(now).bind(&lc.basis)
                .execute(&mut *conn).await.map_err(StoreError::from_sqlx)?;
            sqlx::query(LEVEL).bind(&number).bind(issuer.organisation_id).bind(lc.skill_level_id)
                .execute(&mut *conn).await?;
            out.push(sqlx::query_as::<_, Certificate>(BY_NUMBER).bind(&number).fetch_one(&mut *conn).await?);
            holders.push(c.person_id);
        }
        (out, holders)
    });
    tx.touch_persons(holders);
    opened(&tx.pii, out)
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Certificate>, StoreError> {
    const SQL: &str = select_certificate!("WHERE c.id = $1");
    opened_one(db, on_pool!(db, pool => sqlx::query_as(SQL).bind(id).fetch_optional(pool).await?))
}

/// A certificate by its number, for verification (compare `holder_name` with the name given).
pub async fn by_number(db: &Db, number: &str) -> Result<Option<Certificate>, StoreError> {
    const SQL: &str = select_certificate!("WHERE c.number = $1");
    opened_one(db, on_pool!(db, pool => sqlx::query_as(SQL).bind(number).fetch_optional(pool).await?))
}

/// A certificate by the id its QR code and verification URL carry.
pub async fn by_public_id(db: &Db, public_id: Uuid) -> Result<Option<Certificate>, StoreError> {
    const SQL: &str = select_certificate!("WHERE c.public_id = $1");
    opened_one(db, on_pool!(db, pool => sqlx::query_as(SQL).bind(public_id).fetch_optional(pool).await?))
}

/// Every certificate of one holder, oldest first.
pub async fn for_person(db: &Db, person_id: i64) -> Result<Vec<Certificate>, StoreError> {
    const SQL: &str = select_certificate!("WHERE c.person_id = $1 ORDER BY c.issue_date, c.id");
    opened(db.pii(), on_pool!(db, pool => sqlx::query_as(SQL).bind(person_id).fetch_all(pool).await?))
}

/// Certificates issued for a session, by serial.
/// The latest certificates, newest first.
pub async fn latest(db: &Db, limit: i64) -> Result<Vec<Certificate>, StoreError> {
    const SQL: &str = select_certificate!("ORDER BY c.id DESC LIMIT $1");
    opened(db.pii(), on_pool!(db, pool => sqlx::query_as(SQL).bind(limit).fetch_all(pool).await?))
}

pub async fn for_session(db: &Db, session_id: i64) -> Result<Vec<Certificate>, StoreError> {
    const SQL: &str = select_certificate!("WHERE c.session_id = $1 ORDER BY c.serial");
    opened(db.pii(), on_pool!(db, pool => sqlx::query_as(SQL).bind(session_id).fetch_all(pool).await?))
}

/// Certificates of one institution, year and level code, by serial.
pub async fn for_series(
    db: &Db,
    institution_id: i64,
    year: i32,
    level_code: u8,
) -> Result<Vec<Certificate>, StoreError> {
    const SQL: &str =
        select_certificate!("WHERE c.institution_id = $1 AND c.year = $2 AND c.level_code = $3 ORDER BY c.serial");
    opened(
        db.pii(),
        on_pool!(db, pool => sqlx::query_as(SQL)
        .bind(institution_id).bind(year).bind(i32::from(level_code)).fetch_all(pool).await?),
    )
}

/// Up to `limit` certificates with no signed credential yet, by id: what a signing pass picks
/// up (after an issue, or on a rerun after a crash).
pub async fn unsigned(db: &Db, limit: i64) -> Result<Vec<Certificate>, StoreError> {
    const SQL: &str = select_certificate!("WHERE c.credential IS NULL ORDER BY c.id LIMIT $1");
    opened(db.pii(), on_pool!(db, pool => sqlx::query_as(SQL).bind(limit).fetch_all(pool).await?))
}

/// Stores the signed credential of a certificate that has none; `false` when it had one
/// already (another signer was first), which is left as it is.
pub async fn set_credential(db: &Db, id: i64, credential: &str) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE certificates SET credential = $1 WHERE id = $2 AND credential IS NULL";
    on_writer!(db, pool => {
        let n = sqlx::query(SQL).bind(credential).bind(id).execute(pool).await?.rows_affected();
        Ok(n == 1)
    })
}

/// `(status_index, status)` of every certificate that is not valid, by index: what the city's
/// status list sets bits for.
pub async fn status_list_entries(db: &Db) -> Result<Vec<(i64, String)>, StoreError> {
    const SQL: &str = "SELECT status_index, status FROM certificates WHERE status <> 'valid' ORDER BY status_index";
    Ok(on_pool!(db, pool => sqlx::query_as(SQL).fetch_all(pool).await?))
}

/// Changes a certificate's status from `from` to `to` with a reason, as of `on`. Revocation
/// also revokes the linked level-history row from `on`, in the same transaction. `false` when
/// the certificate was no longer in `from`.
pub async fn set_status(
    db: &Db,
    id: i64,
    from: CertificateStatus,
    to: CertificateStatus,
    reason: &str,
    on: Date,
) -> Result<bool, StoreError> {
    let mut tx = crate::tx::begin(db).await?;
    let r = set_status_in(&mut tx, id, from, to, reason, on).await?;
    tx.commit().await?;
    Ok(r)
}

/// Changes a certificate's status from `from` to `to` with a reason, as of `on`. Revocation
/// also revokes the linked level-history row from `on`, in the same transaction. `false` when
/// the certificate was no longer in `from`.
pub async fn set_status_in(
    tx: &mut Tx,
    id: i64,
    from: CertificateStatus,
    to: CertificateStatus,
    reason: &str,
    on: Date,
) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE certificates SET status = $1, status_reason = $2, status_changed_on = $3 \
         WHERE id = $4 AND status = $5";
    const REVOKE_LEVEL: &str = "UPDATE skill_levels SET revoked_on = $1, revoked_reason = $2 \
         WHERE id = (SELECT skill_level_id FROM certificates WHERE id = $3) AND revoked_on IS NULL";
    let holder = on_tx!(tx, conn => {
        let n = sqlx::query(SQL).bind(to.code()).bind(reason).bind(on).bind(id).bind(from.code())
            .execute(&mut *conn).await?.rows_affected();
        if n == 0 {
            return Ok(false);
        }
        if to == CertificateStatus::Revoked {
            sqlx::query(REVOKE_LEVEL).bind(on).bind(reason).bind(id).execute(&mut *conn).await?;
            let holder: i64 =
                sqlx::query_scalar("SELECT person_id FROM certificates WHERE id = $1").bind(id).fetch_one(&mut *conn).await?;
            Some(holder)
        } else {
            None
        }
    });
    tx.touch_persons(holder);
    Ok(true)
}

// ---------------------------------------------------------------------------------------------
// Appointments (特级技师 / 首席技师)
// ---------------------------------------------------------------------------------------------

pub struct NewAppointment<'a> {
    pub person_id: i64,
    pub organisation_id: i64,
    pub occupation_code: &'a str,
    /// 7 (特级技师) or 8 (首席技师).
    pub level: u8,
    pub appointed_on: Date,
    pub term_from: Date,
    pub term_to: Date,
    pub evidence: &'a str,
    pub recorded_by: &'a str,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Appointment {
    pub id: i64,
    #[serde(skip)]
    pub person_id: i64,
    #[serde(skip)]
    pub organisation_id: i64,
    pub occupation_code: String,
    pub level: i16,
    pub appointed_on: Date,
    pub term_from: Date,
    pub term_to: Date,
    pub evidence: String,
    #[serde(skip)]
    pub skill_level_id: i64,
}

/// Records an appointment and its level-history row (source `appointment`, the evidence, the
/// enterprise as issuer; no certificate number) in one transaction.
pub async fn record_appointment(db: &Db, a: &NewAppointment<'_>) -> Result<i64, StoreError> {
    let mut tx = crate::tx::begin(db).await?;
    let r = record_appointment_in(&mut tx, a).await?;
    tx.commit().await?;
    Ok(r)
}

/// Records an appointment and its level-history row (source `appointment`, the evidence, the
/// enterprise as issuer; no certificate number) in one transaction.
pub async fn record_appointment_in(tx: &mut Tx, a: &NewAppointment<'_>) -> Result<i64, StoreError> {
    const APPOINT: &str = "INSERT INTO level_appointments (person_id, organisation_id, occupation_code, level, \
         appointed_on, term_from, term_to, evidence, skill_level_id, recorded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id";
    let now = OffsetDateTime::now_utc();
    let id = on_tx!(tx, conn => {
        let level_id: i64 = sqlx::query_scalar(RECORD_LEVEL)
            .bind(a.person_id).bind(a.occupation_code).bind("").bind(i16::from(a.level)).bind(a.appointed_on)
            .bind("appointment").bind(None::<String>).bind(a.organisation_id).bind(a.evidence)
            .bind(a.recorded_by).bind(now)
            .fetch_one(&mut *conn).await.map_err(StoreError::from_sqlx)?;
        // The appointment counts for its term only: from the day after it ends the level stops
        // counting (KPIs, supply, eligibility and the pathway fall back to the examined level).
        // Set on the new row, so no benefit claim can rest on it yet.
        let (ends, reason) = term_end(a.term_from, a.term_to);
        sqlx::query("UPDATE skill_levels SET revoked_on = $1, revoked_reason = $2 WHERE id = $3 AND revoked_on IS NULL")
            .bind(ends).bind(reason).bind(level_id).execute(&mut *conn).await?;
        let id: i64 = sqlx::query_scalar(APPOINT)
            .bind(a.person_id).bind(a.organisation_id).bind(a.occupation_code).bind(i16::from(a.level))
            .bind(a.appointed_on).bind(a.term_from).bind(a.term_to).bind(a.evidence).bind(level_id)
            .bind(a.recorded_by).bind(now)
            .fetch_one(&mut *conn).await.map_err(StoreError::from_sqlx)?;
        id
    });
    tx.touch_persons([a.person_id]);
    Ok(id)
}

/// The prefix of `revoked_reason` that marks the end of an appointment's term, not a revocation.
pub const TERM_ENDED: &str = "聘期届满";

/// The first day an appointment no longer counts, and the reason recorded for it.
fn term_end(from: Date, to: Date) -> (Date, String) {
    let ends = to.next_day().unwrap_or(to);
    (ends, format!("{TERM_ENDED}（聘期 {} 至 {}）/ term ended ({} – {})", iso(from), iso(to), iso(from), iso(to)))
}

pub async fn appointments_of(db: &Db, person_id: i64) -> Result<Vec<Appointment>, StoreError> {
    const SQL: &str = "SELECT id, person_id, organisation_id, occupation_code, level, appointed_on, term_from, \
         term_to, evidence, skill_level_id FROM level_appointments WHERE person_id = $1 ORDER BY appointed_on, id";
    Ok(on_pool!(db, pool => sqlx::query_as(SQL).bind(person_id).fetch_all(pool).await?))
}
