package io.queuack.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.Queuack;
import io.queuack.job.JobQuery;
import io.queuack.job.JobStatus;
import io.queuack.schedule.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A schedule that fires every second on a store whose worker hosts all fire schedules: each host's pool wakes for
 * every slot at the same moment, and each slot must still become one job, run once, with none missing.
 */
final class SlotsOnHosts {

    private SlotsOnHosts() {
    }

    /** Lets the hosts fire {@code slots} slots of an every-second schedule, then checks each fired and ran once. */
    static void everySlotFiresOnce(Queuack queue, List<Host> hosts, int slots) throws Exception {
        queue.schedules().save(Schedule.task("every-second", "tick").every(Duration.ofSeconds(1)));
        Instant deadline = Instant.now().plusSeconds(slots + 30);
        while (ticks(queue) < slots) {
            assertTrue(Instant.now().isBefore(deadline), "the hosts fire the schedule: " + ticks(queue) + " slots");
            Thread.sleep(100);
        }
        queue.schedules().delete("every-second");
        int fired = ticks(queue);
        Executions.awaitAllSucceeded(queue, (int) queue.stats().stream().mapToLong(s -> s.total()).sum(),
                Duration.ofMinutes(1));
        List<Instant> times = new ArrayList<>();
        queue.jobs(JobQuery.all().task("tick").limit(10_000)).forEach(job -> times.add(Instant.parse(
                job.idempotencyKey().substring(job.idempotencyKey().indexOf('@') + 1))));
        times.sort(null);
        assertEquals(fired, times.size());
        for (int i = 1; i < times.size(); i++) {
            assertEquals(Duration.ofSeconds(1), Duration.between(times.get(i - 1), times.get(i)),
                    "no slot missing or doubled: " + times);
        }
        Map<String, Integer> runs = new HashMap<>();
        for (Host host : hosts) {
            for (String line : host.executions()) {
                if (line.startsWith("tick ")) {
                    runs.merge(line.substring(5), 1, Integer::sum);
                }
            }
        }
        assertEquals(times.size(), runs.size(), "every slot's job ran");
        assertTrue(runs.values().stream().allMatch(count -> count == 1), "once: " + runs);
    }

    private static int ticks(Queuack queue) {
        return queue.jobs(JobQuery.all().task("tick").limit(10_000)).size();
    }
}
