package app.tally.queue;

import app.tally.model.JobKind;
import app.tally.model.JobStatus;
import app.tally.services.jobs.JobMessage;
import app.tally.store.JobStore;
import app.tally.telemetry.Metrics;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The worker of one kind of job, started by a {@link JobMessage} (see {@link QueueHandler} for batches and retries).
 * A run that fails on the last allowed receive marks the job failed, with a reason, before its message goes to the
 * dead-letter queue. A message that names no job of its user is the run's to log and drop.
 */
public abstract class JobHandler extends QueueHandler<JobMessage> {
    private final JobKind kind;
    private final JobStore jobs;
    private final Clock clock;

    protected JobHandler(JobKind kind, JobStore jobs, int maxReceives, Clock clock) {
        super(kind.wire(), maxReceives);
        this.kind = kind;
        this.jobs = jobs;
        this.clock = clock;
    }

    /** Runs the job; completes when it is done or there is nothing to do, fails when it should be retried. */
    protected abstract CompletableFuture<Void> run(JobMessage message, int receive);

    @Override
    protected final Optional<JobMessage> parse(String body) {
        return JobMessage.parse(body).filter(message -> message.kind() == kind);
    }

    @Override
    protected final String describe(JobMessage message) {
        return message.jobId();
    }

    @Override
    protected final String user(JobMessage message) {
        return message.user();
    }

    @Override
    protected final CompletableFuture<Void> process(JobMessage message, int receive) {
        return run(message, receive);
    }

    @Override
    protected final CompletableFuture<Void> giveUp(JobMessage message, int receives, Throwable failure) {
        String reason = "The " + kind.wire() + " failed " + receives + " times and was stopped ("
                + failure.getClass().getSimpleName() + "). Request it again.";
        return jobs.fail(message.user(), message.jobId(), reason, clock.instant()).thenAccept(applied -> {
            if (applied) {
                Metrics.jobFinished(kind.wire(), JobStatus.FAILED.wire(), null, message.jobId());
            }
        });
    }
}
