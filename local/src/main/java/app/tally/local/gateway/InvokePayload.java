package app.tally.local.gateway;

import app.tally.http.ApiRequest;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The event as API Gateway sends it to Lambda: the documented HTTP API payload format 2.0 as JSON (strings escaped as
 * JSON requires: a quote, backslash or CR/LF as two characters, other control characters as six, the rest as UTF-8).
 * Lambda refuses a synchronous invoke whose event is over {@link ApiRequest#MAX_EVENT_BYTES}, so the gateway measures
 * it before invoking.
 */
final class InvokePayload {
    private static final ObjectMapper JSON = new ObjectMapper();

    private InvokePayload() {
    }

    static boolean fits(APIGatewayV2HTTPEvent event) {
        return bytes(event) <= ApiRequest.MAX_EVENT_BYTES;
    }

    /** The size of the event's JSON in UTF-8, counted as written rather than kept. */
    static long bytes(APIGatewayV2HTTPEvent event) {
        long[] count = {0};
        OutputStream counter = new OutputStream() {
            @Override
            public void write(int b) {
                count[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                count[0] += len;
            }
        };
        try {
            JSON.writeValue(counter, json(event));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return count[0];
    }

    static ObjectNode json(APIGatewayV2HTTPEvent event) {
        ObjectNode json = JSON.createObjectNode()
                .put("version", event.getVersion())
                .put("routeKey", event.getRouteKey())
                .put("rawPath", event.getRawPath())
                .put("rawQueryString", event.getRawQueryString());
        strings(json, "cookies", event.getCookies());
        map(json, "headers", event.getHeaders());
        map(json, "queryStringParameters", event.getQueryStringParameters());
        var context = event.getRequestContext();
        ObjectNode requestContext = json.putObject("requestContext")
                .put("accountId", context.getAccountId())
                .put("apiId", context.getApiId());
        if (context.getAuthorizer() != null && context.getAuthorizer().getJwt() != null) {
            ObjectNode jwt = requestContext.putObject("authorizer").putObject("jwt");
            map(jwt, "claims", context.getAuthorizer().getJwt().getClaims());
            strings(jwt, "scopes", context.getAuthorizer().getJwt().getScopes());
        }
        requestContext.put("domainName", context.getDomainName()).put("domainPrefix", context.getDomainPrefix());
        var http = context.getHttp();
        requestContext.putObject("http")
                .put("method", http.getMethod())
                .put("path", http.getPath())
                .put("protocol", http.getProtocol())
                .put("sourceIp", http.getSourceIp())
                .put("userAgent", http.getUserAgent());
        requestContext.put("requestId", context.getRequestId())
                .put("routeKey", context.getRouteKey())
                .put("stage", context.getStage())
                .put("time", context.getTime())
                .put("timeEpoch", context.getTimeEpoch());
        if (event.getBody() != null) {
            json.put("body", event.getBody());
        }
        map(json, "pathParameters", event.getPathParameters());
        json.put("isBase64Encoded", event.getIsBase64Encoded());
        map(json, "stageVariables", event.getStageVariables());
        return json;
    }

    private static void map(ObjectNode parent, String name, Map<String, String> values) {
        if (values != null) {
            ObjectNode node = parent.putObject(name);
            values.forEach(node::put);
        }
    }

    private static void strings(ObjectNode parent, String name, List<String> values) {
        if (values != null) {
            values.forEach(parent.putArray(name)::add);
        }
    }
}
