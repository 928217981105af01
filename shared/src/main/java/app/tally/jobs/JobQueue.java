package app.tally.jobs;

import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/** The queue a kind of job waits in until a worker takes it. */
public final class JobQueue {
    private final SqsAsyncClient sqs;
    private final String queueUrl;

    public JobQueue(SqsAsyncClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    public CompletableFuture<Void> send(JobMessage message) {
        return sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(message.toJson())).thenApply(ignored -> null);
    }
}
