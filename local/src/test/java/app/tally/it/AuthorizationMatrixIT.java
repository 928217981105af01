package app.tally.it;

import static app.tally.it.TransactionsIT.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.it.LocalApi.Reply;
import app.tally.local.LocalStack;
import app.tally.local.template.SamTemplate;
import app.tally.model.Ids;
import app.tally.model.JobKind;
import app.tally.services.exports.TransactionCsv;
import app.tally.services.jobs.JobFiles;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * User B against everything user A has, route by route of template.yaml: A's transaction ids, job ids, list cursors,
 * export file and link, import upload and row errors. Every attempt on a resource of A's must look exactly like one on
 * an id that does not exist (same status, same body), no answer to B may carry anything of A's, and A's items and files
 * must be byte for byte as they were. A route added to the template without a case here fails the test.
 */
class AuthorizationMatrixIT {
    private static final String GARBAGE_CURSOR = "eyJrIjoiSiMwMSJ9.AAAAAAAAAAAAAAAAAAAAAA";

    /** Everything of A's that the test knows, and the strings that must never reach B. */
    private record Alice(String user, List<String> transactions, String idempotencyKey, String exportJob, String importJob, String uploadJob, String transactionsCursor,
                         String jobsCursor, String errorsCursor, Set<String> secrets) {
    }

    private static Alice alice;
    private static String bob;
    private static final List<String> attempts = new ArrayList<>();
    private static int sameAsUnknown;

    @BeforeAll
    static void aliceHasOneOfEverything() throws Exception {
        String user = LocalApi.newUser("alice");
        String marker = UUID.randomUUID().toString().substring(0, 8);
        Set<String> secrets = new LinkedHashSet<>(List.of(user, JobFiles.userPrefix(JobKind.EXPORT, user),
                JobFiles.userPrefix(JobKind.IMPORT, user), "alice-name-" + marker));
        assertEquals(200, LocalApi.patch("/me", user, "{\"name\":\"alice-name-" + marker + "\"}").status());

        String[][] rows = {{"7777.31", "2026-01-11"}, {"6666.42", "2026-01-12"}, {"5555.53", "2026-02-13"}};
        List<String> transactions = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            String category = "alice-cat-" + i + "-" + marker;
            String note = "alice-note-" + i + "-" + marker;
            String body = "{\"amount\":\"" + rows[i][0] + "\",\"currency\":\"CNY\",\"type\":\"expense\",\"category\":\""
                    + category + "\",\"date\":\"" + rows[i][1] + "\",\"note\":\"" + note + "\"}";
            Reply created = i == 0 ? LocalApi.post("/transactions", user, body, "Idempotency-Key", "shared-" + marker)
                    : LocalApi.post("/transactions", user, body);
            assertEquals(201, created.status(), created.toString());
            transactions.add(created.json().get("id").asText());
            secrets.addAll(List.of(created.json().get("id").asText(), rows[i][0], category, note));
        }

        Reply export = LocalApi.post("/exports", user, "{\"from\":\"2026-01-01\",\"to\":\"2026-02-28\"}");
        assertEquals(202, export.status(), export.toString());
        String exportJob = export.json().get("jobId").asText();
        JsonNode exported = ExportIT.awaitFinished(user, exportJob);
        assertEquals("succeeded", exported.get("status").asText(), exported.toString());
        String link = exported.get("download").get("url").asText();
        secrets.addAll(List.of(exportJob, link, JobFiles.key(JobKind.EXPORT, user, exportJob, "csv")));

        StringBuilder csv = new StringBuilder();
        TransactionCsv.appendHeader(csv);
        csv.append(",2026-01-20,expense,4444.64,CNY,alice-import-").append(marker).append(",,,\r\n")
                .append(",2026-02-30,expense,1.00,CNY,alice-bad-row-").append(marker).append(",,,\r\n")
                .append(",2026-01-21,expense,0.001,CNY,alice-bad-row-").append(marker).append(",,,\r\n");
        String importJob = ImportIT.importBody(user, csv.toString(), "");
        JsonNode imported = ImportIT.awaitFinished(user, importJob);
        assertEquals(1, imported.get("progress").get("imported").asLong(), imported.toString());
        secrets.addAll(List.of(importJob, "4444.64", "alice-import-" + marker, "alice-bad-row-" + marker,
                JobFiles.key(JobKind.IMPORT, user, importJob, "csv")));
        LocalApi.itemsWithPrefix("U#" + user + "#M#").forEach(item -> secrets.add(item.get("SK").s().substring(13)));

