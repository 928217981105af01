package app.tally.local;

import java.net.URI;

/** Where the local emulators listen; the only thing that differs from AWS for the SDK clients. */
public record LocalEndpoints(URI dynamodb, URI sqs, URI s3) {

    /** Reads the endpoints the same way the AWS SDK does: the service variable first, then AWS_ENDPOINT_URL. */
    public static LocalEndpoints fromEnvironment() {
        return from(System::getenv);
    }

    /**
     * Where the emulators themselves listen: TALLY_EMULATOR_URL_DYNAMODB (_SQS, _S3) when the functions reach them
     * through fault proxies (then the AWS_ENDPOINT_URL_* variables name the proxies), else the same as
     * {@link #fromEnvironment()}.
     */
    public static LocalEndpoints emulators() {
        return from(name -> {
            String emulator = System.getenv(name.replace("AWS_ENDPOINT_URL", "TALLY_EMULATOR_URL"));
            return emulator != null && !emulator.isBlank() ? emulator : System.getenv(name);
        });
    }

    /** The same, from any source of settings (the LocalStack test run passes system properties). */
    public static LocalEndpoints from(java.util.function.UnaryOperator<String> settings) {
        return new LocalEndpoints(endpoint(settings, "AWS_ENDPOINT_URL_DYNAMODB"), endpoint(settings, "AWS_ENDPOINT_URL_SQS"),
                endpoint(settings, "AWS_ENDPOINT_URL_S3"));
    }

    private static URI endpoint(java.util.function.UnaryOperator<String> settings, String serviceVariable) {
        String value = settings.apply(serviceVariable);
        if (value == null || value.isBlank()) {
            value = settings.apply("AWS_ENDPOINT_URL");
        }
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("set " + serviceVariable + " or AWS_ENDPOINT_URL");
        }
        return URI.create(value);
    }

    /**
     * The push socket (the WebSocket API and its @connections API) listens five ports above the API (TALLY_API_PORT,
     * 3000 by default), beside the emulators' three and the rates emulator.
     */
    public static int pushPort() {
        return Integer.parseInt(System.getenv().getOrDefault("TALLY_API_PORT", "3000")) + 5;
    }
}
