package app.tally.store;

import app.tally.model.Transaction;
import app.tally.retry.Backoff;
import app.tally.retry.Failures;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
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
import static app.tally.store.Attributes.key;
import static app.tally.store.Attributes.n;
import static app.tally.store.Attributes.s;

/**
 * What an import writes besides its job item: chunks of transactions, each with its statistics and a marker in one
 * DynamoDB transaction, and row errors.
 * <p>
 * A chunk is written exactly once whatever happens to its message: every row's item is put only if absent at its id's
 * home (see {@link LedgerStore}), and the chunk's marker ({@code C#<chunk>} in the job's own partition
 * {@code U#<user>#J#<job>}, also put only if absent) records how many rows it wrote
 * and how many were there already. A redelivered chunk finds its marker and reports the first result, so it never
 * counts its own rows as duplicates; a row that exists from an earlier import (or appears twice in the file with the
 * same id) fails its condition, is dropped from the chunk and counted as a duplicate, and the rest is written again.
 * The statistics ADDs are built from the rows actually written, in the same transaction, and so is the ADD to the
 * job's tally for the chunk's month ({@code T#<month>}, also in the job's partition): the job's counts are exact
 * without a growing set of counted chunks. Chunks of one month come one after another (one FIFO message group), so
 * they never contend for their tally or statistics items.
 * <p>
 * Row errors are spread over {@link #ERROR_SHARDS} partitions by row number and written a few batches at a time, so
 * one import cannot exceed a partition's write rate; throttled writes and unprocessed items are retried within
 * {@link Backoff#WORKER}'s budget, as are the chunk transactions.
 */
public final class ImportStore {
    private static final int BATCH_WRITE = 25;
    /**
     * Row-error partitions per import. The writer has at most {@link #BATCHES_IN_FLIGHT} × 25 items in flight; at
     * 10 ms a round trip that is 10,000 items/s, each of 1 to 3 WCU (a row's raw text is capped at 1,000 characters),
     * and 16 partitions keep each well under DynamoDB's 1,000 WCU/s per partition key at the usual item size. A
     * listing merges the 16 partitions' row-ordered queries.
     */
    public static final int ERROR_SHARDS = 16;
    /** BatchWriteItem calls of row errors one {@link #putErrors} has in flight. */
    static final int BATCHES_IN_FLIGHT = 4;

    private final DynamoDbAsyncClient db;
    private final String table;

