-- Competition results and promotion through competitions (以赛代评, issue 15).
-- Same numbering and meaning as ../postgres/.
--
-- One row per result: the competitor (person), the competition as its organiser names it, its
-- tier and the group entered (codes of domain::registry::CompetitionTier / CompetitionGroup),
-- the event's occupation, the place and the number of entrants, the day the results were
-- published. The decision taken when the result was recorded is kept with it: the outcome
-- (promoted / no_rule / already_held / year_limit), the policy rule applied, the highest level
-- held in the occupation before, the level recorded, and the bilingual explanation; a promotion
-- points at the level row it added to the history (skill_levels.source = 'competition',
-- obtained_on = awarded_on, evidence = the competition). A result recorded again changes
-- nothing: decisions are taken once.

CREATE TABLE competition_results (
    id              INTEGER PRIMARY KEY,
    person_id       INTEGER NOT NULL REFERENCES persons (id),
    competition     TEXT NOT NULL,
    tier            TEXT NOT NULL,
    entry_group     TEXT NOT NULL,
    occupation_code TEXT NOT NULL,
    place           INTEGER NOT NULL CHECK (place >= 1),
    entrants        INTEGER,
    awarded_on      TEXT NOT NULL,
    outcome         TEXT NOT NULL CHECK (outcome IN ('promoted', 'no_rule', 'already_held', 'year_limit')),
    rule_id         TEXT,
    level_before    INTEGER,
    level_after     INTEGER,
    skill_level_id  INTEGER REFERENCES skill_levels (id),
    explanation_zh  TEXT NOT NULL,
    explanation_en  TEXT NOT NULL,
    recorded_by     TEXT NOT NULL,
    recorded_at     TEXT NOT NULL,
    UNIQUE (person_id, competition, occupation_code, awarded_on)
);
CREATE INDEX competition_results_awarded ON competition_results (awarded_on);
