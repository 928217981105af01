package app.tally.aws;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Starts a request's reads at once, at most {@code maxInFlight} at a time, and records how long each took. With a
 * bound of 1 the same reads run one after another (the benchmark's baseline). One instance serves one request.
 */
public final class Fanout {
    private final int maxInFlight;
    private final Queue<Runnable> waiting = new ArrayDeque<>();
    private final Map<String, Long> timings = new LinkedHashMap<>();
    private final Map<String, Long> starts = new LinkedHashMap<>();
    private final long created = System.nanoTime();
    private int inFlight;

    public Fanout(int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1");
        }
        this.maxInFlight = maxInFlight;
    }

    public <T> CompletableFuture<T> submit(String name, Supplier<CompletableFuture<T>> read) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable start = () -> {
            long started = System.nanoTime();
            synchronized (this) {
                starts.put(name, (started - created) / 1_000);
            }
            CompletableFuture<T> running;
            try {
                running = read.get();
            } catch (RuntimeException e) {
                running = CompletableFuture.failedFuture(e);
            }
            running.whenComplete((value, failure) -> {
                finished(name, System.nanoTime() - started);
                if (failure != null) {
                    result.completeExceptionally(failure);
                } else {
                    result.complete(value);
                }
            });
        };
        boolean now;
        synchronized (this) {
            now = inFlight < maxInFlight;
            if (now) {
                inFlight++;
            } else {
                waiting.add(start);
            }
        }
        if (now) {
            start.run();
        }
        return result;
    }

    private void finished(String name, long nanos) {
        Runnable next;
        synchronized (this) {
            timings.put(name, nanos / 1_000_000);
            next = waiting.poll();
            if (next == null) {
                inFlight--;
            }
        }
        if (next != null) {
            next.run();
        }
    }

    /** Microseconds from this fan-out's creation to each read's start. */
    public synchronized Map<String, Long> starts() {
        return new LinkedHashMap<>(starts);
    }

    /** Milliseconds per finished read, in the order they finished. */
    public synchronized Map<String, Long> timings() {
        return new LinkedHashMap<>(timings);
    }
}
