package io.queuack.storage;

import io.queuack.storage.duckdb.DuckDbStorage;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The limits contract for a DuckDB file. */
class DuckDbLimitStorageTest extends LimitStorageContractTest {

    @TempDir
    Path dir;

    private int opened;

    @Override
    protected Storage openStorage() {
        return DuckDbStorage.open(dir.resolve("limits-" + opened++ + ".duckdb"));
    }
}
