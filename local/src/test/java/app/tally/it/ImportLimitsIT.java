package app.tally.it;

import static app.tally.it.LocalApi.get;
import static app.tally.it.LocalApi.newUser;
import static app.tally.it.LocalApi.post;
import static app.tally.it.TransactionsIT.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.aws.PresignedPost;
import app.tally.it.LocalApi.Reply;
import app.tally.local.LocalClients;
import app.tally.model.JobKind;
import app.tally.services.exports.TransactionCsv;
import app.tally.services.imports.ImportRequests;
import app.tally.services.jobs.JobFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * The limits AWS enforces on an import's file, as the local stack reproduces them: Lambda's 6 MB event behind the
 * gateway, the API's own smaller body limit, and the upload form's policy that S3 checks.
 */
class ImportLimitsIT {
    private static final String GATEWAY_TOO_LARGE = "{\"message\":\"Request Entity Too Large\"}";

    /** Tally CSV rows as full of quotes and line breaks as a valid file gets, up to {@code maxBytes} of UTF-8. */
    private static String quotedCsv(int maxBytes) {
        StringBuilder csv = new StringBuilder();
        TransactionCsv.appendHeader(csv);
        int bytes = csv.length();
        // Each quote of the note is two in the CSV and four in the event's JSON; rows spread over 24 months.
        String note = "\"" + "\"\"".repeat(240) + "\"";
        for (int i = 0; ; i++) {
            String row = ",\"" + YearMonth.of(2025, 1).plusMonths(i % 24).atDay(1 + i / 24 % 28) + "\",\"expense\",\""
                    + (i + 1) + ".50\",\"CNY\",\"餐饮\"," + note + ",\"\",\"\"\r\n";
            int rowBytes = row.getBytes(StandardCharsets.UTF_8).length;
            if (bytes + rowBytes > maxBytes) {
                return csv.toString();
            }
            csv.append(row);
            bytes += rowBytes;
        }
    }

    @Test
    void aFiveMegabyteQuotedCrlfBodyGetsApiGatewaysAnswerAndCreatesNoJob() {
        String user = newUser("limit-event");
        String csv = quotedCsv(5 * 1024 * 1024);
        assertTrue(csv.getBytes(StandardCharsets.UTF_8).length > 5 * 1024 * 1024 - 1_000, "about 5 MB");

        // Under HTTP API's 10 MB, but escaped into the event's JSON it passes Lambda's 6 MB: the function never runs.
        Reply reply = post("/imports", user, csv, "Content-Type", "text/csv");
        assertEquals(413, reply.status(), reply.toString());
        assertEquals(GATEWAY_TOO_LARGE, reply.body());
        assertEquals(0, get("/jobs", user).json().get("items").size());
    }

    @Test
    void aBodyOverTheImportLimitIsToldToUseTheUploadFormAndOneJustUnderItImports() {
        String user = newUser("limit-body");
        Reply over = post("/imports", user, "x".repeat(ImportRequests.MAX_BODY_BYTES + 1), "Content-Type", "text/csv");
        assertProblem(413, over);
        assertTrue(over.json().get("detail").asText().contains("upload form"), over.toString());

        String csv = quotedCsv(ImportRequests.MAX_BODY_BYTES);
        assertTrue(csv.getBytes(StandardCharsets.UTF_8).length > ImportRequests.MAX_BODY_BYTES - 1_000, "just under the limit");
        long rows = csv.lines().count() - 1;
        JsonNode job = ImportIT.awaitFinished(user, ImportIT.importBody(user, csv, ""));
        assertEquals("succeeded", job.get("status").asText(), job.toString());
        assertEquals(rows, job.get("progress").get("imported").asLong());
    }

    @Test
    void aBodyAtTheLimitInTheCostliestBytesToEscapeStillReachesTheFunction() {
        String user = newUser("limit-worst");
        // Six bytes each in the event's JSON: 6,000,000 of Lambda's 6,291,456. The worker then refuses the file.
        JsonNode job = ImportIT.awaitFinished(user, ImportIT.importBody(user, "\u0001".repeat(ImportRequests.MAX_BODY_BYTES),
                ""));
        assertEquals("failed", job.get("status").asText(), job.toString());
    }

