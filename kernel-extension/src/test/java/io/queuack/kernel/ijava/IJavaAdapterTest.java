package io.queuack.kernel.ijava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import io.github.spencerpark.jupyter.kernel.magic.registry.Magics;
import io.queuack.dag.Dag;
import io.queuack.kernel.JupyterClient;
import io.queuack.kernel.testkernel.CellShell;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The IJava adapter on a kernel shaped like IJava's (its base library, {@code evalRaw} and {@code getMagics} over
 * JShell): IJava itself is not on Maven Central, so this is as close as the build can get.
 */
class IJavaAdapterTest {

    /** What the adapter needs of IJava's {@code JavaKernel}. */
    public static final class IJavaShapedKernel extends BaseKernel {
        private final CellShell shell = new CellShell();
        private final Magics magics = new Magics();

        IJavaShapedKernel() {
            shell.addToClasspath(JupyterClient.testClassPath());
        }

        public Magics getMagics() {
            return magics;
        }

        public Object evalRaw(String code) {
            return shell.eval(code);
        }

        @Override
        public DisplayData eval(String code) {
            return getRenderer().render(evalRaw(code));
        }

        @Override
        public LanguageInfo getLanguageInfo() {
            return new LanguageInfo.Builder("Java").build();
        }
    }

    @Test
    void installRegistersRenderersAndMagicsThatEvaluateInTheSession() throws Exception {
        IJavaShapedKernel kernel = new IJavaShapedKernel();
        IJavaAdapter.install(kernel);

        kernel.getMagics().applyCellMagic("dag", List.of("etl"), "a : 1\nb <- a : 2");

        Dag etl = (Dag) kernel.evalRaw("etl");
        assertEquals(2, etl.tasks().size());
        DisplayData shown = kernel.getRenderer().render(etl);
        assertTrue(String.valueOf(shown.getData(MIMEType.IMAGE_SVG)).contains("</svg>"));
        assertTrue(String.valueOf(shown.getData(MIMEType.TEXT_PLAIN)).contains("└── ○ a"));
    }

    @Test
    void aKernelWithoutIJavasMethodsIsRefusedWithTheRightCall() {
        BaseKernel other = new BaseKernel() {
            @Override
            public DisplayData eval(String code) {
                return null;
            }

            @Override
            public LanguageInfo getLanguageInfo() {
                return new LanguageInfo.Builder("Java").build();
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IJavaAdapter.install(other));
        assertTrue(e.getMessage().contains("IJava.getKernelInstance()"), e.getMessage());
    }
}
