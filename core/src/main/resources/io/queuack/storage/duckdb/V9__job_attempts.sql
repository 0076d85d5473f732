-- Queuack schema version 9: every attempt that failed (to be retried, dead, or lost with its worker), kept with
-- its error and stack trace; a job's row holds only its latest attempt. Written in the transaction that stores
-- the failure; deleted with the job by a purge.

CREATE TABLE job_attempts (
    job_id        BIGINT    NOT NULL,
    attempt       INTEGER   NOT NULL,
    worker        VARCHAR,
    started_at    TIMESTAMP,
    finished_at   TIMESTAMP NOT NULL,
    status        VARCHAR   NOT NULL,  -- failed or dead
    error_type    VARCHAR,
    error_message VARCHAR,
    error_trace   VARCHAR
);
