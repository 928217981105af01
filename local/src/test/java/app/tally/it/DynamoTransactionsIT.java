package app.tally.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** The patched dynalite gives DynamoDB's transaction semantics to the real Java SDK. */
class DynamoTransactionsIT {
    private static final DynamoDbAsyncClient DB = LocalApi.AWS.dynamoDb();
    private static final String TABLE = LocalApi.TABLE;

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("PK", AttributeValue.fromS(pk), "SK", AttributeValue.fromS(sk));
    }

    private static TransactWriteItem put(String pk, String sk, String condition) {
        return TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(key(pk, sk)).conditionExpression(condition)).build();
    }

    private static TransactWriteItem add(String pk, String sk, long amount) {
        return TransactWriteItem.builder().update(u -> u.tableName(TABLE).key(key(pk, sk)).updateExpression("ADD n :n")
                .expressionAttributeValues(Map.of(":n", AttributeValue.fromN(Long.toString(amount))))).build();
    }

    private static Throwable failureOf(List<TransactWriteItem> actions) {
        CompletionException e = assertThrows(CompletionException.class,
                () -> DB.transactWriteItems(b -> b.transactItems(actions)).join());
        return e.getCause();
    }

    private static boolean exists(String pk, String sk) {
        var item = DB.getItem(g -> g.tableName(TABLE).key(key(pk, sk)).consistentRead(true)).join();
        return item.hasItem() && !item.item().isEmpty();
    }

    @Test
    void aFailedConditionCancelsEveryActionWithOneReasonEach() {
        String pk = "test#" + UUID.randomUUID();
        DB.putItem(p -> p.tableName(TABLE).item(key(pk, "existing"))).join();
        Throwable failure = failureOf(List.of(
                add(pk, "counter", 5),
                put(pk, "existing", "attribute_not_exists(PK)"),
                put(pk, "new", "attribute_not_exists(PK)")));
        TransactionCanceledException cancelled = assertInstanceOf(TransactionCanceledException.class, failure);
        assertEquals(List.of("None", "ConditionalCheckFailed", "None"),
                cancelled.cancellationReasons().stream().map(CancellationReason::code).toList());
        assertFalse(exists(pk, "counter"));
        assertFalse(exists(pk, "new"));
    }

    @Test
    void allActionsApplyTogether() {
        String pk = "test#" + UUID.randomUUID();
        DB.putItem(p -> p.tableName(TABLE).item(key(pk, "old"))).join();
        DB.transactWriteItems(b -> b.transactItems(
                put(pk, "a", "attribute_not_exists(PK)"),
                add(pk, "counter", 7),
                TransactWriteItem.builder().delete(d -> d.tableName(TABLE).key(key(pk, "old"))).build(),
                TransactWriteItem.builder().conditionCheck(c -> c.tableName(TABLE).key(key(pk, "a-missing"))
                        .conditionExpression("attribute_not_exists(PK)")).build())).join();
        assertTrue(exists(pk, "a"));
        assertFalse(exists(pk, "old"));
        assertEquals("7", DB.getItem(g -> g.tableName(TABLE).key(key(pk, "counter"))).join().item().get("n").n());

        TransactGetItemsResponse read = DB.transactGetItems(b -> b.transactItems(
                t -> t.get(g -> g.tableName(TABLE).key(key(pk, "counter"))),
                t -> t.get(g -> g.tableName(TABLE).key(key(pk, "missing"))))).join();
        assertEquals("7", read.responses().get(0).item().get("n").n());
        assertFalse(read.responses().get(1).hasItem() && !read.responses().get(1).item().isEmpty());
    }

    @Test
    void transactionsOverOneHundredActionsOrTwiceOnOneItemAreRejected() {
        String pk = "test#" + UUID.randomUUID();
        List<TransactWriteItem> many = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            many.add(add(pk, "item" + i, 1));
        }
        DynamoDbException tooMany = assertInstanceOf(DynamoDbException.class, failureOf(many));
        assertEquals("ValidationException", tooMany.awsErrorDetails().errorCode());
        DynamoDbException twice = assertInstanceOf(DynamoDbException.class,
                failureOf(List.of(add(pk, "same", 1), add(pk, "same", 2))));
        assertEquals("ValidationException", twice.awsErrorDetails().errorCode());
        assertFalse(exists(pk, "item0"));
        assertFalse(exists(pk, "same"));
    }

    @Test
    void timeToLiveCanBeEnabled() {
        var response = DB.updateTimeToLive(b -> b.tableName(TABLE)
                .timeToLiveSpecification(t -> t.attributeName("ttl").enabled(true))).join();
        assertEquals("ttl", response.timeToLiveSpecification().attributeName());
    }
}
