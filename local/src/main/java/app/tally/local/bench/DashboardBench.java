package app.tally.local.bench;

import app.tally.aws.AwsClients;
import app.tally.aws.Env;
import app.tally.functions.dashboard.DashboardHandler;
import app.tally.local.Seed;
import app.tally.local.faults.Latency;
import app.tally.local.faults.ProxiedService;
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
import java.util.TreeMap;
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
            measure(concurrent, sequential, event, user, month, mode);
        }
    }

    private static void measure(DashboardHandler concurrent, DashboardHandler sequential, APIGatewayV2HTTPEvent event,
                                String user, YearMonth month, String mode) throws Exception {
        String latency = LatencyModes.set(mode);
        invoke(concurrent, event);
        invoke(sequential, event);
        for (int i = 0; i < 1000; i++) { // warm-up: JIT, connections
            invoke(concurrent, event);
        }
        long[] concurrentNanos = new long[CALLS];
        long[] slowestInCall = new long[CALLS];
        long[] lastStart = new long[CALLS];
        Map<String, List<Long>> readNanos = new HashMap<>();
        int reads = 0;
        for (int i = 0; i < CALLS; i++) {
            long start = System.nanoTime();
            APIGatewayV2HTTPResponse response = invoke(concurrent, event);
            concurrentNanos[i] = System.nanoTime() - start;
            JsonNode spans = JSON.readTree(response.getBody()).get("reads");
            reads = spans.size();
            for (var read : (Iterable<Map.Entry<String, JsonNode>>) spans::fields) {
                long began = read.getValue().get("startMicros").asLong() * 1_000;
                long took = read.getValue().get("endMicros").asLong() * 1_000 - began;
                readNanos.computeIfAbsent(read.getKey(), k -> new ArrayList<>()).add(took);
                slowestInCall[i] = Math.max(slowestInCall[i], took);
                lastStart[i] = Math.max(lastStart[i], began);
            }
        }
        String slowest = readNanos.entrySet().stream()
                .max(Map.Entry.comparingByValue((a, b) -> Long.compare(medianOf(a), medianOf(b)))).orElseThrow().getKey();
        long[] slowestAlone = timeAlone(slowest, user, month);
        long[] sequentialNanos = new long[CALLS];
        for (int i = 0; i < CALLS; i++) {
            long start = System.nanoTime();
            invoke(sequential, event);
            sequentialNanos[i] = System.nanoTime() - start;
        }
        long[] perCallRatio = new long[CALLS];
        for (int i = 0; i < CALLS; i++) {
            perCallRatio[i] = concurrentNanos[i] * 1_000_000 / slowestInCall[i]; // a ratio, scaled for pct()
        }
        double concurrentP50 = Bench.pct(concurrentNanos, 50);
        double aloneP50 = Bench.pct(slowestAlone, 50);
        double sequentialP50 = Bench.pct(sequentialNanos, 50);
        System.out.printf("dashboard (month=%s, months=6; %d reads; %s; %d calls)%n", month, reads, latency, CALLS);
        System.out.printf("  concurrent          p50 %.1f ms, p99 %.1f ms%n", concurrentP50, Bench.pct(concurrentNanos, 99));
        System.out.printf("  slowest read alone  p50 %.1f ms (%s)%n", aloneP50, slowest);
        System.out.printf("  sequential          p50 %.1f ms, p99 %.1f ms%n", sequentialP50, Bench.pct(sequentialNanos, 99));
        System.out.print("  each read within the concurrent dashboard, p50:");
        new TreeMap<>(readNanos).forEach((name, nanos) -> System.out.printf(" %s %.1f ms;", name, medianOf(nanos) / 1e6));
        System.out.println();
        System.out.printf("  within one call, p50: slowest read %.1f ms; last read started after %.2f ms%n",
                Bench.pct(slowestInCall, 50), Bench.pct(lastStart, 50));
        System.out.printf("  concurrent ÷ slowest read alone   = %.2f (target ≤ 1.30; the latency alone makes it %.2f)%n",
                concurrentP50 / aloneP50, latencyFloor(mode, reads));
        System.out.printf("  concurrent ÷ its own slowest read = %.2f, p50 per call%n", Bench.pct(perCallRatio, 50));
        System.out.printf("  sequential ÷ concurrent           = %.2f (target ≥ 0.8 × %d reads = %.1f)%n",
                sequentialP50 / concurrentP50, reads, 0.8 * reads);
    }

    /**
     * What the added latency alone makes of "concurrent ÷ slowest read alone" with nothing else taking time: the p50 of
     * the slowest of {@code reads} delays drawn at once over the p50 of one delay. With DynamoDB's 4±2 ms and 4 reads it
     * is 1.34, since the slowest of four draws is usually well above one draw's median.
     */
    private static double latencyFloor(String mode, int reads) {
        Latency latency = Latency.parse(mode);
        int draws = 100_000;
        long[] one = new long[draws];
        long[] slowestOf = new long[draws];
        for (int i = 0; i < draws; i++) {
            one[i] = latency.nanos(ProxiedService.DYNAMODB);
            for (int r = 0; r < reads; r++) {
                slowestOf[i] = Math.max(slowestOf[i], latency.nanos(ProxiedService.DYNAMODB));
            }
        }
        double oneP50 = Bench.pct(one, 50);
        return oneP50 == 0 ? 1.0 : Bench.pct(slowestOf, 50) / oneP50;
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

    private static APIGatewayV2HTTPResponse invoke(DashboardHandler handler, APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, new LocalContext("DashboardFunction", 1024, 15));
        if (response.getStatusCode() != 200) {
            throw new IllegalStateException("dashboard answered " + response.getStatusCode() + " " + response.getBody());
        }
        return response;
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
