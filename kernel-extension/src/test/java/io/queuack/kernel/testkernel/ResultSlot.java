package io.queuack.kernel.testkernel;

/** Hands a cell's last value from JShell's snippet to the kernel: both run in this JVM and share this class. */
public final class ResultSlot {

    private static Object value;

    private ResultSlot() {
    }

    /** Called from the cell: {@code ResultSlot.hold($1)}. */
    public static synchronized void hold(Object result) {
        value = result;
    }

    public static synchronized Object take() {
        Object result = value;
        value = null;
        return result;
    }
}
