package app.tally.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PresignedPostTest {
    /** AWS's worked example "Browser-Based Upload using HTTP POST (Using AWS Signature Version 4)" (sigv4-post-example). */
    private static final String EXAMPLE_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final String EXAMPLE_POLICY = "eyAiZXhwaXJhdGlvbiI6ICIyMDE1LTEyLTMwVDEyOjAwOjAwLjAwMFoiLA0KICAiY29uZGl0aW9ucyI6IFsNCiAgICB7ImJ1Y2tldCI6ICJzaWd2NGV4YW1wbGVidWNrZXQifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRrZXkiLCAidXNlci91c2VyMS8iXSwNCiAgICB7ImFjbCI6ICJwdWJsaWMtcmVhZCJ9LA0KICAgIHsic3VjY2Vzc19hY3Rpb25fcmVkaXJlY3QiOiAiaHR0cDovL3NpZ3Y0ZXhhbXBsZWJ1Y2tldC5zMy5hbWF6b25hd3MuY29tL3N1Y2Nlc3NmdWxfdXBsb2FkLmh0bWwifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRDb250ZW50LVR5cGUiLCAiaW1hZ2UvIl0sDQogICAgeyJ4LWFtei1tZXRhLXV1aWQiOiAiMTQzNjUxMjM2NTEyNzQifSwNCiAgICB7IngtYW16LXNlcnZlci1zaWRlLWVuY3J5cHRpb24iOiAiQUVTMjU2In0sDQogICAgWyJzdGFydHMtd2l0aCIsICIkeC1hbXotbWV0YS10YWciLCAiIl0sDQoNCiAgICB7IngtYW16LWNyZWRlbnRpYWwiOiAiQUtJQUlPU0ZPRE5ON0VYQU1QTEUvMjAxNTEyMjkvdXMtZWFzdC0xL3MzL2F3czRfcmVxdWVzdCJ9LA0KICAgIHsieC1hbXotYWxnb3JpdGhtIjogIkFXUzQtSE1BQy1TSEEyNTYifSwNCiAgICB7IngtYW16LWRhdGUiOiAiMjAxNTEyMjlUMDAwMDAwWiIgfQ0KICBdDQp9";
    private static final Instant NOW = Instant.parse("2026-12-01T11:45:30.250Z");

    @Test
    void signsAwsWorkedExampleToItsPublishedSignature() {
        assertEquals("8afdbf4008c03f22c2cd3cdb72e4afbb1f6a588f3255ac628749a66d7f09699e",
                PresignedPost.signature(EXAMPLE_SECRET, "20151229", "us-east-1", EXAMPLE_POLICY));
    }

    @Test
    void policyBindsTheBucketTheExactKeyTheSizeRangeAndEverySignedField() throws Exception {
        PresignedPost post = PresignedPost.sign("https://files.s3.eu-west-1.amazonaws.com/", "files", "imports/u/j.csv",
                1, 200, new PresignedPost.Credentials("AKID", "secret", "token=="), "eu-west-1", NOW,
                Duration.ofMinutes(15));

        assertEquals(Instant.parse("2026-12-01T12:00:30.250Z"), post.expiresAt());
        assertEquals("AKID/20261201/eu-west-1/s3/aws4_request", post.fields().get("x-amz-credential"));
        assertEquals("20261201T114530Z", post.fields().get("x-amz-date"));
        assertEquals("AWS4-HMAC-SHA256", post.fields().get("x-amz-algorithm"));
        assertEquals("token==", post.fields().get("x-amz-security-token"));
        JsonNode policy = new ObjectMapper().readTree(Base64.getDecoder().decode(post.fields().get("policy")));
        assertEquals("2026-12-01T12:00:30.250Z", policy.get("expiration").asText());
        assertEquals("[{\"bucket\":\"files\"},[\"content-length-range\",1,200],{\"key\":\"imports/u/j.csv\"},"
                + "{\"x-amz-algorithm\":\"AWS4-HMAC-SHA256\"},"
                + "{\"x-amz-credential\":\"AKID/20261201/eu-west-1/s3/aws4_request\"},"
                + "{\"x-amz-date\":\"20261201T114530Z\"},{\"x-amz-security-token\":\"token==\"}]",
                policy.get("conditions").toString());
        assertEquals(PresignedPost.signature("secret", "20261201", "eu-west-1", post.fields().get("policy")),
                post.fields().get("x-amz-signature"));
    }

    @Test
    void longTermKeysSendNoSessionTokenAndAnotherSecretSignsDifferently() {
        PresignedPost post = PresignedPost.sign("http://127.0.0.1:9000/files/", "files", "k", 1, 2,
                new PresignedPost.Credentials("AKID", "secret", null), "us-east-1", NOW, Duration.ofMinutes(1));
        PresignedPost other = PresignedPost.sign("http://127.0.0.1:9000/files/", "files", "k", 1, 2,
                new PresignedPost.Credentials("AKID", "other", null), "us-east-1", NOW, Duration.ofMinutes(1));

        assertFalse(post.fields().containsKey("x-amz-security-token"));
        assertEquals(post.fields().get("policy"), other.fields().get("policy"));
        assertNotEquals(post.fields().get("x-amz-signature"), other.fields().get("x-amz-signature"));
    }
}
