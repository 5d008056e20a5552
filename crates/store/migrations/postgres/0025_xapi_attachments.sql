-- xAPI attachments and statement references (issue 14). Same numbering and meaning as ../sqlite/.
--
-- `xapi_statements.object_ref`: the statement a statement's object refers to (a StatementRef),
-- so a filtered query also returns the statements that refer to a match (Communication 2.1.4),
-- a voided one included. Filled here for the statements already stored.
--
-- `xapi_attachments`: the raw attachments sent with statements (multipart/mixed), one row per
-- content (its SHA-256, lower-case hex, as the statements' `sha2` names it): the media type, the
-- length in bytes and the content encrypted under the personal-data key (XChaCha20-Poly1305, the
-- column named in the associated data; `keys reencrypt` rewrites it after a rotation) — an
-- attachment may be a certificate scan or a transcript with an identity number, and none is kept
-- in plaintext. Bounded by the LRS's request limit (docs/TRAINING.md).

ALTER TABLE xapi_statements ADD COLUMN object_ref TEXT;
UPDATE xapi_statements SET object_ref = lower(received::jsonb -> 'object' ->> 'id')
    WHERE received::jsonb -> 'object' ->> 'objectType' = 'StatementRef';
CREATE INDEX xapi_statements_object_ref ON xapi_statements (object_ref) WHERE object_ref IS NOT NULL;

CREATE TABLE xapi_attachments (
    sha2            TEXT PRIMARY KEY,
    content_type    TEXT NOT NULL,
    length          BIGINT NOT NULL CHECK (length >= 0),
    content_cipher  TEXT NOT NULL,
    stored          TEXT NOT NULL
);