    public ImportStore(DynamoDbAsyncClient db, String table) {
        this.db = db;
        this.table = table;
    }

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
            for (TransactWriteItem action : TransactionItems.putNew(table, user, rows.get(i))) {
                actions.add(action);
                rowOfAction.add(i);
            }
        }
        actions.addAll(Statistics.Delta.adding(rows).updates(table, user));
        actions.add(addToTally(user, jobId, month, result));
        return Transact.write(db, actions, Backoff.WORKER).thenApply(ignored -> result).exceptionallyCompose(failure -> {
            Throwable cause = Failures.unwrap(failure);
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
        return Transact.write(db, List.of(putMarker(user, jobId, chunk, failed), addToTally(user, jobId, month, failed)),
                        Backoff.WORKER)
                .thenApply(ignored -> failed)
                .exceptionallyCompose(failure -> {
                    // Only an existing marker means the chunk's outcome is settled; any other failure is retried.
                    Throwable cause = Failures.unwrap(failure);
                    return cause instanceof ConditionFailedException ? settled(user, jobId, chunk)
                            : CompletableFuture.failedFuture(cause);
                });
    }

    public CompletableFuture<Optional<ChunkResult>> marker(String user, String jobId, int chunk) {
        return db.getItem(g -> g.tableName(table).key(key(Keys.importJob(user, jobId), Keys.importChunk(chunk)))
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
                .key(key(Keys.importJob(user, jobId), Keys.importTally(month)))
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
        return Map.of(Keys.PK, s(Keys.importJob(user, jobId)), Keys.SK, s(Keys.importChunk(chunk)),
                "imported", n(result.imported()), "duplicates", n(result.duplicates()), "failed", n(result.failed()));
    }

    /**
     * Stores row errors (rewriting one with the same row is harmless: a retried run writes the same errors), at most
     * {@link #BATCHES_IN_FLIGHT} batches at a time.
     */
    public CompletableFuture<Void> putErrors(String user, String jobId, List<RowError> errors) {
        List<List<WriteRequest>> batches = new ArrayList<>();
        for (int from = 0; from < errors.size(); from += BATCH_WRITE) {
            List<WriteRequest> batch = new ArrayList<>();
            for (RowError error : errors.subList(from, Math.min(errors.size(), from + BATCH_WRITE))) {
                Map<String, AttributeValue> item = new HashMap<>();
                item.put(Keys.PK, s(Keys.importErrors(user, jobId, shard(error.row()))));
                item.put(Keys.SK, s(Keys.importError(error.row())));
                item.put("row", n(error.row()));
                item.put("column", s(error.column() == null ? "" : error.column()));
                item.put("reason", s(error.reason()));
                item.put("raw", s(error.raw()));
                batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
            }
            batches.add(batch);
        }
        // Lanes of batches one after another: never more than BATCHES_IN_FLIGHT calls at once.
        List<CompletableFuture<Void>> lanes = new ArrayList<>();
        for (int lane = 0; lane < Math.min(BATCHES_IN_FLIGHT, batches.size()); lane++) {
            CompletableFuture<Void> written = CompletableFuture.completedFuture(null);
            for (int b = lane; b < batches.size(); b += BATCHES_IN_FLIGHT) {
                List<WriteRequest> batch = batches.get(b);
                written = written.thenCompose(ignored -> batchWrite(batch, Backoff.WORKER.start()));
            }
            lanes.add(written);
        }
        return CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new));
    }

    private static int shard(long row) {
        return (int) (row % ERROR_SHARDS);
    }

    /** BatchWriteItem, retrying UnprocessedItems and throttling with backoff until the budget is spent. */
    private CompletableFuture<Void> batchWrite(List<WriteRequest> batch, Backoff.Attempts attempts) {
        return db.batchWriteItem(b -> b.requestItems(Map.of(table, batch))).handle((response, failure) -> {
            List<WriteRequest> left;
            Throwable refused;
            if (failure != null) {
                refused = Failures.unwrap(failure);
                if (!Transact.retryable(refused)) {
                    return CompletableFuture.<Void>failedFuture(refused);
                }
                left = batch;
            } else {
                left = response.unprocessedItems().getOrDefault(table, List.of());
                if (left.isEmpty()) {
                    return CompletableFuture.<Void>completedFuture(null);
                }
                refused = new IllegalStateException(left.size() + " items stayed unprocessed after "
                        + attempts.made() + " attempts");
            }
            return attempts.pause().map(paused -> paused.thenCompose(ignored -> batchWrite(left, attempts)))
                    .orElseGet(() -> CompletableFuture.failedFuture(refused));
        }).thenCompose(f -> f);
    }

    /**
     * Up to {@code limit} row errors in row order, after the row named by {@code startAfter} (a key of
     * {@link ErrorPage#lastKey}) when given. Each shard is read in row order from there and the shards are merged; a
     * shard that gives {@code limit + 1} rows has more, so a page is last only when every shard ran out.
     */
    public CompletableFuture<ErrorPage> errors(String user, String jobId, String startAfter, int limit) {
        Long after = startAfter == null ? null : rowOf(jobId, startAfter);
        List<CompletableFuture<List<RowError>>> shards = new ArrayList<>();
        for (int shard = 0; shard < ERROR_SHARDS; shard++) {
            Map<String, AttributeValue> values = new HashMap<>();
            values.put(":pk", s(Keys.importErrors(user, jobId, shard)));
            if (after != null) {
                values.put(":after", s(Keys.importError(after)));
            }
            shards.add(db.query(q -> q.tableName(table)
                            .keyConditionExpression(after == null ? "PK = :pk" : "PK = :pk AND SK > :after")
                            .expressionAttributeValues(values)
                            .limit(limit + 1))
                    .thenApply(r -> r.items().stream().map(item -> new RowError(
                            Attributes.number(item, "row"), emptyToNull(Attributes.string(item, "column")),
                            Attributes.string(item, "reason"), Attributes.string(item, "raw"))).toList()));
        }
        return CompletableFuture.allOf(shards.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            List<RowError> merged = new ArrayList<>();
            shards.forEach(shard -> merged.addAll(shard.join()));
            merged.sort(Comparator.comparingLong(RowError::row));
            if (merged.size() <= limit) {
                return new ErrorPage(merged, null);
            }
            List<RowError> page = List.copyOf(merged.subList(0, limit));
            return new ErrorPage(page, errorKey(jobId, page.get(limit - 1).row()));
        });
    }

    /** A page's end as a listing cursor keeps it: the job and the last row shown. */
    private static String errorKey(String jobId, long row) {
        return jobId + "#" + String.format("%09d", row);
    }

    /** Whether a key from a cursor is one of this job's error keys. */
    public static boolean isErrorKeyOf(String jobId, String key) {
        return key.length() == jobId.length() + 10 && key.startsWith(jobId + "#")
                && key.substring(jobId.length() + 1).chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static long rowOf(String jobId, String key) {
        if (!isErrorKeyOf(jobId, key)) {
            throw new IllegalArgumentException("not an error key of " + jobId + ": " + key);
        }
        return Long.parseLong(key.substring(jobId.length() + 1));
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
