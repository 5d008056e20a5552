-- Social insurance on record, and the benefits the incentive schemes pay from the record
-- (issue 16). Same numbering and meaning as ../postgres/.
--
-- insurance_spells: one contribution spell of a registered person in one scheme (codes of
-- domain::registry::InsuranceScheme: unemployment, pension, …), keyed by (person, scheme,
-- start). ends_on NULL = still contributing; district_code where the scheme is local.
-- Months are counted from the spells by domain::insurance (overlaps once).
--
-- benefit_claims: one claim of a benefit scheme of the policy (scheme = its id, e.g.
-- skill-upgrade), made for a person on a basis: for a subsidy paid per certificate, the level
-- row it rests on (skill_level_id, with its occupation, level and date copied as decided), so
-- UNIQUE (person_id, scheme, skill_level_id) is what keeps a certificate from being claimed
-- twice, whoever runs the claim and however often. route: automatic (免申即享, found by the
-- engine) or application (a worker or employer asked). amount_fen: money in fen (¥1 = 100).
-- status: in_review → in_notice → approved → paid; rejected at review or after an objection is
-- upheld; withdrawn when the certificate is revoked before payment. The decision's explanation,
-- the policy version and whether it rests on an inferred rule are kept as decided.
-- recovery_due_on / recovery_reason: the certificate of a paid claim was revoked on that day —
-- the money is to be recovered. Both the withdrawal and the recovery flag are set by the
-- trigger below, so no path that revokes a level (cert revoke, a levels file, the store's
-- revoke) can forget them.
--
-- benefit_claim_events: what happened to a claim, in order (created, reviewed, notice,
-- objection, objection_resolved, approved, rejected, paid), by whom, with a note.
-- benefit_objections: objections lodged during the public notice and their resolution.
-- benefit_ledger: the money: one entry per claim and kind — due (the amount owed, written with
-- the claim in one transaction), paid (date and the payer's reference), recovered.

CREATE TABLE insurance_spells (
    id            INTEGER PRIMARY KEY,
    person_id     INTEGER NOT NULL REFERENCES persons (id),
    scheme        TEXT NOT NULL,
    starts_on     TEXT NOT NULL,
    ends_on       TEXT,
    district_code TEXT,
    recorded_by   TEXT NOT NULL,
    UNIQUE (person_id, scheme, starts_on)
);

CREATE TABLE benefit_claims (
    id              INTEGER PRIMARY KEY,
    public_id       BLOB NOT NULL UNIQUE,
    person_id       INTEGER NOT NULL REFERENCES persons (id),
    scheme          TEXT NOT NULL,
    skill_level_id  INTEGER REFERENCES skill_levels (id),
    occupation_code TEXT,
    level           INTEGER,
    obtained_on     TEXT,
    amount_fen      INTEGER NOT NULL CHECK (amount_fen >= 0),
    claimed_on      TEXT NOT NULL,
    route           TEXT NOT NULL CHECK (route IN ('automatic', 'application')),
    status          TEXT NOT NULL
                    CHECK (status IN ('in_review', 'in_notice', 'approved', 'rejected', 'paid', 'withdrawn')),
    district_code   TEXT,
    review_due_on   TEXT,
    notice_ends_on  TEXT,
    policy_version  TEXT NOT NULL,
    inferred        INTEGER NOT NULL DEFAULT 0,
    explanation_zh  TEXT NOT NULL,
    explanation_en  TEXT NOT NULL,
    recovery_due_on TEXT,
    recovery_reason TEXT,
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    UNIQUE (person_id, scheme, skill_level_id)
);
CREATE INDEX benefit_claims_status ON benefit_claims (scheme, status);
CREATE INDEX benefit_claims_level ON benefit_claims (skill_level_id);

CREATE TABLE benefit_claim_events (
    id          INTEGER PRIMARY KEY,
    claim_id    INTEGER NOT NULL REFERENCES benefit_claims (id),
    event       TEXT NOT NULL,
    happened_on TEXT NOT NULL,
    actor       TEXT NOT NULL,
    note        TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX benefit_claim_events_claim ON benefit_claim_events (claim_id);

CREATE TABLE benefit_objections (
    id          INTEGER PRIMARY KEY,
    claim_id    INTEGER NOT NULL REFERENCES benefit_claims (id),
    lodged_on   TEXT NOT NULL,
    lodged_by   TEXT NOT NULL,
    reason      TEXT NOT NULL,
    resolution  TEXT CHECK (resolution IN ('upheld', 'dismissed')),
    resolved_on TEXT,
    resolved_by TEXT,
    resolution_note TEXT
);
CREATE INDEX benefit_objections_claim ON benefit_objections (claim_id);

CREATE TABLE benefit_ledger (
    id          INTEGER PRIMARY KEY,
    claim_id    INTEGER NOT NULL REFERENCES benefit_claims (id),
    entry       TEXT NOT NULL CHECK (entry IN ('due', 'paid', 'recovered')),
    amount_fen  INTEGER NOT NULL,
    entry_on    TEXT NOT NULL,
    reference   TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (claim_id, entry)
);

CREATE TRIGGER skill_levels_revoked_benefit_claims AFTER UPDATE OF revoked_on ON skill_levels
WHEN OLD.revoked_on IS NULL AND NEW.revoked_on IS NOT NULL
BEGIN
    UPDATE benefit_claims
       SET recovery_due_on = NEW.revoked_on, recovery_reason = COALESCE(NEW.revoked_reason, '')
     WHERE skill_level_id = NEW.id AND status = 'paid' AND recovery_due_on IS NULL;
    UPDATE benefit_claims SET status = 'withdrawn'
     WHERE skill_level_id = NEW.id AND status IN ('in_review', 'in_notice', 'approved');
END;
