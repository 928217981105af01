package app.tally.services.rates;

import java.net.URI;
import java.time.LocalDate;
import java.util.List;

/**
 * One public source of exchange rates: where to ask for a day's rates, and how to read the answer. The HTTP calls,
 * their timeouts and retries are {@link RateFetcher}'s, the same for every source.
 */
public interface RateSource {
    /** The name answers and logs use: "ecb", "frankfurter", "currency-api". */
    String name();

    /**
     * The addresses that serve {@code date}'s rates for {@code base}, in the order to try them (a retry moves to the
     * next, so a mirror is the retry's address); empty when this source has no data for that day (e.g. ECB's 90-day
     * history ends).
     */
    List<URI> addresses(String base, LocalDate date, LocalDate today);

    /**
     * The rates in {@code body} for {@code date} (the source's latest day on or before it); a body that is not this
     * source's shape, or has no day on or before {@code date}, is a {@link MalformedRatesException}.
     */
    Quote read(String body, String base, LocalDate date);
}
