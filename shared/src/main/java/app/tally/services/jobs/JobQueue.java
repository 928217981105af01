package app.tally.services.jobs;

import app.tally.retry.Backoff;
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

    private final SqsAsyncClient sqs;
    private final String queueUrl;

    /**
     * One message of {@link #sendAll}. On a FIFO queue, {@code group} is its MessageGroupId (messages of a group are
     * handed out one batch at a time) and {@code deduplicationId} makes a resend within five minutes a no-op; on a
     * standard queue both are null.
     */
    public record Entry(String body, String group, String deduplicationId) {
    }

    public JobQueue(SqsAsyncClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    public CompletableFuture<Void> send(JobMessage message) {
        return sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(message.toJson())).thenApply(ignored -> null);
    }

    /**
     * Sends every entry, in batches as large as SQS allows; entries SQS refuses are sent again with a worker's
     * {@link Backoff} (only workers send batches).
     */
    public CompletableFuture<Void> sendAll(List<Entry> entries) {
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        List<Entry> batch = new ArrayList<>();
        int bytes = 0;
        for (Entry entry : entries) {
            int size = entry.body().getBytes(StandardCharsets.UTF_8).length;
            if (!batch.isEmpty() && (batch.size() == BATCH_MESSAGES || bytes + size > BATCH_BYTES)) {
                sends.add(sendBatch(batch, Backoff.WORKER.start()));
                batch = new ArrayList<>();
                bytes = 0;
            }
            batch.add(entry);
            bytes += size;
        }
        if (!batch.isEmpty()) {
            sends.add(sendBatch(batch, Backoff.WORKER.start()));
        }
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> sendBatch(List<Entry> batch, Backoff.Attempts attempts) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Entry entry = batch.get(i);
            entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(entry.body())
                    .messageGroupId(entry.group()).messageDeduplicationId(entry.deduplicationId()).build());
        }
        return sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries)).thenCompose(response -> {
            if (response.failed().isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            IllegalStateException refused = new IllegalStateException(response.failed().size()
                    + " messages were refused: " + response.failed().get(0).message());
            // The sender's fault (a message SQS will never take) is not cured by waiting.
            if (response.failed().stream().anyMatch(f -> Boolean.TRUE.equals(f.senderFault()))) {
                return CompletableFuture.failedFuture(refused);
            }
            List<Entry> again = response.failed().stream().map(f -> batch.get(Integer.parseInt(f.id()))).toList();
            return attempts.pause().map(paused -> paused.thenCompose(ignored -> sendBatch(again, attempts)))
                    .orElseGet(() -> CompletableFuture.failedFuture(refused));
        });
    }
}
