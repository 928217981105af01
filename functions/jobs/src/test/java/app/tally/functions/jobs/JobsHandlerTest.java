package app.tally.functions.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import app.tally.aws.Env;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Requests JobsFunction answers without reading the table (AWS is a closed port). */
class JobsHandlerTest {
    private final JobsHandler handler = new JobsHandler(Env.of(Map.of("TABLE_NAME", "t",
            "CURSOR_SECRET", "test-cursor-secret-0123456789abcdef", "FILES_BUCKET", "b")));

    private static APIGatewayV2HTTPEvent event(String name) {
        return EventLoader.loadApiGatewayHttpEvent("../../events/" + name + ".json");
    }

    private void assertProblem(int status, APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
        assertEquals(status, response.getStatusCode(), response.getBody());
        assertEquals("application/problem+json", response.getHeaders().get("Content-Type"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc", "01m8ga8c45fa7vnzs1r1n9gjx5", "01M8GA8C45FA7VNZS1R1N9GJX", "J#01M8GA8C45FA7VNZS1R1N9GJX5"})
    void idThatIsNotAJobIdIsNotFound(String id) {
        APIGatewayV2HTTPEvent event = event("get-job");
        event.setPathParameters(Map.of("id", id));
        assertProblem(404, event);
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=0", "limit=101", "limit=ten", "cursor=garbage", "cursor=eyJrIjoiWCJ9.AAAAAAAAAAAAAAAAAAAAAA"})
    void badLimitOrCursorIsABadRequest(String parameter) {
        APIGatewayV2HTTPEvent event = event("list-jobs");
        Map<String, String> query = new HashMap<>(event.getQueryStringParameters());
        String[] pair = parameter.split("=", 2);
        query.put(pair[0], pair[1]);
        event.setQueryStringParameters(query);
        assertProblem(400, event);
    }
}
