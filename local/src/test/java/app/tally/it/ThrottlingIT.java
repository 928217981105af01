package app.tally.it;

import static app.tally.it.LocalApi.get;
import static app.tally.it.LocalApi.newUser;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.it.LocalApi.Reply;
import app.tally.services.exports.TransactionCsv;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Imports under DynamoDB's per-partition-key write limit, which the fault proxy enforces for the test user's keys
 * (a token bucket per partition key; a lower rate than AWS's 1,000 WCU/s so that the local import meets it). An import
 * spreads its row errors and bookkeeping over several partitions and waits throttling out within a worker's budget:
 * its row errors are all reported and its valid rows stored once.
 */
class ThrottlingIT {
    @AfterEach
    void disarm() {
        LocalApi.send(HttpRequest.newBuilder(LocalApi.API.resolve("/_local/faults")).DELETE().build());
    }

    /** Limits every partition key of the user to {@code units} write units per second; returns the armed plan. */
    private static JsonNode limitKeysOf(String user, int units) {
        Reply armed = LocalApi.send(HttpRequest.newBuilder(LocalApi.API.resolve("/_local/faults?keyPrefix="
                        + URLEncoder.encode("U#" + user, StandardCharsets.UTF_8) + "&keyWriteUnits=" + units))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, armed.status(), armed.toString());
        return armed.json();
    }

    private static long throttledWrites() {
        return LocalApi.send(HttpRequest.newBuilder(LocalApi.API.resolve("/_local/faults")).GET().build()).json()
                .path("services").path("DynamoDB").path("throttledByKeyLimit").asLong();
    }

    /** A file of {@code rows} rows that are all invalid, in a few kinds. */
    private static String badRows(int rows) {
        String[] broken = {",2026-02-30,expense,1.00,CNY,餐饮,,,", ",2026-03-01,spend,1.00,CNY,餐饮,,,",
                ",2026-03-01,expense,12.345,CNY,餐饮,,,", ",2026-03-01,expense,1.00,XYZ,餐饮,,,"};
        StringBuilder csv = new StringBuilder();
        TransactionCsv.appendHeader(csv);
        for (int i = 0; i < rows; i++) {
            csv.append(broken[i % broken.length]).append("\r\n");
        }
        return csv.toString();
    }

    /** Every row error of the job, paging 100 at a time; asserts they come in row order. */
    private static List<Long> errorRows(String user, String id) {
        List<Long> rows = new ArrayList<>();
        String cursor = null;
        do {
            Reply page = get("/jobs/" + id + "/errors?limit=100" + (cursor == null ? "" : "&cursor=" + cursor), user);
            assertEquals(200, page.status(), page.toString());
            for (JsonNode error : page.json().get("items")) {
                long row = error.get("row").asLong();
                assertTrue(rows.isEmpty() || row > rows.get(rows.size() - 1), "row " + row + " after " + rows.size());
                assertTrue(!error.get("reason").asText().isEmpty() && !error.get("raw").asText().isEmpty());
                rows.add(row);
            }
            cursor = page.json().get("nextCursor").isNull() ? null : page.json().get("nextCursor").asText();
        } while (cursor != null);
        return rows;
    }

    private static long timedImport(String user, String csv, JsonNode[] finished) {
        long started = System.currentTimeMillis();
        String id = ImportIT.importBody(user, csv, "");
        finished[0] = ImportIT.awaitFinished(user, id);
        return System.currentTimeMillis() - started;
    }

    @Test
    void tenThousandBadRowsUnderAPerKeyWriteLimitEndWithEveryRowErrorReported() {
        String csv = badRows(10_000);
        JsonNode[] job = new JsonNode[1];
        long free = timedImport(newUser("throttle-free"), csv, job);
        assertEquals("failed", job[0].get("status").asText(), job[0].toString());

        String user = newUser("throttle-bad-rows");
        // 100 WCU/s per key: the old layout (every error on U#<user>, eight quick retries) gave up at this rate.
        limitKeysOf(user, 100);
        long limited = timedImport(user, csv, job);
        long throttled = throttledWrites();
        System.out.printf("10,000 bad rows: %,d ms without a key limit, %,d ms at 100 WCU/s per key (%,d writes "
                + "throttled)%n", free, limited, throttled);
        assertTrue(throttled > 0, "the key limit bit: " + throttled);

        JsonNode finished = job[0];
        // No valid row: the import fails with its reason, and every row's error is there to read.
        assertEquals("failed", finished.get("status").asText(), finished.toString());
        assertTrue(finished.get("error").asText().contains("No row of the file is valid"), finished.toString());
        assertEquals(10_000, finished.get("progress").get("total").asLong());
        assertEquals(10_000, finished.get("progress").get("invalid").asLong());
        String id = finished.get("jobId").asText();
        assertEquals(LongStream.rangeClosed(2, 10_001).boxed().toList(), errorRows(user, id));
    }

    /**
     * {@code valid} rows over two months (so chunks of one month follow each other onto the same keys) and a bad row
     * after every ninth; the bad rows' numbers.
     */
    private static String mixedRows(int valid, List<Long> badRows) {
        String[] categories = {"餐饮", "交通", "房租"};
        StringBuilder csv = new StringBuilder();
        TransactionCsv.appendHeader(csv);
        long row = 1;
        for (int i = 0; i < valid; i++) {
            if (i % 9 == 8) {
                csv.append(",2026-04-31,expense,1.00,CNY,餐饮,,,\r\n");
                badRows.add(++row);
            }
            csv.append(",2026-0").append(4 + i % 2).append('-').append(String.format("%02d", 1 + i % 28))
                    .append(",expense,").append(1 + i % 500).append('.').append(String.format("%02d", i % 100))
                    .append(",CNY,").append(categories[i % 3]).append(",row ").append(i).append(",,\r\n");
            row++;
        }
        return csv.toString();
    }

    @Test
    void aMixedFileUnderAPerKeyWriteLimitStoresItsValidRowsOnceWithExactStatistics() {
        String user = newUser("throttle-mixed");
        List<Long> badRows = new ArrayList<>();
        String csv = mixedRows(3_000, badRows);
        // A chunk's transaction writes up to 97 rows of one month to one key (2 WCU each): the rate must hold one.
        limitKeysOf(user, 250);
        JsonNode[] job = new JsonNode[1];
        long millis = timedImport(user, csv, job);
        long throttled = throttledWrites();
        System.out.printf("3,000 valid + %d bad rows at 250 WCU/s per key: %,d ms (%,d writes throttled)%n",
                badRows.size(), millis, throttled);
        assertTrue(throttled > 0, "the key limit bit: " + throttled);

        JsonNode progress = job[0].get("progress");
        assertEquals("succeeded", job[0].get("status").asText(), job[0].toString());
        assertEquals(3_000, progress.get("imported").asLong(), progress.toString());
        assertEquals(0, progress.get("duplicates").asLong());
        assertEquals(0, progress.get("failed").asLong());
        assertEquals(badRows.size(), progress.get("invalid").asLong());
        assertEquals(3_000, LocalApi.itemsWithPrefix("U#" + user + "#M#").size());
        assertEquals(LocalApi.recountedStatistics(user), LocalApi.storedStatistics(user));
        assertEquals(badRows, errorRows(user, job[0].get("jobId").asText()));
    }
}
