package app.tally.services.push;

import app.tally.store.PushStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * Short-lived, single-use tickets that open a push socket. Browsers cannot set headers on a WebSocket, so the client
 * trades its bearer token for a ticket over the HTTP API and puts only the ticket in the socket's URL: what an access
 * log may keep is worthless a minute later, and after its first use.
 */
public final class PushTickets {
    public static final Duration VALIDITY = Duration.ofSeconds(60);
    /** 32 random bytes, base64url without padding. */
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PushStore store;
    private final String socketUrl;
    private final Clock clock;

    public PushTickets(PushStore store, String socketUrl, Clock clock) {
        this.store = store;
        this.socketUrl = socketUrl;
        this.clock = clock;
    }

    /** A ticket and the socket's URL: the client connects to {@code url + "?ticket=" + ticket}. */
    public record Ticket(String ticket, String url, Instant expiresAt) {
    }

    public CompletableFuture<Ticket> issue(String user) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant expiresAt = clock.instant().plus(VALIDITY);
        return store.putTicket(ticket, user, expiresAt).thenApply(ignored -> new Ticket(ticket, socketUrl, expiresAt));
    }

    /** The ticket's user, once: empty for a ticket that is malformed, unknown, expired or used already. */
    public CompletableFuture<Optional<String>> redeem(String ticket) {
        if (ticket == null || !SHAPE.matcher(ticket).matches()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return store.takeTicket(ticket, clock.instant());
    }
}
