package app.tally.local.bench;

import app.tally.csv.CsvReader;
import app.tally.local.LedgerAudit;
import app.tally.local.LocalStack;
import app.tally.model.JobStatus;
import app.tally.model.Money;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The workloads that prove "nothing lost, nothing counted twice" under injected faults, each followed by an audit
 * of what the table holds: the API's creates, patches and deletes by clients that retry as real ones do, an import,
 * and an export. Shared by {@code ./tally bench chaos} (large) and the integration suite (small).
 * <p>
 * A request that still fails once its client's retries are spent has failed cleanly when its answer says so (a 503
 * problem, not a 2xx): the client sends it again once the faults are off (as a user would later), and only then is the
 * table audited. A 2xx whose effect is missing, or an effect that is there twice, is what the audit catches.
 */
public final class ChaosWorkloads {
    public static final String TABLE = "tally-table";
    private static final List<String> CATEGORIES = List.of("餐饮", "交通", "日用", "娱乐", "工资");
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(15);

    private final ApiClient api;
    private final ApiClient control = new ApiClient(ApiClient.gateway(), 1);
    private final DynamoDbAsyncClient db;

    public ChaosWorkloads(ApiClient api, DynamoDbAsyncClient db) {
        this.api = api;
        this.db = db;
    }

    /**
     * One workload's audit. {@code expected} rows should be there once each; {@code stored} are there (of this
     * workload), {@code duplicates} beyond the first, {@code lost} missing or missing a change that was answered 2xx;
     * {@code gaveUp} requests failed past the client's retries (with their answers in {@code result}).
     */
    public record Outcome(String workload, long expected, long stored, long duplicates, long lost,
                          boolean statisticsExact, long gaveUp, String result, long clientRetries, double seconds) {
        public boolean exact() {
            return duplicates == 0 && lost == 0 && stored == expected && statisticsExact;
        }
    }

    // --- faults ----------------------------------------------------------------------------------------------------

    /** Arms the stack's fault proxies (see /_local/faults): their status, or null when the stack runs without them. */
    public JsonNode faults(String query) {
        ApiClient.Reply reply = control.send("POST", "/_local/faults?" + query, null, null, null);
        return reply.status() == 200 ? reply.json() : null;
    }

    /** Faults off; the plan's counts of what was injected and what the SDK retried. */
    public JsonNode faultsOff() {
        return control.send("DELETE", "/_local/faults", null, null, null).json();
    }

    // --- the API ---------------------------------------------------------------------------------------------------

