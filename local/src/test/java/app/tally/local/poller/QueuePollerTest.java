package app.tally.local.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.local.LocalClients;
import app.tally.local.LocalEndpoints;
import app.tally.local.emulators.Emulators;
import app.tally.local.resources.LocalResources;
import app.tally.local.template.LocalNames;
import app.tally.local.template.SamTemplate;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The poller against a real in-process ElasticMQ, with queues created by LocalResources from a template of the
 * project's shape (jobs queue, dead-letter queue after 3 receives, a worker reporting partial batch failures).
 *
 * <p>Message bodies tell the test handler what to do: "ok:ID" succeeds, "flaky:N:ID" fails on its first N receives,
 * "poison:ID" always fails.
 */
class QueuePollerTest {

    // JobsQueue is declared before its dead-letter queue on purpose: creation must follow the reference.
    private static final String TEMPLATE = """
            Globals:
              Function:
                Timeout: 30
                MemorySize: 256
            Resources:
              JobsQueue:
                Type: AWS::SQS::Queue
                Properties:
                  VisibilityTimeout: 90
                  RedrivePolicy:
                    deadLetterTargetArn: !GetAtt JobsDeadLetterQueue.Arn
                    maxReceiveCount: 3
              JobsDeadLetterQueue:
                Type: AWS::SQS::Queue
              PlainQueue:
                Type: AWS::SQS::Queue
                Properties:
                  VisibilityTimeout: 90
              Worker:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: test.Worker::handleRequest
                  Events:
                    Jobs:
                      Type: SQS
                      Properties:
                        Queue: !GetAtt JobsQueue.Arn
                        BatchSize: 10
                        FunctionResponseTypes: [ReportBatchItemFailures]
              PlainWorker:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: test.PlainWorker::handleRequest
                  Events:
                    Plain:
                      Type: SQS
                      Properties:
                        Queue: !GetAtt PlainQueue.Arn
              GroupsQueue:
                Type: AWS::SQS::Queue
                Properties:
                  FifoQueue: true
                  DeduplicationScope: messageGroup
                  FifoThroughputLimit: perMessageGroupId
              GroupsWorker:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: test.GroupsWorker::handleRequest
                  Events:
                    Groups:
                      Type: SQS
                      Properties:
                        Queue: !GetAtt GroupsQueue.Arn
                        BatchSize: 2
                        ScalingConfig:
                          MaximumConcurrency: 4
            """;

    @TempDir
    static Path dir;

    private static Emulators emulators;
    private static LocalClients clients;
    private static SamTemplate template;
    private static LocalNames names;

    private final List<Invocation> invocations = new CopyOnWriteArrayList<>();
    private QueuePoller poller;

    @BeforeAll
    static void start() throws IOException {
        Path file = dir.resolve("template.yaml");
        Files.writeString(file, TEMPLATE);
        template = SamTemplate.load(file);
        emulators = Emulators.start();
        LocalEndpoints endpoints = new LocalEndpoints(URI.create("http://127.0.0.1:1"), emulators.sqsEndpoint(),
                emulators.s3Endpoint());
        clients = LocalClients.create(endpoints);
        names = new LocalNames(template, endpoints, Map.of());
        new LocalResources(template, names, clients.dynamoDb(), clients.sqs(), clients.s3()).createQueues();
    }

    @AfterAll
    static void stop() {
        clients.close();
        emulators.close();
    }

    @AfterEach
    void stopPollerAndPurge() {
        if (poller != null) {
            poller.close();
        }
        for (String queue : List.of("JobsQueue", "JobsDeadLetterQueue", "PlainQueue")) {
            clients.sqs().purgeQueue(r -> r.queueUrl(names.queueUrl(queue))).join();
        }
    }

    @Test
    void aMessageThatFailsTwiceIsRetriedThenProcessedOnceAndDeleted() {
        String id = UUID.randomUUID().toString();
        clients.sqs().sendMessage(r -> r.queueUrl(names.queueUrl("JobsQueue")).messageBody("flaky:2:" + id)
                .messageAttributes(Map.of("kind", MessageAttributeValue.builder()
                        .dataType("String").stringValue("export").build()))).join();
        startPoller(OptionalInt.of(0));

        await(() -> succeeded(id) == 1);
        assertEquals(3, received(id));
        await(() -> messagesIn("JobsQueue") == 0);
        assertEquals(0, messagesIn("JobsDeadLetterQueue"));

        Invocation last = invocations.stream().filter(i -> i.bodies().contains("flaky:2:" + id)).reduce((a, b) -> b)
                .orElseThrow();
        SQSEvent.SQSMessage record = last.event().getRecords().get(0);
        assertEquals("aws:sqs", record.getEventSource());
        assertEquals(names.queueArn("JobsQueue"), record.getEventSourceArn());
        assertEquals("us-east-1", record.getAwsRegion());
        assertEquals("3", record.getAttributes().get("ApproximateReceiveCount"));
        assertTrue(record.getAttributes().containsKey("SentTimestamp"), record.getAttributes().toString());
        assertTrue(record.getAttributes().containsKey("ApproximateFirstReceiveTimestamp"));
        assertEquals("export", record.getMessageAttributes().get("kind").getStringValue());
        assertEquals("String", record.getMessageAttributes().get("kind").getDataType());
        assertTrue(record.getMd5OfBody() != null && record.getReceiptHandle() != null);
        assertEquals("tally-worker", last.functionName());
        assertTrue(last.remainingMillis() > 0 && last.remainingMillis() <= 30_000, "" + last.remainingMillis());
    }