        // An upload form signed and used, the import not started: a start by anyone else must leave it waiting.
        Reply upload = LocalApi.post("/imports", user, "{\"filename\":\"alice-" + marker + ".csv\"}");
        assertEquals(202, upload.status(), upload.toString());
        String uploadJob = upload.json().get("jobId").asText();
        HttpResponse<String> sent = ImportIT.upload(upload.json().get("upload"),
                csv.toString().getBytes(StandardCharsets.UTF_8));
        assertEquals(204, sent.statusCode(), sent.body());
        secrets.addAll(List.of(uploadJob, upload.json().at("/upload/fields/policy").asText(),
                upload.json().at("/upload/fields/x-amz-signature").asText(), "alice-" + marker + ".csv",
                JobFiles.key(JobKind.IMPORT, user, uploadJob, "csv")));

        String transactionsCursor = cursor(LocalApi.get("/transactions?limit=1", user));
        String jobsCursor = cursor(LocalApi.get("/jobs?limit=1", user));
        String errorsCursor = cursor(LocalApi.get("/jobs/" + importJob + "/errors?limit=1", user));
        secrets.addAll(List.of(transactionsCursor, jobsCursor, errorsCursor));
        alice = new Alice(user, transactions, "shared-" + marker, exportJob, importJob, uploadJob,
                transactionsCursor, jobsCursor, errorsCursor, Set.copyOf(secrets));
        bob = LocalApi.newUser("bob");
    }

    private static String cursor(Reply page) {
        assertEquals(200, page.status(), page.toString());
        String cursor = page.json().get("nextCursor").asText();
        assertFalse(cursor.isEmpty() || cursor.equals("null"), page.toString());
        return cursor;
    }

    /** What B tries against A on each route, by route key; every route of the template must be here. */
    private static Map<String, Runnable> cases() {
        Map<String, Runnable> cases = new LinkedHashMap<>();
        cases.put("GET /me", () -> {
            Reply me = asBob("GET", "/me", null);
            assertEquals(200, me.status(), me.toString());
            assertEquals(bob, me.json().get("id").asText());
        });
        cases.put("PATCH /me", () -> {
            assertEquals(200, asBob("PATCH", "/me", "{\"name\":\"bob\"}").status());
            assertProblem(422, asBob("PATCH", "/me", "{\"id\":\"" + alice.user() + "\",\"name\":\"bob\"}"));
        });
        cases.put("POST /transactions", () -> {
            // A's idempotency key: B's own new transaction, neither A's replayed answer nor a hint that A used it.
            Reply created = asBob("POST", "/transactions", TransactionsIT.body("2.00", "CNY", "expense", "bob",
                    "2026-01-11"), "Idempotency-Key", alice.idempotencyKey());
            assertEquals(201, created.status(), created.toString());
            assertEquals(null, created.header("Idempotent-Replayed"));
            assertFalse(alice.transactions().contains(created.json().get("id").asText()));
            assertProblem(422, asBob("POST", "/transactions", "{\"user\":\"" + alice.user() + "\",\"amount\":\"1.00\","
                    + "\"type\":\"expense\",\"category\":\"x\",\"date\":\"2026-01-01\"}"));
        });
        cases.put("GET /transactions", () -> {
            assertEquals(200, asBob("GET", "/transactions?limit=200&from=2026-01-01&to=2026-02-28", null).status());
            assertSameAsGarbageCursor("/transactions?limit=1&cursor=", alice.transactionsCursor());
        });
        cases.put("GET /transactions/{id}", () -> alice.transactions().forEach(id ->
                assertSameAsUnknown("GET", "/transactions/", id, "", null)));
        cases.put("PATCH /transactions/{id}", () -> alice.transactions().forEach(id ->
                assertSameAsUnknown("PATCH", "/transactions/", id, "", "{\"amount\":\"1.00\",\"note\":\"bob was here\"}")));
        cases.put("DELETE /transactions/{id}", () -> alice.transactions().forEach(id ->
                assertSameAsUnknown("DELETE", "/transactions/", id, "", null)));
        cases.put("GET /dashboard", () -> {
            for (String month : List.of("2026-01", "2026-02")) {
                assertEquals(200, asBob("GET", "/dashboard?month=" + month, null).status());
            }
        });
        cases.put("GET /rates", () -> {
            // Exchange rates are reference data, the same for every user: B's answer holds nothing of A's.
            Reply rates = asBob("GET", "/rates?base=CNY&symbols=USD,EUR", null);
            assertEquals(200, rates.status(), rates.toString());
            assertNoLeak("B's rates", rates.body());
        });
        cases.put("POST /push-tickets", () -> {
            // A ticket is always the caller's own: naming A in a body changes nothing (the socket is B's; PushIT).
            Reply ticket = asBob("POST", "/push-tickets", "{\"user\":\"" + alice.user() + "\"}");
            assertEquals(201, ticket.status(), ticket.toString());
        });
        cases.put("POST /exports", () -> {
            Reply export = asBob("POST", "/exports", "{\"from\":\"2026-01-01\",\"to\":\"2026-02-28\"}");
            assertEquals(202, export.status(), export.toString());
            String job = export.json().get("jobId").asText();
            JsonNode done = ExportIT.awaitFinished(bob, job);
            String url = done.get("download").get("url").asText();
            assertTrue(url.contains(JobFiles.key(JobKind.EXPORT, bob, job, "csv")), url);
            assertNoLeak("B's download link", url);
            assertNoLeak("B's export file", new String(ExportIT.download(done), StandardCharsets.UTF_8));
            recordAttempt("GET " + url, 200);
        });
        cases.put("GET /jobs", () -> {
            assertEquals(200, asBob("GET", "/jobs?limit=100", null).status());
            assertSameAsGarbageCursor("/jobs?limit=1&cursor=", alice.jobsCursor());
        });
        cases.put("GET /jobs/{id}", () -> List.of(alice.exportJob(), alice.importJob(), alice.uploadJob()).forEach(id ->
                assertSameAsUnknown("GET", "/jobs/", id, "", null)));
        cases.put("GET /jobs/{id}/errors", () -> {
            assertSameAsUnknown("GET", "/jobs/", alice.importJob(), "/errors", null);
            assertSameAsUnknown("GET", "/jobs/", alice.importJob(), "/errors?limit=1", null);
            // A's cursor, on A's job and on one of B's own: refused like a cursor nobody signed.
            assertSameAsGarbageCursor("/jobs/" + alice.importJob() + "/errors?limit=1&cursor=", alice.errorsCursor());
            String own = ImportIT.importBody(bob, "date,type,amount,currency,category\r\n2026-02-30,expense,1,CNY,x\r\n"
                    + "2026-02-31,expense,1,CNY,x\r\n", "");
            ImportIT.awaitFinished(bob, own);
            assertSameAsGarbageCursor("/jobs/" + own + "/errors?limit=1&cursor=", alice.errorsCursor());
        });
        cases.put("POST /imports", () -> {
            Reply upload = asBob("POST", "/imports", "{\"filename\":\"bob.csv\"}");
            assertEquals(202, upload.status(), upload.toString());
            assertEquals(JobFiles.key(JobKind.IMPORT, bob, upload.json().get("jobId").asText(), "csv"),
                    upload.json().at("/upload/fields/key").asText(), upload.toString());
        });
        cases.put("POST /imports/{id}/start", () -> List.of(alice.uploadJob(), alice.importJob(), alice.exportJob())
                .forEach(id -> assertSameAsUnknown("POST", "/imports/", id, "/start", null)));
        return cases;
    }

    @Test
    void everyRouteOfTheTemplateHasACase() {
        Set<String> routes = new TreeSet<>();
        LocalStack.template().httpRoutes().forEach(route -> routes.add(route.method() + " " + route.path()));
        assertEquals(routes, new TreeSet<>(cases().keySet()), "a route without an authorization case");
    }

    @Test
    void userBCanNeitherSeeNorChangeAnythingOfUserA() {
        Map<String, ?> items = aliceItems();
        Map<String, String> files = LocalApi.objects(JobFiles.userPrefix(JobKind.EXPORT, alice.user()));
        files.putAll(LocalApi.objects(JobFiles.userPrefix(JobKind.IMPORT, alice.user())));
        assertEquals(3, files.size(), "A's export, import and upload files");

        Map<String, Runnable> cases = cases();
        for (SamTemplate.HttpRoute route : LocalStack.template().httpRoutes()) {
            cases.get(route.method() + " " + route.path()).run();
        }

        assertEquals(items, aliceItems(), "A's items are as they were");
        Map<String, String> filesAfter = LocalApi.objects(JobFiles.userPrefix(JobKind.EXPORT, alice.user()));
        filesAfter.putAll(LocalApi.objects(JobFiles.userPrefix(JobKind.IMPORT, alice.user())));
        assertEquals(files, filesAfter, "A's files are as they were");
        assertEquals("awaiting_upload", LocalApi.get("/jobs/" + alice.uploadJob(), alice.user()).json()
                .get("status").asText());
        System.out.printf("authorization matrix: %d routes, %d requests by B, %d answered exactly as for an unknown id "
                        + "or an unsigned cursor, 0 leaks of %d secrets, 0 writes to A's %d items and %d files%n",
                cases.size(), attempts.size(), sameAsUnknown, alice.secrets().size(), items.size(), files.size());
    }

    @Test
    void importingRowsThatCarryAsTransactionIdsWritesOnlyTheImportersOwnRows() {
        Map<String, ?> items = aliceItems();
        String carol = LocalApi.newUser("carol");
        StringBuilder csv = new StringBuilder();
        TransactionCsv.appendHeader(csv);
        for (String id : alice.transactions()) {
            csv.append(id).append(",2026-01-11,income,1.00,CNY,carol,carol's own row,,2026-01-01T00:00:00Z\r\n");
        }
        JsonNode job = ImportIT.awaitFinished(carol, ImportIT.importBody(carol, csv.toString(), ""));
        assertEquals(alice.transactions().size(), job.get("progress").get("imported").asLong(), job.toString());
        assertEquals(items, aliceItems(), "A's items are as they were");
        for (String id : alice.transactions()) {
            assertEquals("carol's own row", LocalApi.get("/transactions/" + id, carol).json().get("note").asText());
            assertEquals(200, LocalApi.get("/transactions/" + id, alice.user()).status());
            assertNotEquals("carol's own row", LocalApi.get("/transactions/" + id, alice.user()).json().get("note")
                    .asText());
        }
    }

    private static Map<String, ?> aliceItems() {
        Map<String, Object> items = new java.util.HashMap<>();
        LocalApi.itemsWithPrefix("U#" + alice.user()).forEach(item ->
                items.put(item.get("PK").s() + "|" + item.get("SK").s(), item));
        return items;
    }

    /** B's request; its answer must carry nothing of A's and never be a 5xx. */
    private static Reply asBob(String method, String path, String body, String... headers) {
        Reply reply = LocalApi.call(method, path, bob, body, headers);
        recordAttempt(method + " " + path, reply.status());
        assertTrue(reply.status() < 500, method + " " + path + ": " + reply);
        assertNoLeak(method + " " + path, reply.body());
        reply.headers().forEach((name, values) -> values.forEach(value -> assertNoLeak(name + " header", value)));
        return reply;
    }

    private static void recordAttempt(String request, int status) {
        attempts.add(request + " → " + status);
    }

    private static void assertNoLeak(String where, String text) {
        for (String secret : alice.secrets()) {
            assertFalse(text != null && text.contains(secret), where + " shows A's " + secret + ": " + text);
        }
    }

    /** A's id and a well-formed id nobody has get the very same answer: a 404 problem. */
    private static void assertSameAsUnknown(String method, String prefix, String id, String suffix, String body) {
        Reply foreign = asBob(method, prefix + id + suffix, body);
        Reply unknown = asBob(method, prefix + Ids.newId(Instant.now()) + suffix, body);
        assertProblem(404, foreign);
        assertEquals(unknown.status(), foreign.status(), method + " " + prefix + id + suffix);
        assertEquals(unknown.json(), foreign.json(), method + " " + prefix + id + suffix);
        assertEquals(unknown.header("Content-Type"), foreign.header("Content-Type"));
        sameAsUnknown++;
    }

    /** A's cursor gets the very same answer as a cursor nobody signed: a 400 problem. */
    private static void assertSameAsGarbageCursor(String pathBeforeCursor, String cursor) {
        Reply foreign = asBob("GET", pathBeforeCursor + cursor, null);
        Reply garbage = asBob("GET", pathBeforeCursor + GARBAGE_CURSOR, null);
        assertProblem(400, foreign);
        assertEquals(garbage.json(), foreign.json(), pathBeforeCursor);
        sameAsUnknown++;
    }
}
