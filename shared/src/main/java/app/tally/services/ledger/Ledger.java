package app.tally.services.ledger;

import app.tally.http.ApiException;
import app.tally.json.Json;
import app.tally.model.FieldError;
import app.tally.model.Ids;
import app.tally.model.Transaction;
import app.tally.store.ConditionFailedException;
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
    private static final int PATCH_ATTEMPTS = 5;
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,200}");

    private final LedgerStore store;
    private final Clock clock;

    public Ledger(LedgerStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The stored JSON of a created transaction, and whether it is the replay of an earlier request. */
    public record Created(String id, String json, boolean replayed) {
    }

    public static String checkIdempotencyKey(String key) {
        if (!IDEMPOTENCY_KEY.matcher(key).matches()) {
            throw ApiException.badRequest("Idempotency-Key must be 1 to 200 visible ASCII characters.");
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
        String json = Json.write(tx.toJson());
        IdempotencyRecord record = idempotencyKey == null ? null : new IdempotencyRecord(idempotencyKey,
                hash(body), json, now.plus(IDEMPOTENCY_TTL).getEpochSecond());
        return store.create(user, tx, record, now)
                .thenApply(ignored -> new Created(tx.id(), json, false))
                .exceptionallyCompose(failure -> {
                    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                    if (record != null && cause instanceof ConditionFailedException failed
                            && failed.failedAt(LedgerStore.IDEMPOTENCY_ACTION)) {
                        return replay(user, record);
                    }
                    return CompletableFuture.failedFuture(cause);
                });
    }

    private CompletableFuture<Created> replay(String user, IdempotencyRecord request) {
        return store.idempotencyRecord(user, request.key()).thenApply(found -> {
            IdempotencyRecord first = found.orElseThrow(() ->
                    ApiException.conflict("A request with this Idempotency-Key is in progress; retry."));
            if (!first.requestHash().equals(request.requestHash())) {
                throw ApiException.unprocessable("This Idempotency-Key was used with a different request.",
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
            return CompletableFuture.failedFuture(ApiException.notFound("The transaction"));
        }
        return store.find(user, id).thenApply(found -> found.orElseThrow(() -> ApiException.notFound("The transaction")));
    }

    /**
     * Changes some fields. A concurrent change of the same transaction makes the conditional write fail; the change is
     * then applied again on top of the new state, so concurrent patches apply in order and never mix.
     */
    public CompletableFuture<Transaction> patch(String user, String id, ObjectNode body) {
        return patch(user, id, body, 1);
    }

    private CompletableFuture<Transaction> patch(String user, String id, ObjectNode body, int attempt) {
        return get(user, id).thenCompose(current -> {
            Transaction changed = TransactionInput.patch(body, current, clock.instant());
            if (sameContent(current, changed)) {
                return CompletableFuture.completedFuture(current);
            }
            return store.replace(user, current, changed)
                    .thenApply(ignored -> changed)
                    .exceptionallyCompose(failure -> retryOnStale(failure, attempt,
                            () -> patch(user, id, body, attempt + 1)));
        });
    }

    public CompletableFuture<Void> delete(String user, String id) {
        return delete(user, id, 1);
    }

    private CompletableFuture<Void> delete(String user, String id, int attempt) {
        return get(user, id).thenCompose(current -> store.delete(user, current)
                .exceptionallyCompose(failure -> retryOnStale(failure, attempt, () -> delete(user, id, attempt + 1))));
    }

    private static <T> CompletableFuture<T> retryOnStale(Throwable failure, int attempt,
                                                         java.util.function.Supplier<CompletableFuture<T>> again) {
        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof ConditionFailedException) {
            if (attempt < PATCH_ATTEMPTS) {
                return again.get();
            }
            return CompletableFuture.failedFuture(
                    ApiException.conflict("The transaction is being changed concurrently; retry."));
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
