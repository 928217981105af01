package app.tally.aws;

import java.time.Duration;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
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
    /** Below every function's timeout, so a slow dependency becomes a 503, not a Lambda timeout. */
    static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(4);
    static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(1500);
    /** An export part is up to 8 MiB: S3 calls get longer deadlines than table reads. */
    static final Duration S3_CALL_TIMEOUT = Duration.ofSeconds(60);
    static final Duration S3_ATTEMPT_TIMEOUT = Duration.ofSeconds(20);

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
                .overrideConfiguration(timeouts())
                .build();
    }

    private static final class S3Holder {
        static final S3AsyncClient CLIENT = S3AsyncClient.builder()
                .httpClientBuilder(AwsCrtAsyncHttpClient.builder()
                        .maxConcurrency(16)
                        .connectionTimeout(Duration.ofSeconds(2)))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(S3_CALL_TIMEOUT)
                        .apiCallAttemptTimeout(S3_ATTEMPT_TIMEOUT)
                        .build())
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
                .overrideConfiguration(timeouts())
                .build();
    }

    static ClientOverrideConfiguration timeouts() {
        return ClientOverrideConfiguration.builder()
                .apiCallTimeout(API_CALL_TIMEOUT)
                .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                .build();
    }
}
