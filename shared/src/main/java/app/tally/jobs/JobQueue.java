package app.tally.jobs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/** The queue a kind of job (or an import's chunks) waits in until a worker takes it. */
public final class JobQueue {
    /** SendMessageBatch takes at most 10 messages and 256 KiB in all. */
    private static final int BATCH_MESSAGES = 10;
    private static final int BATCH_BYTES = 256 * 1024 - 1024;
    private static final int SEND_ATTEMPTS = 5;

    private final SqsAsyncClient sqs;
    private final String queueUrl;

    public JobQueue(SqsAsyncClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    public CompletableFuture<Void> send(JobMessage message) {
        return sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(message.toJson())).thenApply(ignored -> null);
    }

    /** Sends every body, in batches as large as SQS allows; entries SQS refuses are sent again a few times. */
    public CompletableFuture<Void> sendAll(List<String> bodies) {
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        List<String> batch = new ArrayList<>();
        int bytes = 0;
        for (String body : bodies) {
            int size = body.getBytes(StandardCharsets.UTF_8).length;
            if (!batch.isEmpty() && (batch.size() == BATCH_MESSAGES || bytes + size > BATCH_BYTES)) {
                sends.add(sendBatch(batch, 1));
                batch = new ArrayList<>();
                bytes = 0;
            }
            batch.add(body);
            bytes += size;
        }
        if (!batch.isEmpty()) {
            sends.add(sendBatch(batch, 1));
        }
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> sendBatch(List<String> bodies, int attempt) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(bodies.get(i)).build());
        }
        return sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries)).thenCompose(response -> {
            if (response.failed().isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            if (attempt >= SEND_ATTEMPTS) {
                return CompletableFuture.failedFuture(new IllegalStateException(response.failed().size()
                        + " messages were refused: " + response.failed().get(0).message()));
            }
            List<String> again = response.failed().stream().map(f -> bodies.get(Integer.parseInt(f.id()))).toList();
            return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(50L << attempt,
                    java.util.concurrent.TimeUnit.MILLISECONDS)).thenCompose(ignored -> sendBatch(again, attempt + 1));
        });
    }
}
