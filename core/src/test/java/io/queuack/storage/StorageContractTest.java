package io.queuack.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.error.QueueClosedException;
import io.queuack.job.Attempt;
import io.queuack.job.Backoff;
import io.queuack.job.Job;
import io.queuack.job.JobError;
import io.queuack.job.JobQuery;
import io.queuack.job.JobStatus;
import io.queuack.job.QueueStats;
import io.queuack.job.Throughput;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Storage} backend must have. A backend's test extends this class and
 * says how to open a fresh, empty store; PostgreSQL and other later backends reuse it through the
 * core test jar.
 */
public abstract class StorageContractTest extends StoreFixture {

    private static final String SESSION = "session-1";

    // ---------------------------------------------------------------- helpers

    protected static JobBatch batch(String queue, String task, int count) {
        return batch(queue, task, count, 50, T0, null);
    }

    protected static JobBatch batch(String queue, String task, int count, int priority, Instant runAt, List<String> keys) {
        List<String> args = IntStream.range(0, count).mapToObj(i -> "{\"n\":" + i + "}").collect(Collectors.toList());
        return new JobBatch(queue, task, null, priority, 3, Backoff.DEFAULT, Duration.ofSeconds(5), T0, runAt, null,
                args, keys, null);
    }

    protected long[] insert(JobBatch batch) {
        return storage.insert(List.of(batch)).get(0).ids();
    }

    protected List<ClaimedJob> claim(String queue, int limit, Instant now) {
        return claim(OWNER, queue, limit, now, Set.of("t"));
    }

    protected List<ClaimedJob> claim(String owner, String queue, int limit, Instant now, Set<String> tasks) {
        return storage.cycle(CycleRequest.of(owner, SESSION, now).leaseUntil(now.plusSeconds(30))
                .claims(List.of(new QueueClaim(queue, limit)), tasks, Set.of()).build()).claimed();
    }

    /** Claims like {@link #claim(String, int, Instant)}, and stores that the claimed jobs started running. */
    protected List<ClaimedJob> claimAndStart(String queue, int limit, Instant now) {
        List<ClaimedJob> claimed = claim(queue, limit, now);
        storage.cycle(CycleRequest.of(OWNER, SESSION, now).leaseUntil(now.plusSeconds(30))
                .started(claimed.stream().map(ClaimedJob::id).toList()).build());
        return claimed;
    }

    protected Set<Long> complete(String owner, Completion... completions) {
        return storage.cycle(CycleRequest.of(owner, SESSION, T0).completions(List.of(completions)).build()).completed();
    }

    protected Job job(long id) {
        return storage.find(id).orElseThrow();
    }

    private static List<Long> ids(List<ClaimedJob> claimed) {
        return claimed.stream().map(ClaimedJob::id).collect(Collectors.toList());
    }

    // ---------------------------------------------------------------- insert

    @Test
    void insertStoresEveryFieldAndAssignsAscendingIds() {
        JobBatch batch = new JobBatch("mail", "send", null, 70, 5, Backoff.fixed(Duration.ofSeconds(2)),
                Duration.ofMillis(1500), T0, T0.plusSeconds(10), T0.plusSeconds(60), List.of("{\"to\":\"a\"}", "null"),
                null, null);
        long[] ids = insert(batch);
        assertEquals(2, ids.length);
        assertTrue(ids[1] > ids[0]);
        Job job = job(ids[0]);
        assertEquals("mail", job.queue());
        assertEquals("send", job.task());
        assertEquals(JobStatus.PENDING, job.status());
        assertEquals(70, job.priority());
        assertEquals(0, job.attempts());
        assertEquals(5, job.maxAttempts());
        assertEquals(Backoff.fixed(Duration.ofSeconds(2)), job.backoff());
        assertEquals(Duration.ofMillis(1500), job.timeout());
        assertEquals(T0, job.createdAt());
        assertEquals(T0.plusSeconds(10), job.runAt());
        assertEquals(T0.plusSeconds(60), job.expiresAt());
        assertEquals("{\"to\":\"a\"}", job.argumentsJson());
        assertFalse(job.inProcess());
        assertNull(job.startedAt());
        assertNull(job.error());
    }

