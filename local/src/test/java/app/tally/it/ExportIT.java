package app.tally.it;

import static app.tally.it.LocalApi.AWS;
import static app.tally.it.LocalApi.get;
import static app.tally.it.LocalApi.newUser;
import static app.tally.it.LocalApi.post;
import static app.tally.it.TransactionsIT.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.csv.CsvReader;
import app.tally.it.LocalApi.Reply;
import app.tally.model.EntryType;
import app.tally.model.JobKind;
import app.tally.model.Money;
import app.tally.services.exports.ExportRow;
import app.tally.services.exports.TransactionCsv;
import app.tally.services.jobs.JobFiles;
import app.tally.services.jobs.JobMessage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Exports end to end on the local stack: POST /exports through the gateway, the worker fed by the queue poller from
 * ElasticMQ, the file in S3Proxy, the download through the presigned link with a plain HTTP client.
 */
class ExportIT {
    private static final String QUEUE = "tally-export-queue";
    private static final String DEAD_LETTERS = "tally-export-dead-letter-queue";
    private static final HttpClient PLAIN = HttpClient.newHttpClient();

    @AfterEach
    void disarmFaults() {
        LocalApi.send(HttpRequest.newBuilder(LocalApi.API.resolve("/_local/sdk-faults")).DELETE().build());
    }

    private static String requestExport(String user, String body) {
        Reply reply = post("/exports", user, body);
        assertEquals(202, reply.status(), reply.toString());
        String id = reply.json().get("jobId").asText();
        assertEquals("queued", reply.json().get("status").asText());
        assertEquals("/jobs/" + id, reply.header("Location"));
        return id;
    }

    static JsonNode awaitFinished(String user, String id) {
        return LocalApi.awaitFinishedJob(user, id, 60_000);
    }

