package app.tally.aws;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Starts a request's reads at once, at most {@code maxInFlight} at a time, and records when each started and ended.
 * With a bound of 1 the same reads run one after another (the benchmark's baseline). One instance serves one request.
 */
public final class Fanout {
    private final int maxInFlight;
    private final Queue<Runnable> waiting = new ArrayDeque<>();
    private final Map<String, Span> spans = new LinkedHashMap<>();
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
            CompletableFuture<T> running;
            try {
                running = read.get();
            } catch (RuntimeException e) {
                running = CompletableFuture.failedFuture(e);
            }
            running.whenComplete((value, failure) -> {
                finished(name, new Span(micros(started), micros(System.nanoTime())));
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

    private long micros(long nanoTime) {
        return (nanoTime - created) / 1_000;
    }

    private void finished(String name, Span span) {
        Runnable next;
        synchronized (this) {
            spans.put(name, span);
            next = waiting.poll();
            if (next == null) {
                inFlight--;
            }
        }
        if (next != null) {
            next.run();
        }
    }

    /** When a read started and ended, in microseconds after this fan-out was created. */
    public record Span(long startMicros, long endMicros) {
    }

    /** Each finished read's span, in the order they finished. */
    public synchronized Map<String, Span> spans() {
        return new LinkedHashMap<>(spans);
    }
}
