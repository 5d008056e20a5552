-- Which process runs an import (host and process id), and when a run whose process died was
-- found and marked interrupted. Counts are now kept per committed batch, so an interrupted run
-- shows what its committed batches wrote.
ALTER TABLE import_runs ADD COLUMN host TEXT;
ALTER TABLE import_runs ADD COLUMN pid BIGINT;
ALTER TABLE import_runs ADD COLUMN interrupted_at TEXT;
