package app.tally.functions.createtransaction;

import static app.tally.testing.ApiEvents.fields;
import static app.tally.testing.ApiEvents.load;
import static app.tally.testing.ApiEvents.problem;
import static app.tally.testing.ApiEvents.withBody;
import static app.tally.testing.ApiEvents.withClaims;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import app.tally.aws.Env;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Requests CreateTransactionFunction must refuse before it touches DynamoDB (the tests' endpoint is a closed port). */
class CreateTransactionHandlerTest {
    private final CreateTransactionHandler handler =
            new CreateTransactionHandler(Env.of(Map.of("TABLE_NAME", "t", "DEFAULT_CURRENCY", "CNY", "PUSH_QUEUE_URL", "http://127.0.0.1:9/0/push.fifo")));

    @Test
    void requestWithoutClaimsIsUnauthorized() throws Exception {
        problem(handler, 401, withClaims("create-transaction", null));
    }

    @Test
    void plainTextBodyIsAnUnsupportedMediaType() throws Exception {
        problem(handler, 415, withBody("create-transaction", "text/plain", load("create-transaction").getBody()));
    }

    @Test
    void bodyOver256KiBIsTooLarge() throws Exception {
        problem(handler, 413, withBody("create-transaction", "application/json",
                "{\"note\":\"" + "x".repeat(300 * 1024) + "\"}"));
    }

    @Test
    void malformedJsonIsABadRequest() throws Exception {
        problem(handler, 400, withBody("create-transaction", "application/json", "{\"amount\":\"12.34\""));
        problem(handler, 400, withBody("create-transaction", "application/json", "{\"amount\":\"12.34\"} {}"));
        problem(handler, 400, withBody("create-transaction", "application/json", "[{\"amount\":\"12.34\"}]"));
    }

    @Test
    void invalidFieldsAreAllListedInErrors() throws Exception {
        JsonNode problem = problem(handler, 422, withBody("create-transaction", "application/json",
                "{\"amount\":\"12.345\",\"currency\":\"CNY\","
                + "\"type\":\"transfer\",\"category\":\"\",\"date\":\"2026-02-30\",\"tags\":[\"work\",7],"
                + "\"user\":\"someone-else\"}"));

        assertEquals(List.of("user", "amount", "type", "category", "date", "tags[1]"), fields(problem));
        assertEquals("CNY allows at most 2 decimal places", problem.path("errors").get(1).path("reason").textValue());
    }

    @Test
    void invalidBodyWithoutCurrencyIsRejectedBeforeTheProfileIsRead() throws Exception {
        // The profile would be read for the currency; DynamoDB is unreachable here, so a read would answer 503.
        JsonNode problem = problem(handler, 422, withBody("create-transaction", "application/json",
                "{\"amount\":\"-1\",\"type\":\"expense\",\"category\":\"x\",\"date\":\"2026-13-01\"}"));
        assertEquals(List.of("amount", "date"), fields(problem));
    }

    @Test
    void malformedIdempotencyKeyIsABadRequest() throws Exception {
        APIGatewayV2HTTPEvent event = load("create-transaction");
        event.getHeaders().put("idempotency-key", "has spaces in it");
        problem(handler, 400, event);
        event.getHeaders().put("idempotency-key", "k".repeat(201));
        problem(handler, 400, event);
    }

    @Test
    void unsupportedCurrencyIsUnprocessable() throws Exception {
        JsonNode problem = problem(handler, 422, withBody("create-transaction", "application/json",
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
