-- Queuack schema version 2: DAG runs, their tasks' place in them, and the dependencies between tasks.
-- A run's jobs are inserted in one block, so their ids are first_job_id..last_job_id: statements over a
-- run bound their scans by that range (zone maps skip the rest of the table).

CREATE TABLE dag_runs (
    id              BIGINT    NOT NULL,
    dag             VARCHAR   NOT NULL,
    status          VARCHAR   NOT NULL,  -- running, succeeded, failed, cancelled
    parameters      VARCHAR,             -- JSON
    options         VARCHAR,             -- JSON: run options (concurrency limit, result reuse)
    parent_job_id   BIGINT,              -- for a sub-run (sub-DAG, fan-out): the job that spawned it
    root_run_id     BIGINT    NOT NULL,  -- the top-level run of its tree (its own id at the top)
    idempotency_key VARCHAR,
    created_at      TIMESTAMP NOT NULL,
    finished_at     TIMESTAMP,
    first_job_id    BIGINT,
    last_job_id     BIGINT,
    task_count      INTEGER   NOT NULL,
    unfinished      INTEGER   NOT NULL,  -- tasks not in a terminal status (kept by each change: no recount)
    lost            INTEGER   NOT NULL   -- tasks DEAD, CANCELLED, EXPIRED or ORPHANED (they fail the run)
);

ALTER TABLE jobs ADD COLUMN run_id BIGINT;
ALTER TABLE jobs ADD COLUMN root_run_id BIGINT;
ALTER TABLE jobs ADD COLUMN node VARCHAR;             -- the task's name within its DAG run
ALTER TABLE jobs ADD COLUMN dag VARCHAR;              -- the DAG whose registration runs it (claims match on it)
ALTER TABLE jobs ADD COLUMN dependency_mode VARCHAR;  -- all, any (DAG tasks with upstream tasks)
ALTER TABLE jobs ADD COLUMN cache_key VARCHAR;        -- task + inputs, for reusing results of unchanged tasks

CREATE TABLE job_dependencies (
    child_id  BIGINT NOT NULL,
    parent_id BIGINT NOT NULL
);
