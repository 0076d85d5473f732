package io.queuack.storage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Status changes storage made in one transaction, reported so that events can be sent: the jobs it
 * moved (including DAG tasks unblocked or skipped as a consequence) and the runs that finished.
 *
 * @param jobs jobs that changed status, in the order of the changes
 * @param runs runs that changed status
 */
public record Changes(List<JobTransition> jobs, List<RunTransition> runs) {

    /** No change. */
    public static final Changes NONE = new Changes(List.of(), List.of());

    public Changes {
        jobs = Collections.unmodifiableList(new ArrayList<>(jobs));
        runs = Collections.unmodifiableList(new ArrayList<>(runs));
    }

    /** @return only these job changes */
    public static Changes of(List<JobTransition> jobs) {
        return new Changes(jobs, List.of());
    }

    /** @return these changes followed by {@code more} */
    public Changes plus(Changes more) {
        if (more.isEmpty()) {
            return this;
        }
        List<JobTransition> allJobs = new ArrayList<>(jobs);
        allJobs.addAll(more.jobs);
        List<RunTransition> allRuns = new ArrayList<>(runs);
        allRuns.addAll(more.runs);
        return new Changes(allJobs, allRuns);
    }

    public boolean isEmpty() {
        return jobs.isEmpty() && runs.isEmpty();
    }
}
