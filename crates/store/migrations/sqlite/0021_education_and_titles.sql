-- Schooling and professional titles on record (issue 13). Same numbering and meaning as
-- ../postgres/.
--
-- education_records: one education of a registered person (`gongjiang import education`):
-- `education` is a code of domain::registry::Education (the technician-school class attended:
-- tech_school_intermediate, tech_school_advanced, tech_school_pre_technician, …), `major` the
-- subject ('' when not given), and one of two dates: graduated_on (a graduate) or, for a
-- student, expected_graduation_on (not a graduate until a graduation is recorded). Keyed by
-- (person, education, major): importing the graduation later updates the student's row.
--
-- professional_titles: one professional title (职称) of a registered person (`gongjiang import
-- titles`): `series` a code of domain::registry::TitleSeries (engineering = 工程技术 …),
-- `grade` junior | intermediate | deputy_senior | senior (初级, 中级, 副高级, 正高级), `title` its
-- name (e.g. 电气工程师), obtained_on. Keyed by (person, series, title).

CREATE TABLE education_records (
    id                     INTEGER PRIMARY KEY,
    person_id              INTEGER NOT NULL REFERENCES persons (id),
    education              TEXT NOT NULL,
    major                  TEXT NOT NULL DEFAULT '',
    graduated_on           TEXT,
    expected_graduation_on TEXT,
    recorded_by            TEXT NOT NULL,
    UNIQUE (person_id, education, major)
);

CREATE TABLE professional_titles (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES persons (id),
    series      TEXT NOT NULL,
    grade       TEXT NOT NULL,
    title       TEXT NOT NULL,
    obtained_on TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    UNIQUE (person_id, series, title)
);
