package io.queuack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.error.StorageException;
import io.queuack.job.Job;
import io.queuack.job.JobStatus;
import io.queuack.storage.Completion;
import io.queuack.storage.CycleRequest;
import io.queuack.storage.Storage;
import io.queuack.storage.duckdb.DuckDbStorage;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A real DuckDB file whose round trips fail on purpose: storage refuses one job's outcome for good, or is
 * down for a while. One refused outcome never holds back the others, the pool's storage thread never ends,
 * and every job ends with a stored outcome.
 */
class StorageFaultTest extends QueueTestBase {

    /** Refuses round trips that carry the outcome of {@link #poison}, and the next {@link #downFor} round trips. */
    private static final class Faults implements InvocationHandler {
        private final Storage real;
        final AtomicLong poison = new AtomicLong(-1);
        final AtomicInteger downFor = new AtomicInteger();
        final List<Long> refusedCycles = new ArrayList<>();

        Faults(Storage real) {
            this.real = real;
        }

        @Override
        public Object invoke(Object proxy, java.lang.reflect.Method method, Object[] args) throws Throwable {
            if (method.getName().equals("cycle")) {
                CycleRequest request = (CycleRequest) args[0];
                if (downFor.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    throw new StorageException("disk unplugged (injected)", null);
                }
                for (Completion completion : request.completions()) {
                    if (completion.jobId() == poison.get() && completion.status() != JobStatus.DEAD) {
                        synchronized (refusedCycles) {
                            refusedCycles.add(completion.jobId());
                        }
                        throw new StorageException("value out of range (injected)", null);
                    }
                }
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }

    private Faults faults;

    private Queuack openFaulty() {
        return closeLater(Queuack.builder().storage(() -> {
            faults = new Faults(DuckDbStorage.open(dir.resolve("faulty.duckdb")));
            return (Storage) Proxy.newProxyInstance(Storage.class.getClassLoader(), new Class<?>[] {Storage.class},
                    faults);
        }).open());
    }

    @Test
    void anOutcomeStorageRefusesIsStoredAsDeadAndTheOthersAreStored() {
        Queuack queue = openFaulty();
        queue.register("echo", Integer.class, (ctx, n) -> n);
        List<Long> ids = queue.enqueueAll("echo", List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
        long poison = ids.get(4);
        faults.poison.set(poison);
        try (WorkerPool pool = queue.workers().concurrency(2).start()) {
            for (long id : ids) {
                if (id != poison) {
                    assertEquals(JobStatus.SUCCEEDED, queue.await(id, Waits.LONG).status(), "job " + id);
                }
            }
            Job refused = Waits.awaitStatus(queue, poison, JobStatus.DEAD);
            assertEquals("io.queuack.OutcomeNotStored", refused.error().type());
            assertTrue(refused.error().message().contains("value out of range (injected)"), refused.error().message());
            long later = queue.enqueue("echo", 11);
            assertEquals(JobStatus.SUCCEEDED, queue.await(later, Waits.LONG).status(), "the pool goes on");
        }
        assertTrue(!faults.refusedCycles.isEmpty(), "the fault really fired");
    }

    @Test
    void outcomesWaitWhileStorageIsDownAndAreStoredOnceItIsBack() {
        Queuack queue = openFaulty();
        queue.register("echo", Integer.class, (ctx, n) -> n);
        try (WorkerPool pool = queue.workers().concurrency(2).start()) {
            long first = queue.enqueue("echo", 1);
            assertEquals(JobStatus.SUCCEEDED, queue.await(first, Waits.LONG).status());
            faults.downFor.set(3);
            List<Long> ids = queue.enqueueAll("echo", List.of(2, 3, 4));
            for (long id : ids) {
                assertEquals(JobStatus.SUCCEEDED, queue.await(id, Waits.LONG).status(), "job " + id);
            }
            assertEquals(0, faults.downFor.get(), "storage was down for three round trips");
        }
    }
}
