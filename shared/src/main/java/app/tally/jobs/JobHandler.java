package app.tally.jobs;

import app.tally.http.Json;
import app.tally.http.Problems;
import app.tally.store.JobStore;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The boundary every job worker shares: one message at a time, each waited for once with a deadline below the
 * function's timeout, and failures reported per message (ReportBatchItemFailures) so SQS retries only those.
 * <p>
 * How a job learns that it failed for good: SQS moves a message to the dead-letter queue once it has been received
 * {@code maxReceives} times (the queue's maxReceiveCount) without being deleted. So a run that fails on the
 * {@code maxReceives}-th receive (ApproximateReceiveCount) marks the job failed, with a reason, before reporting the
 * failure that sends the message there. A message that names no job of its user, or is not a job message, can never
 * succeed: it is logged and dropped.
 */
public abstract class JobHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final long MARGIN_MILLIS = 2_000;
    private static final long NO_CONTEXT_WAIT_MILLIS = 300_000;

    private final JobKind kind;
    private final JobStore jobs;
    private final int maxReceives;
    private final Clock clock;

    protected JobHandler(JobKind kind, JobStore jobs, int maxReceives, Clock clock) {
        this.kind = kind;
        this.jobs = jobs;
        this.maxReceives = maxReceives;
        this.clock = clock;
    }

    /** Runs the job; completes when it is done or there is nothing to do, fails when it should be retried. */
    protected abstract CompletableFuture<Void> run(JobMessage message);

    @Override
    public final SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage record : event.getRecords()) {
            if (!handle(record, context)) {
                failures.add(new SQSBatchResponse.BatchItemFailure(record.getMessageId()));
            }
        }
        return new SQSBatchResponse(failures);
    }

    /** Whether the message is done with (delete it). */
    private boolean handle(SQSEvent.SQSMessage record, Context context) {
        long started = System.nanoTime();
        Optional<JobMessage> parsed = JobMessage.parse(record.getBody());
        if (parsed.isEmpty() || parsed.get().kind() != kind) {
            log(record, null, "dropped", started, "not a " + kind.wire() + " job message");
            return true;
        }
        JobMessage message = parsed.get();
        try {
            run(message).get(waitMillis(context), TimeUnit.MILLISECONDS);
            log(record, message, "done", started, null);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return giveUpOrRetry(record, message, e, started);
        } catch (Exception e) {
            return giveUpOrRetry(record, message, e instanceof TimeoutException ? e : Problems.unwrap(e), started);
        }
    }

    private boolean giveUpOrRetry(SQSEvent.SQSMessage record, JobMessage message, Throwable failure, long started) {
        int receives = receiveCount(record);
        if (receives >= maxReceives) {
            String reason = "The " + kind.wire() + " failed " + receives + " times and was stopped ("
                    + failure.getClass().getSimpleName() + "). Request it again.";
            try {
                jobs.fail(message.user(), message.jobId(), reason, clock.instant()).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                log(record, message, "not marked failed", started, e.getClass().getName());
            }
        }
        log(record, message, receives >= maxReceives ? "failed for good" : "will retry", started,
                failure.getClass().getName() + ": " + failure.getMessage());
        return false;
    }

    static int receiveCount(SQSEvent.SQSMessage record) {
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

    /** One structured line per message; never the user's subject. */
    private void log(SQSEvent.SQSMessage record, JobMessage message, String outcome, long started, String error) {
        ObjectNode line = Json.object();
        line.put("kind", kind.wire());
        line.put("messageId", record.getMessageId());
        if (message != null) {
            line.put("job", message.jobId());
        }
        line.put("receives", receiveCount(record));
        line.put("outcome", outcome);
        line.put("latencyMs", (System.nanoTime() - started) / 1_000_000);
        if (error != null) {
            line.put("error", error);
        }
        System.out.println(Json.write(line));
    }
}
