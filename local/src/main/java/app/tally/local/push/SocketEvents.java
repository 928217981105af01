package app.tally.local.push;

import static app.tally.local.template.LocalNames.ACCOUNT_ID;
import static app.tally.local.template.LocalNames.REGION;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** The events API Gateway sends for a WebSocket API: the REQUEST authorizer's, and each route's. */
final class SocketEvents {
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private SocketEvents() {
    }

    /** What the handshake carried, and what the authorizer returned (its context and principal). */
    record Handshake(String connectionId, Instant connectedAt, Map<String, String> headers, Map<String, String> query,
                     String sourceIp) {
    }

    static APIGatewayCustomAuthorizerEvent authorizer(SocketApi api, Handshake handshake) {
        return APIGatewayCustomAuthorizerEvent.builder()
                .withType("REQUEST")
                .withMethodArn("arn:aws:execute-api:" + REGION + ":" + ACCOUNT_ID + ":" + api.apiId() + "/"
                        + api.stage() + "/$connect")
                .withHeaders(handshake.headers())
                .withQueryStringParameters(handshake.query())
                .withStageVariables(Map.of())
                .withRequestContext(APIGatewayCustomAuthorizerEvent.RequestContext.builder()
                        .withAccountId(ACCOUNT_ID)
                        .withApiId(api.apiId())
                        .withStage(api.stage())
                        .withRequestId(UUID.randomUUID().toString())
                        .withIdentity(APIGatewayCustomAuthorizerEvent.Identity.builder()
                                .withSourceIp(handshake.sourceIp()).build())
                        .build())
                .build();
    }

    /** {@code authorizer} is the authorizer's context with its principalId, as every route of the connection sees it. */
    static APIGatewayV2WebSocketEvent route(SocketApi api, Handshake handshake, Map<String, Object> authorizer,
                                            String routeKey, String body) {
        Instant now = Instant.now();
        APIGatewayV2WebSocketEvent.RequestContext context = new APIGatewayV2WebSocketEvent.RequestContext();
        context.setRouteKey(routeKey);
        context.setEventType(switch (routeKey) {
            case "$connect" -> "CONNECT";
            case "$disconnect" -> "DISCONNECT";
            default -> "MESSAGE";
        });
        context.setConnectionId(handshake.connectionId());
        context.setConnectedAt(handshake.connectedAt().toEpochMilli());
        context.setApiId(api.apiId());
        context.setStage(api.stage());
        context.setDomainName("127.0.0.1");
        context.setAccountId(ACCOUNT_ID);
        context.setRequestId(UUID.randomUUID().toString());
        context.setExtendedRequestId(context.getRequestId());
        context.setRequestTime(REQUEST_TIME.format(now));
        context.setRequestTimeEpoch(now.toEpochMilli());
        context.setMessageDirection("IN");
        context.setAuthorizer(authorizer);
        APIGatewayV2WebSocketEvent.RequestIdentity identity = new APIGatewayV2WebSocketEvent.RequestIdentity();
        identity.setSourceIp(handshake.sourceIp());
        context.setIdentity(identity);
        if (routeKey.equals("$default") || !routeKey.startsWith("$")) {
            context.setMessageId(UUID.randomUUID().toString());
        }
        APIGatewayV2WebSocketEvent event = new APIGatewayV2WebSocketEvent();
        event.setRequestContext(context);
        event.setIsBase64Encoded(false);
        if (routeKey.equals("$connect")) {
            // Only $connect carries the handshake's headers and query.
            event.setHeaders(handshake.headers());
            event.setQueryStringParameters(handshake.query());
        }
        event.setBody(body);
        return event;
    }
}
