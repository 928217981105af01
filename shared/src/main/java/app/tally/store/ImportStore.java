package app.tally.store;

import static app.tally.store.Attributes.key;
import static app.tally.store.Attributes.n;
import static app.tally.store.Attributes.s;

import app.tally.ledger.Transaction;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * What an import writes besides its job item: chunks of transactions, each with its statistics and a marker in one
 * DynamoDB transaction, and row errors.
 * <p>
 * A chunk is written exactly once whatever happens to its message: every row's item is put only if absent at its id's
 * home (see {@link LedgerStore}), and the chunk's marker ({@code JC#<job>#<chunk>}, also put only if absent) records how many rows it wrote
 * and how many were there already. A redelivered chunk finds its marker and reports the first result, so it never
 * counts its own rows as duplicates; a row that exists from an earlier import (or appears twice in the file with the
 * same id) fails its condition, is dropped from the chunk and counted as a duplicate, and the rest is written again.
 * The statistics ADDs are built from the rows actually written, in the same transaction, and so is the ADD to the
 * job's tally for the chunk's month ({@code JT#<job>#<month>}): the job's counts are exact without a growing set of
 * counted chunks. Chunks of one month come one after another (one FIFO message group), so they never contend for
 * their tally or statistics items.
 */
public final class ImportStore {
    /** DynamoDB's limit of actions in one TransactWriteItems. */
    public static final int MAX_ACTIONS = 100;
    private static final int BATCH_WRITE = 25;
    private static final int BATCH_ATTEMPTS = 8;

    private final DynamoDbAsyncClient db;
    private final String table;

    public ImportStore(DynamoDbAsyncClient db, String table) {
        this.db = db;
        this.table = table;
    }

    /** Actions of a chunk's transaction besides its rows and statistics: the marker and the month tally. */
    public static final int CHUNK_OVERHEAD = 2;

    /** A row of an import that cannot be imported: where it is, which column, why, and its raw text. */
    public record RowError(long row, String column, String reason, String raw) {
    }

    /** One page of an import's row errors in row order; {@code lastKey} is where the next starts, null on the last. */
    public record ErrorPage(List<RowError> errors, String lastKey) {
    }

    /** Writes the chunk (rows of one month, distinct ids) and its marker, or finds the marker of an earlier write. */
    public CompletableFuture<ChunkResult> writeChunk(String user, String jobId, int chunk, YearMonth month,
                                                     List<Transaction> rows) {
        Map<String, Transaction> byId = new LinkedHashMap<>();
        rows.forEach(tx -> byId.putIfAbsent(tx.id(), tx));
        return writeChunk(user, jobId, chunk, month, new ArrayList<>(byId.values()), rows.size() - byId.size());
    }

    private CompletableFuture<ChunkResult> writeChunk(String user, String jobId, int chunk, YearMonth month,
                                                      List<Transaction> rows, int duplicates) {
        ChunkResult result = new ChunkResult(rows.size(), duplicates, 0, true);
        List<TransactWriteItem> actions = new ArrayList<>();
        actions.add(putMarker(user, jobId, chunk, result));
        // The row each action writes (one or two actions a row), to read cancellation reasons back to rows.
        List<Integer> rowOfAction = new ArrayList<>();
        rowOfAction.add(-1);
        for (int i = 0; i < rows.size(); i++) {
            for (TransactWriteItem action : LedgerStore.putNew(table, user, rows.get(i))) {
                actions.add(action);
                rowOfAction.add(i);
            }
        }
        actions.addAll(LedgerStore.statsUpdates(table, user, LedgerStore.delta(rows)));
        actions.add(addToTally(user, jobId, month, result));
        return Transact.write(db, actions).thenApply(ignored -> result).exceptionallyCompose(failure -> {
            Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
            if (!(cause instanceof ConditionFailedException failed)) {
                return CompletableFuture.failedFuture(cause);
            }
            if (failed.failedAt(0)) {
                return settled(user, jobId, chunk);
            }
            Set<Integer> present = new HashSet<>();
            for (int a = 1; a < rowOfAction.size(); a++) {
                if (failed.failedAt(a)) {
                    present.add(rowOfAction.get(a));
                }
            }
            List<Transaction> absent = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                if (!present.contains(i)) {
                    absent.add(rows.get(i));
                }
            }
            return writeChunk(user, jobId, chunk, month, absent, duplicates + rows.size() - absent.size());
        });
    }

    /** The result an earlier delivery recorded in the chunk's marker. */
    private CompletableFuture<ChunkResult> settled(String user, String jobId, int chunk) {
        return marker(user, jobId, chunk).thenApply(found -> found.orElseThrow(() ->
                new IllegalStateException("chunk " + chunk + " of " + jobId + " has a marker that vanished")));
    }

    /**
     * A chunk that will not be retried any more: its marker records its rows as failed, and its month tally counts
     * them, unless it was written after all (then that result stands). Either way the chunk can no longer be written
     * twice or counted differently.
     */
    public CompletableFuture<ChunkResult> abandonChunk(String user, String jobId, int chunk, YearMonth month, int rows) {
        ChunkResult failed = new ChunkResult(0, 0, rows, true);
        return Transact.write(db, List.of(putMarker(user, jobId, chunk, failed), addToTally(user, jobId, month, failed)))
                .thenApply(ignored -> failed)
                .exceptionallyCompose(failure -> {
                    // Only an existing marker means the chunk's outcome is settled; any other failure is retried.
                    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                    return cause instanceof ConditionFailedException ? settled(user, jobId, chunk)
                            : CompletableFuture.failedFuture(cause);
                });
    }

    public CompletableFuture<Optional<ChunkResult>> marker(String user, String jobId, int chunk) {
        return db.getItem(g -> g.tableName(table).key(key(Keys.user(user), Keys.importChunk(jobId, chunk)))
                        .consistentRead(true))
                .thenApply(r -> r.hasItem() && !r.item().isEmpty()
                        ? Optional.of(new ChunkResult((int) Attributes.number(r.item(), "imported"),
                                (int) Attributes.number(r.item(), "duplicates"),
                                (int) Attributes.number(r.item(), "failed"), false))
                        : Optional.empty());
    }

    /** One settled chunk more in the job's tally of {@code month}. */
    private TransactWriteItem addToTally(String user, String jobId, YearMonth month, ChunkResult result) {
        return TransactWriteItem.builder().update(u -> u.tableName(table)
                .key(key(Keys.user(user), Keys.importTally(jobId, month)))
                .updateExpression("ADD imported :imported, duplicates :duplicates, #failed :failed, chunks :one")
                .expressionAttributeNames(Map.of("#failed", "failed"))
                .expressionAttributeValues(Map.of(":imported", n(result.imported()),
                        ":duplicates", n(result.duplicates()), ":failed", n(result.failed()), ":one", n(1))))
                .build();
    }

    private TransactWriteItem putMarker(String user, String jobId, int chunk, ChunkResult result) {
        return TransactWriteItem.builder().put(p -> p.tableName(table)
                .item(markerItem(user, jobId, chunk, result))
                .conditionExpression("attribute_not_exists(PK)")).build();
    }

    private static Map<String, AttributeValue> markerItem(String user, String jobId, int chunk, ChunkResult result) {
        return Map.of(Keys.PK, s(Keys.user(user)), Keys.SK, s(Keys.importChunk(jobId, chunk)),
                "imported", n(result.imported()), "duplicates", n(result.duplicates()), "failed", n(result.failed()));
    }

    /** Stores row errors (rewriting one with the same row is harmless: a retried run writes the same errors). */
    public CompletableFuture<Void> putErrors(String user, String jobId, List<RowError> errors) {
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int from = 0; from < errors.size(); from += BATCH_WRITE) {
            List<WriteRequest> batch = new ArrayList<>();
            for (RowError error : errors.subList(from, Math.min(errors.size(), from + BATCH_WRITE))) {
                Map<String, AttributeValue> item = new HashMap<>();
                item.put(Keys.PK, s(Keys.user(user)));
                item.put(Keys.SK, s(Keys.importError(jobId, error.row())));
                item.put("row", n(error.row()));
                item.put("column", s(error.column() == null ? "" : error.column()));
                item.put("reason", s(error.reason()));
                item.put("raw", s(error.raw()));
                batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
            }
            writes.add(batchWrite(batch, 1));
        }
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
    }

    /** BatchWriteItem, retrying UnprocessedItems and throttling with backoff and jitter, a bounded number of times. */
    private CompletableFuture<Void> batchWrite(List<WriteRequest> batch, int attempt) {
        return db.batchWriteItem(b -> b.requestItems(Map.of(table, batch))).handle((response, failure) -> {
            List<WriteRequest> left;
            if (failure != null) {
                Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                if (!Transact.retryable(cause) || attempt >= BATCH_ATTEMPTS) {
                    return CompletableFuture.<Void>failedFuture(cause);
                }
                left = batch;
            } else {
                left = response.unprocessedItems().getOrDefault(table, List.of());
                if (left.isEmpty()) {
                    return CompletableFuture.<Void>completedFuture(null);
                }
                if (attempt >= BATCH_ATTEMPTS) {
                    return CompletableFuture.<Void>failedFuture(new IllegalStateException(
                            left.size() + " items stayed unprocessed after " + attempt + " attempts"));
                }
            }
            List<WriteRequest> again = left;
            return Transact.later(attempt).thenCompose(ignored -> batchWrite(again, attempt + 1));
        }).thenCompose(f -> f);
    }

    /** Up to {@code limit} row errors in row order, after the error key {@code startAfter} when given. */
    public CompletableFuture<ErrorPage> errors(String user, String jobId, String startAfter, int limit) {
        Map<String, AttributeValue> start = startAfter == null ? null : key(Keys.user(user), startAfter);
        return db.query(q -> q.tableName(table)
                        .keyConditionExpression("PK = :pk AND begins_with(SK, :errors)")
                        .expressionAttributeValues(Map.of(":pk", s(Keys.user(user)),
                                ":errors", s(Keys.importErrors(jobId))))
                        .limit(limit)
                        .exclusiveStartKey(start))
                .thenApply(r -> new ErrorPage(r.items().stream().map(item -> new RowError(
                                Attributes.number(item, "row"), emptyToNull(Attributes.string(item, "column")),
                                Attributes.string(item, "reason"), Attributes.string(item, "raw"))).toList(),
                        r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty()
                                ? r.lastEvaluatedKey().get(Keys.SK).s() : null));
    }

    /** Whether a key from a cursor is one of this job's error keys. */
    public static boolean isErrorKeyOf(String jobId, String sortKey) {
        return sortKey.startsWith(Keys.importErrors(jobId));
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
