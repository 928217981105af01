package app.tally.it;

import static app.tally.it.LocalApi.newUser;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.tally.local.bench.ApiClient;
import app.tally.local.bench.ChaosWorkloads;
import app.tally.local.bench.ChaosWorkloads.Outcome;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The small version of {@code ./tally bench chaos}: the test stack's functions reach the emulators through fault
 * proxies (see app.tally.local.faults), armed here. Under injected throttling, 500s, slow answers and connections cut
 * before and after forwarding, nothing is lost, nothing is written twice, and the statistics equal a recount; a data
 * store too slow to answer is a 503 with Retry-After well before the function's timeout.
 */
class InjectedFaultsIT {
    private static final ChaosWorkloads CHAOS = new ChaosWorkloads(new ApiClient(ApiClient.gateway(), 8),
            LocalApi.AWS.dynamoDb());

    @BeforeAll
    static void proxies() {
        assumeTrue(CHAOS.faults("rate=0") != null, "this stack runs without fault proxies (the LocalStack run)");
    }

    @AfterEach
    void faultsOff() {
        CHAOS.faultsOff();
    }

    private static long injected(JsonNode status) {
        long total = 0;
        for (JsonNode service : status.get("services")) {
            for (JsonNode count : service.get("faults")) {
                total += count.asLong();
            }
        }
        return total;
    }

    private static void assertExact(Outcome outcome) {
        assertEquals(0, outcome.lost(), outcome.toString());
        assertEquals(0, outcome.duplicates(), outcome.toString());
        assertEquals(outcome.expected(), outcome.stored(), outcome.toString());
        assertTrue(outcome.statisticsExact(), outcome.toString());
    }

    @Test
    void createsPatchesAndDeletesUnderTwoPercentFaultsLoseNothingAndCountNothingTwice() throws Exception {
        CHAOS.faults("rate=0.02&seed=11");
        JsonNode[] seen = new JsonNode[1];

        Outcome outcome = CHAOS.api(newUser("faults-api"), 200, 50, 30, 8, () -> seen[0] = CHAOS.faultsOff());

        assertExact(outcome);
        assertEquals(170, outcome.expected());
        assertTrue(injected(seen[0]) > 0, "no fault was injected: " + seen[0]);
    }

    @Test
    void aThousandRowImportUnderTwoPercentFaultsIsWrittenExactlyOnce() throws Exception {
        CHAOS.faults("rate=0.02&seed=12");

        Outcome outcome = CHAOS.imports(newUser("faults-import"), 1_000, null);

        JsonNode seen = CHAOS.faultsOff();
        assertExact(outcome);
        assertTrue(outcome.result().startsWith("job succeeded: 1,000 imported, 0 duplicates"), outcome.result());
        assertTrue(injected(seen) > 0, "no fault was injected: " + seen);
    }

    @Test
    void aCreateWhoseCommittedTransactionLostItsAnswerIsAnswered201AndStoredOnce() {
        String user = newUser("faults-lost-answer");
        CHAOS.faults("rate=1&faults=drop-after&operations=TransactWriteItems&count=1");

        LocalApi.Reply created = LocalApi.post("/transactions", user, "{\"amount\":\"12.34\",\"currency\":\"CNY\","
                + "\"type\":\"expense\",\"category\":\"餐饮\",\"date\":\"2026-11-24\"}");

        assertEquals(201, created.status(), created.toString());
        assertEquals(1, injected(CHAOS.faultsOff()), "the transaction's first answer was dropped");
        assertEquals(1, LocalApi.itemsWithPrefix("U#" + user + "#M#").size());
        assertEquals(LocalApi.recountedStatistics(user), LocalApi.storedStatistics(user));
        assertEquals(List.of(1234L, 1L), LocalApi.storedStatistics(user).get("2026-11|expense|餐饮|CNY"));
    }

    @Test
    void aDataStoreTooSlowToAnswerIsA503WithRetryAfterBeforeTheFunctionTimesOut() {
        String user = newUser("faults-slow");
        CHAOS.faults("rate=1&faults=slow&slowMillis=5000&operations=Query");

        long started = System.nanoTime();
        LocalApi.Reply reply = LocalApi.get("/transactions?from=2026-01-01&to=2026-11-30", user);
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertEquals(503, reply.status(), reply.toString());
        assertEquals("application/problem+json", reply.header("Content-Type"));
        assertEquals("1", reply.header("Retry-After"));
        // TransactionsFunction's Timeout is 15 s; every SDK call gives up after 4 s.
        assertTrue(millis < 10_000, "answered after " + millis + " ms");
    }
}
