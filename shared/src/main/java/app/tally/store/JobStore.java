package app.tally.store;

import static app.tally.store.Attributes.key;
import static app.tally.store.Attributes.n;
import static app.tally.store.Attributes.s;

import app.tally.model.ImportProgress;
import app.tally.model.Job;
import app.tally.model.JobProgress;
import app.tally.model.JobStatus;
import app.tally.retry.Backoff;
import app.tally.retry.Failures;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Job items ({@code PK=U#<user>}, {@code SK=J#<jobId>}). Every status change is a conditional update, so a job
 * moves only forward: a redelivered or stale worker run cannot undo a final state or report for another run.
 */
public final class JobStore {
    private final DynamoDbAsyncClient db;
    private final String table;
    private final Backoff backoff;
    private final JobTallies tallies;

    public JobStore(DynamoDbAsyncClient db, String table) {
        this(db, table, Backoff.REQUEST);
    }

    private JobStore(DynamoDbAsyncClient db, String table, Backoff backoff) {
        this.db = db;
        this.table = table;
        this.backoff = backoff;
        this.tallies = new JobTallies(db, table);
    }

    /** The same store, retrying throttled updates within {@code backoff}'s budget (a worker's is longer). */
    public JobStore retrying(Backoff backoff) {
        return new JobStore(db, table, backoff);
    }

    /** One page of jobs, newest first; {@code lastKey} is where the next page starts, null on the last page. */
    public record JobPage(List<Job> jobs, String lastKey) {
    }

    public CompletableFuture<Void> create(String user, Job job) {
        Map<String, AttributeValue> item = JobItems.newItem(user, job);
        return db.putItem(p -> p.tableName(table).item(item).conditionExpression("attribute_not_exists(PK)"))
                .<Void>thenApply(ignored -> null)
                .exceptionallyCompose(failure -> {
                    Throwable cause = Failures.unwrap(failure);
                    if (!(cause instanceof ConditionalCheckFailedException)) {
                        return CompletableFuture.failedFuture(cause);
                    }
                    // Job ids are new: the item can only be this very write, whose first attempt committed but lost
                    // its answer (the SDK then retried it). Anything else is a clash.
                    return find(user, job.id()).thenApply(found -> {
                        if (found.isPresent() && found.get().request().equals(job.request())
                                && found.get().createdAt().equals(job.createdAt())) {
                            return null;
                        }
                        throw new IllegalStateException("job " + job.id() + " exists already");
                    });
                });
    }

    /** The job; an import with its chunk counts as they stand, summed from its month tallies ({@link JobTallies}). */
    public CompletableFuture<Optional<Job>> find(String user, String id) {
        return db.getItem(g -> g.tableName(table).key(key(Keys.user(user), Keys.job(id))).consistentRead(true))
                .thenCompose(r -> r.hasItem() && !r.item().isEmpty()
                        ? tallies.withTallies(user, r.item()).thenApply(Optional::of)
                        : CompletableFuture.completedFuture(Optional.empty()));
    }

    /** Up to {@code limit} jobs, newest first, after the job key {@code startAfter} when given. */
    public CompletableFuture<JobPage> page(String user, String startAfter, int limit) {
        Map<String, AttributeValue> start = startAfter == null ? null : key(Keys.user(user), startAfter);
        return db.query(q -> q.tableName(table)
                        .keyConditionExpression("PK = :pk AND begins_with(SK, :jobs)")
                        .expressionAttributeValues(Map.of(":pk", s(Keys.user(user)), ":jobs", s(Keys.JOBS)))
                        .scanIndexForward(false)
                        .limit(limit)
                        .exclusiveStartKey(start))
                .thenCompose(r -> {
                    // Running imports' tallies are read at once.
                    List<CompletableFuture<Job>> jobs = r.items().stream()
                            .map(item -> tallies.withTallies(user, item)).toList();
                    String lastKey = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty()
                            ? r.lastEvaluatedKey().get(Keys.SK).s() : null;
                    return CompletableFuture.allOf(jobs.toArray(CompletableFuture[]::new)).thenApply(ignored ->
                            new JobPage(jobs.stream().map(CompletableFuture::join).toList(), lastKey));
                });
    }

    /** The import with the sums of its month tallies as its chunk counts. */
    public CompletableFuture<Job> withChunkCounts(String user, Job job) {
        return tallies.withChunkCounts(user, job);
    }

    /** Whether a job key from a cursor is one this store could have produced. */
    public static boolean isJobKey(String sortKey) {
        return sortKey.startsWith(Keys.JOBS);
    }

    /**
     * A worker run takes the job over: {@code running}, progress reset, {@code attempt} set to the run's token.
     * Returns the job as it was before, or empty when it is final or missing (nothing changed).
     */
    public CompletableFuture<Optional<Job>> start(String user, String id, String attempt, int monthsTotal, Instant now) {
        return update(user, id, "SET #status = :running, #attempt = :attempt, startedAt = if_not_exists(startedAt, :now),"
                        + " updatedAt = :now, #rows = :zero, #bytes = :zero, monthsDone = :zero, monthsTotal = :total",
                "#status IN (:queued, :running)",
                Map.of("#status", "status", "#attempt", "attempt", "#rows", "rows", "#bytes", "bytes"),
                Map.of(":running", s(JobStatus.RUNNING.wire()), ":queued", s(JobStatus.QUEUED.wire()),
                        ":attempt", s(attempt), ":now", s(now.toString()), ":zero", n(0), ":total", n(monthsTotal)),
                ReturnValue.ALL_OLD).thenApply(before -> before.map(JobItems::toJob));
    }

    /** Records progress of the run that owns the job; false when another run took it over or it is final. */
    public CompletableFuture<Boolean> progress(String user, String id, String attempt, JobProgress progress, Instant now) {
        return update(user, id, "SET #rows = :rows, #bytes = :bytes, monthsDone = :done, updatedAt = :now",
                "#status = :running AND #attempt = :attempt",
                Map.of("#status", "status", "#attempt", "attempt", "#rows", "rows", "#bytes", "bytes"),
                Map.of(":running", s(JobStatus.RUNNING.wire()), ":attempt", s(attempt), ":rows", n(progress.rows()),
                        ":bytes", n(progress.bytes()), ":done", n(progress.monthsDone()), ":now", s(now.toString())),
                ReturnValue.NONE).thenApply(Optional::isPresent);
    }

    /** The owning run finished: {@code succeeded} with its file. False when the run no longer owns the job. */
    public CompletableFuture<Boolean> succeed(String user, String id, String attempt, JobProgress progress,
                                              String objectKey, Instant now) {
        return update(user, id, "SET #status = :succeeded, #rows = :rows, #bytes = :bytes, monthsDone = :done,"
                        + " objectKey = :key, updatedAt = :now, finishedAt = :now REMOVE #attempt",
                "#status = :running AND #attempt = :attempt",
                Map.of("#status", "status", "#attempt", "attempt", "#rows", "rows", "#bytes", "bytes"),
                Map.of(":succeeded", s(JobStatus.SUCCEEDED.wire()), ":running", s(JobStatus.RUNNING.wire()),
                        ":attempt", s(attempt), ":rows", n(progress.rows()), ":bytes", n(progress.bytes()),
                        ":done", n(progress.monthsDone()), ":key", s(objectKey), ":now", s(now.toString())),
                ReturnValue.NONE).thenApply(Optional::isPresent);
    }

    /** {@code failed} with a reason, from any state but a final one. False when it was final or missing already. */
    public CompletableFuture<Boolean> fail(String user, String id, String reason, Instant now) {
        return update(user, id, "SET #status = :failed, #error = :reason, updatedAt = :now, finishedAt = :now"
                        + " REMOVE #attempt",
                "#status IN (:queued, :running)",
                Map.of("#status", "status", "#attempt", "attempt", "#error", "error"),
                Map.of(":failed", s(JobStatus.FAILED.wire()), ":queued", s(JobStatus.QUEUED.wire()),
                        ":running", s(JobStatus.RUNNING.wire()), ":reason", s(reason), ":now", s(now.toString())),
                ReturnValue.NONE).thenApply(Optional::isPresent);
    }

    /**
     * An uploaded import may start: {@code awaiting_upload → queued}, pinned to the file's {@code eTag}. False when it
     * was not awaiting its upload.
     */
    public CompletableFuture<Boolean> uploaded(String user, String id, String eTag, Instant now) {
        return update(user, id, "SET #status = :queued, objectETag = :etag, updatedAt = :now", "#status = :awaiting",
                Map.of("#status", "status"),
                Map.of(":queued", s(JobStatus.QUEUED.wire()), ":awaiting", s(JobStatus.AWAITING_UPLOAD.wire()),
                        ":etag", s(eTag), ":now", s(now.toString())),
                ReturnValue.NONE).thenApply(Optional::isPresent);
    }

    /**
     * An import worker run starts ({@code queued|running → running}), logging {@code event}. Returns the job as it was
     * before, or empty when it is final or missing.
     */
    public CompletableFuture<Optional<Job>> startImport(String user, String id, String event, Instant now) {
        return update(user, id, "SET #status = :running, startedAt = if_not_exists(startedAt, :now), updatedAt = :now,"
                        + " #events = list_append(if_not_exists(#events, :none), :event)",
                "#status IN (:queued, :running)",
                Map.of("#status", "status", "#events", "events"),
                Map.of(":running", s(JobStatus.RUNNING.wire()), ":queued", s(JobStatus.QUEUED.wire()),
                        ":now", s(now.toString()), ":none", AttributeValue.fromL(List.of()), ":event", JobItems.event(event, now)),
                ReturnValue.ALL_OLD).thenApply(before -> before.map(JobItems::toJob));
    }

    /**
     * The file has been read: its row counts and chunk count are final (a retried run sets the same numbers). Returns
     * the job after the change, or empty when it is no longer running.
     */
    public CompletableFuture<Optional<Job>> planned(String user, String id, ImportProgress plan, String event,
                                                    Instant now) {
        return planned(user, id, plan, null, event, now);
    }

    /** The same, also replacing the job's request with one that says what the read found (null: keep it). */
    public CompletableFuture<Optional<Job>> planned(String user, String id, ImportProgress plan, String request,
                                                    String event, Instant now) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":running", s(JobStatus.RUNNING.wire()),
                ":total", n(plan.total()), ":valid", n(plan.valid()), ":invalid", n(plan.invalid()),
                ":chunks", n(plan.chunks()), ":true", AttributeValue.fromBool(true), ":now", s(now.toString()),
                ":event", JobItems.event(event, now)));
        if (request != null) {
            values.put(":request", s(request));
        }
        return update(user, id, "SET #total = :total, valid = :valid, invalid = :invalid, chunks = :chunks,"
                        + " planned = :true, updatedAt = :now, #events = list_append(#events, :event)"
                        + (request == null ? "" : ", #request = :request"),
                "#status = :running",
                request == null ? Map.of("#status", "status", "#total", "total", "#events", "events")
                        : Map.of("#status", "status", "#total", "total", "#events", "events", "#request", "request"),
                values, ReturnValue.ALL_NEW).thenApply(after -> after.map(JobItems::toJob));
    }

    /** A running import after a chunk was noted, and how many chunk notes it has had. */
    public record ChunkNote(Job job, int notes) {
    }

    /**
     * Notes that a chunk of a running import is done: its event, and one more in the job's count of notes. The chunk
     * itself was counted exactly in its month tally; this count is at least the number of chunks done (a redelivered
     * chunk notes again) and tells a writer when to sum the tallies. Empty when the job is not running.
     */
    public CompletableFuture<Optional<ChunkNote>> noteChunk(String user, String id, String event, Instant now) {
        return update(user, id, "SET updatedAt = :now, #events = list_append(if_not_exists(#events, :none), :event)"
                        + " ADD chunkNotes :one",
                "#status = :running",
                Map.of("#status", "status", "#events", "events"),
                Map.of(":now", s(now.toString()), ":none", AttributeValue.fromL(List.of()), ":event", JobItems.event(event, now),
                        ":one", n(1), ":running", s(JobStatus.RUNNING.wire())),
                ReturnValue.ALL_NEW).thenApply(after -> after.map(item -> new ChunkNote(JobItems.toJob(item),
                        (int) Attributes.number(item, "chunkNotes"))));
    }

    /** Appends to the event log of a job that is not final. */
    public CompletableFuture<Void> log(String user, String id, String event, Instant now) {
        return update(user, id, "SET #events = list_append(if_not_exists(#events, :none), :event)",
                "#status IN (:queued, :running)",
                Map.of("#status", "status", "#events", "events"),
                Map.of(":queued", s(JobStatus.QUEUED.wire()), ":running", s(JobStatus.RUNNING.wire()),
                        ":none", AttributeValue.fromL(List.of()), ":event", JobItems.event(event, now)),
                ReturnValue.NONE).thenApply(ignored -> null);
    }

    /**
     * Keeps the event log short: removes the oldest entries beyond {@code keep}. The removal is conditioned on the
     * log still having {@code seen} entries (list indexes shift with every trim); when a concurrent append changed it,
     * the size is read again, within {@link Backoff#CONFLICT}'s attempts.
     */
    public CompletableFuture<Void> trimEvents(String user, String id, int seen, int keep) {
        return trimEvents(user, id, seen, keep, Backoff.CONFLICT.start());
    }

    private CompletableFuture<Void> trimEvents(String user, String id, int seen, int keep, Backoff.Attempts attempts) {
        if (seen <= keep) {
            return CompletableFuture.completedFuture(null);
        }
        List<String> oldest = new ArrayList<>();
        for (int i = 0; i < seen - keep; i++) {
            oldest.add("#events[" + i + "]");
        }
        return update(user, id, "REMOVE " + String.join(", ", oldest), "size(#events) = :seen",
                Map.of("#events", "events"), Map.of(":seen", n(seen)), ReturnValue.NONE)
                .thenCompose(trimmed -> trimmed.isPresent() ? CompletableFuture.<Void>completedFuture(null)
                        // Another writer appended meanwhile: count again and retry.
                        : attempts.pause().map(paused -> paused.thenCompose(ignored -> find(user, id)).thenCompose(job ->
                                job.map(found -> trimEvents(user, id, found.events().size(), keep, attempts))
                                        .orElse(CompletableFuture.completedFuture(null))))
                        .orElse(CompletableFuture.completedFuture(null)));
    }

    /**
     * A running import ends in {@code status} (succeeded, partial or failed), logging {@code event}. {@code counts}
     * are its final chunk counts when every chunk is counted (they are copied onto the job item), or null when it
     * ends before that (its tallies keep being read).
     */
    public CompletableFuture<Boolean> finishImport(String user, String id, JobStatus status, ImportProgress counts,
                                                   String error, String event, Instant now) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":final", s(status.wire()),
                ":running", s(JobStatus.RUNNING.wire()), ":now", s(now.toString()), ":event", JobItems.event(event, now)));
        Map<String, String> names = new HashMap<>(Map.of("#status", "status", "#events", "events"));
        String set = "SET #status = :final, updatedAt = :now, finishedAt = :now, #events = list_append(#events, :event)";
        if (counts != null) {
            values.putAll(Map.of(":imported", n(counts.imported()), ":duplicates", n(counts.duplicates()),
                    ":failed", n(counts.failed()), ":chunksDone", n(counts.chunksDone()),
                    ":true", AttributeValue.fromBool(true)));
            names.put("#failed", "failed");
            set += ", imported = :imported, duplicates = :duplicates, #failed = :failed, chunksDone = :chunksDone, "
                    + JobItems.COUNTS_FINAL + " = :true";
        }
        if (error != null) {
            values.put(":error", s(error));
            names.put("#error", "error");
            set += ", #error = :error";
        }
        return update(user, id, set, "#status = :running", names, values,
                ReturnValue.NONE).thenApply(Optional::isPresent);
    }


    /** The update's returned item (an empty map when none was asked for), or empty when its condition did not hold. */
    private CompletableFuture<Optional<Map<String, AttributeValue>>> update(String user, String id, String expression, String condition,
                                                    Map<String, String> names, Map<String, AttributeValue> values,
                                                    ReturnValue returnValue) {
        return backoff.retry(() -> db.updateItem(u -> u.tableName(table)
                        .key(key(Keys.user(user), Keys.job(id)))
                        .updateExpression(expression)
                        .conditionExpression("attribute_exists(PK) AND " + condition)
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values)
                        .returnValues(returnValue)), Transact::retryable)
                .thenApply(r -> Optional.of(r.attributes()))
                .exceptionally(failure -> {
                    Throwable cause = Failures.unwrap(failure);
                    if (cause instanceof ConditionalCheckFailedException) {
                        return Optional.empty();
                    }
                    throw failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
                });
    }


}
