package app.tally.http;

import app.tally.json.Json;
import app.tally.services.Parameters;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a handler may know about an HTTP request. The user comes only from the authorizer's verified claims;
 * nothing in the path, query or body can name another user.
 */
public record ApiRequest(String user, Map<String, String> claims, String routeKey, String path,
                         Map<String, String> pathParameters, Map<String, String> query,
                         Map<String, String> headers, String body) implements Parameters {
    public static final int MAX_BODY_BYTES = 256 * 1024;
    /**
     * Lambda's limit on a synchronous invoke's event (6 MB): API Gateway sends the whole request, body escaped into
     * JSON or base64, as one event, and a larger one never reaches the function.
     */
    public static final int MAX_EVENT_BYTES = 6 * 1024 * 1024;
    /** A subject becomes part of DynamoDB keys, so it must not contain the key separator. */
    private static final Pattern SUBJECT = Pattern.compile("[A-Za-z0-9._:@|+\\-]{1,128}");

    public static ApiRequest from(APIGatewayV2HTTPEvent event) {
        return from(event, MAX_BODY_BYTES, null);
    }

    /**
     * The request, with a body of at most {@code maxBodyBytes}: 413 above, saying where a larger body goes
     * ({@code largerBodies}, or null).
     */
    public static ApiRequest from(APIGatewayV2HTTPEvent event, int maxBodyBytes, String largerBodies) {
        Map<String, String> claims = claimsOf(event);
        String user = claims.get("sub");
        if (user == null || !SUBJECT.matcher(user).matches()) {
            throw ApiException.unauthorized();
        }
        Map<String, String> headers = new HashMap<>();
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value));
        }
        return new ApiRequest(user, claims, event.getRouteKey(), event.getRawPath(),
                orEmpty(event.getPathParameters()), orEmpty(event.getQueryStringParameters()),
                headers, decodeBody(event, maxBodyBytes, largerBodies));
    }

    /** The authorizer's verified claims (empty when there are none). */
    static Map<String, String> claimsOf(APIGatewayV2HTTPEvent event) {
        var context = event.getRequestContext();
        if (context == null || context.getAuthorizer() == null || context.getAuthorizer().getJwt() == null
                || context.getAuthorizer().getJwt().getClaims() == null) {
            return Map.of();
        }
        return context.getAuthorizer().getJwt().getClaims();
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }

    private static String decodeBody(APIGatewayV2HTTPEvent event, int maxBodyBytes, String largerBodies) {
        String raw = event.getBody();
        if (raw == null) {
            return null;
        }
        byte[] bytes;
        if (event.getIsBase64Encoded()) {
            try {
                bytes = Base64.getDecoder().decode(raw);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("The request body is not valid base64.");
            }
        } else {
            bytes = raw.getBytes(StandardCharsets.UTF_8);
        }
        if (bytes.length > maxBodyBytes) {
            throw ApiException.payloadTooLarge(maxBodyBytes, largerBodies);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("The request body is not valid UTF-8.");
        }
    }

    public String pathParameter(String name) {
        String value = pathParameters.get(name);
        if (value == null) {
            throw ApiException.badRequest("Missing path parameter " + name + ".");
        }
        return value;
    }

    public Optional<String> query(String name) {
        return Optional.ofNullable(query.get(name)).filter(v -> !v.isEmpty());
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The media type of the body, lower case, without parameters ("" when none was given). */
    public String mediaType() {
        return header("content-type").orElse("").toLowerCase(Locale.ROOT).split(";", 2)[0].trim();
    }

    /** The body as a JSON object: 415 unless the content type is JSON, 400 unless it parses to an object. */
    public ObjectNode jsonObject() {
        String type = header("content-type").orElse("").toLowerCase(Locale.ROOT);
        String mediaType = type.split(";", 2)[0].trim();
        if (!mediaType.equals("application/json") && !mediaType.endsWith("+json")) {
            throw ApiException.unsupportedMediaType();
        }
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest("The request body is empty.");
        }
        JsonNode node;
        try {
            node = Json.parse(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("The request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw ApiException.badRequest("The request body must be a JSON object.");
        }
        return object;
    }
}