    @Test
    void theFormBindsTheKeyAndSizeAndS3RefusesAFileOverItsRange() throws Exception {
        String user = newUser("limit-upload");
        Reply created = post("/imports", user, "{\"filename\":\"big.csv\"}");
        assertEquals(202, created.status(), created.toString());
        String id = created.json().get("jobId").asText();
        JsonNode form = created.json().get("upload");
        String key = form.at("/fields/key").asText();
        assertEquals(JobFiles.key(JobKind.IMPORT, user, id, "csv"), key);
        JsonNode policy = LocalApi.JSON.readTree(Base64.getDecoder().decode(form.at("/fields/policy").asText()));
        assertTrue(policy.get("conditions").toString().contains("[\"content-length-range\",0,"
                + ImportRequests.MAX_UPLOAD_BYTES + "]"), policy.toString());
        assertTrue(policy.get("conditions").toString().contains("{\"key\":\"" + key + "\"}"), policy.toString());
        assertEquals(ImportRequests.MAX_UPLOAD_BYTES, form.get("maxBytes").asLong());

        // S3 refuses a file over a form's range. Shown with a form signed the same way for 1,000 bytes: the local S3
        // holds a POST upload in memory, so 200 MB would only measure the emulator.
        PresignedPost small = PresignedPost.sign(form.get("url").asText(), LocalApi.BUCKET, key, 0, 1_000,
                new PresignedPost.Credentials(LocalClients.ACCESS_KEY_ID, LocalClients.SECRET_ACCESS_KEY, null),
                "us-east-1", Instant.now(), Duration.ofMinutes(5));
        ObjectNode smallForm = LocalApi.JSON.createObjectNode().put("url", small.url());
        small.fields().forEach(smallForm.putObject("fields")::put);
        HttpResponse<String> refused = ImportIT.upload(smallForm, new byte[1_001]);
        assertEquals(400, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("<Code>EntityTooLarge</Code>"), refused.body());
        assertProblem(409, post("/imports/" + id + "/start", user, null));
        assertEquals(204, ImportIT.upload(smallForm, new byte[1_000]).statusCode(), "the range includes its maximum");

        // The API's own form, within its range: stored (replacing the test's), started, imported.
        String csv = quotedCsv(20_000);
        assertEquals(204, ImportIT.upload(form, csv.getBytes(StandardCharsets.UTF_8)).statusCode());
        assertEquals(202, post("/imports/" + id + "/start", user, null).status());
        JsonNode job = ImportIT.awaitFinished(user, id);
        assertEquals("succeeded", job.get("status").asText(), job.toString());
        assertEquals(csv.lines().count() - 1, job.get("progress").get("imported").asLong());
    }

    @Test
    void s3RefusesAFormWhosePolicyOrKeyWasChanged() throws Exception {
        String user = newUser("limit-tamper");
        Reply created = post("/imports", user, "{\"filename\":\"statement.csv\"}");
        String id = created.json().get("jobId").asText();
        ObjectNode form = (ObjectNode) created.json().get("upload");
        byte[] csv = quotedCsv(2_000).getBytes(StandardCharsets.UTF_8);

        // A policy that would allow 5 GB, sent with the signature of the one the API signed.
        ObjectNode policy = (ObjectNode) LocalApi.JSON.readTree(Base64.getDecoder().decode(
                form.at("/fields/policy").asText()));
        for (JsonNode condition : policy.get("conditions")) {
            if (condition.isArray() && condition.get(0).asText().equals("content-length-range")) {
                ((ArrayNode) condition).set(2, 5L * 1024 * 1024 * 1024);
            }
        }
        ObjectNode widened = form.deepCopy();
        ((ObjectNode) widened.get("fields")).put("policy", Base64.getEncoder().encodeToString(
                LocalApi.JSON.writeValueAsBytes(policy)));
        HttpResponse<String> tampered = ImportIT.upload(widened, csv);
        assertEquals(403, tampered.statusCode(), tampered.body());

        // The signed form, for a key it was not signed for (another job's file).
        ObjectNode elsewhere = form.deepCopy();
        String otherId = id.substring(0, 25) + (id.endsWith("0") ? "1" : "0");
        ((ObjectNode) elsewhere.get("fields")).put("key", form.at("/fields/key").asText().replace(id, otherId));
        HttpResponse<String> moved = ImportIT.upload(elsewhere, csv);
        assertEquals(403, moved.statusCode(), moved.body());

        assertProblem(409, post("/imports/" + id + "/start", user, null));
    }
}
