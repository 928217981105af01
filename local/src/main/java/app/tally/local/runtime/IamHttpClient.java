package app.tally.local.runtime;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpResponseHandler;

/**
 * A function's HTTP client in the local stack: a call its role denies ({@link FunctionIam} marks it) is answered here,
 * without reaching the emulator, with the service's own AccessDenied response, so the SDK parses it into the
 * exception it raises on AWS: DynamoDB's 400 {@code AccessDeniedException}, SQS's 403 {@code AccessDenied} (JSON
 * protocol), S3's 403 {@code AccessDenied} XML (no body for a HEAD), the @connections API's 403
 * {@code ForbiddenException}.
 */
final class IamHttpClient implements SdkAsyncHttpClient {
    static final String DENIED = "x-tally-local-iam-denied";
    static final String MISSING_OBJECT = "x-tally-local-iam-missing-object";

    private final SdkAsyncHttpClient delegate;
    private final FunctionIam iam;

    IamHttpClient(SdkAsyncHttpClient delegate, FunctionIam iam) {
        this.delegate = delegate;
        this.iam = iam;
    }

    @Override
    public CompletableFuture<Void> execute(AsyncExecuteRequest request) {
        SdkHttpRequest http = request.request();
        Optional<String> denied = http.firstMatchingHeader(DENIED);
        if (denied.isPresent()) {
            // The SDK ends a call only once its request body was read, as a real client sends it.
            request.requestContentPublisher().subscribe(new Drain());
            int space = denied.get().indexOf(' ');
            answer(request.responseHandler(), http.method(), denied.get().substring(0, space),
                    denied.get().substring(space + 1));
            return CompletableFuture.completedFuture(null);
        }
        Optional<String> missing = http.firstMatchingHeader(MISSING_OBJECT);
        if (missing.isEmpty()) {
            return delegate.execute(request);
        }
        boolean denyMissing = missing.get().startsWith("denied ");
        String bucketArn = denyMissing ? missing.get().substring("denied ".length()) : missing.get();
        SdkAsyncHttpResponseHandler handler = request.responseHandler();
        return delegate.execute(AsyncExecuteRequest.builder().request(http)
                .requestContentPublisher(request.requestContentPublisher())
                .metricCollector(request.metricCollector().orElse(null))
                .fullDuplex(request.fullDuplex())
                .httpExecutionAttributes(request.httpExecutionAttributes())
                .responseHandler(new SdkAsyncHttpResponseHandler() {
            private boolean replaced;

            @Override
            public void onHeaders(SdkHttpResponse headers) {
                if (headers.statusCode() != 404) {
                    handler.onHeaders(headers);
                } else if (!denyMissing) {
                    iam.missingObjectListed(bucketArn);
                    handler.onHeaders(headers);
                } else {
                    replaced = true;
                    answer(handler, http.method(), "s3", iam.notListableMessage(bucketArn));
                }
            }

            @Override
            public void onStream(Publisher<ByteBuffer> stream) {
                if (replaced) {
                    stream.subscribe(new Drain());
                } else {
                    handler.onStream(stream);
                }
            }

            @Override
            public void onError(Throwable error) {
                handler.onError(error);
            }
        }).build());
    }

    private static void answer(SdkAsyncHttpResponseHandler handler, SdkHttpMethod method, String service,
                               String message) {
        String requestId = UUID.randomUUID().toString();
        SdkHttpResponse.Builder response = SdkHttpResponse.builder();
        String body;
        switch (service) {
            case "dynamodb" -> {
                response.statusCode(400).putHeader("Content-Type", "application/x-amz-json-1.0")
                        .putHeader("x-amzn-RequestId", requestId);
                body = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#AccessDeniedException\",\"Message\":"
                        + jsonString(message) + "}";
            }
            case "sqs" -> {
                // SQS's JSON protocol keeps the query protocol's error code in this header; the SDK reads it there.
                response.statusCode(403).putHeader("Content-Type", "application/x-amz-json-1.0")
                        .putHeader("x-amzn-RequestId", requestId).putHeader("x-amzn-query-error", "AccessDenied;Sender");
                body = "{\"__type\":\"com.amazon.coral.service#AccessDeniedException\",\"message\":"
                        + jsonString(message) + "}";
            }
            case "execute-api" -> {
                response.statusCode(403).putHeader("Content-Type", "application/json")
                        .putHeader("x-amzn-RequestId", requestId).putHeader("x-amzn-ErrorType", "ForbiddenException");
                body = "{\"message\":" + jsonString(message) + "}";
            }
            default -> {
                response.statusCode(403).putHeader("Content-Type", "application/xml")
                        .putHeader("x-amz-request-id", requestId.replace("-", "").substring(0, 16).toUpperCase())
                        .putHeader("x-amz-id-2", requestId);
                body = method == SdkHttpMethod.HEAD ? "" : "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>"
                        + "AccessDenied</Code><Message>" + xml(message) + "</Message><RequestId>" + requestId
                        + "</RequestId></Error>";
            }
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        handler.onHeaders(response.putHeader("Content-Length", String.valueOf(bytes.length)).build());
        handler.onStream(AsyncRequestBody.fromBytes(bytes));
    }

    private static String jsonString(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Override
    public String clientName() {
        return delegate.clientName();
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** Reads and drops a body: a denied request's, or a replaced response's (so its connection is freed). */
    private static final class Drain implements Subscriber<ByteBuffer> {
        @Override
        public void onSubscribe(Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(ByteBuffer item) {
        }

        @Override
        public void onError(Throwable throwable) {
        }

        @Override
        public void onComplete() {
        }
    }
}
