package app.tally.queue;

import app.tally.retry.Failures;
import app.tally.telemetry.Log;
import app.tally.telemetry.Metrics;
import app.tally.telemetry.Usage;
import app.tally.telemetry.UserRef;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The boundary every SQS worker shares: the records of a batch run at once (those of one {@link #lane} one after
 * another), the batch is waited for once with a deadline below the function's timeout, and failures are reported per
 * message (ReportBatchItemFailures) so SQS retries only those.
 * <p>
 * How a worker learns that a message failed for good: SQS moves it to the dead-letter queue once it has been received
 * {@code maxReceives} times (the queue's maxReceiveCount) without being deleted. So a run that fails on the
 * {@code maxReceives}-th receive (ApproximateReceiveCount) calls {@link #giveUp} before reporting the failure that
 * sends the message there. A message that is not one of this worker's can never succeed: it is logged and dropped.
 */
public abstract class QueueHandler<M> implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final long MARGIN_MILLIS = 2_000;
    private static final long NO_CONTEXT_WAIT_MILLIS = 300_000;
    private static final long GIVE_UP_WAIT_MILLIS = 10_000;

    private final String name;
    private final int maxReceives;

    protected QueueHandler(String name, int maxReceives) {
        this.name = name;
        this.maxReceives = maxReceives;
    }

    /** The message, or empty when the body is not one of this worker's. */
    protected abstract Optional<M> parse(String body);

    /** What the log line names the message by (never the user's subject). */
    protected abstract String describe(M message);

    /** The user whose work the message is; logged only as a {@link UserRef}. */
    protected abstract String user(M message);

    /** Messages of one lane run one after another; null (the default) gives each message its own lane. */
    protected String lane(M message) {
        return null;
    }

    /** Does the message's work; completes when done or there is nothing to do, fails when it should be retried. */
    protected abstract CompletableFuture<Void> process(M message, int receive);

    /** The message failed on its last allowed receive: record that its work will not be done. */
    protected abstract CompletableFuture<Void> giveUp(M message, int receives, Throwable failure);

    @Override
    public final SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        long deadline = System.currentTimeMillis() + waitMillis(context);
        Invocation invocation = new Invocation(context == null ? null : context.getFunctionName(),
                context == null ? null : context.getAwsRequestId());
        Map<String, CompletableFuture<Boolean>> lanes = new LinkedHashMap<>();
        Map<SQSEvent.SQSMessage, CompletableFuture<Boolean>> outcomes = new LinkedHashMap<>();
        for (SQSEvent.SQSMessage record : event.getRecords()) {
            long started = System.nanoTime();
            Optional<M> parsed = parse(record.getBody());
            if (parsed.isEmpty()) {
                log(invocation, record, null, "dropped", started, null, null);
                outcomes.put(record, CompletableFuture.completedFuture(true));
                continue;
            }
            M message = parsed.get();
            String lane = lane(message);
            CompletableFuture<Boolean> before = lane == null ? null : lanes.get(lane);
            CompletableFuture<Boolean> outcome = before == null ? run(invocation, record, message, deadline)
                    : before.handle((ignored, failure) -> null)
                            .thenCompose(ignored -> run(invocation, record, message, deadline));
            if (lane != null) {
                lanes.put(lane, outcome);
            }
            outcomes.put(record, outcome);
        }
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (Map.Entry<SQSEvent.SQSMessage, CompletableFuture<Boolean>> entry : outcomes.entrySet()) {
            if (!await(entry.getValue(), deadline)) {
                failures.add(new SQSBatchResponse.BatchItemFailure(entry.getKey().getMessageId()));
            }
        }
        return new SQSBatchResponse(failures);
    }

    private boolean await(CompletableFuture<Boolean> outcome, long deadline) {
        try {
            return outcome.get(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            // A run that outlives the deadline is reported failed; SQS delivers the message again.
            return false;
        }
    }

    /** Whether the message is done with (delete it). */
    private CompletableFuture<Boolean> run(Invocation invocation, SQSEvent.SQSMessage record, M message, long deadline) {
        long started = System.nanoTime();
        int receives = receiveCount(record);
        Usage usage = new Usage();
        CompletableFuture<Void> work;
        try {
            // Time out early enough that a last delivery still has time to record why it gave up.
            work = Usage.within(usage, () -> process(message, receives)).orTimeout(
                    Math.max(1, deadline - GIVE_UP_WAIT_MILLIS - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            work = CompletableFuture.failedFuture(e);
        }
        return work.handle((ignored, failure) -> {
            if (failure == null) {
                log(invocation, record, message, "done", started, null, usage);
                return CompletableFuture.completedFuture(true);
            }
            Throwable cause = failure instanceof TimeoutException ? failure : Failures.unwrap(failure);
            if (receives < maxReceives) {
                log(invocation, record, message, "will retry", started, cause, usage);
                return CompletableFuture.completedFuture(false);
            }
            return Usage.within(usage, () -> giveUp(message, receives, cause))
                    .orTimeout(GIVE_UP_WAIT_MILLIS, TimeUnit.MILLISECONDS)
                    .handle((done, notRecorded) -> {
                        log(invocation, record, message, notRecorded == null ? "dead-lettered"
                                : "dead-lettered, not recorded", started, cause, usage);
                        Metrics.deadLettered(name);
                        return false;
                    });
        }).thenCompose(f -> f);
    }

    public static int receiveCount(SQSEvent.SQSMessage record) {
        String count = record.getAttributes() == null ? null : record.getAttributes().get("ApproximateReceiveCount");
        try {
            return count == null ? 1 : Integer.parseInt(count);
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static long waitMillis(Context context) {
        if (context == null) {
            return NO_CONTEXT_WAIT_MILLIS;
        }
        return Math.max(1_000, context.getRemainingTimeInMillis() - MARGIN_MILLIS);
    }

    /** The Lambda invocation a batch arrived in. */
    private record Invocation(String function, String requestId) {
    }

    /**
     * One structured line per message: ids, queue, job, a {@link UserRef}, receives, outcome, latency, the error's
     * type and what the message's work consumed ({@link Usage}). Never the message body or the raw subject; an error's
     * message is left out too (it may quote a file's row).
     */
    private void log(Invocation invocation, SQSEvent.SQSMessage record, M message, String outcome, long started,
                     Throwable error, Usage usage) {
        Log.Line line = (outcome.startsWith("dead-lettered") ? Log.error("message")
                : error != null || message == null ? Log.warn("message") : Log.info("message"))
                .put("function", invocation.function())
                .put("requestId", invocation.requestId())
                .put("queue", name)
                .put("messageId", record.getMessageId())
                .put("receives", receiveCount(record))
                .put("outcome", outcome)
                .put("latencyMs", (System.nanoTime() - started) / 1_000_000);
        if (message != null) {
            line.put("job", describe(message)).put("user", UserRef.of(user(message)));
        }
        if (error != null) {
            line.put("errorType", error.getClass().getName());
        }
        (usage == null ? line : Metrics.consumed(line, invocation.function(), usage)).write();
    }
}
