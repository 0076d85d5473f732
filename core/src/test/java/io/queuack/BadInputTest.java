package io.queuack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.error.JobNotFoundException;
import io.queuack.error.QueuackException;
import io.queuack.error.QueueClosedException;
import io.queuack.error.StorageException;
import io.queuack.error.UnknownTaskException;
import io.queuack.job.Backoff;
import io.queuack.job.IllegalJobStateException;
import io.queuack.job.Job;
import io.queuack.job.JobOptions;
import io.queuack.job.JobQuery;
import io.queuack.job.JobRequest;
import io.queuack.job.JobStatus;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every public entry point given bad input: the exception is clear (it says what was wrong and what to
 * do) and the stored jobs are exactly as they were.
 */
class BadInputTest extends QueueTestBase {

    private static <T extends Throwable> T fails(Class<T> type, Executable call, String... mentions) {
        T thrown = assertThrows(type, call);
        for (String text : mentions) {
            assertTrue(thrown.getMessage().contains(text), "message should mention '" + text + "': " + thrown.getMessage());
        }
        return thrown;
    }

    private Queuack withJobs(Backend backend) {
        Queuack queue = open(backend);
        queue.register("known", String.class, (ctx, s) -> s);
        queue.enqueueAll("known", List.of("a", "b", "c"));
        return queue;
    }

