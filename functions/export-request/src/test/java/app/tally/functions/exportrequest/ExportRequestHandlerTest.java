package app.tally.functions.exportrequest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import app.tally.aws.Env;
import app.tally.http.Json;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Requests ExportRequestFunction must refuse before it writes a job or sends a message (AWS is a closed port). */
class ExportRequestHandlerTest {
    private final ExportRequestHandler handler = new ExportRequestHandler(Env.of(Map.of(
            "TABLE_NAME", "t", "EXPORT_QUEUE_URL", "http://127.0.0.1:9/000000000000/q")));

    private static APIGatewayV2HTTPEvent event(String contentType, String body) {
        APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("../../events/request-export.json");
        event.setHeaders(new HashMap<>(event.getHeaders()));
        event.getHeaders().put("content-type", contentType);
        event.setBody(body);
        return event;
    }

    private JsonNode problem(int status, APIGatewayV2HTTPEvent event) throws Exception {
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
        assertEquals(status, response.getStatusCode(), response.getBody());
        assertEquals("application/problem+json", response.getHeaders().get("Content-Type"));
        return Json.parse(response.getBody());
    }

    @Test
    void requestWithoutSubjectIsUnauthorized() throws Exception {
        APIGatewayV2HTTPEvent event = event("application/json", "{\"from\":\"2026-01-01\",\"to\":\"2026-01-31\"}");
        event.getRequestContext().getAuthorizer().getJwt().setClaims(Map.of("email", "li.wei@example.com"));
        problem(401, event);
    }

    @Test
    void invalidFieldsAreListedInOne422() throws Exception {
        JsonNode problem = problem(422, event("application/json", "{\"from\":\"2026-13-01\",\"format\":\"pdf\"}"));
        assertEquals(3, problem.get("errors").size());
    }

    @Test
    void nonJsonBodyIsUnsupportedAndBrokenJsonIsBad() throws Exception {
        problem(415, event("text/csv", "from,to"));
        problem(400, event("application/json", "{\"from\":"));
    }
}
