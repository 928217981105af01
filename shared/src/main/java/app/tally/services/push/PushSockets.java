package app.tally.services.push;

import app.tally.json.Json;
import app.tally.services.jobs.JobQueries;
import app.tally.store.JobStore;
import app.tally.store.PushStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The life of a push socket: it is recorded when it opens, forgotten when it closes, and answers a client's
 * {@code ping} and {@code resync}.
 */
public final class PushSockets {
    /** API Gateway closes a WebSocket connection after two hours at the latest. */
    public static final Duration MAX_CONNECTION = Duration.ofHours(2);
    /** Jobs that resync looks through, newest first: a running job is a recent one. */
    private static final int RECENT_JOBS = 20;

    private final PushStore store;
    private final JobStore jobs;
    private final Clock clock;

    public PushSockets(PushStore store, JobStore jobs, Clock clock) {
        this.store = store;
        this.jobs = jobs;
        this.clock = clock;
    }

    public CompletableFuture<Void> connected(String user, String connectionId, Instant connectedAt) {
        return store.putConnection(user, connectionId, connectedAt.plus(MAX_CONNECTION));
    }

    public CompletableFuture<Void> disconnected(String user, String connectionId) {
        return store.deleteConnection(user, connectionId);
    }

    /** The answer to a client's message: pong, resync with the user's running jobs, or empty for anything else. */
    public CompletableFuture<Optional<ObjectNode>> answer(String user, String body) {
        String action;
        try {
            action = Json.parse(body == null ? "" : body).path("action").asText("");
        } catch (Exception e) {
            action = "";
        }
        Instant now = clock.instant();
        return switch (action) {
            case "ping" -> CompletableFuture.completedFuture(Optional.of(
                    Json.object().put("type", "pong").put("at", now.toString())));
            case "resync" -> jobs.page(user, null, RECENT_JOBS).thenApply(page -> {
                ObjectNode message = Json.object().put("type", "resync").put("at", now.toString());
                var running = message.putObject("data").putArray("jobs");
                page.jobs().stream().filter(job -> !job.status().isFinal())
                        .forEach(job -> running.add(JobQueries.view(job, now)));
                return Optional.of(message);
            });
            default -> CompletableFuture.completedFuture(Optional.empty());
        };
    }
}
