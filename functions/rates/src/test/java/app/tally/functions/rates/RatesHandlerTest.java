package app.tally.functions.rates;

import static app.tally.testing.ApiEvents.load;
import static app.tally.testing.ApiEvents.problem;
import static app.tally.testing.ApiEvents.withQuery;
import static org.junit.jupiter.api.Assertions.assertEquals;

import app.tally.aws.Env;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Requests RatesFunction must refuse before it asks any source or the cache (closed ports in these tests). */
class RatesHandlerTest {
    private static final Map<String, String> ENV = Map.of("TABLE_NAME", "t", "RATES_ECB_URL", "http://127.0.0.1:9/ecb",
            "RATES_FRANKFURTER_URL", "http://127.0.0.1:9/frankfurter",
            "RATES_CURRENCY_API_URLS", "http://127.0.0.1:9/currency-api");
    private final RatesHandler handler = new RatesHandler(Env.of(ENV));

    @Test
    void requestWithoutClaimsIsUnauthorized() throws Exception {
        APIGatewayV2HTTPEvent event = load("get-rates");
        event.getRequestContext().setAuthorizer(null);
        problem(handler, 401, event);
    }

    @Test
    void aBaseIsRequiredAndMustBeACurrency() throws Exception {
        assertEquals("base is required: an ISO 4217 code such as CNY.",
                problem(handler, 400, withQuery("get-rates", Map.of())).get("detail").asText());
        problem(handler, 400, withQuery("get-rates", Map.of("base", "yuan")));
    }

    @Test
    void aDayBeforeTheSourcesOrAfterTodayIsABadRequest() throws Exception {
        Map<String, String> query = new HashMap<>(Map.of("base", "CNY"));
        for (String date : new String[] {"1998-12-31", "2999-01-01", "2026-02-30"}) {
            query.put("date", date);
            problem(handler, 400, withQuery("get-rates", query));
        }
    }
}
