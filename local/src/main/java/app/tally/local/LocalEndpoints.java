package app.tally.local;

import java.net.URI;

/** Where the local emulators listen; the only thing that differs from AWS for the SDK clients. */
public record LocalEndpoints(URI dynamodb, URI sqs, URI s3) {

    /** Reads the endpoints the same way the AWS SDK does: the service variable first, then AWS_ENDPOINT_URL. */
    public static LocalEndpoints fromEnvironment() {
        return new LocalEndpoints(endpoint("AWS_ENDPOINT_URL_DYNAMODB"), endpoint("AWS_ENDPOINT_URL_SQS"),
                endpoint("AWS_ENDPOINT_URL_S3"));
    }

    private static URI endpoint(String serviceVariable) {
        String value = System.getenv(serviceVariable);
        if (value == null || value.isBlank()) {
            value = System.getenv("AWS_ENDPOINT_URL");
        }
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("set " + serviceVariable + " or AWS_ENDPOINT_URL");
        }
        return URI.create(value);
    }
}
