package io.queuack.dashboard;

/** The frame around every page: head, navigation, and the {@code <main>} that live pages refresh in place. */
final class Layout {

    private static final String[][] NAV = {
        {"./", "Queues"}, {"jobs", "Jobs"}, {"dead", "Dead letters"}, {"runs", "DAG runs"},
        {"schedules", "Schedules"}, {"workers", "Workers"}};

    private Layout() {
    }

    /**
     * @param live whether the page follows the store: its main part is fetched again (at most once a second) when
     *             the store changes
     */
    static String page(String title, String description, boolean live, String main) {
        Html html = new Html();
        html.raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .element("title", "", title + " · Queuack").raw("<link rel=\"stylesheet\" href=\"static/dashboard.css\">")
                .raw("<script src=\"static/dashboard.js\" defer></script></head><body><header><span class=\"brand\">")
                .raw("Queuack</span><span class=\"store\">").text(description).raw("</span><nav>");
        for (String[] item : NAV) {
            html.link(item[0], item[1]);
        }
        html.raw("</nav></header><main id=\"main\"").raw(live ? " data-live=\"events\"" : "").raw(">").raw(main)
                .raw("</main></body></html>");
        return html.toString();
    }
}
