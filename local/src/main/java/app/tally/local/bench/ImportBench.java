package app.tally.local.bench;

import app.tally.aws.DynamoDbCapacity;
import app.tally.cli.UploadForm;
import app.tally.local.LedgerAudit;
import app.tally.local.LocalClients;
import app.tally.local.LocalEndpoints;
import app.tally.local.LocalStack;
import app.tally.local.StackLog;
import app.tally.model.Money;
import app.tally.model.Transaction;
import app.tally.services.exports.TransactionCsv;
import app.tally.services.imports.ImportFile;
import app.tally.store.LedgerStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import java.util.function.IntFunction;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * {@code ./tally bench import}, in one run on the same emulator: a 10,000-row CSV imported end to end (POST /imports
 * → job succeeded; the statistics then recounted from the stored rows), the same rows through two naive importers
 * (A: one PutItem per row, one after another, no statistics; B: the same data as the import, one row's
 * TransactWriteItems at a time, as POST /transactions stores it), the same rows' items through raw BatchWriteItem
 * (25 per call, 32 calls in flight), the ratios, a 100,000-row file through the presigned upload, and the bills of
 * {@link BillBench}. All of it twice ({@link LatencyModes}): with no added latency, and at AWS's in-region latency
 * (without the 100,000-row file and the bills); the naive importers write the first 2,000 rows.
 */
public final class ImportBench {
    private static final String TABLE = "tally-table";
    private static final List<String> CATEGORIES = List.of("餐饮", "交通", "日用", "娱乐", "房租", "水电", "工资", "理财");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final URI API = URI.create(System.getenv().getOrDefault("TALLY_API_URL", "http://127.0.0.1:3000"));

    private ImportBench() {
    }

    /** Rows the naive importers write: their rate is per row, and at AWS's latency 10,000 of them take minutes. */
    private static final int NAIVE_ROWS = 2_000;

    static void run() throws Exception {
        for (String mode : LatencyModes.MODES) {
            System.out.println("== " + LatencyModes.set(mode));
            run(mode.equals("none"));
        }
    }

    private static void run(boolean withLargeFile) throws Exception {
        try (LocalClients aws = LocalClients.create(LatencyModes.proxies())) {
            // The stack's JVM starts cold, as a new Lambda instance would; one import of the same size first warms its
            // code paths (and dynalite's), so that the measured run is of warm instances, as the baselines below run
            // in a JVM warmed by the runs before them. The cold figure is the first one printed.
            endToEnd(aws.dynamoDb(), "bench-warm-up-" + System.nanoTime(), csv(10_000, 3), false, "warm-up");
            String csv = csv(10_000, 1);
            String user = "bench-import-" + System.nanoTime();
            StackLog stackLog = StackLog.fromEnvironment();
            long logFrom = stackLog.offset();
            double e2e = endToEnd(aws.dynamoDb(), user, csv, false, "measured");
            long importRows = csv.lines().count() - 1;
            double e2eSeconds = importRows / e2e;
            stackLog.awaitQuiet();
            double importUnits = StackLog.writeUnits(stackLog.linesSince(logFrom));

            List<Transaction> rows = transactions(csv, "bench-naive");
            List<Transaction> naiveRows = rows.subList(0, NAIVE_ROWS);
            String naiveUser = "bench-naive-" + System.nanoTime();
            double naive = measure("naive importer A (one PutItem per row, in turn; no statistics)",
                    naiveRows.size(), () -> naiveRows.forEach(tx -> aws.dynamoDb()
                            .putItem(p -> p.tableName(TABLE).item(item(naiveUser, tx))).join()));
            LedgerStore ledger = new LedgerStore(aws.dynamoDb(), TABLE);
            String sameDataUser = "bench-naive-b-" + System.nanoTime();
            double naiveSameData = measure("naive importer B (what POST /transactions stores, one row at a time: row"
                    + " and statistics in one TransactWriteItems)", naiveRows.size(),
                    () -> naiveRows.forEach(tx -> ledger.create(sameDataUser, tx, null, tx.createdAt()).join()));
            System.out.println("naive importer B statistics exact: "
                    + (statistics(aws.dynamoDb(), sameDataUser) ? "yes" : "NO"));
            String rawUser = "bench-raw-" + System.nanoTime();
            double raw = measure("raw BatchWriteItem of the same items (25 items per call, 32 calls in flight)",
                    rows.size(), () -> batchWrite(aws.dynamoDb(), rows, rawUser));
            System.out.printf("import / raw BatchWriteItem: %.0f%% (target >= 50%%); import / naive: %.1fx against A,"
                    + " %.1fx against B (target >= 10x)%n", 100 * e2e / raw, e2e / naive, e2e / naiveSameData);
            // The import writes more than the loader per row (statistics, duplicate guards, job progress), all of it
            // billed as write units: their rate is the like-for-like comparison of the two writers' throughput.
            double rawUnits = rows.stream().mapToDouble(tx ->
                    DynamoDbCapacity.writeUnits(DynamoDbCapacity.itemBytes(item(rawUser, tx)))).sum();
            double rawSeconds = rows.size() / raw;
            System.out.printf("write units: import %,.0f (%.2f per row, from its functions' log lines) = %,.0f per s;"
                            + " raw BatchWriteItem %,.0f (%.2f per row) = %,.0f per s; import / raw in write units per s:"
                            + " %.0f%%%n", importUnits, importUnits / importRows, importUnits / e2eSeconds, rawUnits,
                    rawUnits / rows.size(), rawUnits / rawSeconds, 100 * (importUnits / e2eSeconds) / (rawUnits / rawSeconds));

            if (withLargeFile) {
                endToEnd(aws.dynamoDb(), "bench-import-100k-" + System.nanoTime(), csv(100_000, 2), true, "large");
                BillBench.run(aws);
            }
        }
    }

