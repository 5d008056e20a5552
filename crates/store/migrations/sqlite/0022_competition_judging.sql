-- Competitions scored in gongjiang (issue 15): competitions → events → entries (by group),
-- judges, and the marks ledger. Same numbering and meaning as ../postgres/.
--
-- competitions: one per competition as its organiser runs it; `tier` is a code of
-- domain::registry::CompetitionTier; `organiser` names the account (or organisation) that runs
-- it; `organisation_id` the organisation whose competition-organiser role runs it (NULL: the
-- city's own), which scopes that role to its competitions.
-- competition_events: an event (赛项) with its occupation, level band and team size, and its
-- marking scheme (JSON of domain::marking::Scheme) fixed before marking starts; `published_on`
-- is set when its results are published (then nothing about it changes). `ledger_seq` and
-- `ledger_hash` are the head of the event's marks chain.
-- competition_entries: an entrant (a registered person) in an event and group, with the
-- organisation they come from (credit code, for the judges' conflict-of-interest check), the
-- eligibility explanation, and once signed off the raw total, measurement marks, standardised
-- score (tenths), place and award; `result_id` points at the competition result (以赛代评
-- decision) written when the results were published.
-- competition_judges: a judge of an event, from an organisation (credit code).
-- competition_marks: the append-only ledger: every score a judge gives an aspect of an entry,
-- never updated or deleted (a corrected score is a new row; the latest per entry, aspect and
-- judge counts). Each row is hash-chained to the one before in its event:
-- hash(n) = SHA-256(canonical(row n) ‖ hash(n-1)), as the audit trail does.

CREATE TABLE competitions (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    tier        TEXT NOT NULL,
    organiser   TEXT NOT NULL,
    organisation_id INTEGER REFERENCES organisations (id),
    starts_on   TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE competition_events (
    id                  INTEGER PRIMARY KEY,
    competition_id      INTEGER NOT NULL REFERENCES competitions (id),
    code                TEXT NOT NULL,
    name                TEXT NOT NULL,
    occupation_code     TEXT NOT NULL,
    level_min           INTEGER NOT NULL,
    level_max           INTEGER NOT NULL,
    team_size           INTEGER NOT NULL DEFAULT 1 CHECK (team_size >= 1),
    occupation_required INTEGER NOT NULL DEFAULT 0,
    scheme_json         TEXT,
    published_on        TEXT,
    ledger_seq          INTEGER NOT NULL DEFAULT 0,
    ledger_hash         TEXT NOT NULL DEFAULT '0000000000000000000000000000000000000000000000000000000000000000',
    UNIQUE (competition_id, code)
);

CREATE TABLE competition_entries (
    id                     INTEGER PRIMARY KEY,
    event_id               INTEGER NOT NULL REFERENCES competition_events (id),
    person_id              INTEGER NOT NULL REFERENCES persons (id),
    entry_group            TEXT NOT NULL CHECK (entry_group IN ('employee', 'student')),
    bib                    TEXT NOT NULL,
    team                   TEXT,
    organisation_uscc      TEXT,
    eligibility_zh         TEXT NOT NULL,
    eligibility_en         TEXT NOT NULL,
    signed_off_at          TEXT,
    signed_off_by          TEXT,
    total_hundredths       INTEGER,
    measurement_hundredths INTEGER,
    standardised_tenths    INTEGER,
    place                  INTEGER,
    award                  TEXT,
    result_id              INTEGER REFERENCES competition_results (id),
    created_at             TEXT NOT NULL,
    UNIQUE (event_id, person_id),
    UNIQUE (event_id, bib)
);
CREATE INDEX competition_entries_person ON competition_entries (person_id);

CREATE TABLE competition_judges (
    id                INTEGER PRIMARY KEY,
    event_id          INTEGER NOT NULL REFERENCES competition_events (id),
    code              TEXT NOT NULL,
    name              TEXT NOT NULL,
    organisation_uscc TEXT,
    username          TEXT,
    UNIQUE (event_id, code)
);

CREATE TABLE competition_marks (
    event_id    INTEGER NOT NULL REFERENCES competition_events (id),
    seq         INTEGER NOT NULL,
    entry_id    INTEGER NOT NULL REFERENCES competition_entries (id),
    aspect      TEXT NOT NULL,
    judge_id    INTEGER NOT NULL REFERENCES competition_judges (id),
    score       INTEGER NOT NULL,
    recorded_by TEXT NOT NULL,
    at_micros   INTEGER NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL,
    PRIMARY KEY (event_id, seq)
);
CREATE INDEX competition_marks_entry ON competition_marks (entry_id, aspect, judge_id, seq);
