package io.queuack.storage;

import java.util.List;

/**
 * What a {@link ScheduleFiring} inserted.
 *
 * @param jobs the jobs of its task slots (a slot fired before by another process keeps its stored job)
 * @param runs the runs of its DAG slots
 */
public record ScheduleFired(List<Inserted> jobs, List<RunInserted> runs) {

    public ScheduleFired {
        jobs = List.copyOf(jobs);
        runs = List.copyOf(runs);
    }
}
