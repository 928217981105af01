package app.tally.functions.transactions;

import static app.tally.testing.ApiEvents.load;
import static app.tally.testing.ApiEvents.problem;
import static app.tally.testing.ApiEvents.withBody;
import static app.tally.testing.ApiEvents.withClaims;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import app.tally.aws.Env;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Requests TransactionsFunction must refuse before it touches DynamoDB (the tests' endpoint is a closed port). */
class TransactionsHandlerTest {
    private static final String SECRET = "test-cursor-secret-0123456789abcdef";
    private final TransactionsHandler handler =
            new TransactionsHandler(Env.of(Map.of("TABLE_NAME", "t", "CURSOR_SECRET", SECRET, "PUSH_QUEUE_URL", "http://127.0.0.1:9/0/push.fifo")));

    private static APIGatewayV2HTTPEvent list(String name, String value) {
        APIGatewayV2HTTPEvent event = load("list-transactions");
        Map<String, String> query = new HashMap<>(event.getQueryStringParameters());
        query.put(name, value);
        event.setQueryStringParameters(query);
        return event;
    }

    private static APIGatewayV2HTTPEvent withId(String name, String id) {
        APIGatewayV2HTTPEvent event = load(name);
        event.setPathParameters(Map.of("id", id));
        event.setRawPath("/transactions/" + id);
        return event;
    }

    @Test
    void requestWithoutClaimsIsUnauthorized() throws Exception {
        for (String name : List.of("list-transactions", "get-transaction", "patch-transaction", "delete-transaction")) {
            problem(handler, 401, withClaims(name, Map.of("email", "li.wei@example.com")));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "201", "1.5", "ten", "99999999999"})
    void limitOutsideOneTo200IsABadRequest(String limit) throws Exception {
        JsonNode problem = problem(handler, 400, list("limit", limit));
        assertEquals("limit must be a whole number from 1 to 200.", problem.path("detail").textValue());
    }

    @Test
    void malformedOrReversedDateRangeIsABadRequest() throws Exception {
        problem(handler, 400, list("from", "2026-11-31"));
        problem(handler, 400, list("to", "30/11/2026"));
        problem(handler, 400, list("from", "2026-12-01"));
    }

    @Test
    void unknownTypeFilterIsABadRequest() throws Exception {
        problem(handler, 400, list("type", "transfer"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "eyJtIjoiMjAyNi0xMSJ9.AAAAAAAAAAAAAAAAAAAAAA", "a.b"})
    void garbageCursorIsABadRequest(String cursor) throws Exception {
        JsonNode problem = problem(handler, 400, list("cursor", cursor));
        assertEquals("The cursor is not valid for this request.", problem.path("detail").textValue());
    }

    @Test
    void overLongQueryParameterIsABadRequest() throws Exception {
        problem(handler, 400, list("cursor", "A".repeat(600)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"get-transaction", "patch-transaction", "delete-transaction"})
    void idThatIsNotATransactionIdIsNotFound(String name) throws Exception {
        for (String id : List.of("../etc", "..%2Fetc", "01m85w2q0er3d7jg6ncgezfyz9", "01M85W2Q0ER3D7JG6NCGEZFYZ")) {
            problem(handler, 404, withId(name, id));
        }
    }

    @Test
    void plainTextPatchIsAnUnsupportedMediaType() throws Exception {
        problem(handler, 415, withBody("patch-transaction", "text/plain", "{\"note\":\"dinner\"}"));
    }

    @Test
    void patchOver256KiBIsTooLarge() throws Exception {
        problem(handler, 413,
                withBody("patch-transaction", "application/json", "{\"note\":\"" + "x".repeat(300 * 1024) + "\"}"));
    }

    @Test
    void malformedPatchJsonIsABadRequest() throws Exception {
        problem(handler, 400, withBody("patch-transaction", "application/json", "{\"note\":"));
        problem(handler, 400, withBody("patch-transaction", "application/json", "{\"note\":\"a\",\"note\":\"b\"}"));
    }

    @Test
    void unknownRouteIsNotFound() throws Exception {
        APIGatewayV2HTTPEvent event = load("list-transactions");
        event.setRouteKey("POST /transactions");
        problem(handler, 404, event);
    }

    @Test
    void missingOrShortCursorSecretStopsTheConstructor() {
        assertEquals("Environment variable CURSOR_SECRET is not set", assertThrows(IllegalStateException.class,
                () -> new TransactionsHandler(Env.of(Map.of("TABLE_NAME", "t")))).getMessage());
        assertThrows(IllegalStateException.class,
                () -> new TransactionsHandler(Env.of(Map.of("TABLE_NAME", "t", "CURSOR_SECRET", "short"))));
    }
}