    static byte[] download(JsonNode job) {
        String url = job.get("download").get("url").asText();
        try {
            HttpResponse<byte[]> response = PLAIN.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
            return response.body();
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static List<List<String>> records(String csv) {
        try {
            CsvReader reader = new CsvReader(new BufferedReader(new StringReader(csv)));
            List<List<String>> records = new ArrayList<>();
            for (List<String> record = reader.next(); record != null; record = reader.next()) {
                records.add(record);
            }
            return records;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The user's transactions as the API lists them, as export rows in file order (date, then id). */
    private static List<ExportRow> storedRows(String user, String query) {
        List<ExportRow> rows = new ArrayList<>();
        for (JsonNode tx : TransactionsIT.walk(user, "/transactions?limit=200" + query)) {
            List<String> tags = StreamSupport.stream(tx.get("tags").spliterator(), false).map(JsonNode::asText).toList();
            rows.add(new ExportRow(tx.get("id").asText(), LocalDate.parse(tx.get("date").asText()),
                    EntryType.fromWire(tx.get("type").asText()),
                    Money.parse(tx.get("amount").asText(), tx.get("currency").asText()), tx.get("category").asText(),
                    tx.get("note").asText(), tags, Instant.parse(tx.get("createdAt").asText())));
        }
        rows.sort(Comparator.comparing(ExportRow::date).thenComparing(ExportRow::id));
        return rows;
    }

    private static void createAwkwardTransactions(String user) {
        String[] bodies = {
            "{\"amount\":\"12.34\",\"currency\":\"CNY\",\"type\":\"expense\",\"category\":\"餐饮, 外卖\",\"date\":\"2026-11-24\","
                    + "\"note\":\"he said \\\"hi\\\", twice\\nsecond line\",\"tags\":[\"a;b\",\"团队\",\"back\\\\slash\"]}",
            "{\"amount\":\"100\",\"currency\":\"JPY\",\"type\":\"income\",\"category\":\"工资\",\"date\":\"2025-01-01\"}",
            "{\"amount\":\"0.01\",\"currency\":\"USD\",\"type\":\"expense\",\"category\":\"\\\"quoted\\\"\",\"date\":\"2026-11-30\","
                    + "\"note\":\"tab\\there, comma, end\",\"tags\":[]}",
            "{\"amount\":\"999999999999.99\",\"currency\":\"CNY\",\"type\":\"income\",\"category\":\"理财\",\"date\":\"2025-06-15\","
                    + "\"note\":\"=SUM(A1:A2)\",\"tags\":[\"x\"]}",
            "{\"amount\":\"5.5\",\"currency\":\"CNY\",\"type\":\"expense\",\"category\":\"餐饮, 外卖\",\"date\":\"2025-06-15\"}",
            // Outside the requested range: must not be exported.
            "{\"amount\":\"1\",\"currency\":\"CNY\",\"type\":\"expense\",\"category\":\"x\",\"date\":\"2024-12-31\"}",
            "{\"amount\":\"1\",\"currency\":\"CNY\",\"type\":\"expense\",\"category\":\"x\",\"date\":\"2026-12-01\"}",
        };
        for (String body : bodies) {
            Reply reply = post("/transactions", user, body);
            assertEquals(201, reply.status(), reply.toString());
        }
    }

    @Test
    void csvExportRoundTripsEveryFieldOfTheStoredTransactions() {
        String user = newUser("export");
        String other = newUser("other");
        createAwkwardTransactions(user);
        TransactionsIT.create(other, "7.00", "expense", "not mine", "2026-01-01");

        String id = requestExport(user, "{\"from\":\"2025-01-01\",\"to\":\"2026-11-30\",\"format\":\"csv\",\"bom\":true}");
        JsonNode job = awaitFinished(user, id);
        assertEquals("succeeded", job.get("status").asText(), job.toString());
        assertEquals("export", job.get("kind").asText());
        byte[] file = download(job);

        assertEquals((byte) 0xEF, file[0]);
        assertEquals((byte) 0xBB, file[1]);
        assertEquals((byte) 0xBF, file[2]);
        List<List<String>> records = records(new String(file, StandardCharsets.UTF_8));
        assertEquals(TransactionCsv.HEADER, records.get(0));
        List<ExportRow> exported = records.subList(1, records.size()).stream().map(TransactionCsv::read).toList();
        List<ExportRow> stored = storedRows(user, "&from=2025-01-01&to=2026-11-30");
        assertEquals(5, stored.size());
        assertEquals(stored, exported);

        JsonNode progress = job.get("progress");
        assertEquals(100, progress.get("percent").asInt());
        assertEquals(5, progress.get("rows").asLong());
        assertEquals(file.length, progress.get("bytes").asLong());
        assertEquals(3, progress.get("monthsTotal").asInt());
        assertEquals(3, progress.get("monthsDone").asInt());
        assertNotNull(job.get("startedAt").textValue());
        assertNotNull(job.get("finishedAt").textValue());
        String url = job.get("download").get("url").asText();
        assertTrue(url.contains(JobFiles.userPrefix(JobKind.EXPORT, user) + id + ".csv?"), url);
        assertFalse(url.contains(user), "the object key does not carry the subject");
        Instant expires = Instant.parse(job.get("download").get("expiresAt").asText());
        assertTrue(expires.isAfter(Instant.now().plusSeconds(14 * 60)) && expires.isBefore(Instant.now().plusSeconds(16 * 60)));
    }

    @Test
    void formulaCellsAreNeutralisedInTheFileAndImportBackAsTheyWere() {
        String user = newUser("export-formula");
        String note = "=HYPERLINK(\"http://x\",\"y\")";
        String id = TransactionsIT.create(user, "12.00", "expense", "+cmd", "2026-03-03").get("id").asText();
        Reply changed = LocalApi.patch("/transactions/" + id, user,
                "{\"note\":\"=HYPERLINK(\\\"http://x\\\",\\\"y\\\")\",\"tags\":[\"@SUM(1)\",\"-2+3\"]}");
        assertEquals(200, changed.status(), changed.toString());
        JsonNode original = changed.json();

        JsonNode job = awaitFinished(user, requestExport(user, "{\"from\":\"2026-03-01\",\"to\":\"2026-03-31\"}"));
        String file = new String(download(job), StandardCharsets.UTF_8);
        List<String> cells = records(file).get(1);
        assertEquals(List.of("12.00", "'+cmd", "'" + note, "'@SUM(1);-2+3"), List.of(cells.get(3), cells.get(5),
                cells.get(6), cells.get(7)), file);

        assertEquals(204, LocalApi.delete("/transactions/" + id, user).status());
        JsonNode imported = ImportIT.awaitFinished(user, ImportIT.importBody(user, file, ""));
        assertEquals(1, imported.get("progress").get("imported").asLong(), imported.toString());
        JsonNode back = get("/transactions/" + id, user).json();
        for (String field : List.of("amount", "category", "note", "tags", "date", "type")) {
            assertEquals(original.get(field), back.get(field), field);
        }
    }

    @Test
    void jsonExportOfOneCategoryHasOneObjectPerLine() throws Exception {
        String user = newUser("export-json");
        createAwkwardTransactions(user);
        String id = requestExport(user,
                "{\"from\":\"2025-01-01\",\"to\":\"2026-11-30\",\"format\":\"json\",\"category\":\"餐饮, 外卖\"}");
        JsonNode job = awaitFinished(user, id);
        assertEquals("succeeded", job.get("status").asText(), job.toString());
        String[] lines = new String(download(job), StandardCharsets.UTF_8).split("\n");
        List<ExportRow> stored = storedRows(user, "&from=2025-01-01&to=2026-11-30&category="
                + URLEncoder.encode("餐饮, 外卖", StandardCharsets.UTF_8).replace("+", "%20"));
        assertEquals(2, stored.size());
        assertEquals(stored.size(), lines.length);
        for (int i = 0; i < lines.length; i++) {
            JsonNode row = LocalApi.JSON.readTree(lines[i]);
            assertEquals(stored.get(i).id(), row.get("id").asText());
            assertEquals(stored.get(i).amount().toDecimalString(), row.get("amount").textValue());
            assertEquals(stored.get(i).note(), row.get("note").asText());
            assertEquals(stored.get(i).tags().size(), row.get("tags").size());
        }
        assertEquals(List.of("id", "date", "type", "amount", "currency", "category", "note", "tags", "createdAt"),
                iterable(LocalApi.JSON.readTree(lines[0]).fieldNames()));
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    @Test
    void badExportRequestsAreRejectedAndWriteNothing() {
        String user = newUser("export-bad");
        var before = LocalApi.tableSnapshot();
        for (String body : List.of(
                "{\"to\":\"2026-11-30\"}",
                "{\"from\":\"2026-02-30\",\"to\":\"2026-11-30\"}",
                "{\"from\":\"2026-12-01\",\"to\":\"2026-11-30\"}",
                "{\"from\":\"2000-01-01\",\"to\":\"2026-11-30\"}",
                "{\"from\":\"2026-01-01\",\"to\":\"2026-11-30\",\"format\":\"xlsx\"}",
                "{\"from\":\"2026-01-01\",\"to\":\"2026-11-30\",\"format\":\"json\",\"bom\":true}",
                "{\"from\":\"2026-01-01\",\"to\":\"2026-11-30\",\"bom\":\"yes\"}",
                "{\"from\":\"2026-01-01\",\"to\":\"2026-11-30\",\"category\":\"  \"}",
                "{\"from\":\"2026-01-01\",\"to\":\"2026-11-30\",\"user\":\"someone-else\"}")) {
            assertProblem(422, post("/exports", user, body));
        }
        assertProblem(400, post("/exports", user, "{\"from\":"));
        assertProblem(415, post("/exports", user, "from=2026-01-01", "Content-Type", "text/plain"));
        assertEquals(before, LocalApi.tableSnapshot());
        assertEquals(0, get("/jobs", user).json().get("items").size());
    }

    @Test
    void anotherUsersJobIsAsUnknownAsAMissingOne() {
        String alice = newUser("alice");
        String bob = newUser("bob");
        String id = requestExport(alice, "{\"from\":\"2026-01-01\",\"to\":\"2026-01-31\"}");
        assertEquals("succeeded", awaitFinished(alice, id).get("status").asText());

        Reply foreign = get("/jobs/" + id, bob);
        Reply unknown = get("/jobs/01M8GA8C45FA7VNZS1R1N9GJX5", bob);
        assertProblem(404, foreign);
        assertEquals(unknown.json(), foreign.json());
        assertProblem(404, get("/jobs/not-a-job-id", bob));
        assertEquals(0, get("/jobs", bob).json().get("items").size());
    }

    @Test
    void jobsAreListedNewestFirstWithASignedCursor() {
        String user = newUser("jobs");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(requestExport(user, "{\"from\":\"2026-0" + (i + 1) + "-01\",\"to\":\"2026-0" + (i + 1) + "-28\"}"));
        }
        Reply first = get("/jobs?limit=2", user);
        assertEquals(200, first.status(), first.toString());
        assertEquals(List.of(ids.get(2), ids.get(1)), jobIds(first));
        String cursor = first.json().get("nextCursor").asText();
        Reply second = get("/jobs?limit=2&cursor=" + cursor, user);
        assertEquals(List.of(ids.get(0)), jobIds(second));
        assertTrue(second.json().get("nextCursor").isNull());

        assertProblem(400, get("/jobs?limit=2&cursor=" + cursor, newUser("thief")));
        assertProblem(400, get("/jobs?limit=0", user));
        assertProblem(400, get("/jobs?limit=101", user));
        TransactionsIT.create(user, "1.00", "expense", "x", "2026-05-01");
        TransactionsIT.create(user, "1.00", "expense", "x", "2026-05-02");
        String transactionsCursor = get("/transactions?limit=1", user).json().get("nextCursor").asText();
        assertProblem(400, get("/jobs?cursor=" + transactionsCursor, user));
        ids.forEach(id -> awaitFinished(user, id));
    }

    private static List<String> jobIds(Reply reply) {
        List<String> ids = new ArrayList<>();
        reply.json().get("items").forEach(job -> ids.add(job.get("jobId").asText()));
        return ids;
    }

    private static void armFault(String operation, String keyPrefix, int count) {
        Reply armed = LocalApi.send(HttpRequest.newBuilder(LocalApi.API.resolve("/_local/sdk-faults?service=S3&operation="
                + operation + "&keyPrefix=" + URLEncoder.encode(keyPrefix, StandardCharsets.UTF_8) + "&count=" + count))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, armed.status(), armed.toString());
    }

    private static List<S3Object> objectsUnder(String prefix) {
        return AWS.s3().listObjectsV2(r -> r.bucket(LocalApi.BUCKET).prefix(prefix)).join().contents();
    }

    @Test
    void workerThatFailsTwiceStillWritesOneCompleteFile() {
        String user = newUser("flaky");
        createAwkwardTransactions(user);
        String prefix = JobFiles.userPrefix(JobKind.EXPORT, user);
        // The first two runs die after their upload started: the third (the last allowed receive) must succeed.
        armFault("UploadPart", prefix, 2);

        String id = requestExport(user, "{\"from\":\"2025-01-01\",\"to\":\"2026-11-30\"}");
        JsonNode job = awaitFinished(user, id);
        assertEquals("succeeded", job.get("status").asText(), job.toString());
        String faults = LocalApi.send(HttpRequest.newBuilder(LocalApi.API.resolve("/_local/sdk-faults")).GET().build()).body();
        assertEquals("{}", faults, "both injected failures were used");

        List<List<String>> records = records(new String(download(job), StandardCharsets.UTF_8));
        assertEquals(storedRows(user, "&from=2025-01-01&to=2026-11-30"),
                records.subList(1, records.size()).stream().map(TransactionCsv::read).toList());
        List<S3Object> objects = objectsUnder(prefix);
        assertEquals(List.of(prefix + id + ".csv"), objects.stream().map(S3Object::key).toList());
        assertEquals(job.get("progress").get("bytes").asLong(), objects.get(0).size());
        assertEquals(0, AWS.s3().listMultipartUploads(r -> r.bucket(LocalApi.BUCKET).prefix(prefix)).join().uploads().size(),
                "the failed runs' uploads were aborted");
    }

    @Test
    void exportWhoseCompletionAnswerIsLostFindsItsFileAndSucceeds() {
        // The upload completes, but the worker meets NoSuchUpload as the SDK's retry of a lost answer does on S3: it
        // recognises its own object by HeadObject (s3:GetObject, which its role must grant) and succeeds.
        String user = newUser("lost-completion");
        TransactionsIT.create(user, "4.00", "expense", "x", "2026-04-04");
        String prefix = JobFiles.userPrefix(JobKind.EXPORT, user);
        Reply armed = LocalApi.send(HttpRequest.newBuilder(LocalApi.API.resolve("/_local/sdk-faults?service=S3"
                        + "&operation=CompleteMultipartUpload&answerLost=true&count=1&keyPrefix="
                        + URLEncoder.encode(prefix, StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, armed.status(), armed.toString());

        String id = requestExport(user, "{\"from\":\"2026-01-01\",\"to\":\"2026-11-30\"}");
        JsonNode job = awaitFinished(user, id);

        assertEquals("succeeded", job.get("status").asText(), job.toString());
        assertEquals("{}", LocalApi.send(HttpRequest.newBuilder(LocalApi.API.resolve("/_local/sdk-faults")).GET()
                .build()).body(), "the lost answer was injected");
        assertEquals(List.of(prefix + id + ".csv"), objectsUnder(prefix).stream().map(S3Object::key).toList());
        assertTrue(new String(download(job), StandardCharsets.UTF_8).contains("4.00"));
    }

    @Test
    void workerThatFailsOnEveryReceiveMarksTheJobFailedAndLeavesTheMessageInTheDeadLetterQueue() {
        String user = newUser("doomed");
        TransactionsIT.create(user, "3.00", "expense", "x", "2026-03-03");
        String prefix = JobFiles.userPrefix(JobKind.EXPORT, user);
        armFault("CompleteMultipartUpload", prefix, 3);

        String id = requestExport(user, "{\"from\":\"2026-01-01\",\"to\":\"2026-11-30\"}");
        JsonNode job = awaitFinished(user, id);
        assertEquals("failed", job.get("status").asText(), job.toString());
        assertTrue(job.get("error").asText().contains("failed 3 times"), job.toString());
        assertTrue(job.get("download") == null || job.get("download").isNull());
        assertTrue(objectsUnder(prefix).isEmpty(), "no file for a failed job");

        String deadLetters = queueUrl(DEAD_LETTERS);
        Message dead = findMessage(deadLetters, id);
        assertNotNull(dead, "the message ended in the dead-letter queue");
        AWS.sqs().deleteMessage(r -> r.queueUrl(deadLetters).receiptHandle(dead.receiptHandle())).join();
    }

    @Test
    void messageNamingAMissingOrForeignJobIsDroppedAndChangesNothing() {
        String alice = newUser("alice");
        String mallory = newUser("mallory");
        String id = requestExport(alice, "{\"from\":\"2026-01-01\",\"to\":\"2026-01-31\"}");
        JsonNode finished = awaitFinished(alice, id);
        var before = LocalApi.tableSnapshot();
        int objects = objectsUnder("exports/").size();

        String queue = queueUrl(QUEUE);
        for (String body : List.of(new JobMessage(mallory, id, JobKind.EXPORT).toJson(),
                new JobMessage(alice, "01M8GA8C45FA7VNZS1R1N9GJX5", JobKind.EXPORT).toJson(), "not json")) {
            AWS.sqs().sendMessage(r -> r.queueUrl(queue).messageBody(body)).join();
        }
        long deadline = System.currentTimeMillis() + 20_000;
        while (messagesIn(queue) > 0 && System.currentTimeMillis() < deadline) {
            LocalApi.sleep(200);
        }
        assertEquals(0, messagesIn(queue), "every message was consumed, none retried");
        assertEquals(before, LocalApi.tableSnapshot());
        assertEquals(objects, objectsUnder("exports/").size());
        JsonNode after = awaitFinished(alice, id);
        ((ObjectNode) after).remove("download");
        ((ObjectNode) finished).remove("download");
        assertEquals(finished, after, "the job is as it was (its fresh download link aside)");
        assertEquals(null, findMessage(queueUrl(DEAD_LETTERS), id));
    }

    private static String queueUrl(String name) {
        return AWS.sqs().getQueueUrl(r -> r.queueName(name)).join().queueUrl();
    }

    private static int messagesIn(String queueUrl) {
        Map<QueueAttributeName, String> attributes = AWS.sqs().getQueueAttributes(r -> r.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).join().attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /** The message naming the job, received (and hidden for a while) from the queue, or null. */
    private static Message findMessage(String queueUrl, String jobId) {
        for (int i = 0; i < 5; i++) {
            for (Message message : AWS.sqs().receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .visibilityTimeout(30).waitTimeSeconds(1)).join().messages()) {
                if (message.body().contains(jobId)) {
                    return message;
                }
            }
        }
        return null;
    }
}
