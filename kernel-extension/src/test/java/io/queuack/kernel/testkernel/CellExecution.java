package io.queuack.kernel.testkernel;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;
import jdk.jshell.spi.SPIResolutionException;

/**
 * Runs cells the way JJava does (its {@code JJavaExecutionControl}): in the kernel's JVM, each top-level snippet on a
 * thread of a pool of its own, while the kernel's thread waits for it; a snippet evaluated from inside a running one
 * (a magic evaluating code) runs on the same thread. An interrupt cancels what runs: the waiting kernel thread goes on
 * at once (the cell ends as "interrupted") while the cancelled thread is interrupted and finishes on its own. The
 * snippet's actual value is kept here under a key that JShell reports as the snippet's value.
 */
final class CellExecution extends DirectExecutionControl {

    /** The "class name" an interrupted snippet's exception carries (no class has spaces in its name). */
    static final String INTERRUPTED = "Execution Interrupted";

    private static final String THREAD_PREFIX = "queuack-test-cell-";
    private static final Object NULL = new Object();
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, THREAD_PREFIX + THREADS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Future<Object>> running = new ConcurrentHashMap<>();
    private final Map<String, Object> results = new ConcurrentHashMap<>();

    CellExecution(CellLoader loader) {
        super(loader);
    }

    /** @return a provider that hands JShell this execution */
    ExecutionControlProvider provider() {
        CellExecution execution = this;
        return new ExecutionControlProvider() {
            @Override
            public String name() {
                return "queuack-test";
            }

            @Override
            public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
                return execution;
            }
        };
    }

    /** @return the value of the snippet whose JShell value was {@code key} */
    Object take(String key) {
        Object value = results.remove(key);
        return value == NULL ? null : value;
    }

    /** Cancels every running snippet (the kernel's interrupt). */
    void interrupt() {
        running.values().forEach(future -> future.cancel(true));
    }

    @Override
    public void stop() {
        threads.shutdownNow();
    }

    @Override
    protected String invoke(Method doit) throws Exception {
        String key = UUID.randomUUID().toString();
        Future<Object> future = Thread.currentThread().getName().startsWith(THREAD_PREFIX)
                ? CompletableFuture.completedFuture(doit.invoke(null))
                : threads.submit(() -> doit.invoke(null));
        running.put(key, future);
        try {
            Object value = future.get();
            results.put(key, value == null ? NULL : value);
            return key;
        } catch (CancellationException e) {
            if (threads.isShutdown()) {
                throw new StoppedException();
            }
            throw new UserException("Execution interrupted.", INTERRUPTED, e.getStackTrace());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof InvocationTargetException target ? target.getCause() : e.getCause();
            if (cause instanceof SPIResolutionException unresolved) {
                throw new ResolutionException(unresolved.id(), unresolved.getStackTrace());
            }
            throw new UserException(String.valueOf(cause.getMessage()), cause.getClass().getName(), cause.getStackTrace());
        } finally {
            running.remove(key);
        }
    }
}
