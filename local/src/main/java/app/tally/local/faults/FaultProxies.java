package app.tally.local.faults;

import app.tally.json.Json;
import app.tally.local.LocalEndpoints;
import app.tally.local.runtime.SdkCallCounter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The local stack's fault proxies: one in front of each emulator whose endpoint for the functions differs from where
 * the emulator listens (the {@code tally} script arranges that when TALLY_FAULT_PROXY=1). The stack's own clients
 * (resource creation, the queue poller, which stands in for AWS's own event source mapping) go straight to the
 * emulators. Controlled through the gateway's local-only {@code /_local/faults} path.
 */
public final class FaultProxies {
    private static final List<FaultProxy> RUNNING = new CopyOnWriteArrayList<>();

    private FaultProxies() {
    }

    /** Starts a proxy for every service whose function endpoint is not the emulator's own; faults off. */
    public static void start(LocalEndpoints functions, LocalEndpoints emulators) throws IOException {
        start(ProxiedService.DYNAMODB, functions.dynamodb(), emulators.dynamodb());
        start(ProxiedService.SQS, functions.sqs(), emulators.sqs());
        start(ProxiedService.S3, functions.s3(), emulators.s3());
    }

    private static void start(ProxiedService service, URI listen, URI target) throws IOException {
        if (listen.getPort() != target.getPort()) {
            RUNNING.add(new FaultProxy(service, listen.getPort(), target.getPort(), FaultPlan.NONE));
        }
    }

    public static boolean running() {
        return !RUNNING.isEmpty();
    }

    /** Every proxy follows the plan from now on; their counts and the SDK's call counts start again. */
    public static void plan(FaultPlan plan) {
        SdkCallCounter.reset();
        for (FaultProxy proxy : RUNNING) {
            proxy.plan(plan);
            proxy.resetCounts();
        }
    }

    /** Faults off; the counts stay readable. */
    public static void off() {
        RUNNING.forEach(proxy -> proxy.plan(FaultPlan.NONE));
    }

    /**
     * The plan, each proxy's requests and injected faults per operation, and what the SDK clients of the stack's
     * functions did about them: calls and retried attempts.
     */
    public static ObjectNode status() {
        ObjectNode json = Json.object();
        json.put("proxies", running());
        FaultPlan plan = RUNNING.isEmpty() ? FaultPlan.NONE : RUNNING.get(0).plan();
        json.put("plan", plan.describe());
        json.put("rate", plan.rate());
        var faults = json.putArray("faults");
        plan.faults().forEach(f -> faults.add(f.wire()));
        json.put("slowMillis", plan.slowMillis());
        json.putObject("keyLimit").put("keyPrefix", plan.keyLimit().keyPrefix())
                .put("writeUnitsPerSecond", plan.keyLimit().writeUnitsPerSecond());
        ObjectNode services = json.putObject("services");
        for (FaultProxy proxy : RUNNING) {
            ObjectNode service = services.putObject(proxy.service().label());
            service.put("requests", proxy.requests());
            service.put("throttledByKeyLimit", proxy.throttledByKeyLimit());
            ObjectNode byFault = service.putObject("faults");
            proxy.injectedByFault().forEach((fault, count) -> byFault.put(fault.wire(), count));
            ObjectNode byOperation = service.putObject("injected");
            proxy.injected().forEach(byOperation::put);
        }
        json.putObject("sdk").put("calls", SdkCallCounter.calls()).put("retries", SdkCallCounter.retries());
        return json;
    }
}
