package app.tally.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * The worked examples of the DynamoDB Developer Guide, "DynamoDB read and write operations" (capacity unit
 * consumption for reads and writes) and "Item sizes and formats", against {@link DynamoDbCapacity}.
 */
class DynamoDbCapacityTest {
    /** An item of exactly {@code bytes} bytes: a one-letter name and a string of the rest. */
    private static Map<String, AttributeValue> item(long bytes) {
        return Map.of("b", AttributeValue.fromS("x".repeat((int) bytes - 1)));
    }

    private static long kb(double kilobytes) {
        return Math.round(kilobytes * 1024);
    }

    @Test
    void aThreeAndAHalfThousandByteItemReadsLikeFourKb() {
        long size = DynamoDbCapacity.itemBytes(item(3_500));
        assertEquals(3_500, size);
        assertEquals(1, DynamoDbCapacity.readUnits(size, true));
        assertEquals(0.5, DynamoDbCapacity.readUnits(size, false));
    }

    @Test
    void anEightKbItemTakesTwoStrongOneEventualAndFourTransactionalReadUnits() {
        assertEquals(2, DynamoDbCapacity.readUnits(kb(8), true));
        assertEquals(1, DynamoDbCapacity.readUnits(kb(8), false));
        assertEquals(4, 2 * DynamoDbCapacity.readUnits(kb(8), true));
    }

    @Test
    void aTenKbGetItemIsRoundedToTwelveKb() {
        assertEquals(3, DynamoDbCapacity.readUnits(kb(10), true));
    }

    @Test
    void aBatchGetItemRoundsEachItemBeforeAddingThem() {
        // 1.5 KB + 6.5 KB counts as 4 KB + 8 KB = 12 KB, not 8 KB.
        assertEquals(3, DynamoDbCapacity.readUnitsEach(List.of(item(kb(1.5)), item(kb(6.5))), true));
    }

    @Test
    void aQueryRoundsTheTotalOfItsItems() {
        // 10 items of 40.8 KB together are rounded to 44 KB.
        List<Map<String, AttributeValue>> items = Collections.nCopies(10, item(kb(4.08)));
        assertEquals(11, DynamoDbCapacity.readUnits(items, true));
        assertEquals(5.5, DynamoDbCapacity.readUnits(items, false));
        // 1,500 items of 64 bytes are 96 KB together.
        assertEquals(24, DynamoDbCapacity.readUnits(Collections.nCopies(1_500, item(64)), true));
    }

    @Test
    void aQueryAnswerWithoutConsumedCapacityIsComputedFromItsItems() {
        var units = DynamoDbCapacity.of(QueryRequest.builder().tableName("t").build(),
                QueryResponse.builder().items(Collections.nCopies(10, item(kb(4.08)))).build());
        assertEquals(5.5, units.read());
        assertEquals(0, units.write());
    }

    @Test
    void aReadThatFindsNothingStillCostsTheMinimum() {
        // "If you perform a read operation on an item that does not exist, DynamoDB still consumes read throughput."
        assertEquals(0.5, DynamoDbCapacity.of(QueryRequest.builder().tableName("t").build(),
                QueryResponse.builder().items(List.of()).build()).read());
        assertEquals(0.5, DynamoDbCapacity.minimumRead(QueryRequest.builder().tableName("t").build()));
        assertEquals(1, DynamoDbCapacity.minimumRead(GetItemRequest.builder().tableName("t").consistentRead(true).build()));
        assertEquals(0, DynamoDbCapacity.minimumRead(PutItemRequest.builder().tableName("t").build()));
    }

    @Test
    void writesRoundEachItemUpToTheNextKb() {
        assertEquals(1, DynamoDbCapacity.writeUnits(500));
        assertEquals(4, DynamoDbCapacity.writeUnits(kb(3.5)));
        assertEquals(1, DynamoDbCapacity.writeUnits(0));
    }

    @Test
    void aTransactionalWriteCostsTwiceAsMuch() {
        TransactWriteItemsRequest transaction = TransactWriteItemsRequest.builder().transactItems(
                TransactWriteItem.builder().put(Put.builder().tableName("t").item(item(kb(1))).build()).build(),
                TransactWriteItem.builder().put(Put.builder().tableName("t").item(item(kb(3.5))).build()).build())
                .build();
        assertEquals(2 * (1 + 4), DynamoDbCapacity.of(transaction, null).write());
    }

    @Test
    void itemSizeIsNamesPlusValuesByTheTypeRules() {
        // "Item sizes and formats": strings in UTF-8 bytes, one byte for a boolean or null, three bytes for a map or
        // list plus its elements, numbers about one byte per two significant digits plus one.
        Map<String, AttributeValue> item = Map.of(
                "name", AttributeValue.fromS("餐饮"), // 4 + 6
                "ok", AttributeValue.fromBool(true), // 2 + 1
                "tags", AttributeValue.fromL(List.of(AttributeValue.fromS("ab"))), // 4 + 3 + 2
                "amount", AttributeValue.fromN("12345")); // 6 + 3 + 1
        assertEquals(10 + 3 + 9 + 10, DynamoDbCapacity.itemBytes(item));
        assertEquals(2, DynamoDbCapacity.numberBytes("1000"));
        assertEquals(2, DynamoDbCapacity.numberBytes("0.01"));
    }
}
