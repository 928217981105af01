package app.tally.retry;

import app.tally.telemetry.Usage;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Tally's one retry policy, for every loop that tries again what was refused for now (throttling, a transaction
 * conflict, batch items left unprocessed, a read that met a move, a write that lost an optimistic race, a rate source
 * that timed out): capped exponential backoff with full jitter, a pause drawn evenly from
 * {@code [0, min(cap, base · 2^attempt)]}, for at most {@code maxAttempts} attempts and no longer than a time budget.
 * A partition that is throttled for seconds is then waited out where the caller has the time (a worker) and given up
 * on soon where it has not (an API request, answered within 10 s). The SDK's own retries (a few, within each call's
 * timeout) come first; these go around them.
 */
public record Backoff(Duration base, Duration cap, Duration budget, int maxAttempts) {
    /** For work a person waits for: the HTTP boundary answers within 10 s. */
    public static final Backoff REQUEST = new Backoff(Duration.ofMillis(5), Duration.ofMillis(200), Duration.ofSeconds(2), 30);
    /**
     * For a worker's bookkeeping (row errors, chunk transactions, job notes, chunk messages): long enough to wait out
     * a hot partition, well inside the workers' timeouts (ImportChunkFunction 60 s, ImportWorkerFunction 300 s), whose
     * own deadlines cut a longer wait short and leave the message to SQS.
     */
    public static final Backoff WORKER = new Backoff(Duration.ofMillis(20), Duration.ofSeconds(2), Duration.ofSeconds(30), 60);
    /**
     * For a conditional write that lost a race with another writer (a transaction changed meanwhile, an event log that
     * grew): read again and retry, a few times; then the caller reports the conflict.
     */
    public static final Backoff CONFLICT = new Backoff(Duration.ofMillis(2), Duration.ofMillis(50), Duration.ofSeconds(2), 5);

    public Backoff {
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0 || budget.isNegative() || maxAttempts < 1) {
            throw new IllegalArgumentException("a backoff needs 0 < base <= cap, a budget >= 0 and an attempt at least");
        }
    }

    /** The attempts of one operation, from now until the budget is spent. */
    public Attempts start() {
        return new Attempts(System.nanoTime() + budget.toNanos());
    }

    /** The attempts of one operation that must also end by the caller's own deadline ({@link System#nanoTime}). */
    public Attempts start(long deadlineNanos) {
        return new Attempts(Math.min(deadlineNanos, System.nanoTime() + budget.toNanos()));
    }

    /**
     * Runs {@code call} until it succeeds, fails in a way {@code retryable} refuses, or the budget is spent; then the
     * last failure stands.
     */
    public <T> CompletableFuture<T> retry(Supplier<CompletableFuture<T>> call, Predicate<Throwable> retryable) {
        return retry(call, retryable, start());
    }

    private <T> CompletableFuture<T> retry(Supplier<CompletableFuture<T>> call, Predicate<Throwable> retryable,
                                           Attempts attempts) {
        return call.get().handle((value, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(value);
            }
            Throwable cause = Failures.unwrap(failure);
            if (!retryable.test(cause)) {
                return CompletableFuture.<T>failedFuture(cause);
            }
            return attempts.pause().map(paused -> paused.thenCompose(ignored -> retry(call, retryable, attempts)))
                    .orElseGet(() -> CompletableFuture.failedFuture(cause));
        }).thenCompose(next -> next);
    }

    /** One operation's attempts: how many were made, and the deadline after which no other starts. */
    public final class Attempts {
        private final long deadlineNanos;
        private int made = 1;

        private Attempts(long deadlineNanos) {
            this.deadlineNanos = deadlineNanos;
        }

        public int made() {
            return made;
        }

        /**
         * A pause before the next attempt (full jitter, never past the deadline), or empty when the attempts or the
         * budget are spent: the caller gives up with what it has.
         */
        public Optional<CompletableFuture<Void>> pause() {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0 || made >= maxAttempts) {
                return Optional.empty();
            }
            long ceiling = Math.min(cap.toNanos(), base.toNanos() << Math.min(made, 30));
            long delay = Math.min(left, ThreadLocalRandom.current().nextLong(ceiling + 1));
            made++;
            // The next attempt counts for the invocation that waits for it.
            return Optional.of(CompletableFuture.runAsync(() -> { },
                    Usage.propagating(CompletableFuture.delayedExecutor(delay, TimeUnit.NANOSECONDS))));
        }
    }
}
