package app.tally.services.push;

import app.tally.telemetry.Log;
import app.tally.telemetry.UserRef;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * Puts a user's events on the push queue after the write that caused them has committed. Publishing never fails the
 * write and never holds it up for long: a failed send is logged and dropped (the client's sequence shows the gap), and
 * the write's answer waits at most {@link #MAX_WAIT} for the queue. The queue is FIFO with one message group per
 * user, so each user's events reach the push function in the order they were published.
 */
public final class PushPublisher implements PushSink {
    static final Duration MAX_WAIT = Duration.ofMillis(300);

    private final SqsAsyncClient sqs;
    private final String queueUrl;

    public PushPublisher(SqsAsyncClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public CompletableFuture<Void> publish(String user, List<PushEvent> events) {
        if (events.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        String body = new PushMessage(user, events).toJson();
        CompletableFuture<Void> sent;
        try {
            sent = sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(body).messageGroupId(user)
                            .messageDeduplicationId(UUID.randomUUID().toString()))
                    .thenApply(ignored -> null);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.exceptionally(failure -> {
                    Log.warn("push-not-published").put("user", UserRef.of(user))
                            .put("events", events.size()).put("error", failure.toString()).write();
                    return null;
                })
                .completeOnTimeout(null, MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
