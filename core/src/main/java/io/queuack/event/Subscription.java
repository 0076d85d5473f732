package io.queuack.event;

/** A registered listener; close it to stop receiving events. Closing twice does nothing. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

    @Override
    void close();
}
