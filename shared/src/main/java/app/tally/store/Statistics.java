package app.tally.store;

import static app.tally.store.Attributes.key;
import static app.tally.store.Attributes.n;
import static app.tally.store.Attributes.s;

import app.tally.model.Transaction;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Monthly statistics, derived from the transactions: one item per month, type and category holding, per currency, the
 * sum in minor units and the count. Every write that changes money adds its {@link Delta} in the same DynamoDB
 * transaction, one action per item touched (docs/architecture.md, data model).
 */
public final class Statistics {
    private Statistics() {
    }

    /** The statistics item a transaction counts in. */
    public record Item(YearMonth month, String type, String category) {
        public static Item of(Transaction tx) {
            return new Item(tx.month(), tx.type().wire(), tx.category());
        }
    }

    /** Per item, per currency: the change of {sum in minor units, count}; what nets to nothing is left out. */
    public static final class Delta {
        private final Map<Item, Map<String, long[]>> changes = new LinkedHashMap<>();

        private Delta() {
        }

        /** Removing {@code before} and adding {@code after} (either may be null: a create or a delete). */
        public static Delta of(Transaction before, Transaction after) {
            Delta delta = new Delta();
            if (before != null) {
                delta.add(before, -1);
            }
            if (after != null) {
                delta.add(after, 1);
            }
            delta.changes.values().forEach(byCurrency -> byCurrency.values().removeIf(d -> d[0] == 0 && d[1] == 0));
            delta.changes.values().removeIf(Map::isEmpty);
            return delta;
        }

        /** Adding all these transactions. */
        public static Delta adding(List<Transaction> added) {
            Delta delta = new Delta();
            added.forEach(tx -> delta.add(tx, 1));
            return delta;
        }

        /** The items touched: each is one action of the write's transaction. */
        public int items() {
            return changes.size();
        }

        /** The {sum, count} change of one item in one currency; zeros when untouched. */
        public long[] change(Item item, String currency) {
            long[] d = changes.getOrDefault(item, Map.of()).get(currency);
            return d == null ? new long[2] : d.clone();
        }

        private void add(Transaction tx, int sign) {
            long[] d = changes.computeIfAbsent(Item.of(tx), k -> new LinkedHashMap<>())
                    .computeIfAbsent(tx.amount().currency(), c -> new long[2]);
            d[0] = Math.addExact(d[0], sign * tx.amount().minorUnits());
            d[1] += sign;
        }

        /** One ADD per statistics item: a transaction may not touch the same item twice. */
        List<TransactWriteItem> updates(String table, String user) {
            List<TransactWriteItem> updates = new ArrayList<>();
            changes.forEach((item, byCurrency) -> {
                Map<String, String> names = new HashMap<>(Map.of("#month", "month", "#type", "type", "#cat", "category"));
                Map<String, AttributeValue> values = new HashMap<>(Map.of(
                        ":month", s(item.month().toString()), ":type", s(item.type()), ":cat", s(item.category())));
                List<String> adds = new ArrayList<>();
                int i = 0;
                for (var entry : byCurrency.entrySet()) {
                    names.put("#s" + i, "sum_" + entry.getKey());
                    names.put("#c" + i, "cnt_" + entry.getKey());
                    values.put(":s" + i, n(entry.getValue()[0]));
                    values.put(":c" + i, n(entry.getValue()[1]));
                    adds.add("#s" + i + " :s" + i + ", #c" + i + " :c" + i);
                    i++;
                }
                String expression = "SET #month = :month, #type = :type, #cat = :cat ADD " + String.join(", ", adds);
                updates.add(TransactWriteItem.builder().update(u -> u.tableName(table)
                        .key(key(Keys.user(user), Keys.stats(item.month(), item.type(), item.category())))
                        .updateExpression(expression)
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values)).build());
            });
            return updates;
        }
    }

    static StatsRow toRow(Map<String, AttributeValue> item) {
        Map<String, BigInteger> sums = new TreeMap<>();
        Map<String, Long> counts = new TreeMap<>();
        item.forEach((name, value) -> {
            if (name.startsWith("sum_")) {
                // Up to 38 digits; read as a decimal, so a whole number reads in any notation.
                sums.put(name.substring(4), new BigDecimal(value.n()).toBigIntegerExact());
            } else if (name.startsWith("cnt_")) {
                counts.put(name.substring(4), Long.parseLong(value.n()));
            }
        });
        return new StatsRow(YearMonth.parse(Attributes.string(item, "month")), Attributes.string(item, "type"),
                Attributes.string(item, "category"), sums, counts);
    }
}
