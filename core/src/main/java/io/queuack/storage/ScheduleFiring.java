package io.queuack.storage;

import java.util.List;
import java.util.Objects;

/**
 * What firing a schedule writes, in one transaction: the schedule row moved on (only if it still has the
 * version it was read with, so that of two processes firing the same slot one wins), and the jobs or DAG runs
 * of its slots, each with the slot's idempotency key.
 *
 * @param expectedVersion the version the schedule was read with
 * @param row             the schedule after firing (next fire time and latest slot moved on)
 * @param jobs            jobs to insert (task schedules), one per slot, keyed
 * @param runs            DAG runs to insert (DAG schedules), one per slot, keyed
 */
public record ScheduleFiring(long expectedVersion, ScheduleRow row, List<JobBatch> jobs, List<RunPlan> runs) {

    public ScheduleFiring {
        Objects.requireNonNull(row, "row");
        jobs = List.copyOf(jobs);
        runs = List.copyOf(runs);
    }
}
