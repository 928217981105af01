package app.tally.local;

import app.tally.model.Ids;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * One user's ledger as stored, read straight from the table with consistent reads: the transaction items, and the
 * statistics as stored next to the statistics recounted from those items ("month|type|category|currency" →
 * [sum, count], zero rows left out). What the integration tests and the benchmarks check after a workload: the
 * statistics must equal the recount, and every transaction must be reachable from its id's home (directly, or through
 * exactly one forwarding item that points to it), whatever faults the writes met.
 */
public record LedgerAudit(List<Map<String, AttributeValue>> transactions, Map<String, List<Long>> stored,
                          Map<String, List<Long>> recounted, boolean forwardsIntact) {

    public static LedgerAudit of(DynamoDbAsyncClient db, String table, String user) {
        List<Map<String, AttributeValue>> transactions = new ArrayList<>();
        Map<String, List<Long>> stored = new HashMap<>();
        Map<String, long[]> counted = new HashMap<>();
        Map<String, String> forwards = new HashMap<>();
        for (Map<String, AttributeValue> item : itemsWithPrefix(db, table, "U#" + user)) {
            String pk = item.get("PK").s();
            if (pk.startsWith("U#" + user + "#M#") && item.containsKey("fwdSk")) {
                forwards.put(pk + "|" + item.get("SK").s(), item.get("fwdPk").s() + "|" + item.get("fwdSk").s());
            } else if (pk.startsWith("U#" + user + "#M#")) {
                transactions.add(item);
                String key = item.get("date").s().substring(0, 7) + "|" + item.get("type").s() + "|"
                        + item.get("cat").s() + "|" + item.get("cur").s();
                long[] totals = counted.computeIfAbsent(key, k -> new long[2]);
                totals[0] += Long.parseLong(item.get("amt").n());
                totals[1]++;
            } else if (pk.equals("U#" + user) && item.get("SK").s().startsWith("S#")) {
                item.forEach((name, value) -> {
                    if (name.startsWith("sum_")) {
                        String currency = name.substring(4);
                        long sum = Long.parseLong(value.n());
                        long count = Long.parseLong(item.get("cnt_" + currency).n());
                        if (sum != 0 || count != 0) {
                            stored.put(item.get("month").s() + "|" + item.get("type").s() + "|"
                                    + item.get("category").s() + "|" + currency, List.of(sum, count));
                        }
                    }
                });
            }
        }
        Map<String, List<Long>> recounted = new HashMap<>();
        counted.forEach((key, totals) -> recounted.put(key, List.of(totals[0], totals[1])));
        return new LedgerAudit(transactions, stored, recounted, forwardsIntact(user, transactions, forwards));
    }

    /** Each transaction away from its home has the one forwarding item there, and no forwarding item is left over. */
    private static boolean forwardsIntact(String user, List<Map<String, AttributeValue>> transactions,
                                          Map<String, String> forwards) {
        Map<String, String> expected = new HashMap<>();
        for (Map<String, AttributeValue> item : transactions) {
            String id = item.get("id").s();
            LocalDate home = Ids.dateOf(id).orElse(null);
            String at = item.get("PK").s() + "|" + item.get("SK").s();
            String homeKey = home == null ? null : "U#" + user + "#M#" + YearMonth.from(home) + "|T#" + home + "#" + id;
            if (home == null) {
                return false;
            }
            // Two transactions away from one home (one id twice) can never be intact.
            if (!homeKey.equals(at) && expected.put(homeKey, at) != null) {
                return false;
            }
        }
        return expected.equals(forwards);
    }

    /** The stored statistics are exactly those recounted from the stored transactions. */
    public boolean statisticsExact() {
        return stored.equals(recounted);
    }

    /** Every stored item whose partition key starts with the prefix (a consistent scan, all pages). */
    public static List<Map<String, AttributeValue>> itemsWithPrefix(DynamoDbAsyncClient db, String table, String prefix) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            ScanResponse page = db.scan(ScanRequest.builder().tableName(table)
                    .filterExpression("begins_with(PK, :p)")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(prefix)))
                    .exclusiveStartKey(start).consistentRead(true).build()).join();
            items.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }
}
