package io.queuack.storage.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.queuack.job.Backoff;
import io.queuack.job.Job;
import io.queuack.storage.JobBatch;
import io.queuack.storage.Storage;
import io.queuack.storage.StorageContractTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The storage contract on PostgreSQL. */
class PostgresStorageTest extends StorageContractTest {

    private final List<String> schemas = new ArrayList<>();

    @Override
    protected Storage openStorage() {
        String schema = TestDatabase.freshSchema();
        schemas.add(schema);
        return PostgresStorage.connect(TestDatabase.url()).schema(schema).poolSize(4).open();
    }

    @Test
    void textWithTabsNewlinesAndBackslashesSurvivesTheCopy() {
        String awkward = "{\"s\":\"tab\\there\\nnew line\\\\ and a \\r\"}\t\n\\\r end";
        JobBatch batch = new JobBatch("q\tueue", "t\\ask", "session\n", 7, 2, Backoff.DEFAULT, null, T0, T0, null,
                List.of(awkward, "plain"), Arrays.asList("key\twith\\odd\ncharacters", null), null);
        long[] ids = storage.insert(List.of(batch)).get(0).ids();
        Job job = storage.find(ids[0]).orElseThrow();
        assertEquals(awkward, job.argumentsJson());
        assertEquals("q\tueue", job.queue());
        assertEquals("t\\ask", job.task());
        assertEquals("key\twith\\odd\ncharacters", job.idempotencyKey());
        assertEquals("plain", storage.find(ids[1]).orElseThrow().argumentsJson());
        assertEquals(ids[0], storage.insert(List.of(batch)).get(0).ids()[0], "the key is found again");
    }

    @AfterEach
    void dropSchemas() {
        if (storage != null) {
            storage.close();
        }
        schemas.forEach(TestDatabase::dropSchema);
    }
}
