package app.tally.imports;

import app.tally.jobs.ImportProgress;
import app.tally.jobs.Job;
import app.tally.jobs.JobStatus;
import app.tally.store.ChunkResult;
import app.tally.store.ImportStore;
import app.tally.store.ImportStore.RowError;
import app.tally.store.JobStore;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Writes one import chunk and counts it into its job, exactly once however often its message arrives (see
 * {@link ImportStore#writeChunk} and {@link JobStore#countChunk}). The chunk that completes the job's count ends it:
 * {@code succeeded} when every valid row is in the ledger, {@code partial} or {@code failed} when chunks were lost.
 */
public final class ChunkWriter {
    /** Events kept on the job item; older ones are trimmed. */
    static final int EVENTS_KEPT = 50;
    private static final int TRIM_SLACK = 10;

    private final JobStore jobs;
    private final ImportStore store;
    private final Clock clock;

    public ChunkWriter(JobStore jobs, ImportStore store, Clock clock) {
        this.jobs = jobs;
        this.store = store;
        this.clock = clock;
    }

    public CompletableFuture<Void> write(ImportChunk chunk, int receive) {
        // The event log is informational: failing to note a retry must not fail the chunk's write.
        CompletableFuture<Void> noted = receive == 1 ? CompletableFuture.completedFuture(null)
                : jobs.log(chunk.user(), chunk.jobId(), "chunk " + chunk.chunk() + " retried (delivery " + receive + ")",
                        clock.instant()).exceptionally(ignored -> null);
        return noted.thenCompose(ignored -> store.writeChunk(chunk.user(), chunk.jobId(), chunk.chunk(),
                        chunk.transactions()))
                .thenCompose(result -> count(chunk, result, "chunk " + chunk.chunk() + " (" + chunk.month() + ") done: "
                        + result.imported() + " imported, " + result.duplicates() + " duplicates"));
    }

    /**
     * The chunk's last allowed delivery failed: its rows are recorded as failed (unless an earlier delivery wrote them
     * after all), each with a row error, and counted so the job can end.
     */
    public CompletableFuture<Void> abandon(ImportChunk chunk, int receives, Throwable failure) {
        return store.abandonChunk(chunk.user(), chunk.jobId(), chunk.chunk(), chunk.rows().size())
                .thenCompose(result -> {
                    if (result.failed() == 0) {
                        return count(chunk, result, "chunk " + chunk.chunk() + " done late: " + result.imported()
                                + " imported, " + result.duplicates() + " duplicates");
                    }
                    String reason = "could not be written: its chunk failed " + receives + " times ("
                            + failure.getClass().getSimpleName() + ")";
                    List<RowError> errors = chunk.rows().stream().map(row -> new RowError(row.row(), null, reason,
                            row.tx().date() + " " + row.tx().type().wire() + " " + row.tx().amount().toDecimalString()
                                    + " " + row.tx().amount().currency() + " " + row.tx().category())).toList();
                    return store.putErrors(chunk.user(), chunk.jobId(), errors).thenCompose(ignored -> count(chunk,
                            result, "chunk " + chunk.chunk() + " failed for good: " + result.failed() + " rows not written"));
                });
    }

    private CompletableFuture<Void> count(ImportChunk chunk, ChunkResult result, String event) {
        return jobs.countChunk(chunk.user(), chunk.jobId(), chunk.chunk(), result, event, clock.instant())
                .thenCompose(after -> after.isPresent() ? CompletableFuture.completedFuture(after)
                        // Counted by an earlier delivery, which may have stopped before ending the job.
                        : jobs.find(chunk.user(), chunk.jobId()))
                .thenCompose(job -> job.map(found -> finish(chunk.user(), found))
                        .orElse(CompletableFuture.completedFuture(null)));
    }

    private CompletableFuture<Void> finish(String user, Job job) {
        ImportProgress counts = job.imports();
        // Trimming keeps the log short; the informational log must not fail a chunk.
        CompletableFuture<Void> trimmed = job.events().size() > EVENTS_KEPT + TRIM_SLACK
                ? jobs.trimEvents(user, job.id(), job.events().size(), EVENTS_KEPT).exceptionally(ignored -> null)
                : CompletableFuture.completedFuture(null);
        if (job.status() != JobStatus.RUNNING || counts == null || !counts.complete()) {
            return trimmed;
        }
        JobStatus outcome = counts.outcome();
        String error = outcome == JobStatus.SUCCEEDED ? null
                : counts.failed() + " rows could not be written; see the row errors.";
        String event = outcome.wire() + ": " + counts.imported() + " imported, " + counts.duplicates()
                + " duplicates, " + counts.invalid() + " invalid, " + counts.failed() + " failed";
        return trimmed.thenCompose(ignored -> jobs.finishImport(user, job.id(), outcome, error, event, clock.instant()))
                .thenCompose(ignored -> trimFinished(user, job.id()));
    }

    /** Chunks counted at the same time as the last one may have appended past its trim. */
    private CompletableFuture<Void> trimFinished(String user, String jobId) {
        return jobs.find(user, jobId)
                .thenCompose(ended -> ended.map(found -> jobs.trimEvents(user, jobId, found.events().size(),
                        EVENTS_KEPT + 1)).orElse(CompletableFuture.completedFuture(null)))
                .exceptionally(ignored -> null);
    }
}
