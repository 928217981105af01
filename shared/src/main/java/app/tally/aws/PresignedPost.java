package app.tally.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3ServiceClientConfiguration;

/**
 * A browser-based upload to S3 (POST Object, AWS Signature Version 4): the URL to POST a multipart form to and the
 * fields to send before the file. Unlike a presigned PUT, the signed policy binds the exact key and a
 * {@code content-length-range}, so S3 itself refuses a larger file (400 EntityTooLarge) instead of storing it. The SDK
 * has no POST presigner; the signature is SigV4's, with the base64 policy as the string to sign.
 */
public record PresignedPost(String url, Map<String, String> fields, Instant expiresAt) {
    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter EXPIRATION =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The signer's identity; {@code sessionToken} is null for long-term keys (a Lambda role always has one). */
    public record Credentials(String accessKeyId, String secretAccessKey, String sessionToken) {
    }

    /**
     * A form for {@code key} in {@code bucket}, signed with the S3 client's own credentials and region at its endpoint
     * (the bucket's URL as the client addresses it: virtual-host style on AWS, path style on a local endpoint).
     */
    public static CompletableFuture<PresignedPost> forClient(S3AsyncClient s3, String bucket, String key, long minBytes,
                                                             long maxBytes, Instant now, Duration validity) {
        S3ServiceClientConfiguration config = s3.serviceClientConfiguration();
        String objectUrl = s3.utilities().getUrl(r -> r.bucket(bucket).key(key)).toExternalForm();
        String bucketUrl = objectUrl.substring(0, objectUrl.lastIndexOf(key));
        return config.credentialsProvider().resolveIdentity().thenApply(identity -> sign(bucketUrl, bucket, key,
                minBytes, maxBytes, new Credentials(identity.accessKeyId(), identity.secretAccessKey(),
                        identity instanceof AwsSessionCredentialsIdentity session ? session.sessionToken() : null),
                config.region().id(), now, validity));
    }

    /**
     * A form that uploads exactly {@code key} into {@code bucket} (at {@code bucketUrl}), {@code minBytes} to
     * {@code maxBytes} long, until {@code now + validity}.
     */
    public static PresignedPost sign(String bucketUrl, String bucket, String key, long minBytes, long maxBytes,
                                     Credentials credentials, String region, Instant now, Duration validity) {
        String date = DATE.format(now);
        Instant expiresAt = now.plus(validity);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", key);
        fields.put("x-amz-algorithm", ALGORITHM);
        fields.put("x-amz-credential", credentials.accessKeyId() + "/" + date + "/" + region + "/s3/aws4_request");
        fields.put("x-amz-date", DATE_TIME.format(now));
        if (credentials.sessionToken() != null) {
            fields.put("x-amz-security-token", credentials.sessionToken());
        }
        ObjectNode policy = JSON.createObjectNode().put("expiration", EXPIRATION.format(expiresAt));
        ArrayNode conditions = policy.putArray("conditions");
        conditions.addObject().put("bucket", bucket);
        conditions.addArray().add("content-length-range").add(minBytes).add(maxBytes);
        // Every field but the policy and its signature must match a condition, or S3 refuses the form.
        fields.forEach((name, value) -> conditions.addObject().put(name, value));
        String encoded = Base64.getEncoder().encodeToString(policy.toString().getBytes(StandardCharsets.UTF_8));
        fields.put("policy", encoded);
        fields.put("x-amz-signature", signature(credentials.secretAccessKey(), date, region, encoded));
        return new PresignedPost(bucketUrl, Collections.unmodifiableMap(fields), expiresAt);
    }

    /** SigV4 for S3: the key derived from the secret, the day and the region signs the base64 policy. */
    static String signature(String secretAccessKey, String date, String region, String encodedPolicy) {
        byte[] key = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, "s3");
        key = hmac(key, "aws4_request");
        return HexFormat.of().formatHex(hmac(key, encodedPolicy));
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
