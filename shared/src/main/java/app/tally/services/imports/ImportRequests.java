package app.tally.services.imports;

import app.tally.aws.PresignedPost;
import app.tally.json.Json;
import app.tally.model.Ids;
import app.tally.model.Job;
import app.tally.model.JobKind;
import app.tally.model.JobStatus;
import app.tally.retry.Failures;
import app.tally.services.Refusal;
import app.tally.services.imports.bills.TextEncoding;
import app.tally.services.jobs.JobFiles;
import app.tally.services.jobs.JobMessage;
import app.tally.services.jobs.JobQueue;
import app.tally.store.JobStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Accepts imports. A CSV in the request body (up to {@link #MAX_BODY_BYTES}) is stored in S3 and its job queued at
 * once; a larger file is announced with {@code {"filename"}}, uploaded by the client with a presigned POST form, and
 * started with {@code POST /imports/{id}/start}. The file's key follows from the user and the job
 * ({@code imports/<user hash>/<job>.csv}), so the worker reads only what this user uploaded. As for exports, the job
 * item is written before its message is sent, so a message never names a missing job.
 */
public final class ImportRequests {
    /**
     * The largest CSV body, chosen so that every body this size reaches the function whatever its bytes. API Gateway
     * hands a text body to Lambda as a JSON string (other media types in base64, 4/3 of their size), and Lambda
     * refuses an event over 6 MB (ApiRequest.MAX_EVENT_BYTES at the edge) before the function runs (the
     * client then gets API Gateway's bare 413, not this API's problem). JSON escaping costs at most six bytes per byte
     * (a control character as a six-character escape; a quote, backslash, CR or LF takes two), so 6 x 1,000,000 =
     * 6,000,000 bytes, which leaves 291,456 for the rest of the event (headers, token claims, request context: a few
     * KB). Larger files go through the upload form.
     */
    public static final int MAX_BODY_BYTES = 1_000_000;
    /** What a 413 for a body over {@link #MAX_BODY_BYTES} tells the client to do instead. */
    public static final String LARGER_FILES = "Send a larger file through an upload form: POST /imports with "
            + "{\"filename\"}, upload the file with the form it answers, then POST /imports/{id}/start.";
    /** Largest upload an import reads (about a million rows). */
    public static final long MAX_UPLOAD_BYTES = 200L * 1024 * 1024;
    public static final Duration UPLOAD_VALIDITY = Duration.ofMinutes(15);
    /** The media type of an .xlsx workbook (a WeChat Pay bill). */
    public static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private final JobStore jobs;
    private final JobQueue queue;
    private final S3AsyncClient s3;
    private final String bucket;
    private final Clock clock;

    public ImportRequests(JobStore jobs, JobQueue queue, S3AsyncClient s3, String bucket, Clock clock) {
        this.jobs = jobs;
        this.queue = queue;
        this.s3 = s3;
        this.bucket = bucket;
        this.clock = clock;
    }

    /**
     * The file is the body (a CSV in any encoding the worker detects, or an .xlsx workbook): stored, then the job
     * queued. A body that its content type says is UTF-8 ({@code charset=utf-8}) and is not gets a 400 naming what it
     * is, before anything is stored.
     */
    public CompletableFuture<ObjectNode> fromBody(String user, byte[] bytes, String charset, ImportRequest request) {
        if (bytes == null || bytes.length == 0) {
            throw Refusal.malformed("The request body is empty: send the file as text/csv or as an .xlsx "
                    + "workbook (" + XLSX + ").");
        }
        if (charset != null && charset.replace("-", "").equals("utf8")) {
            // NUL bytes are UTF-8 too: such a body goes on, and the worker names it binary.
            if (!TextEncoding.isUtf8(bytes)) {
                TextEncoding found = TextEncoding.sniff(bytes, bytes.length, true);
                throw Refusal.malformed("The body is not UTF-8 as its Content-Type says (charset=" + charset
                        + "): it reads as " + (found == null ? "binary data" : found.label()) + ". Send it with that "
                        + "charset, or with none to let Tally detect the encoding.");
            }
        }
        Job job = newJob(user, request, JobStatus.QUEUED);
        return s3.putObject(p -> p.bucket(bucket).key(job.objectKey()), AsyncRequestBody.fromBytes(bytes))
                .thenCompose(stored -> jobs.create(user, job))
                .thenCompose(created -> enqueue(user, job.id()))
                .thenApply(sent -> summary(job));
    }

    /**
     * The client uploads the file itself: the job waits for it, and the answer carries the form to POST it with (S3
     * refuses a file over {@link #MAX_UPLOAD_BYTES}, or for another key). An empty file is let through: the worker
     * then fails the job with a clearer reason than S3's EntityTooSmall.
     */
    public CompletableFuture<ObjectNode> forUpload(String user, ImportRequest request) {
        Job job = newJob(user, request, JobStatus.AWAITING_UPLOAD);
        return jobs.create(user, job)
                .thenCompose(created -> PresignedPost.forClient(s3, bucket, job.objectKey(), 0, MAX_UPLOAD_BYTES,
                        clock.instant(), UPLOAD_VALIDITY))
                .thenApply(form -> {
                    ObjectNode json = summary(job);
                    ObjectNode upload = json.putObject("upload").put("method", "POST").put("url", form.url());
                    form.fields().forEach(upload.putObject("fields")::put);
                    upload.put("expiresAt", form.expiresAt().toString()).put("maxBytes", MAX_UPLOAD_BYTES)
                            .put("start", "/imports/" + job.id() + "/start");
                    return json;
                });
    }

    /** The upload is complete: the job is queued (once; starting a job that has started answers its state). */
    public CompletableFuture<ObjectNode> start(String user, String id) {
        if (!Ids.isValid(id)) {
            return CompletableFuture.failedFuture(Refusal.notFound("The import"));
        }
        return jobs.find(user, id).thenCompose(found -> {
            Job job = found.filter(j -> j.kind() == JobKind.IMPORT)
                    .orElseThrow(() -> Refusal.notFound("The import"));
            if (job.status() != JobStatus.AWAITING_UPLOAD) {
                return CompletableFuture.completedFuture(summary(job));
            }
            return s3.headObject(h -> h.bucket(bucket).key(job.objectKey()))
                    .handle((head, failure) -> {
                        if (failure != null) {
                            Throwable cause = Failures.unwrap(failure);
                            if (cause instanceof NoSuchKeyException
                                    || cause instanceof S3Exception s3e && s3e.statusCode() == 404) {
                                throw Refusal.conflict("The file has not been uploaded yet: POST it with the "
                                        + "upload form first.");
                            }
                            throw failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
                        }
                        if (head.contentLength() > MAX_UPLOAD_BYTES) {
                            throw Refusal.tooLarge(MAX_UPLOAD_BYTES, null);
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
                            throw Refusal.unavailable("The import could not be queued; retry shortly.");
                        }));
    }

    private static ObjectNode summary(Job job) {
        return Json.object().put("jobId", job.id()).put("kind", job.kind().wire()).put("status", job.status().wire());
    }
}
