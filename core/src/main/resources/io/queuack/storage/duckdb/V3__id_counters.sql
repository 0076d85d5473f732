-- Queuack schema version 3: the highest job and run ids ever handed out, so that ids are never handed
-- out again after a purge deleted the newest jobs (a caller may still hold an old id). Purge records
-- them before it deletes; on open the next id is above both the stored ids and these marks.

CREATE TABLE queuack_counters (
    name  VARCHAR NOT NULL PRIMARY KEY,  -- jobs, dag_runs
    value BIGINT  NOT NULL
);
