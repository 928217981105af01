package app.tally.model;

import java.time.Instant;
import java.util.List;

/**
 * A background job of one user. {@code request} is the validated request it was asked with, as JSON text;
 * {@code objectKey} names its file once written; {@code objectETag} is the ETag of an uploaded import file when its
 * job was started (the worker reads only that version); {@code attempt} identifies the worker run that owns it now (a retried
 * run takes it over), so a stale run cannot report progress or success. An import also has its row counters and a
 * short event log.
 */
public record Job(String id, JobKind kind, JobStatus status, String request, JobProgress progress,
                  ImportProgress imports, List<JobEvent> events,
                  String objectKey, String objectETag, String error, String attempt, Instant createdAt, Instant updatedAt,
                  Instant startedAt, Instant finishedAt) {

    public Job {
        events = List.copyOf(events);
    }

    public static Job queued(String id, JobKind kind, String request, Instant now) {
        return created(id, kind, JobStatus.QUEUED, request, now);
    }

    /** The same job with its file's key. */
    public Job withObjectKey(String key) {
        return new Job(id, kind, status, request, progress, imports, events, key, objectETag, error, attempt, createdAt,
                updatedAt, startedAt, finishedAt);
    }

    /** The same job with these import counters. */
    public Job withImports(ImportProgress counts) {
        return new Job(id, kind, status, request, progress, counts, events, objectKey, objectETag, error, attempt,
                createdAt, updatedAt, startedAt, finishedAt);
    }

    /** A new job in its first state: queued, or an import awaiting its upload. */
    public static Job created(String id, JobKind kind, JobStatus status, String request, Instant now) {
        return new Job(id, kind, status, request, JobProgress.NONE, kind == JobKind.IMPORT ? ImportProgress.NONE : null,
                List.of(), null, null, null, null, now, now, null, null);
    }
}
