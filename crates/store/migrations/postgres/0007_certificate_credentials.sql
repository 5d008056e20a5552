-- Signing certificates as Verifiable Credentials after they are issued, and publishing their
-- status: a signing pass looks for certificates without a credential, a status list reads
-- the few certificates that are not valid. Both are small partial indexes.
CREATE INDEX certificates_unsigned ON certificates (id) WHERE credential IS NULL;
CREATE INDEX certificates_not_valid ON certificates (status_index) WHERE status <> 'valid';
