package app.tally.functions.createtransaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import app.tally.aws.Env;
import app.tally.http.Json;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Requests CreateTransactionFunction must refuse before it touches DynamoDB (the tests' endpoint is a closed port). */
class CreateTransactionHandlerTest {
    private final CreateTransactionHandler handler =
            new CreateTransactionHandler(Env.of(Map.of("TABLE_NAME", "t", "DEFAULT_CURRENCY", "CNY")));

    private static APIGatewayV2HTTPEvent event() {
        APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("../../events/create-transaction.json");
        event.setHeaders(new HashMap<>(event.getHeaders()));
        return event;
    }

    private static APIGatewayV2HTTPEvent withBody(String contentType, String body) {
        APIGatewayV2HTTPEvent event = event();
        event.getHeaders().put("content-type", contentType);
        event.setBody(body);
        return event;
    }

    private JsonNode problem(int status, APIGatewayV2HTTPEvent event) throws Exception {
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
        assertEquals(status, response.getStatusCode(), response.getBody());
        assertEquals("application/problem+json", response.getHeaders().get("Content-Type"));
        JsonNode body = Json.parse(response.getBody());
        assertEquals(status, body.path("status").intValue());
        return body;
    }

    private static List<String> fields(JsonNode problem) {
        List<String> fields = new ArrayList<>();
        problem.path("errors").forEach(e -> fields.add(e.path("field").textValue()));
        return fields;
    }

    @Test
    void requestWithoutClaimsIsUnauthorized() throws Exception {
        APIGatewayV2HTTPEvent event = event();
        event.getRequestContext().getAuthorizer().getJwt().setClaims(null);
        problem(401, event);
    }

    @Test
    void plainTextBodyIsAnUnsupportedMediaType() throws Exception {
        problem(415, withBody("text/plain", event().getBody()));
    }

    @Test
    void bodyOver256KiBIsTooLarge() throws Exception {
        problem(413, withBody("application/json", "{\"note\":\"" + "x".repeat(300 * 1024) + "\"}"));
    }

    @Test
    void malformedJsonIsABadRequest() throws Exception {
        problem(400, withBody("application/json", "{\"amount\":\"12.34\""));
        problem(400, withBody("application/json", "{\"amount\":\"12.34\"} {}"));
        problem(400, withBody("application/json", "[{\"amount\":\"12.34\"}]"));
    }

    @Test
    void invalidFieldsAreAllListedInErrors() throws Exception {
        JsonNode problem = problem(422, withBody("application/json", "{\"amount\":\"12.345\",\"currency\":\"CNY\","
                + "\"type\":\"transfer\",\"category\":\"\",\"date\":\"2026-02-30\",\"tags\":[\"work\",7],"
                + "\"user\":\"someone-else\"}"));

        assertEquals(List.of("user", "amount", "type", "category", "date", "tags[1]"), fields(problem));
        assertEquals("CNY allows at most 2 decimal places", problem.path("errors").get(1).path("reason").textValue());
    }

    @Test
    void malformedIdempotencyKeyIsABadRequest() throws Exception {
        APIGatewayV2HTTPEvent event = event();
        event.getHeaders().put("idempotency-key", "has spaces in it");
        problem(400, event);
        event.getHeaders().put("idempotency-key", "k".repeat(201));
        problem(400, event);
    }

    @Test
    void unsupportedCurrencyIsUnprocessable() throws Exception {
        JsonNode problem = problem(422, withBody("application/json",
                "{\"amount\":\"1\",\"currency\":\"XXX\",\"type\":\"income\",\"category\":\"工资\",\"date\":\"2026-11-24\"}"));
        assertEquals(List.of("currency"), fields(problem));
    }

    @Test
    void missingConfigurationStopsTheConstructor() {
        var e = assertThrows(IllegalStateException.class,
                () -> new CreateTransactionHandler(Env.of(Map.of("DEFAULT_CURRENCY", "CNY"))));
        assertEquals("Environment variable TABLE_NAME is not set", e.getMessage());
    }
}