    @Test
    void largeBatchesAreStoredWhole() {
        long[] ids = insert(batch("q", "t", 20_000));
        assertEquals(20_000, ids.length);
        for (int i = 1; i < ids.length; i++) {
            assertEquals(ids[i - 1] + 1, ids[i]);
        }
        assertEquals(20_000L, storage.waitingCounts().get("q"));
        assertEquals("{\"n\":19999}", job(ids[19_999]).argumentsJson());
    }

    @Test
    void idempotencyKeyReturnsTheStoredJob() {
        long[] first = insert(batch("q", "t", 2, 50, T0, Arrays.asList("a", null)));
        List<Inserted> again = storage.insert(List.of(batch("q", "t", 3, 50, T0, Arrays.asList("b", "a", "b"))));
        long[] ids = again.get(0).ids();
        assertEquals(first[0], ids[1]);
        assertEquals(ids[0], ids[2]);
        assertEquals(Set.of(1, 2), again.get(0).existing().stream().boxed().collect(Collectors.toSet()));
        assertEquals(1, again.get(0).createdCount());
        assertEquals(3L, storage.waitingCounts().get("q"));
        assertEquals("a", job(first[0]).idempotencyKey());
    }

    // ---------------------------------------------------------------- claim

    @Test
    void claimTakesHighestPriorityThenEarliestRunAtThenLowestId() {
        long low = insert(batch("q", "t", 1, 10, T0, null))[0];
        long[] normal = insert(batch("q", "t", 2, 50, T0, null));
        long high = insert(batch("q", "t", 1, 90, T0, null))[0];
        long earlier = insert(batch("q", "t", 1, 50, T0.minusSeconds(5), null))[0];
        assertEquals(List.of(high, earlier, normal[0]), ids(claim("q", 3, T0)));
        assertEquals(List.of(normal[1], low), ids(claim("q", 5, T0)));
        assertTrue(claim("q", 5, T0).isEmpty());
    }

    @Test
    void claimSetsRunningWithOwnerLeaseAndAttempt() {
        long id = insert(batch("q", "t", 1))[0];
        ClaimedJob claimed = claim("q", 1, T0).get(0);
        assertEquals(1, claimed.attempt());
        assertEquals("{\"n\":0}", claimed.argumentsJson());
        assertEquals(Duration.ofSeconds(5), claimed.timeout());
        Job job = job(id);
        assertEquals(JobStatus.RUNNING, job.status());
        assertEquals(OWNER, job.owner());
        assertEquals(OWNER, job.worker());
        assertEquals(1, job.attempts());
        assertNull(job(insert(batch("q", "t", 1))[0]).worker(), "a job that never ran has no worker");
    }

    @Test
    void claimWaitsForRunAt() {
        long later = insert(batch("q", "t", 1, 50, T0.plusSeconds(60), null))[0];
        assertTrue(claim("q", 10, T0).isEmpty());
        assertEquals(List.of(later), ids(claim("q", 10, T0.plusSeconds(60))));
    }

    @Test
    void claimTakesOnlyOfferedTasksAndTheGivenQueue() {
        insert(batch("q", "other", 2));
        insert(batch("elsewhere", "t", 2));
        long mine = insert(batch("q", "t", 1))[0];
        assertEquals(List.of(mine), ids(claim("q", 10, T0)));
        assertTrue(claim(OWNER, "q", 10, T0, Set.of()).isEmpty());
    }

    @Test
    void inProcessJobsAreClaimedOnlyByTheirSession() {
        JobBatch mine = new JobBatch("q", "t", SESSION, 50, 3, Backoff.DEFAULT, null, T0, T0, null, List.of("1"), null, null);
        JobBatch theirs = new JobBatch("q", "t", "session-2", 50, 3, Backoff.DEFAULT, null, T0, T0, null, List.of("2"), null, null);
        long myId = insert(mine)[0];
        insert(theirs);
        assertEquals(List.of(myId), ids(claim("q", 10, T0)));
        assertTrue(job(myId).inProcess());
    }

