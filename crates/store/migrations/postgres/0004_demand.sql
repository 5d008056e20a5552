-- Demand for skilled people reported by enterprises and industry bodies (供需预测).
-- Same numbering and meaning as ../sqlite/. Natural key: reporter × occupation × level ×
-- period × district; a report of the same key again replaces people, chain and note.

CREATE TABLE skill_demand (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    reporter_id     BIGINT NOT NULL REFERENCES organisations (id),
    occupation_code TEXT NOT NULL,
    level           SMALLINT NOT NULL CHECK (level BETWEEN 1 AND 8),
    year            INTEGER NOT NULL,
    -- 0 = the whole year, 1–4 = a quarter.
    quarter         SMALLINT NOT NULL DEFAULT 0 CHECK (quarter BETWEEN 0 AND 4),
    district_code   TEXT NOT NULL,
    -- Id of one of the policy's industrial chains; '' = none.
    chain           TEXT NOT NULL DEFAULT '',
    people          BIGINT NOT NULL CHECK (people > 0),
    note            TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    UNIQUE (reporter_id, occupation_code, level, year, quarter, district_code)
);
CREATE INDEX skill_demand_period ON skill_demand (year, quarter);
CREATE INDEX skill_demand_occupation ON skill_demand (occupation_code, level);
