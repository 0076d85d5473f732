package io.queuack.storage.postgres;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.queuack.job.JobError;
import io.queuack.job.JobStatus;
import io.queuack.storage.Changes;
import io.queuack.storage.JobTransition;
import io.queuack.storage.RunTransition;
import io.queuack.storage.StoreListener.StoredProgress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one write transaction tells the other processes, sent with {@code pg_notify} just before it commits
 * (PostgreSQL delivers notifications only once, and only if, the transaction commits): the queues that got due
 * jobs, the runs that changed, a pause change, and, while some session listens for them, the jobs' status
 * changes and stored progress. Each notification stays under PostgreSQL's 8,000
 * byte limit: a long list goes out as several, messages are shortened, stack traces stay in the table.
 */
final class Publication {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Bytes per notification, below PostgreSQL's limit of 8,000 with room for the envelope. */
    private static final int MAX_PAYLOAD = 7_000;
    private static final int MAX_TEXT = 200;

    /** Whether job-level entries (status changes of jobs, progress) are sent: only while someone listens. */
    private final boolean jobEvents;
    private final Map<String, Instant> due = new HashMap<>();
    private final List<ArrayNode> entries = new ArrayList<>();
    private boolean pauses;

    Publication(boolean jobEvents) {
        this.jobEvents = jobEvents;
    }

    /** Jobs became due on {@code queue} at {@code at}. */
    void due(String queue, Instant at) {
        due.merge(queue, at, (a, b) -> a.isBefore(b) ? a : b);
    }

    void job(JobTransition change) {
        if (!jobEvents) {
            return;
        }
        ArrayNode entry = JSON.createArrayNode().add("j").add(change.jobId()).add(change.queue()).add(change.task())
                .add(change.from().dbName()).add(change.to().dbName()).add(change.attempt());
        JobError error = change.error();
        if (error != null) {
            entry.add(error.type()).add(shorten(error.message()));
        }
        entries.add(entry);
    }

    /** Publishes {@code changes}; their jobs that now wait are due at {@code now}. */
    void changes(Changes changes, Instant now) {
        for (JobTransition change : changes.jobs()) {
            job(change);
            if (JobStatus.WAITING.contains(change.to())) {
                due(change.queue(), now);
            }
        }
        for (RunTransition change : changes.runs()) {
            entries.add(JSON.createArrayNode().add("r").add(change.runId()).add(change.dag())
                    .add(change.from().dbName()).add(change.to().dbName()));
        }
    }

    void progress(StoredProgress progress) {
        if (!jobEvents) {
            return;
        }
        entries.add(JSON.createArrayNode().add("p").add(progress.jobId()).add(progress.queue()).add(progress.task())
                .add(progress.progress()).add(shorten(progress.message())));
    }

    void pausesChanged() {
        pauses = true;
    }

    boolean isEmpty() {
        return due.isEmpty() && entries.isEmpty() && !pauses;
    }

    /** @return the notifications' payloads, each a JSON object from {@code origin} */
    List<String> payloads(String origin) {
        List<String> payloads = new ArrayList<>();
        ObjectNode current = envelope(origin);
        ObjectNode dueNode = current.putObject("d");
        due.forEach((queue, at) -> dueNode.put(queue, at.toEpochMilli()));
        if (pauses) {
            current.put("x", 1);
        }
        ArrayNode list = current.putArray("e");
        int size = length(current);
        for (ArrayNode entry : entries) {
            int entrySize = length(entry) + 1;
            if (size + entrySize > MAX_PAYLOAD && !list.isEmpty()) {
                payloads.add(current.toString());
                current = envelope(origin);
                list = current.putArray("e");
                size = length(current);
            }
            list.add(entry);
            size += entrySize;
        }
        payloads.add(current.toString());
        return payloads;
    }

    private static ObjectNode envelope(String origin) {
        return JSON.createObjectNode().put("o", origin);
    }

    private static int length(Object node) {
        return node.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    private static String shorten(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 1) + "…";
    }
}
