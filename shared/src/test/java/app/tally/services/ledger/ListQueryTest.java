package app.tally.services.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import app.tally.http.ApiRequest;
import app.tally.services.Refusal;
import app.tally.testing.ApiEvents;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ListQueryTest {
    private static ListQuery query(Map<String, String> parameters) {
        APIGatewayV2HTTPEvent event = ApiEvents.load("list-transactions");
        event.setQueryStringParameters(parameters);
        return ListQuery.from(ApiRequest.from(event));
    }

    @Test
    void theWholeRangeOfBookingDatesIsAllowed() {
        ListQuery query = query(Map.of("from", "1900-01-01", "to", "2999-12-31"));
        assertEquals(LocalDate.of(1900, 1, 1), query.from());
        assertEquals(LocalDate.of(2999, 12, 31), query.to());
    }

    /** A year such as +10000 made a month key that sorts before "1900": DynamoDB refused the reversed range (a 500). */
    @ParameterizedTest
    @ValueSource(strings = {"+10000-01-01", "9999-12-31", "3000-01-01", "1899-12-31", "-0001-01-01", "0000-01-01"})
    void datesNoTransactionCanHaveAreA400(String date) {
        for (String name : new String[] {"from", "to"}) {
            Refusal problem = assertThrows(Refusal.class, () -> query(Map.of(name, date)));
            assertEquals(Refusal.Reason.MALFORMED, problem.reason(), name + "=" + date);
        }
    }
}
