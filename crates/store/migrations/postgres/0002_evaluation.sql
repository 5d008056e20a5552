-- Skill-level evaluation (职业技能等级认定): filed institutions and their scope, sessions,
-- applications with their eligibility decision and scores, examiners, objections during the
-- publicity period, certificates with their gap-free serial counters and status-list indexes,
-- and appointments to 特级技师/首席技师. Same numbering and meaning as ../sqlite/.

CREATE TABLE evaluation_institutions (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id       UUID NOT NULL UNIQUE,
    category        TEXT NOT NULL CHECK (category IN ('Y', 'S')),
    body_code       TEXT NOT NULL,
    province_code   TEXT NOT NULL,
    site_serial     TEXT NOT NULL,
    -- Printed on certificates exactly as filed.
    name            TEXT NOT NULL,
    organisation_id BIGINT REFERENCES organisations (id),
    created_at      TIMESTAMPTZ NOT NULL,
    UNIQUE (category, body_code, province_code, site_serial)
);
CREATE INDEX evaluation_institutions_organisation ON evaluation_institutions (organisation_id);

CREATE TABLE institution_scopes (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    institution_id  BIGINT NOT NULL REFERENCES evaluation_institutions (id),
    occupation_code TEXT NOT NULL,
    level           SMALLINT NOT NULL CHECK (level BETWEEN 1 AND 8),
    valid_from      DATE NOT NULL,
    valid_to        DATE,
    UNIQUE (institution_id, occupation_code, level, valid_from)
);

-- Dispatched, outsourced and intern staff an employer-type institution may evaluate.
CREATE TABLE institution_listed_staff (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    institution_id BIGINT NOT NULL REFERENCES evaluation_institutions (id),
    person_id      BIGINT NOT NULL REFERENCES persons (id),
    kind           TEXT NOT NULL CHECK (kind IN ('dispatched', 'outsourced', 'intern')),
    start_on       DATE NOT NULL,
    end_on         DATE,
    UNIQUE (institution_id, person_id, start_on)
);

CREATE TABLE evaluation_sessions (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id         UUID NOT NULL UNIQUE,
    institution_id    BIGINT NOT NULL REFERENCES evaluation_institutions (id),
    occupation_code   TEXT NOT NULL,
    trade             TEXT NOT NULL DEFAULT '',
    level             SMALLINT NOT NULL CHECK (level BETWEEN 1 AND 8),
    standard_edition  TEXT NOT NULL,
    theory_on         DATE NOT NULL,
    practical_on      DATE NOT NULL,
    review_on         DATE,
    site              TEXT NOT NULL,
    capacity          INTEGER NOT NULL CHECK (capacity > 0),
    theory_rooms      INTEGER NOT NULL CHECK (theory_rooms > 0),
    status            TEXT NOT NULL,
    published_on      DATE,
    publicity_ends_on DATE,
    finalised_at      TIMESTAMPTZ,
    created_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX evaluation_sessions_institution ON evaluation_sessions (institution_id, status);

-- One application per person and session. A refused application keeps the engine's decision
-- (JSON) and its reason; an administrator's override (破格) records who, when and why.
CREATE TABLE evaluation_applications (
    id                     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id             BIGINT NOT NULL REFERENCES evaluation_sessions (id),
    person_id              BIGINT NOT NULL REFERENCES persons (id),
    applied_on             DATE NOT NULL,
    status                 TEXT NOT NULL CHECK (status IN ('admitted', 'refused')),
    decision               TEXT NOT NULL,
    reason_zh              TEXT NOT NULL,
    reason_en              TEXT NOT NULL,
    submitted_by           TEXT NOT NULL,
    override_by            TEXT,
    override_at            TIMESTAMPTZ,
    override_justification TEXT,
    theory_tenths          INTEGER CHECK (theory_tenths >= 0),
    practical_tenths       INTEGER CHECK (practical_tenths >= 0),
    review_tenths          INTEGER CHECK (review_tenths >= 0),
    result                 TEXT CHECK (result IN ('pass', 'fail', 'withdrawn')),
    scored_by              TEXT,
    created_at             TIMESTAMPTZ NOT NULL,
    UNIQUE (session_id, person_id)
);
CREATE INDEX evaluation_applications_person ON evaluation_applications (person_id);

CREATE TABLE session_examiners (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id BIGINT NOT NULL REFERENCES evaluation_sessions (id),
    role       TEXT NOT NULL CHECK (role IN ('invigilator', 'examiner', 'reviewer')),
    name       TEXT NOT NULL,
    UNIQUE (session_id, role, name)
);

CREATE TABLE evaluation_objections (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id  BIGINT NOT NULL REFERENCES evaluation_applications (id),
    lodged_by       TEXT NOT NULL,
    lodged_at       TIMESTAMPTZ NOT NULL,
    text            TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('open', 'upheld', 'dismissed')),
    resolved_by     TEXT,
    resolved_at     TIMESTAMPTZ,
    resolution_note TEXT,
    new_result      TEXT
);
CREATE INDEX evaluation_objections_application ON evaluation_objections (application_id, status);

