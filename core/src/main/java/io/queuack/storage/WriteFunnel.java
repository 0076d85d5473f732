package io.queuack.storage;

import io.queuack.error.StorageException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one place a store's writes go through: it commits what many threads ask for at the same moment in
 * one transaction (group commit), and each caller returns only once its own write is committed.
 *
 * <p>Callers line up; the first in line becomes the leader, takes everyone behind it (up to
 * {@link #MAX_GROUP}) and hands the group to the store's {@link Committer}, which runs it in one
 * transaction and settles each request with its result or its own failure. Meanwhile the next callers
 * line up behind the group, so the slower a commit, the larger the next group; a new leader also waits a
 * little (a quarter of the last commit at most) for the writers the last group released to come back, so
 * that they share its commit instead of taking turns with the others. A lone caller commits at once,
 * without a hand-off to another thread.
 *
 * <p>A backend subclasses {@link Request} for what its transactions need (the statements to run, the
 * marks to leave) and implements the committer; a request whose committer forgot it fails loudly instead
 * of hanging its caller.
 *
 * @param <R> the backend's request type
 */
public final class WriteFunnel<R extends WriteFunnel.Request<?>> {

    /** The most requests one transaction carries. */
    public static final int MAX_GROUP = 512;
    /** The longest a new leader waits for the writers of the last group to line up again. */
    static final long MAX_GATHER_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(1);

    /**
     * Runs a group of requests in one transaction and settles every one of them ({@link Request#succeed}
     * or {@link Request#fail}). Called by one thread at a time.
     *
     * @param <R> the backend's request type
     */
    @FunctionalInterface
    public interface Committer<R> {
        void commit(List<R> group);
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<R> line = new ArrayDeque<>();
    private final Committer<R> committer;
    private final Condition arrived = lock.newCondition();
    /**
     * How many writers were in line when the last group committed (its own and the ones waiting behind it):
     * as many are likely to write again at once.
     */
    private int writers = 1;
    /** How long the last commit took. */
    private long lastCommitNanos;

    public WriteFunnel(Committer<R> committer) {
        this.committer = Objects.requireNonNull(committer, "committer");
    }

    /**
     * Writes {@code request} with whatever else is waiting; returns once it is settled.
     *
     * @return {@code request}, settled: read its {@link Request#outcome()}
     */
    public <Q extends R> Q write(Q request) {
        List<R> group;
        lock.lock();
        try {
            request.wakeUp = lock.newCondition();
            line.addLast(request);
            if (line.size() >= writers) {
                arrived.signal();
            }
            while (!request.settled && line.peekFirst() != request) {
                request.wakeUp.awaitUninterruptibly();
            }
            if (request.settled) {
                return request;
            }
            gather();
            group = new ArrayList<>(Math.min(line.size(), MAX_GROUP));
            for (R waiting : line) {
                if (group.size() == MAX_GROUP) {
                    break;
                }
                group.add(waiting);
            }
        } finally {
            lock.unlock();
        }
        long started = System.nanoTime();
        try {
            committer.commit(group);
        } catch (RuntimeException | Error e) {
            for (R member : group) {
                if (!member.settled) {
                    member.fail(e instanceof RuntimeException runtime ? runtime
                            : new StorageException("The store's commit failed: " + e, e));
                }
            }
            if (e instanceof Error error) {
                settle(group, System.nanoTime() - started);
                throw error;
            }
        }
        settle(group, System.nanoTime() - started);
        return request;
    }

    /**
     * A new leader waits, a quarter of the last commit's time at most ({@link #MAX_GATHER_NANOS} at most),
     * until as many writers are in line as were when the last group committed: those that group released
     * come back with their next write, and one commit carries all instead of half of them taking turns. A
     * lone writer never waits.
     */
    private void gather() {
        long left = Math.min(MAX_GATHER_NANOS, lastCommitNanos / 4);
        while (line.size() < writers && left > 0) {
            try {
                left = arrived.awaitNanos(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }

    /** @return how many writes are in line now, the group being committed included */
    int inLine() {
        lock.lock();
        try {
            return line.size();
        } finally {
            lock.unlock();
        }
    }

    private void settle(List<R> group, long commitNanos) {
        lock.lock();
        try {
            lastCommitNanos = commitNanos;
            writers = Math.min(line.size(), MAX_GROUP);
            for (R member : group) {
                if (!member.settled) {
                    member.fail(new IllegalStateException("the store's committer left this write unsettled"));
                }
                line.removeFirstOccurrence(member);
                member.wakeUp.signal();
            }
            R next = line.peekFirst();
            if (next != null) {
                next.wakeUp.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * One write waiting in the funnel, settled by the committer with its result or its failure.
     *
     * @param <T> what the write returns to its caller
     */
    public abstract static class Request<T> {

        volatile boolean settled;
        private T result;
        private RuntimeException failure;
        Condition wakeUp;

        /** Settles this request with {@code value}, once; later settlements are ignored. */
        public final void succeed(T value) {
            if (!settled) {
                result = value;
                settled = true;
            }
        }

        /** Settles this request with {@code error}, once; later settlements are ignored. */
        public final void fail(RuntimeException error) {
            if (!settled) {
                failure = Objects.requireNonNull(error, "error");
                settled = true;
            }
        }

        /** @return whether the committer has settled this request */
        public final boolean isSettled() {
            return settled;
        }

        /**
         * @return the write's result
         * @throws RuntimeException the write's failure
         */
        public final T outcome() {
            if (failure != null) {
                throw failure;
            }
            return result;
        }
    }
}
