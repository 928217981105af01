package app.tally.local.bench;

import app.tally.local.LocalClients;
import app.tally.local.LocalEndpoints;
import app.tally.local.LocalStack;
import app.tally.local.template.FunctionArtifact;
import app.tally.local.template.SamTemplate.FunctionDef;
import app.tally.model.Ids;
import app.tally.model.Job;
import app.tally.model.JobKind;
import app.tally.services.exports.ExportWorker;
import app.tally.services.jobs.JobMessage;
import app.tally.store.JobStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * {@code ./tally bench export}: 100,000 transactions over 24 months, seeded straight into the table with
 * BatchWriteItem (items and statistics as LedgerStore writes them). Then, over the same data in the same run: raw
 * Query throughput (every month partition paged through, {@link ExportWorker#MONTHS_IN_FLIGHT} at a time, consistent reads
 * as the export uses; measured after one warm-up pass), and the export worker's throughput: its own artifact in a
 * fresh JVM with {@code -Xmx256m}, handed two SQS messages in turn for two identical jobs written as POST /exports
 * writes them. The first run is a cold container (JIT, connections); the second, a warm one, is the figure compared
 * with the (warm) raw Query. Both files are downloaded through GET /jobs/{id}'s link and their rows counted. Query
 * and worker are measured twice through the stack's fault proxies ({@link LatencyModes}): with no added latency, and
 * at AWS's in-region latency.
 */
public final class ExportBench {
    private static final int ROWS = 100_000;
    static final int MONTHS = 24;
    static final YearMonth FIRST = YearMonth.of(2025, 1);
    private static final String TABLE = "tally-table";
    private static final List<String> CATEGORIES = List.of("餐饮", "交通", "日用", "娱乐", "房租", "水电", "工资", "理财");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ExportBench() {
    }

    static void run() throws Exception {
        String user = "bench-export-" + System.nanoTime();
        try (LocalClients aws = LocalClients.create(LocalEndpoints.emulators())) {
            long seedStart = System.nanoTime();
            seed(aws.dynamoDb(), user, ROWS);
            System.out.printf("seeded %,d transactions over %d months in %.1f s (BatchWriteItem)%n", ROWS, MONTHS,
                    seconds(seedStart));
        }
        for (String mode : LatencyModes.MODES) {
            System.out.println("== " + LatencyModes.set(mode));
            try (LocalClients proxied = LocalClients.create(LatencyModes.proxies())) {
                measure(proxied, user);
            }
        }
    }

    /** Raw Query and the worker over the same data, both through the stack's fault proxies. */
    private static void measure(LocalClients aws, String user) throws Exception {
        rawQuery(aws.dynamoDb(), user); // warm-up: JIT and connections of this JVM
        long queryStart = System.nanoTime();
        long queried = rawQuery(aws.dynamoDb(), user);
        double querySeconds = seconds(queryStart);

        String request = "{\"from\":\"" + FIRST.atDay(1) + "\",\"to\":\"" + FIRST.plusMonths(MONTHS - 1).atEndOfMonth()
                + "\",\"format\":\"csv\",\"bom\":false}";
        JobStore jobs = new JobStore(aws.dynamoDb(), TABLE);
        List<String> jobIds = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String jobId = Ids.newId(Instant.now());
            jobs.create(user, Job.queued(jobId, JobKind.EXPORT, request, Instant.now())).join();
            jobIds.add(jobId);
            messages.add(new JobMessage(user, jobId, JobKind.EXPORT).toJson());
        }
        JsonNode worker = runWorker("ExportWorkerFunction", messages, LatencyModes.proxies());
        double queryRate = queried / querySeconds;
        System.out.printf("raw Query (%d months, %d in flight, consistent, warm JVM): %,d items in %.2f s = %,.0f rows/s%n",
                MONTHS, ExportWorker.MONTHS_IN_FLIGHT, queried, querySeconds, queryRate);
        double warmRate = 0;
        for (int i = 0; i < jobIds.size(); i++) {
            JsonNode job = job(user, jobIds.get(i));
            JsonNode run = worker.get("runs").get(i);
            long rows = job.get("progress").get("rows").asLong();
            long[] downloaded = download(job.get("download").get("url").asText());
            double rate = rows / (run.get("ms").asDouble() / 1000);
            warmRate = rate;
            System.out.printf("export worker, %s container (own artifact, -Xmx%dm): %s, %,d rows, %.1f MB in %.2f s"
                            + " = %,.0f rows/s; batch item failures %d; download %,d rows, %,d bytes%n",
                    i == 0 ? "cold" : "warm", worker.get("maxHeapMb").asInt(), job.get("status").asText(), rows,
                    job.get("progress").get("bytes").asLong() / 1e6, run.get("ms").asDouble() / 1000, rate,
                    run.get("failures").asInt(), downloaded[0] - 1, downloaded[1]);
            if (!"succeeded".equals(job.get("status").asText()) || rows != ROWS || downloaded[0] - 1 != ROWS
                    || downloaded[1] != job.get("progress").get("bytes").asLong()) {
                throw new IllegalStateException("the export did not produce " + ROWS + " rows: " + job);
            }
        }
        // Each heap pool's own peak, added up: the pools peak at different times, so this bounds the use from above.
        System.out.printf("worker heap: pools' peaks added up %d MB, -Xmx %d MB%n", worker.get("heapPeakMb").asInt(),
                worker.get("maxHeapMb").asInt());
        System.out.printf("export (warm) / raw Query throughput: %.0f%% (target >= 50%%)%n", 100 * warmRate / queryRate);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /**
     * {@code rows} transactions over {@link #MONTHS} months from {@link #FIRST}: items and statistics exactly as
     * LedgerStore writes them.
     */
    public static void seed(DynamoDbAsyncClient db, String user, int rows) throws InterruptedException {
        Random random = new Random(20261128L);
        Map<String, long[]> stats = new HashMap<>();
        List<WriteRequest> batch = new ArrayList<>();
        Semaphore inFlight = new Semaphore(32);
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        Instant created = Instant.parse("2026-11-28T00:00:00Z");
        for (int i = 0; i < rows; i++) {
            YearMonth month = FIRST.plusMonths(i % MONTHS);
            LocalDate date = month.atDay(1 + random.nextInt(month.lengthOfMonth()));
            String category = CATEGORIES.get(random.nextInt(CATEGORIES.size()));
            String type = category.equals("工资") || category.equals("理财") ? "income" : "expense";
            long cents = 100 + random.nextInt(50_000);
            String id = Ids.newTransactionId(date, created.plusMillis(i));
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("PK", s("U#" + user + "#M#" + month));
            item.put("SK", s("T#" + date + "#" + id));
            item.put("id", s(id));
            item.put("date", s(date.toString()));
            item.put("type", s(type));
            item.put("amt", AttributeValue.fromN(Long.toString(cents)));
            item.put("cur", s("CNY"));
            item.put("cat", s(category));
            item.put("note", s(i % 10 == 0 ? "午饭, with \"friends\"" : ""));
            item.put("tags", AttributeValue.fromL(i % 3 == 0 ? List.of(s("bench")) : List.of()));
            item.put("createdAt", s(created.plusMillis(i).toString()));
            item.put("updatedAt", s(created.plusMillis(i).toString()));
            item.put("ver", AttributeValue.fromN("1"));
            batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
            long[] totals = stats.computeIfAbsent(month + "#" + type + "#" + category, k -> new long[2]);
            totals[0] += cents;
            totals[1]++;
            if (batch.size() == 25) {
                writes.add(write(db, batch, inFlight));
                batch = new ArrayList<>();
            }
        }
        for (var entry : stats.entrySet()) {
            String[] key = entry.getKey().split("#");
            batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(Map.of(
                    "PK", s("U#" + user), "SK", s("S#" + entry.getKey()), "month", s(key[0]), "type", s(key[1]),
                    "category", s(key[2]), "sum_CNY", AttributeValue.fromN(Long.toString(entry.getValue()[0])),
                    "cnt_CNY", AttributeValue.fromN(Long.toString(entry.getValue()[1])))).build()).build());
            if (batch.size() == 25) {
                writes.add(write(db, batch, inFlight));
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            writes.add(write(db, batch, inFlight));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
    }

    private static CompletableFuture<Void> write(DynamoDbAsyncClient db, List<WriteRequest> batch, Semaphore inFlight)
            throws InterruptedException {
        inFlight.acquire();
        return writeAll(db, batch).whenComplete((ignored, failure) -> inFlight.release());
    }

    private static CompletableFuture<Void> writeAll(DynamoDbAsyncClient db, List<WriteRequest> batch) {
        return db.batchWriteItem(b -> b.requestItems(Map.of(TABLE, batch))).thenCompose(response -> {
            List<WriteRequest> left = response.unprocessedItems().getOrDefault(TABLE, List.of());
            return left.isEmpty() ? CompletableFuture.completedFuture(null) : writeAll(db, left);
        });
    }

    /** Every item of every month, pages read the way the export reads them; returns the item count. */
    private static long rawQuery(DynamoDbAsyncClient db, String user) {
        AtomicLong items = new AtomicLong();
        Semaphore months = new Semaphore(ExportWorker.MONTHS_IN_FLIGHT);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int m = 0; m < MONTHS; m++) {
            String pk = "U#" + user + "#M#" + FIRST.plusMonths(m);
            months.acquireUninterruptibly();
            all.add(queryPages(db, pk, null, items).whenComplete((ignored, failure) -> months.release()));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        return items.get();
    }

    private static CompletableFuture<Void> queryPages(DynamoDbAsyncClient db, String pk,
                                                      Map<String, AttributeValue> start, AtomicLong items) {
        return db.query(q -> q.tableName(TABLE).keyConditionExpression("PK = :pk")
                        .expressionAttributeValues(Map.of(":pk", s(pk))).consistentRead(true).exclusiveStartKey(start))
                .thenCompose((QueryResponse page) -> {
                    items.addAndGet(page.count());
                    return page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                            ? queryPages(db, pk, page.lastEvaluatedKey(), items) : CompletableFuture.completedFuture(null);
                });
    }

    /** The SQS-triggered function's handler in a JVM of its own artifact, reaching the services at {@code endpoints},
     * given these message bodies in turn. */
    static JsonNode runWorker(String logicalId, List<String> bodies, LocalEndpoints endpoints) throws Exception {
        Path root = LocalStack.root();
        FunctionDef function = LocalStack.template().functions().stream()
                .filter(f -> f.logicalId().equals(logicalId)).findFirst().orElseThrow();
        List<String> command = new ArrayList<>(List.of("java", "-Xmx256m", "-cp",
                FunctionArtifact.jar(root, function) + ":" + root.resolve("local/target/classes"),
                WorkerRun.class.getName(), function.handlerClass(), Integer.toString(function.timeoutSeconds())));
        command.addAll(bodies);
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("AWS_ENDPOINT_URL_DYNAMODB", endpoints.dynamodb().toString());
        builder.environment().put("AWS_ENDPOINT_URL_SQS", endpoints.sqs().toString());
        builder.environment().put("AWS_ENDPOINT_URL_S3", endpoints.s3().toString());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("the worker JVM failed: " + out);
        }
        String[] lines = out.split("\n");
        return JSON.readTree(lines[lines.length - 1]);
    }

    private static JsonNode job(String user, String jobId) throws Exception {
        URI api = URI.create(System.getenv().getOrDefault("TALLY_API_URL", "http://127.0.0.1:3000"));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(api.resolve("/jobs/" + jobId))
                .header("Authorization", "Bearer " + LocalStack.jwt().issue(user, Duration.ofMinutes(10))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /jobs/" + jobId + ": " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** Lines (records end with CRLF; notes here have no line breaks) and bytes of the file, streamed. */
    private static long[] download(String url) throws Exception {
        HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long lines = 0;
        long bytes = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines++;
                bytes += line.getBytes(StandardCharsets.UTF_8).length + 2;
            }
        }
        return new long[] {lines, bytes};
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