    /** Request → job final; prints the figures and checks counts and statistics. Returns rows/s. */
    private static double endToEnd(DynamoDbAsyncClient db, String user, String csv, boolean upload, String label)
            throws Exception {
        String token = LocalStack.jwt().issue(user, Duration.ofHours(1));
        long rows = csv.lines().count() - 1;
        long started = System.nanoTime();
        String id;
        if (upload) {
            JsonNode created = call("POST", "/imports", token, "application/json", "{\"filename\":\"bench.csv\"}");
            id = created.get("jobId").asText();
            HttpResponse<String> sent = HTTP.send(UploadForm.request(created.get("upload"), "bench.csv",
                    HttpRequest.BodyPublishers.ofString(csv, StandardCharsets.UTF_8)), HttpResponse.BodyHandlers.ofString());
            if (sent.statusCode() / 100 != 2) {
                throw new IllegalStateException("upload: " + sent.statusCode() + " " + sent.body());
            }
            call("POST", "/imports/" + id + "/start", token, null, null);
        } else {
            id = call("POST", "/imports", token, "text/csv", csv).get("jobId").asText();
        }
        JsonNode job;
        do {
            Thread.sleep(100);
            job = poll(id, token);
        } while (!List.of("succeeded", "partial", "failed").contains(job.get("status").asText()));
        double secs = seconds(started);
        JsonNode progress = job.get("progress");
        boolean exact = statistics(db, user);
        System.out.printf("import end to end, %s (%s, %,d rows, %.1f MB): %s in %.2f s = %,.0f rows/s; imported %,d,"
                        + " duplicates %d, failed %d, %d chunks; statistics exact: %s%n",
                label, upload ? "presigned upload form" : "text/csv body", rows, csv.length() / 1e6, job.get("status").asText(),
                secs, rows / secs, progress.get("imported").asLong(), progress.get("duplicates").asLong(),
                progress.get("failed").asLong(), progress.get("chunks").asInt(), exact ? "yes" : "NO");
        if (!"succeeded".equals(job.get("status").asText()) || progress.get("imported").asLong() != rows || !exact) {
            throw new IllegalStateException("the import did not write every row exactly: " + job);
        }
        return rows / secs;
    }

    /** GET /jobs/{id}, waiting out a 503 (a busy emulator) as a client honouring Retry-After would. */
    static JsonNode poll(String id, String token) throws Exception {
        while (true) {
            try {
                return call("GET", "/jobs/" + id, token, null, null);
            } catch (IllegalStateException busy) {
                if (!busy.getMessage().contains(": 503 ")) {
                    throw busy;
                }
                Thread.sleep(1_000);
            }
        }
    }

