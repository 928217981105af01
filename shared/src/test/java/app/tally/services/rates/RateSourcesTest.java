package app.tally.services.rates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each adapter reads its source's real shape exactly, crosses to the asked base, and refuses what is not rates. */
class RateSourcesTest {
    private static final LocalDate TODAY = LocalDate.parse("2026-11-25");
    private static final String ECB_HISTORY = """
            <?xml version="1.0" encoding="UTF-8"?>
            <gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
              <gesmes:subject>Reference rates</gesmes:subject>
              <gesmes:Sender><gesmes:name>European Central Bank</gesmes:name></gesmes:Sender>
              <Cube>
                <Cube time="2026-11-24">
                  <Cube currency="USD" rate="1.0412"/><Cube currency="JPY" rate="160.35"/><Cube currency="CNY" rate="7.5312"/>
                </Cube>
                <Cube time="2026-11-20">
                  <Cube currency="USD" rate="1.0500"/><Cube currency="JPY" rate="161.00"/><Cube currency="CNY" rate="7.6000"/>
                </Cube>
              </Cube>
            </gesmes:Envelope>
            """;

    private final EcbSource ecb = new EcbSource("http://rates.test/ecb");
    private final FrankfurterSource frankfurter = new FrankfurterSource("http://rates.test/frankfurter");
    private final CurrencyApiSource currencyApi = new CurrencyApiSource(List.of(
            "http://cdn.test/currency-api@{date}/v1/currencies/{base}.json",
            "http://{date}.mirror.test/v1/currencies/{base}.json"));

    @Test
    void ecbReadsTheLatestDayOnOrBeforeTheDateAskedForAndKeepsEurBasedRatesExact() {
        Quote quote = ecb.read(ECB_HISTORY, "EUR", LocalDate.parse("2026-11-23"));
        assertEquals(LocalDate.parse("2026-11-20"), quote.date());
        assertEquals(new BigDecimal("1.0500"), quote.rates().get("USD"));
        assertEquals(BigDecimal.ONE, quote.rates().get("EUR"));
    }

    @Test
    void ecbCrossesToAnotherBaseToTenSignificantDigits() {
        Quote quote = ecb.read(ECB_HISTORY, "CNY", LocalDate.parse("2026-11-24"));
        assertEquals("CNY", quote.base());
        assertEquals(new BigDecimal("0.1382515403"), quote.rates().get("USD")); // 1.0412 / 7.5312
        assertEquals(new BigDecimal("21.29142766"), quote.rates().get("JPY")); // 160.35 / 7.5312
        assertEquals(new BigDecimal("0.1327809645"), quote.rates().get("EUR")); // 1 / 7.5312
        assertFalse(quote.rates().containsKey("CNY"));
    }

    @Test
    void ecbAsksTheDailyFileForTodayTheHistoryBeforeAndNothingPastNinetyDays() {
        assertEquals(List.of(URI.create("http://rates.test/ecb/eurofxref-daily.xml")), ecb.addresses("CNY", TODAY, TODAY));
        assertEquals(List.of(URI.create("http://rates.test/ecb/eurofxref-hist-90d.xml")),
                ecb.addresses("CNY", TODAY.minusDays(3), TODAY));
        assertEquals(List.of(), ecb.addresses("CNY", TODAY.minusDays(120), TODAY));
    }

    @Test
    void ecbRefusesAFileThatIsNotRatesOrHasNoDayInReach() {
        assertThrows(MalformedRatesException.class, () -> ecb.read("<html>maintenance</html>", "EUR", TODAY));
        assertThrows(MalformedRatesException.class, () -> ecb.read("{\"rates\":{}}", "EUR", TODAY));
        assertThrows(MalformedRatesException.class, () -> ecb.read(ECB_HISTORY, "EUR", LocalDate.parse("2026-11-19")));
        assertThrows(MalformedRatesException.class, () -> ecb.read(ECB_HISTORY.replace("1.0412", "-1"), "EUR",
                LocalDate.parse("2026-11-24")));
        assertThrows(MalformedRatesException.class, () -> ecb.read(ECB_HISTORY, "XAU", LocalDate.parse("2026-11-24")));
        // a day more than five days before the one asked for is the wrong date
        assertThrows(MalformedRatesException.class, () -> ecb.read(ECB_HISTORY, "EUR", LocalDate.parse("2026-12-01")));
    }