    @Test
    void claimSkipsExpiredJobsAndExpireMovesThem() {
        JobBatch expiring = new JobBatch("q", "t", null, 50, 3, Backoff.DEFAULT, null, T0, T0, T0.plusSeconds(5),
                List.of("1"), null, null);
        long id = insert(expiring)[0];
        assertTrue(claim("q", 1, T0.plusSeconds(5)).isEmpty());
        List<JobTransition> changes = storage.expire(T0.plusSeconds(5), BOOM).jobs();
        assertEquals(1, changes.size());
        assertEquals(new JobTransition(id, "q", "t", JobStatus.PENDING, JobStatus.EXPIRED, 0, BOOM), changes.get(0));
        assertEquals(JobStatus.EXPIRED, job(id).status());
        assertTrue(storage.expire(T0.plusSeconds(50), BOOM).isEmpty());
    }

    // ---------------------------------------------------------------- complete

    @Test
    void successStoresResultTimesAndProgress() {
        long id = insert(batch("q", "t", 1))[0];
        claim("q", 1, T0);
        Set<Long> done = complete(OWNER, Completion.succeeded(id, 1, T0.plusSeconds(1), T0.plusSeconds(2), "{\"ok\":true}"));
        assertEquals(Set.of(id), done);
        Job job = job(id);
        assertEquals(JobStatus.SUCCEEDED, job.status());
        assertEquals("{\"ok\":true}", job.resultJson());
        assertEquals(T0.plusSeconds(1), job.startedAt());
        assertEquals(T0.plusSeconds(2), job.finishedAt());
        assertEquals(Duration.ofSeconds(1), job.duration());
        assertEquals(1.0, job.progress());
        assertNull(job.owner());
        assertEquals(OWNER, job.worker(), "the pool that ran it is kept");
    }

    @Test
    void failureSchedulesTheRetryAndKeepsTheError() {
        long id = insert(batch("q", "t", 1))[0];
        claim("q", 1, T0);
        complete(OWNER, Completion.failed(id, 1, T0, T0.plusSeconds(1), BOOM, T0.plusSeconds(30)));
        Job job = job(id);
        assertEquals(JobStatus.FAILED, job.status());
        assertEquals(BOOM, job.error());
        assertEquals(T0.plusSeconds(30), job.runAt());
        assertTrue(claim("q", 1, T0.plusSeconds(29)).isEmpty());
        assertEquals(2, claim("q", 1, T0.plusSeconds(30)).get(0).attempt());
        complete(OWNER, Completion.succeeded(id, 2, T0, T0, null));
        assertEquals(JobStatus.SUCCEEDED, job(id).status());
        assertEquals(BOOM, job(id).error(), "the last error stays for history");
    }

    @Test
    void deadIsTerminal() {
        long id = insert(batch("q", "t", 1))[0];
        claim("q", 1, T0);
        complete(OWNER, Completion.dead(id, 1, T0, T0.plusSeconds(1), BOOM));
        assertEquals(JobStatus.DEAD, job(id).status());
        assertTrue(claim("q", 1, T0.plusSeconds(100)).isEmpty());
    }

    @Test
    void completionsAreFencedByOwnerAttemptAndStatus() {
        long[] ids = insert(batch("q", "t", 3));
        claim("q", 3, T0);
        assertTrue(complete("someone-else", Completion.succeeded(ids[0], 1, T0, T0, null)).isEmpty());
        assertTrue(complete(OWNER, Completion.succeeded(ids[1], 2, T0, T0, null)).isEmpty());
        assertFalse(storage.transition(ids[2], JobStatus.RUNNING, JobStatus.CANCELLED, T0).isEmpty());
        assertTrue(complete(OWNER, Completion.succeeded(ids[2], 1, T0, T0, null)).isEmpty());
        assertEquals(JobStatus.CANCELLED, job(ids[2]).status());
        assertEquals(Set.of(ids[0]), complete(OWNER, Completion.succeeded(ids[0], 1, T0, T0, null)));
        assertTrue(complete(OWNER, Completion.failed(ids[0], 1, T0, T0, BOOM, T0)).isEmpty(),
                "a second outcome for the same attempt is ignored");
        assertEquals(JobStatus.SUCCEEDED, job(ids[0]).status());
    }

