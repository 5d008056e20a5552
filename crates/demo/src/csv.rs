//! Writing the city as CSV files the importer reads.

use std::io;
use std::path::Path;

use gongjiang_domain::occupation::Catalogue;
use gongjiang_domain::policy::Policy;
use time::Date;

use crate::generate::DemoCity;
use crate::tables::CHUNK;

/// A CSV file written as it goes, through the same writer exports use.
pub(crate) struct CsvOut(gongjiang_tabular::TableWriter);

impl CsvOut {
    pub(crate) fn create(dir: &Path, name: &str, headers: &[&str]) -> io::Result<CsvOut> {
        gongjiang_tabular::TableWriter::create(&dir.join(name), headers).map(CsvOut).map_err(io::Error::other)
    }

    pub(crate) fn row<S: AsRef<str>>(&mut self, cells: &[S]) -> io::Result<()> {
        self.0.write_row(cells).map_err(io::Error::other)
    }

    pub(crate) fn finish(self) -> io::Result<()> {
        self.0.finish().map_err(io::Error::other)
    }
}

pub(crate) fn iso(d: Date) -> String {
    gongjiang_domain::dates::iso(d)
}

pub(crate) fn opt_iso(d: Option<Date>) -> String {
    d.map(iso).unwrap_or_default()
}

/// Writes the city as `orgs.csv`, `persons.csv`, `levels.csv`, `employment.csv`, `insurance.csv`,
/// `statistics.csv` and `demand.csv` in `dir` (created if missing), with the importer's English
/// headers, streaming.
pub fn write_csv(
    policy: &Policy,
    catalogue: &Catalogue,
    persons: u64,
    seed: u64,
    today: Date,
    dir: &Path,
) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut city = DemoCity::new(policy, catalogue, persons, seed, today);
    let mut orgs = CsvOut::create(dir, "orgs.csv", &["uscc", "name", "kind", "district", "industry", "chains"])?;
    for o in city.organisations() {
        orgs.row(&[
            o.uscc.as_str(),
            o.name.as_str(),
            o.kind.code(),
            o.district_code.as_str(),
            o.industry.as_deref().unwrap_or(""),
            &o.chains.as_deref().unwrap_or_default().join(";"),
        ])?;
    }
    orgs.finish()?;

    let mut people = CsvOut::create(
        dir,
        "persons.csv",
        &[
            "id_number",
            "name",
            "district",
            "employer_uscc",
            "occupation",
            "education",
            "employment_status",
            "work_start",
        ],
    )?;
    let mut level_rows = CsvOut::create(
        dir,
        "levels.csv",
        &["id_number", "occupation", "level", "obtained_on", "source", "trade", "certificate_no", "issuer_uscc"],
    )?;
    let mut spell_rows =
        CsvOut::create(dir, "employment.csv", &["id_number", "employer_uscc", "start", "end", "occupation"])?;
    let mut insurance_rows = CsvOut::create(dir, "insurance.csv", &["id_number", "scheme", "starts_on", "ends_on"])?;
    while city.remaining() > 0 {
        for p in city.persons_chunk(CHUNK) {
            let q = &p.person;
            people.row(&[
                q.id_number.as_str(),
                q.name.as_str(),
                q.district_code.as_deref().unwrap_or(""),
                q.employer_uscc.as_deref().unwrap_or(""),
                q.occupation_code.as_deref().unwrap_or(""),
                q.education.map_or("", |e| e.code()),
                q.employment_status.map_or("", |s| s.code()),
                opt_iso(q.work_start).as_str(),
            ])?;
            for l in &p.levels {
                level_rows.row(&[
                    l.id_number.as_str(),
                    l.occupation_code.as_str(),
                    l.level.rank().to_string().as_str(),
                    iso(l.obtained_on).as_str(),
                    l.source.code(),
                    l.trade.as_str(),
                    l.certificate_no.as_deref().unwrap_or(""),
                    l.issuer_uscc.as_deref().unwrap_or(""),
                ])?;
            }
            for e in &p.employment {
                spell_rows.row(&[
                    e.id_number.as_str(),
                    e.employer_uscc.as_str(),
                    iso(e.start).as_str(),
                    opt_iso(e.end).as_str(),
                    e.occupation_code.as_deref().unwrap_or(""),
                ])?;
            }
            for i in &p.insurance {
                insurance_rows.row(&[
                    i.id_number.as_str(),
                    i.scheme.code(),
                    iso(i.starts_on).as_str(),
                    opt_iso(i.ends_on).as_str(),
                ])?;
            }
        }
    }
    insurance_rows.finish()?;
    people.finish()?;
    level_rows.finish()?;
    spell_rows.finish()?;

    let mut stats = CsvOut::create(dir, "statistics.csv", &["year", "district", "industry", "employed_persons"])?;
    for s in city.statistics() {
        stats.row(&[s.year.to_string(), s.district_code, s.industry, s.employed_persons.to_string()])?;
    }
    stats.finish()?;

    let headers = ["reporter_uscc", "occupation", "level", "people", "period", "district", "chain", "note"];
    let mut demand = CsvOut::create(dir, "demand.csv", &headers)?;
    for d in city.demand(policy, seed) {
        let (level, people, period) = (d.level.rank().to_string(), d.people.to_string(), d.period.code());
        demand.row(&[d.reporter_uscc, d.occupation_code, level, people, period, d.district_code, d.chain, d.note])?;
    }
    demand.finish()
}
