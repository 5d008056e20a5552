-- The lifelong training system (终身职业技能培训体系, issue 14): training programmes, enrolments
-- and enterprise new-type apprenticeships. Same numbering and meaning as ../postgres/.
--
-- programmes: a provider's (a registered organisation's) programme, keyed by its code (项目编号,
-- unique across providers); the occupation and level it trains for, the mode (offline / online /
-- blended), the kind (domain::registry::ProgrammeKind, or NULL when not given), the learning
-- time required in seconds (学时 × 3600), dates, capacity, and the provider's learning platform
-- (whose xAPI account homePage names its learners).
--
-- enrolments: a registered person in a programme (one row per programme and person), with the
-- learner's account on the provider's platform (unique in the programme), the day enrolled, the
-- learning time credited in seconds, the status (enrolled / completed / withdrawn) and the day
-- completed. Persons are referenced by id: no identity number is stored here.
--
-- apprenticeships: an agreement between an enterprise, an apprentice (a registered person) and a
-- training institution, keyed by (enterprise, person, start): the labour contract's end (NULL =
-- open-ended), planned end, target occupation and level, the two mentors, the reason recorded
-- for running past the usual maximum, the policy rule set it was checked against, and how the
-- apprentice's employment by the enterprise was established (employer = the person's current
-- employer; spell = an employment spell covering the start; not_on_record = no employment on
-- record, accepted). status: active / completed / withdrawn; outcome_level when completed.

CREATE TABLE programmes (
    id                INTEGER PRIMARY KEY,
    code              TEXT NOT NULL UNIQUE,
    provider_id       INTEGER NOT NULL REFERENCES organisations (id),
    name              TEXT NOT NULL,
    occupation_code   TEXT NOT NULL,
    level             INTEGER NOT NULL,
    mode              TEXT NOT NULL CHECK (mode IN ('offline', 'online', 'blended')),
    kind              TEXT,
    required_seconds  INTEGER NOT NULL CHECK (required_seconds >= 0),
    starts_on         TEXT NOT NULL,
    ends_on           TEXT NOT NULL,
    capacity          INTEGER NOT NULL CHECK (capacity >= 1),
    platform_url      TEXT,
    recorded_by       TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX programmes_target ON programmes (occupation_code, level);
CREATE INDEX programmes_provider ON programmes (provider_id);

CREATE TABLE enrolments (
    id            INTEGER PRIMARY KEY,
    programme_id  INTEGER NOT NULL REFERENCES programmes (id),
    person_id     INTEGER NOT NULL REFERENCES persons (id),
    learner_id    TEXT,
    enrolled_on   TEXT NOT NULL,
    seconds       INTEGER NOT NULL DEFAULT 0 CHECK (seconds >= 0),
    status        TEXT NOT NULL CHECK (status IN ('enrolled', 'completed', 'withdrawn')),
    completed_on  TEXT,
    recorded_by   TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (programme_id, person_id),
    UNIQUE (programme_id, learner_id)
);
CREATE INDEX enrolments_person ON enrolments (person_id);

CREATE TABLE apprenticeships (
    id                 INTEGER PRIMARY KEY,
    enterprise_id      INTEGER NOT NULL REFERENCES organisations (id),
    person_id          INTEGER NOT NULL REFERENCES persons (id),
    institution_id     INTEGER NOT NULL REFERENCES organisations (id),
    contract_ends_on   TEXT,
    starts_on          TEXT NOT NULL,
    ends_on            TEXT NOT NULL,
    occupation_code    TEXT NOT NULL,
    level              INTEGER NOT NULL,
    enterprise_mentor  TEXT NOT NULL,
    school_mentor      TEXT NOT NULL,
    extension_reason   TEXT,
    rule_id            TEXT NOT NULL,
    employment_basis   TEXT NOT NULL CHECK (employment_basis IN ('employer', 'spell', 'not_on_record')),
    status             TEXT NOT NULL CHECK (status IN ('active', 'completed', 'withdrawn')),
    outcome_level      INTEGER,
    recorded_by        TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    UNIQUE (enterprise_id, person_id, starts_on)
);
CREATE INDEX apprenticeships_person ON apprenticeships (person_id);
CREATE INDEX apprenticeships_target ON apprenticeships (occupation_code, level);