    @Test
    void releaseGivesTheAttemptBackAndRestoresTheEarlierStatus() {
        long id = insert(batch("q", "t", 1))[0];
        claim("q", 1, T0);
        complete(OWNER, Completion.released(id, 1, T0));
        assertEquals(JobStatus.PENDING, job(id).status());
        assertEquals(0, job(id).attempts());
        claim("q", 1, T0);
        complete(OWNER, Completion.failed(id, 1, T0, T0, BOOM, T0));
        claim("q", 1, T0);
        complete(OWNER, Completion.released(id, 2, T0.plusSeconds(1)));
        Job job = job(id);
        assertEquals(JobStatus.FAILED, job.status());
        assertEquals(1, job.attempts());
        assertEquals(BOOM, job.error());
    }

    @Test
    void progressIsSavedForTheOwnerOnly() {
        long id = insert(batch("q", "t", 1))[0];
        claim("q", 1, T0);
        storage.cycle(CycleRequest.of("intruder", SESSION, T0).progress(List.of(new ProgressUpdate(id, 0.9, "x")))
                .build());
        storage.cycle(CycleRequest.of(OWNER, SESSION, T0).progress(List.of(new ProgressUpdate(id, 0.5, "half")))
                .build());
        assertEquals(0.5, job(id).progress());
        assertEquals("half", job(id).message());
    }

    // ---------------------------------------------------------------- leases and recovery

    @Test
    void renewalExtendsTheOwnersLeasesAndReportsThem() {
        long[] ids = insert(batch("q", "t", 3));
        claim("q", 2, T0);
        claim("other-pool", "q", 1, T0, Set.of("t"));
        CycleResult renewed = storage.cycle(CycleRequest.of(OWNER, SESSION, T0.plusSeconds(20))
                .leaseUntil(T0.plusSeconds(50)).renewLeases().build());
        assertEquals(Set.of(ids[0], ids[1]), renewed.renewed());
        List<JobTransition> recovered = storage.recoverExpiredLeases(T0.plusSeconds(40), BOOM).jobs();
        assertEquals(List.of(ids[2]), recovered.stream().map(JobTransition::jobId).collect(Collectors.toList()));
        assertEquals(JobStatus.RUNNING, job(ids[0]).status());
    }

    @Test
    void expiredLeasesGoBackToFailedOrToDeadWhenAttemptsAreUsedUp() {
        JobBatch once = new JobBatch("q", "t", null, 50, 1, Backoff.DEFAULT, null, T0, T0, null, List.of("1"), null, null);
        long single = insert(once)[0];
        long retried = insert(batch("q", "t", 1))[0];
        claimAndStart("q", 2, T0);
        assertTrue(storage.recoverExpiredLeases(T0.plusSeconds(29), BOOM).isEmpty());
        List<JobTransition> changes = storage.recoverExpiredLeases(T0.plusSeconds(30), BOOM).jobs();
        assertEquals(2, changes.size());
        assertEquals(JobStatus.DEAD, job(single).status());
        Job again = job(retried);
        assertEquals(JobStatus.FAILED, again.status());
        assertEquals(BOOM, again.error());
        assertNull(again.owner());
        assertEquals(List.of(retried), ids(claim("q", 5, T0.plusSeconds(30))));
        assertEquals(2, job(retried).attempts());
    }

    @Test
    void aClaimedJobThatNeverStartedIsGivenBackWithoutUsingAnAttempt() {
        long buffered = insert(batch("q", "t", 1))[0];
        long ran = insert(batch("q", "t", 1))[0];
        List<ClaimedJob> claimed = claim("q", 2, T0);
        assertEquals(2, claimed.size());
        assertTrue(claimed.stream().noneMatch(ClaimedJob::storeStartFirst));
        storage.cycle(CycleRequest.of(OWNER, SESSION, T0).leaseUntil(T0.plusSeconds(30)).started(List.of(ran)).build());
        List<JobTransition> changes = storage.recoverExpiredLeases(T0.plusSeconds(30), BOOM).jobs();
        assertEquals(2, changes.size());
        Job givenBack = job(buffered);
        assertEquals(JobStatus.PENDING, givenBack.status());
        assertEquals(0, givenBack.attempts(), "its attempt was given back");
        assertNull(givenBack.owner());
        Job charged = job(ran);
        assertEquals(JobStatus.FAILED, charged.status());
        assertEquals(1, charged.attempts());
        assertEquals(BOOM, charged.error());
        List<ClaimedJob> again = claim("q", 5, T0.plusSeconds(30));
        assertEquals(List.of(true, false), again.stream().sorted(java.util.Comparator.comparingLong(ClaimedJob::id))
                .map(ClaimedJob::storeStartFirst).toList(), "the job lost unstarted stores its next start first");
    }

