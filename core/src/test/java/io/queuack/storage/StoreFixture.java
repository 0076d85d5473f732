package io.queuack.storage;

import io.queuack.job.JobError;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the storage contract suites share: a fresh store per test, closed after it, and the fixed
 * time, owner and error the tests use. A backend's test says how to open its store.
 */
public abstract class StoreFixture {

    protected static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    protected static final String OWNER = "pool-a";
    protected static final JobError BOOM = new JobError("java.lang.IllegalStateException", "boom", "trace");

    protected Storage storage;

    /** @return a fresh, empty, open store */
    protected abstract Storage openStorage();

    @BeforeEach
    void open() {
        storage = openStorage();
    }

    @AfterEach
    void closeStorage() {
        if (storage != null) {
            storage.close();
        }
    }
}