    /**
     * {@code creates} transactions by {@code clients} concurrent clients (each create with its own Idempotency-Key),
     * then {@code patches} of the first ones' amounts (every third also moving its date), then {@code deletes} of the next ones. {@code faultsOff} runs
     * before the requests that gave up are sent again.
     */
    public Outcome api(String user, int creates, int patches, int deletes, int clients, Runnable faultsOff)
            throws Exception {
        long started = System.nanoTime();
        long retriesBefore = api.retries();
        String token = LocalStack.jwt().issue(user, Duration.ofHours(2));
        String run = Long.toString(System.nanoTime(), 36);
        String[] ids = new String[creates];
        long[] amounts = new long[creates];
        boolean[] deleted = new boolean[creates];
        List<Runnable> unsettled = Collections.synchronizedList(new ArrayList<>());
        Map<String, Integer> gaveUp = Collections.synchronizedMap(new TreeMap<>());
        Map<Integer, Integer> answersOfGaveUp = Collections.synchronizedMap(new TreeMap<>());

        IntConsumer create = i -> {
            amounts[i] = 100 + i;
            ApiClient.Reply reply = api.send("POST", "/transactions", token, "application/json", createBody(run, i),
                    "Idempotency-Key", run + "-" + i);
            if (reply.status() == 201) {
                ids[i] = reply.json().get("id").asText();
            } else {
                recordGaveUp(gaveUp, answersOfGaveUp, "create", reply);
                unsettled.add(() -> ids[i] = expect(api.send("POST", "/transactions", token, "application/json",
                        createBody(run, i), "Idempotency-Key", run + "-" + i), 201).json().get("id").asText());
            }
        };
        Parallel.run(creates, clients, create);

        IntConsumer patch = i -> {
            if (ids[i] == null) {
                return;
            }
            long amount = 10_000 + i;
            // Every third patch also moves the transaction to another month (away from its id's home).
            String body = "{\"amount\":\"" + Money.toDecimalString(amount, "CNY") + "\""
                    + (i % 3 == 0 ? ",\"date\":\"" + YearMonth.of(2026, 7 + i % 6).atDay(1 + i % 28) + "\"" : "") + "}";
            ApiClient.Reply reply = api.send("PATCH", "/transactions/" + ids[i], token, "application/json", body);
            if (reply.status() == 200) {
                amounts[i] = amount;
            } else {
                recordGaveUp(gaveUp, answersOfGaveUp, "patch", reply);
                unsettled.add(() -> {
                    expect(api.send("PATCH", "/transactions/" + ids[i], token, "application/json", body), 200);
                    amounts[i] = amount;
                });
            }
        };
        Parallel.run(Math.min(patches, creates), clients, patch);

        IntConsumer delete = k -> {
            int i = patches + k;
            if (i >= creates || ids[i] == null) {
                return;
            }
            ApiClient.Reply reply = api.send("DELETE", "/transactions/" + ids[i], token, null, null);
            // A 404 after a retry: an earlier attempt deleted it and lost its answer.
            if (reply.status() == 204 || reply.status() == 404 && reply.attempts() > 1) {
                deleted[i] = true;
            } else {
                recordGaveUp(gaveUp, answersOfGaveUp, "delete", reply);
                unsettled.add(() -> {
                    int status = api.send("DELETE", "/transactions/" + ids[i], token, null, null).status();
                    if (status != 204 && status != 404) {
                        throw new IllegalStateException("delete still fails: " + status);
                    }
                    deleted[i] = true;
                });
            }
        };
        Parallel.run(deletes, clients, delete);
        double seconds = (System.nanoTime() - started) / 1e9;
        long clientRetries = api.retries() - retriesBefore;

        faultsOff.run();
        new ArrayList<>(unsettled).forEach(Runnable::run);

        LedgerAudit audit = LedgerAudit.of(db, TABLE, user);
        Map<String, List<Long>> byNote = new HashMap<>();
        for (Map<String, AttributeValue> item : audit.transactions()) {
            byNote.computeIfAbsent(item.get("note").s(), k -> new ArrayList<>()).add(Long.parseLong(item.get("amt").n()));
        }
        long expected = 0;
        long stored = 0;
        long duplicates = 0;
        long lost = 0;
        for (int i = 0; i < creates; i++) {
            List<Long> found = byNote.getOrDefault(note(run, i), List.of());
            duplicates += Math.max(0, found.size() - 1);
            if (deleted[i]) {
                lost += found.isEmpty() ? 0 : 1; // a delete answered 204, yet the row is there
                continue;
            }
            expected++;
            stored += found.isEmpty() ? 0 : 1;
            if (found.isEmpty() || found.get(0) != amounts[i]) {
                lost++;
            }
        }
        return new Outcome(String.format("API: %,d creates, %,d patches, %,d deletes (%d clients)", creates, patches,
                deletes, clients), expected, stored, duplicates, lost,
                audit.statisticsExact() && audit.forwardsIntact(), unsettled.size(),
                describeGaveUp(gaveUp, answersOfGaveUp), clientRetries, seconds);
    }

    private static String createBody(String run, int i) {
        LocalDate date = YearMonth.of(2026, 1 + i % 6).atDay(1 + i % 28);
        String category = CATEGORIES.get(i % CATEGORIES.size());
        return "{\"amount\":\"" + Money.toDecimalString(100 + i, "CNY") + "\",\"currency\":\"CNY\",\"type\":\""
                + (category.equals("工资") ? "income" : "expense") + "\",\"category\":\"" + category
                + "\",\"date\":\"" + date + "\",\"note\":\"" + note(run, i) + "\"}";
    }

    private static String note(String run, int i) {
        return "chaos " + run + " #" + i;
    }

    private static void recordGaveUp(Map<String, Integer> gaveUp, Map<Integer, Integer> answers, String what,
                                     ApiClient.Reply reply) {
        gaveUp.merge(what, 1, Integer::sum);
        answers.merge(reply.status(), 1, Integer::sum);
    }

    private static String describeGaveUp(Map<String, Integer> gaveUp, Map<Integer, Integer> answers) {
        if (gaveUp.isEmpty()) {
            return "every request answered within its retries";
        }
        return "gave up after retries: " + gaveUp + ", last answers " + answers + " (status: count); sent again later";
    }

    private static ApiClient.Reply expect(ApiClient.Reply reply, int status) {
        if (reply.status() != status) {
            throw new IllegalStateException("expected " + status + " once the faults were off, got " + reply);
        }
        return reply;
    }

    // --- import ----------------------------------------------------------------------------------------------------

