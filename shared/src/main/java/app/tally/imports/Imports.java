package app.tally.imports;

import app.tally.http.ApiException;
import app.tally.http.Json;
import app.tally.jobs.Job;
import app.tally.jobs.JobFiles;
import app.tally.jobs.JobKind;
import app.tally.jobs.JobMessage;
import app.tally.jobs.JobQueue;
import app.tally.jobs.JobStatus;
import app.tally.ledger.Ids;
import app.tally.store.JobStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/**
 * Accepts imports. A CSV in the request body (up to {@link #MAX_BODY_BYTES}) is stored in S3 and its job queued at
 * once; a larger file is announced with {@code {"filename"}}, uploaded by the client to a presigned PUT URL, and
 * started with {@code POST /imports/{id}/start}. The file's key follows from the user and the job
 * ({@code imports/<user hash>/<job>.csv}), so the worker reads only what this user uploaded. As for exports, the job
 * item is written before its message is sent, so a message never names a missing job.
 */
public final class Imports {
    public static final int MAX_BODY_BYTES = 5 * 1024 * 1024;
    /** Largest upload an import reads (about a million rows). */
    public static final long MAX_UPLOAD_BYTES = 200L * 1024 * 1024;
    public static final Duration UPLOAD_VALIDITY = Duration.ofMinutes(15);

    private final JobStore jobs;
    private final JobQueue queue;
    private final S3AsyncClient s3;
    private final S3Presigner presigner;
    private final String bucket;
    private final Clock clock;

    public Imports(JobStore jobs, JobQueue queue, S3AsyncClient s3, S3Presigner presigner, String bucket, Clock clock) {
        this.jobs = jobs;
        this.queue = queue;
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
        this.clock = clock;
    }

    /** The CSV is the body: stored, then the job queued. */
    public CompletableFuture<ObjectNode> fromBody(String user, String csv, ImportRequest request) {
        if (csv == null || csv.isEmpty()) {
            throw ApiException.badRequest("The request body is empty: send the CSV file as text/csv.");
        }
        Job job = newJob(user, request, JobStatus.QUEUED);
        byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
        return s3.putObject(p -> p.bucket(bucket).key(job.objectKey()).contentType("text/csv; charset=utf-8"),
                        AsyncRequestBody.fromBytes(bytes))
                .thenCompose(stored -> jobs.create(user, job))
                .thenCompose(created -> enqueue(user, job.id()))
                .thenApply(sent -> summary(job));
    }

    /** The client uploads the file itself: the job waits for it, and the answer carries the upload URL. */
    public CompletableFuture<ObjectNode> forUpload(String user, ImportRequest request) {
        Job job = newJob(user, request, JobStatus.AWAITING_UPLOAD);
        return jobs.create(user, job).thenApply(created -> {
            PresignedPutObjectRequest signed = presigner.presignPutObject(r -> r.signatureDuration(UPLOAD_VALIDITY)
                    .putObjectRequest(p -> p.bucket(bucket).key(job.objectKey())));
            ObjectNode json = summary(job);
            json.putObject("upload").put("method", "PUT").put("url", signed.url().toString())
                    .put("expiresAt", signed.expiration().toString()).put("maxBytes", MAX_UPLOAD_BYTES)
                    .put("start", "/imports/" + job.id() + "/start");
            return json;
        });
    }

    /** The upload is complete: the job is queued (once; starting a job that has started answers its state). */
    public CompletableFuture<ObjectNode> start(String user, String id) {
        if (!Ids.isValid(id)) {
            return CompletableFuture.failedFuture(ApiException.notFound("The import"));
        }
        return jobs.find(user, id).thenCompose(found -> {
            Job job = found.filter(j -> j.kind() == JobKind.IMPORT)
                    .orElseThrow(() -> ApiException.notFound("The import"));
            if (job.status() != JobStatus.AWAITING_UPLOAD) {
                return CompletableFuture.completedFuture(summary(job));
            }
            return s3.headObject(h -> h.bucket(bucket).key(job.objectKey()))
                    .handle((head, failure) -> {
                        if (failure != null) {
                            Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                            if (cause instanceof NoSuchKeyException
                                    || cause instanceof S3Exception s3e && s3e.statusCode() == 404) {
                                throw ApiException.conflict("The file has not been uploaded yet: PUT it to the upload "
                                        + "URL first.");
                            }
                            throw failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
                        }
                        if (head.contentLength() > MAX_UPLOAD_BYTES) {
                            throw ApiException.payloadTooLarge((int) Math.min(Integer.MAX_VALUE, MAX_UPLOAD_BYTES));
                        }
                        return head;
                    })
                    .thenCompose(head -> jobs.uploaded(user, id, head.eTag(), clock.instant()))
                    // Not moved: another start got there first, or this one's first attempt did and lost its answer
                    // (then nothing was sent yet). A queued job gets its message either way: a second one is
                    // harmless, a missing one would leave the job queued for ever.
                    .thenCompose(moved -> moved ? CompletableFuture.completedFuture(true) : jobs.find(user, id)
                            .thenApply(now -> now.isPresent() && now.get().status() == JobStatus.QUEUED))
                    .thenCompose(queued -> queued ? enqueue(user, id) : CompletableFuture.completedFuture(null))
                    .thenCompose(sent -> jobs.find(user, id))
                    .thenApply(now -> summary(now.orElse(job)));
        });
    }

    private Job newJob(String user, ImportRequest request, JobStatus status) {
        Instant now = clock.instant();
        String id = Ids.newId(now);
        return Job.created(id, JobKind.IMPORT, status, Json.write(request.toJson()), now)
                .withObjectKey(JobFiles.key(JobKind.IMPORT, user, id, "csv"));
    }

    private CompletableFuture<Void> enqueue(String user, String id) {
        return queue.send(new JobMessage(user, id, JobKind.IMPORT))
                .exceptionallyCompose(failure -> jobs.fail(user, id, "The import could not be queued. Request it again.",
                                clock.instant())
                        .handle((ignored, alsoFailed) -> {
                            throw ApiException.unavailable("The import could not be queued; retry shortly.");
                        }));
    }

    private static ObjectNode summary(Job job) {
        return Json.object().put("jobId", job.id()).put("kind", job.kind().wire()).put("status", job.status().wire());
    }
}
