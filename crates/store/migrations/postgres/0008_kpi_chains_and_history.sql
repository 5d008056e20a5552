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

-- KPI counts as of any date (docs/ARCHITECTURE.md, "KPI counts at any date").
--
-- kpi_person_state.levels: the person's level records as the counts last saw them
--   ("occupation|rank|obtained_on|revoked_on" joined by ';'; NULL = none), so that a refresh can
--   take back exactly what the person contributed before the write.
-- kpi_count_changes: the net change in persons per (dimension, group, highest level, employment
--   status) over a period: period 0 = the start (every person with no level), a year (2024) or
--   a month (202406); each change of a person's highest level is recorded in its year and its
--   month. The counts on a day D are the sum of period 0, the years before D's, the months of D's
--   year before D's month (or up to it, D being its last day), plus the level changes from the
--   first of D's month to D read from skill_levels by date.
-- skill_levels_obtained, skill_levels_revoked: those level changes by date.

ALTER TABLE kpi_person_state ADD COLUMN levels TEXT;

CREATE TABLE kpi_count_changes (
    dimension         TEXT NOT NULL,
    period            INTEGER NOT NULL,
    grp               TEXT NOT NULL,
    top_level         SMALLINT NOT NULL,
    employment_status TEXT NOT NULL,
    persons           BIGINT NOT NULL,
    PRIMARY KEY (dimension, period, grp, top_level, employment_status)
);

CREATE INDEX skill_levels_obtained ON skill_levels (obtained_on);
CREATE INDEX skill_levels_revoked ON skill_levels (revoked_on) WHERE revoked_on IS NOT NULL;

-- Supply (docs/SUPPLY_DEMAND.md, "Scale"): holders of each occupation × highest valid level in
-- it × supply group, maintained by the same refresh as the KPI counts.
--
-- holder_counts: persons as of the clock's date per (dimension, occupation, group, highest level
--   in the occupation); dimension 'district' (the person's district, '' = none) and 'chain' (one
--   row per chain of the employer). The city is the sum over 'district'.
-- holder_count_changes: the net change of the same per year. Holders at the end of a year are
--   the sum of the years up to it; on another day, of the years before it plus the level changes
--   of that year up to the day, read from skill_levels by date.

CREATE TABLE holder_counts (
    dimension       TEXT NOT NULL,
    occupation_code TEXT NOT NULL,
    grp             TEXT NOT NULL,
    top_level       SMALLINT NOT NULL,
    persons         BIGINT NOT NULL,
    PRIMARY KEY (dimension, occupation_code, grp, top_level)
);

CREATE TABLE holder_count_changes (
    dimension       TEXT NOT NULL,
    year            INTEGER NOT NULL,
    occupation_code TEXT NOT NULL,
    grp             TEXT NOT NULL,
    top_level       SMALLINT NOT NULL,
    persons         BIGINT NOT NULL,
    PRIMARY KEY (dimension, year, occupation_code, grp, top_level)
);
