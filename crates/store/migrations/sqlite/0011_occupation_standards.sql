-- The national occupational skill standard (国家职业技能标准) that governs an occupation from a
-- date on, and the edition of the policy's application conditions (申报条件) it follows
-- (`gongjiang import standards`). Same numbering and meaning as ../postgres/.
-- `edition` is the id of one of the policy's `[[eligibility.editions]]`; `source` says where the
-- mapping comes from ([I] or [GAP] in it marks an inference).

CREATE TABLE occupation_standards (
    occupation_code TEXT NOT NULL,
    effective_from  TEXT NOT NULL,
    edition         TEXT NOT NULL,
    standard_name   TEXT,
    source          TEXT,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (occupation_code, effective_from)
);
