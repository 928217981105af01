package app.tally.it;

import static app.tally.it.LocalApi.get;
import static app.tally.it.LocalApi.newUser;
import static app.tally.it.LocalApi.post;
import static app.tally.it.TransactionsIT.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.it.LocalApi.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The dashboard on the local stack equals a recount from the raw transactions. */
class DashboardIT {

    private static JsonNode dashboard(String user, String query) {
        Reply reply = get("/dashboard?" + query, user);
        assertEquals(200, reply.status(), reply.toString());
        return reply.json();
    }

    private static void create(String user, String amount, String currency, String type, String category, String date) {
        Reply reply = post("/transactions", user, TransactionsIT.body(amount, currency, type, category, date));
        assertEquals(201, reply.status(), reply.toString());
    }

    /** month → currency → {income, expense, count} from every stored transaction, via the list API. */
    private static Map<String, Map<String, BigDecimal[]>> recount(String user) {
        Map<String, Map<String, BigDecimal[]>> totals = new TreeMap<>();
        for (JsonNode tx : TransactionsIT.walk(user, "/transactions?limit=200")) {
            BigDecimal[] t = totals.computeIfAbsent(tx.get("date").asText().substring(0, 7), m -> new TreeMap<>())
                    .computeIfAbsent(tx.get("currency").asText(), c -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO});
            BigDecimal amount = new BigDecimal(tx.get("amount").asText());
            t[tx.get("type").asText().equals("income") ? 0 : 1] = t[tx.get("type").asText().equals("income") ? 0 : 1].add(amount);
            t[2] = t[2].add(BigDecimal.ONE);
        }
        return totals;
    }

    @Test
    void dashboardEqualsARecountAfterARandomWorkload() {
        String user = newUser("dash");
        Random random = new Random(11);
        String[] currencies = {"CNY", "USD"};
        for (int i = 0; i < 80; i++) {
            String currency = currencies[random.nextInt(2)];
            create(user, (1 + random.nextInt(300)) + "." + (10 + random.nextInt(90)), currency,
                    random.nextInt(3) == 0 ? "income" : "expense", "cat" + random.nextInt(5),
                    "2026-" + String.format("%02d", 5 + random.nextInt(7)) + "-" + String.format("%02d", 1 + random.nextInt(28)));
        }
        List<JsonNode> all = TransactionsIT.walk(user, "/transactions?limit=200");
        for (int i = 0; i < 10; i++) {
            String id = all.get(random.nextInt(all.size())).get("id").asText();
            LocalApi.patch("/transactions/" + id, user, "{\"amount\":\"" + (1 + random.nextInt(50)) + ".00\",\"date\":\"2026-0"
                    + (5 + random.nextInt(4)) + "-15\"}");
        }
        for (int i = 0; i < 5; i++) {
            LocalApi.delete("/transactions/" + all.get(i * 7).get("id").asText(), user);
        }
        Map<String, Map<String, BigDecimal[]>> expected = recount(user);
        JsonNode dashboard = dashboard(user, "month=2026-11&months=6");

        assertEquals(6, dashboard.get("trend").size());
        for (JsonNode point : dashboard.get("trend")) {
            String month = point.get("month").asText();
            for (JsonNode totals : point.get("totals")) {
                BigDecimal[] e = expected.getOrDefault(month, Map.of()).getOrDefault(totals.get("currency").asText(),
                        new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO});
                assertEquals(0, e[0].compareTo(new BigDecimal(totals.get("income").asText())), month + " income");
                assertEquals(0, e[1].compareTo(new BigDecimal(totals.get("expense").asText())), month + " expense");
                assertEquals(0, e[0].subtract(e[1]).compareTo(new BigDecimal(totals.get("net").asText())), month + " net");
                assertEquals(e[2].intValue(), totals.get("count").asInt(), month + " count");
            }
        }
        assertEquals(List.of("2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"),
                IntStream.range(0, 6).mapToObj(i -> dashboard.get("trend").get(i).get("month").asText()).toList());

        // The month's categories add up to its totals, largest first within a type and currency.
        JsonNode month = dashboard.get("month");
        for (JsonNode totals : month.get("totals")) {
            String currency = totals.get("currency").asText();
            BigDecimal expense = BigDecimal.ZERO;
            BigDecimal previous = null;
            for (JsonNode line : month.get("byCategory")) {
                if (line.get("currency").asText().equals(currency) && line.get("type").asText().equals("expense")) {
                    BigDecimal amount = new BigDecimal(line.get("amount").asText());
                    assertTrue(previous == null || previous.compareTo(amount) >= 0, "sorted by amount");
                    previous = amount;
                    expense = expense.add(amount);
                }
            }
            assertEquals(0, expense.compareTo(new BigDecimal(totals.get("expense").asText())));
        }

        // Recent: the ten newest up to the end of the month, across month boundaries.
        List<JsonNode> newest = new ArrayList<>(TransactionsIT.walk(user, "/transactions?to=2026-11-30&limit=10"));
        newest.sort(Comparator.comparing((JsonNode t) -> t.get("date").asText() + t.get("id").asText()).reversed());
        List<String> expectedRecent = newest.stream().limit(10).map(t -> t.get("id").asText()).toList();
        List<String> recent = new ArrayList<>();
        dashboard.get("recent").forEach(t -> recent.add(t.get("id").asText()));
        assertEquals(expectedRecent, recent);
    }

    @Test
    void anEmptyUserSeesZerosInTheProfileCurrency() {
        String user = newUser("empty");
        JsonNode dashboard = dashboard(user, "month=2026-03&months=2");
        assertEquals("CNY", dashboard.get("profile").get("currency").asText());
        assertEquals(0, dashboard.get("month").get("totals").size());
        assertEquals(0, dashboard.get("recent").size());
        assertEquals(2, dashboard.get("trend").size());
        assertEquals("0.00", dashboard.get("trend").get(1).get("totals").get(0).get("expense").asText());
        assertTrue(LocalApi.itemsWithPrefix("U#" + user).isEmpty(), "the read-only dashboard writes nothing");
    }

    @Test
    void trendSpansTheYearBoundaryAndRecentCrossesMonths() {
        String user = newUser("boundary");
        create(user, "1.00", "CNY", "expense", "a", "2026-01-02");
        for (int i = 1; i <= 12; i++) {
            create(user, i + ".00", "CNY", "expense", "b", "2025-12-" + String.format("%02d", i));
        }
        create(user, "500", "JPY", "income", "c", "2025-11-30");
        JsonNode dashboard = dashboard(user, "month=2026-01&months=3");
        assertEquals(List.of("2025-11", "2025-12", "2026-01"),
                IntStream.range(0, 3).mapToObj(i -> dashboard.get("trend").get(i).get("month").asText()).toList());
        JsonNode december = dashboard.get("trend").get(1).get("totals");
        assertEquals(2, december.size(), "CNY and JPY listed separately");
        assertEquals("78.00", december.get(0).get("expense").asText());
        assertEquals("0", december.get(1).get("expense").asText());
        assertEquals("500", dashboard.get("trend").get(0).get("totals").get(1).get("income").asText());
        JsonNode recent = dashboard.get("recent");
        assertEquals(10, recent.size());
        assertEquals("2026-01-02", recent.get(0).get("date").asText());
        assertEquals("2025-12-12", recent.get(1).get("date").asText());
        assertEquals("-77.00", dashboard.get("month").get("change").get("totals").get(0).get("expense").asText());

        JsonNode march = dashboard(user, "month=2026-03&months=6");
        assertEquals(0, march.get("month").get("totals").size());
        assertEquals(10, march.get("recent").size(), "older months fill recent when the month and the one before are empty");
    }

    @Test
    void badParametersAreProblems() {
        String user = newUser("dash-bad");
        for (String query : List.of("month=2026-13", "months=0", "months=1000", "month=abc", "months=x", "month=2026-1")) {
            assertProblem(400, get("/dashboard?" + query, user));
        }
    }

    @Test
    void timingsNameEveryReadWithItsSpan() {
        JsonNode dashboard = dashboard(newUser("timings"), "month=2026-11&months=6&debug=timings");
        JsonNode reads = dashboard.get("reads");
        assertTrue(reads.has("profile") && reads.has("stats")
                && reads.has("recent 2026-11") && reads.has("recent 2026-10"), reads.toString());
        reads.forEach(span -> assertTrue(span.get("startMicros").asLong() >= 0
                && span.get("endMicros").asLong() > span.get("startMicros").asLong(), reads.toString()));
    }
}
