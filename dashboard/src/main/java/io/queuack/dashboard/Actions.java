package io.queuack.dashboard;

import io.queuack.Queuack;
import io.queuack.job.JobStatus;
import java.time.Duration;
import java.util.Set;

/** What action buttons do: retry or cancel one job, purge a queue's dead letters. */
final class Actions {

    /** Pages an action may come back to (never an address from elsewhere). */
    private static final Set<String> BACK = Set.of("./", "jobs", "job", "dead", "runs", "run");

    private Actions() {
    }

    /** Performs the form's action. @return the relative address to go back to */
    static String perform(Queuack queue, Query form) {
        String action = form.get("action");
        if (action == null) {
            throw new Query.BadRequest("No action");
        }
        switch (action) {
            case "retry" -> queue.retry(id(form));
            case "cancel" -> {
                if (!queue.cancel(id(form))) {
                    throw new IllegalStateException("Job " + id(form) + " has already finished; nothing to cancel");
                }
            }
            case "purge-dead" -> queue.purge(queueName(form), Duration.ZERO, JobStatus.DEAD);
            default -> throw new Query.BadRequest("Unknown action '" + action + "'; known: retry, cancel, purge-dead");
        }
        String back = form.get("back");
        String page = back == null ? "./" : back.split("\\?", 2)[0];
        return BACK.contains(page) && back.matches("[A-Za-z0-9./?=&%_-]{1,500}") ? back : "./";
    }

    private static long id(Query form) {
        Long id = form.number("id");
        if (id == null) {
            throw new Query.BadRequest("The action needs a job id");
        }
        return id;
    }

    private static String queueName(Query form) {
        String name = form.get("queue");
        if (name == null) {
            throw new Query.BadRequest("The action needs a queue");
        }
        return name;
    }
}
