package app.tally.local.cost;

import app.tally.aws.DynamoDbCapacity;
import app.tally.cli.UploadForm;
import app.tally.local.LocalClients;
import app.tally.local.LocalEndpoints;
import app.tally.local.LocalStack;
import app.tally.local.StackLog;
import app.tally.local.bench.ApiClient;
import app.tally.local.bench.ExportBench;
import app.tally.local.bench.ImportBench;
import app.tally.local.cost.Prices.Architecture;
import app.tally.local.template.LocalNames;
import app.tally.local.template.SamTemplate;
import app.tally.local.template.SamTemplate.FunctionDef;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code ./tally cost}: runs each workload of the cost table against the local stack (its functions behind the fault
 * proxies at AWS's in-region latency, so durations are those a function would bill), reads what the functions logged
 * for it, and prices that with {@link Prices}. Every figure is measured in this run; a row measured on fewer
 * operations than it names is scaled, and says so.
 */
public final class CostRun {
    private static final String TABLE = "tally-table";
    /** Exported and uploaded files are kept this long (the bucket's lifecycle rules in template.yaml). */
    private static final double FILE_MONTHS = 7 / 30.0;
    /** DynamoDB stores about 100 bytes per item beside its attributes (indexing overhead). */
    private static final int ITEM_OVERHEAD_BYTES = 100;

    private final ApiClient api = new ApiClient(ApiClient.gateway(), 5);
    private final HttpClient http = HttpClient.newHttpClient();
    private final StackLog stackLog;
    private final Map<String, Integer> memory;
    private final LocalClients aws;

    private CostRun(Path stackLog, LocalClients aws) throws IOException {
        this.stackLog = new StackLog(stackLog);
        this.aws = aws;
        // HTTP functions log their logical id, workers their physical name (as the poller's context names them).
        SamTemplate template = LocalStack.template();
        LocalNames names = LocalStack.names(template);
        this.memory = new HashMap<>();
        for (FunctionDef function : template.functions()) {
            memory.put(function.logicalId(), function.memoryMb());
            memory.put(names.physicalName(function.logicalId()), function.memoryMb());
        }
    }

    /** {@code CostRun STACK_LOG [CREATES DASHBOARDS IMPORT_ROWS EXPORT_ROWS]}: the sample sizes of the rows. */
    public static void main(String[] args) throws Exception {
        Path log = Path.of(args[0]);
        int creates = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        int views = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
        int importRows = args.length > 3 ? Integer.parseInt(args[3]) : 10_000;
        int exportRows = args.length > 4 ? Integer.parseInt(args[4]) : 100_000;
        Prices prices = Prices.load();
        try (LocalClients aws = LocalClients.create(LocalEndpoints.emulators())) {
            new CostRun(log, aws).run(prices, creates, views, importRows, exportRows);
        }
    }

    private void run(Prices prices, int creates, int views, int importRows, int exportRows) throws Exception {
        System.out.printf("Prices: %s list prices of %s (local/src/main/resources/app/tally/local/cost/%s)%n",
                prices.region(), prices.date(), Prices.FILE);
        System.out.println("Latency: " + get("/_local/latency").path("latency").asText()
                + " per call (the functions' calls, through the fault proxies)");
        String user = "cost-" + System.nanoTime();
        String token = token(user);
        create(token, 20); // warm-up: JIT and connections, as a warm container
        dashboard(token, 5);
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("per 1,000 creates", creates, 1_000.0 / creates, measure(() -> create(token, creates))));
        rows.add(new Row("per 1,000 dashboard views", views, 1_000.0 / views, measure(() -> dashboard(token, views))));
        String importer = "cost-import-" + System.nanoTime();
        rows.add(new Row("per 10,000-row import", importRows, 10_000.0 / importRows,
                measure(() -> importCsv(token(importer), ImportBench.csv(importRows, 5), false))));
        String exporter = "cost-export-" + System.nanoTime();
        // The rows to export, written straight to the table as the ledger stores them (not measured).
        ExportBench.seed(aws.dynamoDb(), exporter, exportRows);
        rows.add(new Row("per 100,000-row export", exportRows, 100_000.0 / exportRows,
                measure(() -> export(token(exporter)))));
        String month = "cost-month-" + System.nanoTime();
        String monthToken = token(month);
        Consumption userMonth = measure(() -> create(monthToken, 300).plus(dashboard(monthToken, 60))
                .plus(importCsv(monthToken, ImportBench.csv(1_000, 7), true)).plus(export(monthToken)));
        userMonth = userMonth.withStorage(0, 0, storedBytes(month), 1);
        rows.add(new Row("typical user-month", 1, 1, userMonth));
        print(rows, prices);
    }

    /** A table row: its name, the operations measured, the factor to its size, and what the measured ones consumed. */
    private record Row(String name, int measured, double factor, Consumption sample) {
        Consumption consumption() {
            return sample.scaled(factor);
        }
    }

    private static void print(List<Row> rows, Prices prices) {
        System.out.printf("%n%-27s %9s %8s %9s %9s %10s %6s %6s %6s %9s %9s%n", "consumption", "measured", "invokes",
                "GB-s", "RRU", "WRU", "SQS", "S3 A", "S3 B", "log KB", "out KB");
        for (Row row : rows) {
            Consumption c = row.consumption();
            System.out.printf("%-27s %9s %8d %9.2f %9.1f %10.1f %6d %6d %6d %9.1f %9.1f%n", row.name(),
                    String.format("%,d", row.measured()), c.invocations(), c.gbSeconds(), c.readUnits(), c.writeUnits(),
                    c.sqsRequests(), c.s3TierOne(), c.s3TierTwo(), c.logBytes() / 1024.0, c.transferOutBytes() / 1024.0);
        }
        System.out.printf("%n%-27s", "US$ (x86_64)");
        CostModel.dollars(Consumption.NONE, prices, Architecture.X86_64).keySet()
                .forEach(service -> System.out.printf(" %10s", service));
        System.out.printf(" %10s %10s%n", "x86_64", "arm64");
        for (Row row : rows) {
            Consumption c = row.consumption();
            System.out.printf("%-27s", row.name());
            CostModel.dollars(c, prices, Architecture.X86_64).values()
                    .forEach(dollars -> System.out.printf(" %10s", "$" + String.format("%.6f", dollars)));
            System.out.printf(" %10s %10s%n", "$" + String.format("%.5f", CostModel.total(c, prices, Architecture.X86_64)),
                    "$" + String.format("%.5f", CostModel.total(c, prices, Architecture.ARM64)));
        }
        Consumption month = rows.get(rows.size() - 1).consumption();
        System.out.printf("%ntypical user-month  $%.4f   (arm64 $%.4f; goal under $0.01)%n",
                CostModel.total(month, prices, Architecture.X86_64), CostModel.total(month, prices, Architecture.ARM64));
        System.out.println("idle user-month     $0.0000   (nothing runs for a user who does nothing)");
    }

    /** Runs the workload, waits for the functions to go quiet, and reads what they logged meanwhile. */
    private Consumption measure(Workload workload) throws Exception {
        long from = stackLog.offset();
        ClientSide client = workload.run();
        stackLog.awaitQuiet();
        return Consumption.fromLog(stackLog.linesSince(from), function -> {
                    Integer mb = memory.get(function);
                    if (mb == null) {
                        throw new IllegalStateException("no function " + function + " in template.yaml");
                    }
                    return mb;
                })
                .withClient(client.uploads(), client.downloads(), client.downloadedBytes())
                .withStorage(client.fileBytes(), FILE_MONTHS, 0, 0);
    }

    @FunctionalInterface
    private interface Workload {
        ClientSide run() throws Exception;
    }

    /** What the client did with S3 itself through presigned links: requests, bytes downloaded, and files kept. */
    private record ClientSide(long uploads, long downloads, long downloadedBytes, long fileBytes) {
        static final ClientSide NONE = new ClientSide(0, 0, 0, 0);

        ClientSide plus(ClientSide other) {
            return new ClientSide(uploads + other.uploads, downloads + other.downloads,
                    downloadedBytes + other.downloadedBytes, fileBytes + other.fileBytes);
        }
    }

    private ClientSide create(String token, int count) {
        for (int i = 0; i < count; i++) {
            String body = "{\"amount\":\"" + (1 + i % 500) + ".25\",\"currency\":\"CNY\",\"type\":\"expense\","
                    + "\"category\":\"cost" + (i % 7) + "\",\"date\":\"2026-11-" + String.format("%02d", 1 + i % 28) + "\"}";
            expect(api.send("POST", "/transactions", token, "application/json", body), 201);
        }
        return ClientSide.NONE;
    }

    private ClientSide dashboard(String token, int count) {
        for (int i = 0; i < count; i++) {
            expect(api.send("GET", "/dashboard?month=2026-11&months=6", token, null, null), 200);
        }
        return ClientSide.NONE;
    }

    /** An import of {@code csv}: in the request's body, or through the presigned upload form; waits for its end. */
    private ClientSide importCsv(String token, String csv, boolean upload) throws Exception {
        long bytes = csv.getBytes(StandardCharsets.UTF_8).length;
        String id;
        if (upload) {
            JsonNode created = expect(api.send("POST", "/imports", token, "application/json",
                    "{\"filename\":\"cost.csv\"}"), 202).json();
            id = created.get("jobId").asText();
            HttpResponse<String> sent = http.send(UploadForm.request(created.get("upload"), "cost.csv",
                    HttpRequest.BodyPublishers.ofString(csv, StandardCharsets.UTF_8)), HttpResponse.BodyHandlers.ofString());
            if (sent.statusCode() / 100 != 2) {
                throw new IllegalStateException("upload: " + sent.statusCode() + " " + sent.body());
            }
            expect(api.send("POST", "/imports/" + id + "/start", token, null, null), 202);
        } else {
            id = expect(api.send("POST", "/imports", token, "text/csv", csv), 202).json().get("jobId").asText();
        }
        JsonNode job = await(id, token);
        if (!"succeeded".equals(job.get("status").asText())) {
            throw new IllegalStateException("the import did not succeed: " + job);
        }
        return new ClientSide(upload ? 1 : 0, 0, 0, bytes);
    }

    /** An export of everything the user has, downloaded through its link. */
    private ClientSide export(String token) throws Exception {
        String id = expect(api.send("POST", "/exports", token, "application/json",
                "{\"from\":\"2020-01-01\",\"to\":\"2026-12-31\",\"format\":\"csv\"}"), 202).json().get("jobId").asText();
        JsonNode job = await(id, token);
        String url = job.path("download").path("url").asText(null);
        if (url == null) {
            throw new IllegalStateException("the export has no download: " + job);
        }
        HttpResponse<byte[]> file = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (file.statusCode() != 200) {
            throw new IllegalStateException("download: " + file.statusCode());
        }
        return new ClientSide(0, 1, file.body().length, file.body().length);
    }

    private JsonNode await(String jobId, String token) throws InterruptedException {
        while (true) {
            ApiClient.Reply reply = api.send("GET", "/jobs/" + jobId, token, null, null);
            if (reply.status() == 200 && List.of("succeeded", "partial", "failed")
                    .contains(reply.json().get("status").asText())) {
                return reply.json();
            }
            Thread.sleep(1_000); // a client that polls once a second (the web app is pushed its progress instead)
        }
    }

    /** The user's items as DynamoDB stores them: attributes and per-item overhead. */
    private long storedBytes(String user) {
        AtomicLong bytes = new AtomicLong();
        aws.dynamoDb().scanPaginator(scan -> scan.tableName(TABLE)
                        .filterExpression("begins_with(PK, :user)")
                        .expressionAttributeValues(Map.of(":user", AttributeValue.fromS("U#" + user))))
                .items().subscribe(item -> bytes.addAndGet(DynamoDbCapacity.itemBytes(item) + ITEM_OVERHEAD_BYTES)).join();
        return bytes.get();
    }

    /** Until the stack's log has not grown for a second (workers log after their job's last write). */

    private JsonNode get(String path) {
        return api.send("GET", path, null, null, null).json();
    }

    private static String token(String user) {
        return LocalStack.jwt().issue(user, Duration.ofHours(2));
    }

    private static ApiClient.Reply expect(ApiClient.Reply reply, int status) {
        if (reply.status() != status) {
            throw new IllegalStateException("expected " + status + ", got " + reply);
        }
        return reply;
    }
}
