package app.tally.local;

import app.tally.local.template.LocalNames;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkAsyncClientBuilder;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/** The three async SDK clients of the local stack: real clients on CRT, only the endpoints point at emulators. */
public record LocalClients(DynamoDbAsyncClient dynamoDb, SqsAsyncClient sqs, S3AsyncClient s3)
        implements AutoCloseable {

    /** The emulators accept any credentials except S3Proxy, which is started with exactly these. */
    public static final String ACCESS_KEY_ID = "test";
    public static final String SECRET_ACCESS_KEY = "test";

    public static LocalClients create(LocalEndpoints endpoints) {
        return new LocalClients(
                local(DynamoDbAsyncClient.builder(), endpoints.dynamodb()).build(),
                local(SqsAsyncClient.builder(), endpoints.sqs()).build(),
                // Virtual-host addressing would need bucket.127.0.0.1 to resolve.
                local(S3AsyncClient.builder().forcePathStyle(true), endpoints.s3()).build());
    }

    /** A client builder pointed at a local emulator: CRT, the stack's region and the credentials S3Proxy accepts. */
    public static <B extends AwsClientBuilder<B, C> & SdkAsyncClientBuilder<B, C>, C> B local(B builder, URI endpoint) {
        return builder.httpClientBuilder(AwsCrtAsyncHttpClient.builder())
                .endpointOverride(endpoint)
                .region(Region.of(LocalNames.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY)));
    }

    @Override
    public void close() {
        dynamoDb.close();
        sqs.close();
        s3.close();
    }
}
