package io.queuack.dashboard;

import io.queuack.job.WorkerInfo;
import io.queuack.schedule.ScheduleInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The pages about the store's machinery: schedules with their next fire times, worker pools with heartbeats. */
final class StorePages {

    private StorePages() {
    }

    static String schedules(View view) {
        List<ScheduleInfo> schedules = view.queue().schedules().list();
        Html html = new Html().raw("<h1>Schedules</h1>");
        if (schedules.isEmpty()) {
            return html.raw("<p class=\"empty\">No schedules.</p>").toString();
        }
        html.raw("<div class=\"scroll\"><table><thead><tr><th>Name</th><th>Starts</th><th>When</th><th>Zone</th>")
                .raw("<th>Next (UTC)</th><th>Then</th><th>Last slot</th></tr></thead><tbody>");
        for (ScheduleInfo info : schedules) {
            List<Instant> next = info.paused() ? List.of() : info.nextSlots(3);
            html.raw("<tr>").element("td", "", info.name()).element("td", "", info.schedule().describeTarget())
                    .element("td", "", info.schedule().timing().describe()).element("td", "", info.schedule().zone())
                    .raw("<td>").raw(info.paused() ? "<span class=\"badge paused\">paused</span>"
                            : Html.escape(next.isEmpty() ? "" : Html.time(next.get(0)))).raw("</td>")
                    .element("td", "", next.size() < 2 ? "" : Html.time(next.get(1)) + (next.size() > 2 ? ", "
                            + Html.time(next.get(2)) : ""))
                    .element("td", "", Html.time(info.lastSlot())).raw("</tr>");
        }
        return html.raw("</tbody></table></div>").toString();
    }

    static String workers(View view) {
        List<WorkerInfo> pools = view.queue().workerPools();
        Html html = new Html().raw("<h1>Worker pools</h1>");
        if (pools.isEmpty()) {
            return html.raw("<p class=\"empty\">No worker pool uses this store now.</p>").toString();
        }
        html.raw("<div class=\"scroll\"><table><thead><tr><th>Host</th><th class=\"num\">Process</th><th>Pool</th>")
                .raw("<th>Queues</th><th class=\"num\">Threads</th><th class=\"num\">Holds</th><th>State</th>")
                .raw("<th>Last heartbeat</th></tr></thead><tbody>");
        for (WorkerInfo pool : pools) {
            WorkerInfo.State state = pool.state(view.now());
            html.raw("<tr>").element("td", "", pool.host()).element("td", "class=\"num\"", pool.pid())
                    .element("td", "class=\"worker\"", pool.id()).element("td", "", pool.queues())
                    .element("td", "class=\"num\"", pool.concurrency()).element("td", "class=\"num\"", pool.heldJobs())
                    .raw("<td>").element("span", "class=\"badge " + state.name().toLowerCase(java.util.Locale.ROOT) + "\"",
                            state.name().toLowerCase(java.util.Locale.ROOT)).raw("</td>")
                    .element("td", "", Html.duration(Duration.between(pool.heartbeatAt(), view.now()).abs()) + " ago")
                    .raw("</tr>");
        }
        return html.raw("</tbody></table></div>").toString();
    }
}