    @Test
    void restartRecoveryOrphansOtherSessionsLambdasAndRecoversRunningJobs() {
        JobBatch oldLambda = new JobBatch("q", "lambda:1", "old-session", 50, 3, Backoff.DEFAULT, null, T0, T0, null,
                List.of("1"), null, null);
        JobBatch myLambda = new JobBatch("q", "lambda:1", SESSION, 50, 3, Backoff.DEFAULT, null, T0, T0, null,
                List.of("1"), null, null);
        long orphan = insert(oldLambda)[0];
        long mine = insert(myLambda)[0];
        long running = insert(batch("q", "t", 1))[0];
        long waiting = insert(batch("q", "t", 1))[0];
        claimAndStart("q", 1, T0);
        JobError lost = JobError.of("Lost", "worker gone");
        JobError orphaned = JobError.of("Orphaned", "code gone");
        List<JobTransition> changes = storage.recoverAfterRestart(SESSION, T0, lost, orphaned).jobs();
        assertEquals(JobStatus.ORPHANED, job(orphan).status());
        assertEquals(orphaned, job(orphan).error());
        assertEquals(JobStatus.PENDING, job(mine).status());
        assertEquals(JobStatus.FAILED, job(running).status());
        assertEquals(lost, job(running).error());
        assertEquals(JobStatus.PENDING, job(waiting).status());
        assertEquals(2, changes.size());
    }

    // ---------------------------------------------------------------- cancel and retry

    @Test
    void transitionsAreGuardedByTheExpectedStatus() {
        long id = insert(batch("q", "t", 1))[0];
        assertTrue(storage.transition(id, JobStatus.RUNNING, JobStatus.CANCELLED, T0).isEmpty());
        assertFalse(storage.transition(id, JobStatus.PENDING, JobStatus.CANCELLED, T0.plusSeconds(1)).isEmpty());
        assertEquals(T0.plusSeconds(1), job(id).finishedAt());
        assertTrue(storage.transition(id, JobStatus.PENDING, JobStatus.CANCELLED, T0).isEmpty());
        assertFalse(storage.transition(id, JobStatus.CANCELLED, JobStatus.PENDING, T0.plusSeconds(2)).isEmpty());
        Job retried = job(id);
        assertEquals(JobStatus.PENDING, retried.status());
        assertEquals(0, retried.attempts());
        assertEquals(T0.plusSeconds(2), retried.runAt());
        assertNull(retried.finishedAt());
        assertTrue(storage.transition(424242L, JobStatus.PENDING, JobStatus.CANCELLED, T0).isEmpty());
        assertThrows(IllegalArgumentException.class,
                () -> storage.transition(id, JobStatus.PENDING, JobStatus.SUCCEEDED, T0));
        assertThrows(IllegalArgumentException.class,
                () -> storage.transition(id, JobStatus.SUCCEEDED, JobStatus.PENDING, T0));
    }

    @Test
    void retryOfADeadJobGivesItFreshAttempts() {
        long id = insert(batch("q", "t", 1))[0];
        claim("q", 1, T0);
        complete(OWNER, Completion.dead(id, 1, T0, T0, BOOM));
        assertFalse(storage.transition(id, JobStatus.DEAD, JobStatus.PENDING, T0.plusSeconds(5)).isEmpty());
        ClaimedJob again = claim("q", 1, T0.plusSeconds(5)).get(0);
        assertEquals(1, again.attempt());
    }

    // ---------------------------------------------------------------- reading