    @Test
    void frankfurterReadsDecimalsAsWrittenAndCrossesFromEur() {
        String body = "{\"amount\":1.0,\"base\":\"EUR\",\"date\":\"2026-11-24\",\"rates\":{\"USD\":1.0412,\"JPY\":160.35,"
                + "\"CNY\":7.5312}}";
        Quote eur = frankfurter.read(body, "EUR", LocalDate.parse("2026-11-24"));
        assertEquals(new BigDecimal("1.0412"), eur.rates().get("USD"));
        Quote cny = frankfurter.read(body, "CNY", LocalDate.parse("2026-11-25"));
        assertEquals(LocalDate.parse("2026-11-24"), cny.date());
        assertEquals(new BigDecimal("0.1382515403"), cny.rates().get("USD"));
        assertEquals(List.of(URI.create("http://rates.test/frankfurter/v1/latest")), frankfurter.addresses("CNY", TODAY, TODAY));
        assertEquals(List.of(URI.create("http://rates.test/frankfurter/v1/2026-11-24")),
                frankfurter.addresses("CNY", TODAY.minusDays(1), TODAY));
    }

    @Test
    void frankfurterRefusesAnotherShapeAStringRateAndALaterDate() {
        LocalDate day = LocalDate.parse("2026-11-24");
        assertThrows(MalformedRatesException.class, () -> frankfurter.read("[1,2]", "EUR", day));
        assertThrows(MalformedRatesException.class, () -> frankfurter.read("{\"base\":\"EUR\",\"date\":\"2026-11-24\","
                + "\"rates\":{\"USD\":\"1.04\"}}", "EUR", day));
        assertThrows(MalformedRatesException.class, () -> frankfurter.read("{\"base\":\"EUR\",\"date\":\"2026-11-25\","
                + "\"rates\":{\"USD\":1.04}}", "EUR", day));
        assertThrows(MalformedRatesException.class, () -> frankfurter.read("{\"base\":\"EUR\",\"date\":\"2026-11-24\","
                + "\"rates\":{\"USD\":1.04", "EUR", day));
    }

    @Test
    void currencyApiReadsItsLowerCaseTableKeepsIsoCodesAndSkipsTokens() {
        String body = "{\"date\":\"2026-11-24\",\"cny\":{\"usd\":0.13825154,\"jpy\":21.291427,\"btc\":0.0000014,"
                + "\"1inch\":0.55,\"eur\":0.13278096}}";
        Quote quote = currencyApi.read(body, "CNY", LocalDate.parse("2026-11-24"));
        assertEquals(new BigDecimal("0.13825154"), quote.rates().get("USD"));
        assertEquals(new BigDecimal("0.13278096"), quote.rates().get("EUR"));
        assertFalse(quote.rates().containsKey("BTC"));
        assertTrue(quote.rates().keySet().stream().allMatch(code -> code.length() == 3));
    }

    @Test
    void currencyApiTriesThePrimaryThenTheMirrorAndSaysLatestForToday() {
        assertEquals(List.of(URI.create("http://cdn.test/currency-api@2026-11-24/v1/currencies/cny.json"),
                        URI.create("http://2026-11-24.mirror.test/v1/currencies/cny.json")),
                currencyApi.addresses("CNY", LocalDate.parse("2026-11-24"), TODAY));
        assertEquals(URI.create("http://cdn.test/currency-api@latest/v1/currencies/cny.json"),
                currencyApi.addresses("CNY", TODAY, TODAY).get(0));
    }

    @Test
    void currencyApiRefusesAnAnswerForAnotherBase() {
        assertThrows(MalformedRatesException.class, () -> currencyApi.read("{\"date\":\"2026-11-24\",\"usd\":{\"eur\":0.9}}",
                "CNY", LocalDate.parse("2026-11-24")));
    }
}
