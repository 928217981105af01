package app.tally.local.faults;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the fault proxies do: a share {@code rate} of the requests (of the named {@code operations}, or all) meets one
 * of {@code faults}, picked evenly, until {@code count} faults were injected (0: no limit); every answer may also be
 * delayed by a fixed {@code latencyMillis}, as a network round trip would. {@code seed} makes a run's choice of victims
 * repeatable for the same sequence of requests. Independently, {@code keyLimit} holds each DynamoDB partition key with
 * a prefix to a write rate, as DynamoDB does (see {@link KeyThrottle}).
 */
public record FaultPlan(double rate, List<Fault> faults, long slowMillis, long latencyMillis, Set<String> operations,
                        long seed, long count, KeyLimit keyLimit) {
    public static final long DEFAULT_SLOW_MILLIS = 2_000;
    public static final FaultPlan NONE = new FaultPlan(0, List.of(), DEFAULT_SLOW_MILLIS, 0, Set.of(), 1, 0,
            KeyLimit.NONE);

    public FaultPlan {
        if (rate < 0 || rate > 1) {
            throw new IllegalArgumentException("rate must be between 0 and 1");
        }
        if (rate > 0 && faults.isEmpty()) {
            throw new IllegalArgumentException("a rate needs at least one fault");
        }
        if (slowMillis < 0 || latencyMillis < 0 || count < 0) {
            throw new IllegalArgumentException("delays cannot be negative");
        }
        faults = List.copyOf(faults);
        operations = Set.copyOf(operations);
    }

    /** Every fault at the given rate. */
    public static FaultPlan all(double rate) {
        return new FaultPlan(rate, List.of(Fault.values()), DEFAULT_SLOW_MILLIS, 0, Set.of(), 1, 0,
                KeyLimit.NONE);
    }

    /** Only a fixed delay on every answer. */
    public static FaultPlan latency(long millis) {
        return new FaultPlan(0, List.of(), DEFAULT_SLOW_MILLIS, millis, Set.of(), 1, 0, KeyLimit.NONE);
    }

    /**
     * From query parameters: {@code rate=0.1&faults=throttle,error,slow,drop-before,drop-after&slowMillis=2000
     * &latencyMillis=0&operations=TransactWriteItems,UploadPart&seed=7&count=1&keyPrefix=U%23&keyWriteUnits=1000};
     * missing ones take the defaults of {@link #all}, and no key limit.
     */
    public static FaultPlan parse(Map<String, String> query) {
        double rate = Double.parseDouble(query.getOrDefault("rate", "0"));
        List<Fault> faults = query.containsKey("faults")
                ? Arrays.stream(query.get("faults").split(",")).filter(s -> !s.isBlank()).map(Fault::fromWire).toList()
                : List.of(Fault.values());
        Set<String> operations = new LinkedHashSet<>();
        if (query.containsKey("operations")) {
            Arrays.stream(query.get("operations").split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .forEach(operations::add);
        }
        return new FaultPlan(rate, faults,
                Long.parseLong(query.getOrDefault("slowMillis", Long.toString(DEFAULT_SLOW_MILLIS))),
                Long.parseLong(query.getOrDefault("latencyMillis", "0")), operations,
                Long.parseLong(query.getOrDefault("seed", "1")), Long.parseLong(query.getOrDefault("count", "0")),
                new KeyLimit(query.getOrDefault("keyPrefix", ""),
                        Double.parseDouble(query.getOrDefault("keyWriteUnits", "0"))));
    }

    /** Whether requests of this operation may meet a fault. */
    boolean targets(String service, String operation) {
        return operations.isEmpty() || operations.contains(operation) || operations.contains(service + "." + operation);
    }

    /** One line for a report: "10% of requests: throttle, error, ... (slow = 2000 ms)". */
    public String describe() {
        String limited = keyLimit.on() ? "; " + keyLimit.describe() : "";
        if (rate == 0) {
            return (latencyMillis > 0 ? "no faults, +" + latencyMillis + " ms per answer" : "no faults") + limited;
        }
        return String.format("%s%% of %s: %s (slow = %d ms)%s%s", new java.text.DecimalFormat("0.##").format(rate * 100),
                operations.isEmpty() ? "all requests" : "requests of " + String.join(", ", operations),
                String.join(", ", faults.stream().map(Fault::wire).toList()), slowMillis,
                latencyMillis > 0 ? ", +" + latencyMillis + " ms per answer" : "", count > 0 ? ", " + count + " at most" : "")
                + limited;
    }
}
