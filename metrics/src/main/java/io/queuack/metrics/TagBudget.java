package io.queuack.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Lets at most a fixed number of distinct names into a tag; later names are tagged {@value #OTHER}. */
final class TagBudget {

    static final String OTHER = "other";

    private final int max;
    private final Set<String> admitted = ConcurrentHashMap.newKeySet();

    TagBudget(int max) {
        this.max = max;
    }

    String tag(String name) {
        if (name == null) {
            return "none";
        }
        if (admitted.contains(name)) {
            return name;
        }
        synchronized (this) {
            if (admitted.size() < max) {
                admitted.add(name);
                return name;
            }
        }
        return OTHER;
    }
}
