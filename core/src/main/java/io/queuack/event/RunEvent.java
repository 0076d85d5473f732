package io.queuack.event;

import io.queuack.job.RunStatus;
import java.time.Instant;

/**
 * A DAG run changed status (the change is stored before the event is delivered).
 *
 * @param runId the run
 * @param dag   its DAG's name
 * @param from  status before
 * @param to    status now
 * @param at    when
 */
public record RunEvent(long runId, String dag, RunStatus from, RunStatus to, Instant at) {
}
