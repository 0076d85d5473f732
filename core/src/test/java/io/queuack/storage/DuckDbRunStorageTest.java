package io.queuack.storage;

import io.queuack.storage.duckdb.DuckDbStorage;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The DAG-run storage contract for a DuckDB file. */
class DuckDbRunStorageTest extends RunStorageContractTest {

    @TempDir
    Path dir;

    private int opened;

    @Override
    protected Storage openStorage() {
        return DuckDbStorage.open(dir.resolve("runs-" + opened++ + ".duckdb"));
    }
}
