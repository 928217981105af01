package app.tally.store;

import static app.tally.store.Attributes.key;
import static app.tally.store.Attributes.n;
import static app.tally.store.Attributes.s;

import app.tally.ledger.EntryType;
import app.tally.ledger.Transaction;
import app.tally.money.Money;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Transactions, their id pointers, their monthly statistics and idempotency records. Every write that changes money
 * changes the statistics in the same DynamoDB transaction, guarded by conditions, so they never drift.
 */
public final class LedgerStore {
    /** A read that keeps meeting moves of the same transaction tries again this often, with backoff. */
    private static final int FIND_ATTEMPTS = 8;
    /**
     * Items per range-read page: a full 1 MB page (about 4,000 transactions) keeps a busy emulator at it for over a
     * second, past the SDK's attempt timeout, so a slow or retried page could spend the whole call's deadline. A
     * thousand keep every call short, at the same throughput.
     */
    static final int RANGE_PAGE_ITEMS = 1_000;
    private final DynamoDbAsyncClient db;
    private final String table;

    public LedgerStore(DynamoDbAsyncClient db, String table) {
        this.db = db;
        this.table = table;
    }

    /**
     * Writes a new transaction, its pointer, its statistics and (if given) the idempotency record, as one transaction.
     * Action 0 is the item, action 1 the pointer, action 2 the idempotency record when present.
     */
    public CompletableFuture<Void> create(String user, Transaction tx, IdempotencyRecord idempotency, Instant now) {
        List<TransactWriteItem> actions = new ArrayList<>();
        actions.add(putNew(table, user, tx));
        actions.add(putNewPointer(table, user, tx));
        if (idempotency != null) {
            actions.add(TransactWriteItem.builder().put(p -> p.tableName(table)
                    .item(idempotencyItem(user, idempotency))
                    .conditionExpression("attribute_not_exists(PK) OR #ttl < :now")
                    .expressionAttributeNames(Map.of("#ttl", "ttl"))
                    .expressionAttributeValues(Map.of(":now", n(now.getEpochSecond())))).build());
        }
        actions.addAll(statsUpdates(table, user, delta(null, tx)));
        return Transact.write(db, actions);
    }

    /** Replaces {@code before} with {@code after} (same id), moving partitions when the month changed. */
    public CompletableFuture<Void> replace(String user, Transaction before, Transaction after) {
        List<TransactWriteItem> actions = new ArrayList<>();
        if (before.month().equals(after.month()) && before.date().equals(after.date())) {
            actions.add(TransactWriteItem.builder().put(p -> p.tableName(table)
                    .item(transactionItem(user, after))
                    .conditionExpression("ver = :ver")
                    .expressionAttributeValues(Map.of(":ver", n(before.version())))).build());
        } else {
            actions.add(deleteAtVersion(user, before));
            actions.add(putNew(table, user, after));
            actions.add(TransactWriteItem.builder().put(p -> p.tableName(table)
                    .item(pointerItem(user, after))
                    .conditionExpression("txSk = :sk")
                    .expressionAttributeValues(Map.of(":sk", s(Keys.transaction(before.date(), before.id())))))
                    .build());
        }
        actions.addAll(statsUpdates(table, user, delta(before, after)));
        return Transact.write(db, actions);
    }

    public CompletableFuture<Void> delete(String user, Transaction tx) {
        List<TransactWriteItem> actions = new ArrayList<>();
        actions.add(deleteAtVersion(user, tx));
        actions.add(TransactWriteItem.builder().delete(d -> d.tableName(table)
                .key(key(Keys.user(user), Keys.pointer(tx.id())))
                .conditionExpression("txSk = :sk")
                .expressionAttributeValues(Map.of(":sk", s(Keys.transaction(tx.date(), tx.id()))))).build());
        actions.addAll(statsUpdates(table, user, delta(tx, null)));
        return Transact.write(db, actions);
    }

    /** The transaction with this id, found through its pointer; consistent reads, so a user sees their own writes. */
    public CompletableFuture<Optional<Transaction>> find(String user, String id) {
        return find(user, id, 1);
    }

