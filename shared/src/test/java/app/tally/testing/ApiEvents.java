package app.tally.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import app.tally.json.Json;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The repository's sample API events and problem+json checks, shared by shared's tests and every function's handler
 * tests (published in tally-shared's test-jar) so each test only says what it changes and which status it expects.
 */
public final class ApiEvents {
    private ApiEvents() {
    }

    /** A fresh copy of events/{name}.json with mutable headers; found from any module's working directory. */
    public static APIGatewayV2HTTPEvent load(String name) {
        APIGatewayV2HTTPEvent event =
                EventLoader.loadApiGatewayHttpEvent(eventsFolder().resolve(name + ".json").toString());
        event.setHeaders(new HashMap<>(event.getHeaders()));
        return event;
    }

    public static APIGatewayV2HTTPEvent withBody(String name, String contentType, String body) {
        APIGatewayV2HTTPEvent event = load(name);
        event.getHeaders().put("content-type", contentType);
        event.setBody(body);
        return event;
    }

    /** events/{name}.json with these query parameters instead of its own. */
    public static APIGatewayV2HTTPEvent withQuery(String name, Map<String, String> query) {
        APIGatewayV2HTTPEvent event = load(name);
        event.setQueryStringParameters(query);
        return event;
    }

    public static APIGatewayV2HTTPEvent withClaims(String name, Map<String, String> claims) {
        APIGatewayV2HTTPEvent event = load(name);
        event.getRequestContext().getAuthorizer().getJwt().setClaims(claims);
        return event;
    }

    /** Asserts a problem+json answer with the status, in the response and in its body, and returns the body. */
    public static JsonNode problem(RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler,
            int status, APIGatewayV2HTTPEvent event) throws Exception {
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
        assertEquals(status, response.getStatusCode(), response.getBody());
        assertEquals("application/problem+json", response.getHeaders().get("Content-Type"));
        JsonNode body = Json.parse(response.getBody());
        assertEquals(status, body.path("status").intValue());
        return body;
    }

    /** The field of each entry of a problem's errors, in order. */
    public static List<String> fields(JsonNode problem) {
        List<String> fields = new ArrayList<>();
        problem.path("errors").forEach(e -> fields.add(e.path("field").textValue()));
        return fields;
    }

    static Path eventsFolder() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("events"))) {
                return dir.resolve("events");
            }
        }
        throw new IllegalStateException("No events/ folder in " + start + " or above it");
    }
}
