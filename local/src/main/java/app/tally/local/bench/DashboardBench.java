package app.tally.local.bench;

import app.tally.aws.AwsClients;
import app.tally.aws.Env;
import app.tally.functions.dashboard.DashboardHandler;
import app.tally.local.Seed;
import app.tally.local.runtime.LocalContext;
import app.tally.store.LedgerStore;
import app.tally.store.ProfileStore;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The dashboard handler, in this JVM, against the DynamoDB emulator behind the stack's fault proxy (no faults), with
 * no added latency and then at AWS's in-region latency ({@link LatencyModes}): concurrent p50/p99, the slowest single
 * read alone, and the same reads one after another.
 */
final class DashboardBench {
    static final int CALLS = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    private DashboardBench() {
    }

    /**
     * The SDK in this JVM was pointed at the stack's DynamoDB fault proxy by the script; each latency mode is measured
     * with the same handlers and data.
     */
    static void run() throws Exception {
        String user = "dashboard-bench";
        Seed.main(new String[] {user});
        YearMonth month = YearMonth.now();
        DashboardHandler concurrent = new DashboardHandler(Env.system());
        DashboardHandler sequential = new DashboardHandler(Env.system(), AwsClients.container(), 1);
        APIGatewayV2HTTPEvent event = event(user, month);
        for (String mode : LatencyModes.MODES) {
            String latency = LatencyModes.set(mode);
            measure(concurrent, sequential, event, user, month, latency);
        }
    }

    private static void measure(DashboardHandler concurrent, DashboardHandler sequential, APIGatewayV2HTTPEvent event,
                                String user, YearMonth month, String latency) throws Exception {
        call(concurrent, event);
        call(sequential, event);
        for (int i = 0; i < 1000; i++) { // warm-up: JIT, connections
            call(concurrent, event);
        }
        long[] concurrentNanos = new long[CALLS];
        Map<String, List<Long>> readTimes = new HashMap<>();
        int reads = 0;
        for (int i = 0; i < CALLS; i++) {
            long start = System.nanoTime();
            JsonNode body = call(concurrent, event);
            concurrentNanos[i] = System.nanoTime() - start;
            reads = body.get("timings").size();
            body.get("timings").fields().forEachRemaining(e ->
                    readTimes.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue().asLong()));
        }
        System.out.println("  reads started at (µs after the first): " + call(concurrent, event).get("startsMicros"));
        String slowest = readTimes.entrySet().stream()
                .max(Map.Entry.comparingByValue((a, b) -> Long.compare(medianOf(a), medianOf(b)))).orElseThrow().getKey();
        long[] slowestAlone = timeAlone(slowest, user, month);
        long[] sequentialNanos = new long[CALLS];
        for (int i = 0; i < CALLS; i++) {
            long start = System.nanoTime();
            call(sequential, event);
            sequentialNanos[i] = System.nanoTime() - start;
        }
        double concurrentP50 = Bench.pct(concurrentNanos, 50);
        double aloneP50 = Bench.pct(slowestAlone, 50);
        double sequentialP50 = Bench.pct(sequentialNanos, 50);
        System.out.printf("dashboard (month=%s, months=6; %d reads; %s; %d calls)%n", month, reads, latency, CALLS);
        System.out.printf("  concurrent          p50 %.1f ms, p99 %.1f ms%n", concurrentP50, Bench.pct(concurrentNanos, 99));
        System.out.printf("  slowest read alone  p50 %.1f ms (%s)%n", aloneP50, slowest);
        System.out.printf("  sequential          p50 %.1f ms, p99 %.1f ms%n", sequentialP50, Bench.pct(sequentialNanos, 99));
        System.out.print("  each read, p50 within the concurrent dashboard:");
        new java.util.TreeMap<>(readTimes).forEach((name, times) -> System.out.print(" " + name + " " + medianOf(times) + " ms;"));
        System.out.println();
        System.out.printf("  concurrent ÷ slowest read = %.2f (target ≤ 1.30)%n", concurrentP50 / aloneP50);
        System.out.printf("  sequential ÷ concurrent   = %.2f (target ≥ 0.8 × %d reads = %.1f)%n",
                sequentialP50 / concurrentP50, reads, 0.8 * reads);
    }

    /** The slowest read on its own, through the same client, CALLS times. */
    private static long[] timeAlone(String read, String user, YearMonth month) {
        LedgerStore store = new LedgerStore(AwsClients.container().dynamoDb(), Env.system().require("TABLE_NAME"));
        String[] parts = read.split(" ");
        Supplier<Object> once = switch (parts[0]) {
            case "stats" -> () -> store.stats(user, month.minusMonths(5), month).join();
            case "recent" -> () -> store.newest(user, YearMonth.parse(parts[1]), 10).join();
            default -> () -> new ProfileStore(AwsClients.container().dynamoDb(), Env.system().require("TABLE_NAME")).find(user).join();
        };
        for (int i = 0; i < 30; i++) {
            once.get();
        }
        long[] nanos = new long[CALLS];
        for (int i = 0; i < CALLS; i++) {
            long start = System.nanoTime();
            once.get();
            nanos[i] = System.nanoTime() - start;
        }
        return nanos;
    }

    private static long medianOf(List<Long> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    private static JsonNode call(DashboardHandler handler, APIGatewayV2HTTPEvent event) throws Exception {
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, new LocalContext("DashboardFunction", 1024, 15));
        if (response.getStatusCode() != 200) {
            throw new IllegalStateException("dashboard answered " + response.getStatusCode() + " " + response.getBody());
        }
        return JSON.readTree(response.getBody());
    }

    private static APIGatewayV2HTTPEvent event(String user, YearMonth month) {
        return APIGatewayV2HTTPEvent.builder()
                .withRouteKey("GET /dashboard")
                .withRawPath("/dashboard")
                .withQueryStringParameters(Map.of("month", month.toString(), "months", "6", "debug", "timings"))
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                                        .withClaims(Map.of("sub", user)).build())
                                .build())
                        .build())
                .build();
    }
}
