package app.tally.it;

import static app.tally.it.LocalApi.get;
import static app.tally.it.LocalApi.newUser;
import static app.tally.it.LocalApi.post;
import static app.tally.it.TransactionsIT.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.it.LocalApi.Reply;
import app.tally.local.LocalStack;
import app.tally.services.imports.ImportRequests;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The broken-CSV corpus ({@code corpus/imports/manifest.json}): every file, uploaded with the presigned form and sent
 * as the request body (within the body limit), ends in exactly the row errors or the job failure the manifest names: never a 5xx, never a
 * job that does not finish, and the valid rows of a file are imported exactly.
 */
class ImportCorpusIT {
    private static final Path CORPUS = LocalStack.root().resolve("local/src/test/resources/corpus/imports");
    private static final long FINISH_MILLIS = 120_000;

    /** One corpus file and what importing it must give. */
    record Case(String file, byte[] bytes, String mapping, JsonNode expected) {
        boolean sendableAsBody() {
            return bytes.length > 0 && isUtf8(bytes);
        }

        /** Over the API's body limit: the upload form is the only way in. */
        boolean tooLargeForBody() {
            return bytes.length > ImportRequests.MAX_BODY_BYTES;
        }
    }

    /** One import of a case and the user who ran it. */
    private record Run(Case corpusFile, String path, String user, String jobId) {
    }

    static List<Case> cases() throws IOException {
        JsonNode manifest = LocalApi.JSON.readTree(CORPUS.resolve("manifest.json").toFile());
        List<Case> cases = new ArrayList<>();
        for (JsonNode entry : manifest.get("files")) {
            String file = entry.get("file").asText();
            byte[] bytes = entry.has("generate") ? generate(entry.get("generate"))
                    : Files.readAllBytes(CORPUS.resolve(file));
            cases.add(new Case(file, bytes, entry.path("mapping").textValue(), entry));
        }
        return cases;
    }

