-- Queuack schema version 7: recurring schedules. The definition is JSON the library reads; the store finds due
-- schedules by next_fire_at and guards every change by version, so two processes never fire one slot twice.

CREATE TABLE schedules (
    name         VARCHAR   PRIMARY KEY,
    definition   VARCHAR   NOT NULL,  -- JSON: timing, zone, what each slot starts, missed-slot policy
    dag          VARCHAR,             -- the DAG it starts runs of (NULL for a task schedule)
    paused       BOOLEAN   NOT NULL,
    next_fire_at TIMESTAMP,           -- NULL when its timing has no more slots
    last_slot    TIMESTAMP,
    version      BIGINT    NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
