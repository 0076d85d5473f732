package io.queuack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.job.Backoff;
import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Random random = new Random(42);

    @Test
    void exponentialGrowsByTheMultiplierUpToTheMaximum() {
        Backoff exact = Backoff.exponential(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(10), 0.0);
        assertEquals(Duration.ofSeconds(1), exact.delayAfter(1, random));
        assertEquals(Duration.ofSeconds(2), exact.delayAfter(2, random));
        assertEquals(Duration.ofSeconds(8), exact.delayAfter(4, random));
        assertEquals(Duration.ofSeconds(10), exact.delayAfter(5, random));
        assertEquals(Duration.ofSeconds(10), exact.delayAfter(500, random));
    }

    @Test
    void jitterShortensWaitsByUpToItsFractionAndSpreadsThem() {
        Backoff jittered = Backoff.exponential(Duration.ofSeconds(4), 1.0, Duration.ofSeconds(4), 0.5);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            long millis = jittered.delayAfter(1, random).toMillis();
            assertTrue(millis >= 2000 && millis <= 4000, "wait " + millis);
            seen.add(millis);
        }
        assertTrue(seen.size() > 100, "jitter spreads the waits");
    }

    @Test
    void fixedAndNoneAreSpecialCases() {
        assertEquals(Duration.ofMillis(250), Backoff.fixed(Duration.ofMillis(250)).delayAfter(7, random));
        assertEquals(Duration.ZERO, Backoff.NONE.delayAfter(3, random));
        assertEquals(Backoff.fixed(Duration.ofSeconds(3)), Backoff.of(3000, 1.0, 3000, 0.0));
    }
}
