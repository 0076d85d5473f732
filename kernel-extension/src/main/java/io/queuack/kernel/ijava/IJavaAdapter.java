package io.queuack.kernel.ijava;

import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.magic.registry.Magics;
import io.queuack.kernel.BackfillMagic;
import io.queuack.kernel.DagMagics;
import io.queuack.kernel.KernelFailures;
import io.queuack.kernel.MagicErrors;
import io.queuack.kernel.MimeBundle;
import io.queuack.kernel.Notebook;
import io.queuack.kernel.QueueMagics;
import io.queuack.kernel.Renderings;
import io.queuack.kernel.ScheduleMagics;
import io.queuack.kernel.Setup;
import io.queuack.kernel.SqlMagic;
import io.queuack.kernel.TaskMagic;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.UUID;

/**
 * Queuack for the older IJava kernel, which has no extension mechanism: one call in a cell, or in IJava's
 * start-up script ({@code IJAVA_STARTUP_SCRIPT}), registers the same magics and renderers as the JJava
 * extension.
 *
 * <pre>{@code
 * %jars queuack-kernel-0.1.0-all.jar
 * io.queuack.kernel.ijava.IJavaAdapter.install(io.github.spencerpark.ijava.IJava.getKernelInstance());
 * }</pre>
 *
 * IJava's kernel class is not on Maven Central, so this compiles against its base library
 * ({@code jupyter-jvm-basekernel}) and reaches the kernel's {@code evalRaw} and {@code getMagics} by name.
 */
public final class IJavaAdapter implements Notebook {

    private final BaseKernel kernel;
    private final Method evalRaw;

    private IJavaAdapter(BaseKernel kernel) {
        this.kernel = kernel;
        this.evalRaw = method(kernel, "evalRaw", String.class);
    }

    /**
     * Registers Queuack's renderers and magics ({@code %%dag}, {@code %dag}, {@code %%tasks}, {@code %queue}, {@code %%sql}, {@code %schedule}, {@code %backfill}) on an
     * IJava kernel; calling it again (a re-run cell) registers them again, harmlessly.
     *
     * @throws IllegalArgumentException if {@code kernel} is not IJava's (it lacks {@code evalRaw}/{@code getMagics})
     */
    public static void install(BaseKernel kernel) {
        IJavaAdapter adapter = new IJavaAdapter(kernel);
        for (Class<?> type : Renderings.TYPES) {
            adapter.register(type);
        }
        Magics magics;
        try {
            magics = (Magics) method(kernel, "getMagics").invoke(kernel);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalArgumentException("Cannot reach the magics of " + kernel.getClass().getName() + ": " + e, e);
        }
        magics.registerCellMagic("dag", (args, body) -> MagicErrors.report(adapter, "%%dag", () -> DagMagics.cell(args, body, adapter)));
        magics.registerLineMagic("dag", args -> MagicErrors.report(adapter, "%dag", () -> DagMagics.line(args, adapter)));
        magics.registerCellMagic("tasks", (args, body) -> MagicErrors.report(adapter, "%%tasks", () -> TaskMagic.cell(args, body, adapter)));
        magics.registerLineMagic("queue", args -> MagicErrors.report(adapter, "%queue", () -> QueueMagics.line(args, adapter)));
        magics.registerCellMagic("sql", (args, body) -> MagicErrors.report(adapter, "%%sql", () -> SqlMagic.cell(args, body, adapter)));
        magics.registerLineMagic("sql", args -> MagicErrors.report(adapter, "%sql", () -> SqlMagic.line(args, adapter)));
        magics.registerLineMagic("schedule", args -> MagicErrors.report(adapter, "%schedule", () -> ScheduleMagics.line(args, adapter)));
        magics.registerLineMagic("backfill", args -> MagicErrors.report(adapter, "%backfill", () -> BackfillMagic.line(args, adapter)));
        Setup.atLoad(adapter);
    }

    @Override
    public Object eval(String code) {
        try {
            return evalRaw.invoke(kernel, code);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (InvocationTargetException e) {
            RuntimeException thrown = e.getCause() instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException(e.getCause());
            throw KernelFailures.translate(thrown, KernelFailures.shellOf(kernel));
        }
    }

    @Override
    public void error(String line) {
        kernel.getIO().err.println(line);
    }

    @Override
    public boolean inCell() {
        return kernel.getIO().display.isAttached();
    }

    @Override
    public void display(MimeBundle output) {
        kernel.display(data(output));
    }

    @Override
    public LiveOutput displayLive(MimeBundle first) {
        String id = "queuack-" + UUID.randomUUID();
        DisplayData data = data(first);
        data.putTransientData("display_id", id);
        kernel.getIO().display.display(data);
        return output -> kernel.getIO().display.updateDisplay(id, data(output));
    }

    private <T> void register(Class<T> type) {
        kernel.getRenderer().createRegistration(type)
                .preferring(MimeBundle.SVG, MimeBundle.HTML)
                .supporting(MimeBundle.MERMAID, MimeBundle.TEXT)
                .register((value, context) -> {
                    Setup.noticeOnce().ifPresent(kernel.getIO().err::println);
                    Renderings.render(value).ifPresent(bundle -> bundle.data().forEach(context.getOutputContainer()::putData));
                });
    }

    private static DisplayData data(MimeBundle bundle) {
        DisplayData data = new DisplayData();
        bundle.data().forEach(data::putData);
        return data;
    }

    private static Method method(BaseKernel kernel, String name, Class<?>... parameters) {
        try {
            return kernel.getClass().getMethod(name, parameters);
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(kernel.getClass().getName() + " has no " + name + "(..): pass IJava's"
                    + " kernel, io.github.spencerpark.ijava.IJava.getKernelInstance()", e);
        }
    }
}
