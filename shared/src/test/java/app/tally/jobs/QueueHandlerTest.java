package app.tally.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import app.tally.http.FakeContext;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class QueueHandlerTest {

    /** A worker whose work never finishes; remembers why it gave up. */
    private static final class StuckWorker extends QueueHandler<String> {
        final AtomicReference<Throwable> gaveUp = new AtomicReference<>();

        StuckWorker() {
            super("test", 3);
        }

        @Override
        protected Optional<String> parse(String body) {
            return Optional.of(body);
        }

        @Override
        protected String describe(String message) {
            return message;
        }

        @Override
        protected CompletableFuture<Void> process(String message, int receive) {
            return new CompletableFuture<>();
        }

        @Override
        protected CompletableFuture<Void> giveUp(String message, int receives, Throwable failure) {
            gaveUp.set(failure);
            return CompletableFuture.completedFuture(null);
        }
    }

    private static SQSEvent delivery(int receiveCount) {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId("m1");
        message.setBody("job");
        message.setAttributes(Map.of("ApproximateReceiveCount", Integer.toString(receiveCount)));
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(message));
        return event;
    }

    @Test
    void aLastDeliveryThatRunsOutOfTimeStillRecordsWhyItGaveUp() {
        StuckWorker worker = new StuckWorker();
        SQSBatchResponse response = worker.handleRequest(delivery(3), new FakeContext(12_500));
        assertEquals("m1", response.getBatchItemFailures().get(0).getItemIdentifier());
        assertInstanceOf(TimeoutException.class, worker.gaveUp.get());
    }

    @Test
    void anEarlierDeliveryThatRunsOutOfTimeIsLeftToBeRetried() {
        StuckWorker worker = new StuckWorker();
        SQSBatchResponse response = worker.handleRequest(delivery(1), new FakeContext(12_500));
        assertEquals(1, response.getBatchItemFailures().size());
        assertEquals(null, worker.gaveUp.get());
    }
}
