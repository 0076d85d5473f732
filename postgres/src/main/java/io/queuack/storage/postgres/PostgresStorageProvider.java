package io.queuack.storage.postgres;

import io.queuack.storage.Storage;
import io.queuack.storage.StorageProvider;

/**
 * Opens {@code jdbc:postgresql:} URLs for {@code Queuack.open(url)} and {@code Queuack.builder().url(url)}. A
 * {@code currentSchema} URL parameter names the schema the tables live in (created if missing), as it does for
 * {@link PostgresStorage#connect(String)}.
 */
public final class PostgresStorageProvider implements StorageProvider {

    @Override
    public boolean accepts(String location) {
        return location.startsWith("jdbc:postgresql:");
    }

    @Override
    public Storage open(String location) {
        return PostgresStorage.connect(location).open();
    }
}
