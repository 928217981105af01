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
 * Counts AWS SDK calls per service and operation in the local stack's JVM (a global interceptor registered by this
 * module's resources, so it never reaches a function artifact). The benchmarks read it to count calls per request.
 */
public final class SdkCallCounter implements ExecutionInterceptor {
    private static final Map<String, LongAdder> CALLS = new ConcurrentHashMap<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String name = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "."
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        CALLS.computeIfAbsent(name, n -> new LongAdder()).increment();
    }

    public static Map<String, Long> snapshot() {
        Map<String, Long> counts = new TreeMap<>();
        CALLS.forEach((name, count) -> counts.put(name, count.sum()));
        return counts;
    }

    public static void reset() {
        CALLS.clear();
    }
}
