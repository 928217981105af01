package app.tally.aws;

import app.tally.telemetry.Usage;
import java.util.List;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;

/**
 * Asks every DynamoDB call that can report it for its consumed capacity (ReturnConsumedCapacity TOTAL) and adds it to
 * the invocation's usage: as DynamoDB reports it, or where the answer has none (the emulator's Query, Scan and
 * transactions) as {@link DynamoDbCapacity} computes it, never below what DynamoDB charges a read at the least. A
 * write whose condition fails still costs its write units.
 */
final class DynamoDbMetering extends Metering.Interceptor {
    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        return Metering.withMember(context.request(), "ReturnConsumedCapacity", ReturnConsumedCapacity.TOTAL.toString());
    }

    @Override
    void succeeded(Context.AfterExecution context, Usage usage) {
        double reported = reported(context);
        if (reported >= 0) {
            boolean read = isRead(context.request());
            usage.dynamoDb(read ? Math.max(reported, DynamoDbCapacity.minimumRead(context.request())) : 0,
                    read ? 0 : reported);
        } else {
            DynamoDbCapacity.Units units = DynamoDbCapacity.of(context.request(), context.response());
            usage.dynamoDb(units.read(), units.write());
        }
    }

    @Override
    void answeredWithError(Context.FailedExecution context, SdkHttpResponse response, Usage usage) {
        if (context.exception() instanceof ConditionalCheckFailedException) {
            usage.dynamoDb(0, DynamoDbCapacity.of(context.request(), null).write());
        }
    }

    /** The capacity the answer reports, or -1 when it reports none. */
    @SuppressWarnings("unchecked")
    private static double reported(Context.AfterExecution context) {
        var single = Metering.member(context.response(), "ConsumedCapacity", ConsumedCapacity.class);
        if (single.isPresent()) {
            return single.get().capacityUnits() == null ? -1 : single.get().capacityUnits();
        }
        var list = Metering.member(context.response(), "ConsumedCapacity", List.class);
        if (list.isEmpty()) {
            return -1;
        }
        double total = 0;
        for (ConsumedCapacity capacity : (List<ConsumedCapacity>) list.get()) {
            if (capacity.capacityUnits() == null) {
                return -1;
            }
            total += capacity.capacityUnits();
        }
        return total;
    }

    private static boolean isRead(SdkRequest request) {
        return request instanceof GetItemRequest || request instanceof QueryRequest || request instanceof ScanRequest
                || request instanceof BatchGetItemRequest || request instanceof TransactGetItemsRequest;
    }
}
