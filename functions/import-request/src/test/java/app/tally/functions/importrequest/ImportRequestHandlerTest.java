package app.tally.functions.importrequest;

import static app.tally.testing.ApiEvents.fields;
import static app.tally.testing.ApiEvents.load;
import static app.tally.testing.ApiEvents.problem;
import static app.tally.testing.ApiEvents.withBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.aws.Env;
import app.tally.services.imports.ImportRequests;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Requests ImportRequestFunction must refuse before it stores a file or a job (AWS is a closed port here). */
class ImportRequestHandlerTest {
    private final ImportRequestHandler handler = new ImportRequestHandler(Env.of(Map.of("TABLE_NAME", "t",
            "FILES_BUCKET", "b", "IMPORT_QUEUE_URL", "http://127.0.0.1:9/000000000000/imports")));

    private static APIGatewayV2HTTPEvent csv(String body, Map<String, String> query) {
        APIGatewayV2HTTPEvent event = withBody("request-import", "text/csv", body);
        event.setQueryStringParameters(query);
        return event;
    }

    @Test
    void requestWithoutClaimsIsUnauthorized() throws Exception {
        for (String name : List.of("request-import", "request-import-upload", "start-import")) {
            APIGatewayV2HTTPEvent event = load(name);
            event.getRequestContext().setAuthorizer(null);
            problem(handler, 401, event);
        }
    }

    @Test
    void aBodyOverTheLimitIsTooLargeAndSaysWhereLargerFilesGo() throws Exception {
        String detail = problem(handler, 413, csv("x".repeat(ImportRequests.MAX_BODY_BYTES + 1), Map.of()))
                .get("detail").asText();
        assertTrue(detail.endsWith(ImportRequests.LARGER_FILES), detail);
    }

    @Test
    void anEmptyBodyIsABadRequest() throws Exception {
        assertEquals("The request body is empty: send the file as text/csv or as an .xlsx workbook ("
                        + "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet).",
                problem(handler, 400, csv("", Map.of())).get("detail").asText());
    }

    @Test
    void anUnknownMappingAndAWrongDryRunAreInvalidFields() throws Exception {
        assertEquals(List.of("mapping"), fields(problem(handler, 422, csv("a,b\n", Map.of("mapping", "no-such-bank")))));
        assertEquals(List.of("dryRun"), fields(problem(handler, 422, csv("a,b\n", Map.of("dryRun", "yes")))));
    }

    @Test
    void anUploadRequestWithoutAFilenameListsTheField() throws Exception {
        assertEquals(List.of("filename"),
                fields(problem(handler, 422, withBody("request-import-upload", "application/json", "{}"))));
    }

    @Test
    void startingSomethingThatIsNoJobIdIsNotFound() throws Exception {
        APIGatewayV2HTTPEvent event = load("start-import");
        event.setPathParameters(Map.of("id", "not-a-job"));
        problem(handler, 404, event);
    }
}
