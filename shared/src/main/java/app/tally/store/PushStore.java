package app.tally.store;

import static app.tally.store.Attributes.key;
import static app.tally.store.Attributes.n;
import static app.tally.store.Attributes.s;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Push tickets, live WebSocket connections and each user's push sequence. Tickets and connections carry an
 * {@code expiresAt} that every read checks: TTL deletes late (and the local emulator not at all).
 */
public final class PushStore {
    private static final String EXPIRES_AT = "expiresAt";

    private final DynamoDbAsyncClient db;
    private final String table;

    public PushStore(DynamoDbAsyncClient db, String table) {
        this.db = db;
        this.table = table;
    }

    public CompletableFuture<Void> putTicket(String ticket, String user, Instant expiresAt) {
        return db.putItem(p -> p.tableName(table).item(Map.of(Keys.PK, s(Keys.pushTicket(ticket)),
                        Keys.SK, s(Keys.pushTicket(ticket)), "user", s(user),
                        EXPIRES_AT, n(expiresAt.getEpochSecond()), "ttl", n(expiresAt.getEpochSecond())))
                .conditionExpression("attribute_not_exists(PK)"))
                .thenApply(ignored -> null);
    }

    /** Deletes the ticket and answers its user, or empty when it is unknown, used already or expired. */
    public CompletableFuture<Optional<String>> takeTicket(String ticket, Instant now) {
        return db.deleteItem(d -> d.tableName(table).key(key(Keys.pushTicket(ticket), Keys.pushTicket(ticket)))
                        .conditionExpression("attribute_exists(PK) AND " + EXPIRES_AT + " > :now")
                        .expressionAttributeValues(Map.of(":now", n(now.getEpochSecond())))
                        .returnValues(ReturnValue.ALL_OLD))
                .thenApply(r -> Optional.ofNullable(Attributes.string(r.attributes(), "user")))
                .exceptionally(failure -> {
                    if (unwrap(failure) instanceof ConditionalCheckFailedException) {
                        return Optional.empty();
                    }
                    throw failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
                });
    }

    public CompletableFuture<Void> putConnection(String user, String connectionId, Instant expiresAt) {
        return db.putItem(p -> p.tableName(table).item(Map.of(Keys.PK, s(Keys.user(user)),
                        Keys.SK, s(Keys.connection(connectionId)), EXPIRES_AT, n(expiresAt.getEpochSecond()),
                        "ttl", n(expiresAt.getEpochSecond()))))
                .thenApply(ignored -> null);
    }

    public CompletableFuture<Void> deleteConnection(String user, String connectionId) {
        return db.deleteItem(d -> d.tableName(table).key(key(Keys.user(user), Keys.connection(connectionId))))
                .thenApply(ignored -> null);
    }

    /** The ids of the user's connections that have not expired. */
    public CompletableFuture<List<String>> connections(String user, Instant now) {
        return connections(user, now, null, new ArrayList<>());
    }

    private CompletableFuture<List<String>> connections(String user, Instant now, Map<String, AttributeValue> start,
                                                        List<String> found) {
        return db.query(q -> q.tableName(table)
                        .keyConditionExpression("PK = :pk AND begins_with(SK, :c)")
                        .filterExpression(EXPIRES_AT + " > :now")
                        .projectionExpression("SK")
                        .expressionAttributeValues(Map.of(":pk", s(Keys.user(user)), ":c", s(Keys.CONNECTIONS),
                                ":now", n(now.getEpochSecond())))
                        .exclusiveStartKey(start))
                .thenCompose(page -> {
                    page.items().forEach(item -> found.add(
                            Attributes.string(item, Keys.SK).substring(Keys.CONNECTIONS.length())));
                    return page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                            ? connections(user, now, page.lastEvaluatedKey(), found)
                            : CompletableFuture.completedFuture(found);
                });
    }

    /** Reserves {@code count} numbers of the user's push sequence; answers the last (the first is last - count + 1). */
    public CompletableFuture<Long> reserveSequence(String user, int count) {
        return db.updateItem(u -> u.tableName(table).key(key(Keys.user(user), Keys.PUSH_SEQUENCE))
                        .updateExpression("ADD seq :n")
                        .expressionAttributeValues(Map.of(":n", n(count)))
                        .returnValues(ReturnValue.UPDATED_NEW))
                .thenApply(r -> Attributes.number(r.attributes(), "seq"));
    }

    private static Throwable unwrap(Throwable failure) {
        return failure.getCause() != null && failure instanceof java.util.concurrent.CompletionException
                ? failure.getCause() : failure;
    }
}
