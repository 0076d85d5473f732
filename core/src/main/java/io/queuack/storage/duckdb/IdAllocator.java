package io.queuack.storage.duckdb;

/**
 * Hands out ascending ids. Safe because only this process can write the file while it is open; used
 * under the store's lock. A failed transaction gives its ids back with {@link #reset}.
 */
final class IdAllocator {

    private long next;

    IdAllocator(long next) {
        this.next = next;
    }

    /** @return the first of {@code count} consecutive new ids */
    long take(int count) {
        long first = next;
        next += count;
        return first;
    }

    long mark() {
        return next;
    }

    void reset(long mark) {
        next = mark;
    }
}
