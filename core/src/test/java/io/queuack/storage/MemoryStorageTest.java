package io.queuack.storage;

import io.queuack.storage.memory.MemoryStorage;

/** The storage contract for the in-memory backend. */
class MemoryStorageTest extends StorageContractTest {

    @Override
    protected Storage openStorage() {
        return new MemoryStorage();
    }
}
