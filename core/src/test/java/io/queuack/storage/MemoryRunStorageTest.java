package io.queuack.storage;

/** The DAG-run storage contract for the in-memory backend. */
class MemoryRunStorageTest extends RunStorageContractTest {

    @Override
    protected Storage openStorage() {
        return Storage.memory();
    }
}
