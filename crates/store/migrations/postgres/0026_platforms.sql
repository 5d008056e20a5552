-- Training platforms (培养平台, issue 14): designations attached to a registered organisation —
-- skill-master studios, high-skill training bases, public training centres, enterprise training
-- centres, industry–education workstations — with their tier (national / municipal / district),
-- approval date, validity, funding granted (yuan), the occupation they train for and, for a
-- studio, its lead master (a registered person, by id: no identity number here). Keyed by the
-- platform's code. Same numbering and meaning as ../sqlite/.

CREATE TABLE platforms (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code             TEXT NOT NULL UNIQUE,
    organisation_id  BIGINT NOT NULL REFERENCES organisations (id),
    name             TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('master_studio', 'high_skill_base', 'public_training_centre',
                                                   'enterprise_training_centre', 'industry_education_station')),
    tier             TEXT NOT NULL CHECK (tier IN ('national', 'municipal', 'district')),
    approved_on      DATE NOT NULL,
    valid_until      DATE,
    funding_yuan     BIGINT CHECK (funding_yuan >= 0),
    occupation_code  TEXT,
    lead_person_id   BIGINT REFERENCES persons (id),
    recorded_by      TEXT NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX platforms_organisation ON platforms (organisation_id);
CREATE INDEX platforms_occupation ON platforms (occupation_code);
