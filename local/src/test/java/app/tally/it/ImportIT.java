package app.tally.it;

import static app.tally.it.LocalApi.AWS;
import static app.tally.it.LocalApi.get;
import static app.tally.it.LocalApi.newUser;
import static app.tally.it.LocalApi.post;
import static app.tally.it.TransactionsIT.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.cli.UploadForm;
import app.tally.csv.CsvReader;
import app.tally.it.LocalApi.Reply;
import app.tally.model.EntryType;
import app.tally.model.Ids;
import app.tally.model.ImportProgress;
import app.tally.model.Job;
import app.tally.model.JobKind;
import app.tally.model.JobStatus;
import app.tally.model.Money;
import app.tally.services.exports.ExportRow;
import app.tally.services.exports.TransactionCsv;
import app.tally.services.imports.ImportChunk;
import app.tally.services.imports.ImportFile;
import app.tally.services.imports.ImportWorker;
import app.tally.services.jobs.JobFiles;
import app.tally.services.jobs.JobQueue;
import app.tally.store.JobStore;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Imports end to end on the local stack: POST /imports through the gateway, the worker and the chunk writers fed by
 * the queue poller from ElasticMQ, the file in S3Proxy, the rows and statistics in dynalite.
 */
class ImportIT {
    private static final HttpClient PLAIN = HttpClient.newHttpClient();
    private static final List<String> CATEGORIES = List.of("餐饮", "交通", "日用, 杂项", "房租", "工资", "理财");

    @AfterEach
    void disarmFaults() {
        LocalApi.send(HttpRequest.newBuilder(LocalApi.API.resolve("/_local/sdk-faults")).DELETE().build());
    }

    /** 202 and the job id, for a CSV sent as the body. */
    static String importBody(String user, String csv, String query) {
        Reply reply = post("/imports" + query, user, csv, "Content-Type", "text/csv; charset=utf-8");
        assertEquals(202, reply.status(), reply.toString());
        assertEquals("import", reply.json().get("kind").asText());
        String id = reply.json().get("jobId").asText();
        assertEquals("/jobs/" + id, reply.header("Location"));
        return id;
    }

    static JsonNode awaitFinished(String user, String id) {
        return LocalApi.awaitFinishedJob(user, id, 240_000);
    }

    /** Generated Tally CSV rows (no ids: the import derives them), and which row numbers are bad. */
    record Generated(String csv, int good, Set<Long> badRows) {
    }

    static Generated generate(int good, int everyBad, long seed) {
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder();
        TransactionCsv.appendHeader(csv);
        Set<Long> bad = new HashSet<>();
        long row = 1;
        int written = 0;
        String[] broken = {",2026-01-05,expense,12.345,CNY,餐饮,,,", ",2026-02-30,expense,1.00,CNY,餐饮,,,",
                ",2026-03-01,spend,1.00,CNY,餐饮,,,", ",2026-03-01,expense,1.00,XYZ,餐饮,,,", ",2026-03-01,expense",
                ",2026-03-01,income,-5,CNY,工资,,,", ",2026-03-01,income,5,CNY,   ,,,"};
        int bads = 0;
        while (written < good) {
            row++;
            if (everyBad > 0 && row % everyBad == 0) {
                csv.append(broken[bads++ % broken.length]).append("\r\n");
                bad.add(row);
                continue;
            }
            YearMonth month = YearMonth.of(2025, 1).plusMonths(random.nextInt(24));
            LocalDate date = month.atDay(1 + random.nextInt(month.lengthOfMonth()));
            String category = CATEGORIES.get(random.nextInt(CATEGORIES.size()));
            String type = category.equals("工资") || category.equals("理财") ? "income" : "expense";
            String currency = random.nextInt(10) == 0 ? "USD" : "CNY";
            String amount = Money.toDecimalString(1 + random.nextInt(100_000), currency);
            String note = random.nextInt(5) == 0 ? "午饭, with \"friends\"" : "";
            csv.append(',').append(date).append(',').append(type).append(',').append(amount).append(',')
                    .append(currency).append(',');
            appendField(csv, category);
            csv.append(',');
            appendField(csv, note);
            csv.append(',').append(random.nextInt(3) == 0 ? "imported;a\\;b" : "").append(",\r\n");
            written++;
        }
        return new Generated(csv.toString(), good, bad);
    }

    private static void appendField(StringBuilder out, String value) {
        TransactionCsv.appendField(out, value);
    }

