-- Queuack on PostgreSQL, schema version 2: recurring schedules (as DuckDB's version 7). The definition is JSON
-- the library reads; every change is guarded by version, so of two hosts firing one slot only one writes it.

CREATE TABLE schedules (
    name         TEXT      PRIMARY KEY,
    definition   TEXT      NOT NULL,  -- JSON: timing, zone, what each slot starts, missed-slot policy
    dag          TEXT,                -- the DAG it starts runs of (NULL for a task schedule)
    paused       BOOLEAN   NOT NULL,
    next_fire_at TIMESTAMP,           -- NULL when its timing has no more slots
    last_slot    TIMESTAMP,
    version      BIGINT    NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);

CREATE INDEX schedules_due ON schedules (next_fire_at) WHERE NOT paused;
