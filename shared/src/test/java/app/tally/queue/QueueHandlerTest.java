package app.tally.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import app.tally.http.FakeContext;
import app.tally.json.Json;
import app.tally.telemetry.UserRef;
import app.tally.testing.Stdout;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
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
        protected String user(String message) {
            return "user-of-" + message;
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

    /** A worker whose every run fails with a message that quotes the data it was working on. */
    private static final class FailingWorker extends QueueHandler<String> {
        FailingWorker() {
            super("test", 3);
        }

        @Override
        protected Optional<String> parse(String body) {
            return body.startsWith("{") ? Optional.empty() : Optional.of(body);
        }

        @Override
        protected String describe(String message) {
            return "job-1";
        }

        @Override
        protected String user(String message) {
            return "subject-" + message;
        }

        @Override
        protected CompletableFuture<Void> process(String message, int receive) {
            return CompletableFuture.failedFuture(new IllegalStateException("row 7: " + message));
        }

        @Override
        protected CompletableFuture<Void> giveUp(String message, int receives, Throwable failure) {
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

    @Test
    void aFailureOnTheLastReceiveIsLoggedAndCountedAsDeadLettered() throws Exception {
        List<String> lines = Stdout.linesOf(() -> new FailingWorker().handleRequest(delivery(3), new FakeContext(60_000)));
        assertEquals(2, lines.size(), lines.toString());
        JsonNode log = Json.parse(lines.stream().filter(l -> l.contains("\"event\"")).findFirst().orElseThrow());
        assertEquals("ERROR", log.get("level").asText());
        assertEquals("dead-lettered", log.get("outcome").asText());
        assertEquals("test", log.get("queue").asText());
        assertEquals("m1", log.get("messageId").asText());
        assertEquals("job-1", log.get("job").asText());
        assertEquals(3, log.get("receives").asInt());
        assertEquals(UserRef.of("subject-job"), log.get("user").asText());
        assertEquals(IllegalStateException.class.getName(), log.get("errorType").asText());
        assertEquals(new FakeContext(0).getAwsRequestId(), log.get("requestId").asText());
        // The message's own line carries its consumed units as metrics too (this worker made no calls).
        assertEquals(0, log.get("WriteUnits").asDouble());
        JsonNode metric = Json.parse(lines.stream().filter(l -> l.contains("MessagesDeadLettered")).findFirst()
                .orElseThrow());
        assertEquals(1, metric.get("MessagesDeadLettered").asInt());
        assertEquals("test", metric.get("Queue").asText());
        for (String line : lines) {
            assertFalse(line.contains("row 7"), "an error's message may quote a file: " + line);
            assertFalse(line.contains("subject-job"), "the raw subject: " + line);
        }
    }

    @Test
    void anEarlierFailureIsLoggedAsARetryWithoutAMetric() throws Exception {
        List<String> lines = Stdout.linesOf(() -> new FailingWorker().handleRequest(delivery(1), new FakeContext(60_000)));
        assertEquals(1, lines.size(), lines.toString());
        JsonNode log = Json.parse(lines.get(0));
        assertEquals("will retry", log.get("outcome").asText());
        assertEquals("WARN", log.get("level").asText());
    }
}
