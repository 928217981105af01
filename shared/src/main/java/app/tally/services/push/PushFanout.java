package app.tally.services.push;

import app.tally.aws.Fanout;
import app.tally.json.Json;
import app.tally.store.PushStore;
import app.tally.telemetry.Log;
import app.tally.telemetry.UserRef;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiAsyncClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;

/**
 * Sends a user's events to every live connection of the user: each event to all connections at once (at most
 * {@code maxInFlight} posts in flight), the events one after another so that every client sees them in sequence
 * order. A connection that answers 410 Gone is removed; any other failed post is logged and skipped, so one bad
 * connection never holds back the others (the client's sequence shows the gap).
 */
public final class PushFanout {
    private final PushStore store;
    private final ApiGatewayManagementApiAsyncClient connections;
    private final ProgressThrottle throttle;
    private final int maxInFlight;
    private final Clock clock;

    public PushFanout(PushStore store, ApiGatewayManagementApiAsyncClient connections, ProgressThrottle throttle,
                      int maxInFlight, Clock clock) {
        this.store = store;
        this.connections = connections;
        this.throttle = throttle;
        this.maxInFlight = maxInFlight;
        this.clock = clock;
    }

    /** How one message went: events sent (after the throttle), posts delivered, connections found gone. */
    public record Outcome(int events, int delivered, int gone) {
    }

    public CompletableFuture<Outcome> send(String user, List<PushEvent> events) {
        Instant now = clock.instant();
        List<PushEvent> admitted = events.stream().filter(event -> throttle.admit(event, now)).toList();
        if (admitted.isEmpty()) {
            return CompletableFuture.completedFuture(new Outcome(0, 0, 0));
        }
        return store.connections(user, now).thenCompose(live -> {
            if (live.isEmpty()) {
                // Nobody listens: no sequence numbers are spent.
                return CompletableFuture.completedFuture(new Outcome(admitted.size(), 0, 0));
            }
            return store.reserveSequence(user, admitted.size()).thenCompose(last -> {
                Set<String> gone = ConcurrentHashMap.newKeySet();
                int[] delivered = {0};
                CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
                long first = last - admitted.size() + 1;
                for (int i = 0; i < admitted.size(); i++) {
                    String message = Json.write(admitted.get(i).toMessage(first + i));
                    chain = chain.thenCompose(ignored -> post(user, live, gone, message)
                            .thenAccept(count -> delivered[0] += count));
                }
                return chain.thenCompose(ignored -> forget(user, gone))
                        .thenApply(ignored -> new Outcome(admitted.size(), delivered[0], gone.size()));
            });
        });
    }

    /** Posts one message to every connection not yet found gone; answers how many took it. */
    private CompletableFuture<Integer> post(String user, List<String> live, Set<String> gone, String message) {
        SdkBytes data = SdkBytes.fromUtf8String(message);
        Fanout fanout = new Fanout(maxInFlight);
        List<CompletableFuture<Boolean>> posts = new ArrayList<>();
        for (String id : live) {
            if (gone.contains(id)) {
                continue;
            }
            posts.add(fanout.submit(id, () -> connections.postToConnection(p -> p.connectionId(id).data(data)))
                    .handle((ok, failure) -> {
                        if (failure == null) {
                            return true;
                        }
                        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                        if (cause instanceof GoneException) {
                            gone.add(id);
                        } else {
                            Log.warn("push-post-failed").put("user", UserRef.of(user))
                                    .put("error", cause.getClass().getSimpleName()).write();
                        }
                        return false;
                    }));
        }
        return CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> (int) posts.stream().filter(CompletableFuture::join).count());
    }

    /** Removes the connections that answered 410; best effort, since their items expire anyway. */
    private CompletableFuture<Void> forget(String user, Set<String> gone) {
        return CompletableFuture.allOf(gone.stream().map(id -> store.deleteConnection(user, id)
                        .exceptionally(ignored -> null)).toArray(CompletableFuture[]::new));
    }
}
