package app.tally.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    @Test
    void aCallStartedOffTheInvocationsThreadCountsForTheInvocationThatStartedLast() throws Exception {
        Usage first = new Usage();
        Usage second = new Usage();
        ExecutorService sdkThreads = Executors.newSingleThreadExecutor();
        try {
            // The handler's own thread sees its own invocation even after another one started.
            Usage.within(first, () -> {
                Usage.within(second, () -> null);
                assertSame(first, Usage.current());
                return null;
            });
            // An SDK thread (a chained call) sees the invocation that started last: exact where they do not overlap.
            assertSame(second, CompletableFuture.supplyAsync(Usage::current, sdkThreads).get(5, TimeUnit.SECONDS));
            // An executor that propagates carries the submitting invocation's usage.
            Usage carried = Usage.within(first, () -> CompletableFuture.supplyAsync(Usage::current,
                    Usage.propagating(sdkThreads))).get(5, TimeUnit.SECONDS);
            assertSame(first, carried);
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
