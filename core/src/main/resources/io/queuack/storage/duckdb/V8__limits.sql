-- Queuack schema version 8: limits on running jobs and starts, per queue, task or key. Jobs carry the key their
-- key limits count them under; every claim counts the running jobs and the starts log of the limited subjects.

ALTER TABLE jobs ADD COLUMN limit_key VARCHAR;

CREATE TABLE job_limits (
    scope       VARCHAR   NOT NULL,  -- queue, task, key
    name        VARCHAR   NOT NULL,  -- the queue, the task, the key or a key pattern ending in *
    max_running INTEGER   NOT NULL,  -- 0: no bound
    max_starts  INTEGER   NOT NULL,  -- 0: no bound
    window_ms   BIGINT,              -- the sliding window of max_starts
    updated_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (scope, name)
);

-- Starts of rate-limited subjects, counted per bucket of a sixtieth of the window (a sliding window that never
-- lets more through, at most 60 rows per subject).
CREATE TABLE limit_starts (
    subject    VARCHAR   NOT NULL,  -- scope:name, a concrete key for a key pattern
    bucket     TIMESTAMP NOT NULL,  -- the start of the bucket
    starts     INTEGER   NOT NULL,
    expires_at TIMESTAMP NOT NULL,  -- the bucket's starts count until then (its end plus the window)
    PRIMARY KEY (subject, bucket)
);
