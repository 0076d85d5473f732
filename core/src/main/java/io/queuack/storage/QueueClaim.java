package io.queuack.storage;

/**
 * Claim up to {@code limit} due jobs from one queue, highest priority first, then earliest run-at,
 * then lowest id.
 *
 * @param queue queue name
 * @param limit at most this many, at least 1
 */
public record QueueClaim(String queue, int limit) {

    public QueueClaim {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
    }
}
