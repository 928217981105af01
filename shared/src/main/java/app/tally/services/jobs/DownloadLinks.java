package app.tally.services.jobs;

import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;

/** Short-lived GET links to job files: signed locally, valid for one object only. */
public final class DownloadLinks {
    public static final Duration VALIDITY = Duration.ofMinutes(15);
    private final S3Presigner presigner;
    private final String bucket;

    public DownloadLinks(S3Presigner presigner, String bucket) {
        this.presigner = presigner;
        this.bucket = bucket;
    }

    public record Link(String url, Instant expiresAt) {
    }

    public Link link(String objectKey) {
        PresignedGetObjectRequest signed = presigner.presignGetObject(r -> r.signatureDuration(VALIDITY)
                .getObjectRequest(g -> g.bucket(bucket).key(objectKey)));
        return new Link(signed.url().toString(), signed.expiration());
    }
}
