package io.queuack.dashboard;

import java.util.Map;
import java.util.function.Function;

/** The dashboard's pages by path. */
final class Pages {

    /**
     * One page.
     *
     * @param title  its title
     * @param live   whether it refreshes when the store changes
     * @param render its main part, from the request
     */
    record Page(String title, boolean live, Function<View, String> render) {
    }

    /** A page asked for something that is not stored (a job or run id): 404 with this message. */
    static final class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message);
        }
    }

    private final Map<String, Page> byPath = Map.of(
            "/", new Page("Queues", true, QueuePages::overview),
            "/jobs", new Page("Jobs", true, QueuePages::jobs),
            "/job", new Page("Job", true, QueuePages::job),
            "/dead", new Page("Dead letters", true, QueuePages::deadLetters),
            "/runs", new Page("DAG runs", true, RunPages::runs),
            "/run", new Page("DAG run", true, RunPages::run),
            "/compare", new Page("Compare runs", false, RunPages::compare),
            "/schedules", new Page("Schedules", true, StorePages::schedules),
            "/workers", new Page("Workers", true, StorePages::workers));

    /** @return the page at {@code path}, or null */
    Page find(String path) {
        return byPath.get(path);
    }
}
