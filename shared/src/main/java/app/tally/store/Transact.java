package app.tally.store;

import app.tally.retry.Backoff;
import app.tally.retry.Failures;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.dynamodb.model.TransactionInProgressException;

/**
 * Runs one all-or-nothing write. DynamoDB cancels a transaction that meets another on the same item
 * (TransactionConflict) instead of queueing it, and shared statistics items make that common: such cancellations and
 * throttling are retried as {@link Backoff} says, within the caller's budget. A failed condition is never retried here:
 * it means the caller's view is stale, and the caller decides.
 * <p>
 * Every attempt carries the same ClientRequestToken, the SDK's own retries included: when an earlier attempt committed
 * but its answer was lost (a dropped connection, a timeout), a later one answers success and applies nothing again,
 * whatever the last attempt's own error was. Only a cancellation proves that no attempt with the token committed;
 * the next attempt then takes a fresh token, so that DynamoDB runs it anew.
 */
final class Transact {
    private Transact() {
    }

    /** A write an API request waits for. */
    static CompletableFuture<Void> write(DynamoDbAsyncClient db, List<TransactWriteItem> actions) {
        return write(db, actions, Backoff.REQUEST);
    }

    static CompletableFuture<Void> write(DynamoDbAsyncClient db, List<TransactWriteItem> actions, Backoff backoff) {
        return attempt(db, actions, UUID.randomUUID().toString(), backoff.start());
    }

    private static CompletableFuture<Void> attempt(DynamoDbAsyncClient db, List<TransactWriteItem> actions, String token,
                                                   Backoff.Attempts attempts) {
        return db.transactWriteItems(b -> b.transactItems(actions).clientRequestToken(token))
                .handle((response, failure) -> {
                    if (failure == null) {
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    Throwable cause = Failures.unwrap(failure);
                    if (cause instanceof TransactionCanceledException cancelled) {
                        Set<Integer> failed = failedConditions(cancelled.cancellationReasons());
                        if (!failed.isEmpty()) {
                            return CompletableFuture.<Void>failedFuture(new ConditionFailedException(failed));
                        }
                    }
                    if (!retryable(cause)) {
                        return CompletableFuture.<Void>failedFuture(cause);
                    }
                    String next = cause instanceof TransactionCanceledException ? UUID.randomUUID().toString() : token;
                    return attempts.pause()
                            .map(paused -> paused.thenCompose(ignored -> attempt(db, actions, next, attempts)))
                            .orElseGet(() -> CompletableFuture.failedFuture(cause));
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
        // TransactionInProgress: an earlier attempt with the same token is still being applied.
        return cause instanceof TransactionConflictException || cause instanceof TransactionInProgressException
                || (cause instanceof DynamoDbException dynamo && dynamo.isThrottlingException());
    }
}
