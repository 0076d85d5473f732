package io.queuack.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.error.StorageException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The funnel's contract, with a committer that records its groups: grouping, hand-over, failures. */
class WriteFunnelTest {

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    /** A write of one number; the committer doubles it. */
    private static final class Number extends WriteFunnel.Request<Integer> {
        final int value;
        volatile boolean committedBeforeReturn;

        Number(int value) {
            this.value = value;
        }
    }

    @Test
    void aLoneWriteCommitsAtOnceInItsCallersThread() {
        List<Thread> committers = new ArrayList<>();
        WriteFunnel<Number> funnel = new WriteFunnel<>(group -> {
            committers.add(Thread.currentThread());
            group.forEach(write -> write.succeed(write.value * 2));
        });
        assertEquals(42, funnel.write(new Number(21)).outcome());
        assertEquals(List.of(Thread.currentThread()), committers);
    }

    @Test
    void writesThatArriveDuringACommitGoInTheNextGroupAndReturnOnlyOnceItCommitted() throws Exception {
        HoldingCommitter committer = new HoldingCommitter(group -> group.forEach(write -> {
            write.committedBeforeReturn = true;
            write.succeed(write.value * 2);
        }));
        WriteFunnel<Number> funnel = new WriteFunnel<>(committer);
        Future<Integer> first = threads.submit(() -> funnel.write(new Number(0)).outcome());
        await(committer.firstStarted);
        List<Future<Number>> waiting = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            int value = i;
            waiting.add(threads.submit(() -> funnel.write(new Number(value))));
        }
        awaitInLine(funnel, 8);
        assertTrue(waiting.stream().noneMatch(Future::isDone), "no write returned before the commit before it ended");
        committer.releaseFirst.countDown();
        assertEquals(0, first.get(10, TimeUnit.SECONDS));
        int sum = 0;
        for (Future<Number> write : waiting) {
            Number settled = write.get(10, TimeUnit.SECONDS);
            assertTrue(settled.committedBeforeReturn);
            sum += settled.outcome();
        }
        assertEquals(2 * (1 + 2 + 3 + 4 + 5 + 6 + 7), sum);
        assertEquals(List.of(1, 7), committer.groupSizes, "the seven writes that lined up meanwhile were one group");
    }

    @Test
    void aWriteTheCommitterFailsFailsAloneAndTheFunnelGoesOn() {
        WriteFunnel<Number> funnel = new WriteFunnel<>(group -> group.forEach(write -> {
            if (write.value < 0) {
                write.fail(new IllegalArgumentException("negative: " + write.value));
            } else {
                write.succeed(write.value);
            }
        }));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> funnel.write(new Number(-1)).outcome());
        assertEquals("negative: -1", refused.getMessage());
        assertEquals(5, funnel.write(new Number(5)).outcome());
    }

    @Test
    void aCommitterThatThrowsFailsEveryWriteOfItsGroupWithThatException() {
        AtomicInteger commits = new AtomicInteger();
        IllegalStateException disk = new IllegalStateException("disk unplugged");
        WriteFunnel<Number> funnel = new WriteFunnel<>(group -> {
            if (commits.incrementAndGet() == 1) {
                throw disk;
            }
            group.forEach(write -> write.succeed(write.value));
        });
        assertSame(disk, assertThrows(IllegalStateException.class, () -> funnel.write(new Number(1)).outcome()));
        assertEquals(2, funnel.write(new Number(2)).outcome());
    }

    @Test
    void anErrorOfTheCommitterReachesItsCallerAndTheOthersGetAStorageException() throws Exception {
        AtomicInteger commits = new AtomicInteger();
        HoldingCommitter committer = new HoldingCommitter(group -> {
            if (commits.incrementAndGet() > 1) {
                throw new OutOfMemoryError("injected");
            }
            group.forEach(write -> write.succeed(write.value));
        });
        WriteFunnel<Number> funnel = new WriteFunnel<>(committer);
        Future<Integer> first = threads.submit(() -> funnel.write(new Number(0)).outcome());
        await(committer.firstStarted);
        Future<Integer> leader = threads.submit(() -> funnel.write(new Number(1)).outcome());
        Future<Integer> follower = threads.submit(() -> funnel.write(new Number(2)).outcome());
        awaitInLine(funnel, 3);
        committer.releaseFirst.countDown();
        assertEquals(0, first.get(10, TimeUnit.SECONDS));
        List<Throwable> causes = new ArrayList<>();
        for (Future<Integer> write : List.of(leader, follower)) {
            try {
                write.get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                causes.add(e.getCause());
            }
        }
        assertEquals(2, causes.size(), "both writes failed");
        assertEquals(1, causes.stream().filter(OutOfMemoryError.class::isInstance).count(), causes.toString());
        assertEquals(1, causes.stream().filter(StorageException.class::isInstance).count(), causes.toString());
    }

    @Test
    void aWriteTheCommitterForgotFailsInsteadOfHanging() {
        WriteFunnel<Number> funnel = new WriteFunnel<>(group -> { });
        IllegalStateException forgotten = assertThrows(IllegalStateException.class,
                () -> funnel.write(new Number(1)).outcome());
        assertTrue(forgotten.getMessage().contains("unsettled"));
    }

    @Test
    void noGroupIsLargerThanTheLimit() throws Exception {
        HoldingCommitter committer = new HoldingCommitter(group -> group.forEach(write -> write.succeed(write.value)));
        WriteFunnel<Number> funnel = new WriteFunnel<>(committer);
        Future<Integer> first = threads.submit(() -> funnel.write(new Number(0)).outcome());
        await(committer.firstStarted);
        int behind = WriteFunnel.MAX_GROUP + 10;
        List<Future<Integer>> waiting = new ArrayList<>();
        for (int i = 0; i < behind; i++) {
            waiting.add(threads.submit(() -> funnel.write(new Number(1)).outcome()));
        }
        awaitInLine(funnel, behind + 1);
        committer.releaseFirst.countDown();
        first.get(10, TimeUnit.SECONDS);
        for (Future<Integer> write : waiting) {
            write.get(30, TimeUnit.SECONDS);
        }
        assertEquals(behind + 1, committer.groupSizes.stream().mapToInt(Integer::intValue).sum());
        assertTrue(committer.groupSizes.stream().allMatch(size -> size <= WriteFunnel.MAX_GROUP),
                committer.groupSizes.toString());
    }

    /** Records each group's size and holds the first group until {@link #releaseFirst} opens. */
    private static final class HoldingCommitter implements WriteFunnel.Committer<Number> {
        final CountDownLatch firstStarted = new CountDownLatch(1);
        final CountDownLatch releaseFirst = new CountDownLatch(1);
        final List<Integer> groupSizes = Collections.synchronizedList(new ArrayList<>());
        private final WriteFunnel.Committer<Number> settle;

        HoldingCommitter(WriteFunnel.Committer<Number> settle) {
            this.settle = settle;
        }

        @Override
        public void commit(List<Number> group) {
            groupSizes.add(group.size());
            if (groupSizes.size() == 1) {
                firstStarted.countDown();
                await(releaseFirst);
            }
            settle.commit(group);
        }
    }

    /** Waits (bounded) until {@code count} writes are in the funnel's line, the committing group included. */
    private static void awaitInLine(WriteFunnel<?> funnel, int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (funnel.inLine() < count) {
            assertTrue(System.nanoTime() < deadline, "only " + funnel.inLine() + " of " + count + " writes lined up");
            Thread.onSpinWait();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
