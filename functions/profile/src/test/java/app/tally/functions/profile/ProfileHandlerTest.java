package app.tally.functions.profile;

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

/** Requests ProfileFunction must refuse before it reads or writes DynamoDB (the tests' endpoint is a closed port). */
class ProfileHandlerTest {
    private final ProfileHandler handler =
            new ProfileHandler(Env.of(Map.of("TABLE_NAME", "t", "DEFAULT_CURRENCY", "CNY")));

    @Test
    void requestWithoutClaimsIsUnauthorized() throws Exception {
        for (String name : List.of("get-me", "patch-me")) {
            APIGatewayV2HTTPEvent event = load(name);
            event.getRequestContext().setAuthorizer(null);
            problem(handler, 401, event);
        }
    }

    @Test
    void subjectWithKeySeparatorIsUnauthorized() throws Exception {
        problem(handler, 401, withClaims("get-me", Map.of("sub", "victim#M#2026-11")));
    }

    @Test
    void plainTextPatchIsAnUnsupportedMediaType() throws Exception {
        problem(handler, 415, withBody("patch-me", "text/plain", "name=Li"));
    }

    @Test
    void patchOver256KiBIsTooLarge() throws Exception {
        problem(handler, 413,
                withBody("patch-me", "application/json", "{\"name\":\"" + "x".repeat(300 * 1024) + "\"}"));
    }

    @Test
    void malformedJsonIsABadRequest() throws Exception {
        problem(handler, 400, withBody("patch-me", "application/json", "{\"name\":"));
        problem(handler, 400, withBody("patch-me", "application/json", "{\"name\":\"a\",\"name\":\"b\"}"));
    }

    @Test
    void invalidFieldsAreAllListed() throws Exception {
        JsonNode problem = problem(handler, 422, withBody("patch-me", "application/json",
                "{\"name\":\"   \",\"currency\":\"cny\",\"timeZone\":\"Mars/Olympus_Mons\",\"user\":\"someone-else\"}"));

        assertEquals(List.of("user", "name", "currency", "timeZone"), fields(problem));
    }

    @Test
    void emptyPatchIsUnprocessable() throws Exception {
        JsonNode problem = problem(handler, 422, withBody("patch-me", "application/json", "{}"));
        assertEquals(List.of("body"), fields(problem));
    }

    @Test
    void unknownRouteIsNotFound() throws Exception {
        APIGatewayV2HTTPEvent event = load("get-me");
        event.setRouteKey("DELETE /me");
        problem(handler, 404, event);
    }

    @Test
    void missingConfigurationStopsTheConstructor() {
        var e = assertThrows(IllegalStateException.class, () -> new ProfileHandler(Env.of(Map.of("TABLE_NAME", "t"))));
        assertEquals("Environment variable DEFAULT_CURRENCY is not set", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new ProfileHandler(Env.of(Map.of("TABLE_NAME", "t", "DEFAULT_CURRENCY", "XYZ"))));
    }
}
