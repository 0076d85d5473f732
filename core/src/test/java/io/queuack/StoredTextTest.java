package io.queuack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import io.queuack.job.JobOptions;
import io.queuack.job.JobQuery;
import io.queuack.job.JobStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a job stores is what it reads back: lone surrogates, large JSON, keys that differ only in characters
 * UTF-8 cannot hold. What cannot be kept is refused at enqueue, naming the limit.
 */
class StoredTextTest extends QueueTestBase {

    private static final String LONE = "a\uD800b";

    @ParameterizedTest
    @EnumSource(EdgeValuesTest.Store.class)
    void loneSurrogatesSurviveInJsonAndAreRefusedInKeys(EdgeValuesTest.Store store) {
        Queuack queue = closeLater(store.builder(dir).open());
        queue.register("echo", String.class, (ctx, s) -> {
            ctx.progress(0.5, "half " + s);
            return s + "\uDFFF";
        });
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> JobOptions.defaults().idempotencyKey("\uD800"));
        assertTrue(refused.getMessage().contains("lone surrogate (U+D800) at index 0"), refused.getMessage());
        long question = queue.enqueue("echo", "q", JobOptions.defaults().idempotencyKey("?"));
        long emoji = queue.enqueue("echo", "e", JobOptions.defaults().idempotencyKey("\uD83D\uDE00"));
        assertNotEquals(question, emoji, "a paired surrogate key is its own key");
        assertEquals(emoji, queue.enqueue("echo", "e", JobOptions.defaults().idempotencyKey("\uD83D\uDE00")));

        long id = queue.enqueue("echo", LONE);
        Map<String, String> map = Map.of("k\uDC00", "v\uD801");
        long mapJob = queue.enqueue("echo", map.toString());
        try (WorkerPool pool = queue.workers().concurrency(1).start()) {
            assertEquals(JobStatus.SUCCEEDED, queue.await(id, Waits.LONG).status());
            assertEquals(JobStatus.SUCCEEDED, queue.await(mapJob, Waits.LONG).status());
        }
        assertEquals(LONE + "\uDFFF", queue.result(id, String.class), "the lone surrogates came back as they were");
        assertEquals(map.toString() + "\uDFFF", queue.result(mapJob, String.class));
        assertEquals("\"a\\ud800b\"", queue.job(id).orElseThrow().argumentsJson(), "stored as a JSON escape");
    }

    @ParameterizedTest
    @EnumSource(EdgeValuesTest.Store.class)
    void aLargeArgumentThatIsAcceptedCanBeReadAndALargerOneIsRefused(EdgeValuesTest.Store store) {
        Queuack queue = closeLater(store.builder(dir).maxArgumentBytes(JsonCodec.MAX_JSON_BYTES)
                .maxResultBytes(JsonCodec.MAX_JSON_BYTES).open());
        queue.register("length", String.class, (ctx, s) -> s + "!");
        String big = "x".repeat(24 * 1024 * 1024);
        long id = queue.enqueue("length", big);
        try (WorkerPool pool = queue.workers().concurrency(1).start()) {
            assertEquals(JobStatus.SUCCEEDED, queue.await(id, Waits.LONG).status(), () -> queue.job(id).orElseThrow()
                    .summary());
        }
        assertEquals(big.length() + 1, queue.result(id, String.class).length(), "a 24 MiB result reads back");

        Queuack small = closeLater(Queuack.builder().inMemory().maxArgumentBytes(1000).open());
        small.register("length", String.class, (ctx, s) -> s);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> small.enqueue("length", "y".repeat(2000)));
        assertTrue(refused.getMessage().contains("over the limit of 1000 bytes"), refused.getMessage());
        assertTrue(refused.getMessage().contains("maxArgumentBytes"), refused.getMessage());
        assertEquals(0, small.jobs(JobQuery.all()).size());
        assertThrows(IllegalArgumentException.class, () -> Queuack.builder().maxArgumentBytes(JsonCodec.MAX_JSON_BYTES + 1));
    }

    @Test
    void aMapperWithDefaultTypingIsRefused() {
        ObjectMapper typing = new ObjectMapper();
        typing.activateDefaultTyping(BasicPolymorphicTypeValidator.builder().allowIfBaseType(Object.class).build());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Queuack.builder().objectMapper(typing));
        assertTrue(refused.getMessage().contains("default typing"), refused.getMessage());
        ObjectMapper plain = new ObjectMapper();
        Queuack queue = closeLater(Queuack.builder().inMemory().objectMapper(plain).open());
        queue.register("echo", List.class, (ctx, list) -> list);
        assertEquals(20_000_000, plain.getFactory().streamReadConstraints().getMaxStringLength(),
                "the caller's mapper is left as it was");
    }
}
