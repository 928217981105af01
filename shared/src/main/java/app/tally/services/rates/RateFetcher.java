package app.tally.services.rates;

import app.tally.retry.Backoff;
import app.tally.retry.Failures;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks one source for a day's rates with the JDK's non-blocking HTTP client (one per container, so connections are
 * reused across invocations): each attempt bounded by its own timeout, one retry after a jittered pause when the
 * attempt timed out, could not connect or got a 5xx, and nothing past the deadline the caller gives. Any other answer
 * (a 4xx such as 429, a malformed body) fails the source at once.
 */
public final class RateFetcher {
    /** Each attempt's bound: a source slower than this is as good as down for a person waiting. */
    public static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(800);
    /**
     * One retry, after a pause drawn from [0, 100 ms] so that sources that failed together do not retry together; the
     * caller's deadline bounds it.
     */
    static final Backoff RETRY = new Backoff(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofSeconds(10), 2);
    private static final HttpClient CONTAINER_CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(ATTEMPT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();

    private final HttpClient http;
    private final Duration attemptTimeout;

    public RateFetcher() {
        this(CONTAINER_CLIENT, ATTEMPT_TIMEOUT);
    }

    RateFetcher(HttpClient http, Duration attemptTimeout) {
        this.http = http;
        this.attemptTimeout = attemptTimeout;
    }

    /** Never fails: a source that does not answer in time ends as a {@link SourceResult#failed} result by the deadline. */
    public CompletableFuture<SourceResult> fetch(RateSource source, String base, LocalDate date, LocalDate today,
                                                 long deadlineNanos) {
        List<URI> addresses = source.addresses(base, date, today);
        if (addresses.isEmpty()) {
            return CompletableFuture.completedFuture(SourceResult.notAsked(source.name()));
        }
        return attempt(source, addresses, RETRY.start(deadlineNanos), base, date, deadlineNanos);
    }

    private CompletableFuture<SourceResult> attempt(RateSource source, List<URI> addresses, Backoff.Attempts attempts,
                                                    String base, LocalDate date, long deadlineNanos) {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            return CompletableFuture.completedFuture(SourceResult.failed(source.name(), "timeout"));
        }
        Duration timeout = Duration.ofNanos(Math.min(attemptTimeout.toNanos(), remaining));
        HttpRequest request = HttpRequest.newBuilder(addresses.get((attempts.made() - 1) % addresses.size()))
                .timeout(timeout).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                // The request timeout bounds the wait for headers; this bounds a body that stops half-way too.
                .orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
                .handle((response, failure) -> {
                    if (failure != null) {
                        Throwable cause = Failures.unwrap(failure);
                        boolean timedOut = cause instanceof HttpTimeoutException || cause instanceof TimeoutException;
                        return retryOr(source, addresses, attempts, base, date, deadlineNanos,
                                timedOut ? "timeout" : "connection: " + cause.getClass().getSimpleName(),
                                timedOut || cause instanceof IOException);
                    }
                    int status = response.statusCode();
                    if (status != 200) {
                        return retryOr(source, addresses, attempts, base, date, deadlineNanos, "HTTP " + status,
                                status >= 500);
                    }
                    try {
                        return CompletableFuture.completedFuture(
                                SourceResult.answered(source.read(response.body(), base, date)));
                    } catch (MalformedRatesException e) {
                        return CompletableFuture.completedFuture(
                                SourceResult.failed(source.name(), "malformed: " + e.getMessage()));
                    }
                })
                .thenCompose(next -> next);
    }

    private CompletableFuture<SourceResult> retryOr(RateSource source, List<URI> addresses, Backoff.Attempts attempts,
                                                    String base, LocalDate date, long deadlineNanos, String failure,
                                                    boolean retryable) {
        return (retryable ? attempts.pause() : Optional.<CompletableFuture<Void>>empty())
                .map(paused -> paused.thenCompose(ignored -> attempt(source, addresses, attempts, base, date, deadlineNanos)))
                .orElseGet(() -> CompletableFuture.completedFuture(SourceResult.failed(source.name(), failure)));
    }
}
