-- Queuack schema version 4: which attempt of a job is known to have started (the running attempt has if
-- started_attempt = attempts), so that a crash charges an attempt only to jobs that really ran. A claimed job that waited in its pool's buffer (or behind its
-- run's concurrency limit) when the process died is given back without using an attempt. Its next start
-- is stored before its task runs (from then on, unstarted_losses > 0), so that a task that kills its
-- process at once still runs out of attempts.

ALTER TABLE jobs ADD COLUMN started_attempt INTEGER;
ALTER TABLE jobs ADD COLUMN unstarted_losses INTEGER DEFAULT 0;

-- Each stored outcome is numbered (one number per round trip that stores outcomes), for the same check.
ALTER TABLE jobs ADD COLUMN outcome_seq BIGINT;

-- Changes other than enqueues and outcomes (cancel, retry, pause, purge, recovery) are numbered here, one
-- row each, so that on open a queue can tell whether its write-ahead log lost some (see the commit
-- record beside the file). Old rows are deleted at checkpoints; the newest is kept.
CREATE TABLE queuack_changes (
    seq BIGINT NOT NULL
);
