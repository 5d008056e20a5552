-- The xAPI Learning Record Store (/xapi, issue 14). Same numbering and meaning as ../sqlite/
-- (which explains the columns). (0014 is the incentives work; 0015 and 0016 were taken first.)

CREATE TABLE xapi_statements (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    statement_id      TEXT NOT NULL UNIQUE,
    provider_id       BIGINT REFERENCES organisations (id),
    actor_key         TEXT NOT NULL,
    verb_id           TEXT NOT NULL,
    activity_id       TEXT,
    registration      TEXT,
    voids             TEXT,
    voided            BOOLEAN NOT NULL DEFAULT FALSE,
    stored            TEXT NOT NULL,
    received          TEXT NOT NULL,
    body              TEXT NOT NULL,
    enrolment_id      BIGINT REFERENCES enrolments (id),
    credited_seconds  BIGINT NOT NULL DEFAULT 0,
    completes         BOOLEAN NOT NULL DEFAULT FALSE,
    unmatched_zh      TEXT,
    unmatched_en      TEXT
);
CREATE INDEX xapi_statements_provider ON xapi_statements (provider_id, id);
CREATE INDEX xapi_statements_actor ON xapi_statements (actor_key, id);
CREATE INDEX xapi_statements_activity ON xapi_statements (activity_id, id);
CREATE INDEX xapi_statements_enrolment ON xapi_statements (enrolment_id);

-- The LRS's documents: State (kind state: activity, agent, registration or '', stateId), Activity
-- Profile (activity_profile: activity, profileId) and Agent Profile (agent_profile: agent,
-- profileId); per owner (provider_key: the organisation of the token, 0 for a city-wide one).
-- The body as sent, its content type, its ETag (SHA-1, hex) and when it was last changed.
CREATE TABLE xapi_documents (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider_key  BIGINT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('state', 'activity_profile', 'agent_profile')),
    activity_id   TEXT NOT NULL,
    agent_key     TEXT NOT NULL,
    registration  TEXT NOT NULL,
    doc_id        TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    body          BYTEA NOT NULL,
    etag          TEXT NOT NULL,
    updated       TEXT NOT NULL,
    UNIQUE (provider_key, kind, activity_id, agent_key, registration, doc_id)
);
