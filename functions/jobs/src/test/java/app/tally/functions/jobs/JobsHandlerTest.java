package app.tally.functions.jobs;

import static app.tally.testing.ApiEvents.load;
import static app.tally.testing.ApiEvents.problem;

import app.tally.aws.Env;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Requests JobsFunction answers without reading the table (AWS is a closed port). */
class JobsHandlerTest {
    private final JobsHandler handler = new JobsHandler(Env.of(Map.of("TABLE_NAME", "t",
            "CURSOR_SECRET", "test-cursor-secret-0123456789abcdef", "FILES_BUCKET", "b")));

    @ParameterizedTest
    @ValueSource(strings = {"../etc", "01m8ga8c45fa7vnzs1r1n9gjx5", "01M8GA8C45FA7VNZS1R1N9GJX", "J#01M8GA8C45FA7VNZS1R1N9GJX5"})
    void idThatIsNotAJobIdIsNotFound(String id) throws Exception {
        APIGatewayV2HTTPEvent event = load("get-job");
        event.setPathParameters(Map.of("id", id));
        problem(handler, 404, event);
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=0", "limit=101", "limit=ten", "cursor=garbage", "cursor=eyJrIjoiWCJ9.AAAAAAAAAAAAAAAAAAAAAA"})
    void badLimitOrCursorIsABadRequest(String parameter) throws Exception {
        APIGatewayV2HTTPEvent event = load("list-jobs");
        Map<String, String> query = new HashMap<>(event.getQueryStringParameters());
        String[] pair = parameter.split("=", 2);
        query.put(pair[0], pair[1]);
        event.setQueryStringParameters(query);
        problem(handler, 400, event);
    }
}
