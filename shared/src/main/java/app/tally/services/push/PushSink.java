package app.tally.services.push;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where a write hands the events of its committed change (the push queue, through {@link PushPublisher}). The returned
 * future always completes normally: a push that fails never fails the write.
 */
public interface PushSink {
    /** Tells nobody: for code that runs without a push queue (tests, tools). */
    PushSink NONE = (user, events) -> CompletableFuture.completedFuture(null);

    CompletableFuture<Void> publish(String user, List<PushEvent> events);
}
