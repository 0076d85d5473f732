package io.queuack.error;

/** A method was called on a queue (or worker pool) after it was closed. */
public class QueueClosedException extends QueuackException {

    /**
     * @param what    what was closed, for the message
     * @param durable whether its jobs outlive it (a file: open it again) or were in memory (gone with it)
     */
    public QueueClosedException(String what, boolean durable) {
        super(what + " is closed. " + (durable
                ? "Open it again (Queuack.open(...) or Queuack.builder()...open()) to keep working; its jobs are stored there."
                : "Its jobs and runs were in memory and went with it; handles on them (a DagRun, a Job id) no longer"
                        + " lead anywhere. Open a new queue to go on, or use a DuckDB file to keep jobs across closes."));
    }
}
