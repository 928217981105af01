package app.tally.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.it.LocalApi.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpRequest;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * GET /rates, and the dashboard's converted totals, against the stack's rates emulator (ECB, Frankfurter and currency-api in their real shapes), with one
 * source's fault at a time set through {@code /_local/rates}. Each test asks for a base and day no other test asks
 * for, so the caches of one do not answer another.
 */
class RatesIT {
    private static final String USER = LocalApi.newUser("rates");
    private static final List<String> SOURCES = List.of("currency-api", "ecb", "frankfurter");
    /** Working days before today, newest first, all inside ECB's 90-day file. */
    private static final List<LocalDate> DAYS = workingDays();

    @BeforeEach
    @AfterEach
    void healthySources() {
        control("DELETE", "");
    }

    @Test
    void eachSourceAloneAnswersWithItsOwnRatesAndTheOthersListedAsFailed() {
        for (int i = 0; i < SOURCES.size(); i++) {
            String alone = SOURCES.get(i);
            control("DELETE", "");
            SOURCES.stream().filter(s -> !s.equals(alone)).forEach(s -> control("POST", "source=" + s + "&fault=500"));
            JsonNode body = rates("base=CNY&symbols=USD,JPY,MNT&date=" + DAYS.get(i));
            assertEquals(List.of(alone), sources(body, "USD"), alone + ": " + body);
            assertEquals(List.of(alone), sources(body, "JPY"), alone + ": " + body);
            Set<String> failed = failed(body).keySet();
            assertEquals(new TreeSet<>(SOURCES.stream().filter(s -> !s.equals(alone)).toList()), failed, body.toString());
            failed(body).values().forEach(reason -> assertEquals("HTTP 500", reason));
            // ECB and Frankfurter publish no MNT; currency-api does.
            assertEquals(alone.equals("currency-api") ? List.of() : List.of("MNT"), strings(body.path("missing")), alone);
            assertFalse(body.path("stale").asBoolean());
            // A 5xx is retried once; the source that answered was asked once.
            JsonNode counts = control("GET", "").path("sources");
            SOURCES.forEach(s -> assertEquals(s.equals(alone) ? 1 : 2, counts.path(s).path("requests").asInt(), s));
        }
    }

    @Test
    void threeAgreeingSourcesGiveOneExactRateNamedByAllThree() {
        JsonNode body = rates("base=USD&symbols=CNY,JPY,EUR&date=" + DAYS.get(3));
        for (String currency : List.of("CNY", "JPY", "EUR")) {
            assertEquals(SOURCES, sources(body, currency).stream().sorted().toList(), body.toString());
            assertTrue(body.path("rates").path(currency).path("rate").textValue().matches("[0-9]+\\.[0-9]+"), body.toString());
        }
        assertEquals(DAYS.get(3).toString(), body.path("asOf").asText());
        assertTrue(failed(body).isEmpty(), body.toString());
        assertEquals(0, body.path("outliers").size(), body.toString());
        assertEquals(3, control("GET", "").path("requests").asInt());
    }

    @Test
    void aHangingSourceIsCutOffWithinTheBudgetAndTheOthersAnswer() {
        control("POST", "source=currency-api&fault=hang");
        long started = System.nanoTime();
        JsonNode body = rates("base=CNY&symbols=USD,EUR&date=" + DAYS.get(4));
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(millis < 1_500 + 500, "answered in " + millis + " ms");
        assertEquals(Map.of("currency-api", "timeout"), failed(body));
        assertEquals(List.of("ecb", "frankfurter"), sources(body, "USD").stream().sorted().toList());
        // The attempt timed out at 800 ms; its retry went to the mirror.
        JsonNode status = control("GET", "");
        assertEquals(2, status.path("sources").path("currency-api").path("requests").asInt(), status.toString());
        assertEquals(1, status.path("mirrorRequests").asInt(), status.toString());
    }

    @Test
    void aMalformedOrWrongDayAnswerFailsOnlyItsSourceAndIsNotRetried() {
        control("POST", "source=frankfurter&fault=malformed");
        JsonNode body = rates("base=CNY&symbols=USD&date=" + DAYS.get(5));
        assertTrue(failed(body).get("frankfurter").startsWith("malformed"), body.toString());
        assertEquals(List.of("currency-api", "ecb"), sources(body, "USD").stream().sorted().toList());
        assertEquals(1, control("GET", "").path("sources").path("frankfurter").path("requests").asInt());

        control("DELETE", "");
        control("POST", "source=ecb&fault=wrong-date");
        body = rates("base=CNY&symbols=USD&date=" + DAYS.get(6));
        assertTrue(failed(body).get("ecb").startsWith("malformed"), body.toString());
        assertEquals(List.of("currency-api", "frankfurter"), sources(body, "USD").stream().sorted().toList());
    }

