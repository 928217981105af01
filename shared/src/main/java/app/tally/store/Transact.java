package app.tally.store;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

/**
 * Runs one all-or-nothing write. DynamoDB cancels a transaction that meets another on the same item
 * (TransactionConflict) instead of queueing it, and shared statistics items make that common: such cancellations and
 * throttling are retried with capped exponential backoff and full jitter. A failed condition is never retried here:
 * it means the caller's view is stale, and the caller decides.
 */
final class Transact {
    static final int MAX_ATTEMPTS = 10;
    private static final long BASE_DELAY_MILLIS = 5;
    private static final long MAX_DELAY_MILLIS = 200;

    private Transact() {
    }

    static CompletableFuture<Void> write(DynamoDbAsyncClient db, List<TransactWriteItem> actions) {
        return attempt(db, actions, 1);
    }

    private static CompletableFuture<Void> attempt(DynamoDbAsyncClient db, List<TransactWriteItem> actions, int attempt) {
        // One token per logical attempt: the SDK's own retries of a lost response reuse it, so DynamoDB applies it once.
        return db.transactWriteItems(b -> b.transactItems(actions).clientRequestToken(UUID.randomUUID().toString()))
                .handle((response, failure) -> {
                    if (failure == null) {
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                    if (cause instanceof TransactionCanceledException cancelled) {
                        Set<Integer> failed = failedConditions(cancelled.cancellationReasons());
                        if (!failed.isEmpty()) {
                            return CompletableFuture.<Void>failedFuture(new ConditionFailedException(failed));
                        }
                    }
                    if (attempt < MAX_ATTEMPTS && retryable(cause)) {
                        return later(attempt).thenCompose(ignored -> attempt(db, actions, attempt + 1));
                    }
                    return CompletableFuture.<Void>failedFuture(cause);
                })
                .thenCompose(f -> f);
    }

    private static Set<Integer> failedConditions(List<CancellationReason> reasons) {
        Set<Integer> failed = new HashSet<>();
        for (int i = 0; i < reasons.size(); i++) {
            if ("ConditionalCheckFailed".equals(reasons.get(i).code())) {
                failed.add(i);
            }
        }
        return failed;
    }

    static boolean retryable(Throwable cause) {
        if (cause instanceof TransactionCanceledException cancelled) {
            return cancelled.cancellationReasons().stream().map(CancellationReason::code)
                    .anyMatch(code -> "TransactionConflict".equals(code) || "ThrottlingError".equals(code)
                            || "ProvisionedThroughputExceeded".equals(code));
        }
        return cause instanceof TransactionConflictException
                || (cause instanceof DynamoDbException dynamo && dynamo.isThrottlingException());
    }

    static CompletableFuture<Void> later(int attempt) {
        long cap = Math.min(MAX_DELAY_MILLIS, BASE_DELAY_MILLIS << Math.min(attempt, 10));
        long delay = ThreadLocalRandom.current().nextLong(cap + 1);
        return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS));
    }
}
