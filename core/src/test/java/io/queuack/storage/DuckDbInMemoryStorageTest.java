package io.queuack.storage;

/** The storage contract for DuckDB in memory. */
class DuckDbInMemoryStorageTest extends StorageContractTest {

    @Override
    protected Storage openStorage() {
        return Storage.duckdbInMemory();
    }
}
