//! Reference data kept in the database: the occupation catalogue shipped with the binary.

use gongjiang_domain::occupation::Catalogue;
use gongjiang_store::occupations::{self, OccupationRow};
use gongjiang_store::{Db, StoreError};

fn rows_of(c: &Catalogue) -> Vec<OccupationRow> {
    c.iter()
        .map(|o| OccupationRow {
            edition: c.edition().as_str().to_string(),
            code: o.code.as_str().to_string(),
            name: o.name.clone(),
            depth: o.depth as i32,
            parent_code: o.parent.as_ref().map(|p| p.as_str().to_string()),
            gbm: o.gbm.clone(),
        })
        .collect()
}

/// Loads the catalogue into the database unless exactly this many entries are there already.
pub async fn ensure_catalogue(db: &Db, c: &Catalogue) -> Result<(), StoreError> {
    let have = occupations::count(db, c.edition().as_str()).await?;
    if have as usize != c.iter().count() {
        occupations::replace_edition(db, c.edition().as_str(), &rows_of(c)).await?;
    }
    Ok(())
}

/// Replaces an edition with a catalogue a bureau supplies (e.g. the 2015 edition).
pub async fn load_catalogue(db: &Db, c: &Catalogue) -> Result<u64, StoreError> {
    occupations::replace_edition(db, c.edition().as_str(), &rows_of(c)).await
}
