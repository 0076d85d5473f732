package io.queuack.storage;

import io.queuack.storage.duckdb.DuckDbStorage;

/** The storage contract for DuckDB in memory. */
class DuckDbInMemoryStorageTest extends StorageContractTest {

    @Override
    protected Storage openStorage() {
        return DuckDbStorage.inMemory();
    }
}
