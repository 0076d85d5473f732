package io.queuack.kernel;

import io.queuack.dag.Dag;
import io.queuack.dag.DagBuilder;
import io.queuack.dag.DagValidationException;
import io.queuack.dag.TaskBody;
import io.queuack.job.Limits;
import io.queuack.job.TaskContext;
import io.queuack.text.DidYouMean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The compact text form of a DAG that the {@code %%dag} cell magic takes, one task per line:
 *
 * <pre>
 * extract                               : List.of("north", "south")
 * clean   &lt;- extract   retries=2        : ctx.upstream("extract", List.class).size()
 * report  &lt;- clean     timeout=30s mode=ANY priority=80 : { System.out.println("done"); }
 * </pre>
 *
 * <p>A line is a task name, its upstream tasks after {@code <-}, options as {@code key=value}, a colon,
 * and a Java expression (or a <code>{ block }</code>) for the task's body, which sees the task's context as
 * {@code ctx} and anything defined in earlier cells. Indented lines continue the previous body; blank lines
 * and lines starting with {@code #} are skipped. It becomes ordinary builder code ({@link DagCode}), evaluated in
 * the session; the DAG is bound to a variable named after it ({@code _} appended to a Java keyword).
 */
public final class DagCell {

    /** The options a task line takes. */
    static final List<String> OPTIONS = List.of("retries", "timeout", "priority", "mode", "queue", "version");

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h)");

    /** Words a DAG's variable cannot be named (Java's keywords and literals): {@code _} is appended to them. */
    private static final Set<String> RESERVED = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
            "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends", "final",
            "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long",
            "native", "new", "package", "private", "protected", "public", "return", "short", "static", "strictfp",
            "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void", "volatile",
            "while", "true", "false", "null", "_", "var", "yield", "record", "sealed", "permits");

    /**
     * One line of a task's body, as in the cell.
     *
     * @param line its number in the cell (the first line under {@code %%dag} is 1)
     * @param text its text; on the task's line, what precedes the body is blanked out, so columns match the cell
     */
    record BodyLine(int line, String text) {
    }

    /** One task line, parsed, with the lines its body continues on. */
    record TaskLine(int line, String name, List<String> upstream, Map<String, String> options, List<BodyLine> body) {

        TaskLine withLine(BodyLine more) {
            List<BodyLine> lines = new ArrayList<>(body);
            lines.add(more);
            return new TaskLine(line, name, upstream, options, lines);
        }

        /** @return the body's text: its lines joined, columns as in the cell */
        String bodyText() {
            return String.join("\n", body.stream().map(BodyLine::text).toList());
        }
    }

    /** A task body that returns nothing, for bodies such as {@code System.out.println(..)}. */
    @FunctionalInterface
    public interface VoidBody {
        /** @param ctx the task's context */
        void run(TaskContext ctx) throws Exception;
    }

    private final String dagName;
    private final List<TaskLine> tasks;

    private DagCell(String dagName, List<TaskLine> tasks) {
        this.dagName = dagName;
        this.tasks = tasks;
    }

    /** Used by generated code: a body with a value. */
    public static TaskBody body(TaskBody body) {
        return body;
    }

    /** Used by generated code: a body without a value (the task's result is null). */
    public static TaskBody body(VoidBody body) {
        return ctx -> {
            body.run(ctx);
            return null;
        };
    }

    /**
     * @throws MagicException naming the line and column of the first problem
     */
    public static DagCell parse(String dagName, String text) {
        if (dagName == null || !NAME.matcher(dagName).matches()) {
            throw new MagicException("%%dag needs a DAG name first, e.g. `%%dag daily_sales`; got "
                    + (dagName == null ? "none" : "'" + dagName + "'"));
        }
        List<TaskLine> tasks = new ArrayList<>();
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            if (Character.isWhitespace(line.charAt(0)) && !tasks.isEmpty()) {
                tasks.add(tasks.remove(tasks.size() - 1).withLine(new BodyLine(i + 1, line)));
                continue;
            }
            tasks.add(parseLine(i + 1, line));
        }
        if (tasks.isEmpty()) {
            throw new MagicException("%%dag " + dagName + " has no tasks: write one per line, e.g. "
                    + "`extract : List.of(1, 2, 3)`");
        }
        return new DagCell(dagName, tasks);
    }

    /**
     * Checks the DAG's shape before any user code is compiled: builds a copy with empty bodies, so that unknown
     * upstream tasks, duplicates and cycles are reported as the DAG validator words them.
     *
     * @throws MagicException with every problem found
     */
    public void validate() {
        DagBuilder builder = Dag.builder(dagName);
        for (TaskLine task : tasks) {
            DagBuilder.TaskStep step = builder.task(task.name(), () -> null);
            if (!task.upstream().isEmpty()) {
                step.after(task.upstream().toArray(String[]::new));
            }
        }
        try {
            builder.build();
        } catch (DagValidationException e) {
            throw new MagicException("%%dag " + dagName + ": " + e.getMessage());
        }
    }

    /** @return the DAG's name */
    String dagName() {
        return dagName;
    }

    /** @return the tasks, in the cell's order */
    List<TaskLine> tasks() {
        return tasks;
    }

    /** @return whether {@code word} is a Java keyword or literal, which no variable can be named */
    static boolean isReserved(String word) {
        return RESERVED.contains(word);
    }

    /** @return a Java identifier for the DAG's variable: its name, with other characters replaced by '_' */
    public String variableName() {
        String variable = dagName.replaceAll("[^A-Za-z0-9_]", "_");
        return RESERVED.contains(variable) ? variable + "_" : variable;
    }

    private static TaskLine parseLine(int number, String line) {
        int colon = bodyColon(line);
        if (colon < 0) {
            throw error(number, line.length() + 1, "expected ':' and the task's Java expression, e.g. `"
                    + line.strip() + " : 42`");
        }
        String body = " ".repeat(colon + 1) + line.substring(colon + 1);
        if (body.isBlank()) {
            throw error(number, colon + 2, "the task has no body after ':'; write a Java expression or a { block }");
        }
        String head = line.substring(0, colon);
        Matcher name = NAME.matcher(head.stripLeading());
        int offset = head.length() - head.stripLeading().length();
        if (!name.lookingAt()) {
            throw error(number, offset + 1, "a task line starts with the task's name (letters, digits, _ . -)");
        }
        String task = name.group();
        String rest = head.substring(offset + name.end());
        int restStart = offset + name.end();
        List<String> upstream = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        String[] words = rest.split("(?<=\\s)(?=\\S)|(?<=\\S)(?=\\s)");
        int column = restStart;
        boolean inUpstream = false;
        for (String word : words) {
            int at = column + 1;
            column += word.length();
            String token = word.strip();
            if (token.isEmpty()) {
                continue;
            }
            if (token.equals("<-")) {
                inUpstream = true;
                continue;
            }
            int equals = token.indexOf('=');
            if (equals > 0) {
                inUpstream = false;
                String key = token.substring(0, equals);
                if (!OPTIONS.contains(key)) {
                    throw error(number, at, "unknown option '" + key + "'" + DidYouMean.hint(key, OPTIONS) + "; options are "
                            + String.join(", ", OPTIONS));
                }
                String value = token.substring(equals + 1);
                checkOption(number, at + equals + 1, key, value);
                options.put(key, value);
                continue;
            }
            if (!inUpstream) {
                throw error(number, at, "unexpected '" + token + "': upstream tasks go after '<-', options are key=value");
            }
            for (String part : token.split(",")) {
                if (!part.isEmpty()) {
                    upstream.add(part);
                }
            }
        }
        return new TaskLine(number, task, upstream, options, List.of(new BodyLine(number, body)));
    }

    /** @return the first ':' outside quotes that is not part of '::' (a method reference), or -1 */
    private static int bodyColon(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ':' && !quoted) {
                boolean doubled = (i + 1 < line.length() && line.charAt(i + 1) == ':') || (i > 0 && line.charAt(i - 1) == ':');
                if (!doubled) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static void checkOption(int line, int column, String key, String value) {
        boolean valid = switch (key) {
            case "retries" -> value.matches("\\d{1,3}");
            case "priority" -> value.matches("\\d{1,3}") && Integer.parseInt(value) <= 100;
            case "timeout" -> DURATION.matcher(value).matches() && millis(value) > 0
                    && millis(value) <= Limits.MAX_DURATION.toMillis();
            case "mode" -> value.equalsIgnoreCase("ALL") || value.equalsIgnoreCase("ANY");
            default -> !value.isEmpty();
        };
        if (!valid) {
            String expected = switch (key) {
                case "retries" -> "a count such as 3";
                case "priority" -> "0 to 100";
                case "timeout" -> "a duration such as 500ms, 30s, 5m or 1h, more than zero and at most "
                        + Limits.MAX_DURATION.toDays() + " days";
                case "mode" -> "ALL or ANY";
                default -> "a value";
            };
            throw error(line, column, "option " + key + "=" + value + " is not valid: expected " + expected);
        }
    }

    static String option(String key, String value) {
        return switch (key) {
            case "retries" -> ".retries(" + value + ")";
            case "priority" -> ".priority(" + value + ")";
            case "timeout" -> ".timeout(java.time.Duration.ofMillis(" + millis(value) + "L))";
            case "mode" -> ".mode(io.queuack.job.DependencyMode." + value.toUpperCase(Locale.ROOT) + ")";
            case "queue" -> ".queue(" + quote(value) + ")";
            default -> ".version(" + quote(value) + ")";
        };
    }

    private static long millis(String value) {
        Matcher matcher = DURATION.matcher(value);
        matcher.matches();
        long amount = Long.parseLong(matcher.group(1));
        long unit = switch (matcher.group(2)) {
            case "ms" -> 1;
            case "s" -> 1_000;
            case "m" -> 60_000;
            default -> 3_600_000;
        };
        return amount > Long.MAX_VALUE / unit ? Long.MAX_VALUE : amount * unit;
    }

    private static MagicException error(int line, int column, String message) {
        return new MagicException("%%dag line " + line + ", column " + column + ": " + message);
    }

    static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
