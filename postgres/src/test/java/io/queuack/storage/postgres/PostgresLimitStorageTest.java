package io.queuack.storage.postgres;

import io.queuack.storage.LimitStorageContractTest;
import io.queuack.storage.Storage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** The limits contract on PostgreSQL. */
class PostgresLimitStorageTest extends LimitStorageContractTest {

    private final List<String> schemas = new ArrayList<>();

    @Override
    protected Storage openStorage() {
        String schema = TestDatabase.freshSchema();
        schemas.add(schema);
        return PostgresStorage.connect(TestDatabase.url()).schema(schema).poolSize(4).open();
    }

    @AfterEach
    void dropSchemas() {
        if (storage != null) {
            storage.close();
        }
        schemas.forEach(TestDatabase::dropSchema);
    }
}
