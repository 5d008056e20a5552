-- Accounts, role grants, sessions, API tokens and the hash-chained audit trail.
-- Same numbering and meaning as ../sqlite/. No password, session id or token is stored in
-- the clear: passwords as Argon2id PHC strings, bearer secrets as SHA-256 hex.

CREATE TABLE users (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username            TEXT NOT NULL UNIQUE,
    display_name        TEXT NOT NULL,
    password_hash       TEXT NOT NULL,
    disabled            BOOLEAN NOT NULL DEFAULT FALSE,
    failed_attempts     BIGINT NOT NULL DEFAULT 0,
    locked_until        TIMESTAMPTZ,
    created_at          TIMESTAMPTZ NOT NULL,
    password_changed_at TIMESTAMPTZ NOT NULL
);

-- One row per grant; revoking sets revoked_at (the history stays). granted_by is NULL only for
-- the first city administrator, created before any administrator existed.
CREATE TABLE role_grants (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    role       TEXT NOT NULL,
    scope_data TEXT NOT NULL,
    granted_by BIGINT REFERENCES users (id),
    granted_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ,
    revoked_by BIGINT REFERENCES users (id)
);
CREATE UNIQUE INDEX role_grants_active ON role_grants (user_id, role, scope_data) WHERE revoked_at IS NULL;
CREATE INDEX role_grants_role ON role_grants (role) WHERE revoked_at IS NULL;

CREATE TABLE sessions (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id_hash      TEXT NOT NULL UNIQUE,
    user_id      BIGINT NOT NULL REFERENCES users (id),
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    csrf_hash    TEXT NOT NULL,
    client_addr  TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- roles: one "kind:parameter" per line, each covered by the owner's own permissions.
CREATE TABLE api_tokens (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    user_id      BIGINT NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    roles        TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    revoked_at   TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Append-only; hash = SHA-256 over the canonical encoding of the entry and prev_hash.
CREATE TABLE audit_log (
    seq         BIGINT PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    resource    TEXT NOT NULL,
    record_id   TEXT,
    client_addr TEXT,
    before_json TEXT,
    after_json  TEXT,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log (actor, seq);
CREATE INDEX audit_log_record ON audit_log (resource, record_id, seq);
CREATE INDEX audit_log_at ON audit_log (at);

-- The chain's head: the last seq and hash. Appends lock it, so concurrent appends queue; a
-- deleted tail shows as a head that no entry matches.
CREATE TABLE audit_head (
    id   SMALLINT PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
