package io.queuack;

import java.nio.file.Path;

/** The stores engine tests run against. */
enum Backend {
    MEMORY {
        @Override
        QueuackBuilder builder(Path dir) {
            return Queuack.builder().inMemory();
        }
    },
    DUCKDB_FILE {
        @Override
        QueuackBuilder builder(Path dir) {
            return Queuack.builder().duckdb(dir.resolve("queue.duckdb"));
        }
    };

    abstract QueuackBuilder builder(Path dir);
}