    private static long transactionCount(String user) {
        return LocalApi.itemsWithPrefix("U#" + user + "#M#").size();
    }

    private static void assertStatisticsExact(String user) {
        assertEquals(LocalApi.recountedStatistics(user), LocalApi.storedStatistics(user));
    }

    @Test
    void tenThousandRowsWithOnePercentBadImportExactlyAndTheSameFileAgainOnlyFindsDuplicates() {
        String user = newUser("import-10k");
        Generated file = generate(10_000, 100, 20261128L);
        long started = System.currentTimeMillis();
        String id = importBody(user, file.csv(), "");
        JsonNode job = awaitFinished(user, id);
        System.out.printf("10,000-row import: %d ms%n", System.currentTimeMillis() - started);
        assertEquals("succeeded", job.get("status").asText(), job.toString());
        JsonNode progress = job.get("progress");
        assertEquals(10_000 + file.badRows().size(), progress.get("total").asLong());
        assertEquals(10_000, progress.get("valid").asLong());
        assertEquals(file.badRows().size(), progress.get("invalid").asLong());
        assertEquals(10_000, progress.get("imported").asLong());
        assertEquals(0, progress.get("duplicates").asLong());
        assertEquals(0, progress.get("failed").asLong());
        assertEquals(100, progress.get("percent").asInt());
        assertEquals(progress.get("chunks").asInt(), progress.get("chunksDone").asInt());
        assertTrue(progress.get("rowsPerSecond").asLong() > 0, progress.toString());
        assertEquals(10_000, transactionCount(user));
        assertStatisticsExact(user);
        assertTrue(job.get("events").size() <= 60, "the event log stays short");
        assertTrue(job.get("events").get(job.get("events").size() - 1).get("text").asText().startsWith("succeeded"));

        Set<Long> errorRows = new HashSet<>();
        String cursor = null;
        do {
            Reply page = get("/jobs/" + id + "/errors?limit=30" + (cursor == null ? "" : "&cursor=" + cursor), user);
            assertEquals(200, page.status(), page.toString());
            for (JsonNode error : page.json().get("items")) {
                assertTrue(errorRows.add(error.get("row").asLong()));
                assertTrue(!error.get("reason").asText().isEmpty() && !error.get("raw").asText().isEmpty());
            }
            cursor = page.json().get("nextCursor").isNull() ? null : page.json().get("nextCursor").asText();
        } while (cursor != null);
        assertEquals(file.badRows(), errorRows);
        JsonNode first = get("/jobs/" + id + "/errors?limit=1", user).json().get("items").get(0);
        assertEquals(100, first.get("row").asLong());
        assertEquals("amount", first.get("column").asText());
        assertTrue(first.get("reason").asText().contains("decimal places"), first.toString());

        String again = importBody(user, file.csv(), "");
        JsonNode second = awaitFinished(user, again);
        assertEquals("succeeded", second.get("status").asText(), second.toString());
        assertEquals(0, second.get("progress").get("imported").asLong());
        assertEquals(10_000, second.get("progress").get("duplicates").asLong());
        assertEquals(10_000, transactionCount(user));
        assertStatisticsExact(user);
    }

    @Test
    void chunkDeliveredTwiceIsWrittenAndCountedOnce() throws Exception {
        String user = newUser("import-twice");
        List<ImportFile.Valid> oneMonth = rowsByMonth(user, 40, 7L).get(0);
        PlannedImport planned = PlannedImport.of(user, List.of(oneMonth));
        String id = planned.id();
        Consumer<String> deliver = copy -> planned.deliver(0, copy);
        deliver.accept("first");
        deliver.accept("second");

        JsonNode job = awaitFinished(user, id);
        assertEquals("succeeded", job.get("status").asText(), job.toString());
        assertEquals(oneMonth.size(), job.get("progress").get("imported").asLong());
        assertEquals(0, job.get("progress").get("duplicates").asLong());
        deliver.accept("third");
        LocalApi.sleep(3_000);
        JsonNode after = get("/jobs/" + id, user).json();
        assertEquals(job.get("progress"), after.get("progress"), "a third delivery changes nothing");
        assertEquals(oneMonth.size(), transactionCount(user));
        assertStatisticsExact(user);
    }

