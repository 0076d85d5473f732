package io.queuack.dashboard;

import io.queuack.Queuack;
import java.time.Instant;

/**
 * What a page is rendered from: the queue, the request's parameters, and whether the browser may act (actions
 * enabled and the token presented).
 *
 * @param queue  the open queue
 * @param counts the store-wide counts, as last read
 * @param query  the request's parameters
 * @param token  the action token when this browser may act, else null
 * @param now    the time the page is rendered at
 */
record View(Queuack queue, Counts counts, Query query, String token, Instant now) {

    boolean canAct() {
        return token != null;
    }

    /**
     * Appends a one-button form that posts {@code action} (with {@code name=value} pairs) and comes back to
     * {@code back}; nothing when this browser may not act.
     */
    void button(Html html, String action, String label, String back, String confirm, String... pairs) {
        if (!canAct()) {
            return;
        }
        html.raw("<form method=\"post\" action=\"action\" class=\"act\"").raw(confirm == null ? ""
                : " data-confirm=\"" + Html.escape(confirm) + "\"").raw(">");
        hidden(html, "token", token);
        hidden(html, "action", action);
        hidden(html, "back", back);
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            hidden(html, pairs[i], pairs[i + 1]);
        }
        html.raw("<button type=\"submit\" name=\"do\" value=\"").text(action).raw("\">").text(label).raw("</button></form>");
    }

    private static void hidden(Html html, String name, String value) {
        html.raw("<input type=\"hidden\" name=\"").text(name).raw("\" value=\"").text(value).raw("\">");
    }
}
