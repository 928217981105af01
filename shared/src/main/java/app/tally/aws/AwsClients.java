package app.tally.aws;

import java.time.Duration;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * AWS clients, built once per container on the CRT HTTP client. Endpoints, region and credentials come from the
 * SDK's standard environment (AWS_ENDPOINT_URL_DYNAMODB, AWS_REGION, ...): the code has no local mode.
 */
public final class AwsClients {
    /** Below every function's timeout, so a slow dependency becomes a 503, not a Lambda timeout. */
    static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(4);
    static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(1500);

    private AwsClients() {
    }

    public static DynamoDbAsyncClient dynamoDb() {
        return DynamoDbHolder.CLIENT;
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
