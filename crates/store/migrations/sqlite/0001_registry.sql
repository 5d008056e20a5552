-- The registry: organisations, persons, their skill levels, employment, official statistics
-- and the occupational classification. Same numbering and meaning as ../postgres/.
-- Large tables (persons, skill_levels, employment) would be hash-distributed by person on a
-- distributed engine; see docs/ARCHITECTURE.md.

CREATE TABLE occupations (
    edition     TEXT NOT NULL,
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    depth       INTEGER NOT NULL,
    parent_code TEXT,
    gbm         TEXT,
    PRIMARY KEY (edition, code)
);

CREATE TABLE organisations (
    id            INTEGER PRIMARY KEY,
    public_id     BLOB NOT NULL UNIQUE,
    uscc          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    kind          TEXT NOT NULL,
    district_code TEXT NOT NULL,
    industry      TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX organisations_district ON organisations (district_code);

CREATE TABLE persons (
    id                INTEGER PRIMARY KEY,
    public_id         BLOB NOT NULL UNIQUE,
    id_type           TEXT NOT NULL,
    id_number         TEXT NOT NULL UNIQUE,
    id_from_15        INTEGER NOT NULL DEFAULT 0,
    name              TEXT NOT NULL,
    gender            TEXT,
    birth_date        TEXT,
    district_code     TEXT,
    employer_id       INTEGER REFERENCES organisations (id),
    occupation_code   TEXT,
    education         TEXT,
    employment_status TEXT,
    work_start        TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX persons_district ON persons (district_code);
CREATE INDEX persons_employer ON persons (employer_id);
CREATE INDEX persons_occupation ON persons (occupation_code);
CREATE INDEX persons_name ON persons (name);

-- Append-only: a row is never deleted; revocation sets revoked_on. The current level is
-- derived from these rows, never stored twice.
CREATE TABLE skill_levels (
    id              INTEGER PRIMARY KEY,
    person_id       INTEGER NOT NULL REFERENCES persons (id),
    occupation_code TEXT NOT NULL,
    trade           TEXT NOT NULL DEFAULT '',
    level           INTEGER NOT NULL CHECK (level BETWEEN 1 AND 8),
    obtained_on     TEXT NOT NULL,
    source          TEXT NOT NULL,
    certificate_no  TEXT,
    issuer_id       INTEGER REFERENCES organisations (id),
    evidence        TEXT,
    recorded_by     TEXT NOT NULL,
    recorded_at     TEXT NOT NULL,
    revoked_on      TEXT,
    revoked_reason  TEXT,
    UNIQUE (person_id, occupation_code, trade, level, obtained_on)
);
CREATE INDEX skill_levels_certificate ON skill_levels (certificate_no);
CREATE INDEX skill_levels_level ON skill_levels (level, occupation_code);

CREATE TABLE employment (
    id              INTEGER PRIMARY KEY,
    person_id       INTEGER NOT NULL REFERENCES persons (id),
    employer_id     INTEGER NOT NULL REFERENCES organisations (id),
    start_on        TEXT NOT NULL,
    end_on          TEXT,
    occupation_code TEXT,
    UNIQUE (person_id, employer_id, start_on)
);
CREATE INDEX employment_employer ON employment (employer_id);

-- Official employed-persons figures (the KPI denominator). industry '' = all industries.
CREATE TABLE employment_statistics (
    year             INTEGER NOT NULL,
    district_code    TEXT NOT NULL,
    industry         TEXT NOT NULL DEFAULT '',
    employed_persons INTEGER NOT NULL CHECK (employed_persons >= 0),
    updated_at       TEXT NOT NULL,
    PRIMARY KEY (year, district_code, industry)
);

-- One row per import run, for the record and for the error report a user comes back to.
CREATE TABLE import_runs (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    read        INTEGER NOT NULL DEFAULT 0,
    inserted    INTEGER NOT NULL DEFAULT 0,
    updated     INTEGER NOT NULL DEFAULT 0,
    unchanged   INTEGER NOT NULL DEFAULT 0,
    rejected    INTEGER NOT NULL DEFAULT 0
);
