package app.tally.store;

import java.math.BigInteger;
import java.time.YearMonth;
import java.util.Map;

/**
 * The exact totals of one month, type and category: per currency, the sum in minor units and the count. A sum is
 * what DynamoDB's ADD made of every amount written, up to 38 digits: beyond any {@code long}, so never held in one.
 */
public record StatsRow(YearMonth month, String type, String category, Map<String, BigInteger> sums,
                       Map<String, Long> counts) {
    public boolean isEmpty() {
        return counts.values().stream().allMatch(c -> c == 0);
    }
}