    @Test
    void failedAttemptsAreKeptWithTheirErrorsUntilThePurge() {
        long id = insert(batch("q", "t", 1))[0];
        claim("q", 1, T0);
        complete(OWNER, Completion.failed(id, 1, T0, T0.plusSeconds(1), BOOM, T0.plusSeconds(2)));
        claim("q", 1, T0.plusSeconds(2));
        JobError second = JobError.of("java.io.IOException", "disk <full>");
        complete(OWNER, Completion.failed(id, 2, T0.plusSeconds(2), T0.plusSeconds(3), second, T0.plusSeconds(4)));
        claim("q", 1, T0.plusSeconds(4));
        complete(OWNER, Completion.dead(id, 3, T0.plusSeconds(4), T0.plusSeconds(5), BOOM));
        List<Attempt> attempts = storage.attempts(id);
        assertEquals(List.of(1, 2, 3), attempts.stream().map(Attempt::number).toList());
        assertEquals(List.of(JobStatus.FAILED, JobStatus.FAILED, JobStatus.DEAD),
                attempts.stream().map(Attempt::status).toList());
        assertEquals(second, attempts.get(1).error());
        assertEquals(T0.plusSeconds(2), attempts.get(1).startedAt());
        assertEquals(T0.plusSeconds(3), attempts.get(1).finishedAt());
        assertEquals(OWNER, attempts.get(2).worker());
        assertEquals(List.of(), storage.attempts(id + 1000));
        assertEquals(1, storage.purge(EnumSet.of(JobStatus.DEAD), T0.plusSeconds(60), null));
        assertEquals(List.of(), storage.attempts(id), "a purge takes the job's attempts with it");
    }

    @Test
    void throughputCountsFinishedJobsPerQueueAndMinute() {
        long[] ids = insert(batch("q", "t", 3));
        claim("q", 3, T0);
        Instant minute = T0.truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        complete(OWNER, Completion.succeeded(ids[0], 1, T0, minute.plusSeconds(70), null));
        complete(OWNER, Completion.succeeded(ids[1], 1, T0, minute.plusSeconds(75), null));
        complete(OWNER, Completion.dead(ids[2], 1, T0, minute.plusSeconds(130), BOOM));
        assertEquals(List.of(new Throughput("q", minute.plusSeconds(60), 2, 0),
                new Throughput("q", minute.plusSeconds(120), 0, 1)), storage.throughput(minute));
        assertEquals(List.of(new Throughput("q", minute.plusSeconds(120), 0, 1)),
                storage.throughput(minute.plusSeconds(120)));
    }

    @Test
    void findFiltersOrdersAndLimits() {
        long[] a = insert(batch("a", "t", 3));
        long[] b = insert(batch("b", "u", 2));
        storage.transition(a[1], JobStatus.PENDING, JobStatus.CANCELLED, T0);
        assertEquals(List.of(a[0], a[1], a[2], b[0], b[1]), jobIds(storage.find(JobQuery.all())));
        assertEquals(List.of(b[1], b[0]), jobIds(storage.find(JobQuery.all().queue("b").newestFirst())));
        assertEquals(List.of(a[1]), jobIds(storage.find(JobQuery.all().status(JobStatus.CANCELLED))));
        assertEquals(List.of(b[0]), jobIds(storage.find(JobQuery.all().task("u").limit(1))));
        assertEquals(List.of(b[0], a[2]), jobIds(storage.find(JobQuery.all().newestFirst().idBelow(b[1]).limit(2))),
                "the next page, newest first");
        assertEquals(List.of(), jobIds(storage.find(JobQuery.all().enqueuedBetween(T0.plusSeconds(1), null))));
        assertEquals(5, storage.find(JobQuery.all().enqueuedBetween(T0.minusSeconds(1), T0.plusSeconds(1))).size());
        assertTrue(storage.find(424242L).isEmpty());
    }

    private static List<Long> jobIds(List<Job> jobs) {
        return jobs.stream().map(Job::id).collect(Collectors.toList());
    }

    @Test
    void statsCountPerQueueAndStatus() {
        insert(batch("a", "t", 3));
        insert(batch("a", "t", 2, 50, T0.plusSeconds(60), null));
        long b = insert(batch("b", "t", 1))[0];
        claim("b", 1, T0);
        storage.setPaused("c", true, T0);
        List<QueueStats> stats = storage.stats(T0);
        assertEquals(List.of("a", "b", "c"), stats.stream().map(QueueStats::queue).collect(Collectors.toList()));
        assertEquals(5, stats.get(0).count(JobStatus.PENDING));
        assertEquals(2, stats.get(0).scheduled());
        assertEquals(1, stats.get(1).count(JobStatus.RUNNING));
        assertTrue(stats.get(2).paused());
        assertEquals(0, stats.get(2).total());
        assertEquals(Map.of("a", 5L), nonZero(storage.waitingCounts()));
        assertEquals(JobStatus.RUNNING, job(b).status());
    }

