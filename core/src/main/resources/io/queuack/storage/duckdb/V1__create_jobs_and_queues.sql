-- Queuack schema version 1: jobs and queues.
-- All times are UTC. Statements are separated by semicolons at line ends.
-- No primary-key index on jobs.id: ids are assigned in ascending order by the single process that
-- holds the file, so DuckDB's min/max zone maps already find rows by id, and an ART index made
-- batched updates about 3x slower (see docs/performance.md).

CREATE TABLE jobs (
    id                 BIGINT    NOT NULL,
    queue              VARCHAR   NOT NULL,
    task               VARCHAR   NOT NULL,
    session_id         VARCHAR,             -- set for in-process (lambda) jobs: only that session can run them
    arguments          VARCHAR,             -- JSON
    status             VARCHAR   NOT NULL,  -- pending, running, succeeded, failed, dead, cancelled, expired, orphaned
    priority           SMALLINT  NOT NULL,  -- 0..100, higher first
    attempts           INTEGER   NOT NULL,
    max_attempts       INTEGER   NOT NULL,
    backoff_initial_ms BIGINT    NOT NULL,
    backoff_multiplier DOUBLE    NOT NULL,
    backoff_max_ms     BIGINT    NOT NULL,
    backoff_jitter     DOUBLE    NOT NULL,
    timeout_ms         BIGINT,              -- per attempt; NULL = no limit
    idempotency_key    VARCHAR,
    created_at         TIMESTAMP NOT NULL,
    run_at             TIMESTAMP NOT NULL,  -- earliest next start
    expires_at         TIMESTAMP,           -- time-to-live end
    owner              VARCHAR,             -- worker pool holding the job while running
    lease_until        TIMESTAMP,           -- visibility timeout: recovered after this unless renewed
    started_at         TIMESTAMP,
    finished_at        TIMESTAMP,
    progress           DOUBLE    NOT NULL DEFAULT 0,
    message            VARCHAR,
    result             VARCHAR,             -- JSON
    error_type         VARCHAR,
    error_message      VARCHAR,
    error_trace        VARCHAR
);

CREATE TABLE queues (
    name       VARCHAR   PRIMARY KEY,
    paused     BOOLEAN   NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
