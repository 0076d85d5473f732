package io.queuack.kernel;

import io.queuack.text.DidYouMean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A magic's {@code --flag} and {@code --option value} arguments, checked against what it accepts. */
final class Flags {

    private final Map<String, String> values;

    private Flags(Map<String, String> values) {
        this.values = values;
    }

    static Flags parse(List<String> args, String magic, List<String> switches, List<String> options) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (switches.contains(arg)) {
                values.put(arg, "");
            } else if (options.contains(arg)) {
                if (i + 1 >= args.size()) {
                    throw new MagicException(magic + ": " + arg + " needs a value");
                }
                values.put(arg, args.get(++i));
            } else {
                List<String> known = new ArrayList<>(switches);
                known.addAll(options);
                throw new MagicException(magic + ": unknown argument '" + arg + "'" + DidYouMean.hint(arg, known)
                        + (known.isEmpty() ? "" : "; it takes " + String.join(", ", known)) + " (--help explains)");
            }
        }
        return new Flags(values);
    }

    boolean has(String flag) {
        return values.containsKey(flag);
    }

    String text(String option) {
        return values.get(option);
    }

    /** @return the option's number, from 1 to 256, or {@code fallback} if it is absent */
    int number(String option, int fallback) {
        return number(option, fallback, 1);
    }

    /** @return the option's number, from {@code least} to 256, or {@code fallback} if it is absent */
    int number(String option, int fallback, int least) {
        String value = values.get(option);
        if (value == null) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value);
            if (number < least || number > 256) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw new MagicException(option + " takes a number from " + least + " to 256, got '" + value + "'");
        }
    }
}
