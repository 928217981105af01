package app.tally.local.runtime;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts AWS SDK calls per service and operation in the local stack's JVM, and the HTTP attempts they took (a global
 * interceptor registered by this module's resources, so it never reaches a function artifact). The benchmarks read it
 * to count calls per request, and attempts beyond the first of each call: the SDK's own retries.
 */
public final class SdkCallCounter implements ExecutionInterceptor {
    private static final Map<String, LongAdder> CALLS = new ConcurrentHashMap<>();
    private static final LongAdder ATTEMPTS = new LongAdder();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String name = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "."
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        CALLS.computeIfAbsent(name, n -> new LongAdder()).increment();
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        ATTEMPTS.increment();
    }

    public static Map<String, Long> snapshot() {
        Map<String, Long> counts = new TreeMap<>();
        CALLS.forEach((name, count) -> counts.put(name, count.sum()));
        return counts;
    }

    public static long calls() {
        return CALLS.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** HTTP attempts beyond the first of each call. */
    public static long retries() {
        return Math.max(0, ATTEMPTS.sum() - calls());
    }

    public static void reset() {
        CALLS.clear();
        ATTEMPTS.reset();
    }
}
