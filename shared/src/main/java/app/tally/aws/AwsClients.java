package app.tally.aws;

import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.crt.CRT;
import software.amazon.awssdk.crt.http.HttpException;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * AWS clients, built once per container on the CRT HTTP client. Endpoints, region and credentials come from the
 * SDK's standard environment (AWS_ENDPOINT_URL_DYNAMODB, AWS_REGION, ...): the code has no local mode.
 * <p>
 * S3 needs no addressing setting either: the SDK's S3 endpoint rules use virtual-host style on AWS and path style
 * when the endpoint is an IP address (the local S3Proxy on 127.0.0.1), and the presigner reads AWS_ENDPOINT_URL_S3
 * like the client does. The SQS and S3 holders load only in functions that use them (their SDK modules are optional
 * in shared/).
 */
public final class AwsClients {
    /**
     * Every call, its retries included, ends well below the shortest function timeout (15 s; the HTTP boundary waits
     * at most 10 s), so a slow dependency becomes a 503 or a retried message, never a Lambda timeout. The template
     * contract test holds every function's Timeout against {@link #CALL_TIMEOUTS}.
     */
    static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(4);
    static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(1500);
    /**
     * An export part is up to 8 MiB: S3 attempts get longer than table reads. A streamed download (an import's file)
     * is bound by these only until its first bytes; reading the stream is not.
     */
    static final Duration S3_CALL_TIMEOUT = Duration.ofSeconds(12);
    static final Duration S3_ATTEMPT_TIMEOUT = Duration.ofSeconds(5);

    /** A client's deadlines: the whole call with its retries, and each attempt. */
    public record CallTimeouts(Duration call, Duration attempt) {
    }

    /** Each service's deadlines, by the SDK's service name. */
    public static final Map<String, CallTimeouts> CALL_TIMEOUTS = Map.of(
            "DynamoDB", new CallTimeouts(API_CALL_TIMEOUT, ATTEMPT_TIMEOUT),
            "SQS", new CallTimeouts(API_CALL_TIMEOUT, ATTEMPT_TIMEOUT),
            "S3", new CallTimeouts(S3_CALL_TIMEOUT, S3_ATTEMPT_TIMEOUT));

    private AwsClients() {
    }

    public static DynamoDbAsyncClient dynamoDb() {
        return DynamoDbHolder.CLIENT;
    }

    public static SqsAsyncClient sqs() {
        return SqsHolder.CLIENT;
    }

    public static S3AsyncClient s3() {
        return S3Holder.CLIENT;
    }

    /** Signs download links locally; it makes no HTTP calls, so it needs no HTTP client. */
    public static S3Presigner s3Presigner() {
        return S3PresignerHolder.PRESIGNER;
    }

    private static final class SqsHolder {
        static final SqsAsyncClient CLIENT = SqsAsyncClient.builder()
                .httpClientBuilder(AwsCrtAsyncHttpClient.builder()
                        .maxConcurrency(16)
                        .connectionTimeout(Duration.ofSeconds(2)))
                .overrideConfiguration(timeouts(CALL_TIMEOUTS.get("SQS")))
                .build();
    }

    private static final class S3Holder {
        static final S3AsyncClient CLIENT = S3AsyncClient.builder()
                .httpClientBuilder(AwsCrtAsyncHttpClient.builder()
                        .maxConcurrency(16)
                        .connectionTimeout(Duration.ofSeconds(2)))
                .overrideConfiguration(timeouts(CALL_TIMEOUTS.get("S3")))
                .build();
    }

    private static final class S3PresignerHolder {
        static final S3Presigner PRESIGNER = S3Presigner.create();
    }

    private static final class DynamoDbHolder {
        static final DynamoDbAsyncClient CLIENT = DynamoDbAsyncClient.builder()
                .httpClientBuilder(AwsCrtAsyncHttpClient.builder()
                        .maxConcurrency(64)
                        .connectionTimeout(Duration.ofSeconds(2)))
                .overrideConfiguration(timeouts(CALL_TIMEOUTS.get("DynamoDB")))
                .build();
    }

    static ClientOverrideConfiguration timeouts(CallTimeouts timeouts) {
        return ClientOverrideConfiguration.builder()
                .apiCallTimeout(timeouts.call())
                .apiCallAttemptTimeout(timeouts.attempt())
                .retryStrategy(retries -> retries.retryOnException(AwsClients::attemptCancelled))
                .build();
    }

    /**
     * With many calls in flight on the CRT client, an attempt timeout can cancel the stream of the retry that follows
     * it: that attempt then fails at once with AWS_ERROR_HTTP_STREAM_CANCELLED, which the SDK does not retry, so a call
     * with time left failed after one slow attempt. It is retried like the attempt timeout it stands for (a write that
     * did reach the service is safe to send again: transactions carry their token, puts their conditions).
     */
    static boolean attemptCancelled(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpException http && "AWS_ERROR_HTTP_STREAM_CANCELLED".equals(CRT.awsErrorName(
                    http.getErrorCode()))) {
                return true;
            }
        }
        return false;
    }
}
