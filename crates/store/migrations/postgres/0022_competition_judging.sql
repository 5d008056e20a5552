-- Competitions scored in gongjiang (issue 15). Same numbering and meaning as ../sqlite/ (which
-- explains the tables).

CREATE TABLE competitions (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    tier        TEXT NOT NULL,
    organiser   TEXT NOT NULL,
    organisation_id BIGINT REFERENCES organisations (id),
    starts_on   DATE NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE competition_events (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    competition_id      BIGINT  NOT NULL REFERENCES competitions (id),
    code                TEXT NOT NULL,
    name                TEXT NOT NULL,
    occupation_code     TEXT NOT NULL,
    level_min           INTEGER NOT NULL,
    level_max           INTEGER NOT NULL,
    team_size           INTEGER NOT NULL DEFAULT 1 CHECK (team_size >= 1),
    occupation_required BOOLEAN NOT NULL DEFAULT FALSE,
    scheme_json         TEXT,
    published_on        DATE,
    ledger_seq          BIGINT  NOT NULL DEFAULT 0,
    ledger_hash         TEXT NOT NULL DEFAULT '0000000000000000000000000000000000000000000000000000000000000000',
    UNIQUE (competition_id, code)
);

CREATE TABLE competition_entries (
    id                     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id               BIGINT  NOT NULL REFERENCES competition_events (id),
    person_id              BIGINT  NOT NULL REFERENCES persons (id),
    entry_group            TEXT NOT NULL CHECK (entry_group IN ('employee', 'student')),
    bib                    TEXT NOT NULL,
    team                   TEXT,
    organisation_uscc      TEXT,
    eligibility_zh         TEXT NOT NULL,
    eligibility_en         TEXT NOT NULL,
    signed_off_at          TIMESTAMPTZ,
    signed_off_by          TEXT,
    total_hundredths       BIGINT,
    measurement_hundredths BIGINT,
    standardised_tenths    BIGINT,
    place                  BIGINT,
    award                  TEXT,
    result_id              BIGINT  REFERENCES competition_results (id),
    created_at             TIMESTAMPTZ NOT NULL,
    UNIQUE (event_id, person_id),
    UNIQUE (event_id, bib)
);
CREATE INDEX competition_entries_person ON competition_entries (person_id);

CREATE TABLE competition_judges (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id          BIGINT  NOT NULL REFERENCES competition_events (id),
    code              TEXT NOT NULL,
    name              TEXT NOT NULL,
    organisation_uscc TEXT,
    username          TEXT,
    UNIQUE (event_id, code)
);

CREATE TABLE competition_marks (
    event_id    BIGINT  NOT NULL REFERENCES competition_events (id),
    seq         BIGINT  NOT NULL,
    entry_id    BIGINT  NOT NULL REFERENCES competition_entries (id),
    aspect      TEXT NOT NULL,
    judge_id    BIGINT  NOT NULL REFERENCES competition_judges (id),
    score       BIGINT NOT NULL,
    recorded_by TEXT NOT NULL,
    at_micros   BIGINT  NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL,
    PRIMARY KEY (event_id, seq)
);
CREATE INDEX competition_marks_entry ON competition_marks (entry_id, aspect, judge_id, seq);
