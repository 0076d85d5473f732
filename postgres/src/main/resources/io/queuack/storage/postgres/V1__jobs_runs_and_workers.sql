-- Queuack on PostgreSQL, schema version 1: the tables of the DuckDB store (same names and columns, so that
-- a user's queries and the copy between stores work on both), plus the indexes and the registry of worker
-- processes that a store shared by many processes needs. All times are UTC, in columns without a time zone.
-- Statements are separated by semicolons at line ends.

CREATE SEQUENCE queuack_job_ids;
CREATE SEQUENCE queuack_run_ids;

-- Hands out n consecutive ids of a sequence in one call (a batch of a million jobs takes one round trip, not a
-- million nextval calls). The block is reserved under a session advisory lock held for the two calls only, so
-- blocks of concurrent callers never overlap; every id the library uses comes from here.
CREATE FUNCTION queuack_take_ids(sequence_name regclass, n integer) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    first bigint;
BEGIN
    PERFORM pg_advisory_lock(hashtext(sequence_name::text));
    BEGIN
        first := nextval(sequence_name);
        IF n > 1 THEN
            PERFORM setval(sequence_name, first + n - 1);
        END IF;
    EXCEPTION WHEN OTHERS OR query_canceled THEN
        PERFORM pg_advisory_unlock(hashtext(sequence_name::text));
        RAISE;
    END;
    PERFORM pg_advisory_unlock(hashtext(sequence_name::text));
    RETURN first;
END $$;

CREATE TABLE jobs (
    id                 BIGINT PRIMARY KEY,  -- from queuack_take_ids('queuack_job_ids', n)
    queue              TEXT             NOT NULL,
    task               TEXT             NOT NULL,
    session_id         TEXT,             -- set for in-process (lambda) jobs: only that session can run them
    arguments          TEXT,             -- JSON
    status             TEXT             NOT NULL,
    priority           SMALLINT         NOT NULL,  -- 0..100, higher first
    attempts           INTEGER          NOT NULL,
    max_attempts       INTEGER          NOT NULL,
    backoff_initial_ms BIGINT           NOT NULL,
    backoff_multiplier DOUBLE PRECISION NOT NULL,
    backoff_max_ms     BIGINT           NOT NULL,
    backoff_jitter     DOUBLE PRECISION NOT NULL,
    timeout_ms         BIGINT,           -- per attempt; NULL = no limit
    idempotency_key    TEXT,
    created_at         TIMESTAMP        NOT NULL,
    run_at             TIMESTAMP        NOT NULL,  -- earliest next start
    expires_at         TIMESTAMP,        -- time-to-live end
    owner              TEXT,             -- worker pool holding the job while running
    worker             TEXT,             -- worker pool that claimed its latest attempt (kept afterwards)
    lease_until        TIMESTAMP,        -- recovered by any live process after this unless renewed
    started_at         TIMESTAMP,
    finished_at        TIMESTAMP,
    progress           DOUBLE PRECISION NOT NULL DEFAULT 0,
    message            TEXT,
    result             TEXT,             -- JSON
    error_type         TEXT,
    error_message      TEXT,
    error_trace        TEXT,
    run_id             BIGINT,
    root_run_id        BIGINT,
    node               TEXT,             -- the task's name within its DAG run
    dag                TEXT,             -- the DAG whose registration runs it (claims match on it)
    dependency_mode    TEXT,             -- all, any (DAG tasks with upstream tasks)
    cache_key          TEXT,             -- task + inputs, for reusing results of unchanged tasks
    started_attempt    INTEGER,          -- the running attempt has started if started_attempt = attempts
    unstarted_losses   INTEGER          NOT NULL DEFAULT 0,
    outcome_seq        BIGINT,
    reused             BOOLEAN          NOT NULL DEFAULT false
);

-- Claims: due jobs of a queue in claim order, among the waiting ones only.
CREATE INDEX jobs_claim ON jobs (queue, priority DESC, run_at, id) WHERE status IN ('pending', 'failed');
-- Lease recovery and renewal.
CREATE INDEX jobs_running ON jobs (owner, lease_until) WHERE status = 'running';
CREATE UNIQUE INDEX jobs_idempotency_key ON jobs (idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX jobs_run ON jobs (run_id) WHERE run_id IS NOT NULL;
CREATE INDEX jobs_root_run ON jobs (root_run_id) WHERE root_run_id IS NOT NULL;
CREATE INDEX jobs_cache_key ON jobs (cache_key) WHERE cache_key IS NOT NULL;
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;
CREATE INDEX jobs_session ON jobs (session_id) WHERE session_id IS NOT NULL;
CREATE INDEX jobs_expiring ON jobs (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE queues (
    name       TEXT      PRIMARY KEY,
    paused     BOOLEAN   NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE dag_runs (
    id              BIGINT    PRIMARY KEY,  -- from queuack_take_ids('queuack_run_ids', 1)
    dag             TEXT      NOT NULL,
    status          TEXT      NOT NULL,  -- running, succeeded, failed, cancelled
    parameters      TEXT,                -- JSON
    options         TEXT,                -- JSON: run options (concurrency limit, result reuse)
    parent_job_id   BIGINT,              -- for a sub-run (sub-DAG, fan-out): the job that spawned it
    root_run_id     BIGINT    NOT NULL,  -- the top-level run of its tree (its own id at the top)
    idempotency_key TEXT,
    created_at      TIMESTAMP NOT NULL,
    finished_at     TIMESTAMP,
    first_job_id    BIGINT,              -- the lowest and highest id of its jobs
    last_job_id     BIGINT,
    task_count      INTEGER   NOT NULL,
    unfinished      INTEGER   NOT NULL,  -- tasks not in a terminal status (kept by each change: no recount)
    lost            INTEGER   NOT NULL   -- tasks DEAD, CANCELLED, EXPIRED or ORPHANED (they fail the run)
);

CREATE UNIQUE INDEX dag_runs_idempotency_key ON dag_runs (idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX dag_runs_parent_job ON dag_runs (parent_job_id) WHERE parent_job_id IS NOT NULL;
CREATE INDEX dag_runs_root ON dag_runs (root_run_id);
CREATE INDEX dag_runs_dag ON dag_runs (dag, id);

CREATE TABLE job_dependencies (
    child_id  BIGINT NOT NULL,
    parent_id BIGINT NOT NULL,
    PRIMARY KEY (child_id, parent_id)
);
CREATE INDEX job_dependencies_parent ON job_dependencies (parent_id);

-- The worker processes (pools) that use the store, kept by their heartbeats: any of them recovers the
-- jobs of one whose heartbeat stopped once their leases end.
CREATE TABLE queuack_workers (
    id           TEXT      PRIMARY KEY,  -- the pool's id (host:pid:pool-n:random)
    host         TEXT      NOT NULL,
    pid          BIGINT    NOT NULL,
    queues       TEXT      NOT NULL,     -- the queues it claims from, as shown
    concurrency  INTEGER   NOT NULL,
    started_at   TIMESTAMP NOT NULL,
    heartbeat_at TIMESTAMP NOT NULL,
    stopped_at   TIMESTAMP,             -- set when it stopped cleanly
    held_jobs    INTEGER   NOT NULL     -- jobs it held (running or about to) at its latest heartbeat
);

-- Sessions that listen to job-level changes of other processes (a notebook following a run, a dashboard),
-- kept by their heartbeats: while one is fresh, every process sends its jobs' status changes and progress
-- with its notifications; otherwise only wake-ups, run changes and pauses, which cost far less.
CREATE TABLE queuack_listeners (
    id           TEXT      PRIMARY KEY,  -- the listening store's id
    heartbeat_at TIMESTAMP NOT NULL      -- the server's clock
);
