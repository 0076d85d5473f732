package io.queuack.benchmarks;

import io.queuack.Queuack;
import io.queuack.TaskSet;
import io.queuack.dag.Dag;
import io.queuack.dag.DagBuilder;

/** What the scale-out benchmark's worker processes run: a no-op task, and a 10,000-task DAG of no-op tasks. */
public final class ScaleOutTasks implements TaskSet {

    static final int GROUPS = 100;
    static final int GROUP_WIDTH = 99;

    @Override
    public void register(Queuack queue) {
        queue.register("noop", Integer.class, (ctx, n) -> n);
        queue.register(wide());
    }

    /** {@value #GROUPS} groups of {@value #GROUP_WIDTH} parallel no-op tasks, each group joined by one. */
    static Dag wide() {
        DagBuilder builder = Dag.builder("wide");
        for (int group = 0; group < GROUPS; group++) {
            String[] parts = new String[GROUP_WIDTH];
            for (int i = 0; i < GROUP_WIDTH; i++) {
                parts[i] = "g" + group + "-" + i;
                builder.task(parts[i], () -> null);
            }
            builder.task("g" + group + "-join", () -> null).after(parts);
        }
        return builder.build();
    }
}
