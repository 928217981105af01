package app.tally.http;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

    protected abstract CompletableFuture<ApiResponse> handle(ApiRequest request);

    /** The largest request body this function accepts; larger ones are answered 413. */
    protected int maxBodyBytes() {
        return ApiRequest.MAX_BODY_BYTES;
    }

    @Override
    public final APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        long started = System.nanoTime();
        ApiResponse response;
        Throwable failure = null;
        try {
            response = handle(ApiRequest.from(event, maxBodyBytes())).get(waitMillis(context), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            failure = e;
            response = Problems.toResponse(ApiException.unavailable("The request took too long; retry shortly."));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = e;
            response = Problems.toResponse(e);
        } catch (Exception e) {
            failure = Problems.unwrap(e);
            response = Problems.toResponse(failure);
        }
        log(event, context, response.status(), started, failure);
        return response.toEvent();
    }

    private static long waitMillis(Context context) {
        if (context == null) {
            return MAX_WAIT_MILLIS;
        }
        return Math.max(100, Math.min(MAX_WAIT_MILLIS, context.getRemainingTimeInMillis() - MARGIN_MILLIS));
    }

    /** One structured line per request; never the token, body or raw subject. */
    private static void log(APIGatewayV2HTTPEvent event, Context context, int status, long started, Throwable failure) {
        ObjectNode line = Json.object();
        line.put("route", event.getRouteKey());
        line.put("status", status);
        line.put("latencyMs", (System.nanoTime() - started) / 1_000_000);
        if (context != null) {
            line.put("requestId", context.getAwsRequestId());
        }
        if (failure != null && !(failure instanceof ApiException)) {
            line.put("error", failure.getClass().getName());
        }
        System.out.println(Json.write(line));
    }
}
