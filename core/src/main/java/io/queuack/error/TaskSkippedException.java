package io.queuack.error;

/**
 * Thrown by a DAG task (or by its condition) to end as SKIPPED instead of SUCCEEDED: nothing failed, the
 * work did not apply. Downstream tasks in ALL mode are skipped in turn; the run does not fail.
 */
public class TaskSkippedException extends QueuackException {

    public TaskSkippedException(String reason) {
        super(reason);
    }
}