    /**
     * A chunk's notes on the job may run ahead of the chunks written (a redelivered chunk notes twice): the job must
     * not end until the tallies show every chunk, and then it ends with exact counts.
     */
    @Test
    void notesOfARedeliveredChunkDoNotEndTheJobBeforeItsLastChunkIsWritten() throws Exception {
        String user = newUser("import-notes-ahead");
        List<List<ImportFile.Valid>> months = rowsByMonth(user, 60, 11L);
        List<ImportFile.Valid> first = months.get(0);
        List<ImportFile.Valid> second = months.get(1);
        PlannedImport planned = PlannedImport.of(user, List.of(first, second));
        planned.deliver(0, "first");
        planned.deliver(0, "second");
        LocalApi.sleep(3_000);
        JsonNode running = get("/jobs/" + planned.id(), user).json();
        assertEquals("running", running.get("status").asText(), running.toString());
        assertEquals(first.size(), running.get("progress").get("imported").asLong(), running.toString());
        assertEquals(1, running.get("progress").get("chunksDone").asInt(), running.toString());

        planned.deliver(1, "first");
        JsonNode job = awaitFinished(user, planned.id());
        assertEquals("succeeded", job.get("status").asText(), job.toString());
        assertEquals(first.size() + second.size(), job.get("progress").get("imported").asLong(), job.toString());
        assertEquals(0, job.get("progress").get("duplicates").asLong());
        assertEquals(2, job.get("progress").get("chunksDone").asInt());
        assertEquals(first.size() + second.size(), transactionCount(user));
        assertStatisticsExact(user);
    }

    /** An import that fails before its count completes (its worker gave up) still shows what its chunks wrote. */
    @Test
    void anImportThatFailedShowsTheRowsItsChunksWrote() throws Exception {
        String user = newUser("import-failed-counts");
        List<List<ImportFile.Valid>> months = rowsByMonth(user, 60, 13L);
        PlannedImport planned = PlannedImport.of(user, List.of(months.get(0), months.get(1)));
        planned.deliver(0, "first");
        LocalApi.awaitCondition(() -> get("/jobs/" + planned.id(), user).json().get("progress").get("chunksDone")
                .asInt() == 1, 30_000);
        new JobStore(AWS.dynamoDb(), LocalApi.TABLE).fail(user, planned.id(), "the worker gave up", Instant.now())
                .join();
        JsonNode failed = get("/jobs/" + planned.id(), user).json();
        assertEquals("failed", failed.get("status").asText(), failed.toString());
        assertEquals(months.get(0).size(), failed.get("progress").get("imported").asLong(), failed.toString());

        planned.deliver(1, "first");
        LocalApi.awaitCondition(() -> get("/jobs/" + planned.id(), user).json().get("progress").get("chunksDone")
                .asInt() == 2, 30_000);
        JsonNode after = get("/jobs/" + planned.id(), user).json();
        assertEquals("failed", after.get("status").asText());
        assertEquals(months.get(0).size() + months.get(1).size(), after.get("progress").get("imported").asLong(),
                "a chunk sent before the failure still counts");
        assertEquals(months.get(0).size() + months.get(1).size(), transactionCount(user));
        assertStatisticsExact(user);
    }

    /** The valid rows of a generated file, by month, the month with most rows first. */
    private static List<List<ImportFile.Valid>> rowsByMonth(String user, int rows, long seed) throws Exception {
        Map<YearMonth, List<ImportFile.Valid>> months = new HashMap<>();
        try (ImportFile reader = ImportFile.open(new ByteArrayInputStream(generate(rows, 0, seed).csv()
                .getBytes(StandardCharsets.UTF_8)), null, user, Instant.parse("2026-11-28T00:00:00Z"))) {
            for (ImportFile.Row row = reader.next(); row != null; row = reader.next()) {
                ImportFile.Valid valid = (ImportFile.Valid) row;
                months.computeIfAbsent(valid.tx().month(), m -> new ArrayList<>()).add(valid);
            }
        }
        return months.values().stream().sorted(Comparator.comparingInt(List<ImportFile.Valid>::size).reversed())
                .toList();
    }

