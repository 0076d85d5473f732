package io.queuack.storage.memory;

import io.queuack.job.RunStatus;
import io.queuack.storage.RunRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One DAG run held by {@link MemoryStorage}, with counters that tell when it has finished. */
final class MemoryRun {

    final long id;
    final String dag;
    final String parametersJson;
    final String optionsJson;
    final Long parentJobId;
    final long rootRunId;
    final String idempotencyKey;
    final Instant createdAt;
    final List<MemoryRow> jobs = new ArrayList<>();
    RunStatus status = RunStatus.RUNNING;
    Instant finishedAt;
    /** Jobs not in a terminal status. */
    int unfinished;
    /** Jobs in a status that fails the run (DEAD, CANCELLED, EXPIRED, ORPHANED). */
    int lost;

    MemoryRun(long id, String dag, String parametersJson, String optionsJson, Long parentJobId, Long rootRunId,
              String idempotencyKey, Instant createdAt) {
        this.id = id;
        this.dag = dag;
        this.parametersJson = parametersJson;
        this.optionsJson = optionsJson;
        this.parentJobId = parentJobId;
        this.rootRunId = rootRunId == null ? id : rootRunId;
        this.idempotencyKey = idempotencyKey;
        this.createdAt = createdAt;
    }

    RunRecord toRecord() {
        return new RunRecord(id, dag, status, parametersJson, optionsJson, parentJobId, rootRunId, createdAt, finishedAt,
                jobs.size(), unfinished);
    }
}
