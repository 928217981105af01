package app.tally.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import app.tally.telemetry.Usage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

class MeteringTest {
    /** Stands for an async client: its futures complete on a thread of its own, as the SDK's do. */
    interface Service {
        CompletableFuture<String> call(String request);
    }

    @Test
    void callsChainedOnAScopedClientsFutureCountForTheInvocationThatStartedTheChain() throws Exception {
        ExecutorService sdkThreads = Executors.newSingleThreadExecutor();
        try {
            Service raw = request -> CompletableFuture.supplyAsync(() -> request, sdkThreads);
            Service client = Metering.scoped(Service.class, raw);
            Usage first = new Usage();
            Usage second = new Usage();
            CompletableFuture<Usage> seenByFirst = Usage.within(first,
                    () -> client.call("a").thenCompose(a -> client.call("b")).thenApply(b -> Usage.current()));
            CompletableFuture<Usage> seenBySecond = Usage.within(second,
                    () -> client.call("c").thenApply(c -> Usage.current()));
            assertSame(first, seenByFirst.get(5, TimeUnit.SECONDS));
            assertSame(second, seenBySecond.get(5, TimeUnit.SECONDS));
            // Unscoped, the SDK's thread has no invocation.
            assertNull(raw.call("d").thenApply(d -> Usage.current()).get(5, TimeUnit.SECONDS));
        } finally {
            sdkThreads.shutdownNow();
        }
    }

    @Test
    void everyRequestThatCanReportCapacityIsAskedForItsTotalButAnExplicitChoiceStays() {
        QueryRequest plain = QueryRequest.builder().tableName("t").build();
        assertEquals(ReturnConsumedCapacity.TOTAL, ((QueryRequest) Metering.withMember(plain, "ReturnConsumedCapacity",
                "TOTAL")).returnConsumedCapacity());
        QueryRequest indexes = plain.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build();
        assertSame(indexes, Metering.withMember(indexes, "ReturnConsumedCapacity", "TOTAL"));
    }

    @Test
    void anSqsSendIsBilledPerSixtyFourKbChunk() {
        var small = software.amazon.awssdk.services.sqs.model.SendMessageRequest.builder().messageBody("x").build();
        var large = software.amazon.awssdk.services.sqs.model.SendMessageRequest.builder()
                .messageBody("x".repeat(256 * 1024)).build();
        assertEquals(1, SqsMetering.billedRequests(small));
        assertEquals(4, SqsMetering.billedRequests(large));
    }
}
