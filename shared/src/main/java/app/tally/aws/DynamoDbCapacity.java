package app.tally.aws;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * DynamoDB's published rules for the capacity a call consumes (Developer Guide, "DynamoDB read and write operations"
 * and "Item sizes and formats"), for calls whose answer carries no ConsumedCapacity (the emulator's Query, Scan and
 * transactions). The one place that knows them; the rules:
 * <ul>
 * <li>an item's size is the sum of its attribute names' and values' sizes (UTF-8 strings, about one byte per two
 * significant digits plus one for numbers, raw bytes for binaries, one byte for booleans and nulls, three bytes of
 * overhead for a list or map);</li>
 * <li>a write costs one unit per KB (1,024 bytes) of the item, rounded up, one at least;</li>
 * <li>a strongly consistent read costs one unit per 4 KB, rounded up, one at least; an eventually consistent one
 * half of that; a Query or Scan rounds the total of the items it returns, a GetItem or BatchGetItem each item;</li>
 * <li>inside a transaction, every read and write costs twice as much.</li>
 * </ul>
 * Where the item a write changes is not in the request (an update, a delete, a condition check), its size is taken
 * from what the request names (key and values), a lower bound: Tally's statistics and job items stay under 1 KB, so
 * the bound is the cost.
 */
public final class DynamoDbCapacity {
    static final int WRITE_UNIT_BYTES = 1024;
    static final int READ_UNIT_BYTES = 4096;

    /** Read and write units of one call. */
    public record Units(double read, double write) {
        static final Units NONE = new Units(0, 0);
    }

    private DynamoDbCapacity() {
    }

    public static long itemBytes(Map<String, AttributeValue> item) {
        long bytes = 0;
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            bytes += utf8(attribute.getKey()) + valueBytes(attribute.getValue());
        }
        return bytes;
    }

    static long valueBytes(AttributeValue value) {
        return switch (value.type()) {
            case S -> utf8(value.s());
            case N -> numberBytes(value.n());
            case B -> value.b().asByteArray().length;
            case BOOL, NUL -> 1;
            case SS -> value.ss().stream().mapToLong(DynamoDbCapacity::utf8).sum();
            case NS -> value.ns().stream().mapToLong(DynamoDbCapacity::numberBytes).sum();
            case BS -> value.bs().stream().mapToLong(b -> b.asByteArray().length).sum();
            case L -> 3 + value.l().stream().mapToLong(DynamoDbCapacity::valueBytes).sum();
            case M -> 3 + itemBytes(value.m());
            case UNKNOWN_TO_SDK_VERSION -> 0;
        };
    }

    /** One byte per two significant digits, rounded up, plus one. */
    static long numberBytes(String number) {
        String digits = new BigDecimal(number).unscaledValue().abs().toString().replaceAll("0+$", "");
        return (Math.max(1, digits.length()) + 1) / 2 + 1;
    }

    private static long utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    public static double writeUnits(long itemBytes) {
        return Math.max(1, ceilDiv(itemBytes, WRITE_UNIT_BYTES));
    }

    public static double readUnits(long bytes, boolean consistent) {
        long units = Math.max(1, ceilDiv(bytes, READ_UNIT_BYTES));
        return consistent ? units : units / 2.0;
    }

    /**
     * What a GetItem, Query or Scan costs at the least, found or not: DynamoDB charges a read that returns nothing its
     * minimum (the emulator reports an empty Query as 0 units).
     */
    public static double minimumRead(SdkRequest request) {
        return switch (request) {
            case GetItemRequest get -> readUnits(0, Boolean.TRUE.equals(get.consistentRead()));
            case QueryRequest query -> readUnits(0, Boolean.TRUE.equals(query.consistentRead()));
            case ScanRequest scan -> readUnits(0, Boolean.TRUE.equals(scan.consistentRead()));
            default -> 0;
        };
    }

    /** A Query's or Scan's items are rounded together. */
    public static double readUnits(Collection<Map<String, AttributeValue>> items, boolean consistent) {
        return readUnits(items.stream().mapToLong(DynamoDbCapacity::itemBytes).sum(), consistent);
    }

    /** A BatchGetItem's items are rounded one by one. */
    public static double readUnitsEach(Collection<Map<String, AttributeValue>> items, boolean consistent) {
        return items.stream().mapToDouble(item -> readUnits(itemBytes(item), consistent)).sum();
    }

    private static long ceilDiv(long bytes, int unit) {
        return (bytes + unit - 1) / unit;
    }

    /** What the call consumed, by the rules above, from its request and answer. */
    public static Units of(SdkRequest request, SdkResponse response) {
        return switch (request) {
            case GetItemRequest get -> new Units(readUnits(((GetItemResponse) response).hasItem()
                    ? itemBytes(((GetItemResponse) response).item()) : 0, Boolean.TRUE.equals(get.consistentRead())), 0);
            case QueryRequest query -> new Units(readUnits(((QueryResponse) response).items(),
                    Boolean.TRUE.equals(query.consistentRead())), 0);
            case ScanRequest scan -> new Units(readUnits(((ScanResponse) response).items(),
                    Boolean.TRUE.equals(scan.consistentRead())), 0);
            case PutItemRequest put -> new Units(0, writeUnits(itemBytes(put.item())));
            case UpdateItemRequest update -> new Units(0, writeUnits(named(update.key(),
                    update.expressionAttributeValues())));
            case DeleteItemRequest delete -> new Units(0, writeUnits(itemBytes(delete.key())));
            case BatchWriteItemRequest batch -> new Units(0, batch.requestItems().values().stream()
                    .flatMap(List::stream)
                    .mapToDouble(write -> writeUnits(itemBytes(write.putRequest() != null ? write.putRequest().item()
                            : write.deleteRequest().key())))
                    .sum());
            case TransactWriteItemsRequest transaction -> new Units(0, 2 * transaction.transactItems().stream()
                    .mapToDouble(action -> writeUnits(bytes(action))).sum());
            default -> switch (response) {
                case BatchGetItemResponse batch -> new Units(batch.responses().values().stream()
                        .mapToDouble(items -> readUnitsEach(items, false)).sum(), 0);
                case TransactGetItemsResponse transaction -> new Units(2 * transaction.responses().stream()
                        .mapToDouble(item -> readUnits(item.hasItem() ? itemBytes(item.item()) : 0, true)).sum(), 0);
                default -> Units.NONE;
            };
        };
    }

    private static long bytes(TransactWriteItem action) {
        if (action.put() != null) {
            return itemBytes(action.put().item());
        }
        if (action.update() != null) {
            return named(action.update().key(), action.update().expressionAttributeValues());
        }
        if (action.delete() != null) {
            return itemBytes(action.delete().key());
        }
        return itemBytes(action.conditionCheck().key());
    }

    /** What an update names: its key and its values (a lower bound of the item's size). */
    private static long named(Map<String, AttributeValue> key, Map<String, AttributeValue> values) {
        return itemBytes(key) + values.values().stream().mapToLong(DynamoDbCapacity::valueBytes).sum();
    }
}
