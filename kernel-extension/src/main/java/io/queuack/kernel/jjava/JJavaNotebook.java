package io.queuack.kernel.jjava;

import io.queuack.kernel.KernelFailures;
import io.queuack.kernel.MimeBundle;
import io.queuack.kernel.Notebook;
import java.util.UUID;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/** {@link Notebook} on JJava's base kernel. */
final class JJavaNotebook implements Notebook {

    private final BaseKernel kernel;

    JJavaNotebook(BaseKernel kernel) {
        this.kernel = kernel;
    }

    @Override
    public Object eval(String code) {
        try {
            return kernel.evalRaw(code);
        } catch (RuntimeException e) {
            throw KernelFailures.translate(e, KernelFailures.shellOf(kernel));
        }
    }

    @Override
    public void display(MimeBundle output) {
        kernel.display(data(output));
    }

    @Override
    public LiveOutput displayLive(MimeBundle first) {
        String id = "queuack-" + UUID.randomUUID();
        DisplayData data = data(first);
        // putTransientData rather than setDisplayId: the latter changed its signature after JJava 1.0-a6
        data.putTransientData("display_id", id);
        kernel.getIO().display.display(data);
        return output -> kernel.getIO().display.updateDisplay(id, data(output));
    }

    @Override
    public void error(String line) {
        kernel.getIO().err.println(line);
    }

    @Override
    public boolean inCell() {
        return kernel.getIO().display.isAttached();
    }

    static DisplayData data(MimeBundle bundle) {
        DisplayData data = new DisplayData();
        bundle.data().forEach(data::putData);
        return data;
    }
}
