package app.tally.functions.dashboard;

import static app.tally.testing.ApiEvents.load;
import static app.tally.testing.ApiEvents.problem;
import static app.tally.testing.ApiEvents.withQuery;
import static org.junit.jupiter.api.Assertions.assertEquals;

import app.tally.aws.Env;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Requests DashboardFunction must refuse before it reads anything (the tests' endpoints are closed ports). */
class DashboardHandlerTest {
    private final DashboardHandler handler = new DashboardHandler(Env.of(Map.of("TABLE_NAME", "t",
            "DEFAULT_CURRENCY", "CNY", "RATES_ECB_URL", "http://127.0.0.1:9/ecb",
            "RATES_FRANKFURTER_URL", "http://127.0.0.1:9/frankfurter",
            "RATES_CURRENCY_API_URLS", "http://127.0.0.1:9/currency-api")));

    @Test
    void requestWithoutClaimsIsUnauthorized() throws Exception {
        APIGatewayV2HTTPEvent event = load("get-dashboard");
        event.getRequestContext().setAuthorizer(null);
        problem(handler, 401, event);
    }

    @Test
    void monthsOutOfRangeIsABadRequestNamingTheRange() throws Exception {
        for (String months : new String[] {"0", "25", "six", "-1"}) {
            assertEquals("months must be a whole number from 1 to 24.",
                    problem(handler, 400, withQuery("get-dashboard", Map.of("months", months))).get("detail").asText(), months);
        }
    }

    @Test
    void aMonthThatIsNotYyyyMmIsABadRequest() throws Exception {
        problem(handler, 400, withQuery("get-dashboard", Map.of("month", "2026-13")));
        problem(handler, 400, withQuery("get-dashboard", Map.of("month", "10000-01")));
    }

    @Test
    void convertToThatIsNoCurrencyIsABadRequest() throws Exception {
        problem(handler, 400, withQuery("get-dashboard", Map.of("convertTo", "yuan")));
    }
}