    /** A move between the two reads leaves the pointer's old target empty: the pointer is then read again. */
    private CompletableFuture<Optional<Transaction>> find(String user, String id, int attempt) {
        return db.getItem(g -> g.tableName(table).key(key(Keys.user(user), Keys.pointer(id))).consistentRead(true))
                .thenCompose(pointer -> {
                    if (!pointer.hasItem() || pointer.item().isEmpty()) {
                        return CompletableFuture.completedFuture(Optional.<Transaction>empty());
                    }
                    Map<String, AttributeValue> p = pointer.item();
                    return db.getItem(g -> g.tableName(table)
                                    .key(key(Attributes.string(p, "txPk"), Attributes.string(p, "txSk")))
                                    .consistentRead(true))
                            .thenCompose(item -> {
                                if (item.hasItem() && !item.item().isEmpty()) {
                                    return CompletableFuture.completedFuture(Optional.of(toTransaction(item.item())));
                                }
                                return attempt < FIND_ATTEMPTS
                                        ? Transact.later(attempt).thenCompose(ignored -> find(user, id, attempt + 1))
                                        : CompletableFuture.completedFuture(Optional.<Transaction>empty());
                            });
                });
    }

    /**
     * Up to {@code need} transactions of one month between two dates (inclusive), newest first, after
     * {@code startAfterSk} when given, optionally filtered by type and category.
     */
    public CompletableFuture<MonthSlice> month(String user, YearMonth month, LocalDate from, LocalDate to,
                                               EntryType type, String category, String startAfterSk, int need) {
        Map<String, AttributeValue> values = daysOfMonth(user, month, from, to);
        Map<String, String> names = new HashMap<>();
        List<String> filters = new ArrayList<>();
        if (type != null) {
            names.put("#type", "type");
            values.put(":type", s(type.wire()));
            filters.add("#type = :type");
        }
        if (category != null) {
            names.put("#cat", "cat");
            values.put(":cat", s(category));
            filters.add("#cat = :cat");
        }
        QueryRequest.Builder query = QueryRequest.builder().tableName(table)
                .keyConditionExpression("PK = :pk AND SK BETWEEN :lo AND :hi")
                .expressionAttributeValues(values)
                .scanIndexForward(false)
                .consistentRead(true)
                // A filtered query reads more per call: DynamoDB applies Limit before the filter.
                .limit(filters.isEmpty() ? need : Math.max(need, 200));
        if (!filters.isEmpty()) {
            query.filterExpression(String.join(" AND ", filters)).expressionAttributeNames(names);
        }
        Map<String, AttributeValue> start = startAfterSk == null ? null : key(Keys.month(user, month), startAfterSk);
        return monthPages(query, start, need, new ArrayList<>());
    }