    private static Map<String, Long> nonZero(Map<String, Long> counts) {
        return counts.entrySet().stream().filter(e -> e.getValue() > 0)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    // ---------------------------------------------------------------- purge and pause

    @Test
    void purgeDeletesOnlyOldFinishedJobsOfTheGivenStatuses() {
        long[] ids = insert(batch("q", "t", 4, 50, T0, Arrays.asList("k0", null, null, null)));
        claim("q", 2, T0);
        complete(OWNER, Completion.succeeded(ids[0], 1, T0, T0, null),
                Completion.succeeded(ids[1], 1, T0, T0.plusSeconds(100), null));
        storage.transition(ids[2], JobStatus.PENDING, JobStatus.CANCELLED, T0);
        int deleted = storage.purge(EnumSet.of(JobStatus.SUCCEEDED), T0.plusSeconds(50), null);
        assertEquals(1, deleted);
        assertTrue(storage.find(ids[0]).isEmpty());
        assertTrue(storage.find(ids[1]).isPresent());
        assertEquals(JobStatus.CANCELLED, job(ids[2]).status());
        assertEquals(0, storage.purge(EnumSet.of(JobStatus.CANCELLED), T0.plusSeconds(50), "other-queue"));
        assertEquals(1, storage.purge(EnumSet.of(JobStatus.CANCELLED, JobStatus.PENDING), T0.plusSeconds(50), "q"));
        assertEquals(JobStatus.PENDING, job(ids[3]).status());
        long reused = insert(batch("q", "t", 1, 50, T0, List.of("k0")))[0];
        assertNotEquals(ids[0], reused, "a purged job's key can be used again");
    }

    @Test
    void pausedQueuesAreRemembered() {
        storage.setPaused("a", true, T0);
        storage.setPaused("b", true, T0);
        storage.setPaused("b", false, T0);
        assertEquals(Set.of("a"), storage.pausedQueues());
    }

    @Test
    void everyStatusChangeFollowsTheAllowedTransitions() {
        List<JobStatus> seen = new ArrayList<>();
        long id = insert(batch("q", "t", 1))[0];
        seen.add(job(id).status());
        claim("q", 1, T0);
        seen.add(job(id).status());
        complete(OWNER, Completion.failed(id, 1, T0, T0, BOOM, T0));
        seen.add(job(id).status());
        claim("q", 1, T0);
        seen.add(job(id).status());
        complete(OWNER, Completion.dead(id, 2, T0, T0, BOOM));
        seen.add(job(id).status());
        storage.transition(id, JobStatus.DEAD, JobStatus.PENDING, T0);
        seen.add(job(id).status());
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i - 1).canMoveTo(seen.get(i)), seen.get(i - 1) + " -> " + seen.get(i));
        }
        assertEquals(List.of(JobStatus.PENDING, JobStatus.RUNNING, JobStatus.FAILED, JobStatus.RUNNING, JobStatus.DEAD,
                JobStatus.PENDING), seen);
    }

    @Test
    void aClosedStoreRefusesWork() {
        storage.close();
        assertThrows(QueueClosedException.class, () -> storage.find(1L));
        assertThrows(QueueClosedException.class, () -> storage.insert(List.of(batch("q", "t", 1))));
        storage.close();
        storage = openStorage();
    }

    @Test
    void emptyInputsAreHarmless() {
        assertEquals(Collections.emptyList(), storage.insert(List.of()));
        assertArrayEquals(new long[0], insert(batch("q", "t", 0)));
        CycleResult nothing = storage.cycle(CycleRequest.of(OWNER, SESSION, T0).claims(List.of(), Set.of("t"), Set.of())
                .build());
        assertTrue(nothing.completed().isEmpty());
        assertNull(nothing.renewed());
        assertTrue(nothing.claimed().isEmpty());
    }
}
