package app.tally.local.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;

/**
 * Makes chosen AWS SDK calls fail in the local stack's JVM, so tests can prove how workers recover ("fail the next
 * two S3 UploadPart calls for keys under this user's prefix", "fail the next two DynamoDB TransactWriteItems that
 * write a partition key starting with this user's months"). A global interceptor registered by this module's
 * resources: it never reaches a function artifact, and production code has no fault mode. Armed through the gateway's
 * local-only {@code /_local/sdk-faults} path.
 */
public final class SdkFaults implements ExecutionInterceptor {
    private static final List<Fault> FAULTS = new ArrayList<>();

    private static final class Fault {
        private final String service;
        private final String operation;
        private final String keyPrefix;
        private final boolean answerLost;
        private int remaining;

        Fault(String service, String operation, String keyPrefix, boolean answerLost, int remaining) {
            this.service = service;
            this.operation = operation;
            this.keyPrefix = keyPrefix;
            this.answerLost = answerLost;
            this.remaining = remaining;
        }

        String name() {
            return service + "." + operation + (keyPrefix.isEmpty() ? "" : " " + keyPrefix)
                    + (answerLost ? " (answer lost)" : "");
        }
    }

    /** The next {@code count} calls of the operation, on keys starting with {@code keyPrefix} (any when empty), fail. */
    public static synchronized void arm(String service, String operation, String keyPrefix, int count) {
        FAULTS.add(new Fault(service, operation, keyPrefix, false, count));
    }

    /**
     * The next {@code count} calls succeed at the service, but their caller sees what a retry after a lost answer
     * would meet: for CompleteMultipartUpload NoSuchUpload (S3 forgets an upload once it is complete), for any other
     * operation a failed connection.
     */
    public static synchronized void armLostAnswer(String service, String operation, String keyPrefix, int count) {
        FAULTS.add(new Fault(service, operation, keyPrefix, true, count));
    }

    public static synchronized void clear() {
        FAULTS.clear();
    }

    /** Armed faults and how many calls each will still fail. */
    public static synchronized Map<String, Integer> remaining() {
        Map<String, Integer> remaining = new TreeMap<>();
        FAULTS.forEach(f -> remaining.merge(f.name(), f.remaining, Integer::sum));
        return remaining;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        List<String> keys = keys(context.request());
        if (take(service, operation, keys, false)) {
            throw SdkClientException.create("Injected by the local stack: " + service + "." + operation + " " + keys);
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        List<String> keys = keys(context.request());
        if (take(service, operation, keys, true)) {
            String message = "Injected by the local stack: the answer of " + service + "." + operation + " " + keys
                    + " was lost";
            throw operation.equals("CompleteMultipartUpload")
                    ? NoSuchUploadException.builder().message(message).statusCode(404).awsErrorDetails(
                            AwsErrorDetails.builder().errorCode("NoSuchUpload").errorMessage(message).serviceName(service)
                                    .build()).build()
                    : SdkClientException.create(message);
        }
    }

    /** S3's Key; the partition keys a DynamoDB TransactWriteItems writes; nothing for other calls. */
    private static List<String> keys(Object request) {
        List<String> keys = new ArrayList<>();
        if (request instanceof TransactWriteItemsRequest transact) {
            for (TransactWriteItem action : transact.transactItems()) {
                Map<String, AttributeValue> key = action.put() != null ? action.put().item()
                        : action.update() != null ? action.update().key()
                        : action.delete() != null ? action.delete().key()
                        : action.conditionCheck().key();
                if (key.get("PK") != null && key.get("PK").s() != null) {
                    keys.add(key.get("PK").s());
                }
            }
        } else if (request instanceof software.amazon.awssdk.core.SdkRequest sdk) {
            sdk.getValueForField("Key", Object.class).filter(String.class::isInstance).map(String.class::cast)
                    .ifPresent(keys::add);
        }
        return keys.isEmpty() ? List.of("") : keys;
    }

    private static synchronized boolean take(String service, String operation, List<String> keys,
                                             boolean answerLost) {
        for (Fault fault : FAULTS) {
            if (fault.remaining > 0 && fault.answerLost == answerLost && fault.service.equals(service)
                    && fault.operation.equals(operation)
                    && keys.stream().anyMatch(key -> key.startsWith(fault.keyPrefix))) {
                fault.remaining--;
                FAULTS.removeIf(f -> f.remaining == 0);
                return true;
            }
        }
        return false;
    }
}
