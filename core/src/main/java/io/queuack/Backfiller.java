package io.queuack;

import io.queuack.dag.Dag;
import io.queuack.job.Backoff;
import io.queuack.job.DependencyMode;
import io.queuack.job.Job;
import io.queuack.job.JobLimit;
import io.queuack.job.JobOptions;
import io.queuack.job.RunStatus;
import io.queuack.schedule.Backfill;
import io.queuack.storage.PlannedTask;
import io.queuack.storage.RunInserted;
import io.queuack.storage.RunPlan;
import io.queuack.storage.RunRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Stores backfills: one parent run (of the DAG named {@code <dag>:backfill}) whose tasks are the slots, each a job
 * that starts its slot's run of the DAG and waits for it without a thread. The slot jobs carry a key that a key
 * limit of the backfill's concurrency counts, so at most that many slots run at once on every worker of the store;
 * the limit goes when the parent run finishes. The parent is keyed by the DAG, slots, parameters and reuse: storing
 * the same backfill again returns it while it runs or after it succeeded, and starts it again (reusing what
 * succeeded) after it failed.
 */
final class Backfiller {

    /** What the parent run's DAG name ends with (DAG names cannot hold a colon). */
    static final String SUFFIX = ":backfill";
    /** A slot's job: attempts for crashes of the processes that wait for its run (a failed run fails it at once). */
    private static final int SLOT_ATTEMPTS = 10;
    private static final Backoff SLOT_BACKOFF = Backoff.fixed(Duration.ofSeconds(1));
    /** Times a failed backfill is started again under a new key, at most. */
    private static final int MAX_GENERATIONS = 1_000;
    private static final System.Logger LOG = System.getLogger(Backfiller.class.getName());

    private final Engine engine;
    private final DagSubmitter dags;

    Backfiller(Engine engine, DagSubmitter dags) {
        this.engine = engine;
        this.dags = dags;
    }

    /** @return whether runs of {@code dag} (a run's DAG name) are backfills */
    static boolean isBackfill(String dag) {
        return dag != null && dag.endsWith(SUFFIX);
    }

    /** @return the DAG a backfill's parent run runs, from the parent's DAG name */
    static String dagOf(String parentDag) {
        return parentDag.substring(0, parentDag.length() - SUFFIX.length());
    }

    /** Stores {@code backfill} (or finds it stored). @return the parent run's id */
    long submit(Backfill backfill) {
        Dag dag = backfill.dag();
        dags.register(dag);
        String identity = "backfill:" + dag.name() + ":" + identity(backfill);
        String parameters = engine.codec().writeArgument("the parameters of a backfill of '" + dag.name() + "'",
                backfill.parameters().isEmpty() ? null : backfill.parameters());
        String options = engine.codec().writeArgument("run options", new ActiveRuns.StoredOptions(
                backfill.concurrency(), backfill.reuseResults()));
        for (int generation = 1; generation <= MAX_GENERATIONS; generation++) {
            String key = generation == 1 ? identity : identity + "#" + generation;
            Instant now = engine.now();
            engine.storage().putLimit(JobLimit.key(key).maxRunning(backfill.concurrency()), now);
            RunPlan plan = new RunPlan(dag.name() + SUFFIX, parameters, options, null, key, now, slots(backfill, key));
            RunInserted inserted = engine.storage().insertRun(plan);
            if (!inserted.existing()) {
                dags.announce(plan, inserted);
                return inserted.runId();
            }
            RunRecord stored = engine.storage().findRun(inserted.runId()).orElseThrow();
            if (stored.status() == RunStatus.RUNNING) {
                return stored.id();
            }
            engine.storage().deleteLimit(JobLimit.Scope.KEY, key);     // its run finished: its limit went with it
            if (stored.status() == RunStatus.SUCCEEDED) {
                return stored.id();
            }
        }
        throw new IllegalStateException("Backfill " + backfill + " failed " + MAX_GENERATIONS + " times; change it"
                + " (its slots or parameters) to start a new one");
    }

    private List<PlannedTask> slots(Backfill backfill, String key) {
        String task = DagSubmitter.slotTaskName(backfill.dag().name());
        List<PlannedTask> tasks = new ArrayList<>(backfill.slots().size());
        for (Backfill.SlotRun slot : backfill.slots()) {
            tasks.add(new PlannedTask(slot.label(), task, engine.codec().writeArgument(task, slot.parameters()),
                    engine.defaultQueue(), JobOptions.DEFAULT_PRIORITY, SLOT_ATTEMPTS, SLOT_BACKOFF, null,
                    DependencyMode.ALL, new int[0], key));
        }
        return tasks;
    }

    /** @return a short hash of what makes two backfills the same one */
    private String identity(Backfill backfill) {
        StringBuilder text = new StringBuilder(backfill.dag().name()).append('\u0000').append(backfill.reuseResults())
                .append('\u0000').append(engine.codec().writeArgument("backfill", backfill.parameters()));
        for (Backfill.SlotRun slot : backfill.slots()) {
            text.append('\u0000').append(slot.label()).append('=')
                    .append(engine.codec().writeArgument("backfill", slot.parameters()));
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** A backfill's parent run finished: the limit of its slots goes (any process may get here; one deletes it). */
    static void finished(Engine engine, long runId) {
        try {
            engine.storage().runJobs(runId).stream().map(Job::limitKey).filter(Objects::nonNull).findFirst()
                    .ifPresent(key -> engine.storage().deleteLimit(JobLimit.Scope.KEY, key));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "The concurrency limit of backfill run " + runId + " could not be"
                    + " removed; remove it with queue.limits().remove(...)", e);
        }
    }
}
