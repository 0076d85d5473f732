package io.queuack.kernel.jjava;

import io.queuack.kernel.MimeBundle;
import io.queuack.kernel.Renderings;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/**
 * Queuack's JJava extension, found by JJava through {@code META-INF/services}: loading the jar (on the
 * kernel's class path, or with {@code %jars} / {@code %maven}) registers the renderers and imports the
 * public API into the session. Uses only the part of JJava's base library that is the same in 1.0-a6 and
 * later releases.
 */
public final class JJavaExtension implements Extension {

    /** The packages a notebook gets imported. */
    static final String IMPORTS = "import io.queuack.*; import io.queuack.dag.*; import io.queuack.draw.*;"
            + " import io.queuack.arrow.*; import tech.tablesaw.api.*;";

    @Override
    public void install(BaseKernel kernel) {
        for (Class<?> type : Renderings.TYPES) {
            register(kernel, type);
        }
        kernel.eval(IMPORTS);
    }

    private static <T> void register(BaseKernel kernel, Class<T> type) {
        kernel.getRenderer().createRegistration(type)
                .preferring(MimeBundle.SVG, MimeBundle.HTML)
                .supporting(MimeBundle.MERMAID, MimeBundle.TEXT)
                .register((value, context) -> Renderings.render(value).ifPresent(bundle -> fill(context.getOutputContainer(),
                        bundle)));
    }

    private static void fill(DisplayData output, MimeBundle bundle) {
        bundle.data().forEach(output::putData);
    }
}