    /** A running import job planned with these chunks (one month each), whose chunk messages a test sends itself. */
    private record PlannedImport(String user, String id, List<JobQueue.Entry> chunks) {
        static PlannedImport of(String user, List<List<ImportFile.Valid>> chunkRows) {
            JobStore jobs = new JobStore(AWS.dynamoDb(), LocalApi.TABLE);
            String id = Ids.newId(Instant.now());
            jobs.create(user, Job.created(id, JobKind.IMPORT, JobStatus.QUEUED,
                    "{\"format\":\"tally\",\"dryRun\":false}", Instant.now())).join();
            jobs.startImport(user, id, "started", Instant.now()).join();
            int rows = chunkRows.stream().mapToInt(List::size).sum();
            jobs.planned(user, id, new ImportProgress(rows, rows, 0, chunkRows.size(), 0, 0, 0, 0, true), "planned",
                    Instant.now()).join();
            List<JobQueue.Entry> chunks = new ArrayList<>();
            for (int i = 0; i < chunkRows.size(); i++) {
                chunks.add(new ImportChunk(user, id, i, chunkRows.get(i).get(0).tx().month(), chunkRows.get(i)).toEntry());
            }
            return new PlannedImport(user, id, chunks);
        }

        /**
         * Sends chunk {@code index} with its own deduplication id: SQS would drop a resend within five minutes; these
         * are the deliveries that get through anyway (a resend after that, or at-least-once delivery).
         */
        void deliver(int index, String copy) {
            JobQueue.Entry chunk = chunks.get(index);
            String queue = AWS.sqs().getQueueUrl(r -> r.queueName("tally-import-chunk-queue.fifo")).join().queueUrl();
            AWS.sqs().sendMessage(r -> r.queueUrl(queue).messageBody(chunk.body()).messageGroupId(chunk.group())
                    .messageDeduplicationId(chunk.deduplicationId() + "-" + copy)).join();
        }
    }

    private static void armTransactFault(String keyPrefix, int count) {
        Reply armed = LocalApi.send(HttpRequest.newBuilder(LocalApi.API.resolve(
                        "/_local/sdk-faults?service=DynamoDb&operation=TransactWriteItems&keyPrefix="
                                + URLEncoder.encode(keyPrefix, StandardCharsets.UTF_8) + "&count=" + count))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, armed.status(), armed.toString());
    }

    private static String oneMonthCsv(String month, int rows) {
        StringBuilder csv = new StringBuilder();
        TransactionCsv.appendHeader(csv);
        for (int i = 0; i < rows; i++) {
            csv.append(',').append(month).append('-').append(String.format("%02d", 1 + i % 28)).append(",expense,")
                    .append(i + 1).append(".50,CNY,餐饮,lunch ").append(i).append(",,\r\n");
        }
        return csv.toString();
    }

    @Test
    void chunkWhoseFirstTwoAttemptsFailIsStillWrittenExactlyOnce() {
        String user = newUser("import-flaky");
        armTransactFault("U#" + user + "#M#", 2);
        String id = importBody(user, oneMonthCsv("2026-04", 30), "");
        JsonNode job = awaitFinished(user, id);
        assertEquals("succeeded", job.get("status").asText(), job.toString());
        assertEquals(30, job.get("progress").get("imported").asLong());
        assertEquals(0, job.get("progress").get("duplicates").asLong());
        assertEquals("{}", LocalApi.send(HttpRequest.newBuilder(LocalApi.API.resolve("/_local/sdk-faults")).GET()
                .build()).body(), "both injected failures were used");
        assertTrue(job.get("events").toString().contains("chunk 0 retried (delivery 3)"), job.toString());
        assertEquals(30, transactionCount(user));
        assertStatisticsExact(user);
        JsonNode stats = get("/dashboard?month=2026-04", user).json();
        assertNotNull(stats);
    }

    @Test
    void chunkThatKeepsFailingEndsTheJobPartialWithItsRowsCountedAsFailed() {
        String user = newUser("import-doomed");
        armTransactFault("U#" + user + "#M#2026-05", 5);
        String csv = oneMonthCsv("2026-04", 10) + oneMonthCsv("2026-05", 12).substring(
                String.join(",", TransactionCsv.HEADER).length() + 2);
        String id = importBody(user, csv, "");
        JsonNode job = awaitFinished(user, id);
        assertEquals("partial", job.get("status").asText(), job.toString());
        JsonNode progress = job.get("progress");
        assertEquals(10, progress.get("imported").asLong());
        assertEquals(12, progress.get("failed").asLong());
        assertTrue(job.get("error").asText().contains("12 rows could not be written"), job.toString());
        JsonNode errors = get("/jobs/" + id + "/errors?limit=100", user).json().get("items");
        assertEquals(12, errors.size());
        assertEquals(12, errors.get(0).get("row").asLong());
        assertTrue(errors.get(0).get("reason").asText().contains("failed 5 times"), errors.toString());
        assertEquals(10, transactionCount(user));
        assertStatisticsExact(user);
    }

