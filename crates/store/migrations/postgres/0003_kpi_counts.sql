-- KPI counts maintained on every write (docs/ARCHITECTURE.md, "KPI counts"). Same numbering
-- and meaning as ../sqlite/.
--
-- kpi_clock: the one date the state and the counts describe (China's date when first made).
-- kpi_person_state: per person, what the KPIs need as of that date: district, the employer's
--   industry, occupation major group, employment status, highest level valid on the date
--   (0 = none) and the next date after it on which that level can change (a level obtained or
--   revoked later), so that moving the clock forward recomputes only those persons.
-- kpi_counts: persons per (dimension, group, highest level, employment status), for the
--   dimensions city, district, industry and occupation ('' = attribute missing); each person
--   is counted once per dimension. Today's KPIs are sums over a few hundred of these rows.

CREATE TABLE kpi_clock (
    id    SMALLINT PRIMARY KEY CHECK (id = 1),
    as_of DATE NOT NULL
);
INSERT INTO kpi_clock (id, as_of) VALUES (1, (now() AT TIME ZONE 'Asia/Shanghai')::date);

CREATE TABLE kpi_person_state (
    person_id         BIGINT PRIMARY KEY REFERENCES persons (id),
    district_code     TEXT,
    industry          TEXT,
    occupation_major  TEXT,
    employment_status TEXT,
    top_level         SMALLINT NOT NULL,
    next_change_on    DATE
);
CREATE INDEX kpi_person_state_level ON kpi_person_state (top_level, person_id);
CREATE INDEX kpi_person_state_next ON kpi_person_state (next_change_on) WHERE next_change_on IS NOT NULL;

CREATE TABLE kpi_counts (
    dimension         TEXT NOT NULL,
    grp               TEXT NOT NULL,
    top_level         SMALLINT NOT NULL,
    employment_status TEXT NOT NULL,
    persons           BIGINT NOT NULL,
    PRIMARY KEY (dimension, grp, top_level, employment_status)
);

-- Existing registries: the state and counts as of the clock's date.
INSERT INTO kpi_person_state (person_id, district_code, industry, occupation_major, employment_status, top_level,
    next_change_on)
SELECT p.id, p.district_code, o.industry, SUBSTR(p.occupation_code, 1, 1), p.employment_status, COALESCE(m.top, 0),
    m.next
FROM persons p
LEFT JOIN organisations o ON o.id = p.employer_id
LEFT JOIN (SELECT person_id,
        MAX(CASE WHEN obtained_on <= c.as_of AND (revoked_on IS NULL OR revoked_on > c.as_of) THEN level END) AS top,
        MIN(CASE WHEN obtained_on > c.as_of THEN obtained_on WHEN revoked_on > c.as_of THEN revoked_on END) AS next
    FROM skill_levels, kpi_clock c GROUP BY person_id) m ON m.person_id = p.id;

INSERT INTO kpi_counts (dimension, grp, top_level, employment_status, persons)
SELECT 'city', '', top_level, COALESCE(employment_status, ''), COUNT(*) FROM kpi_person_state GROUP BY 3, 4
UNION ALL
SELECT 'district', COALESCE(district_code, ''), top_level, COALESCE(employment_status, ''), COUNT(*)
    FROM kpi_person_state GROUP BY 2, 3, 4
UNION ALL
SELECT 'industry', COALESCE(industry, ''), top_level, COALESCE(employment_status, ''), COUNT(*)
    FROM kpi_person_state GROUP BY 2, 3, 4
UNION ALL
SELECT 'occupation', COALESCE(occupation_major, ''), top_level, COALESCE(employment_status, ''), COUNT(*)
    FROM kpi_person_state GROUP BY 2, 3, 4;
