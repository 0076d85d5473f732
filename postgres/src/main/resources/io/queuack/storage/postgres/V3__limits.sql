-- Queuack on PostgreSQL, schema version 3: limits on running jobs and starts, per queue, task or key, as in the
-- DuckDB store. Claims of limited jobs take an advisory lock of the schema's limits, then count the running jobs
-- and the starts log of the limited subjects, so that hosts claiming at once never exceed a limit.

ALTER TABLE jobs ADD COLUMN limit_key TEXT;
-- Counting running jobs per key at every limited claim.
CREATE INDEX jobs_running_keys ON jobs (limit_key) WHERE status = 'running' AND limit_key IS NOT NULL;

CREATE TABLE job_limits (
    scope       TEXT      NOT NULL,  -- queue, task, key
    name        TEXT      NOT NULL,  -- the queue, the task, the key or a key pattern ending in *
    max_running INTEGER   NOT NULL,  -- 0: no bound
    max_starts  INTEGER   NOT NULL,  -- 0: no bound
    window_ms   BIGINT,              -- the sliding window of max_starts
    updated_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (scope, name)
);

-- Starts of rate-limited subjects, counted per bucket of a sixtieth of the window (a sliding window that never
-- lets more through, at most 60 rows per subject).
CREATE TABLE limit_starts (
    subject    TEXT      NOT NULL,  -- scope:name, a concrete key for a key pattern
    bucket     TIMESTAMP NOT NULL,  -- the start of the bucket
    starts     INTEGER   NOT NULL,
    expires_at TIMESTAMP NOT NULL,  -- the bucket's starts count until then (its end plus the window)
    PRIMARY KEY (subject, bucket)
);
CREATE INDEX limit_starts_expiry ON limit_starts (expires_at);
