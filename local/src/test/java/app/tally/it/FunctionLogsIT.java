package app.tally.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.tally.telemetry.UserRef;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * What the functions write to their logs while serving real requests with a real token: one structured line per request
 * and per message, EMF metric records, and never the token, a request body, a presigned URL or the raw subject.
 * Reads the local stack's output, which {@code ./tally test} names in TALLY_STACK_LOG (skipped where it is not set,
 * as in the LocalStack run).
 */
class FunctionLogsIT {
    private static final String NOTE = "log-marker-" + System.nanoTime();

    private static LocalApi.Reply send(String method, String path, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(LocalApi.API.resolve(path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return LocalApi.send(request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
    }

    private static List<JsonNode> jsonLines(Path log) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.startsWith("{")) {
                lines.add(LocalApi.JSON.readTree(line));
            }
        }
        return lines;
    }

    /** Waits until the stack has logged a line the predicate accepts (workers log after the job's last write). */
    private static List<JsonNode> awaitLine(Path log, Predicate<JsonNode> wanted) throws IOException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            List<JsonNode> lines = jsonLines(log);
            if (lines.stream().anyMatch(wanted) || System.currentTimeMillis() > deadline) {
                return lines;
            }
            LocalApi.sleep(200);
        }
    }

    @Test
    void requestsAndJobsAreLoggedAsStructuredLinesWithoutSecrets() throws Exception {
        String setting = LocalApi.setting("TALLY_STACK_LOG");
        assumeTrue(setting != null, "TALLY_STACK_LOG names the local stack's output (set by ./tally test)");
        Path log = Path.of(setting);
        String user = LocalApi.newUser("logs");
        String token = LocalApi.token(user);

        LocalApi.Reply created = send("POST", "/transactions", token, "{\"amount\":\"12.34\",\"currency\":\"CNY\","
                + "\"type\":\"expense\",\"category\":\"餐饮\",\"date\":\"2026-11-24\",\"note\":\"" + NOTE + "\"}");
        assertEquals(201, created.status(), created.toString());
        LocalApi.Reply upload = send("POST", "/imports", token, "{\"filename\":\"" + NOTE + ".csv\"}");
        assertEquals(202, upload.status(), upload.toString());
        String uploadPolicy = upload.json().at("/upload/fields/policy").asText();
        String uploadSignature = upload.json().at("/upload/fields/x-amz-signature").asText();
        LocalApi.Reply export = send("POST", "/exports", token, "{\"from\":\"2026-01-01\",\"to\":\"2026-12-31\"}");
        assertEquals(202, export.status(), export.toString());
        String exportId = export.json().get("jobId").asText();
        JsonNode job = LocalApi.awaitFinishedJob(user, exportId, 60_000);
        assertEquals("succeeded", job.get("status").asText(), job.toString());
        String downloadUrl = send("GET", "/jobs/" + exportId, token, null).json().at("/download/url").asText();
        assertTrue(uploadSignature.length() == 64 && downloadUrl.contains("X-Amz-Signature="));

        String ref = UserRef.of(user);
        List<JsonNode> lines = awaitLine(log, line -> exportId.equals(line.path("job").asText())
                && "done".equals(line.path("outcome").asText()));

        String text = Files.readString(log, StandardCharsets.UTF_8);
        for (String secret : List.of(token, token.split("\\.")[1], token.split("\\.")[2], NOTE, user,
                uploadPolicy, uploadSignature,
                downloadUrl, downloadUrl.substring(downloadUrl.indexOf("X-Amz-Signature=")))) {
            assertFalse(text.contains(secret), "the stack's log contains " + secret);
        }

        JsonNode create = lines.stream().filter(l -> "request".equals(l.path("event").asText())
                && "POST /transactions".equals(l.path("route").asText()) && ref.equals(l.path("user").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no log line for POST /transactions"));
        assertEquals(201, create.get("status").asInt());
        assertEquals("CreateTransactionFunction", create.get("function").asText());
        assertTrue(create.get("latencyMs").isIntegralNumber() && !create.get("requestId").asText().isEmpty());

        JsonNode worked = lines.stream().filter(l -> "message".equals(l.path("event").asText())
                && exportId.equals(l.path("job").asText())).findFirst().orElseThrow();
        assertEquals("export", worked.get("queue").asText());
        assertEquals(ref, worked.get("user").asText());
        assertFalse(worked.get("function").asText().isEmpty());

        assertTrue(lines.stream().anyMatch(l -> l.has("_aws") && l.path("TransactionsCreated").asLong() >= 1
                && "api".equals(l.path("Source").asText())), "a TransactionsCreated metric");
        assertTrue(lines.stream().anyMatch(l -> l.has("_aws") && exportId.equals(l.path("job").asText())
                && "export".equals(l.path("Kind").asText()) && l.path("JobDuration").asLong() >= 0),
                "a JobDuration metric for the export");
    }
}
