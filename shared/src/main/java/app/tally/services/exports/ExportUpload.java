package app.tally.services.exports;

import app.tally.retry.Failures;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;

/**
 * Streams one file to S3 as a multipart upload with flat memory: bytes collect in one part buffer; a full buffer
 * (8 MiB, above S3's 5 MiB minimum) goes up as a part while the next fills, with at most two parts in flight, so the
 * writer waits for S3 rather than holding the file. The object appears only on {@link #complete()}: a run that dies
 * leaves no partial file, and its upload is aborted by the next run.
 */
public final class ExportUpload {
    static final int PART_SIZE = 8 * 1024 * 1024;
    static final int PARTS_IN_FLIGHT = 2;
    /** Room for one more page of rows above a full part, so the buffer never has to grow. */
    private static final int BUFFER_CAPACITY = PART_SIZE + 2 * 1024 * 1024;

    private final S3AsyncClient s3;
    private final String bucket;
    private final String key;
    private final String uploadId;
    private final List<CompletedPart> parts = new ArrayList<>();
    private final Deque<CompletableFuture<Void>> inFlight = new ArrayDeque<>();
    private ByteArrayOutputStream buffer = new ByteArrayOutputStream(BUFFER_CAPACITY);
    private long bytes;
    private int partsStarted;

    private ExportUpload(S3AsyncClient s3, String bucket, String key, String uploadId) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.uploadId = uploadId;
    }

    public static CompletableFuture<ExportUpload> begin(S3AsyncClient s3, String bucket, String key,
                                                        String contentType, String fileName) {
        return s3.createMultipartUpload(r -> r.bucket(bucket).key(key).contentType(contentType)
                        .contentDisposition("attachment; filename=\"" + fileName + "\""))
                .thenApply(created -> new ExportUpload(s3, bucket, key, created.uploadId()));
    }

    /** Ends an upload that will not be completed (a failed run's, or a dead run's found by its successor). */
    public static CompletableFuture<Void> abort(S3AsyncClient s3, String bucket, String key, String uploadId) {
        return s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)).thenApply(ignored -> null);
    }

    public String uploadId() {
        return uploadId;
    }

    public long bytes() {
        return bytes;
    }

    /** Takes the bytes; the future completes when the writer may go on (a part slot was free). */
    public CompletableFuture<Void> write(byte[] data) {
        buffer.write(data, 0, data.length);
        bytes += data.length;
        if (buffer.size() < PART_SIZE) {
            return CompletableFuture.completedFuture(null);
        }
        return sendBuffer().thenCompose(ignored -> freeSlot());
    }

    /** Uploads what is left as the last part (any size) and completes the object. */
    public CompletableFuture<Void> complete() {
        // S3 needs at least one part; an empty file is one empty part.
        CompletableFuture<Void> last = buffer.size() > 0 || partsStarted == 0
                ? sendBuffer() : CompletableFuture.completedFuture(null);
        return last.thenCompose(ignored -> CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)))
                .thenCompose(ignored -> {
                    List<CompletedPart> ordered;
                    synchronized (parts) {
                        ordered = parts.stream().sorted(Comparator.comparingInt(CompletedPart::partNumber)).toList();
                    }
                    return s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                                    .multipartUpload(m -> m.parts(ordered)))
                            .<Void>thenApply(completed -> null)
                            .exceptionallyCompose(failure -> completedEarlier(failure, ordered));
                });
    }

    /**
     * S3 forgets an upload once it is complete, so the SDK's retry of a completion whose answer was lost meets
     * NoSuchUpload. The object then carries the multipart ETag of exactly these parts: that settles it.
     */
    private CompletableFuture<Void> completedEarlier(Throwable failure, List<CompletedPart> parts) {
        Throwable cause = Failures.unwrap(failure);
        String expected = multipartETag(parts);
        if (!(cause instanceof NoSuchUploadException) || expected == null) {
            return CompletableFuture.failedFuture(cause);
        }
        return s3.headObject(h -> h.bucket(bucket).key(key)).thenCompose(head -> expected.equals(head.eTag())
                ? CompletableFuture.<Void>completedFuture(null) : CompletableFuture.<Void>failedFuture(cause));
    }

    /** S3's ETag of a multipart object: MD5 of the parts' binary MD5s, a dash, the part count; null if unknown. */
    static String multipartETag(List<CompletedPart> parts) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            for (CompletedPart part : parts) {
                String hex = part.eTag() == null ? "" : part.eTag().replace("\"", "");
                if (!hex.matches("[0-9a-fA-F]{32}")) {
                    return null;
                }
                md5.update(HexFormat.of().parseHex(hex));
            }
            return "\"" + HexFormat.of().formatHex(md5.digest()) + "-" + parts.size() + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public CompletableFuture<Void> abort() {
        return CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new))
                .handle((ignored, failure) -> null)
                .thenCompose(ignored -> abort(s3, bucket, key, uploadId));
    }

    private CompletableFuture<Void> sendBuffer() {
        byte[] part = buffer.toByteArray();
        buffer = new ByteArrayOutputStream(BUFFER_CAPACITY);
        int number = ++partsStarted;
        CompletableFuture<Void> sent = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                        .partNumber(number).contentLength((long) part.length), AsyncRequestBody.fromBytes(part))
                .thenAccept(response -> {
                    synchronized (parts) {
                        parts.add(CompletedPart.builder().partNumber(number).eTag(response.eTag()).build());
                    }
                });
        inFlight.addLast(sent);
        return CompletableFuture.completedFuture(null);
    }

    /** Waits for the oldest part while too many are in flight; a failed part fails the writer. */
    private CompletableFuture<Void> freeSlot() {
        if (inFlight.size() < PARTS_IN_FLIGHT) {
            return CompletableFuture.completedFuture(null);
        }
        return inFlight.removeFirst().thenCompose(ignored -> freeSlot());
    }
}
