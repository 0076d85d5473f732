package io.queuack.dag;

import io.queuack.error.QueuackException;
import java.util.List;

/** A DAG definition has problems; every problem found is listed, not just the first. */
public class DagValidationException extends QueuackException {

    private final transient List<String> problems;

    public DagValidationException(String dag, List<String> problems) {
        super("DAG '" + dag + "' is not valid (" + problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
                + "):\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** @return each problem, one sentence each */
    public List<String> problems() {
        return problems;
    }
}
