-- KPI by industrial chain (docs/ARCHITECTURE.md, "KPI counts"). Same numbering and meaning as
-- ../sqlite/.
--
-- kpi_person_state.chains: the industrial chains of the person's employer, sorted ids joined by
--   ','; NULL = none. kpi_counts gains the dimension 'chain' (one row per chain a person counts
--   in; '' = in no chain), so chain groups overlap.
-- kpi_clock.state_version: the format of the state and counts. The store rebuilds them from
--   the raw records when connecting to a database whose version is older than its code's (here:
--   every existing database, to add the chain dimension).
-- employment_statistics.chain: an official employed-persons figure may be for one of the
--   policy's industrial chains ('' = not by chain).

ALTER TABLE kpi_person_state ADD COLUMN chains TEXT;
ALTER TABLE kpi_clock ADD COLUMN state_version INTEGER NOT NULL DEFAULT 0;

ALTER TABLE employment_statistics ADD COLUMN chain TEXT NOT NULL DEFAULT '';
ALTER TABLE employment_statistics DROP CONSTRAINT employment_statistics_pkey;
ALTER TABLE employment_statistics ADD PRIMARY KEY (year, district_code, industry, chain);