    private static List<Job> snapshot(Queuack queue) {
        return queue.jobs(JobQuery.all().limit(1000));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void enqueueRejectsBadCallsAndStoresNothing(Backend backend) {
        Queuack queue = withJobs(backend);
        List<Job> before = snapshot(queue);

        fails(UnknownTaskException.class, () -> queue.enqueue("unknown", "x"), "unknown", "register", "[known]");
        fails(IllegalArgumentException.class, () -> queue.enqueue("known", new Object()),
                "java.lang.Object", "cannot be stored as JSON");
        fails(IllegalArgumentException.class, () -> queue.enqueueAll("known", Arrays.asList("ok", new Object(), "ok")),
                "cannot be stored as JSON");
        fails(IllegalArgumentException.class, () -> queue.enqueue("known", "x",
                JobOptions.defaults().delay(Duration.ofSeconds(5)).ttl(Duration.ofSeconds(1))), "expire unrun");
        fails(IllegalArgumentException.class, () -> queue.enqueueAll("known", List.of("a", "b"),
                JobOptions.defaults().idempotencyKey("k")), "key per request");
        fails(UnknownTaskException.class, () -> queue.enqueueAll(List.of(JobRequest.of("known", "ok"),
                JobRequest.of("missing", "x"))), "missing");
        fails(NullPointerException.class, () -> queue.enqueue((String) null, "x"));
        fails(NullPointerException.class, () -> queue.enqueue("known", "x", null));

        assertEquals(before, snapshot(queue));
    }

    @Test
    void optionsNameTheLimitTheyEnforce() {
        JobOptions options = JobOptions.defaults();
        fails(IllegalArgumentException.class, () -> options.delay(Duration.ofSeconds(-1)), "zero or more", "PT-1S");
        fails(IllegalArgumentException.class, () -> options.priority(101), "between 0 and 100", "101");
        fails(IllegalArgumentException.class, () -> options.priority(-1), "between 0 and 100");
        fails(IllegalArgumentException.class, () -> options.maxAttempts(0), "between 1 and 1000");
        fails(IllegalArgumentException.class, () -> options.timeout(Duration.ZERO), "timeout must be positive");
        fails(IllegalArgumentException.class, () -> options.ttl(Duration.ofSeconds(-5)), "ttl must be positive");
        fails(IllegalArgumentException.class, () -> options.idempotencyKey(" "), "not blank");
        fails(IllegalArgumentException.class, () -> options.queue("no spaces"), "Queue name", "no spaces");
        fails(IllegalArgumentException.class, () -> Backoff.exponential(Duration.ofSeconds(1), 0.5,
                Duration.ofSeconds(10), 0), "multiplier", "at least 1");
        fails(IllegalArgumentException.class, () -> Backoff.exponential(Duration.ofSeconds(10), 2,
                Duration.ofSeconds(1), 0), "at least the initial wait");
        fails(IllegalArgumentException.class, () -> Backoff.exponential(Duration.ofSeconds(1), 2,
                Duration.ofSeconds(10), 1.5), "jitter", "between 0 and 1");
        fails(IllegalArgumentException.class, () -> Backpressure.warnAt(100).rejectAbove(10), "below the warning");
        fails(IllegalArgumentException.class, () -> Queuack.builder().maxResultBytes(0), "between 1 and");
        fails(IllegalArgumentException.class, () -> Queuack.builder().duckdbThreads(0), "DuckDB threads", "1 and 256");
        fails(IllegalArgumentException.class, () -> JobQuery.all().limit(0), "between 1 and");
        fails(IllegalArgumentException.class, () -> JobQuery.all().status(java.util.Set.of()), "at least one status");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void registrationAndPoolSettingsAreChecked(Backend backend) {
        Queuack queue = withJobs(backend);
        List<Job> before = snapshot(queue);
        fails(IllegalArgumentException.class, () -> queue.register("has space", ctx -> null), "Task name");
        fails(IllegalArgumentException.class, () -> queue.register("lambda:7", ctx -> null), "reserved");
        fails(IllegalArgumentException.class, () -> queue.workers().concurrency(0), "between 1 and 1024");
        fails(IllegalArgumentException.class, () -> queue.workers().queue("q", 0), "weight", "between 1 and 1000");
        fails(IllegalArgumentException.class, () -> queue.workers().visibilityTimeout(Duration.ZERO), "visibilityTimeout");
        fails(IllegalArgumentException.class, () -> queue.workers().pollInterval(Duration.ofMillis(1)), "pollInterval");
        assertEquals(before, snapshot(queue));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void operationsOnMissingOrUnsuitableJobsExplainThemselves(Backend backend) {
        Queuack queue = withJobs(backend);
        long pending = snapshot(queue).get(0).id();
        List<Job> before = snapshot(queue);
        fails(JobNotFoundException.class, () -> queue.retry(987_654L), "987654", "purged");
        fails(JobNotFoundException.class, () -> queue.cancel(987_654L), "987654");
        fails(IllegalJobStateException.class, () -> queue.retry(pending), "PENDING", "can be retried");
        fails(IllegalJobStateException.class, () -> queue.result(pending, String.class), "only a SUCCEEDED job");
        fails(IllegalArgumentException.class, () -> queue.purge(Duration.ZERO, JobStatus.PENDING), "Only finished jobs");
        fails(IllegalArgumentException.class, () -> queue.purge(Duration.ofSeconds(-1), JobStatus.DEAD), "zero or more");
        fails(IllegalArgumentException.class, () -> queue.pause("bad name"), "Queue name");
        assertEquals(before, snapshot(queue));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aClosedQueueSaysSoAndHowToReopen(Backend backend) {
        Queuack queue = withJobs(backend);
        queue.close();
        QueueClosedException closed = fails(QueueClosedException.class, () -> queue.enqueue("known", "x"), "is closed");
        assertTrue(closed.getMessage().contains(backend == Backend.MEMORY ? "in-memory" : "DuckDB file"), closed.getMessage());
        assertTrue(closed.getMessage().contains(backend == Backend.MEMORY ? "were in memory and went with it"
                : "Open it again"), "in-memory jobs are not said to be still there: " + closed.getMessage());
        fails(QueueClosedException.class, () -> queue.job(1));
        fails(QueueClosedException.class, queue::stats);
        fails(QueueClosedException.class, queue::workers);
        fails(QueueClosedException.class, () -> queue.register("x", ctx -> null));
        queue.close();
    }

    @Test
    void aFileOpenTwiceInOneJvmIsRefused() {
        Queuack first = open(Backend.DUCKDB_FILE);
        QueuackException twice = fails(QueuackException.class, () -> Queuack.open(dir.resolve("queue.duckdb")),
                "already open in this JVM", "Queuack.closeAll()");
        assertTrue(twice.getMessage().contains(dir.resolve("queue.duckdb").toString()));
        first.close();
        closeLater(Queuack.open(dir.resolve("queue.duckdb")));
    }

    @Test
    void closeAllClosesQueuesWhoseReferenceWasLost() {
        Queuack lost = Queuack.open(dir.resolve("lost.duckdb"));
        assertTrue(Queuack.closeAll() >= 1);
        assertTrue(lost.isClosed());
        closeLater(Queuack.open(dir.resolve("lost.duckdb")));
    }

    @Test
    void aFileThatIsNotADatabaseIsRefusedUntouched() throws java.io.IOException {
        java.nio.file.Path notes = dir.resolve("notes.txt");
        java.nio.file.Files.writeString(notes, "not a database");
        fails(StorageException.class, () -> Queuack.open(notes), "notes.txt", "not a valid DuckDB database", "queue file");
        assertEquals("not a database", java.nio.file.Files.readString(notes));
        closeLater(Queuack.open(dir.resolve("fine.duckdb")));
    }

    @Test
    void aDirectoryIsNotAQueueFile() {
        fails(IllegalArgumentException.class, () -> Queuack.open(dir), "is a directory", "queue.duckdb");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void progressOutOfRangeFailsTheAttemptWithAClearError(Backend backend) {
        Queuack queue = open(backend);
        queue.register("bad-progress", ctx -> {
            ctx.progress(1.5);
            return null;
        });
        long id = queue.enqueue("bad-progress", null, JobOptions.defaults().maxAttempts(1));
        closeLater(queue.workers().start());
        Job dead = Waits.awaitStatus(queue, id, JobStatus.DEAD);
        assertEquals("java.lang.IllegalArgumentException", dead.error().type());
        assertTrue(dead.error().message().contains("between 0 and 1, was 1.5"));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void anArgumentThatDoesNotFitTheTaskTypeFailsWithoutRetry(Backend backend) {
        Queuack queue = open(backend);
        queue.register("numbers", Integer.class, (ctx, n) -> n + 1);
        queue.register("text", String.class, (ctx, s) -> s);
        long id = queue.enqueue("text", "not a number");
        queue.register("text", Integer.class, (ctx, n) -> n);
        closeLater(queue.workers().start());
        Job dead = Waits.awaitStatus(queue, id, JobStatus.DEAD);
        assertEquals(1, dead.attempts());
        assertTrue(dead.error().message().contains("java.lang.Integer"), dead.error().message());
    }
}