    @Test
    void aMessageThatAlwaysFailsLandsInTheDeadLetterQueueAfterMaxReceiveCount() {
        String id = UUID.randomUUID().toString();
        clients.sqs().sendMessage(r -> r.queueUrl(names.queueUrl("JobsQueue")).messageBody("poison:" + id)).join();
        startPoller(OptionalInt.of(0));

        List<Message> dead = new ArrayList<>();
        await(() -> {
            dead.addAll(clients.sqs().receiveMessage(r -> r.queueUrl(names.queueUrl("JobsDeadLetterQueue"))
                    .waitTimeSeconds(1)).join().messages());
            return !dead.isEmpty();
        });
        assertEquals("poison:" + id, dead.get(0).body());
        assertEquals(3, received(id));
        assertEquals(0, succeeded(id));
    }

    @Test
    void aPartialBatchFailureRetriesOnlyTheFailedMessage() {
        String id = UUID.randomUUID().toString();
        sendBatch("JobsQueue", "ok:a-" + id, "ok:b-" + id, "flaky:1:c-" + id);
        startPoller(OptionalInt.of(0));

        await(() -> succeeded("c-" + id) == 1);
        assertEquals(Set.of("ok:a-" + id, "ok:b-" + id, "flaky:1:c-" + id), Set.copyOf(invocations.get(0).bodies()));
        assertEquals(List.of("flaky:1:c-" + id), invocations.get(1).bodies());
        assertEquals(1, received("a-" + id));
        assertEquals(1, received("b-" + id));
        await(() -> messagesIn("JobsQueue") == 0);
    }

    @Test
    void withoutReportBatchItemFailuresAnExceptionRetriesTheWholeBatch() {
        String id = UUID.randomUUID().toString();
        sendBatch("PlainQueue", "ok:x-" + id, "flaky:1:y-" + id);
        startPoller(OptionalInt.of(0));

        await(() -> succeeded("y-" + id) == 1);
        assertEquals(2, received("x-" + id));
        assertEquals(2, received("y-" + id));
        await(() -> messagesIn("PlainQueue") == 0);
    }

