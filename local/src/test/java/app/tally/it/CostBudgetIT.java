package app.tally.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.tally.telemetry.UserRef;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a request may cost in DynamoDB capacity units, read from the units its function logged (docs/cost.md), so that
 * a change that makes a create or a dashboard view dearer fails here rather than on the bill. Every item these
 * requests touch is under 1 KB (a write unit) and every read answers under 4 KB (a read unit).
 */
class CostBudgetIT {
    /** Item and its month's statistics item, in one transaction: (1 + 1) × 2 write units. */
    private static final double CREATE_WRITE_UNITS = 4;
    /** The same and the idempotency record, in the same transaction: (1 + 1 + 1) × 2. */
    private static final double CREATE_WITH_KEY_WRITE_UNITS = 6;
    /**
     * Profile, one Query for every month's statistics, the two newest month partitions, and for the conversion into
     * the profile's currency one stored rate day per month shown (6) unless the container holds it already: one read
     * and one unit at most each.
     */
    private static final int DASHBOARD_READS = 4 + 6;

    /**
     * Requests measured, the cheapest judged: a call the SDK starts on its own thread counts for the last invocation
     * that called the same client (docs/cost.md), so while other tests run at once a line may carry a few of another
     * request's calls; a change that makes every request dearer still fails.
     */
    private static final int TRIES = 3;

    private static final String CREATE = "{\"amount\":\"12.34\",\"currency\":\"CNY\",\"type\":\"expense\","
            + "\"category\":\"餐饮\",\"date\":\"2026-11-24\"}";

    @Test
    void aCreateCostsNoMoreThanOneTransactionOfTheItemAndItsStatistics() throws Exception {
        String user = LocalApi.newUser("budget-create");
        awaitQuietStack();
        for (int i = 0; i < TRIES; i++) {
            assertEquals(201, LocalApi.post("/transactions", user, CREATE).status());
        }
        JsonNode line = cheapest(user, "POST /transactions", "WriteUnits");
        assertTrue(line.get("WriteUnits").asDouble() > 0, "the create's writes were metered: " + line);
        assertTrue(line.get("WriteUnits").asDouble() <= CREATE_WRITE_UNITS, "over its write budget: " + line);
        assertEquals(0, line.get("ReadUnits").asDouble(), "a create reads nothing: " + line);
    }

    @Test
    void aCreateWithAnIdempotencyKeyAddsOnlyItsRecordToTheTransaction() throws Exception {
        String user = LocalApi.newUser("budget-create-key");
        awaitQuietStack();
        for (int i = 0; i < TRIES; i++) {
            assertEquals(201, LocalApi.post("/transactions", user, CREATE, "Idempotency-Key", "budget-" + i).status());
        }
        JsonNode line = cheapest(user, "POST /transactions", "WriteUnits");
        assertTrue(line.get("WriteUnits").asDouble() <= CREATE_WITH_KEY_WRITE_UNITS, "over its write budget: " + line);
    }

    @Test
    void aDashboardViewCostsNoMoreThanItsPlannedReads() throws Exception {
        String user = LocalApi.newUser("budget-dashboard");
        for (String date : List.of("2026-10-03", "2026-11-02", "2026-11-24")) {
            assertEquals(201, LocalApi.post("/transactions", user, CREATE.replace("2026-11-24", date)).status());
        }
        awaitQuietStack();
        for (int i = 0; i < TRIES; i++) {
            assertEquals(200, LocalApi.get("/dashboard?month=2026-11&months=6", user).status());
        }
        JsonNode line = cheapest(user, "GET /dashboard", "dynamoDbCalls");
        assertTrue(line.get("ReadUnits").asDouble() >= 1, "the dashboard's reads were metered: " + line);
        assertTrue(line.get("dynamoDbCalls").asInt() <= DASHBOARD_READS, "more reads than planned: " + line);
        assertTrue(line.get("ReadUnits").asDouble() <= DASHBOARD_READS, "over its read budget: " + line);
        assertEquals(0, line.get("WriteUnits").asDouble(), "a dashboard view writes nothing: " + line);
    }

    /**
     * Waits (up to 30 s) until no function has logged for a second: a call that starts on an SDK thread counts for
     * the invocation that started last (exact on AWS, docs/cost.md), so a job of another test still running could
     * lend its calls to the request measured here.
     */
    private static void awaitQuietStack() throws IOException {
        Path log = Path.of(stackLog());
        long deadline = System.currentTimeMillis() + 30_000;
        long size = -1;
        while (size != Files.size(log) && System.currentTimeMillis() < deadline) {
            size = Files.size(log);
            LocalApi.sleep(1_000);
        }
    }

    private static String stackLog() {
        String setting = LocalApi.setting("TALLY_STACK_LOG");
        assumeTrue(setting != null, "TALLY_STACK_LOG names the local stack's output (set by ./tally test)");
        return setting;
    }

    /** Of the user's requests on {@code route}, the line with the least {@code field}, waiting for all to be written. */
    private static JsonNode cheapest(String user, String route, String field) throws IOException {
        String setting = stackLog();
        String ref = "\"user\":\"" + UserRef.of(user) + "\"";
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            List<JsonNode> lines = new ArrayList<>();
            for (String text : Files.readAllLines(Path.of(setting), StandardCharsets.UTF_8)) {
                if (text.startsWith("{") && text.contains(ref) && text.contains("\"route\":\"" + route + "\"")) {
                    lines.add(LocalApi.JSON.readTree(text));
                }
            }
            if (lines.size() >= TRIES) {
                return lines.stream().min(Comparator.comparingDouble(l -> l.path(field).asDouble())).orElseThrow();
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no log lines for " + route + " of " + user + ": " + lines);
            }
            LocalApi.sleep(100);
        }
    }
}
