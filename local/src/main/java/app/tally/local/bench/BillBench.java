package app.tally.local.bench;

import app.tally.cli.UploadForm;
import app.tally.local.LocalClients;
import app.tally.local.LocalStack;
import app.tally.local.bills.BillFixtures;
import app.tally.local.bills.BillFixtures.Trade;
import app.tally.model.Ids;
import app.tally.model.Job;
import app.tally.model.JobKind;
import app.tally.model.JobStatus;
import app.tally.services.jobs.JobFiles;
import app.tally.services.jobs.JobMessage;
import app.tally.store.JobStore;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import software.amazon.awssdk.core.async.AsyncRequestBody;

/**
 * Part of {@code ./tally bench import}: a 10,000-row Alipay GBK bill and a 10,000-row WeChat xlsx bill, each imported
 * end to end through the upload form beside the same booked rows as Tally's CSV (rows/s of booked rows; target: a
 * bill at least 80% of its CSV), then each file read by the import worker in a JVM of its own artifact (-Xmx256m) for
 * its time and the heap's peak.
 */
final class BillBench {
    private static final int ROWS = 10_000;
    private static final String TABLE = "tally-table";
    private static final String BUCKET = "tally-files-bucket";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private BillBench() {
    }

    static void run(LocalClients aws) throws Exception {
        List<Trade> alipay = BillFixtures.alipay(ROWS, YearMonth.of(2025, 1), 24, 7);
        List<Trade> wechat = BillFixtures.wechat(ROWS, YearMonth.of(2025, 1), 24, 8);
        // Warm-up: the bill readers' code paths, as the CSV's were warmed before.
        List<Trade> small = BillFixtures.alipay(1_000, YearMonth.of(2025, 1), 24, 9);
        endToEnd(aws, "warm-up", BillFixtures.alipayCsv(small), booked(small));
        List<Trade> smallWechat = BillFixtures.wechat(1_000, YearMonth.of(2025, 1), 24, 10);
        endToEnd(aws, "warm-up", BillFixtures.wechatXlsx(smallWechat, true, true), booked(smallWechat));

        compare(aws, "Alipay GBK csv", BillFixtures.alipayCsv(alipay), alipay);
        compare(aws, "WeChat xlsx", BillFixtures.wechatXlsx(wechat, true, true), wechat);
        heap(aws, "Alipay GBK csv", BillFixtures.alipayCsv(alipay));
        heap(aws, "WeChat xlsx", BillFixtures.wechatXlsx(wechat, true, true));
        heap(aws, "the same rows as Tally CSV", BillFixtures.tallyCsv(wechat).getBytes(StandardCharsets.UTF_8));
    }

    private static long booked(List<Trade> trades) {
        return trades.stream().filter(t -> t.type() != null).count();
    }

    private static void compare(LocalClients aws, String label, byte[] bill, List<Trade> trades) throws Exception {
        long rows = booked(trades);
        double billRate = endToEnd(aws, label, bill, rows);
        double csvRate = endToEnd(aws, label + " as Tally CSV", BillFixtures.tallyCsv(trades)
                .getBytes(StandardCharsets.UTF_8), rows);
        System.out.printf("%s / the same rows as Tally CSV: %.0f%% (target >= 80%%)%n", label,
                100 * billRate / csvRate);
    }

    /** Upload form → job final; prints and returns booked rows/s, after checking counts and statistics. */
    private static double endToEnd(LocalClients aws, String label, byte[] file, long booked) throws Exception {
        String user = "bench-bill-" + System.nanoTime();
        String token = LocalStack.jwt().issue(user, Duration.ofHours(1));
        long started = System.nanoTime();
        JsonNode created = ImportBench.call("POST", "/imports", token, "application/json", "{\"filename\":\"bill\"}");
        String id = created.get("jobId").asText();
        HttpResponse<String> sent = HTTP.send(UploadForm.request(created.get("upload"), "bill",
                HttpRequest.BodyPublishers.ofByteArray(file)), HttpResponse.BodyHandlers.ofString());
        if (sent.statusCode() / 100 != 2) {
            throw new IllegalStateException("upload: " + sent.statusCode() + " " + sent.body());
        }
        ImportBench.call("POST", "/imports/" + id + "/start", token, null, null);
        JsonNode job;
        do {
            Thread.sleep(100);
            job = ImportBench.poll(id, token);
        } while (!JobStatus.fromWire(job.get("status").asText()).isFinal());
        double seconds = (System.nanoTime() - started) / 1e9;
        boolean exact = ImportBench.statistics(aws.dynamoDb(), user);
        System.out.printf("bill import end to end, %s (%s, %,d bytes): %s in %.2f s, %,d rows booked = %,.0f rows/s;"
                        + " statistics exact: %s%n", label, job.get("request").get("format").asText(), file.length,
                job.get("status").asText(), seconds, job.get("progress").get("imported").asLong(), booked / seconds,
                exact ? "yes" : "NO");
        if (!"succeeded".equals(job.get("status").asText()) || job.get("progress").get("imported").asLong() != booked
                || !exact) {
            throw new IllegalStateException("the bill import did not book every row exactly: " + job);
        }
        return booked / seconds;
    }

    /** The import worker alone, in a fresh JVM of its own artifact: how long its read took and its heap's peak. */
    private static void heap(LocalClients aws, String label, byte[] file) throws Exception {
        String user = "bench-bill-heap-" + System.nanoTime();
        String id = Ids.newId(Instant.now());
        String key = JobFiles.key(JobKind.IMPORT, user, id, "csv");
        aws.s3().putObject(p -> p.bucket(BUCKET).key(key), AsyncRequestBody.fromBytes(file)).join();
        new JobStore(aws.dynamoDb(), TABLE).create(user, Job.created(id, JobKind.IMPORT, JobStatus.QUEUED,
                "{\"format\":\"auto\",\"dryRun\":true,\"filename\":\"bill\",\"upload\":false}", Instant.now())
                .withObjectKey(key)).join();
        JsonNode worker = ExportBench.runWorker("ImportWorkerFunction",
                List.of(new JobMessage(user, id, JobKind.IMPORT).toJson()), LatencyModes.proxies());
        System.out.printf("import worker alone (own artifact, -Xmx%dm, dry run: read and validate), %s: %.2f s; heap "
                        + "pools' peaks added up %d MB%n", worker.get("maxHeapMb").asInt(), label,
                worker.get("runs").get(0).get("ms").asDouble() / 1000, worker.get("heapPeakMb").asInt());
    }
}
