-- Which of the policy's industrial chains (重点产业链) an organisation belongs to: the city keeps
-- lists of chain enterprises, not an industry mapping. Same numbering and meaning as ../sqlite/.
-- `chain` is the id of one of the policy's `[[industrial_chains]]`.

CREATE TABLE organisation_chains (
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    chain           TEXT NOT NULL,
    PRIMARY KEY (organisation_id, chain)
);
CREATE INDEX organisation_chains_chain ON organisation_chains (chain, organisation_id);
