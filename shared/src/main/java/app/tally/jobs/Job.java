package app.tally.jobs;

import java.time.Instant;

/**
 * A background job of one user. {@code request} is the validated request it was asked with, as JSON text;
 * {@code objectKey} names its file once written; {@code attempt} identifies the worker run that owns it now (a retried
 * run takes it over), so a stale run cannot report progress or success.
 */
public record Job(String id, JobKind kind, JobStatus status, String request, JobProgress progress,
                  String objectKey, String error, String attempt, Instant createdAt, Instant updatedAt,
                  Instant startedAt, Instant finishedAt) {

    public static Job queued(String id, JobKind kind, String request, Instant now) {
        return new Job(id, kind, JobStatus.QUEUED, request, JobProgress.NONE, null, null, null, now, now, null, null);
    }
}
