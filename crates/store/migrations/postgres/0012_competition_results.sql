-- Competition results and promotion through competitions (以赛代评, issue 15).
-- Same numbering and meaning as ../sqlite/ (which explains the columns).

CREATE TABLE competition_results (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id       BIGINT NOT NULL REFERENCES persons (id),
    competition     TEXT NOT NULL,
    tier            TEXT NOT NULL,
    entry_group     TEXT NOT NULL,
    occupation_code TEXT NOT NULL,
    place           INTEGER NOT NULL CHECK (place >= 1),
    entrants        INTEGER,
    awarded_on      DATE NOT NULL,
    outcome         TEXT NOT NULL CHECK (outcome IN ('promoted', 'no_rule', 'already_held', 'year_limit')),
    rule_id         TEXT,
    level_before    SMALLINT,
    level_after     SMALLINT,
    skill_level_id  BIGINT REFERENCES skill_levels (id),
    explanation_zh  TEXT NOT NULL,
    explanation_en  TEXT NOT NULL,
    recorded_by     TEXT NOT NULL,
    recorded_at     TIMESTAMPTZ NOT NULL,
    UNIQUE (person_id, competition, occupation_code, awarded_on)
);
CREATE INDEX competition_results_awarded ON competition_results (awarded_on);
