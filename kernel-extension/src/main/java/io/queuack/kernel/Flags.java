package io.queuack.kernel;

import io.queuack.text.DidYouMean;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A magic's {@code --flag} and {@code --option value} arguments, checked against what it accepts. */
final class Flags {

    private final Map<String, String> values;

    private Flags(Map<String, String> values) {
        this.values = values;
    }

    static Flags parse(List<String> args, String magic, List<String> switches, List<String> options) {
        return parse(args, magic, switches, options, List.of());
    }

    /**
     * @param phrases options whose value runs over several arguments, up to the next {@code --option} (a cron
     *                expression: kernels split arguments on spaces and drop quotes), joined by single spaces
     */
    static Flags parse(List<String> args, String magic, List<String> switches, List<String> options,
                       List<String> phrases) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (switches.contains(arg)) {
                values.put(arg, "");
            } else if (phrases.contains(arg)) {
                List<String> words = new ArrayList<>();
                while (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                    words.add(args.get(++i));
                }
                String phrase = String.join(" ", words).strip();
                if (phrase.length() > 1 && (phrase.startsWith("\"") && phrase.endsWith("\"")
                        || phrase.startsWith("'") && phrase.endsWith("'"))) {
                    phrase = phrase.substring(1, phrase.length() - 1).strip();
                }
                if (phrase.isEmpty()) {
                    throw new MagicException(magic + ": " + arg + " needs a value");
                }
                values.put(arg, phrase);
            } else if (options.contains(arg)) {
                if (i + 1 >= args.size()) {
                    throw new MagicException(magic + ": " + arg + " needs a value");
                }
                values.put(arg, args.get(++i));
            } else {
                List<String> known = new ArrayList<>(switches);
                known.addAll(options);
                known.addAll(phrases);
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

    /** @return the option's value as a duration such as {@code 30s}, {@code 15m}, {@code 2h} or {@code 7d} */
    Duration duration(String option) {
        String text = values.get(option);
        String normalized = text.toLowerCase(Locale.ROOT);
        try {
            Duration duration = normalized.endsWith("d")
                    ? Duration.ofDays(Long.parseLong(normalized.substring(0, normalized.length() - 1)))
                    : Duration.parse("PT" + normalized.toUpperCase(Locale.ROOT));
            if (duration.isNegative() || duration.isZero()) {
                throw new NumberFormatException();
            }
            return duration;
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new MagicException(option + " takes a duration such as 30s, 15m, 2h or 7d, got '" + text + "'");
        }
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
