//! Writing the city into the database through the store.

use gongjiang_app::{Actor, App, AppError};
use gongjiang_domain::access::Scope;
use gongjiang_domain::bilingual::Msg;
use gongjiang_store::employment::EmploymentWrite;
use gongjiang_store::insurance::{self, SpellWrite};
use gongjiang_store::levels::LevelWrite;
use gongjiang_store::persons::PersonWrite;
use gongjiang_store::{employment, levels, organisations, persons, statistics, tx};
use serde::Serialize;
use serde_json::json;

use crate::generate::{DemoCity, DemoPerson};
use crate::tables::{CHUNK, RECORDED_BY};

/// What [`load`] wrote: records passed to the store (on a fresh database, rows inserted).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DemoSummary {
    pub organisations: u64,
    pub persons: u64,
    pub levels: u64,
    pub employment: u64,
    pub insurance: u64,
    pub statistics: u64,
    pub demand: u64,
}

/// Generates a city of `persons` and writes it through the store: organisations, then persons
/// with their levels, employment and insurance spells in chunks of 5000 (one transaction each),
/// then the statistics. `progress` is told the persons written so far after every chunk.
pub async fn load(
    app: &App,
    persons: u64,
    seed: u64,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<DemoSummary, AppError> {
    let mut city = DemoCity::new(&app.policy, &app.catalogue, persons, seed, app.today());
    let mut summary = DemoSummary::default();
    let actor = Actor::system("demo");
    for chunk in city.organisations().chunks(CHUNK) {
        let mut t = tx::begin(&app.db).await?;
        let counts = organisations::upsert_batch_in(&mut t, chunk).await?;
        demo_entry(&mut t, &actor, "organisations", json!({ "organisations": chunk.len(), "counts": counts })).await?;
        t.commit().await?;
    }
    summary.organisations = city.organisations().len() as u64;
    let org_ids = organisations::all_ids(&app.db).await?;

    // Generate on a thread of its own while the database writes.
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<DemoPerson>>(2);
    let producer = std::thread::spawn(move || {
        while city.remaining() > 0 {
            let chunk = city.persons_chunk(CHUNK);
            if tx.blocking_send(chunk).is_err() {
                break;
            }
        }
        city
    });
    let written: Result<(), AppError> = async {
        while let Some(chunk) = rx.recv().await {
            let org = |u: &str| -> Option<i64> { org_ids.get(u).copied() };
            let writes: Vec<PersonWrite<'_>> = chunk
                .iter()
                .map(|p| PersonWrite {
                    person: &p.person,
                    employer_id: p.person.employer_uscc.as_deref().and_then(org),
                })
                .collect();
            let mut t = tx::begin(&app.db).await?;
            let person_counts = persons::upsert_batch_in(&mut t, &writes).await?;
            let keys: Vec<&str> = chunk.iter().map(|p| p.person.id_number.as_str()).collect();
            let ids = persons::ids_by_id_number_in(&mut t, &keys).await?;
            let mut level_writes = Vec::new();
            let mut spell_writes = Vec::new();
            let mut insurance_writes = Vec::new();
            for p in &chunk {
                let Some(&person_id) = ids.get(&p.person.id_number) else { continue };
                for l in &p.levels {
                    let issuer_id = l.issuer_uscc.as_deref().and_then(org);
                    level_writes.push(LevelWrite {
                        revoked: None,
                        level: l,
                        person_id,
                        issuer_id,
                        recorded_by: RECORDED_BY,
                    });
                }
                for e in &p.employment {
                    if let Some(employer_id) = org(&e.employer_uscc) {
                        spell_writes.push(EmploymentWrite { spell: e, person_id, employer_id });
                    }
                }
                insurance_writes.extend(p.insurance.iter().map(|s| SpellWrite { spell: s, person_id }));
            }
            let level_counts = levels::record_batch_in(&mut t, &level_writes).await?;
            let spell_counts = employment::upsert_batch_in(&mut t, &spell_writes).await?;
            let insurance_counts = insurance::upsert_batch_in(&mut t, &insurance_writes, RECORDED_BY).await?;
            let after = json!({
                "persons": person_counts,
                "levels": level_counts,
                "employment": spell_counts,
                "insurance": insurance_counts,
            });
            demo_entry(&mut t, &actor, "persons", after).await?;
            t.commit().await?;
            summary.persons += writes.len() as u64;
            summary.levels += level_writes.len() as u64;
            summary.employment += spell_writes.len() as u64;
            summary.insurance += insurance_writes.len() as u64;
            progress(summary.persons);
        }
        Ok(())
    }
    .await;
    drop(rx);
    let city = producer.join().map_err(|_| {
        AppError::Invalid(Msg::new("演示数据生成线程异常退出", "the demo data generator thread panicked"))
    })?;
    written?;
    let stats = city.statistics();
    let mut t = tx::begin(&app.db).await?;
    let counts = statistics::upsert_batch_in(&mut t, &stats).await?;
    demo_entry(&mut t, &actor, "employment_statistics", json!({ "statistics": counts })).await?;
    summary.statistics = stats.len() as u64;
    let demand = city.demand(&app.policy, seed);
    let writes: Vec<gongjiang_store::demand::DemandWrite<'_>> = demand
        .iter()
        .filter_map(|d| {
            org_ids
                .get(&d.reporter_uscc)
                .map(|&reporter_id| gongjiang_store::demand::DemandWrite { demand: d, reporter_id })
        })
        .collect();
    summary.demand = writes.len() as u64;
    let counts = gongjiang_store::demand::upsert_batch_in(&mut t, &Scope::all(), &writes).await?;
    demo_entry(&mut t, &actor, "demand", json!({ "demand": counts })).await?;
    t.commit().await?;
    Ok(summary)
}

/// The audit entry of one batch the demo loader wrote (`demo.batch`).
pub(crate) async fn demo_entry(
    t: &mut tx::Tx,
    actor: &Actor,
    resource: &str,
    after: serde_json::Value,
) -> Result<(), AppError> {
    Ok(gongjiang_app::audit::record(t, actor, "demo.batch", resource, None, None, Some(&after)).await?)
}
