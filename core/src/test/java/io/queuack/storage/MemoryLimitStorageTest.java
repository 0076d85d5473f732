package io.queuack.storage;

import io.queuack.storage.memory.MemoryStorage;

/** The limits contract for the in-memory backend. */
class MemoryLimitStorageTest extends LimitStorageContractTest {

    @Override
    protected Storage openStorage() {
        return new MemoryStorage();
    }
}
