package io.queuack;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The per-run concurrency limit: how many tasks of one DAG run may execute at once, async tasks that
 * wait on their future included. A task that finds the gate full waits inside it (holding no thread)
 * and goes back to its pool's buffer when a place frees.
 */
final class RunGate {

    private final int limit;
    private final Deque<Execution> waiting = new ArrayDeque<>();
    private int inside;

    RunGate(int limit) {
        this.limit = limit;
    }

    /** @return true if {@code execution} may run now; otherwise it is kept and handed back later */
    synchronized boolean tryEnter(Execution execution) {
        if (inside < limit) {
            inside++;
            return true;
        }
        waiting.add(execution);
        return false;
    }

    /** Frees a place; the waiting executions go back to their pools to try again (ended ones are skipped there). */
    void leave() {
        List<Execution> retry;
        synchronized (this) {
            inside--;
            retry = new ArrayList<>(waiting);
            waiting.clear();
        }
        retry.forEach(Execution::requeue);
    }
}
