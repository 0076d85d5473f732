package io.queuack.storage.postgres;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Column values handed to PostgreSQL as arrays, so that one statement writes many rows
 * ({@code unnest(?::bigint[], ...)}). Times travel as ISO text and are cast to {@code timestamp} in SQL.
 */
final class Columns {

    private Columns() {
    }

    /** @return the UTC wall-clock text of {@code instant} (e.g. {@code 2026-01-01T08:00:00.123456}), or null */
    static String time(Instant instant) {
        return instant == null ? null : LocalDateTime.ofInstant(instant, ZoneOffset.UTC).toString();
    }
}
