package app.tally.services.rates;

import app.tally.model.DayRates;
import app.tally.store.RateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A day's exchange rates for a base currency: from this container's memory, else from the table, else from every
 * source at once within {@link #BUDGET}; when every source fails, the newest stored day, marked stale. See
 * docs/rates.md.
 */
public final class Rates {
    /** The longest a request waits for the sources, all of them together, retries included. */
    public static final Duration BUDGET = Duration.ofMillis(1500);
    /**
     * ECB publishes around 16:00 CET (15:00 UTC, 14:00 in summer); today's rates fetched after this are the day's
     * last, and the scheduled prefetch runs after it.
     */
    static final LocalTime PUBLISHED_UTC = LocalTime.of(15, 0);
    /** A day whose rates may still change (today before publication, or one some source failed) is asked again after this. */
    static final Duration RECHECK_AFTER = Duration.ofMinutes(15);

    private final List<RateSource> sources;
    private final RateFetcher fetcher;
    private final RateStore store;
    private final Clock clock;
    private final Duration budget;
    private final Map<String, DayRates> memory = new ConcurrentHashMap<>();

    public Rates(List<RateSource> sources, RateFetcher fetcher, RateStore store, Clock clock) {
        this(sources, fetcher, store, clock, BUDGET);
    }

    Rates(List<RateSource> sources, RateFetcher fetcher, RateStore store, Clock clock, Duration budget) {
        this.sources = List.copyOf(sources);
        this.fetcher = fetcher;
        this.store = store;
        this.clock = clock;
        this.budget = budget;
    }

    public LocalDate today() {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC));
    }

    /**
     * What a day's rates are, and how they were found. {@code day} is empty when no source answered and nothing is
     * stored; {@code failedSources} are those that failed on this request (none on a cache hit).
     */
    public record Lookup(Optional<DayRates> day, boolean stale, Map<String, String> failedSources) {
    }

    /** Never fails because of a source: a failure is a stale or empty lookup. */
    public CompletableFuture<Lookup> lookup(String base, LocalDate date) {
        long deadline = System.nanoTime() + budget.toNanos();
        DayRates remembered = memory.get(key(base, date));
        if (remembered != null && settled(remembered)) {
            return CompletableFuture.completedFuture(new Lookup(Optional.of(remembered), false, Map.of()));
        }
        return store.find(base, date).thenCompose(stored -> {
            if (stored.isPresent() && settled(stored.get())) {
                memory.put(key(base, date), stored.get());
                return CompletableFuture.completedFuture(new Lookup(stored, false, Map.of()));
            }
            return fetch(base, date, deadline).thenCompose(fetched -> {
                if (!fetched.rates().isEmpty()) {
                    return store.save(fetched).thenApply(ignored -> {
                        memory.put(key(base, date), fetched);
                        return new Lookup(Optional.of(fetched), false, fetched.failedSources());
                    });
                }
                // Every source failed: the newest day stored, this one's older copy included, marked stale.
                return store.latestOnOrBefore(base, date).thenApply(last ->
                        new Lookup(last, last.isPresent(), fetched.failedSources()));
            });
        });
    }

    /**
     * The scheduled prefetch: asks every source for today's rates of {@code base} and stores them (unless the stored
     * day is already complete and as new), whatever the caches hold.
     */
    public CompletableFuture<DayRates> prefetch(String base) {
        LocalDate today = today();
        return fetch(base, today, System.nanoTime() + budget.toNanos()).thenCompose(fetched -> fetched.rates().isEmpty()
                ? CompletableFuture.completedFuture(fetched)
                : store.save(fetched).thenApply(ignored -> {
                    memory.put(key(base, today), fetched);
                    return fetched;
                }));
    }

    /** All sources at once; every one has ended (answered, failed or timed out) by the deadline. */
    private CompletableFuture<DayRates> fetch(String base, LocalDate date, long deadline) {
        LocalDate today = today();
        List<CompletableFuture<SourceResult>> calls = sources.stream()
                .map(source -> fetcher.fetch(source, base, date, today, deadline)
                        .completeOnTimeout(SourceResult.failed(source.name(), "timeout"),
                                Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS))
                .toList();
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).thenApply(ignored ->
                RateCombiner.combine(base, date, calls.stream().map(CompletableFuture::join).toList(), clock.instant()));
    }

    /**
     * Whether a stored day can answer without asking the sources: a complete day fetched after that day's
     * publication, for good; any other for {@link #RECHECK_AFTER} after it was fetched.
     */
    private boolean settled(DayRates day) {
        if (day.fetchedAt().plus(RECHECK_AFTER).isAfter(clock.instant())) {
            return true;
        }
        return day.complete() && !day.fetchedAt().isBefore(day.date().atTime(PUBLISHED_UTC).toInstant(ZoneOffset.UTC));
    }

    private static String key(String base, LocalDate date) {
        return base + "/" + date;
    }
}
