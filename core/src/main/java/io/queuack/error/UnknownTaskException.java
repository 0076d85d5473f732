package io.queuack.error;

import java.util.Collection;
import java.util.TreeSet;

/** A job names a task that is not registered in this session. */
public class UnknownTaskException extends QueuackException {

    private final String task;

    public UnknownTaskException(String task, Collection<String> registered) {
        super("No task named '" + task + "' is registered. Register it first, e.g. queue.register(\"" + task
                + "\", ArgType.class, (ctx, arg) -> ...). Registered tasks: " + new TreeSet<>(registered));
        this.task = task;
    }

    /** @return the unknown task name */
    public String task() {
        return task;
    }
}
