package app.tally.functions.push;

import app.tally.aws.AwsClients;
import app.tally.aws.Env;
import app.tally.json.Json;
import app.tally.services.push.PushSockets;
import app.tally.store.JobStore;
import app.tally.store.PushStore;
import app.tally.telemetry.Log;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The push socket's $connect, $disconnect and $default routes. The user is the one the authorizer bound to the
 * connection ({@code user} in its context); $disconnect is best effort (a connection that is not removed expires, and
 * the first push that meets its 410 removes it); $default answers {@code ping} and {@code resync} (its route response
 * sends the body back to the client).
 */
public final class PushSocketHandler
        implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {
    private static final long MAX_WAIT_MILLIS = 5_000;

    private final PushSockets sockets;

    public PushSocketHandler() {
        this(Env.system());
    }

    public PushSocketHandler(Env env) {
        this(env, AwsClients.container());
    }

    public PushSocketHandler(Env env, AwsClients aws) {
        String table = env.require("TABLE_NAME");
        this.sockets = new PushSockets(new PushStore(aws.dynamoDb(), table), new JobStore(aws.dynamoDb(), table),
                Clock.systemUTC());
    }

    @Override
    public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
        var request = event.getRequestContext();
        Object user = request.getAuthorizer() == null ? null : request.getAuthorizer().get("user");
        if (!(user instanceof String subject) || subject.isEmpty()) {
            // Only a connection the authorizer let in reaches a route; anything else is refused.
            return response(403, null);
        }
        String connection = request.getConnectionId();
        try {
            return switch (request.getRouteKey()) {
                case "$connect" -> {
                    await(sockets.connected(subject, connection, Instant.ofEpochMilli(request.getConnectedAt())));
                    yield response(200, null);
                }
                case "$disconnect" -> {
                    await(sockets.disconnected(subject, connection));
                    yield response(200, null);
                }
                default -> response(200, await(sockets.answer(subject, event.getBody())).map(Json::write).orElse(null));
            };
        } catch (Exception e) {
            Log.error("push-socket-failed").put("route", request.getRouteKey()).put("error", e.toString()).write();
            return response(500, null);
        }
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(MAX_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static APIGatewayV2WebSocketResponse response(int status, String body) {
        APIGatewayV2WebSocketResponse response = new APIGatewayV2WebSocketResponse();
        response.setStatusCode(status);
        response.setBody(body);
        return response;
    }
}
