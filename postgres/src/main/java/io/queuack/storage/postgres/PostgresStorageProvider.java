package io.queuack.storage.postgres;

import io.queuack.storage.Storage;
import io.queuack.storage.StorageProvider;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opens {@code jdbc:postgresql:} URLs for {@code Queuack.open(url)} and {@code Queuack.builder().url(url)}. A
 * {@code currentSchema} URL parameter names the schema the tables live in (created if missing).
 */
public final class PostgresStorageProvider implements StorageProvider {

    private static final Pattern CURRENT_SCHEMA = Pattern.compile("[?&]currentSchema=([^&]+)");

    @Override
    public boolean accepts(String location) {
        return location.startsWith("jdbc:postgresql:");
    }

    @Override
    public Storage open(String location) {
        PostgresStorage.Builder builder = PostgresStorage.connect(location);
        Matcher schema = CURRENT_SCHEMA.matcher(location);
        if (schema.find()) {
            builder.schema(schema.group(1));
        }
        return builder.open();
    }
}
