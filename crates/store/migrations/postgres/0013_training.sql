-- The lifelong training system (终身职业技能培训体系, issue 14).
-- Same numbering and meaning as ../sqlite/ (which explains the columns).

CREATE TABLE programmes (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code              TEXT NOT NULL UNIQUE,
    provider_id       BIGINT NOT NULL REFERENCES organisations (id),
    name              TEXT NOT NULL,
    occupation_code   TEXT NOT NULL,
    level             SMALLINT NOT NULL,
    mode              TEXT NOT NULL CHECK (mode IN ('offline', 'online', 'blended')),
    kind              TEXT,
    required_seconds  BIGINT NOT NULL CHECK (required_seconds >= 0),
    starts_on         DATE NOT NULL,
    ends_on           DATE NOT NULL,
    capacity          INTEGER NOT NULL CHECK (capacity >= 1),
    platform_url      TEXT,
    recorded_by       TEXT NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX programmes_target ON programmes (occupation_code, level);
CREATE INDEX programmes_provider ON programmes (provider_id);

CREATE TABLE enrolments (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    programme_id  BIGINT NOT NULL REFERENCES programmes (id),
    person_id     BIGINT NOT NULL REFERENCES persons (id),
    learner_id    TEXT,
    enrolled_on   DATE NOT NULL,
    seconds       BIGINT NOT NULL DEFAULT 0 CHECK (seconds >= 0),
    status        TEXT NOT NULL CHECK (status IN ('enrolled', 'completed', 'withdrawn')),
    completed_on  DATE,
    recorded_by   TEXT NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (programme_id, person_id),
    UNIQUE (programme_id, learner_id)
);
CREATE INDEX enrolments_person ON enrolments (person_id);

CREATE TABLE apprenticeships (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    enterprise_id      BIGINT NOT NULL REFERENCES organisations (id),
    person_id          BIGINT NOT NULL REFERENCES persons (id),
    institution_id     BIGINT NOT NULL REFERENCES organisations (id),
    contract_ends_on   DATE,
    starts_on          DATE NOT NULL,
    ends_on            DATE NOT NULL,
    occupation_code    TEXT NOT NULL,
    level              SMALLINT NOT NULL,
    enterprise_mentor  TEXT NOT NULL,
    school_mentor      TEXT NOT NULL,
    extension_reason   TEXT,
    rule_id            TEXT NOT NULL,
    employment_basis   TEXT NOT NULL CHECK (employment_basis IN ('employer', 'spell', 'not_on_record')),
    status             TEXT NOT NULL CHECK (status IN ('active', 'completed', 'withdrawn')),
    outcome_level      SMALLINT,
    recorded_by        TEXT NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL,
    UNIQUE (enterprise_id, person_id, starts_on)
);
CREATE INDEX apprenticeships_person ON apprenticeships (person_id);
CREATE INDEX apprenticeships_target ON apprenticeships (occupation_code, level);
