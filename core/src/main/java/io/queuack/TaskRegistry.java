package io.queuack;

import io.queuack.error.UnknownTaskException;
import io.queuack.job.DagTaskName;
import io.queuack.job.JobContext;
import io.queuack.job.SimpleTask;
import io.queuack.job.Task;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The code behind task names: named tasks registered by the user (durable: the name is stored with
 * each job, and registering it again after a restart lets pending jobs run) and in-process lambdas
 * (registered under a generated {@code lambda:<n>} name that only this session knows).
 */
final class TaskRegistry {

    /** Prefix reserved for in-process lambdas. */
    static final String LAMBDA_PREFIX = "lambda:";

    private static final Pattern TASK_NAME = Pattern.compile("[A-Za-z0-9_.:/$-]{1,200}");

    /** Runs a task against a job's stored JSON argument. */
    @FunctionalInterface
    interface Invoker {
        Object invoke(JobContext context, String argumentsJson) throws Exception;
    }

    /** A task this session can run. */
    record Registered(String name, boolean inProcess, Invoker invoker) {
    }

    private final Map<String, Registered> tasks = new ConcurrentHashMap<>();
    private final Map<String, Invoker> dagTasks = new ConcurrentHashMap<>();
    private volatile Set<String> dags = Set.of();
    private final AtomicLong lambdas = new AtomicLong();
    private volatile Set<String> names = Set.of();

    <A> void register(String name, Class<A> argumentType, Task<A> task, JsonCodec codec) {
        Objects.requireNonNull(argumentType, "argumentType");
        Objects.requireNonNull(task, "task");
        String checked = checkName(name);
        put(new Registered(checked, false, (context, json) ->
                task.run(context, codec.read(json, argumentType, "the argument of task '" + checked + "'"))));
    }

    void register(String name, SimpleTask task) {
        Objects.requireNonNull(task, "task");
        put(new Registered(checkName(name), false, (context, json) -> task.run(context)));
    }

    /**
     * Registers the code of DAG tasks under their generated {@code dag:<dag>:<task>} names, in one step.
     * Claims match DAG tasks by DAG name, so the list of plain task names stays short.
     */
    synchronized void registerDagTasks(Set<String> dagNames, Map<String, Invoker> invokers) {
        dagTasks.putAll(invokers);
        Set<String> all = new HashSet<>(dags);
        all.addAll(dagNames);
        dags = Set.copyOf(all);
    }

    /** @return the names of the DAGs whose tasks this session can run (an immutable snapshot) */
    Set<String> dagNames() {
        return dags;
    }

    /** @return the generated name under which {@code lambda} runs */
    String registerLambda(SimpleTask lambda) {
        Objects.requireNonNull(lambda, "task");
        String name = LAMBDA_PREFIX + lambdas.incrementAndGet();
        put(new Registered(name, true, (context, json) -> lambda.run(context)));
        return name;
    }

    /** @return the task, or null if no task of that name is registered */
    Registered find(String name) {
        Registered task = tasks.get(name);
        if (task == null) {
            Invoker dagTask = dagTasks.get(name);
            task = dagTask == null ? null : new Registered(name, false, dagTask);
        }
        return task;
    }

    /** @return the registered task */
    Registered require(String name) {
        Objects.requireNonNull(name, "task name");
        Registered task = find(name);
        if (task == null) {
            throw new UnknownTaskException(name, names);
        }
        return task;
    }

    /** @return the names of every task this session can run (an immutable snapshot) */
    Set<String> names() {
        return names;
    }

    private synchronized void put(Registered task) {
        tasks.put(task.name(), task);
        names = Set.copyOf(tasks.keySet());
    }

    private static String checkName(String name) {
        Objects.requireNonNull(name, "task name");
        if (!TASK_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Task name must be 1-200 letters, digits or _ . : / $ -, was '" + name + "'");
        }
        if (name.startsWith(LAMBDA_PREFIX) || DagTaskName.isReserved(name)) {
            throw new IllegalArgumentException("Task names starting with '" + LAMBDA_PREFIX + "' or '"
                    + DagTaskName.PREFIX + "' are reserved for in-process lambdas and DAG tasks; choose another name than '" + name + "'");
        }
        return name;
    }
}
