package io.queuack.kernel.jjava;

import io.queuack.kernel.BackfillMagic;
import io.queuack.kernel.DagMagics;
import io.queuack.kernel.MagicErrors;
import io.queuack.kernel.MimeBundle;
import io.queuack.kernel.QueueMagics;
import io.queuack.kernel.Renderings;
import io.queuack.kernel.ScheduleMagics;
import io.queuack.kernel.Session;
import io.queuack.kernel.Setup;
import io.queuack.kernel.SqlMagic;
import io.queuack.kernel.TaskMagic;
import java.util.List;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/**
 * Queuack's JJava extension, found by JJava through {@code META-INF/services}: loading the jar (on the
 * kernel's class path through {@code JJAVA_CLASSPATH}, or with {@code %classpath} / {@code %maven}) registers the
 * renderers and magics and imports the public API into the session. Uses only the part of JJava's base library
 * that is the same in 1.0-a6 and later releases.
 */
public final class JJavaExtension implements Extension {

    /** The packages a notebook gets imported. */
    static final String IMPORTS = "import io.queuack.*; import io.queuack.job.*; import io.queuack.event.*;"
            + " import io.queuack.error.*; import io.queuack.dag.*; import io.queuack.draw.*; import io.queuack.arrow.*;"
            + " import io.queuack.schedule.*;"
            + " import io.queuack.kernel.Session; import tech.tablesaw.api.*;";

    @Override
    public void install(BaseKernel kernel) {
        for (Class<?> type : Renderings.TYPES) {
            register(kernel, type);
        }
        JJavaNotebook notebook = new JJavaNotebook(kernel);
        kernel.getMagicsRegistry()
                .registerCellMagic("dag", (BaseKernel k, List<String> args, String body) ->
                        MagicErrors.report(notebook, "%%dag", () -> DagMagics.cell(args, body, notebook)))
                .registerLineMagic("dag", (BaseKernel k, List<String> args) ->
                        MagicErrors.report(notebook, "%dag", () -> DagMagics.line(args, notebook)))
                .registerCellMagic("tasks", (BaseKernel k, List<String> args, String body) ->
                        MagicErrors.report(notebook, "%%tasks", () -> TaskMagic.cell(args, body, notebook)))
                .registerLineMagic("queue", (BaseKernel k, List<String> args) ->
                        MagicErrors.report(notebook, "%queue", () -> QueueMagics.line(args, notebook)))
                .registerCellMagic("sql", (BaseKernel k, List<String> args, String body) ->
                        MagicErrors.report(notebook, "%%sql", () -> SqlMagic.cell(args, body, notebook)))
                .registerLineMagic("sql", (BaseKernel k, List<String> args) ->
                        MagicErrors.report(notebook, "%sql", () -> SqlMagic.line(args, notebook)))
                .registerLineMagic("schedule", (BaseKernel k, List<String> args) ->
                        MagicErrors.report(notebook, "%schedule", () -> ScheduleMagics.line(args, notebook)))
                .registerLineMagic("backfill", (BaseKernel k, List<String> args) ->
                        MagicErrors.report(notebook, "%backfill", () -> BackfillMagic.line(args, notebook)));
        kernel.eval(IMPORTS);
        Setup.atLoad(notebook);
    }

    @Override
    public void uninstall(BaseKernel kernel) {
        Session.close();
    }

    private static <T> void register(BaseKernel kernel, Class<T> type) {
        kernel.getRenderer().createRegistration(type)
                .preferring(MimeBundle.SVG, MimeBundle.HTML)
                .supporting(MimeBundle.MERMAID, MimeBundle.TEXT)
                .register((value, context) -> {
                    Setup.noticeOnce().ifPresent(kernel.getIO().err::println);
                    Renderings.render(value).ifPresent(bundle -> fill(context.getOutputContainer(), bundle));
                });
    }

    private static void fill(DisplayData output, MimeBundle bundle) {
        bundle.data().forEach(output::putData);
    }
}
