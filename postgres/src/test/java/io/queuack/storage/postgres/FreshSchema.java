package io.queuack.storage.postgres;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A schema of its own for each test on the test database ({@link TestDatabase}), dropped after it, with the URL
 * that opens a queue in it. Register with {@code @RegisterExtension}; skips the test when no server is configured.
 */
public final class FreshSchema implements BeforeEachCallback, AfterEachCallback {

    private String name;

    @Override
    public void beforeEach(ExtensionContext context) {
        TestDatabase.url();
        name = TestDatabase.freshSchema();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (name != null) {
            io.queuack.Queuack.closeAll();
            TestDatabase.dropSchema(name);
        }
    }

    /** @return the schema's name */
    public String name() {
        return name;
    }

    /** @return a JDBC URL (with credentials) whose queue lives in this schema */
    public String url() {
        return TestDatabase.url() + "&currentSchema=" + name;
    }
}