    /** Creates an upload job, uploads the bytes with its presigned form and starts it. */
    static String importUpload(String user, byte[] bytes, String mappingJson) throws Exception {
        Reply created = post("/imports", user, "{\"filename\":\"statement.csv\""
                + (mappingJson == null ? "" : ",\"mapping\":" + mappingJson) + "}");
        assertEquals(202, created.status(), created.toString());
        String id = created.json().get("jobId").asText();
        assertEquals("awaiting_upload", created.json().get("status").asText());
        assertProblem(409, post("/imports/" + id + "/start", user, null));
        HttpResponse<String> sent = upload(created.json().get("upload"), bytes);
        assertEquals(204, sent.statusCode(), sent.body());
        Reply started = post("/imports/" + id + "/start", user, null);
        assertEquals(202, started.status(), started.toString());
        // A file the worker fails at once can be final by the time the start reads the job back.
        assertTrue(!started.json().get("status").asText().equals("awaiting_upload"), started.toString());
        return id;
    }

    /** The bytes, sent to S3 with the upload form {@code POST /imports} answered. */
    static HttpResponse<String> upload(JsonNode form, byte[] bytes) throws Exception {
        return PLAIN.send(UploadForm.request(form, "statement.csv", HttpRequest.BodyPublishers.ofByteArray(bytes)),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anUploadReplacedAfterTheStartFailsTheJobInsteadOfMixingTwoFiles() throws Exception {
        String user = newUser("import-replaced");
        Reply created = post("/imports", user, "{\"filename\":\"statement.csv\"}");
        String id = created.json().get("jobId").asText();
        JsonNode form = created.json().get("upload");
        assertEquals(204, upload(form, oneMonthCsv("2026-01", 5).getBytes(StandardCharsets.UTF_8)).statusCode());
        // The worker's first read fails, so its retry comes after the replacement below.
        Reply armed = LocalApi.send(HttpRequest.newBuilder(LocalApi.API.resolve("/_local/sdk-faults?service=S3"
                        + "&operation=GetObject&count=1&keyPrefix=" + URLEncoder.encode(
                        JobFiles.key(JobKind.IMPORT, user, id, "csv"), StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, armed.status(), armed.toString());
        assertEquals(202, post("/imports/" + id + "/start", user, null).status());
        assertEquals(204, upload(form, oneMonthCsv("2026-02", 7).getBytes(StandardCharsets.UTF_8)).statusCode());

        JsonNode job = awaitFinished(user, id);
        assertEquals("failed", job.get("status").asText(), job.toString());
        assertTrue(job.get("error").asText().contains("replaced after the import was started"), job.toString());
        assertEquals(0, transactionCount(user));
    }

    @Test
    void aFileTooLargeToHoldInMemoryIsStreamedTwiceAndImportsExactly() throws Exception {
        String user = newUser("import-streamed");
        Generated file = generate(ImportWorker.HELD_ROWS + 1, 0, 5L);

        String id = importUpload(user, file.csv().getBytes(StandardCharsets.UTF_8), null);
        // Starting it again while it runs answers its state, chunk counts read from its month tallies as they stand.
        long until = System.currentTimeMillis() + 60_000;
        Reply seen = get("/jobs/" + id, user);
        while (seen.json().get("status").asText().equals("queued") && System.currentTimeMillis() < until) {
            Thread.sleep(50);
            seen = get("/jobs/" + id, user);
        }
        Reply again = post("/imports/" + id + "/start", user, null);
        assertEquals(202, again.status(), again.toString());
        assertNotEquals("queued", again.json().get("status").asText(), again.toString());

        JsonNode job = awaitFinished(user, id);
        assertEquals("succeeded", job.get("status").asText(), job.toString());
        assertEquals(ImportWorker.HELD_ROWS + 1, job.get("progress").get("imported").asLong());
        assertEquals(ImportWorker.HELD_ROWS + 1, transactionCount(user));
        assertStatisticsExact(user);
    }

    @Test
    void aFileOverTheRowLimitFailsBeforeAnythingIsWritten() throws Exception {
        String user = newUser("import-huge");
        byte[] line = ",2026-01-01,expense,1.00,CNY,x,,,\r\n".getBytes(StandardCharsets.UTF_8);
        StringBuilder header = new StringBuilder();
        TransactionCsv.appendHeader(header);
        byte[] head = header.toString().getBytes(StandardCharsets.UTF_8);
        byte[] file = new byte[head.length + line.length * (ImportWorker.MAX_ROWS + 1)];
        System.arraycopy(head, 0, file, 0, head.length);
        for (int i = 0; i <= ImportWorker.MAX_ROWS; i++) {
            System.arraycopy(line, 0, file, head.length + i * line.length, line.length);
        }

        JsonNode job = awaitFinished(user, importUpload(user, file, null));
        assertEquals("failed", job.get("status").asText(), job.toString());
        assertTrue(job.get("error").asText().contains("more than 1,000,000 rows"), job.toString());
        assertEquals(0, transactionCount(user));
    }

    @Test
    void malformedFilesFailWithAClearReasonAndWriteNothing() throws Exception {
        String user = newUser("import-bad");
        Map<String, String> reasons = new HashMap<>();
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        reasons.put(importUpload(user, png, null), "binary, not CSV text (a NUL byte on line 3)");
        byte[] latin1 = "id,date,type,amount,currency,category,note,tags,createdAt\r\n,2026-01-01,expense,1.00,CNY,Caf\u00e9,,,\r\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        reasons.put(importUpload(user, latin1, null), "not UTF-8 text (a byte on line 2");
        reasons.put(importBody(user, "id,date,type\u0000,amount\r\n", ""), "binary");
        reasons.put(importBody(user, "2026-01-01,expense,1.00,CNY,餐饮\r\n2026-01-02,expense,2.00,CNY,餐饮\r\n", ""),
                "not a header of Tally's CSV");
        reasons.put(importBody(user, oneMonthCsv("2026-01", 3), "?mapping=cn-bank"),
                "columns the file's header does not have: 交易日期");
        reasons.put(importBody(user, "\r\n", ""), "empty");
        for (Map.Entry<String, String> expected : reasons.entrySet()) {
            JsonNode job = awaitFinished(user, expected.getKey());
            assertEquals("failed", job.get("status").asText(), job.toString());
            assertTrue(job.get("error").asText().contains(expected.getValue()), job.get("error") + " / " + expected);
        }
        assertEquals(0, transactionCount(user));
        assertEquals(Map.of(), LocalApi.storedStatistics(user));

        assertProblem(422, post("/imports?mapping=no-such-bank", user, "a,b\r\n", "Content-Type", "text/csv"));
        assertProblem(422, post("/imports", user, "{\"filename\":\"x.csv\",\"mapping\":{\"dateColumn\":\"d\"}}"));
        assertProblem(415, post("/imports", user, "a,b", "Content-Type", "text/plain"));
        assertProblem(404, post("/imports/01M8GA8C45FA7VNZS1R1N9GJX5/start", user, null));
    }

    @Test
    void bankLayoutsImportThroughTheirPresetsAndADryRunWritesNothing() throws Exception {
        String user = newUser("import-bank");
        String cn = Files.readString(events("cn-bank.csv"));
        String dry = importBody(user, cn, "?mapping=cn-bank&dryRun=true");
        JsonNode dryJob = awaitFinished(user, dry);
        assertEquals("succeeded", dryJob.get("status").asText(), dryJob.toString());
        assertEquals(10, dryJob.get("progress").get("valid").asLong());
        assertEquals(2, dryJob.get("progress").get("invalid").asLong());
        assertEquals(0, dryJob.get("progress").get("imported").asLong());
        assertEquals(2, get("/jobs/" + dry + "/errors", user).json().get("items").size());
        assertEquals(0, transactionCount(user));

        JsonNode job = awaitFinished(user, importBody(user, cn, "?mapping=cn-bank"));
        assertEquals("succeeded", job.get("status").asText(), job.toString());
        assertEquals(10, job.get("progress").get("imported").asLong());
        JsonNode errors = get("/jobs/" + job.get("jobId").asText() + "/errors", user).json().get("items");
        assertEquals(12, errors.get(0).get("row").asLong());
        assertEquals("交易日期", errors.get(0).get("column").asText());
        assertEquals(13, errors.get(1).get("row").asLong());
        assertTrue(errors.get(1).get("reason").asText().contains("both a debit and a credit"), errors.toString());
        List<JsonNode> stored = TransactionsIT.walk(user, "/transactions?limit=200&from=2026-01-01&to=2026-02-28");
        JsonNode salary = stored.stream().filter(t -> t.get("category").asText().equals("工资")
                && t.get("date").asText().equals("2026-01-05")).findFirst().orElseThrow();
        assertEquals("15000.00", salary.get("amount").asText());
        assertEquals("income", salary.get("type").asText());
        assertEquals("一月工资", salary.get("note").asText());
        assertTrue(stored.stream().anyMatch(t -> t.get("category").asText().equals("未分类")));
        assertTrue(stored.stream().anyMatch(t -> t.get("note").asText().equals("新年红包 \"恭喜发财\"")));

        String us = Files.readString(events("us-bank.csv"));
        String mapping = Files.readString(events("us-bank.mapping.json"));
        JsonNode usJob = awaitFinished(user, importUpload(user, us.getBytes(StandardCharsets.UTF_8), mapping));
        assertEquals("succeeded", usJob.get("status").asText(), usJob.toString());
        assertEquals(8, usJob.get("progress").get("imported").asLong());
        assertEquals(2, usJob.get("progress").get("invalid").asLong());
        List<JsonNode> usd = TransactionsIT.walk(user, "/transactions?limit=200&category=Uncategorized");
        assertEquals(8, usd.size());
        assertTrue(usd.stream().anyMatch(t -> t.get("amount").asText().equals("1850.00")
                && t.get("type").asText().equals("expense") && t.get("currency").asText().equals("USD")));
        assertStatisticsExact(user);
    }

    private static Path events(String name) {
        return app.tally.local.LocalStack.root().resolve("events/imports").resolve(name);
    }

    @Test
    void exportOfImportedRowsEqualsTheInputRows() throws Exception {
        String user = newUser("import-roundtrip");
        StringBuilder csv = new StringBuilder();
        TransactionCsv.appendHeader(csv);
        List<ExportRow> input = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < 150; i++) {
            LocalDate date = LocalDate.of(2025, 1, 1).plusDays(random.nextInt(600));
            Instant created = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i);
            // Every seventh id was made with another date: a transaction whose date changed after it was created.
            String id = Ids.newTransactionId(i % 7 == 0 ? date.minusDays(1 + i) : date, created);
            input.add(new ExportRow(id, date, i % 4 == 0 ? EntryType.INCOME : EntryType.EXPENSE,
                    Money.parse((1 + random.nextInt(9999)) + "." + (10 + random.nextInt(89)), "CNY"),
                    i % 3 == 0 ? "餐饮, 外卖" : "\"quoted\"", i % 5 == 0 ? "line one\nline two, \"x\"" : "note " + i,
                    i % 2 == 0 ? List.of("a;b", "back\\slash", "团队") : List.of(), created));
        }
        input.forEach(row -> TransactionCsv.appendRow(csv, row));
        JsonNode job = awaitFinished(user, importBody(user, csv.toString(), ""));
        assertEquals("succeeded", job.get("status").asText(), job.toString());
        assertEquals(150, job.get("progress").get("imported").asLong());

        Reply export = post("/exports", user, "{\"from\":\"2025-01-01\",\"to\":\"2026-12-31\",\"format\":\"csv\"}");
        assertEquals(202, export.status(), export.toString());
        JsonNode exported = ExportIT.awaitFinished(user, export.json().get("jobId").asText());
        HttpResponse<String> file = PLAIN.send(HttpRequest.newBuilder(URI.create(
                exported.get("download").get("url").asText())).GET().build(), HttpResponse.BodyHandlers.ofString());
        List<ExportRow> rows = new ArrayList<>();
        CsvReader reader = new CsvReader(new BufferedReader(new StringReader(file.body())));
        reader.next();
        for (List<String> record = reader.next(); record != null; record = reader.next()) {
            rows.add(TransactionCsv.read(record));
        }
        input.sort(java.util.Comparator.comparing(ExportRow::date).thenComparing(ExportRow::id));
        assertEquals(input, rows);

        JsonNode again = awaitFinished(user, importBody(user, file.body(), ""));
        assertEquals(150, again.get("progress").get("duplicates").asLong(), "its own export imports as duplicates");
        assertStatisticsExact(user);
        assertTrue(LocalApi.audit(user).forwardsIntact());
        ExportRow moved = input.stream().filter(row -> !Ids.dateOf(row.id()).orElseThrow().equals(row.date()))
                .findFirst().orElseThrow();
        assertEquals(moved.date().toString(), get("/transactions/" + moved.id(), user).json().get("date").asText());
    }
}
