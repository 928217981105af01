package app.tally.http;

import app.tally.json.Json;
import app.tally.model.InvalidInput;
import app.tally.retry.Failures;
import app.tally.services.Refusal;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/** The one place that turns a failure into an RFC 9457 problem+json response. */
public final class Problems {
    private Problems() {
    }

    public static ApiResponse toResponse(Throwable failure) {
        return toResponse(asApiException(Failures.unwrap(failure)));
    }

    public static ApiResponse toResponse(ApiException problem) {
        ObjectNode body = Json.object();
        body.put("type", "https://tally.app/problems/" + slug(problem.title()));
        body.put("title", problem.title());
        body.put("status", problem.status());
        body.put("detail", problem.getMessage());
        if (!problem.errors().isEmpty()) {
            var errors = body.putArray("errors");
            problem.errors().forEach(e -> errors.addObject().put("field", e.field()).put("reason", e.reason()));
        }
        ApiResponse response = new ApiResponse(problem.status(),
                Map.of("Content-Type", "application/problem+json"), Json.write(body));
        for (var header : problem.headers().entrySet()) {
            response = response.withHeader(header.getKey(), header.getValue());
        }
        return response;
    }

    /** A log's name for the failure: its problem's slug when a request caused it, else its class. */
    static String errorType(Throwable failure) {
        boolean caused = failure instanceof ApiException || failure instanceof InvalidInput || failure instanceof Refusal;
        return caused ? slug(asApiException(failure).title()) : failure.getClass().getName();
    }

    private static String slug(String title) {
        return title.toLowerCase(Locale.ROOT).replace(' ', '-');
    }

    /**
     * Known failures keep their meaning; what a retry can cure (timeouts, throttling, an AWS service's own 5xx once the
     * SDK's retries are spent, an unreachable service) becomes a 503 with Retry-After; anything else a bare 500.
     */
    static ApiException asApiException(Throwable failure) {
        if (failure instanceof ApiException api) {
            return api;
        }
        if (failure instanceof InvalidInput invalid) {
            return ApiException.unprocessable(invalid.getMessage(), invalid.errors());
        }
        if (failure instanceof Refusal refusal) {
            return switch (refusal.reason()) {
                case MALFORMED -> ApiException.badRequest(refusal.getMessage());
                case NOT_FOUND -> new ApiException(404, "Not Found", refusal.getMessage(), List.of(), Map.of());
                case CONFLICT -> ApiException.conflict(refusal.getMessage());
                case TOO_LARGE -> new ApiException(413, "Content Too Large", refusal.getMessage(), List.of(), Map.of());
                case UNAVAILABLE -> ApiException.unavailable(refusal.getMessage());
            };
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
        return new ApiException(500, "Internal Server Error", "Something went wrong on our side.", List.of(), Map.of());
    }
}
