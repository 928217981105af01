package app.tally.store;

import app.tally.model.Profile;
import app.tally.retry.Failures;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import static app.tally.store.Attributes.key;
import static app.tally.store.Attributes.s;

/** The profile item of each user. */
public final class ProfileStore {
    private final DynamoDbAsyncClient db;
    private final String table;

    public ProfileStore(DynamoDbAsyncClient db, String table) {
        this.db = db;
        this.table = table;
    }

    public CompletableFuture<Optional<Profile>> find(String user) {
        return db.getItem(g -> g.tableName(table).key(key(Keys.user(user), Keys.PROFILE)).consistentRead(true))
                .thenApply(r -> r.hasItem() && !r.item().isEmpty()
                        ? Optional.of(toProfile(user, r.item()))
                        : Optional.empty());
    }

    /** Creates the profile unless one exists; two concurrent first calls create one and both see it. */
    public CompletableFuture<Profile> createIfAbsent(Profile initial) {
        return db.putItem(p -> p.tableName(table).item(item(initial)).conditionExpression("attribute_not_exists(PK)"))
                .thenApply(ignored -> Optional.of(initial))
                .exceptionally(failure -> {
                    Throwable cause = Failures.unwrap(failure);
                    if (cause instanceof ConditionalCheckFailedException) {
                        return Optional.empty();
                    }
                    throw failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
                })
                .thenCompose(created -> created.isPresent()
                        ? CompletableFuture.completedFuture(created.get())
                        : find(initial.id()).thenApply(Optional::orElseThrow));
    }

    /** Sets the given fields (creating the profile from {@code initial} if it does not exist yet). */
    public CompletableFuture<Profile> update(Profile initial, String name, String currency, String timeZone, Instant now) {
        Map<String, String> names = new HashMap<>(Map.of("#name", "name", "#cur", "currency", "#tz", "timeZone"));
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":name", s(name != null ? name : initial.name()));
        values.put(":cur", s(currency != null ? currency : initial.currency()));
        values.put(":tz", s(timeZone != null ? timeZone : initial.timeZone()));
        values.put(":created", s(initial.createdAt().toString()));
        values.put(":now", s(now.toString()));
        String set = "SET createdAt = if_not_exists(createdAt, :created), updatedAt = :now"
                + ", #name = " + (name != null ? ":name" : "if_not_exists(#name, :name)")
                + ", #cur = " + (currency != null ? ":cur" : "if_not_exists(#cur, :cur)")
                + ", #tz = " + (timeZone != null ? ":tz" : "if_not_exists(#tz, :tz)");
        return db.updateItem(u -> u.tableName(table)
                        .key(key(Keys.user(initial.id()), Keys.PROFILE))
                        .updateExpression(set)
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values)
                        .returnValues(ReturnValue.ALL_NEW))
                .thenApply(r -> toProfile(initial.id(), r.attributes()));
    }

    private static Map<String, AttributeValue> item(Profile profile) {
        return Map.of(Keys.PK, s(Keys.user(profile.id())), Keys.SK, s(Keys.PROFILE),
                "name", s(profile.name()), "currency", s(profile.currency()), "timeZone", s(profile.timeZone()),
                "createdAt", s(profile.createdAt().toString()), "updatedAt", s(profile.updatedAt().toString()));
    }

    private static Profile toProfile(String user, Map<String, AttributeValue> item) {
        return new Profile(user, Attributes.string(item, "name"), Attributes.string(item, "currency"),
                Attributes.string(item, "timeZone"), Attributes.instant(item, "createdAt"),
                Attributes.instant(item, "updatedAt"));
    }
}
