package io.queuack.kernel;

import io.queuack.job.LimitState;
import java.util.ArrayList;
import java.util.List;

/**
 * The limits of a queue's store with what each counts now, as one table (what {@code %queue limits} shows).
 *
 * @param limits the limits, by scope and name
 */
public record LimitTable(List<LimitState> limits) {

    public LimitTable {
        limits = List.copyOf(limits);
    }

    /** @return the table as text and HTML */
    MimeBundle render() {
        List<List<Object>> rows = new ArrayList<>();
        StringBuilder text = new StringBuilder("Limits (" + limits.size() + ")");
        for (LimitState state : limits) {
            rows.add(List.of(state.limit().label(), state.limit().describeBounds(),
                    state.limit().maxRunning() > 0 ? String.valueOf(state.running()) : "",
                    state.limit().maxStarts() > 0 ? String.valueOf(state.started()) : "",
                    state.limit().isPattern() ? state.fullKeys() + " keys full" : state.full() ? "full" : "",
                    state.nextStartAt() == null ? "" : state.nextStartAt()));
            text.append('\n').append(state.summary());
        }
        String html = "<div class=\"queuack-limits\"><p><b>Limits</b> (" + limits.size() + ")</p>" + Html.table(
                List.of("limit", "bounds", "running", "started in window", "held back", "next start"), rows) + "</div>";
        return MimeBundle.text(text.toString()).with(MimeBundle.HTML, html);
    }
}
