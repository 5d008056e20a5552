-- Personal data (issue 5): identity numbers encrypted at rest, and correction requests.
-- Same numbering and meaning as ../sqlite/ (which explains the columns).
--
-- PostgreSQL keeps a dropped column's values in the table's pages until rows are rewritten:
-- run VACUUM FULL persons, certificates after migrating a database that held persons
-- (docs/SECURITY.md §4).

ALTER TABLE persons ADD COLUMN id_cipher TEXT;
ALTER TABLE persons ADD COLUMN id_lookup TEXT;
CREATE UNIQUE INDEX persons_id_lookup ON persons (id_lookup);

CREATE TABLE persons_plaintext_ids (
    person_id BIGINT PRIMARY KEY REFERENCES persons (id),
    id_number TEXT NOT NULL
);
INSERT INTO persons_plaintext_ids (person_id, id_number) SELECT id, id_number FROM persons;
ALTER TABLE persons DROP COLUMN id_number;

ALTER TABLE certificates DROP COLUMN id_number;

CREATE TABLE correction_requests (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id       BIGINT NOT NULL REFERENCES persons (id),
    field           TEXT NOT NULL,
    proposed_cipher TEXT NOT NULL,
    reason          TEXT NOT NULL DEFAULT '',
    requested_by    TEXT NOT NULL,
    requested_at    TIMESTAMPTZ NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'rejected')),
    decided_by      TEXT,
    decided_at      TIMESTAMPTZ,
    decision_note   TEXT
);
CREATE INDEX correction_requests_person ON correction_requests (person_id);
CREATE INDEX correction_requests_status ON correction_requests (status, id);
