package app.tally.services.rates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.model.DayRates;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Combining answers: the median of those that agree; a far-off answer reported and ignored; failures listed. */
class RateCombinerTest {
    private static final LocalDate DAY = LocalDate.parse("2026-11-24");
    private static final Instant NOW = Instant.parse("2026-11-24T17:00:00Z");

    private static SourceResult quote(String source, String usd) {
        return SourceResult.answered(new Quote(source, DAY, "CNY", Map.of("USD", new BigDecimal(usd))));
    }

    @Test
    void threeAgreeingAnswersGiveTheirMedianAndNameEverySource() {
        DayRates day = RateCombiner.combine("CNY", DAY, List.of(quote("ecb", "0.1382"), quote("frankfurter", "0.1383"),
                quote("currency-api", "0.13825")), NOW);
        assertEquals(new BigDecimal("0.13825"), day.rates().get("USD").value());
        assertEquals(List.of("ecb", "frankfurter", "currency-api"), day.rates().get("USD").sources());
        assertTrue(day.complete());
        assertEquals(List.of(), day.outliers());
    }

    @Test
    void anAnswerMoreThanOnePercentOffIsReportedAndLeftOut() {
        DayRates day = RateCombiner.combine("CNY", DAY, List.of(quote("ecb", "0.1382"), quote("frankfurter", "0.1384"),
                quote("currency-api", "0.1500")), NOW);
        assertEquals(new BigDecimal("0.1383"), day.rates().get("USD").value());
        assertEquals(List.of("ecb", "frankfurter"), day.rates().get("USD").sources());
        assertEquals(List.of(new DayRates.Outlier("currency-api", "USD", new BigDecimal("0.1500"))), day.outliers());
    }

    @Test
    void anAnswerJustInsideOnePercentStillAgrees() {
        DayRates day = RateCombiner.combine("CNY", DAY, List.of(quote("ecb", "1.000"), quote("frankfurter", "1.000"),
                quote("currency-api", "1.010")), NOW);
        assertEquals(List.of(), day.outliers());
        assertEquals(3, day.rates().get("USD").sources().size());
    }

    @Test
    void twoAnswersGiveTheirMedianToTenDigits() {
        DayRates day = RateCombiner.combine("CNY", DAY, List.of(quote("ecb", "0.1"), quote("frankfurter", "0.2")), NOW);
        assertEquals(new BigDecimal("0.15"), day.rates().get("USD").value());
        assertEquals(new BigDecimal("0.3333333333"), RateCombiner.median(List.of(new BigDecimal("0.3333333333"),
                new BigDecimal("0.33333333334"))));
    }

    @Test
    void failedSourcesAreListedAndTheDayIsNotComplete() {
        DayRates day = RateCombiner.combine("CNY", DAY, List.of(quote("ecb", "0.1382"),
                SourceResult.failed("frankfurter", "timeout"), SourceResult.notAsked("currency-api")), NOW);
        assertEquals(Map.of("frankfurter", "timeout"), day.failedSources());
        assertFalse(day.complete());
        assertEquals(List.of("ecb"), day.rates().get("USD").sources());
    }

    @Test
    void aCurrencyOnlyOneSourceHasIsKeptWithThatSource() {
        SourceResult wide = SourceResult.answered(new Quote("currency-api", DAY, "CNY",
                Map.of("USD", new BigDecimal("0.1382"), "MNT", new BigDecimal("478.1"))));
        DayRates day = RateCombiner.combine("CNY", DAY, List.of(quote("ecb", "0.1382"), wide), NOW);
        assertEquals(List.of("currency-api"), day.rates().get("MNT").sources());
        assertEquals(DAY, day.asOf());
    }
}
