package app.tally.model;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The combined rates of one base and day: what the cache keeps and {@code GET /rates} answers from.
 *
 * @param date          the day asked for
 * @param asOf          the newest day the sources' data is for (before {@code date} on a weekend or holiday)
 * @param rates         units of each currency per unit of {@code base}, with the sources that agreed on it
 * @param failedSources each source that was asked and failed, with why
 * @param outliers      answers more than 1% off the others' median, left out of the rate
 * @param fetchedAt     when the sources were asked
 */
public record DayRates(String base, LocalDate date, LocalDate asOf, Map<String, Rate> rates,
                       Map<String, String> failedSources, List<Outlier> outliers, Instant fetchedAt) {
    public DayRates {
        rates = Map.copyOf(rates);
        failedSources = Map.copyOf(failedSources);
        outliers = List.copyOf(outliers);
    }

    /** A currency's rate and the sources whose answers made it. */
    public record Rate(BigDecimal value, List<String> sources) {
        public Rate {
            sources = List.copyOf(sources);
        }
    }

    /** One source's answer for one currency that disagreed with the others and was ignored. */
    public record Outlier(String source, String currency, BigDecimal value) {
    }

    /** Every source that was asked answered: such a day is never replaced by a partial one. */
    public boolean complete() {
        return failedSources.isEmpty();
    }
}
