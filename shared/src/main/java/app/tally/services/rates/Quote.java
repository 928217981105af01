package app.tally.services.rates;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one source said: how many units of each currency one unit of {@code base} buys, on {@code date} (the day the
 * source's data is for, which may be before the day asked for: no rates are published on weekends and holidays).
 */
public record Quote(String source, LocalDate date, String base, Map<String, BigDecimal> rates) {
    /**
     * Cross rates and medians are computed to 10 significant digits, half-even: more than any source publishes (ECB
     * gives 4-6), so a cross rate carries no rounding of its own that a reader could see in a converted amount.
     */
    public static final MathContext PRECISION = new MathContext(10, RoundingMode.HALF_EVEN);

    public Quote {
        rates = Map.copyOf(rates);
    }

    /**
     * The same day's rates re-based on {@code newBase}: {@code rate(newBase→c) = rate(pivot→c) / rate(pivot→newBase)}.
     * Null when the source has no rate for {@code newBase}.
     */
    public Quote rebased(String newBase) {
        if (newBase.equals(base)) {
            return this;
        }
        BigDecimal divisor = rates.get(newBase);
        if (divisor == null) {
            return null;
        }
        Map<String, BigDecimal> crossed = new TreeMap<>();
        crossed.put(base, BigDecimal.ONE.divide(divisor, PRECISION));
        rates.forEach((currency, rate) -> {
            if (!currency.equals(newBase)) {
                crossed.put(currency, rate.divide(divisor, PRECISION));
            }
        });
        return new Quote(source, date, newBase, crossed);
    }
}
