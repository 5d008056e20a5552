-- Personal data (issue 5): identity numbers encrypted at rest, and correction requests.
-- Same numbering and meaning as ../postgres/.
--
-- persons.id_cipher: the number encrypted (XChaCha20-Poly1305, `v1:<key id>:<hex>`);
-- persons.id_lookup: its HMAC-SHA256 under a separate key (`<key id>:<hex>`), unique — every
-- lookup and the imports' de-duplication go through it. Both are written by the store with the
-- key file (kept outside the database); SQL cannot compute them, so a database that already
-- holds persons keeps their numbers in persons_plaintext_ids until the application, which has
-- the keys, encrypts them (at its next start, or `gongjiang keys reencrypt`) and deletes them
-- from there. Then run VACUUM (docs/SECURITY.md §4): deleted plaintext may linger in free pages.
--
-- After this file, the migration runner drops persons.id_number (a UNIQUE column, which SQLite
-- can only drop by rebuilding the table: done from the table's own stored definition, so every
-- other column and index survives, with foreign keys off and checked before commit).

ALTER TABLE persons ADD COLUMN id_cipher TEXT;
ALTER TABLE persons ADD COLUMN id_lookup TEXT;
CREATE UNIQUE INDEX persons_id_lookup ON persons (id_lookup);

CREATE TABLE persons_plaintext_ids (
    person_id INTEGER PRIMARY KEY REFERENCES persons (id),
    id_number TEXT NOT NULL
);
INSERT INTO persons_plaintext_ids (person_id, id_number) SELECT id, id_number FROM persons;

-- A certificate prints its holder's identity number: read from the holder's row (decrypted),
-- not kept as a second plaintext copy.
ALTER TABLE certificates DROP COLUMN id_number;

-- 记录更正请求: a person asks to correct what the registry holds about them (PIPL art. 46).
-- The proposed value is encrypted like identity numbers (it may be one).
CREATE TABLE correction_requests (
    id              INTEGER PRIMARY KEY,
    person_id       INTEGER NOT NULL REFERENCES persons (id),
    field           TEXT NOT NULL,
    proposed_cipher TEXT NOT NULL,
    reason          TEXT NOT NULL DEFAULT '',
    requested_by    TEXT NOT NULL,
    requested_at    TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'rejected')),
    decided_by      TEXT,
    decided_at      TEXT,
    decision_note   TEXT
);
CREATE INDEX correction_requests_person ON correction_requests (person_id);
CREATE INDEX correction_requests_status ON correction_requests (status, id);
