package app.tally.services.rates;

import app.tally.model.DayRates;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Combines the sources' answers for one base and day, currency by currency: the median of the answers, after leaving
 * out any answer more than 1% off the median of all of them. It takes three answers to call one of them off: two that
 * disagree give their median, and both stay named.
 */
public final class RateCombiner {
    /** How far (relative to the median) an answer may lie and still count as agreeing. */
    static final BigDecimal TOLERANCE = new BigDecimal("0.01");

    private RateCombiner() {
    }

    public static DayRates combine(String base, LocalDate date, List<SourceResult> results, Instant fetchedAt) {
        Map<String, String> failed = new TreeMap<>();
        List<Quote> quotes = new ArrayList<>();
        for (SourceResult result : results) {
            if (result.quote() != null) {
                quotes.add(result.quote());
            } else if (result.failure() != null) {
                failed.put(result.source(), result.failure());
            }
        }
        TreeSet<String> currencies = new TreeSet<>();
        quotes.forEach(q -> currencies.addAll(q.rates().keySet()));
        currencies.remove(base);
        Map<String, DayRates.Rate> rates = new TreeMap<>();
        List<DayRates.Outlier> outliers = new ArrayList<>();
        for (String currency : currencies) {
            List<Quote> answering = quotes.stream().filter(q -> q.rates().containsKey(currency)).toList();
            List<Quote> agreeing = answering;
            if (answering.size() >= 3) {
                BigDecimal median = median(answering.stream().map(q -> q.rates().get(currency)).toList());
                agreeing = new ArrayList<>();
                for (Quote quote : answering) {
                    BigDecimal value = quote.rates().get(currency);
                    if (value.subtract(median).abs().compareTo(median.multiply(TOLERANCE)) > 0) {
                        outliers.add(new DayRates.Outlier(quote.source(), currency, value));
                    } else {
                        agreeing.add(quote);
                    }
                }
            }
            rates.put(currency, new DayRates.Rate(median(agreeing.stream().map(q -> q.rates().get(currency)).toList()),
                    agreeing.stream().map(Quote::source).toList()));
        }
        LocalDate asOf = quotes.stream().map(Quote::date).max(Comparator.naturalOrder()).orElse(null);
        return new DayRates(base, date, asOf, rates, failed, outliers, fetchedAt);
    }

    /** The middle value, or the mean of the two middle ones, to {@link Quote#PRECISION}. */
    static BigDecimal median(List<BigDecimal> values) {
        List<BigDecimal> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        if (sorted.size() % 2 == 1) {
            return sorted.get(middle).round(Quote.PRECISION);
        }
        return sorted.get(middle - 1).add(sorted.get(middle)).divide(BigDecimal.TWO, Quote.PRECISION);
    }
}
