package app.tally.local.bench;

import app.tally.local.LocalClients;
import app.tally.local.LocalEndpoints;
import app.tally.local.LocalStack;
import app.tally.local.push.SocketApi;
import app.tally.local.template.FunctionArtifact;
import app.tally.local.template.LocalNames;
import app.tally.local.template.SamTemplate;
import app.tally.local.template.SamTemplate.FunctionDef;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Benchmarks against the running local stack; each prints its figures. Started by {@code ./tally bench NAME}. */
public final class Bench {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** EventBridge's detail-type of a schedule's event, for a function that has no route and no queue. */
    static final String SCHEDULED_EVENT = "Scheduled Event";
    private static final URI API = URI.create(System.getenv().getOrDefault("TALLY_API_URL", "http://127.0.0.1:3000"));
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        switch (args.length == 0 ? "" : args[0]) {
            case "functions" -> functions(args.length > 1 ? Integer.parseInt(args[1]) : 3);
            case "api" -> api();
            case "dashboard" -> DashboardBench.run();
            case "export" -> ExportBench.run();
            case "import" -> ImportBench.run();
            case "chaos" -> ChaosBench.run();
            case "load" -> LoadBench.run();
            case "rates" -> RatesBench.run();
            case "push" -> PushBench.run();
            default -> {
                System.err.println("usage: Bench functions [RUNS] | api | dashboard | export | import | chaos | load | rates | push");
                System.exit(2);
            }
        }
    }

    /** Per function: artifact size, and the median of RUNS fresh JVMs with only its artifact, to the first event. */
    static void functions(int runs) throws Exception {
        Path root = LocalStack.root();
        SamTemplate template = LocalStack.template();
        String classes = root.resolve("local/target/classes").toString();
        System.out.printf("%-28s %10s %12s %10s %14s %8s%n", "function", "jar MB", "jvm→main ms", "init ms", "1st event ms",
                "status");
        for (FunctionDef function : template.functions()) {
            Path jar = FunctionArtifact.jar(root, function);
            Path event = eventFor(root, function);
            List<JsonNode> results = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                Process process = new ProcessBuilder("java", "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
                        "-cp", jar + ":" + classes, ColdStart.class.getName(), function.handlerClass(), event.toString())
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                String out = new String(process.getInputStream().readAllBytes()).trim();
                if (process.waitFor() != 0) {
                    throw new IllegalStateException(function.logicalId() + " did not run on its own artifact: " + out);
                }
                String[] lines = out.split("\n");
                results.add(JSON.readTree(lines[lines.length - 1]));
            }
            System.out.printf("%-28s %10.1f %12d %10d %14d %8s%n", function.logicalId(),
                    Files.size(jar) / 1024.0 / 1024.0, median(results, "jvmToMainMs"), median(results, "initMs"),
                    median(results, "firstEventMs"), results.get(0).get("status").asText());
        }
    }

    /**
     * The sample event in events/ for the function's first route, or for its queue (an SQS event whose records come
     * from an ARN naming the queue's logical id, as CloudFormation's generated names do), the WebSocket API's
     * authorizer or $connect event for its functions, or else EventBridge's scheduled event.
     */
    public static Path eventFor(Path root, FunctionDef function) throws IOException {
        if (!function.httpRoutes().isEmpty()) {
            return eventFor(root, function.httpRoutes().get(0).method() + " " + function.httpRoutes().get(0).path());
        }
        URI nowhere = URI.create("http://127.0.0.1:1");
        SamTemplate template = SamTemplate.load(root.resolve("template.yaml"));
        Optional<SocketApi> socket = SocketApi.of(template, new LocalNames(template,
                new LocalEndpoints(nowhere, nowhere, nowhere), LocalStack.localParameters()));
        if (socket.isPresent() && function.logicalId().equals(socket.get().authorizerFunction())) {
            return eventFor(root, "REQUEST");
        }
        if (socket.isPresent() && socket.get().routes().values().stream()
                .anyMatch(route -> route.function().equals(function.logicalId()))) {
            return eventFor(root, "CONNECT");
        }
        return eventFor(root, function.sqsTriggers().isEmpty() ? SCHEDULED_EVENT
                : "-" + function.sqsTriggers().get(0).queueLogicalId() + "-");
    }

    /**
     * The sample event in events/ for a route key such as {@code GET /me}, or an SQS event whose records come from a
     * queue whose ARN contains {@code wanted} (e.g. {@code -ExportQueue-}).
     */
    public static Path eventFor(Path root, String wanted) throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("events"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode event = JSON.readTree(file.toFile());
                if (wanted.equals(event.path("routeKey").asText()) || wanted.equals(event.path("detail-type").asText())
                        || event.at("/Records/0/eventSourceARN").asText().contains(wanted)
                        || wanted.equals(event.path("type").asText())
                        || wanted.equals(event.at("/requestContext/eventType").asText()) && !event.has("methodArn")) {
                    return file;
                }
            }
        }
        throw new IllegalStateException("no event in events/ for " + wanted);
    }

    /**
     * Waits until the push queue holds no message: each create sends its events there, and the one user's FIFO group
     * is worked off one batch at a time in the stack's JVM, so the events of one phase would otherwise run into the
     * next phase's time and calls (on AWS, PushFunction runs on its own instances).
     */
    private static void awaitPushDrained() throws InterruptedException {
        String queue = System.getenv("PUSH_QUEUE_URL");
        try (LocalClients aws = LocalClients.create(LocalEndpoints.emulators())) {
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (System.nanoTime() < deadline) {
                var attributes = aws.sqs().getQueueAttributes(r -> r.queueUrl(queue).attributeNames(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).join().attributes();
                if (attributes.values().stream().allMatch("0"::equals)) {
                    return;
                }
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("the push queue did not drain in 5 minutes");
    }

    private static long median(List<JsonNode> results, String field) {
        long[] values = results.stream().mapToLong(r -> r.get(field).asLong()).sorted().toArray();
        return values[values.length / 2];
    }

    /**
     * Create and get latency over 1,000 sequential requests, creates/s with 16 clients, SDK calls per create: with no
     * added latency, then at AWS's in-region latency ({@link LatencyModes}).
     */
    static void api() throws Exception {
        for (String mode : LatencyModes.MODES) {
            System.out.println("== " + LatencyModes.set(mode));
            apiAtLatency();
        }
    }

    private static void apiAtLatency() throws Exception {
        String token = LocalStack.jwt().issue("bench-" + System.nanoTime(), Duration.ofHours(1));
        for (int i = 0; i < 200; i++) { // warm-up: JIT and connections
            create(token, i);
        }
        int n = 1000;
        long[] createNanos = new long[n];
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            ids.add(create(token, i));
            createNanos[i] = System.nanoTime() - start;
        }
        long[] getNanos = new long[n];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = send(HttpRequest.newBuilder(API.resolve("/transactions/" + ids.get(i)))
                    .header("Authorization", "Bearer " + token).GET().build());
            getNanos[i] = System.nanoTime() - start;
            check(response, 200);
        }
        awaitPushDrained();
        int clients = 16;
        int perClient = 250;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger counter = new AtomicInteger();
        long start = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            running.add(pool.submit(() -> {
                for (int i = 0; i < perClient; i++) {
                    create(token, counter.incrementAndGet());
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();

        awaitPushDrained();
        send(HttpRequest.newBuilder(API.resolve("/_local/sdk-calls")).DELETE().build());
        int counted = 100;
        for (int i = 0; i < counted; i++) {
            create(token, i);
        }
        awaitPushDrained(); // the events of these creates are part of what a create costs
        JsonNode calls = JSON.readTree(send(HttpRequest.newBuilder(API.resolve("/_local/sdk-calls")).GET().build()).body());

        System.out.printf("create (sequential, n=%d): p50 %.2f ms, p99 %.2f ms%n", n, pct(createNanos, 50), pct(createNanos, 99));
        System.out.printf("get    (sequential, n=%d): p50 %.2f ms, p99 %.2f ms%n", n, pct(getNanos, 50), pct(getNanos, 99));
        System.out.printf("create (%d concurrent clients, %d requests): %.0f creates/s%n", clients, clients * perClient,
                clients * perClient / seconds);
        System.out.printf("DynamoDB calls per create (over %d creates): ", counted);
        List<String> perCreate = new ArrayList<>();
        calls.fields().forEachRemaining(e -> {
            if (e.getKey().toLowerCase(java.util.Locale.ROOT).startsWith("dynamodb.")) {
                perCreate.add(e.getKey().substring(9) + " " + (e.getValue().asDouble() / counted));
            }
        });
        System.out.println(String.join(", ", perCreate));
    }

    private static String create(String token, int i) throws Exception {
        String body = "{\"amount\":\"" + (1 + i % 500) + ".25\",\"currency\":\"CNY\",\"type\":\"expense\",\"category\":\"bench"
                + (i % 7) + "\",\"date\":\"2026-" + String.format("%02d", 1 + i % 11) + "-15\"}";
        HttpResponse<String> response = send(HttpRequest.newBuilder(API.resolve("/transactions"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        check(response, 201);
        return JSON.readTree(response.body()).get("id").asText();
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void check(HttpResponse<String> response, int expected) {
        if (response.statusCode() != expected) {
            throw new IllegalStateException("expected " + expected + ", got " + response.statusCode() + " " + response.body());
        }
    }

    static double pct(long[] nanos, int percentile) {
        long[] sorted = Arrays.copyOf(nanos, nanos.length);
        Arrays.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1e6;
    }
}
