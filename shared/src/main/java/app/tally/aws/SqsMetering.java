package app.tally.aws;

import app.tally.telemetry.Usage;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/** SQS bills a request per 64 KB chunk of its payload (a send of 10 small messages in one batch is one request). */
final class SqsMetering extends Metering.Interceptor {
    static final int CHUNK_BYTES = 64 * 1024;

    @Override
    void succeeded(Context.AfterExecution context, Usage usage) {
        usage.sqs(billedRequests(context.request()));
    }

    @Override
    void answeredWithError(Context.FailedExecution context, SdkHttpResponse response, Usage usage) {
        usage.sqs(billedRequests(context.request()));
    }

    static long billedRequests(Object request) {
        long payload = switch (request) {
            case SendMessageRequest send -> bytes(send.messageBody());
            case SendMessageBatchRequest batch -> batch.entries().stream().mapToLong(e -> bytes(e.messageBody())).sum();
            default -> 0;
        };
        return Math.max(1, (payload + CHUNK_BYTES - 1) / CHUNK_BYTES);
    }

    private static long bytes(String text) {
        return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
    }
}