    static JsonNode call(String method, String path, String token, String type, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(API.resolve(path)).header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (type != null) {
            request.header("Content-Type", type);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + ": " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** A Tally CSV of {@code rows} rows over 24 months, without ids (the import derives them). */
    public static String csv(int rows, long seed) {
        return csv(rows, seed, i -> i % 10 == 0 ? "午饭, with \"friends\"" : "");
    }

    /** The same with each row's note given by its index (quoted as CSV needs). */
    static String csv(int rows, long seed, IntFunction<String> note) {
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder();
        TransactionCsv.appendHeader(csv);
        for (int i = 0; i < rows; i++) {
            YearMonth month = YearMonth.of(2025, 1).plusMonths(random.nextInt(24));
            LocalDate date = month.atDay(1 + random.nextInt(month.lengthOfMonth()));
            String category = CATEGORIES.get(random.nextInt(CATEGORIES.size()));
            String type = category.equals("工资") || category.equals("理财") ? "income" : "expense";
            String text = note.apply(i);
            csv.append(',').append(date).append(',').append(type).append(',')
                    .append(Money.toDecimalString(100 + random.nextInt(50_000), "CNY")).append(",CNY,").append(category)
                    .append(',').append(text.matches(".*[,\"\r\n].*") ? "\"" + text.replace("\"", "\"\"") + "\"" : text)
                    .append(',').append(i % 3 == 0 ? "bench" : "").append(",\r\n");
        }
        return csv.toString();
    }

    private static List<Transaction> transactions(String csv, String user) throws Exception {
        List<Transaction> rows = new ArrayList<>();
        try (ImportFile file = ImportFile.open(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), null,
                user, Instant.now())) {
            for (ImportFile.Row row = file.next(); row != null; row = file.next()) {
                rows.add(((ImportFile.Valid) row).tx());
            }
        }
        return rows;
    }

    private static Map<String, AttributeValue> item(String user, Transaction tx) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("PK", s("U#" + user + "#M#" + tx.month()));
        item.put("SK", s("T#" + tx.date() + "#" + tx.id()));
        item.put("id", s(tx.id()));
        item.put("date", s(tx.date().toString()));
        item.put("type", s(tx.type().wire()));
        item.put("amt", AttributeValue.fromN(Long.toString(tx.amount().minorUnits())));
        item.put("cur", s(tx.amount().currency()));
        item.put("cat", s(tx.category()));
        item.put("note", s(tx.note()));
        item.put("tags", AttributeValue.fromL(tx.tags().stream().map(AttributeValue::fromS).toList()));
        item.put("createdAt", s(tx.createdAt().toString()));
        item.put("updatedAt", s(tx.updatedAt().toString()));
        item.put("ver", AttributeValue.fromN("1"));
        return item;
    }

    private static void batchWrite(DynamoDbAsyncClient db, List<Transaction> rows, String user) {
        Semaphore inFlight = new Semaphore(32);
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        List<Map<String, AttributeValue>> items = rows.stream().map(tx -> item(user, tx)).toList();
        for (int from = 0; from < items.size(); from += 25) {
            List<WriteRequest> batch = items.subList(from, Math.min(items.size(), from + 25)).stream()
                    .map(item -> WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build())
                    .toList();
            inFlight.acquireUninterruptibly();
            writes.add(writeAll(db, batch).whenComplete((ignored, failure) -> inFlight.release()));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
    }

    private static CompletableFuture<Void> writeAll(DynamoDbAsyncClient db, List<WriteRequest> batch) {
        return db.batchWriteItem(b -> b.requestItems(Map.of(TABLE, batch))).thenCompose(response -> {
            List<WriteRequest> left = response.unprocessedItems().getOrDefault(TABLE, List.of());
            return left.isEmpty() ? CompletableFuture.completedFuture(null) : writeAll(db, left);
        });
    }

    /** The user's statistics as stored equal those recounted from the stored transactions. */
    static boolean statistics(DynamoDbAsyncClient db, String user) {
        LedgerAudit audit = LedgerAudit.of(db, TABLE, user);
        return !audit.stored().isEmpty() && audit.statisticsExact();
    }

    /** Runs {@code write} of {@code rows} rows, prints its time and rate, and returns the rate in rows/s. */
    private static double measure(String what, int rows, Runnable write) {
        long started = System.nanoTime();
        write.run();
        double secs = seconds(started);
        System.out.printf("%s: %,d rows in %.2f s = %,.0f rows/s%n", what, rows, secs, rows / secs);
        return rows / secs;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
