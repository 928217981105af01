package app.tally.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final class Busy extends RuntimeException {
    }

    @Test
    void aCallThatIsRefusedForAWhileSucceedsOnceTheRefusalsStop() {
        AtomicInteger calls = new AtomicInteger();
        Backoff backoff = new Backoff(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(5), 10);
        String result = backoff.retry(() -> calls.incrementAndGet() < 6
                ? CompletableFuture.failedFuture(new Busy()) : CompletableFuture.completedFuture("done"),
                Busy.class::isInstance).join();
        assertEquals("done", result);
        assertEquals(6, calls.get());
    }

    @Test
    void retriesStopWhenTheBudgetIsSpentEvenWithAttemptsLeft() {
        AtomicInteger calls = new AtomicInteger();
        Backoff backoff = new Backoff(Duration.ofMillis(1), Duration.ofMillis(4), Duration.ofMillis(300), 100_000);
        long started = System.nanoTime();
        CompletionException failed = assertThrows(CompletionException.class, () -> backoff.retry(() -> {
            calls.incrementAndGet();
            return CompletableFuture.failedFuture(new Busy());
        }, Busy.class::isInstance).join());
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertInstanceOf(Busy.class, failed.getCause(), "the last failure stands");
        assertTrue(millis >= 300 && millis < 5_000, "gave up after " + millis + " ms");
        // Pauses average 2 ms once capped at 4 ms: far more than eight attempts fit in 300 ms.
        assertTrue(calls.get() > 20, calls.get() + " attempts");
    }

    @Test
    void aFailureThatIsNotRetryableEndsAtOnce() {
        AtomicInteger calls = new AtomicInteger();
        IllegalStateException wrong = new IllegalStateException("no");
        CompletionException failed = assertThrows(CompletionException.class, () -> Backoff.WORKER.retry(() -> {
            calls.incrementAndGet();
            return CompletableFuture.failedFuture(wrong);
        }, Busy.class::isInstance).join());
        assertSame(wrong, failed.getCause());
        assertEquals(1, calls.get());
    }

    @Test
    void pausesAreJitteredBelowTheCappedExponentialAndNeverPastTheDeadline() {
        Backoff backoff = new Backoff(Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofMillis(150), 1_000);
        long begun = System.nanoTime();
        Backoff.Attempts attempts = backoff.start();
        long longest = 0;
        int pauses = 0;
        while (true) {
            long started = System.nanoTime();
            var pause = attempts.pause();
            if (pause.isEmpty()) {
                break;
            }
            pause.get().join();
            longest = Math.max(longest, (System.nanoTime() - started) / 1_000_000);
            pauses++;
        }
        long waited = (System.nanoTime() - begun) / 1_000_000;
        assertTrue(waited >= 150 && waited < 3_000, "waited " + waited + " ms in " + pauses + " pauses");
        // Timer slack on a busy machine comes on top of the 40 ms cap.
        assertTrue(longest <= 40 + 250, "the cap holds: longest pause " + longest + " ms");
        assertEquals(pauses + 1, attempts.made());
    }

    @Test
    void retriesStopAfterTheLastAllowedAttemptEvenWithBudgetLeft() {
        AtomicInteger calls = new AtomicInteger();
        Backoff backoff = new Backoff(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMinutes(1), 5);
        long started = System.nanoTime();
        CompletionException failed = assertThrows(CompletionException.class, () -> backoff.retry(() -> {
            calls.incrementAndGet();
            return CompletableFuture.failedFuture(new Busy());
        }, Busy.class::isInstance).join());
        assertInstanceOf(Busy.class, failed.getCause());
        assertEquals(5, calls.get());
        assertTrue((System.nanoTime() - started) / 1_000_000 < 10_000, "no wait for the budget");
    }

    @Test
    void aCallersDeadlineCutsTheBudgetShort() {
        Backoff.Attempts attempts = Backoff.WORKER.start(System.nanoTime() - 1);
        assertTrue(attempts.pause().isEmpty());
    }
}
