package io.queuack.worker;

import io.queuack.Queuack;
import io.queuack.TaskSet;

/** The tasks the worker command's tests run: found through META-INF/services of the test class path. */
public final class SampleTasks implements TaskSet {

    @Override
    public void register(Queuack queue) {
        queue.register("nap", Integer.class, (ctx, millis) -> {
            Thread.sleep(millis);
            return millis;
        });
    }
}
