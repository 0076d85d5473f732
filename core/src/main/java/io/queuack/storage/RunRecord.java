package io.queuack.storage;

import io.queuack.job.RunStatus;
import java.time.Instant;

/**
 * A stored DAG run.
 *
 * @param id             run id
 * @param dag            the DAG's name
 * @param status         its status
 * @param parametersJson its parameters as JSON, or null
 * @param optionsJson    its options as JSON, or null
 * @param parentJobId    the job that spawned it (sub-runs), or null
 * @param rootRunId      the top-level run of its tree (itself for a top-level run)
 * @param createdAt      submission time
 * @param finishedAt     when it finished, or null
 * @param taskCount      how many tasks it has
 * @param unfinished     how many of them are not finished yet (kept current by every change: no recount)
 */
public record RunRecord(long id, String dag, RunStatus status, String parametersJson, String optionsJson,
                        Long parentJobId, long rootRunId, Instant createdAt, Instant finishedAt, int taskCount,
                        int unfinished) {
}