    @Test
    void aSourceMoreThanOnePercentOffIsReportedAndLeftOut() {
        control("POST", "source=currency-api&fault=disagree");
        JsonNode body = rates("base=EUR&symbols=USD,JPY&date=" + DAYS.get(7));
        assertEquals(List.of("ecb", "frankfurter"), sources(body, "USD").stream().sorted().toList());
        Set<String> outliers = new TreeSet<>();
        body.path("outliers").forEach(o -> outliers.add(o.path("source").asText() + " " + o.path("currency").asText()));
        assertEquals(Set.of("currency-api USD", "currency-api JPY"), outliers);
        assertTrue(failed(body).isEmpty());
    }

    @Test
    void everySourceDownAnswersTheLastCachedDayMarkedStale() {
        JsonNode fresh = rates("base=JPY&symbols=USD,CNY&date=" + DAYS.get(9));
        SOURCES.forEach(s -> control("POST", "source=" + s + "&fault=500"));
        JsonNode body = rates("base=JPY&symbols=USD,CNY&date=" + DAYS.get(8));
        assertTrue(body.path("stale").asBoolean(), body.toString());
        assertEquals(DAYS.get(9).toString(), body.path("staleDate").asText());
        assertEquals(fresh.path("rates"), body.path("rates"));
        assertEquals(new TreeSet<>(SOURCES), failed(body).keySet());
    }

    @Test
    void everySourceDownWithNothingCachedListsEveryCurrencyMissing() {
        SOURCES.forEach(s -> control("POST", "source=" + s + "&fault=429"));
        JsonNode body = rates("base=GBP&symbols=USD,EUR&date=" + DAYS.get(10));
        assertEquals(0, body.path("rates").size(), body.toString());
        assertEquals(List.of("USD", "EUR"), strings(body.path("missing")));
        assertFalse(body.path("stale").asBoolean());
        failed(body).values().forEach(reason -> assertEquals("HTTP 429", reason));
        // 429 is not retried: one request each.
        assertEquals(3, control("GET", "").path("requests").asInt());
    }

    @Test
    void aCachedDayAnswersWithoutAnyOutboundCall() {
        String query = "base=CHF&symbols=USD,EUR,JPY&date=" + DAYS.get(11);
        JsonNode first = rates(query);
        control("DELETE", "");
        JsonNode again = rates(query);
        assertEquals(first.path("rates"), again.path("rates"));
        assertEquals(0, control("GET", "").path("requests").asInt());
    }

    @Test
    void theScheduledPrefetchStoresTodaysRatesSoThatRequestsFindThem() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Map<String, AttributeValue> key = Map.of("PK", AttributeValue.fromS("RATES#EUR"),
                "SK", AttributeValue.fromS("D#" + today));
        assertFalse(LocalApi.AWS.dynamoDb().getItem(g -> g.tableName(LocalApi.TABLE).key(key)).join().hasItem());
        Reply run = LocalApi.send(HttpRequest.newBuilder(LocalApi.API.resolve("/_local/schedule?function=RatesPrefetchFunction"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, run.status(), run.toString());
        assertTrue(run.json().path("EUR").path("currencies").asInt() > 30, run.toString());
        assertTrue(LocalApi.AWS.dynamoDb().getItem(g -> g.tableName(LocalApi.TABLE).key(key)).join().hasItem());
        control("DELETE", "");
        JsonNode body = rates("base=EUR&symbols=USD,CNY");
        assertEquals(today.toString(), body.path("date").asText());
        assertEquals(2, body.path("rates").size(), body.toString());
        assertEquals(0, control("GET", "").path("requests").asInt());
    }

    @Test
    void parametersOutOfBoundsAreProblemsAndAskNoSource() {
        String thousand = IntStream.range(0, 1_000).mapToObj(i -> "USD").collect(Collectors.joining(","));
        LocalDate tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1);
        for (String query : List.of("base=XYZ", "symbols=USD", "base=CNY&symbols=" + thousand, "base=CNY&symbols=USD,US",
                "base=CNY&date=" + tomorrow, "base=CNY&date=1998-12-31", "base=CNY&date=2026-02-30", "base=cny")) {
            Reply reply = LocalApi.get("/rates?" + query, USER);
            assertEquals(400, reply.status(), query + ": " + reply);
            assertEquals(400, reply.json().path("status").asInt(), query);
        }
        assertEquals(0, control("GET", "").path("requests").asInt());
    }