    @Test
    void withoutTheRetryOverrideAFailedMessageWaitsForTheQueueVisibilityTimeout() throws InterruptedException {
        String id = UUID.randomUUID().toString();
        clients.sqs().sendMessage(r -> r.queueUrl(names.queueUrl("JobsQueue")).messageBody("flaky:1:" + id)).join();
        startPoller(OptionalInt.empty());

        await(() -> received(id) == 1);
        Thread.sleep(2_500);
        assertEquals(1, received(id));
        assertEquals("1", clients.sqs().getQueueAttributes(r -> r.queueUrl(names.queueUrl("JobsQueue"))
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).join()
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    @Test
    void closeStopsIdleLoopsPromptly() throws InterruptedException {
        startPoller(OptionalInt.of(0));
        Thread.sleep(1_500);
        long started = System.nanoTime();
        poller.close();
        poller = null;
        long millis = (System.nanoTime() - started) / 1_000_000;
        // An idle loop is at most one long-poll (1 s) from noticing.
        assertTrue(millis < 2_500, "close took " + millis + " ms");
    }

    @Test
    void fifoGroupsRunInParallelButNeverTwoBatchesOfOneGroupAtOnce() {
        GroupsHandler handler = new GroupsHandler();
        poller = QueuePoller.start(template, names, clients.sqs(), function -> function.logicalId().equals("GroupsWorker")
                ? handler : new TestHandler(false), OptionalInt.of(1), 3);
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String group = "g" + i % 4;
            entries.add(SendMessageBatchRequestEntry.builder().id("m" + i).messageBody(group + ":" + i)
                    .messageGroupId(group).messageDeduplicationId("d" + i).build());
        }
        for (int from = 0; from < entries.size(); from += 10) {
            List<SendMessageBatchRequestEntry> batch = entries.subList(from, from + 10);
            clients.sqs().sendMessageBatch(r -> r.queueUrl(names.queueUrl("GroupsQueue")).entries(batch)).join();
        }

        await(() -> handler.done.size() == 40);
        assertEquals(List.of(), handler.overlaps, "a group was in two invocations at once");
        assertTrue(handler.mostAtOnce.get() > 1, "invocations never overlapped: " + handler.mostAtOnce);
        assertTrue(handler.mostAtOnce.get() <= 3, "more invocations than the cap: " + handler.mostAtOnce);
        // Within a group, messages arrive in the order they were sent.
        for (int group = 0; group < 4; group++) {
            String prefix = "g" + group + ":";
            List<String> seen = handler.done.stream().filter(body -> body.startsWith(prefix)).toList();
            List<String> sent = entries.stream().map(SendMessageBatchRequestEntry::messageBody)
                    .filter(body -> body.startsWith(prefix)).toList();
            assertEquals(sent, seen);
        }
    }

    private void startPoller(OptionalInt retryVisibilitySeconds) {
        poller = QueuePoller.start(template, names, clients.sqs(),
                function -> new TestHandler(function.logicalId().equals("Worker")), retryVisibilitySeconds, 1);
    }

    /** Holds each batch a while and records any message group that two invocations hold at once. */
    private static final class GroupsHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
        final Set<String> inFlight = ConcurrentHashMap.newKeySet();
        final List<String> overlaps = new CopyOnWriteArrayList<>();
        final List<String> done = new CopyOnWriteArrayList<>();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();

        @Override
        public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            Set<String> groups = new HashSet<>();
            event.getRecords().forEach(m -> groups.add(m.getAttributes().get("MessageGroupId")));
            groups.forEach(group -> {
                if (!inFlight.add(group)) {
                    overlaps.add(group);
                }
            });
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            event.getRecords().forEach(m -> done.add(m.getBody()));
            inFlight.removeAll(groups);
            running.decrementAndGet();
            return new SQSBatchResponse(List.of());
        }
    }

    private record Invocation(SQSEvent event, String functionName, int remainingMillis) {
        List<String> bodies() {
            return event.getRecords().stream().map(SQSEvent.SQSMessage::getBody).toList();
        }
    }

    /** Fails messages as their bodies say: by batch item failures if it reports them, else by throwing. */
    private final class TestHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
        private final boolean reportsBatchItemFailures;

        TestHandler(boolean reportsBatchItemFailures) {
            this.reportsBatchItemFailures = reportsBatchItemFailures;
        }

        @Override
        public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
            invocations.add(new Invocation(event, context.getFunctionName(), context.getRemainingTimeInMillis()));
            List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
            for (SQSEvent.SQSMessage message : event.getRecords()) {
                if (fails(message)) {
                    failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                }
            }
            if (!failures.isEmpty() && !reportsBatchItemFailures) {
                throw new IllegalStateException("test failure");
            }
            return new SQSBatchResponse(failures);
        }

        private boolean fails(SQSEvent.SQSMessage message) {
            String[] parts = message.getBody().split(":");
            int receiveCount = Integer.parseInt(message.getAttributes().get("ApproximateReceiveCount"));
            return switch (parts[0]) {
                case "poison" -> true;
                case "flaky" -> receiveCount <= Integer.parseInt(parts[1]);
                default -> false;
            };
        }
    }

    /** How many times a message with this id reached the handler. */
    private long received(String id) {
        return invocations.stream().flatMap(i -> i.bodies().stream()).filter(body -> body.endsWith(":" + id)).count();
    }

    /** How many deliveries of this id the handler did not fail: the ones on their final, successful receive. */
    private long succeeded(String id) {
        return invocations.stream()
                .flatMap(i -> i.event().getRecords().stream())
                .filter(m -> m.getBody().endsWith(":" + id))
                .filter(m -> {
                    String[] parts = m.getBody().split(":");
                    int receiveCount = Integer.parseInt(m.getAttributes().get("ApproximateReceiveCount"));
                    return parts[0].equals("ok") || parts[0].equals("flaky") && receiveCount > Integer.parseInt(parts[1]);
                })
                .count();
    }

    private void sendBatch(String queue, String... bodies) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < bodies.length; i++) {
            entries.add(SendMessageBatchRequestEntry.builder().id("m" + i).messageBody(bodies[i]).build());
        }
        clients.sqs().sendMessageBatch(r -> r.queueUrl(names.queueUrl(queue)).entries(entries)).join();
    }

    private static int messagesIn(String queue) {
        Map<QueueAttributeName, String> attributes = clients.sqs().getQueueAttributes(r -> r
                .queueUrl(names.queueUrl(queue))
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).join().attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
