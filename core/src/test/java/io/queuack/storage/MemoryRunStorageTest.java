package io.queuack.storage;

import io.queuack.storage.memory.MemoryStorage;

/** The DAG-run storage contract for the in-memory backend. */
class MemoryRunStorageTest extends RunStorageContractTest {

    @Override
    protected Storage openStorage() {
        return new MemoryStorage();
    }
}
