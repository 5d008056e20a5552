-- Social insurance on record, and the benefits the incentive schemes pay from the record
-- (issue 16). Same numbering and meaning as ../sqlite/ (which explains the tables).

CREATE TABLE insurance_spells (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id     BIGINT NOT NULL REFERENCES persons (id),
    scheme        TEXT NOT NULL,
    starts_on     DATE NOT NULL,
    ends_on       DATE,
    district_code TEXT,
    recorded_by   TEXT NOT NULL,
    UNIQUE (person_id, scheme, starts_on)
);

CREATE TABLE benefit_claims (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id       UUID NOT NULL UNIQUE,
    person_id       BIGINT NOT NULL REFERENCES persons (id),
    scheme          TEXT NOT NULL,
    skill_level_id  BIGINT REFERENCES skill_levels (id),
    occupation_code TEXT,
    level           SMALLINT,
    obtained_on     DATE,
    amount_fen      BIGINT NOT NULL CHECK (amount_fen >= 0),
    claimed_on      DATE NOT NULL,
    route           TEXT NOT NULL CHECK (route IN ('automatic', 'application')),
    status          TEXT NOT NULL
                    CHECK (status IN ('in_review', 'in_notice', 'approved', 'rejected', 'paid', 'withdrawn')),
    district_code   TEXT,
    review_due_on   DATE,
    notice_ends_on  DATE,
    policy_version  TEXT NOT NULL,
    inferred        BOOLEAN NOT NULL DEFAULT FALSE,
    explanation_zh  TEXT NOT NULL,
    explanation_en  TEXT NOT NULL,
    recovery_due_on DATE,
    recovery_reason TEXT,
    created_by      TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    UNIQUE (person_id, scheme, skill_level_id)
);
CREATE INDEX benefit_claims_status ON benefit_claims (scheme, status);
CREATE INDEX benefit_claims_level ON benefit_claims (skill_level_id);

CREATE TABLE benefit_claim_events (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    claim_id    BIGINT NOT NULL REFERENCES benefit_claims (id),
    event       TEXT NOT NULL,
    happened_on DATE NOT NULL,
    actor       TEXT NOT NULL,
    note        TEXT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX benefit_claim_events_claim ON benefit_claim_events (claim_id);

CREATE TABLE benefit_objections (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    claim_id    BIGINT NOT NULL REFERENCES benefit_claims (id),
    lodged_on   DATE NOT NULL,
    lodged_by   TEXT NOT NULL,
    reason      TEXT NOT NULL,
    resolution  TEXT CHECK (resolution IN ('upheld', 'dismissed')),
    resolved_on DATE,
    resolved_by TEXT,
    resolution_note TEXT
);
CREATE INDEX benefit_objections_claim ON benefit_objections (claim_id);

CREATE TABLE benefit_ledger (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    claim_id    BIGINT NOT NULL REFERENCES benefit_claims (id),
    entry       TEXT NOT NULL CHECK (entry IN ('due', 'paid', 'recovered')),
    amount_fen  BIGINT NOT NULL,
    entry_on    DATE NOT NULL,
    reference   TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    UNIQUE (claim_id, entry)
);

CREATE FUNCTION skill_levels_revoked_benefit_claims() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE benefit_claims
       SET recovery_due_on = NEW.revoked_on, recovery_reason = COALESCE(NEW.revoked_reason, '')
     WHERE skill_level_id = NEW.id AND status = 'paid' AND recovery_due_on IS NULL;
    UPDATE benefit_claims SET status = 'withdrawn'
     WHERE skill_level_id = NEW.id AND status IN ('in_review', 'in_notice', 'approved');
    RETURN NEW;
END;
$$;

CREATE TRIGGER skill_levels_revoked_benefit_claims AFTER UPDATE OF revoked_on ON skill_levels
FOR EACH ROW WHEN (OLD.revoked_on IS NULL AND NEW.revoked_on IS NOT NULL)
EXECUTE FUNCTION skill_levels_revoked_benefit_claims();
