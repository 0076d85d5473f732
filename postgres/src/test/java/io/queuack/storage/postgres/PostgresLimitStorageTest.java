package io.queuack.storage.postgres;

import io.queuack.storage.LimitStorageContractTest;
import io.queuack.storage.Storage;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The limits contract on PostgreSQL, in a schema of its own per test. */
class PostgresLimitStorageTest extends LimitStorageContractTest {

    @RegisterExtension
    final FreshSchema schema = new FreshSchema();

    @Override
    protected Storage openStorage() {
        return PostgresStorage.connect(TestDatabase.url()).schema(schema.name()).poolSize(4).open();
    }
}
