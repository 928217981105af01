package app.tally.local.poller;

import app.tally.local.runtime.LocalContext;
import app.tally.local.template.LocalNames;
import app.tally.local.template.SamTemplate;
import app.tally.local.template.SamTemplate.FunctionDef;
import app.tally.local.template.SamTemplate.SqsTrigger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Invokes the template's SQS-triggered functions the way Lambda's event source mapping does: receive a batch,
 * call the handler with an SQSEvent, delete what succeeded, and leave failures to SQS (redelivery, then the
 * dead-letter queue of the queue's RedrivePolicy after maxReceiveCount).
 */
public final class QueuePoller implements AutoCloseable {

    // Short long-polls keep an idle loop cheap while letting close() return within about a second.
    private static final int WAIT_TIME_SECONDS = 1;
    private static final int MAX_RECEIVE = 10;
    // Time for the last long-poll and a batch already in a handler to finish before threads are interrupted.
    private static final long SHUTDOWN_GRACE_SECONDS = 10;
    private static final long ERROR_BACKOFF_MILLIS = 1_000;

    private final LocalNames names;
    private final SqsAsyncClient sqs;
    private final OptionalInt retryVisibilitySeconds;
    private final ExecutorService executor;
    private volatile boolean running = true;

    private QueuePoller(LocalNames names, SqsAsyncClient sqs, OptionalInt retryVisibilitySeconds) {
        this.names = names;
        this.sqs = sqs;
        this.retryVisibilitySeconds = retryVisibilitySeconds;
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts, per SQS event of the template, as many polling loops as its MaximumConcurrency: like Lambda, up to that
     * many invocations of the function run at once, each with its own batch. (On a FIFO queue SQS never hands out a
     * message group that is in flight, so concurrent batches never hold messages of one group.)
     *
     * @param handlers               makes a function's handler, a {@code RequestHandler<SQSEvent, SQSBatchResponse>};
     *                               called once per trigger, before any polling starts
     * @param retryVisibilitySeconds if present, failed messages become visible again after this many seconds
     *                               instead of the queue's VisibilityTimeout, so local retries are quick
     * @param concurrencyCap         at most this many loops per trigger: locally every invocation shares one
     *                               single-threaded DynamoDB emulator, and more writers than it can serve only make
     *                               their calls time out
     */
    public static QueuePoller start(SamTemplate template, LocalNames names, SqsAsyncClient sqs,
                                    Function<FunctionDef, Object> handlers, OptionalInt retryVisibilitySeconds,
                                    int concurrencyCap) {
        QueuePoller poller = new QueuePoller(names, sqs, retryVisibilitySeconds);
        List<Runnable> loops = new ArrayList<>();
        for (FunctionDef function : template.functions()) {
            for (SqsTrigger trigger : function.sqsTriggers()) {
                RequestHandler<SQSEvent, SQSBatchResponse> handler = sqsHandler(function, handlers.apply(function));
                for (int i = 0; i < Math.min(trigger.maximumConcurrency(), concurrencyCap); i++) {
                    loops.add(() -> poller.poll(function, trigger, handler));
                }
            }
        }
        loops.forEach(poller.executor::execute);
        return poller;
    }

    /**
     * Stops every loop within about a second (the long-poll); a batch already in a handler finishes first.
     * Receives are not cancelled: SQS would still deliver to the abandoned request and hide its messages for the
     * queue's whole VisibilityTimeout.
     */
    @Override
    public void close() {
        running = false;
        executor.shutdown();
        try {
            if (!executor.awaitTermination(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void poll(FunctionDef function, SqsTrigger trigger, RequestHandler<SQSEvent, SQSBatchResponse> handler) {
        Thread.currentThread().setName("poller-" + function.logicalId() + "-" + trigger.queueLogicalId());
        String queueUrl = names.queueUrl(trigger.queueLogicalId());
        String queueArn = names.queueArn(trigger.queueLogicalId());
        while (running) {
            try {
                List<Message> batch = receiveBatch(queueUrl, trigger);
                if (!running) {
                    changeVisibility(queueUrl, batch, 0);
                } else if (!batch.isEmpty()) {
                    invoke(function, trigger, handler, queueUrl, queueArn, batch);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log(function.logicalId() + ": polling " + queueUrl + " failed, retrying: " + e);
                try {
                    Thread.sleep(ERROR_BACKOFF_MILLIS);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** One receive, then more until the batch is full or MaximumBatchingWindowInSeconds has passed. */
    private List<Message> receiveBatch(String queueUrl, SqsTrigger trigger) throws InterruptedException {
        List<Message> batch = new ArrayList<>(receive(queueUrl, trigger.batchSize()));
        long windowEnd = System.currentTimeMillis() + trigger.maximumBatchingWindowSeconds() * 1000L;
        while (running && !batch.isEmpty() && batch.size() < trigger.batchSize()
                && System.currentTimeMillis() < windowEnd) {
            batch.addAll(receive(queueUrl, trigger.batchSize() - batch.size()));
        }
        return batch;
    }

    private List<Message> receive(String queueUrl, int wanted) throws InterruptedException {
        return await(sqs.receiveMessage(r -> r.queueUrl(queueUrl)
                .maxNumberOfMessages(Math.min(wanted, MAX_RECEIVE))
                .waitTimeSeconds(WAIT_TIME_SECONDS)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                .messageAttributeNames("All"))).messages();
    }

    private void invoke(FunctionDef function, SqsTrigger trigger, RequestHandler<SQSEvent, SQSBatchResponse> handler,
                        String queueUrl, String queueArn, List<Message> batch) throws InterruptedException {
        long started = System.nanoTime();
        Set<String> failed = failedMessageIds(function, trigger, handler, queueArn, batch);
        long millis = (System.nanoTime() - started) / 1_000_000;
        log(function.logicalId() + ": batch of " + batch.size() + " from " + trigger.queueLogicalId() + ", "
                + failed.size() + " failed (" + millis + " ms)");

        List<Message> succeeded = batch.stream().filter(m -> !failed.contains(m.messageId())).toList();
        delete(queueUrl, succeeded);
        if (retryVisibilitySeconds.isPresent()) {
            List<Message> retried = batch.stream().filter(m -> failed.contains(m.messageId())).toList();
            changeVisibility(queueUrl, retried, retryVisibilitySeconds.getAsInt());
        }
    }

    private void changeVisibility(String queueUrl, List<Message> messages, int seconds) throws InterruptedException {
        for (Message message : messages) {
            await(sqs.changeMessageVisibility(r -> r.queueUrl(queueUrl)
                    .receiptHandle(message.receiptHandle())
                    .visibilityTimeout(seconds)));
        }
    }

    private Set<String> failedMessageIds(FunctionDef function, SqsTrigger trigger,
                                         RequestHandler<SQSEvent, SQSBatchResponse> handler, String queueArn,
                                         List<Message> batch) {
        try {
            SQSBatchResponse response = handler.handleRequest(event(batch, queueArn), new LocalContext(
                    names.physicalName(function.logicalId()), function.memoryMb(), function.timeoutSeconds()));
            return trigger.reportBatchItemFailures() ? reportedFailures(response, batch) : Set.of();
        } catch (Throwable e) {
            // Lambda fails the whole invocation on anything the handler throws.
            System.err.println("[poller] " + function.logicalId() + " threw:");
            e.printStackTrace();
            return ids(batch);
        }
    }

    /** Lambda's rule: a failure that names no message of the batch fails the whole batch. */
    private static Set<String> reportedFailures(SQSBatchResponse response, List<Message> batch) {
        if (response == null || response.getBatchItemFailures() == null) {
            return Set.of();
        }
        Set<String> batchIds = ids(batch);
        Set<String> failed = new HashSet<>();
        for (SQSBatchResponse.BatchItemFailure failure : response.getBatchItemFailures()) {
            String id = failure.getItemIdentifier();
            if (id == null || !batchIds.contains(id)) {
                return batchIds;
            }
            failed.add(id);
        }
        return failed;
    }

    private void delete(String queueUrl, List<Message> messages) throws InterruptedException {
        for (int from = 0; from < messages.size(); from += MAX_RECEIVE) {
            List<DeleteMessageBatchRequestEntry> entries = messages.subList(from,
                            Math.min(from + MAX_RECEIVE, messages.size())).stream()
                    .map(m -> DeleteMessageBatchRequestEntry.builder()
                            .id(m.messageId())
                            .receiptHandle(m.receiptHandle())
                            .build())
                    .toList();
            DeleteMessageBatchResponse response =
                    await(sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(entries)));
            response.failed().forEach(f -> log("could not delete " + f.id() + " from " + queueUrl + ": "
                    + f.message()));
        }
    }

    private static SQSEvent event(List<Message> batch, String queueArn) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (Message message : batch) {
            SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
            record.setMessageId(message.messageId());
            record.setReceiptHandle(message.receiptHandle());
            record.setBody(message.body());
            record.setMd5OfBody(message.md5OfBody());
            record.setMd5OfMessageAttributes(message.md5OfMessageAttributes());
            record.setAttributes(new LinkedHashMap<>(message.attributesAsStrings()));
            Map<String, SQSEvent.MessageAttribute> attributes = new LinkedHashMap<>();
            message.messageAttributes().forEach((name, value) -> attributes.put(name, attribute(value)));
            record.setMessageAttributes(attributes);
            record.setEventSource("aws:sqs");
            record.setEventSourceArn(queueArn);
            record.setAwsRegion(LocalNames.REGION);
            records.add(record);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }

    private static SQSEvent.MessageAttribute attribute(MessageAttributeValue value) {
        SQSEvent.MessageAttribute attribute = new SQSEvent.MessageAttribute();
        attribute.setDataType(value.dataType());
        attribute.setStringValue(value.stringValue());
        if (value.binaryValue() != null) {
            attribute.setBinaryValue(value.binaryValue().asByteBuffer());
        }
        attribute.setStringListValues(new ArrayList<>(value.stringListValues()));
        attribute.setBinaryListValues(value.binaryListValues().stream().map(SdkBytes::asByteBuffer).toList());
        return attribute;
    }

    private static <T> T await(CompletableFuture<T> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static Set<String> ids(List<Message> batch) {
        Set<String> ids = new HashSet<>();
        batch.forEach(m -> ids.add(m.messageId()));
        return ids;
    }

    @SuppressWarnings("unchecked")
    private static RequestHandler<SQSEvent, SQSBatchResponse> sqsHandler(FunctionDef function, Object handler) {
        if (!(handler instanceof RequestHandler<?, ?>)) {
            throw new IllegalArgumentException(function.logicalId() + ": " + handler
                    + " is not a RequestHandler<SQSEvent, SQSBatchResponse>");
        }
        return (RequestHandler<SQSEvent, SQSBatchResponse>) handler;
    }

    private static void log(String line) {
        System.err.println("[poller] " + line);
    }
}
