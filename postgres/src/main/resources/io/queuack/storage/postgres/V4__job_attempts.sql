-- Queuack schema version 4: every attempt that failed (to be retried, dead, or lost with its worker), kept with
-- its error and stack trace; a job's row holds only its latest attempt. Written in the transaction that stores
-- the failure; deleted with the job by a purge.

CREATE TABLE job_attempts (
    job_id        bigint    NOT NULL,
    attempt       integer   NOT NULL,
    worker        text,
    started_at    timestamp,
    finished_at   timestamp NOT NULL,
    status        text      NOT NULL,  -- failed or dead
    error_type    text,
    error_message text,
    error_trace   text
);

CREATE INDEX job_attempts_job ON job_attempts (job_id, finished_at);
