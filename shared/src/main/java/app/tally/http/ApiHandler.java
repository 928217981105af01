package app.tally.http;

import app.tally.retry.Failures;
import app.tally.telemetry.Log;
import app.tally.telemetry.Metrics;
import app.tally.telemetry.Usage;
import app.tally.telemetry.UserRef;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The boundary every HTTP function shares: build the request, run the route's future, wait for it once with a
 * deadline below the function's timeout, and map every failure to problem+json.
 */
public abstract class ApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    /** Left for answering and logging when the deadline passes. */
    private static final long MARGIN_MILLIS = 500;
    /** The longest an HTTP function waits for its answer; the template contract test holds it below every Timeout. */
    public static final long MAX_WAIT_MILLIS = 10_000;
    /** True until this container's first request is logged. */
    private static volatile boolean coldStart = true;

    protected abstract CompletableFuture<ApiResponse> handle(ApiRequest request);

    /** The largest request body this function accepts; larger ones are answered 413. */
    protected int maxBodyBytes() {
        return ApiRequest.MAX_BODY_BYTES;
    }

    /** Where a body over {@link #maxBodyBytes()} goes instead, said in the 413 (null: nowhere). */
    protected String largerBodies() {
        return null;
    }

    /** Whether this function takes bodies that are not UTF-8 text (files, as {@link ApiRequest#bodyBytes}). */
    protected boolean binaryBodies() {
        return false;
    }

    @Override
    public final APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        long started = System.nanoTime();
        Usage usage = new Usage();
        ApiResponse response;
        Throwable failure = null;
        try {
            response = Usage.within(usage, () -> handle(ApiRequest.from(event, maxBodyBytes(), largerBodies(),
                    binaryBodies())))
                    .get(waitMillis(context), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            failure = e;
            response = Problems.toResponse(ApiException.unavailable("The request took too long; retry shortly."));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = e;
            response = Problems.toResponse(e);
        } catch (Exception e) {
            failure = Failures.unwrap(e);
            response = Problems.toResponse(failure);
        }
        log(event, context, response.status(), started, failure, usage);
        return response.toEvent();
    }

    private static long waitMillis(Context context) {
        if (context == null) {
            return MAX_WAIT_MILLIS;
        }
        return Math.max(100, Math.min(MAX_WAIT_MILLIS, context.getRemainingTimeInMillis() - MARGIN_MILLIS));
    }

    /**
     * One structured line per request: ids, route, status, latency, a {@link UserRef}, the error's type and what the
     * request consumed ({@link Usage}). Never the token, the body, the query or the raw subject.
     */
    private static void log(APIGatewayV2HTTPEvent event, Context context, int status, long started, Throwable failure,
                            Usage usage) {
        boolean cold = coldStart;
        coldStart = false;
        Log.Line line = (status >= 500 ? Log.error("request") : Log.info("request"))
                .put("function", context == null ? null : context.getFunctionName())
                .put("requestId", context == null ? null : context.getAwsRequestId())
                .put("apiRequestId", event.getRequestContext() == null ? null : event.getRequestContext().getRequestId())
                .put("route", event.getRouteKey())
                .put("status", status)
                .put("latencyMs", (System.nanoTime() - started) / 1_000_000)
                .put("user", UserRef.of(ApiRequest.claimsOf(event).get("sub")))
                .put("coldStart", cold);
        if (failure != null) {
            line.put("errorType", Problems.errorType(failure));
        }
        Metrics.consumed(line, context == null ? null : context.getFunctionName(), usage).write();
    }
}