-- The last serial issued per institution, year and level code: incremented in the issuing
-- transaction, so serials are unique and gap-free.
CREATE TABLE certificate_serials (
    institution_id BIGINT NOT NULL REFERENCES evaluation_institutions (id),
    year           INTEGER NOT NULL,
    level_code     INTEGER NOT NULL,
    last_serial    INTEGER NOT NULL,
    PRIMARY KEY (institution_id, year, level_code)
);

-- The last index allocated in a Bitstring Status List ('city' = the city's one list).
CREATE TABLE status_list_counters (
    list       TEXT PRIMARY KEY,
    last_index BIGINT NOT NULL
);

CREATE TABLE certificates (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id         UUID NOT NULL UNIQUE,
    number            TEXT NOT NULL UNIQUE,
    institution_id    BIGINT NOT NULL REFERENCES evaluation_institutions (id),
    session_id        BIGINT REFERENCES evaluation_sessions (id),
    application_id    BIGINT UNIQUE REFERENCES evaluation_applications (id),
    person_id         BIGINT NOT NULL REFERENCES persons (id),
    year              INTEGER NOT NULL,
    level_code        INTEGER NOT NULL,
    serial            INTEGER NOT NULL,
    title             TEXT NOT NULL,
    holder_name       TEXT NOT NULL,
    id_type           TEXT NOT NULL,
    id_number         TEXT NOT NULL,
    occupation_code   TEXT NOT NULL,
    occupation_name   TEXT NOT NULL,
    trade             TEXT NOT NULL,
    level             SMALLINT NOT NULL,
    level_text        TEXT NOT NULL,
    institution_name  TEXT NOT NULL,
    issue_date        DATE NOT NULL,
    status_index      BIGINT NOT NULL UNIQUE,
    status            TEXT NOT NULL CHECK (status IN ('valid', 'suspended', 'revoked')),
    status_reason     TEXT,
    status_changed_on DATE,
    skill_level_id    BIGINT REFERENCES skill_levels (id),
    credential        TEXT,
    created_at        TIMESTAMPTZ NOT NULL,
    UNIQUE (institution_id, year, level_code, serial)
);
CREATE INDEX certificates_person ON certificates (person_id);
CREATE INDEX certificates_session ON certificates (session_id);

-- 特级技师 / 首席技师 are posts an enterprise evaluates and appoints to (评聘) for a term.
CREATE TABLE level_appointments (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id       BIGINT NOT NULL REFERENCES persons (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    occupation_code TEXT NOT NULL,
    level           SMALLINT NOT NULL CHECK (level BETWEEN 7 AND 8),
    appointed_on    DATE NOT NULL,
    term_from       DATE NOT NULL,
    term_to         DATE NOT NULL,
    evidence        TEXT NOT NULL,
    skill_level_id  BIGINT NOT NULL REFERENCES skill_levels (id),
    recorded_by     TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX level_appointments_person ON level_appointments (person_id);
