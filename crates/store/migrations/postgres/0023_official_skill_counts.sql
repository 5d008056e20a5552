-- Official counts of skilled and high-skilled persons (技能人才数, 高技能人才数) for a year and a
-- group (district, industry, chain; '' = all), from the statistics import's optional columns
-- skilled and high_skilled (issue 13). A KPI report shows them beside the registry's counts with
-- the registry's coverage. Either count may be missing. Same numbering and meaning as ../sqlite/.

CREATE TABLE official_skill_counts (
    year          INTEGER NOT NULL,
    district_code TEXT NOT NULL,
    industry      TEXT NOT NULL DEFAULT '',
    chain         TEXT NOT NULL DEFAULT '',
    skilled       BIGINT CHECK (skilled >= 0),
    high_skilled  BIGINT CHECK (high_skilled >= 0),
    updated_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (year, district_code, industry, chain)
);
