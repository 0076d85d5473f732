package io.queuack;

/** A method was called on a queue (or worker pool) after it was closed. */
public class QueueClosedException extends QueuackException {

    public QueueClosedException(String what) {
        super(what + " is closed. Open it again (Queuack.open(...) or Queuack.builder()...open()) to keep working;"
                + " the stored jobs are still there.");
    }
}
