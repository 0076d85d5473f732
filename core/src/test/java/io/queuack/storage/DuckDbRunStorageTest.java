package io.queuack.storage;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The DAG-run storage contract for a DuckDB file. */
class DuckDbRunStorageTest extends RunStorageContractTest {

    @TempDir
    Path dir;

    private int opened;

    @Override
    protected Storage openStorage() {
        return Storage.duckdb(dir.resolve("runs-" + opened++ + ".duckdb"));
    }
}
