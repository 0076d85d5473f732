package io.queuack;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import io.queuack.error.NonRetryableException;
import io.queuack.job.Job;
import io.queuack.job.JobStatus;
import io.queuack.job.TaskContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link TaskContext} of a running DAG task: the job's own context plus its run. Upstream results
 * and run parameters are read from storage the first time the task asks for them.
 */
final class RunTaskContext implements TaskContext {

    private final Execution execution;
    private final Engine engine;
    private final long runId;
    private final String taskName;
    private Map<String, Job> upstream;
    private Map<String, Object> parameters;

    RunTaskContext(Execution execution, Engine engine, long runId, String taskName) {
        this.execution = execution;
        this.engine = engine;
        this.runId = runId;
        this.taskName = taskName;
    }

    @Override
    public long runId() {
        return runId;
    }

    @Override
    public String taskName() {
        return taskName;
    }

    @Override
    public List<String> upstreamNames() {
        return List.copyOf(upstream().keySet());
    }

    @Override
    public boolean hasUpstream(String name) {
        Job job = upstream().get(name);
        return job != null && job.status() == JobStatus.SUCCEEDED;
    }

    @Override
    public <T> T upstream(String name, Class<T> type) {
        return read(name, engine.codec().type(type));
    }

    @Override
    public <T> T upstream(String name, TypeReference<T> type) {
        return read(name, engine.codec().type(type));
    }

    @Override
    public <T> T upstreamOr(String name, Class<T> type, T fallback) {
        return hasUpstream(name) ? upstream(name, type) : fallback;
    }

    private <T> T read(String name, JavaType type) {
        Job job = upstream().get(name);
        if (job == null) {
            throw new NonRetryableException("Task '" + taskName + "' has no upstream task named '" + name
                    + "'; its upstream tasks are " + upstreamNames() + ". Declare it with .after(\"" + name + "\")");
        }
        if (job.status() != JobStatus.SUCCEEDED) {
            throw new IllegalStateException("Upstream task '" + name + "' of '" + taskName + "' has not succeeded: it is "
                    + job.status() + ". In ANY mode, read the tasks that finished with upstreamResults() or"
                    + " upstreamOr(...)");
        }
        return engine.codec().read(job.resultJson(), type, "the result of upstream task '" + name + "'");
    }

    @Override
    public Map<String, Object> upstreamResults() {
        Map<String, Object> results = new LinkedHashMap<>();
        upstream().forEach((name, job) -> {
            if (job.status() == JobStatus.SUCCEEDED) {
                results.put(name, engine.codec().read(job.resultJson(), engine.codec().type(Object.class),
                        "the result of upstream task '" + name + "'"));
            }
        });
        return Collections.unmodifiableMap(results);
    }

    @Override
    public Map<String, Object> parameters() {
        if (parameters == null) {
            String json = engine.storage().findRun(runId).map(run -> run.parametersJson()).orElse(null);
            Map<?, ?> read = engine.codec().read(json, engine.codec().type(Map.class), "the parameters of run " + runId);
            Map<String, Object> copy = new LinkedHashMap<>();
            if (read != null) {
                read.forEach((key, value) -> copy.put(String.valueOf(key), value));
            }
            parameters = Collections.unmodifiableMap(copy);
        }
        return parameters;
    }

    @Override
    public <T> T parameter(String name, Class<T> type) {
        if (!parameters().containsKey(name)) {
            throw new NonRetryableException("Run " + runId + " has no parameter named '" + name + "'; its parameters"
                    + " are " + parameters().keySet() + ". Pass it when starting the run, or use parameterOr(...)");
        }
        return engine.codec().convert(parameters().get(name), type, "run parameter '" + name + "'");
    }

    @Override
    public <T> T parameterOr(String name, Class<T> type, T fallback) {
        return parameters().containsKey(name) ? parameter(name, type) : fallback;
    }

    /** @return the stored JSON results of the upstream tasks that succeeded, by name */
    Map<String, String> upstreamJson() {
        Map<String, String> results = new LinkedHashMap<>();
        upstream().forEach((name, job) -> {
            if (job.status() == JobStatus.SUCCEEDED) {
                results.put(name, job.resultJson());
            }
        });
        return results;
    }

    /** @return the upstream tasks by name, in declaration order (job ids ascend with declaration) */
    private Map<String, Job> upstream() {
        if (upstream == null) {
            Map<String, Job> byName = new LinkedHashMap<>();
            for (Job job : engine.storage().upstreamJobs(execution.jobId())) {
                byName.put(job.node(), job);
            }
            upstream = byName;
        }
        return upstream;
    }

    // ---------------------------------------------------------------- the job's own context

    @Override
    public long jobId() {
        return execution.jobId();
    }

    @Override
    public String queue() {
        return execution.queue();
    }

    @Override
    public String task() {
        return execution.task();
    }

    @Override
    public int attempt() {
        return execution.attempt();
    }

    @Override
    public int maxAttempts() {
        return execution.maxAttempts();
    }

    @Override
    public void progress(double fraction) {
        execution.progress(fraction);
    }

    @Override
    public void progress(double fraction, String message) {
        execution.progress(fraction, message);
    }

    @Override
    public boolean isCancelled() {
        return execution.isCancelled();
    }

    @Override
    public void throwIfCancelled() {
        execution.throwIfCancelled();
    }

    @Override
    public Path dataDirectory() {
        return execution.dataDirectory();
    }

    @Override
    public Path runDirectory() {
        Path folder = dataDirectory().resolve("runs").resolve(Long.toString(runId));
        try {
            return Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create run " + runId + "'s data folder " + folder + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public System.Logger logger() {
        return System.getLogger("queuack.dag." + taskName);
    }

    @Override
    public String toString() {
        return "TaskContext[run " + runId + ", task " + taskName + ", job " + jobId() + ", attempt " + attempt() + "/"
                + maxAttempts() + "]";
    }
}
