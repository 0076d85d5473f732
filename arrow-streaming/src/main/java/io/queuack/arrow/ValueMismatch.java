package io.queuack.arrow;

/** A value that does not fit its column; the writer adds the row and column to the message. */
final class ValueMismatch extends RuntimeException {

    ValueMismatch(String message) {
        super(message, null, false, false);
    }

    static ValueMismatch of(Column column, String needs, Object got) {
        String shown = got instanceof CharSequence ? "\"" + got + "\"" : String.valueOf(got);
        if (shown.length() > 60) {
            shown = shown.substring(0, 57) + "...";
        }
        return new ValueMismatch("a " + column.type() + " column needs " + needs + ", got "
                + got.getClass().getSimpleName() + " " + shown);
    }
}
