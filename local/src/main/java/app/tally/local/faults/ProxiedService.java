package app.tally.local.faults;

import java.util.UUID;

/**
 * The emulated services a {@link FaultProxy} can front: how to name a request's operation, and the errors the real
 * service answers when it throttles or fails, in its own protocol's shape (so the SDK classifies them as it would on
 * AWS: throttling, retryable 5xx).
 */
public enum ProxiedService {
    /** AWS JSON 1.0: the operation is in X-Amz-Target, errors are {@code __type} + {@code message}. */
    DYNAMODB("DynamoDB") {
        @Override
        String operation(HttpMessage request) {
            return afterDot(request.header("X-Amz-Target"));
        }

        @Override
        HttpMessage throttle(long n) {
            // DynamoDB answers both, depending on the table's mode and the limit hit.
            String type = n % 2 == 0 ? "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException"
                    : "com.amazon.coral.availability#ThrottlingException";
            return json(400, "Bad Request", type, "The level of configured provisioned throughput for the table was"
                    + " exceeded. (injected by the fault proxy)");
        }

        @Override
        HttpMessage serverError() {
            return json(500, "Internal Server Error", "com.amazonaws.dynamodb.v20120810#InternalServerError",
                    "Internal server error (injected by the fault proxy)");
        }
    },
    /** SQS's AWS JSON 1.0 protocol, query-compatible: the error code also travels in x-amzn-query-error. */
    SQS("SQS") {
        @Override
        String operation(HttpMessage request) {
            return afterDot(request.header("X-Amz-Target"));
        }

        @Override
        HttpMessage throttle(long n) {
            return json(400, "Bad Request", "com.amazonaws.sqs#RequestThrottled",
                    "Request is throttled. (injected by the fault proxy)", "x-amzn-query-error", "RequestThrottled;Sender");
        }

        @Override
        HttpMessage serverError() {
            return json(500, "Internal Server Error", "com.amazonaws.sqs#InternalError",
                    "Internal error (injected by the fault proxy)", "x-amzn-query-error", "InternalError;Receiver");
        }
    },
    /** REST-XML: the operation follows from method, path and query; errors are {@code <Error><Code>}. */
    S3("S3") {
        @Override
        String operation(HttpMessage request) {
            String target = request.target();
            int q = target.indexOf('?');
            String query = q < 0 ? "" : "&" + target.substring(q + 1);
            String path = q < 0 ? target : target.substring(0, q);
            boolean object = path.indexOf('/', 1) > 0 && path.indexOf('/', 1) < path.length() - 1;
            return switch (request.method()) {
                case "PUT" -> query.contains("&partNumber=") ? "UploadPart" : object ? "PutObject" : "CreateBucket";
                case "POST" -> query.contains("&uploads") ? "CreateMultipartUpload"
                        : query.contains("&uploadId=") ? "CompleteMultipartUpload" : "Post";
                case "DELETE" -> query.contains("&uploadId=") ? "AbortMultipartUpload" : "DeleteObject";
                case "HEAD" -> object ? "HeadObject" : "HeadBucket";
                case "GET" -> object ? "GetObject" : "ListObjects";
                default -> request.method();
            };
        }

        @Override
        HttpMessage throttle(long n) {
            return xml(503, "Slow Down", "SlowDown", "Please reduce your request rate. (injected by the fault proxy)");
        }

        @Override
        HttpMessage serverError() {
            return xml(500, "Internal Server Error", "InternalError",
                    "We encountered an internal error. Please try again. (injected by the fault proxy)");
        }
    };

    private final String label;

    ProxiedService(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    abstract String operation(HttpMessage request);

    /** The service's throttling answer; {@code n} varies it where the service has more than one. */
    abstract HttpMessage throttle(long n);

    abstract HttpMessage serverError();

    private static String afterDot(String target) {
        return target == null ? "Unknown" : target.substring(target.lastIndexOf('.') + 1);
    }

    private static HttpMessage json(int status, String reason, String type, String message, String... headers) {
        String[] all = new String[headers.length + 2];
        System.arraycopy(headers, 0, all, 0, headers.length);
        all[headers.length] = "x-amzn-RequestId";
        all[headers.length + 1] = UUID.randomUUID().toString();
        return HttpMessage.response(status, reason, "application/x-amz-json-1.0",
                "{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}", all);
    }

    private static HttpMessage xml(int status, String reason, String code, String message) {
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase(java.util.Locale.ROOT);
        return HttpMessage.response(status, reason, "application/xml",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + message
                        + "</Message><RequestId>" + id + "</RequestId><HostId>fault-proxy</HostId></Error>",
                "x-amz-request-id", id);
    }
}
