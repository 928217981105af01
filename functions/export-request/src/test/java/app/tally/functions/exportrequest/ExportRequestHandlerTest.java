package app.tally.functions.exportrequest;

import static app.tally.testing.ApiEvents.problem;
import static app.tally.testing.ApiEvents.withBody;
import static org.junit.jupiter.api.Assertions.assertEquals;

import app.tally.aws.Env;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Requests ExportRequestFunction must refuse before it writes a job or sends a message (AWS is a closed port). */
class ExportRequestHandlerTest {
    private final ExportRequestHandler handler = new ExportRequestHandler(Env.of(Map.of(
            "TABLE_NAME", "t", "EXPORT_QUEUE_URL", "http://127.0.0.1:9/000000000000/q")));

    @Test
    void requestWithoutSubjectIsUnauthorized() throws Exception {
        APIGatewayV2HTTPEvent event =
                withBody("request-export", "application/json", "{\"from\":\"2026-01-01\",\"to\":\"2026-01-31\"}");
        event.getRequestContext().getAuthorizer().getJwt().setClaims(Map.of("email", "li.wei@example.com"));
        problem(handler, 401, event);
    }

    @Test
    void invalidFieldsAreListedInOne422() throws Exception {
        JsonNode problem = problem(handler, 422,
                withBody("request-export", "application/json", "{\"from\":\"2026-13-01\",\"format\":\"pdf\"}"));
        assertEquals(3, problem.get("errors").size());
    }

    @Test
    void nonJsonBodyIsUnsupportedAndBrokenJsonIsBad() throws Exception {
        problem(handler, 415, withBody("request-export", "text/csv", "from,to"));
        problem(handler, 400, withBody("request-export", "application/json", "{\"from\":"));
    }
}
