package io.queuack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.queuack.error.QueuackException;
import io.queuack.job.Backoff;
import io.queuack.job.JobOptions;
import io.queuack.schedule.CronFlavor;
import io.queuack.schedule.MissedSlots;
import io.queuack.schedule.Schedule;
import io.queuack.schedule.Timing;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@link Schedule} as the JSON a store keeps and reads it back: timing, zone, target, missed-slot policy,
 * and the argument and job options (task schedules) or parameters (DAG schedules). The argument is written with
 * the queue's JSON mapper; it reads back as a JSON tree (maps, lists, strings, numbers).
 */
final class ScheduleCodec {

    private static final ObjectMapper TREES = JsonCodec.defaultMapper();

    private final JsonCodec codec;

    ScheduleCodec(JsonCodec codec) {
        this.codec = codec;
    }

    String write(Schedule schedule) {
        ObjectNode root = TREES.createObjectNode();
        root.put("kind", schedule.kind().name().toLowerCase(Locale.ROOT));
        root.put("target", schedule.target());
        root.set("timing", timing(schedule.timing()));
        root.put("zone", schedule.zone().getId());
        root.put("missed", schedule.missed().toString());
        try {
            if (schedule.kind() == Schedule.Kind.TASK) {
                String argument = codec.writeArgument(schedule.target(), schedule.argument());
                root.set("argument", argument == null ? null : TREES.readTree(argument));
                root.set("options", options(schedule.options()));
            } else {
                String parameters = codec.writeArgument("the parameters of schedule '" + schedule.name() + "'",
                        schedule.parameters());
                root.set("parameters", TREES.readTree(parameters));
                root.put("reuseResults", schedule.reuseResults());
            }
            return TREES.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot write schedule '" + schedule.name() + "' as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    Schedule read(String name, String json) {
        try {
            JsonNode root = TREES.readTree(json);
            String target = root.get("target").asText();
            Schedule schedule = "dag".equals(root.get("kind").asText()) ? Schedule.dag(name, target)
                    : Schedule.task(name, target);
            schedule = schedule.timing(timing(root.get("timing"))).zone(root.get("zone").asText())
                    .missed(MissedSlots.parse(root.get("missed").asText()));
            if (schedule.kind() == Schedule.Kind.TASK) {
                JsonNode argument = root.get("argument");
                if (argument != null && !argument.isNull()) {
                    schedule = schedule.argument(TREES.treeToValue(argument, Object.class));
                }
                return schedule.options(options(root.get("options")));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> parameters = TREES.treeToValue(root.get("parameters"), Map.class);
            return schedule.parameters(parameters).reuseResults(root.path("reuseResults").asBoolean(false));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new QueuackException("Stored schedule '" + name + "' cannot be read (" + e.getMessage() + "); delete it"
                    + " and save it again. Its definition: " + json, e);
        }
    }

    private static ObjectNode timing(Timing timing) {
        ObjectNode node = TREES.createObjectNode();
        if (timing.interval() != null) {
            node.put("kind", "every");
            node.put("interval", timing.interval().toString());
            node.put("anchor", timing.anchor().toString());
        } else {
            node.put("kind", "cron");
            node.put("flavor", timing.flavor().name().toLowerCase(Locale.ROOT));
            node.put("expression", timing.expression());
        }
        return node;
    }

    private static Timing timing(JsonNode node) {
        if ("every".equals(node.get("kind").asText())) {
            return Timing.every(Duration.parse(node.get("interval").asText()), Instant.parse(node.get("anchor").asText()));
        }
        return Timing.cron(CronFlavor.named(node.get("flavor").asText()), node.get("expression").asText());
    }

    private static ObjectNode options(JobOptions options) {
        ObjectNode node = TREES.createObjectNode();
        node.put("queue", options.queue());
        node.put("priority", options.priority());
        node.put("maxAttempts", options.maxAttempts());
        node.put("timeout", options.timeout() == null ? null : options.timeout().toString());
        node.put("ttl", options.ttl() == null ? null : options.ttl().toString());
        Backoff backoff = options.backoff();
        node.putArray("backoff").add(backoff.initialMillis()).add(backoff.multiplier()).add(backoff.maxMillis())
                .add(backoff.jitter());
        return node;
    }

    private static JobOptions options(JsonNode node) {
        JobOptions options = JobOptions.defaults().priority(node.get("priority").asInt())
                .maxAttempts(node.get("maxAttempts").asInt());
        if (!node.path("queue").isNull() && node.has("queue")) {
            options = options.queue(node.get("queue").asText());
        }
        if (!node.path("timeout").isNull() && node.has("timeout")) {
            options = options.timeout(Duration.parse(node.get("timeout").asText()));
        }
        if (!node.path("ttl").isNull() && node.has("ttl")) {
            options = options.ttl(Duration.parse(node.get("ttl").asText()));
        }
        JsonNode backoff = node.get("backoff");
        return options.backoff(Backoff.of(backoff.get(0).asLong(), backoff.get(1).asDouble(), backoff.get(2).asLong(),
                backoff.get(3).asDouble()));
    }
}
