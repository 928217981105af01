package app.tally.services.ledger;

import app.tally.json.Json;
import app.tally.model.FieldError;
import app.tally.model.Ids;
import app.tally.model.InvalidInput;
import app.tally.model.Transaction;
import app.tally.retry.Backoff;
import app.tally.retry.Failures;
import app.tally.services.Refusal;
import app.tally.services.push.PushSink;
import app.tally.store.ConditionFailedException;
import app.tally.store.IdempotencyKeyTaken;
import app.tally.store.IdempotencyRecord;
import app.tally.store.LedgerStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/** The bookkeeping operations on a user's transactions. */
public final class Ledger {
    static final Duration IDEMPOTENCY_TTL = Duration.ofHours(24);
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,200}");

    private final LedgerStore store;
    private final Clock clock;
    private final PushSink push;

    public Ledger(LedgerStore store, Clock clock) {
        this(store, clock, PushSink.NONE);
    }

    /** A ledger that tells the user's open clients of each committed change through {@code push}. */
    public Ledger(LedgerStore store, Clock clock, PushSink push) {
        this.store = store;
        this.clock = clock;
        this.push = push;
    }

    /** The stored JSON of a created transaction, and whether it is the replay of an earlier request. */
    public record Created(String id, String json, boolean replayed) {
    }

    public static String checkIdempotencyKey(String key) {
        if (!IDEMPOTENCY_KEY.matcher(key).matches()) {
            throw Refusal.malformed("Idempotency-Key must be 1 to 200 visible ASCII characters.");
        }
        return key;
    }

    /**
     * Records a new transaction. With an idempotency key, the same request again returns the first response and
     * writes nothing; the same key with a different request is a 422.
     */
    public CompletableFuture<Created> create(String user, ObjectNode body, String defaultCurrency, String idempotencyKey) {
        Instant now = clock.instant();
        Transaction parsed = TransactionInput.create(body, "", defaultCurrency, now);
        Transaction tx = parsed.withId(Ids.newTransactionId(parsed.date(), now));
        String json = Json.write(TransactionJson.of(tx));
        IdempotencyRecord record = idempotencyKey == null ? null : new IdempotencyRecord(idempotencyKey,
                hash(body), json, now.plus(IDEMPOTENCY_TTL).getEpochSecond());
        return store.create(user, tx, record, now)
                .thenCompose(ignored -> push.publish(user, TransactionEvents.created(tx, now)))
                .thenApply(ignored -> new Created(tx.id(), json, false))
                .exceptionallyCompose(failure -> {
                    Throwable cause = Failures.unwrap(failure);
                    if (cause instanceof IdempotencyKeyTaken) {
                        return replay(user, record);
                    }
                    return CompletableFuture.failedFuture(cause);
                });
    }

    private CompletableFuture<Created> replay(String user, IdempotencyRecord request) {
        return store.idempotencyRecord(user, request.key()).thenApply(found -> {
            IdempotencyRecord first = found.orElseThrow(() ->
                    Refusal.conflict("A request with this Idempotency-Key is in progress; retry."));
            if (!first.requestHash().equals(request.requestHash())) {
                throw new InvalidInput("This Idempotency-Key was used with a different request.",
                        List.of(new FieldError("Idempotency-Key", "was used with a different request body")));
            }
            String id;
            try {
                id = Json.parse(first.response()).path("id").asText();
            } catch (Exception e) {
                throw new IllegalStateException("Stored idempotent response is not JSON", e);
            }
            return new Created(id, first.response(), true);
        });
    }

    public CompletableFuture<Transaction> get(String user, String id) {
        if (!Ids.isValid(id)) {
            return CompletableFuture.failedFuture(Refusal.notFound("The transaction"));
        }
        return store.find(user, id).thenApply(found -> found.orElseThrow(() -> Refusal.notFound("The transaction")));
    }

    /**
     * Changes some fields. A concurrent change of the same transaction makes the conditional write fail; the change is
     * then applied again on top of the new state, so concurrent patches apply in order and never mix.
     */
    public CompletableFuture<Transaction> patch(String user, String id, ObjectNode body) {
        return patch(user, id, body, Backoff.CONFLICT.start());
    }

    private CompletableFuture<Transaction> patch(String user, String id, ObjectNode body, Backoff.Attempts attempts) {
        return get(user, id).thenCompose(current -> {
            Transaction changed = TransactionInput.patch(body, current, clock.instant());
            if (sameContent(current, changed)) {
                return CompletableFuture.completedFuture(current);
            }
            return store.replace(user, current, changed)
                    .thenCompose(ignored -> push.publish(user,
                            TransactionEvents.updated(current, changed, clock.instant())))
                    .thenApply(ignored -> changed)
                    .exceptionallyCompose(failure -> retryOnStale(failure, attempts,
                            () -> patch(user, id, body, attempts)));
        });
    }

    public CompletableFuture<Void> delete(String user, String id) {
        return delete(user, id, Backoff.CONFLICT.start());
    }

    private CompletableFuture<Void> delete(String user, String id, Backoff.Attempts attempts) {
        return get(user, id).thenCompose(current -> store.delete(user, current)
                .thenCompose(ignored -> push.publish(user, TransactionEvents.deleted(current, clock.instant())))
                .exceptionallyCompose(failure -> retryOnStale(failure, attempts, () -> delete(user, id, attempts))));
    }

    /** A change that lost a race with another reads the transaction again and retries, within {@link Backoff#CONFLICT}. */
    private static <T> CompletableFuture<T> retryOnStale(Throwable failure, Backoff.Attempts attempts,
                                                         java.util.function.Supplier<CompletableFuture<T>> again) {
        Throwable cause = Failures.unwrap(failure);
        if (cause instanceof ConditionFailedException) {
            return attempts.pause().map(paused -> paused.thenCompose(ignored -> again.get()))
                    .orElseGet(() -> CompletableFuture.failedFuture(
                            Refusal.conflict("The transaction is being changed concurrently; retry.")));
        }
        return CompletableFuture.failedFuture(cause);
    }

    private static boolean sameContent(Transaction a, Transaction b) {
        return a.date().equals(b.date()) && a.type() == b.type() && a.amount().equals(b.amount())
                && a.category().equals(b.category()) && a.note().equals(b.note()) && a.tags().equals(b.tags());
    }

    /** SHA-256 of the body with object keys sorted, so key order and spacing do not make a different request. */
    static String hash(JsonNode body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Json.write(canonical(body)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object canonical(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> sorted = new TreeMap<>();
            node.fields().forEachRemaining(e -> sorted.put(e.getKey(), canonical(e.getValue())));
            return sorted;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(element -> list.add(canonical(element)));
            return list;
        }
        return node;
    }
}
