package app.tally.store;

import static app.tally.store.Attributes.key;
import static app.tally.store.Attributes.n;
import static app.tally.store.Attributes.s;

import app.tally.model.EntryType;
import app.tally.model.Ids;
import app.tally.model.Transaction;
import app.tally.retry.Backoff;
import app.tally.retry.Failures;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Transactions, their monthly statistics and idempotency records. Every write that changes money changes the
 * statistics in the same DynamoDB transaction, guarded by conditions, so they never drift.
 * <p>
 * A transaction id carries the booking date it was made with ({@link Ids#dateOf}), which names its home key. A
 * transaction lives at its home until its date changes; then a forwarding item ({@code fwdPk}, {@code fwdSk}) takes
 * its place at the home, written in the same transaction as the move. So a read by id is one GetItem (two after a
 * move), a new transaction is one put, and a put "only if absent" at the home refuses an id that exists anywhere, which
 * is what makes imports exactly-once. Listings skip forwarding items.
 */
public final class LedgerStore {
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
     * Writes a new transaction (at its home: a new id is made from its date), its statistics and (if given) the
     * idempotency record, as one transaction; {@link IdempotencyKeyTaken} when the key has a live record.
     */
    public CompletableFuture<Void> create(String user, Transaction tx, IdempotencyRecord idempotency, Instant now) {
        List<TransactWriteItem> actions = new ArrayList<>(TransactionItems.putNew(table, user, tx));
        int idempotencyAction = actions.size();
        if (idempotency != null) {
            actions.add(TransactWriteItem.builder().put(p -> p.tableName(table)
                    .item(idempotencyItem(user, idempotency))
                    .conditionExpression("attribute_not_exists(PK) OR #ttl < :now")
                    .expressionAttributeNames(Map.of("#ttl", "ttl"))
                    .expressionAttributeValues(Map.of(":now", n(now.getEpochSecond())))).build());
        }
        actions.addAll(Statistics.Delta.of(null, tx).updates(table, user));
        return Transact.write(db, actions).exceptionallyCompose(failure -> {
            Throwable cause = Failures.unwrap(failure);
            return CompletableFuture.failedFuture(idempotency != null && cause instanceof ConditionFailedException failed
                    && failed.failedAt(idempotencyAction) ? new IdempotencyKeyTaken() : cause);
        });
    }

    /** Replaces {@code before} with {@code after} (same id), moving it and its forwarding item when the date changed. */
    public CompletableFuture<Void> replace(String user, Transaction before, Transaction after) {
        List<TransactWriteItem> actions = new ArrayList<>();
        if (before.date().equals(after.date())) {
            actions.add(TransactWriteItem.builder().put(p -> p.tableName(table)
                    .item(TransactionItems.item(user, after))
                    .conditionExpression("ver = :ver")
                    .expressionAttributeValues(Map.of(":ver", n(before.version())))).build());
        } else {
            boolean fromHome = TransactionItems.atHome(before);
            boolean toHome = TransactionItems.atHome(after);
            if (fromHome) {
                // The forwarding item replaces the transaction at its home, at the version read.
                actions.add(putForward(user, after, "ver = :ver", Map.of(":ver", n(before.version()))));
            } else {
                actions.add(deleteAtVersion(user, before));
            }
            if (toHome) {
                actions.add(TransactWriteItem.builder().put(p -> p.tableName(table)
                        .item(TransactionItems.item(user, after))
                        .conditionExpression("fwdSk = :from")
                        .expressionAttributeValues(Map.of(":from", s(TransactionItems.positionOf(before))))).build());
            } else {
                actions.add(TransactWriteItem.builder().put(p -> p.tableName(table)
                        .item(TransactionItems.item(user, after))
                        .conditionExpression("attribute_not_exists(PK)")).build());
                if (!fromHome) {
                    actions.add(putForward(user, after, "fwdSk = :from", Map.of(":from", s(TransactionItems.positionOf(before)))));
                }
            }
        }
        actions.addAll(Statistics.Delta.of(before, after).updates(table, user));
        return Transact.write(db, actions);
    }

    public CompletableFuture<Void> delete(String user, Transaction tx) {
        List<TransactWriteItem> actions = new ArrayList<>();
        actions.add(deleteAtVersion(user, tx));
        if (!TransactionItems.atHome(tx)) {
            actions.add(TransactWriteItem.builder().delete(d -> d.tableName(table).key(TransactionItems.home(user, tx.id()))
                    .conditionExpression("fwdSk = :at")
                    .expressionAttributeValues(Map.of(":at", s(TransactionItems.positionOf(tx))))).build());
        }
        actions.addAll(Statistics.Delta.of(tx, null).updates(table, user));
        return Transact.write(db, actions);
    }

    /** The transaction with this id, from its home or where that forwards; consistent reads (read your writes). */
    public CompletableFuture<Optional<Transaction>> find(String user, String id) {
        return Ids.dateOf(id).isEmpty() ? CompletableFuture.completedFuture(Optional.empty())
                : find(user, id, Backoff.REQUEST.start());
    }

    /** A move between the two reads leaves the forwarded-to key empty: the home is then read again, with backoff. */
    private CompletableFuture<Optional<Transaction>> find(String user, String id, Backoff.Attempts attempts) {
        return db.getItem(g -> g.tableName(table).key(TransactionItems.home(user, id)).consistentRead(true)).thenCompose(home -> {
            if (!home.hasItem() || home.item().isEmpty()) {
                return CompletableFuture.completedFuture(Optional.<Transaction>empty());
            }
            Map<String, AttributeValue> found = home.item();
            if (!found.containsKey(TransactionItems.FORWARD_SK)) {
                return CompletableFuture.completedFuture(Optional.of(TransactionItems.toTransaction(found)));
            }
            return db.getItem(g -> g.tableName(table)
                            .key(key(Attributes.string(found, TransactionItems.FORWARD_PK),
                                    Attributes.string(found, TransactionItems.FORWARD_SK)))
                            .consistentRead(true))
                    .thenCompose(item -> {
                        if (item.hasItem() && !item.item().isEmpty()) {
                            return CompletableFuture.completedFuture(Optional.of(TransactionItems.toTransaction(item.item())));
                        }
                        return attempts.pause()
                                .map(paused -> paused.thenCompose(ignored -> find(user, id, attempts)))
                                .orElseGet(() -> CompletableFuture.completedFuture(Optional.<Transaction>empty()));
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
        filters.add(TransactionItems.NOT_FORWARD);
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
                // A query filtered by type or category reads more per call: DynamoDB applies Limit before the filter.
                // (Forwarding items are rare: a page that meets one is simply followed by the next.)
                .limit(filters.size() == 1 ? need : Math.max(need, 200))
                .filterExpression(String.join(" AND ", filters));
        if (!names.isEmpty()) {
            query.expressionAttributeNames(names);
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
            page.items().forEach(item -> found.add(TransactionItems.toTransaction(item)));
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
            query.filterExpression(TransactionItems.NOT_FORWARD + " AND #cat = :cat").expressionAttributeNames(Map.of("#cat", "cat"));
        } else {
            query.filterExpression(TransactionItems.NOT_FORWARD);
        }
        return db.query(query.expressionAttributeValues(values).build()).thenApply(page -> new MonthPage(
                page.items().stream().map(TransactionItems::toTransaction).toList(),
                page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                        ? page.lastEvaluatedKey().get(Keys.SK).s() : null));
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
            page.items().forEach(item -> rows.add(Statistics.toRow(item)));
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

    /** The forwarding item at the home of {@code tx}'s id, pointing to where {@code tx} is now, on a condition. */
    private TransactWriteItem putForward(String user, Transaction tx, String condition,
                                         Map<String, AttributeValue> values) {
        return TransactWriteItem.builder().put(p -> p.tableName(table)
                .item(TransactionItems.forward(TransactionItems.home(user, tx.id()), user, tx))
                .conditionExpression(condition)
                .expressionAttributeValues(values)).build();
    }

    private TransactWriteItem deleteAtVersion(String user, Transaction tx) {
        return TransactWriteItem.builder().delete(d -> d.tableName(table)
                .key(key(Keys.month(user, tx.month()), Keys.transaction(tx.date(), tx.id())))
                .conditionExpression("ver = :ver")
                .expressionAttributeValues(Map.of(":ver", n(tx.version())))).build();
    }

    private static Map<String, AttributeValue> idempotencyItem(String user, IdempotencyRecord record) {
        return Map.of(Keys.PK, s(Keys.user(user)), Keys.SK, s(Keys.idempotency(record.key())),
                "hash", s(record.requestHash()), "response", s(record.response()),
                "ttl", n(record.expiresAtEpochSecond()));
    }

}
