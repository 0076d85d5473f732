-- Queuack schema version 5: whether a DAG task's result was reused from an earlier run (instead of being
-- inferred from its message text). Jobs stored before this version said so only in their message.

ALTER TABLE jobs ADD COLUMN reused BOOLEAN DEFAULT false;
UPDATE jobs SET reused = true WHERE message = 'reused the result of an earlier run';