    @Test
    void theDashboardAddsTotalsConvertedAtEachMonthsLastPublishedRate() {
        String user = LocalApi.newUser("rates-dashboard");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate lastMonth = today.withDayOfMonth(1).minusDays(1);
        for (String[] tx : new String[][] {{"100.00", "CNY", "餐饮", today.toString()}, {"10.00", "USD", "餐饮", today.toString()},
                {"1000", "JPY", "旅行", today.toString()}, {"20.00", "USD", "餐饮", lastMonth.toString()}}) {
            Reply created = LocalApi.post("/transactions", user, "{\"amount\":\"" + tx[0] + "\",\"currency\":\"" + tx[1]
                    + "\",\"type\":\"expense\",\"category\":\"" + tx[2] + "\",\"date\":\"" + tx[3] + "\"}");
            assertEquals(201, created.status(), created.toString());
        }
        Reply reply = LocalApi.get("/dashboard?months=2&convertTo=CNY", user);
        assertEquals(200, reply.status(), reply.toString());
        JsonNode converted = reply.json().path("converted");
        assertEquals("CNY", converted.path("currency").asText());
        Map<String, BigDecimal> rate = new java.util.HashMap<>();
        Map<String, String> dates = new java.util.HashMap<>();
        converted.path("rates").forEach(r -> {
            rate.put(r.path("month").asText() + " " + r.path("currency").asText(), new BigDecimal(r.path("rate").asText()));
            dates.put(r.path("month").asText() + " " + r.path("currency").asText(), r.path("date").asText());
        });
        String now = YearMonth.from(today).toString();
        String before = YearMonth.from(lastMonth).toString();
        BigDecimal expected = new BigDecimal("100.00")
                .add(new BigDecimal("10.00").divide(rate.get(now + " USD"), 6, RoundingMode.HALF_EVEN))
                .add(new BigDecimal("1000").divide(rate.get(now + " JPY"), 6, RoundingMode.HALF_EVEN))
                .setScale(2, RoundingMode.HALF_EVEN);
        assertEquals(expected.toPlainString(), converted.path("month").path("expense").asText(), converted.toString());
        // Last month at its last published rate: the last working day of that month.
        LocalDate lastWorkingDay = lastMonth;
        while (lastWorkingDay.getDayOfWeek() == DayOfWeek.SATURDAY || lastWorkingDay.getDayOfWeek() == DayOfWeek.SUNDAY) {
            lastWorkingDay = lastWorkingDay.minusDays(1);
        }
        assertEquals(lastWorkingDay.toString(), dates.get(before + " USD"), converted.toString());
        assertEquals(new BigDecimal("20.00").divide(rate.get(before + " USD"), 6, RoundingMode.HALF_EVEN)
                .setScale(2, RoundingMode.HALF_EVEN).toPlainString(), converted.path("trend").get(0).path("expense").asText());
        assertEquals(0, converted.path("unconverted").size(), converted.toString());
        // Per-currency totals stay beside the converted ones.
        assertEquals(3, reply.json().path("month").path("totals").size());
        assertEquals(400, LocalApi.get("/dashboard?convertTo=XYZ", user).status());
    }

    @Test
    void withEverySourceHangingTheDashboardAnswersWithinTheBudgetAndLeavesAmountsUnconverted() {
        String user = LocalApi.newUser("rates-dashboard-down");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Reply created = LocalApi.post("/transactions", user, "{\"amount\":\"10.00\",\"currency\":\"USD\",\"type\":\"expense\","
                + "\"category\":\"餐饮\",\"date\":\"" + today + "\"}");
        assertEquals(201, created.status(), created.toString());
        SOURCES.forEach(s -> control("POST", "source=" + s + "&fault=hang"));
        long started = System.nanoTime();
        Reply reply = LocalApi.get("/dashboard?months=3&convertTo=SEK", user);
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(200, reply.status(), reply.toString());
        assertTrue(millis < 1_500 + 1_000, "answered in " + millis + " ms");
        JsonNode converted = reply.json().path("converted");
        assertEquals("0.00", converted.path("month").path("expense").asText(), converted.toString());
        Set<String> unconverted = new TreeSet<>();
        converted.path("unconverted").forEach(u -> unconverted.add(u.path("month").asText() + " " + u.path("currency").asText()));
        assertTrue(unconverted.contains(YearMonth.from(today) + " USD"), converted.toString());
        assertEquals("10.00", reply.json().path("month").path("totals").get(0).path("expense").asText());
    }

    private static JsonNode rates(String query) {
        Reply reply = LocalApi.get("/rates?" + query, USER);
        assertEquals(200, reply.status(), query + ": " + reply);
        return reply.json();
    }

    private static JsonNode control(String method, String query) {
        Reply reply = LocalApi.send(HttpRequest.newBuilder(LocalApi.API.resolve("/_local/rates" + (query.isEmpty() ? "" : "?" + query)))
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, reply.status(), reply.toString());
        return reply.json();
    }

    private static List<String> sources(JsonNode body, String currency) {
        return strings(body.path("rates").path(currency).path("sources"));
    }

    private static Map<String, String> failed(JsonNode body) {
        Map<String, String> failed = new java.util.TreeMap<>();
        body.path("failedSources").forEach(f -> failed.put(f.path("source").asText(), f.path("reason").asText()));
        return failed;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static List<LocalDate> workingDays() {
        List<LocalDate> days = new ArrayList<>();
        for (LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(2); days.size() < 16; day = day.minusDays(1)) {
            if (day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY) {
                days.add(day);
            }
        }
        return days;
    }
}
