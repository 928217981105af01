package app.tally.local.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.local.cost.Prices.Architecture;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsumptionTest {
    private static final String CREATE = "{\"event\":\"request\",\"function\":\"CreateTransactionFunction\","
            + "\"requestId\":\"r1\",\"route\":\"POST /transactions\",\"latencyMs\":11,\"ReadUnits\":0.0,\"WriteUnits\":4.0}";
    private static final String CHUNK_A = "{\"event\":\"message\",\"function\":\"tally-import-chunk-function\","
            + "\"requestId\":\"b1\",\"latencyMs\":99,\"ReadUnits\":1.0,\"WriteUnits\":100.0,\"sqsRequests\":0}";
    private static final String CHUNK_B = "{\"event\":\"message\",\"function\":\"tally-import-chunk-function\","
            + "\"requestId\":\"b1\",\"latencyMs\":199,\"ReadUnits\":0.5,\"WriteUnits\":50.0,\"s3TierTwoRequests\":1}";
    private static final String METRIC = "{\"_aws\":{},\"TransactionsCreated\":1}";

    @Test
    void linesBecomeInvocationsBilledMillisecondsUnitsRequestsAndLogBytes() throws Exception {
        List<String> lines = List.of("[poller] not a function's line", CREATE, METRIC, CHUNK_A, CHUNK_B);
        Consumption c = Consumption.fromLog(lines, function -> function.startsWith("Create") ? 1024 : 2048);
        assertEquals(1, c.httpRequests());
        // The batch of two messages is one invocation, as long as its longest message.
        assertEquals(2, c.invocations());
        assertEquals(1.0 * 12 / 1000 + 2.0 * 200 / 1000, c.gbSeconds(), 1e-9);
        assertEquals(1.5, c.readUnits());
        assertEquals(154, c.writeUnits());
        // The event source mapping's receive and delete for the batch.
        assertEquals(2, c.sqsRequests());
        assertEquals(1, c.s3TierTwo());
        long functionBytes = 0;
        for (String line : List.of(CREATE, METRIC, CHUNK_A, CHUNK_B)) {
            functionBytes += line.getBytes(StandardCharsets.UTF_8).length + 1;
        }
        assertEquals(functionBytes + 2 * Consumption.PLATFORM_LOG_BYTES, c.logBytes());
    }

    @Test
    void aMillionCreatesOfFourWriteUnitsCostTheirListPrices() throws Exception {
        Prices prices = Prices.load();
        Consumption million = Consumption.fromLog(List.of(CREATE), f -> 1024).scaled(1_000_000);
        var dollars = CostModel.dollars(million, prices, Architecture.X86_64);
        assertEquals(4 * prices.writeUnitsPerMillion(), dollars.get("DynamoDB"), 1e-9);
        assertEquals(prices.httpApiRequestsPerMillion(), dollars.get("HTTP API"), 1e-9);
        assertEquals(prices.lambdaRequestsPerMillion() + 12_000 * prices.lambdaGbSecond(Architecture.X86_64),
                dollars.get("Lambda"), 1e-6);
        assertTrue(CostModel.total(million, prices, Architecture.ARM64)
                < CostModel.total(million, prices, Architecture.X86_64));
    }
}
