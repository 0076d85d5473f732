-- Queuack schema version 6: the worker pool that claimed each job's latest attempt, kept after the attempt
-- ends (owner is cleared then), so that pictures and queries can tell which worker ran a task.

ALTER TABLE jobs ADD COLUMN worker VARCHAR;
