package app.tally.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import app.tally.telemetry.Usage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

class MeteringTest {
    @Test
    void aCallStartedOffAnInvocationsThreadCountsForTheLastInvocationThatCalledTheSameClient() throws Exception {
        Metering.Interceptor client = new SqsMetering();
        Metering.Interceptor otherClient = new SqsMetering();
        Usage first = new Usage();
        Usage second = new Usage();
        assertSame(first, Usage.within(first, () -> startedOn(client)));
        assertSame(second, Usage.within(second, () -> startedOn(otherClient)));
        // On an SDK thread (no usage current): the last invocation that called this client, not the other one's.
        assertSame(first, startedOn(client));
        assertSame(second, startedOn(otherClient));
        ExecutorService sdkThreads = Executors.newSingleThreadExecutor();
        try {
            // An executor that propagates carries the submitting invocation's usage.
            Usage carried = Usage.within(second, () -> CompletableFuture.supplyAsync(Usage::current,
                    Usage.propagating(sdkThreads))).get(5, TimeUnit.SECONDS);
            assertSame(second, carried);
        } finally {
            sdkThreads.shutdownNow();
        }
    }

    /** The usage a call started now on {@code client} is counted for. */
    private static Usage startedOn(Metering.Interceptor client) {
        ExecutionAttributes attributes = new ExecutionAttributes();
        client.beforeExecution(null, attributes);
        return attributes.getAttribute(Metering.USAGE);
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
