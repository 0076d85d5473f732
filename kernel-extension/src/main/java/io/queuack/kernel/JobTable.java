package io.queuack.kernel;

import io.queuack.job.Job;
import java.util.List;
import java.util.Objects;

/**
 * Jobs to show as one table in a notebook (what {@code %queue jobs} and {@code %queue dead} return).
 *
 * @param title what the list is, e.g. "Dead letters"
 * @param jobs  the jobs, in the order shown
 */
public record JobTable(String title, List<Job> jobs) {

    public JobTable {
        Objects.requireNonNull(title, "title");
        jobs = List.copyOf(jobs);
    }
}
