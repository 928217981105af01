package app.tally.functions.profile;

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

/** Requests ProfileFunction must refuse before it reads or writes DynamoDB (the tests' endpoint is a closed port). */
class ProfileHandlerTest {
    private final ProfileHandler handler =
            new ProfileHandler(Env.of(Map.of("TABLE_NAME", "t", "DEFAULT_CURRENCY", "CNY")));

    private static APIGatewayV2HTTPEvent event(String name) {
        APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("../../events/" + name + ".json");
        event.setHeaders(new HashMap<>(event.getHeaders()));
        return event;
    }

    private static APIGatewayV2HTTPEvent patchMe(String contentType, String body) {
        APIGatewayV2HTTPEvent event = event("patch-me");
        event.getHeaders().put("content-type", contentType);
        event.setBody(body);
        return event;
    }

    /** Asserts a problem+json answer with the status and returns its body. */
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
        for (String name : List.of("get-me", "patch-me")) {
            APIGatewayV2HTTPEvent event = event(name);
            event.getRequestContext().setAuthorizer(null);
            problem(401, event);
        }
    }

    @Test
    void subjectWithKeySeparatorIsUnauthorized() throws Exception {
        APIGatewayV2HTTPEvent event = event("get-me");
        event.getRequestContext().getAuthorizer().getJwt().setClaims(Map.of("sub", "victim#M#2026-11"));
        problem(401, event);
    }

    @Test
    void plainTextPatchIsAnUnsupportedMediaType() throws Exception {
        problem(415, patchMe("text/plain", "name=Li"));
    }

    @Test
    void patchOver256KiBIsTooLarge() throws Exception {
        problem(413, patchMe("application/json", "{\"name\":\"" + "x".repeat(300 * 1024) + "\"}"));
    }

    @Test
    void malformedJsonIsABadRequest() throws Exception {
        problem(400, patchMe("application/json", "{\"name\":"));
        problem(400, patchMe("application/json", "{\"name\":\"a\",\"name\":\"b\"}"));
    }

    @Test
    void invalidFieldsAreAllListed() throws Exception {
        JsonNode problem = problem(422, patchMe("application/json",
                "{\"name\":\"   \",\"currency\":\"cny\",\"timeZone\":\"Mars/Olympus_Mons\",\"user\":\"someone-else\"}"));

        assertEquals(List.of("user", "name", "currency", "timeZone"), fields(problem));
    }

    @Test
    void emptyPatchIsUnprocessable() throws Exception {
        assertEquals(List.of("body"), fields(problem(422, patchMe("application/json", "{}"))));
    }

    @Test
    void unknownRouteIsNotFound() throws Exception {
        APIGatewayV2HTTPEvent event = event("get-me");
        event.setRouteKey("DELETE /me");
        problem(404, event);
    }

    @Test
    void missingConfigurationStopsTheConstructor() {
        var e = assertThrows(IllegalStateException.class, () -> new ProfileHandler(Env.of(Map.of("TABLE_NAME", "t"))));
        assertEquals("Environment variable DEFAULT_CURRENCY is not set", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new ProfileHandler(Env.of(Map.of("TABLE_NAME", "t", "DEFAULT_CURRENCY", "XYZ"))));
    }
}
