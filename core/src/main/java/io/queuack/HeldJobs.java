package io.queuack;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The jobs this session's pools claimed and have not finished, so that a cancel reaches the thread running
 * one: at once if its pool registered it, else as soon as it does (the claim is stored before the pool
 * registers it).
 */
final class HeldJobs {

    private final Map<Long, Execution> executions = new ConcurrentHashMap<>();
    private final Set<Long> cancelOnArrival = ConcurrentHashMap.newKeySet();

    /** Tracks a job a pool of this session claimed, until {@link #release}; cancels it at once if asked meanwhile. */
    void hold(Execution execution) {
        executions.put(execution.jobId(), execution);
        if (cancelOnArrival.remove(execution.jobId())) {
            execution.cancel("cancelled by the user");
        }
    }

    void release(Execution execution) {
        executions.remove(execution.jobId(), execution);
    }

    /** Stops a job that was RUNNING when it was cancelled, if a pool of this session holds it. */
    void cancel(long jobId) {
        Execution held = executions.get(jobId);
        if (held == null) {
            cancelOnArrival.add(jobId);
            held = executions.get(jobId);
            if (held == null || !cancelOnArrival.remove(jobId)) {
                return;
            }
        }
        held.cancel("cancelled by the user");
    }
}
