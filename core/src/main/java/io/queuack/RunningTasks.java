package io.queuack;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The jobs whose task code runs in this JVM right now, across all worker pools of a queue: one execution of
 * a job at a time. A task that ignored its interrupt keeps its thread after a timeout or a pool's shutdown
 * gave its attempt back; the job's next attempt waits here (holding no thread) until that code returns.
 */
final class RunningTasks {

    /** The execution whose code runs, and those waiting for it. */
    private record Running(Execution owner, Deque<Execution> waiting) {
    }

    private final Map<Long, Running> running = new HashMap<>();

    /** @return true if {@code execution} may run its task now; otherwise it is kept and handed back later */
    synchronized boolean tryEnter(Execution execution) {
        Running current = running.get(execution.jobId());
        if (current == null) {
            running.put(execution.jobId(), new Running(execution, new ArrayDeque<>()));
            return true;
        }
        current.waiting().add(execution);
        return false;
    }

    /** The code of {@code execution} returned: executions that waited for it go back to their pools. */
    void leave(Execution execution) {
        Running ended;
        synchronized (this) {
            ended = running.get(execution.jobId());
            if (ended == null || ended.owner() != execution) {
                return;
            }
            running.remove(execution.jobId());
        }
        List.copyOf(ended.waiting()).forEach(Execution::requeue);
    }
}
