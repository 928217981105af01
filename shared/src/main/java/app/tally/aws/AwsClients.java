package app.tally.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.crt.CRT;
import software.amazon.awssdk.crt.http.HttpException;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * AWS clients, built once per container on the CRT HTTP client. Endpoints, region and credentials come from the
 * SDK's standard environment (AWS_ENDPOINT_URL_DYNAMODB, AWS_REGION, ...): the code has no local mode.
 * <p>
 * S3 needs no addressing setting either: the SDK's S3 endpoint rules use virtual-host style on AWS and path style
 * when the endpoint is an IP address (the local S3Proxy on 127.0.0.1), and the presigner reads AWS_ENDPOINT_URL_S3
 * like the client does. The SQS and S3 holders load only in functions that use them (their SDK modules are optional
 * in shared/). Every client meters what its calls consume into the invocation's usage ({@link Metering}).
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
            "S3", new CallTimeouts(S3_CALL_TIMEOUT, S3_ATTEMPT_TIMEOUT),
            "ApiGatewayManagementApi", new CallTimeouts(API_CALL_TIMEOUT, ATTEMPT_TIMEOUT));

    private static final AwsClients CONTAINER = new AwsClients(null);

    /** Null for the container's clients (the holders below); else this set's own, built on first use. */
    private final Tuning tuning;
    private DynamoDbAsyncClient dynamoDb;
    private SqsAsyncClient sqs;
    private S3AsyncClient s3;
    private S3Presigner s3Presigner;
    private ApiGatewayManagementApiAsyncClient connections;

    private AwsClients(Tuning tuning) {
        this.tuning = tuning;
    }

    /** The container's clients, each built on first use and then shared: what a function's no-argument constructor uses. */
    public static AwsClients container() {
        return CONTAINER;
    }

    /**
     * A set of its own, built like the container's (on first use, once) with {@code tuning} applied: the local stack
     * gives each function one that checks its calls against the function's IAM role.
     */
    public static AwsClients tuned(Tuning tuning) {
        return new AwsClients(tuning);
    }

    /** What {@link #tuned} changes in each client: its configuration, its HTTP client, the presigner. */
    public interface Tuning {
        ClientOverrideConfiguration.Builder configuration(ClientOverrideConfiguration.Builder configuration);

        SdkAsyncHttpClient httpClient(SdkAsyncHttpClient client);

        S3Presigner presigner(S3Presigner presigner);
    }

    // Plain fields and holder classes rather than suppliers: a lambda typed with SqsAsyncClient would load the class in
    // functions whose artifact has no SQS module.
    public DynamoDbAsyncClient dynamoDb() {
        if (tuning == null) {
            return DynamoDbHolder.CLIENT;
        }
        synchronized (this) {
            if (dynamoDb == null) {
                dynamoDb = dynamoDbClient(tuning);
            }
            return dynamoDb;
        }
    }

    public SqsAsyncClient sqs() {
        if (tuning == null) {
            return SqsHolder.CLIENT;
        }
        synchronized (this) {
            if (sqs == null) {
                sqs = sqsClient(tuning);
            }
            return sqs;
        }
    }

    public S3AsyncClient s3() {
        if (tuning == null) {
            return S3Holder.CLIENT;
        }
        synchronized (this) {
            if (s3 == null) {
                s3 = s3Client(tuning);
            }
            return s3;
        }
    }

    /**
     * The @connections API of the push socket at {@code endpoint} (https://{api}.execute-api.{region}.amazonaws.com/
     * {stage}), built on first use; a container has one socket API, so the first endpoint is the only one.
     */
    public synchronized ApiGatewayManagementApiAsyncClient connections(String endpoint) {
        if (connections == null) {
            connections = connectionsClient(tuning == null ? AS_BUILT : tuning, URI.create(endpoint));
        }
        return connections;
    }

    /** Signs download and upload links locally; it makes no HTTP calls, so it needs no HTTP client. */
    public S3Presigner s3Presigner() {
        if (tuning == null) {
            return S3PresignerHolder.PRESIGNER;
        }
        synchronized (this) {
            if (s3Presigner == null) {
                s3Presigner = tuning.presigner(S3Presigner.create());
            }
            return s3Presigner;
        }
    }

    private static final Tuning AS_BUILT = new Tuning() {
        @Override
        public ClientOverrideConfiguration.Builder configuration(ClientOverrideConfiguration.Builder configuration) {
            return configuration;
        }

        @Override
        public SdkAsyncHttpClient httpClient(SdkAsyncHttpClient client) {
            return client;
        }

        @Override
        public S3Presigner presigner(S3Presigner presigner) {
            return presigner;
        }
    };

    private static final class SqsHolder {
        static final SqsAsyncClient CLIENT = sqsClient(AS_BUILT);
    }

    private static final class S3Holder {
        static final S3AsyncClient CLIENT = s3Client(AS_BUILT);
    }

    private static final class S3PresignerHolder {
        static final S3Presigner PRESIGNER = S3Presigner.create();
    }

    private static final class DynamoDbHolder {
        static final DynamoDbAsyncClient CLIENT = dynamoDbClient(AS_BUILT);
    }

    private static DynamoDbAsyncClient dynamoDbClient(Tuning tuning) {
        return DynamoDbAsyncClient.builder()
                .httpClientBuilder(http(AwsCrtAsyncHttpClient.builder()
                        .maxConcurrency(64)
                        .connectionTimeout(Duration.ofSeconds(2)), tuning))
                .overrideConfiguration(tuning.configuration(timeouts(CALL_TIMEOUTS.get("DynamoDB")).toBuilder()
                        .addExecutionInterceptor(new DynamoDbMetering())).build())
                .build();
    }

    private static SqsAsyncClient sqsClient(Tuning tuning) {
        return SqsAsyncClient.builder()
                .httpClientBuilder(http(AwsCrtAsyncHttpClient.builder()
                        .maxConcurrency(16)
                        .connectionTimeout(Duration.ofSeconds(2)), tuning))
                .overrideConfiguration(tuning.configuration(timeouts(CALL_TIMEOUTS.get("SQS")).toBuilder()
                        .addExecutionInterceptor(new SqsMetering())).build())
                .build();
    }

    private static S3AsyncClient s3Client(Tuning tuning) {
        return S3AsyncClient.builder()
                .httpClientBuilder(http(AwsCrtAsyncHttpClient.builder()
                        .maxConcurrency(16)
                        .connectionTimeout(Duration.ofSeconds(2)), tuning))
                .overrideConfiguration(tuning.configuration(timeouts(CALL_TIMEOUTS.get("S3")).toBuilder()
                        .addExecutionInterceptor(new S3Metering())).build())
                .build();
    }

    private static ApiGatewayManagementApiAsyncClient connectionsClient(Tuning tuning, URI endpoint) {
        return ApiGatewayManagementApiAsyncClient.builder()
                .endpointOverride(endpoint)
                .httpClientBuilder(http(AwsCrtAsyncHttpClient.builder()
                        .maxConcurrency(64)
                        .connectionTimeout(Duration.ofSeconds(2)), tuning))
                .overrideConfiguration(tuning.configuration(
                        timeouts(CALL_TIMEOUTS.get("ApiGatewayManagementApi")).toBuilder()).build())
                .build();
    }

    /** The CRT client as the SDK builds it (with the service's defaults, closed with the client), then tuned. */
    private static SdkAsyncHttpClient.Builder<?> http(AwsCrtAsyncHttpClient.Builder crt, Tuning tuning) {
        return new TunedHttpClientBuilder(crt, tuning);
    }

    private record TunedHttpClientBuilder(AwsCrtAsyncHttpClient.Builder crt, Tuning tuning)
            implements SdkAsyncHttpClient.Builder<TunedHttpClientBuilder> {
        @Override
        public SdkAsyncHttpClient buildWithDefaults(AttributeMap serviceDefaults) {
            return tuning.httpClient(crt.buildWithDefaults(serviceDefaults));
        }
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