    /** Key condition values {@code :pk :lo :hi} for the days of a month within [from, to]. */
    private static Map<String, AttributeValue> daysOfMonth(String user, YearMonth month, LocalDate from, LocalDate to) {
        LocalDate lo = from.isAfter(month.atDay(1)) ? from : month.atDay(1);
        LocalDate hi = to.isBefore(month.atEndOfMonth()) ? to : month.atEndOfMonth();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":pk", s(Keys.month(user, month)));
        values.put(":lo", s(Keys.day(lo)));
        values.put(":hi", s(Keys.day(hi) + Keys.HIGH));
        return values;
    }

    /** The month's newest {@code count} transactions. */
    public CompletableFuture<MonthSlice> newest(String user, YearMonth month, int count) {
        return month(user, month, month.atDay(1), month.atEndOfMonth(), null, null, null, count);
    }

    private CompletableFuture<MonthSlice> monthPages(QueryRequest.Builder query, Map<String, AttributeValue> start,
                                                     int need, List<Transaction> found) {
        return db.query(query.exclusiveStartKey(start).build()).thenCompose(page -> {
            page.items().forEach(item -> found.add(toTransaction(item)));
            boolean more = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty();
            if (found.size() >= need || !more) {
                return CompletableFuture.completedFuture(new MonthSlice(found, more || found.size() > need));
            }
            return monthPages(query, page.lastEvaluatedKey(), need, found);
        });
    }

    /**
     * One page (at most {@link #RANGE_PAGE_ITEMS} items) of a month's transactions between two dates (inclusive),
     * oldest first, after {@code startAfterSk} when given, optionally of one category. Range reads such as exports
     * page through a month with this, so they never hold more than a page of it.
     */
    public CompletableFuture<MonthPage> monthPage(String user, YearMonth month, LocalDate from, LocalDate to,
                                                  String category, String startAfterSk) {
        Map<String, AttributeValue> values = daysOfMonth(user, month, from, to);
        QueryRequest.Builder query = QueryRequest.builder().tableName(table)
                .keyConditionExpression("PK = :pk AND SK BETWEEN :lo AND :hi")
                .consistentRead(true)
                .limit(RANGE_PAGE_ITEMS)
                .exclusiveStartKey(startAfterSk == null ? null : key(Keys.month(user, month), startAfterSk));
        if (category != null) {
            values.put(":cat", s(category));
            query.filterExpression("#cat = :cat").expressionAttributeNames(Map.of("#cat", "cat"));
        }
        return db.query(query.expressionAttributeValues(values).build()).thenApply(page -> new MonthPage(
                page.items().stream().map(LedgerStore::toTransaction).toList(),
                page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                        ? page.lastEvaluatedKey().get(Keys.SK).s() : null));
    }

    /** The sort key a listing resumes after. */
    public static String positionOf(Transaction tx) {
        return Keys.transaction(tx.date(), tx.id());
    }

    /** Every statistics row of the months in [from, to], oldest first, with all its pages. */
    public CompletableFuture<List<StatsRow>> stats(String user, YearMonth from, YearMonth to) {
        QueryRequest.Builder query = QueryRequest.builder().tableName(table)
                .keyConditionExpression("PK = :pk AND SK BETWEEN :lo AND :hi")
                .expressionAttributeValues(Map.of(
                        ":pk", s(Keys.user(user)),
                        ":lo", s(Keys.statsMonth(from)),
                        ":hi", s(Keys.statsMonth(to) + Keys.HIGH)))
                .consistentRead(true);
        return statsPages(query, null, new ArrayList<>());
    }

    private CompletableFuture<List<StatsRow>> statsPages(QueryRequest.Builder query, Map<String, AttributeValue> start,
                                                         List<StatsRow> rows) {
        return db.query(query.exclusiveStartKey(start).build()).thenCompose(page -> {
            page.items().forEach(item -> rows.add(toStatsRow(item)));
            if (page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()) {
                return statsPages(query, page.lastEvaluatedKey(), rows);
            }
            return CompletableFuture.completedFuture(rows);
        });
    }

    public CompletableFuture<Optional<IdempotencyRecord>> idempotencyRecord(String user, String key) {
        return db.getItem(g -> g.tableName(table).key(key(Keys.user(user), Keys.idempotency(key))).consistentRead(true))
                .thenApply(r -> r.hasItem() && !r.item().isEmpty()
                        ? Optional.of(new IdempotencyRecord(key, Attributes.string(r.item(), "hash"),
                                Attributes.string(r.item(), "response"), Attributes.number(r.item(), "ttl")))
                        : Optional.empty());
    }

    /** A new transaction's item; the condition fails when one with this date and id exists. */
    static TransactWriteItem putNew(String table, String user, Transaction tx) {
        return TransactWriteItem.builder().put(p -> p.tableName(table)
                .item(transactionItem(user, tx))
                .conditionExpression("attribute_not_exists(PK)")).build();
    }

    /** A new transaction's id pointer; the condition fails when the id is taken, whatever its month. */
    static TransactWriteItem putNewPointer(String table, String user, Transaction tx) {
        return TransactWriteItem.builder().put(p -> p.tableName(table)
                .item(pointerItem(user, tx))
                .conditionExpression("attribute_not_exists(PK)")).build();
    }

    private TransactWriteItem deleteAtVersion(String user, Transaction tx) {
        return TransactWriteItem.builder().delete(d -> d.tableName(table)
                .key(key(Keys.month(user, tx.month()), Keys.transaction(tx.date(), tx.id())))
                .conditionExpression("ver = :ver")
                .expressionAttributeValues(Map.of(":ver", n(tx.version())))).build();
    }

    private static Map<String, AttributeValue> transactionItem(String user, Transaction tx) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(Keys.PK, s(Keys.month(user, tx.month())));
        item.put(Keys.SK, s(Keys.transaction(tx.date(), tx.id())));
        item.put("id", s(tx.id()));
        item.put("date", s(tx.date().toString()));
        item.put("type", s(tx.type().wire()));
        item.put("amt", n(tx.amount().minorUnits()));
        item.put("cur", s(tx.amount().currency()));
        item.put("cat", s(tx.category()));
        item.put("note", s(tx.note()));
        item.put("tags", Attributes.list(tx.tags()));
        item.put("createdAt", s(tx.createdAt().toString()));
        item.put("updatedAt", s(tx.updatedAt().toString()));
        item.put("ver", n(tx.version()));
        return item;
    }

    private static Map<String, AttributeValue> pointerItem(String user, Transaction tx) {
        return Map.of(Keys.PK, s(Keys.user(user)), Keys.SK, s(Keys.pointer(tx.id())),
                "txPk", s(Keys.month(user, tx.month())), "txSk", s(Keys.transaction(tx.date(), tx.id())));
    }

    private static Map<String, AttributeValue> idempotencyItem(String user, IdempotencyRecord record) {
        return Map.of(Keys.PK, s(Keys.user(user)), Keys.SK, s(Keys.idempotency(record.key())),
                "hash", s(record.requestHash()), "response", s(record.response()),
                "ttl", n(record.expiresAtEpochSecond()));
    }

    static Transaction toTransaction(Map<String, AttributeValue> item) {
        return new Transaction(
                Attributes.string(item, "id"),
                LocalDate.parse(Attributes.string(item, "date")),
                EntryType.fromWire(Attributes.string(item, "type")),
                new Money(Attributes.number(item, "amt"), Attributes.string(item, "cur")),
                Attributes.string(item, "cat"),
                Attributes.string(item, "note"),
                Attributes.strings(item, "tags"),
                Instant.parse(Attributes.string(item, "createdAt")),
                Instant.parse(Attributes.string(item, "updatedAt")),
                Attributes.number(item, "ver"));
    }

    private static StatsRow toStatsRow(Map<String, AttributeValue> item) {
        Map<String, Long> sums = new TreeMap<>();
        Map<String, Long> counts = new TreeMap<>();
        item.forEach((name, value) -> {
            if (name.startsWith("sum_")) {
                sums.put(name.substring(4), Long.parseLong(value.n()));
            } else if (name.startsWith("cnt_")) {
                counts.put(name.substring(4), Long.parseLong(value.n()));
            }
        });
        return new StatsRow(YearMonth.parse(Attributes.string(item, "month")), Attributes.string(item, "type"),
                Attributes.string(item, "category"), sums, counts);
    }

    /** Statistics key → currency → {sum delta, count delta}; removes {@code before}, adds {@code after}. */
    private static Map<List<String>, Map<String, long[]>> delta(Transaction before, Transaction after) {
        Map<List<String>, Map<String, long[]>> delta = new LinkedHashMap<>();
        if (before != null) {
            add(delta, before, -1);
        }
        if (after != null) {
            add(delta, after, 1);
        }
        delta.values().forEach(byCurrency -> byCurrency.values().removeIf(d -> d[0] == 0 && d[1] == 0));
        delta.values().removeIf(Map::isEmpty);
        return delta;
    }

    /** The statistics delta of adding all these transactions: one entry per statistics item they touch. */
    static Map<List<String>, Map<String, long[]>> delta(List<Transaction> added) {
        Map<List<String>, Map<String, long[]>> delta = new LinkedHashMap<>();
        added.forEach(tx -> add(delta, tx, 1));
        return delta;
    }

    /** How many statistics items these transactions touch (each is one action of a transaction). */
    public static int statsItems(List<Transaction> transactions) {
        return delta(transactions).size();
    }

    private static void add(Map<List<String>, Map<String, long[]>> delta, Transaction tx, int sign) {
        long[] d = delta.computeIfAbsent(List.of(tx.month().toString(), tx.type().wire(), tx.category()),
                k -> new LinkedHashMap<>()).computeIfAbsent(tx.amount().currency(), c -> new long[2]);
        d[0] = Math.addExact(d[0], sign * tx.amount().minorUnits());
        d[1] += sign;
    }

    /** One ADD per statistics item: a transaction may not touch the same item twice. */
    static List<TransactWriteItem> statsUpdates(String table, String user, Map<List<String>, Map<String, long[]>> delta) {
        List<TransactWriteItem> updates = new ArrayList<>();
        delta.forEach((statsKey, byCurrency) -> {
            Map<String, String> names = new HashMap<>(Map.of("#month", "month", "#type", "type", "#cat", "category"));
            Map<String, AttributeValue> values = new HashMap<>(Map.of(
                    ":month", s(statsKey.get(0)), ":type", s(statsKey.get(1)), ":cat", s(statsKey.get(2))));
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
                    .key(key(Keys.user(user), Keys.stats(YearMonth.parse(statsKey.get(0)), statsKey.get(1),
                            statsKey.get(2))))
                    .updateExpression(expression)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)).build());
        });
        return updates;
    }
}
