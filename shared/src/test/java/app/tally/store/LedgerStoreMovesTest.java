package app.tally.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import app.tally.model.Ids;
import app.tally.model.Transaction;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;

/**
 * How a date change moves a transaction: the item goes to its new month, a forwarding item holds its id's home, and a
 * read by id follows it. Checked against an in-memory table that applies puts and deletes (conditions are DynamoDB's
 * to enforce; here they are read back as written).
 */
class LedgerStoreMovesTest {
    private static final Instant NOW = Instant.parse("2026-11-24T08:00:00Z");

    /** Items by PK|SK; every transaction's actions as sent. */
    private static final class Table implements DynamoDbAsyncClient {
        final Map<String, Map<String, AttributeValue>> items = new HashMap<>();
        final List<List<TransactWriteItem>> writes = new ArrayList<>();

        private static String key(Map<String, AttributeValue> key) {
            return key.get(Keys.PK).s() + "|" + key.get(Keys.SK).s();
        }

        @Override
        public CompletableFuture<TransactWriteItemsResponse> transactWriteItems(TransactWriteItemsRequest request) {
            writes.add(request.transactItems());
            for (TransactWriteItem action : request.transactItems()) {
                if (action.put() != null) {
                    items.put(key(action.put().item()), action.put().item());
                } else if (action.delete() != null) {
                    items.remove(key(action.delete().key()));
                }
            }
            return CompletableFuture.completedFuture(TransactWriteItemsResponse.builder().build());
        }

        @Override
        public CompletableFuture<GetItemResponse> getItem(GetItemRequest request) {
            Map<String, AttributeValue> item = items.get(key(request.key()));
            return CompletableFuture.completedFuture(item == null ? GetItemResponse.builder().build()
                    : GetItemResponse.builder().item(item).build());
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {
        }
    }

    private final Table table = new Table();
    private final LedgerStore store = new LedgerStore(table, "t");

    private static Transaction redated(Transaction tx, String date, long version) {
        return new Transaction(tx.id(), LocalDate.parse(date), tx.type(), tx.amount(), tx.category(), tx.note(),
                tx.tags(), tx.createdAt(), NOW, version);
    }

    private static List<String> kinds(List<TransactWriteItem> actions) {
        return actions.stream().map(a -> a.put() != null ? "put " + a.put().item().get(Keys.PK).s()
                : a.delete() != null ? "delete " + a.delete().key().get(Keys.PK).s() : "stats").toList();
    }

    @Test
    void aMoveLeavesAForwardingItemAtHomeAndAReadByIdFollowsIt() {
        Transaction lunch = StatisticsTest.tx("2026-11-24", "餐饮", "12.34", "CNY");
        store.create("u", lunch, null, NOW).join();
        Transaction moved = redated(lunch, "2026-10-03", 2);
        store.replace("u", lunch, moved).join();

        assertEquals(List.of("put U#u#M#2026-11", "put U#u#M#2026-10", "stats", "stats"), kinds(table.writes.get(1)));
        Map<String, AttributeValue> home = table.items.get("U#u#M#2026-11|" + TransactionItems.positionOf(lunch));
        assertEquals(TransactionItems.positionOf(moved), home.get(TransactionItems.FORWARD_SK).s());
        assertEquals(Optional.of(moved), store.find("u", lunch.id()).join());
    }

    @Test
    void aSecondMoveReplacesTheItemAwayAndRepointsTheForwardingItemAndAMoveHomeTakesItsPlaceAgain() {
        Transaction lunch = StatisticsTest.tx("2026-11-24", "餐饮", "12.34", "CNY");
        store.create("u", lunch, null, NOW).join();
        Transaction october = redated(lunch, "2026-10-03", 2);
        store.replace("u", lunch, october).join();
        Transaction september = redated(october, "2026-09-09", 3);
        store.replace("u", october, september).join();

        assertEquals(List.of("delete U#u#M#2026-10", "put U#u#M#2026-09", "put U#u#M#2026-11", "stats", "stats"),
                kinds(table.writes.get(2)));
        assertEquals(Optional.of(september), store.find("u", lunch.id()).join());

        Transaction back = redated(september, "2026-11-24", 4);
        store.replace("u", september, back).join();
        assertEquals(List.of("delete U#u#M#2026-09", "put U#u#M#2026-11", "stats", "stats"), kinds(table.writes.get(3)));
        assertEquals("fwdSk = :from", table.writes.get(3).get(1).put().conditionExpression());
        assertEquals(Optional.of(back), store.find("u", lunch.id()).join());
        assertEquals(1, table.items.size(), "only the transaction, back at its home (statistics updates are not kept here)");
    }

    @Test
    void deletingAMovedTransactionRemovesItsForwardingItemToo() {
        Transaction lunch = StatisticsTest.tx("2026-11-24", "餐饮", "12.34", "CNY");
        store.create("u", lunch, null, NOW).join();
        Transaction moved = redated(lunch, "2026-10-03", 2);
        store.replace("u", lunch, moved).join();
        store.delete("u", moved).join();

        assertEquals(List.of("delete U#u#M#2026-10", "delete U#u#M#2026-11", "stats"), kinds(table.writes.get(2)));
        assertEquals(Optional.empty(), store.find("u", lunch.id()).join());
        assertEquals(Optional.empty(), store.find("u", Ids.newTransactionId(LocalDate.parse("2026-11-24"), NOW)).join());
    }
}
