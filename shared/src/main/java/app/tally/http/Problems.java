package app.tally.http;

import app.tally.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/** The one place that turns a failure into an RFC 9457 problem+json response. */
public final class Problems {
    private Problems() {
    }

    public static ApiResponse toResponse(Throwable failure) {
        return toResponse(asApiException(unwrap(failure)));
    }

    public static ApiResponse toResponse(ApiException problem) {
        ObjectNode body = Json.object();
        body.put("type", "https://tally.app/problems/" + problem.title().toLowerCase(Locale.ROOT).replace(' ', '-'));
        body.put("title", problem.title());
        body.put("status", problem.status());
        body.put("detail", problem.getMessage());
        if (!problem.errors().isEmpty()) {
            var errors = body.putArray("errors");
            problem.errors().forEach(e -> errors.addObject().put("field", e.field()).put("reason", e.reason()));
        }
        ApiResponse response = new ApiResponse(problem.status(),
                java.util.Map.of("Content-Type", "application/problem+json"), Json.write(body));
        for (var header : problem.headers().entrySet()) {
            response = response.withHeader(header.getKey(), header.getValue());
        }
        return response;
    }

    public static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /**
     * Known failures keep their meaning; what a retry can cure (timeouts, throttling, an AWS service's own 5xx once the
     * SDK's retries are spent, an unreachable service) becomes a 503 with Retry-After; anything else a bare 500.
     */
    static ApiException asApiException(Throwable failure) {
        if (failure instanceof ApiException api) {
            return api;
        }
        if (failure instanceof ApiCallTimeoutException || failure instanceof ApiCallAttemptTimeoutException) {
            return ApiException.unavailable("The data store did not answer in time; retry shortly.");
        }
        if (failure instanceof SdkServiceException service && service.isThrottlingException()) {
            return ApiException.unavailable("Too many requests reached the data store; retry shortly.");
        }
        if (failure instanceof SdkServiceException service && service.statusCode() >= 500) {
            return ApiException.unavailable("The data store failed to answer; retry shortly.");
        }
        if (failure instanceof SdkClientException) {
            return ApiException.unavailable("The data store could not be reached; retry shortly.");
        }
        return new ApiException(500, "Internal Server Error", "Something went wrong on our side.",
                java.util.List.of(), java.util.Map.of());
    }
}