    /** The concatenation of each [text, times] pair, for files too large to keep in the repository. */
    private static byte[] generate(JsonNode parts) {
        StringBuilder text = new StringBuilder();
        parts.forEach(part -> text.append(part.get(0).asText().repeat(part.get(1).asInt())));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Test
    void everyBrokenFileEndsInClearRowErrorsOrAClearFailure() throws Exception {
        List<Case> cases = cases();
        List<Run> runs = new ArrayList<>();
        int refusedBodies = 0;
        int refusedLarge = 0;
        // Every import is started first, so the workers read the files while the others are still being sent.
        for (Case file : cases) {
            String user = newUser("csv-upload");
            runs.add(new Run(file, "upload", user, ImportIT.importUpload(user, file.bytes(),
                    file.mapping() == null ? null : "\"" + file.mapping() + "\"")));
            String bodyUser = newUser("csv-body");
            String query = file.mapping() == null ? "" : "?mapping=" + file.mapping();
            if (file.tooLargeForBody()) {
                // Refused at once with the 413 that points to the upload form; no job is created.
                Reply refused = LocalApi.send(HttpRequest.newBuilder(LocalApi.API.resolve("/imports" + query))
                        .header("Authorization", "Bearer " + LocalApi.token(bodyUser))
                        .header("Content-Type", "text/csv")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(file.bytes())).build());
                assertProblem(413, refused);
                assertTrue(refused.json().get("detail").asText().contains("upload form"), refused.toString());
                assertEquals(0, get("/jobs", bodyUser).json().get("items").size(), file.file());
                refusedLarge++;
            } else if (file.sendableAsBody()) {
                runs.add(new Run(file, "body", bodyUser,
                        ImportIT.importBody(bodyUser, new String(file.bytes(), StandardCharsets.UTF_8), query)));
            } else {
                // Not UTF-8, or nothing at all: refused at once, and no job is created.
                assertProblem(400, LocalApi.send(HttpRequest.newBuilder(LocalApi.API.resolve("/imports" + query))
                        .header("Authorization", "Bearer " + LocalApi.token(bodyUser))
                        .header("Content-Type", "text/csv")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(file.bytes())).build()));
                assertEquals(0, get("/jobs", bodyUser).json().get("items").size(), file.file());
                refusedBodies++;
            }
        }
        int failed = 0;
        int succeeded = 0;
        for (Run run : runs) {
            JsonNode job = LocalApi.awaitFinishedJob(run.user(), run.jobId(), FINISH_MILLIS);
            String outcome = check(run, job);
            if (outcome.startsWith("failed")) {
                failed++;
            } else {
                succeeded++;
            }
            System.out.printf("%-42s %-6s %9d bytes  %s%n", run.corpusFile().file(), run.path(),
                    run.corpusFile().bytes().length, outcome);
        }
        System.out.printf("broken-CSV corpus: %d files, %d imports (%d finished with their rows and row errors, "
                + "%d failed with a reason), %d bodies refused with 400 and %d with 413, 0 5xx, 0 unfinished%n",
                cases.size(), runs.size(), succeeded, failed, refusedBodies, refusedLarge);
    }

    /** Asserts the job's outcome against the manifest; returns a one-line summary. */
    private static String check(Run run, JsonNode job) {
        JsonNode expected = run.corpusFile().expected();
        String what = run.corpusFile().file() + " (" + run.path() + ")";
        assertEquals(expected.get("status").asText(), job.get("status").asText(), what + ": " + job);
        List<String> stored = new ArrayList<>();
        for (JsonNode tx : TransactionsIT.walk(run.user(), "/transactions?limit=200")) {
            List<String> tags = new ArrayList<>();
            tx.get("tags").forEach(tag -> tags.add(tag.asText()));
            stored.add(String.join("|", tx.get("date").asText(), tx.get("type").asText(), tx.get("amount").asText(),
                    tx.get("currency").asText(), tx.get("category").asText(), tx.get("note").asText(),
                    String.join(";", tags)));
        }
        if (expected.get("status").asText().equals("failed")) {
            String reason = job.get("error").asText();
            assertTrue(reason.contains(expected.get("reason").asText()), what + ": " + reason);
            assertEquals(List.of(), stored, what + ": a failed file writes nothing");
            assertEquals(Map.of(), LocalApi.storedStatistics(run.user()), what);
            return "failed: " + reason;
        }
        List<String> wanted = new ArrayList<>();
        expected.get("transactions").forEach(t -> wanted.add(t.asText()));
        assertEquals(wanted.stream().sorted().toList(), stored.stream().sorted().toList(), what);
        List<List<Object>> wantedErrors = new ArrayList<>();
        expected.get("errors").forEach(e -> wantedErrors.add(List.of(e.get(0).asLong(),
                e.get(1).isNull() ? "" : e.get(1).asText())));
        List<List<Object>> errors = new ArrayList<>();
        LocalApi.Reply page = get("/jobs/" + run.jobId() + "/errors?limit=100", run.user());
        assertEquals(200, page.status(), page.toString());
        for (JsonNode error : page.json().get("items")) {
            assertTrue(!error.get("reason").asText().isBlank(), what + ": " + error);
            errors.add(List.of(error.get("row").asLong(), error.get("column").isNull() ? "" : error.get("column").asText()));
        }
        assertEquals(wantedErrors, errors, what + ": " + page.body());
        JsonNode progress = job.get("progress");
        assertEquals(wanted.size(), progress.get("imported").asLong(), what);
        assertEquals(wantedErrors.size(), progress.get("invalid").asLong(), what);
        assertEquals(LocalApi.recountedStatistics(run.user()), LocalApi.storedStatistics(run.user()), what);
        return job.get("status").asText() + ": " + wanted.size() + " rows imported, " + wantedErrors.size()
                + " row errors";
    }
}