    /**
     * A {@code rows}-row CSV (every row distinct, over 24 months) posted as the body of POST /imports, waited for as
     * a client would; {@code midway}, when given, runs once with the job id when 30% of the rows are in.
     */
    public Outcome imports(String user, int rows, Consumer<String> midway) throws Exception {
        long started = System.nanoTime();
        long retriesBefore = api.retries();
        String token = LocalStack.jwt().issue(user, Duration.ofHours(2));
        String run = Long.toString(System.nanoTime(), 36);
        ApiClient.Reply posted = api.send("POST", "/imports", token, "text/csv", csv(run, rows));
        String result;
        if (posted.status() != 202) {
            result = "the request failed: " + posted;
        } else {
            JsonNode job = awaitJob(token, posted.json().get("jobId").asText(), rows, midway);
            JsonNode progress = job.get("progress");
            result = String.format("job %s: %,d imported, %,d duplicates, %,d failed%s", job.get("status").asText(),
                    progress.path("imported").asLong(), progress.path("duplicates").asLong(),
                    progress.path("failed").asLong(), job.hasNonNull("error") ? " (" + job.get("error").asText() + ")" : "");
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        LedgerAudit audit = LedgerAudit.of(db, TABLE, user);
        Map<String, Integer> byNote = new HashMap<>();
        audit.transactions().forEach(item -> byNote.merge(item.get("note").s(), 1, Integer::sum));
        long stored = 0;
        long duplicates = 0;
        for (int i = 0; i < rows; i++) {
            int found = byNote.getOrDefault(importNote(run, i), 0);
            stored += found > 0 ? 1 : 0;
            duplicates += Math.max(0, found - 1);
        }
        return new Outcome(String.format("import: %,d-row CSV%s", rows, midway == null ? "" : ", DynamoDB killed and"
                        + " restarted at 30%"), rows, stored, duplicates, rows - stored, audit.statisticsExact(),
                posted.status() == 202 ? 0 : 1, result, api.retries() - retriesBefore, seconds);
    }

    private JsonNode awaitJob(String token, String jobId, int rows, Consumer<String> midway) throws Exception {
        long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
        boolean fired = midway == null;
        while (System.nanoTime() < deadline) {
            ApiClient.Reply reply = api.send("GET", "/jobs/" + jobId, token, null, null);
            if (reply.status() == 200) {
                JsonNode job = reply.json();
                if (JobStatus.fromWire(job.get("status").asText()).isFinal()) {
                    return job;
                }
                if (!fired && job.path("progress").path("imported").asLong() >= rows * 3L / 10) {
                    fired = true;
                    midway.accept(jobId);
                }
            } else if (!reply.retryable()) {
                throw new IllegalStateException("GET /jobs/" + jobId + ": " + reply);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("job " + jobId + " did not finish in " + JOB_TIMEOUT);
    }

    /** A Tally CSV whose every row carries its own note, so the audit can find each row once. */
    private static String csv(String run, int rows) {
        return ImportBench.csv(rows, rows, i -> importNote(run, i));
    }

    private static String importNote(String run, int i) {
        return "import " + run + " #" + i;
    }

    // --- export ----------------------------------------------------------------------------------------------------

    /** {@code rows} transactions seeded straight into the table, exported as CSV through the API, downloaded, counted. */
    public Outcome export(String user, int rows) throws Exception {
        ExportBench.seed(db, user, rows);
        long started = System.nanoTime();
        long retriesBefore = api.retries();
        String token = LocalStack.jwt().issue(user, Duration.ofHours(2));
        String request = "{\"from\":\"" + ExportBench.FIRST.atDay(1) + "\",\"to\":\""
                + ExportBench.FIRST.plusMonths(ExportBench.MONTHS - 1).atEndOfMonth() + "\",\"format\":\"csv\"}";
        ApiClient.Reply posted = api.send("POST", "/exports", token, "application/json", request);
        String result;
        List<String> exported = new ArrayList<>();
        if (posted.status() != 202) {
            result = "the request failed: " + posted;
        } else {
            JsonNode job = awaitJob(token, posted.json().get("jobId").asText(), rows, null);
            result = "job " + job.get("status").asText() + (job.hasNonNull("error") ? " (" + job.get("error").asText() + ")" : "");
            if ("succeeded".equals(job.get("status").asText())) {
                ApiClient.Reply file = api.send(URI.create(job.get("download").get("url").asText()), "GET", null, null, null);
                if (file.status() != 200) {
                    result += "; the download failed: " + file;
                } else {
                    exported = ids(file.body());
                    result += String.format(", %,d bytes", file.body().length());
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        LedgerAudit audit = LedgerAudit.of(db, TABLE, user);
        Set<String> storedIds = new HashSet<>();
        audit.transactions().forEach(item -> storedIds.add(item.get("id").s()));
        Set<String> inFile = new HashSet<>(exported);
        long lost = storedIds.stream().filter(id -> !inFile.contains(id)).count();
        return new Outcome(String.format("export: %,d rows to CSV (rows in the file)", rows), storedIds.size(),
                inFile.size(), exported.size() - inFile.size(), lost, audit.statisticsExact(),
                posted.status() == 202 ? 0 : 1, result, api.retries() - retriesBefore, seconds);
    }

    /** The id column of every record of an exported CSV. */
    private static List<String> ids(String csv) throws IOException {
        CsvReader reader = new CsvReader(new StringReader(csv.startsWith("\uFEFF") ? csv.substring(1) : csv));
        List<String> header = reader.next();
        int column = header.indexOf("id");
        List<String> ids = new ArrayList<>();
        for (List<String> record = reader.next(); record != null; record = reader.next()) {
            ids.add(record.get(column));
        }
        return ids;
    }
}
