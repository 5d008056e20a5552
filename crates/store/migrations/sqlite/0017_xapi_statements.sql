-- The xAPI Learning Record Store (/xapi, issue 14). Same numbering and meaning as ../postgres/.
-- (0014 is the incentives work; 0015 and 0016 were taken first.)
--
-- One row per statement stored: its id (UUID, lower case), the organisation whose token stored
-- it (NULL for a city-wide token; a provider's token reads its own statements only), the keys
-- queries filter on (the actor's identifier, the verb, the activity, the registration), the
-- statement it voids (for a voiding statement) and whether it has been voided, the time stored
-- (RFC 3339 UTC with milliseconds), the statement as received (`received`, compared when the same
-- id comes again) and as the LRS returns it (`body`). Crediting: the enrolment it credited, the
-- learning seconds it added, whether it completed the enrolment; or why it credited nothing
-- (unmatched_zh/en). Statements name learners by their platform account, never by an identity
-- number.

CREATE TABLE xapi_statements (
    id                INTEGER PRIMARY KEY,
    statement_id      TEXT NOT NULL UNIQUE,
    provider_id       INTEGER REFERENCES organisations (id),
    actor_key         TEXT NOT NULL,
    verb_id           TEXT NOT NULL,
    activity_id       TEXT,
    registration      TEXT,
    voids             TEXT,
    voided            INTEGER NOT NULL DEFAULT 0,
    stored            TEXT NOT NULL,
    received          TEXT NOT NULL,
    body              TEXT NOT NULL,
    enrolment_id      INTEGER REFERENCES enrolments (id),
    credited_seconds  INTEGER NOT NULL DEFAULT 0,
    completes         INTEGER NOT NULL DEFAULT 0,
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
    id            INTEGER PRIMARY KEY,
    provider_key  INTEGER NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('state', 'activity_profile', 'agent_profile')),
    activity_id   TEXT NOT NULL,
    agent_key     TEXT NOT NULL,
    registration  TEXT NOT NULL,
    doc_id        TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    body          BLOB NOT NULL,
    etag          TEXT NOT NULL,
    updated       TEXT NOT NULL,
    UNIQUE (provider_key, kind, activity_id, agent_key, registration, doc_id)
);
