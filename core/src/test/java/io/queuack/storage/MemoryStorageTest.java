package io.queuack.storage;

/** The storage contract for the in-memory backend. */
class MemoryStorageTest extends StorageContractTest {

    @Override
    protected Storage openStorage() {
        return Storage.memory();
    }
}
