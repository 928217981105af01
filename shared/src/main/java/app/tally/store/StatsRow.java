package app.tally.store;

import java.time.YearMonth;
import java.util.Map;

/** The exact totals of one month, type and category: per currency, the sum in minor units and the count. */
public record StatsRow(YearMonth month, String type, String category, Map<String, Long> sums, Map<String, Long> counts) {
    public boolean isEmpty() {
        return counts.values().stream().allMatch(c -> c == 0);
    }
}
