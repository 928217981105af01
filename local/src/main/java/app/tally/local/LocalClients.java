package app.tally.local;

import app.tally.local.template.LocalNames;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
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
        StaticCredentialsProvider credentials =
                StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY));
        Region region = Region.of(LocalNames.REGION);
        return new LocalClients(
                DynamoDbAsyncClient.builder()
                        .httpClientBuilder(AwsCrtAsyncHttpClient.builder())
                        .endpointOverride(endpoints.dynamodb())
                        .region(region)
                        .credentialsProvider(credentials)
                        .build(),
                SqsAsyncClient.builder()
                        .httpClientBuilder(AwsCrtAsyncHttpClient.builder())
                        .endpointOverride(endpoints.sqs())
                        .region(region)
                        .credentialsProvider(credentials)
                        .build(),
                S3AsyncClient.builder()
                        .httpClientBuilder(AwsCrtAsyncHttpClient.builder())
                        .endpointOverride(endpoints.s3())
                        // Virtual-host addressing would need bucket.127.0.0.1 to resolve.
                        .forcePathStyle(true)
                        .region(region)
                        .credentialsProvider(credentials)
                        .build());
    }

    @Override
    public void close() {
        dynamoDb.close();
        sqs.close();
        s3.close();
    }
}
