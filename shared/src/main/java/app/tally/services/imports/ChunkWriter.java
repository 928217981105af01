package app.tally.services.imports;

import app.tally.model.ImportProgress;
import app.tally.model.Job;
import app.tally.model.JobKind;
import app.tally.model.JobStatus;
import app.tally.retry.Backoff;
import app.tally.services.push.JobAnnouncements;
import app.tally.services.push.PushEvent;
import app.tally.store.ChunkResult;
import app.tally.store.ImportStore;
import app.tally.store.ImportStore.RowError;
import app.tally.store.JobStore;
import app.tally.telemetry.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Writes one import chunk and counts it into its job, exactly once however often its message arrives (see
 * {@link ImportStore#writeChunk}: the chunk's month tally is counted in the chunk's own transaction). Each chunk then
 * notes itself on the job ({@link JobStore#noteChunk}); once the notes reach the job's chunk count, the tallies are
 * summed, and the chunk that finds them complete ends the job: {@code succeeded} when every valid row is in the
 * ledger, {@code partial} or {@code failed} when chunks were lost. Each chunk notes after its own write, so the last
 * note comes after every write, and that note finds the tallies complete.
 */
public final class ChunkWriter {
    /** Events kept on the job item; older ones are trimmed. */
    static final int EVENTS_KEPT = 50;
    private static final int TRIM_SLACK = 10;

    private final JobStore jobs;
    private final ImportStore store;
    private final Clock clock;
    private final JobAnnouncements announcements;

    public ChunkWriter(JobStore jobs, ImportStore store, Clock clock) {
        this(jobs, store, clock, JobAnnouncements.none());
    }

    /** A writer that tells the user's open clients of each counted chunk and of the import's end. */
    public ChunkWriter(JobStore jobs, ImportStore store, Clock clock, JobAnnouncements announcements) {
        // Job updates are bookkeeping a worker can wait for: a throttled job item is waited out, not failed on.
        this.jobs = jobs.retrying(Backoff.WORKER);
        this.store = store;
        this.clock = clock;
        this.announcements = announcements;
    }

    public CompletableFuture<Void> write(ImportChunk chunk, int receive) {
        // The event log is informational: failing to note a retry must not fail the chunk's write.
        CompletableFuture<Void> noted = receive == 1 ? CompletableFuture.completedFuture(null)
                : jobs.log(chunk.user(), chunk.jobId(), "chunk " + chunk.chunk() + " retried (delivery " + receive + ")",
                        clock.instant()).exceptionally(ignored -> null);
        return noted.thenCompose(ignored -> store.writeChunk(chunk.user(), chunk.jobId(), chunk.chunk(), chunk.month(),
                        chunk.transactions()))
                .thenCompose(result -> count(chunk, result, "chunk " + chunk.chunk() + " (" + chunk.month() + ") done: "
                        + result.imported() + " imported, " + result.duplicates() + " duplicates"));
    }

    /**
     * The chunk's last allowed delivery failed: its rows are recorded as failed (unless an earlier delivery wrote them
     * after all), each with a row error, and counted so the job can end.
     */
    public CompletableFuture<Void> abandon(ImportChunk chunk, int receives, Throwable failure) {
        return store.abandonChunk(chunk.user(), chunk.jobId(), chunk.chunk(), chunk.month(), chunk.rows().size())
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
        if (result.fresh()) {
            Metrics.transactionsCreated("import", result.imported());
        }
        return jobs.noteChunk(chunk.user(), chunk.jobId(), event, clock.instant())
                // Empty: the job ended already (this is a late redelivery) or is gone.
                .thenCompose(note -> note.map(found -> announce(chunk, result)
                                .thenCompose(ignored -> afterNote(chunk.user(), found)))
                        .orElse(CompletableFuture.completedFuture(null)));
    }

    /** The chunk's progress (before a possible end, so clients see them in order) and the month it changed. */
    private CompletableFuture<Void> announce(ImportChunk chunk, ChunkResult result) {
        List<PushEvent> changed = result.fresh() && result.imported() > 0
                ? List.of(PushEvent.statisticsChanged(List.of(chunk.month()), clock.instant())) : List.of();
        return announcements.progress(chunk.user(), chunk.jobId(), changed);
    }

    private CompletableFuture<Void> afterNote(String user, JobStore.ChunkNote note) {
        Job job = note.job();
        // Trimming keeps the log short; the informational log must not fail a chunk.
        CompletableFuture<Void> trimmed = job.events().size() > EVENTS_KEPT + TRIM_SLACK
                ? jobs.trimEvents(user, job.id(), job.events().size(), EVENTS_KEPT).exceptionally(ignored -> null)
                : CompletableFuture.completedFuture(null);
        if (job.imports() == null || !job.imports().planned() || note.notes() < job.imports().chunks()) {
            return trimmed;
        }
        return trimmed.thenCompose(ignored -> jobs.withChunkCounts(user, job))
                .thenCompose(counted -> finish(user, counted));
    }

    private CompletableFuture<Void> finish(String user, Job job) {
        ImportProgress counts = job.imports();
        if (job.status() != JobStatus.RUNNING || counts == null || !counts.complete()) {
            return CompletableFuture.completedFuture(null);
        }
        JobStatus outcome = counts.outcome();
        String error = outcome == JobStatus.SUCCEEDED ? null
                : counts.failed() + " rows could not be written; see the row errors.";
        String event = outcome.wire() + ": " + counts.imported() + " imported, " + counts.duplicates()
                + " duplicates, " + counts.invalid() + " invalid, " + counts.failed() + " failed";
        Instant now = clock.instant();
        return jobs.finishImport(user, job.id(), outcome, counts, error, event, now)
                .thenCompose(applied -> {
                    if (applied) {
                        Metrics.jobFinished(JobKind.IMPORT.wire(), outcome.wire(),
                                Duration.between(job.createdAt(), now), job.id());
                        Metrics.importFinished(counts.imported() + counts.duplicates() > 0
                                ? counts.rowsPerSecond(job.startedAt(), now) : null,
                                counts.invalid(), counts.failed(), job.id());
                    }
                    CompletableFuture<Void> announced = applied ? announcements.finished(user, job.id())
                            : CompletableFuture.completedFuture(null);
                    return announced.thenCompose(ignored -> trimFinished(user, job.id()));
                });
    }

    /** Chunks counted at the same time as the last one may have appended past its trim. */
    private CompletableFuture<Void> trimFinished(String user, String jobId) {
        return jobs.find(user, jobId)
                .thenCompose(ended -> ended.map(found -> jobs.trimEvents(user, jobId, found.events().size(),
                        EVENTS_KEPT + 1)).orElse(CompletableFuture.completedFuture(null)))
                .exceptionally(ignored -> null);
    }
}
