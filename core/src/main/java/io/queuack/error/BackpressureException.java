package io.queuack.error;

/** An enqueue was refused because too many jobs already wait on the queue. */
public class BackpressureException extends QueuackException {

    private final String queue;
    private final long waiting;
    private final long limit;

    public BackpressureException(String queue, long waiting, long adding, long limit, String why) {
        super("Queue '" + queue + "' has " + waiting + " waiting jobs; adding " + adding + " would pass its limit of "
                + limit + " (" + why + "). Start or add workers, enqueue smaller batches, or raise the limit with"
                + " Queuack.builder().backpressure(...).");
        this.queue = queue;
        this.waiting = waiting;
        this.limit = limit;
    }

    public String queue() {
        return queue;
    }

    public long waiting() {
        return waiting;
    }

    public long limit() {
        return limit;
    }
}
