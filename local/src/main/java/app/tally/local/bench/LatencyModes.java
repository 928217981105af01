package app.tally.local.bench;

import app.tally.local.LocalEndpoints;
import app.tally.local.faults.Latency;
import java.net.URI;
import java.util.List;

/**
 * The two settings the benchmarks measure in turn (docs/testing.md): no added latency, and AWS's in-region round trip
 * ({@link Latency#AWS}) on every call, set in the stack's fault proxies; baselines written straight to DynamoDB go
 * through the same proxies, so both sides of a ratio see the same latency.
 */
final class LatencyModes {
    static final List<String> MODES = List.of("none", "aws");
    /** The {@code tally} script starts each fault proxy this many ports above its emulator. */
    private static final int PROXY_PORT_OFFSET = 10;

    private LatencyModes() {
    }

    /** Sets the stack's proxies to {@code mode}; returns what they add now, as a heading. */
    static String set(String mode) {
        ApiClient api = new ApiClient(ApiClient.gateway(), 1);
        ApiClient.Reply reply = api.send("POST", "/_local/latency?latency=" + mode, null, null, null);
        if (reply.status() != 200) {
            throw new IllegalStateException("the stack runs without fault proxies (TALLY_FAULT_PROXY=1): " + reply);
        }
        return "latency added per call: " + reply.json().get("latency").asText();
    }

    /** The stack's fault proxies in front of the emulators. */
    static LocalEndpoints proxies() {
        LocalEndpoints emulators = LocalEndpoints.emulators();
        return new LocalEndpoints(proxy(emulators.dynamodb()), proxy(emulators.sqs()), proxy(emulators.s3()));
    }

    private static URI proxy(URI emulator) {
        return URI.create(emulator.getScheme() + "://" + emulator.getHost() + ":" + (emulator.getPort() + PROXY_PORT_OFFSET));
    }
}
