package app.tally.it;

import static app.tally.it.LocalApi.AWS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.it.LocalApi.Reply;
import app.tally.local.LocalStack;
import app.tally.local.template.SamTemplate;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Replays the bad-input corpus ({@code corpus/requests.jsonl}, one request a line) through the gateway as one user who
 * has a transaction, a finished export, a finished import and an upload that never came. Every answer must be the
 * corpus line's 4xx as an RFC 9457 problem, never a 5xx, and the whole table, the bucket and the queues must be as they
 * were before.
 * <p>
 * A line has {@code name}, {@code method}, {@code path}, optional {@code headers}, a {@code body} (text) or
 * {@code bodyBase64} (bytes, e.g. invalid UTF-8), and the expected {@code status}. In paths and bodies
 * {@code {repeat:TEXT:N}} stands for TEXT N times (deep nesting, 10 MB bodies, long query strings) and {@code {tx}},
 * {@code {exportJob}}, {@code {importJob}}, {@code {uploadJob}} for the user's own resources.
 */
class BadInputCorpusIT {
    private static final Path CORPUS = LocalStack.root().resolve("local/src/test/resources/corpus/requests.jsonl");
    private static final Pattern REPEAT = Pattern.compile("\\{repeat:(.*?):(\\d+)}");
    /** Routes that read nothing from the request but the token: nothing in them can be malformed. */
    private static final Set<String> TAKES_NO_INPUT = Set.of("GET /me", "POST /push-tickets");

    private static String user;
    private static Map<String, String> resources;

    @BeforeAll
    static void aUserWithOneOfEverything() {
        user = LocalApi.newUser("corpus");
        String tx = TransactionsIT.create(user, "1.00", "expense", "x", "2026-01-01").get("id").asText();
        Reply export = LocalApi.post("/exports", user, "{\"from\":\"2026-01-01\",\"to\":\"2026-01-31\"}");
        assertEquals(202, export.status(), export.toString());
        String exportJob = export.json().get("jobId").asText();
        assertEquals("succeeded", ExportIT.awaitFinished(user, exportJob).get("status").asText());
        String importJob = ImportIT.importBody(user,
                "date,type,amount,currency,category\r\n2026-01-02,expense,2.00,CNY,y\r\n2026-02-30,expense,1,CNY,x\r\n", "");
        assertEquals("succeeded", ImportIT.awaitFinished(user, importJob).get("status").asText());
        Reply upload = LocalApi.post("/imports", user, "{\"filename\":\"never-uploaded.csv\"}");
        assertEquals(202, upload.status(), upload.toString());
        resources = Map.of("{tx}", tx, "{exportJob}", exportJob, "{importJob}", importJob,
                "{uploadJob}", upload.json().get("jobId").asText());
        // The writes above told the user's (absent) clients; those pushes must be done before the queues are counted.
        LocalApi.awaitCondition(() -> pushesWaiting() == 0, 30_000);
    }

    /** One line of the corpus. */
    record BadRequest(String name, String method, String path, Map<String, String> headers, byte[] body, int status) {
    }

    static List<BadRequest> corpus() throws IOException {
        List<BadRequest> requests = new ArrayList<>();
        for (String line : Files.readAllLines(CORPUS, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode entry = LocalApi.JSON.readTree(line);
            Map<String, String> headers = new TreeMap<>();
            entry.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
            byte[] body = entry.has("bodyBase64") ? Base64.getDecoder().decode(entry.get("bodyBase64").asText())
                    : entry.has("body") ? expand(entry.get("body").asText()).getBytes(StandardCharsets.UTF_8) : null;
            requests.add(new BadRequest(entry.get("name").asText(), entry.get("method").asText(),
                    expand(entry.get("path").asText()), headers, body, entry.get("status").asInt()));
        }
        return requests;
    }

    private static String expand(String text) {
        Matcher repeat = REPEAT.matcher(text);
        StringBuilder expanded = new StringBuilder();
        while (repeat.find()) {
            repeat.appendReplacement(expanded, Matcher.quoteReplacement(
                    repeat.group(1).repeat(Integer.parseInt(repeat.group(2)))));
        }
        return repeat.appendTail(expanded).toString();
    }

    @Test
    void everyMalformedRequestIsAProblemAndChangesNothing() throws IOException {
        List<BadRequest> corpus = corpus();
        List<SamTemplate.HttpRoute> routes = LocalStack.template().httpRoutes();
        Map<String, Integer> perRoute = new TreeMap<>();
        routes.forEach(route -> perRoute.put(route.method() + " " + route.path(), 0));
        Map<Integer, Integer> perStatus = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        int serverErrors = 0;

        Map<String, ?> table = LocalApi.tableSnapshot();
        Map<String, String> files = LocalApi.objects("");
        long messages = messagesInQueues();
        long started = System.nanoTime();
        for (BadRequest request : corpus) {
            String path = request.path();
            for (Map.Entry<String, String> resource : resources.entrySet()) {
                path = path.replace(resource.getKey(), resource.getValue());
            }
            perRoute.merge(routeOf(routes, request.method(), path), 1, Integer::sum);
            Reply reply = send(request, path);
            perStatus.merge(reply.status(), 1, Integer::sum);
            if (reply.status() >= 500) {
                serverErrors++;
            }
            String problem = problemError(reply, request.status());
            if (problem != null) {
                wrong.add(request.name() + " (" + request.method() + " " + abbreviate(path) + "): " + problem);
            }
        }
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

        System.out.printf("bad-input corpus: %d requests in %d ms; answers by status %s; %d 5xx; %d not as expected%n",
                corpus.size(), elapsedMillis, perStatus, serverErrors, wrong.size());
        perRoute.forEach((route, count) -> System.out.printf("  %-28s %4d%n", route, count));
        assertTrue(corpus.size() >= 200, "the corpus has " + corpus.size() + " requests");
        assertEquals(List.of(), wrong, "answers that are not the expected problem");
        assertEquals(0, serverErrors);
        perRoute.forEach((route, count) -> assertTrue(count > 0 || TAKES_NO_INPUT.contains(route),
                "no malformed request for " + route));
        assertEquals(table, LocalApi.tableSnapshot(), "the table is as it was");
        assertEquals(files, LocalApi.objects(""), "the bucket is as it was");
        assertEquals(messages, messagesInQueues(), "no message was sent");
        System.out.printf("bad-input corpus: table (%d items), bucket (%d objects) and queues (%d messages) unchanged%n",
                table.size(), files.size(), messages);
    }

    private static Reply send(BadRequest request, String path) {
        HttpRequest.Builder http = HttpRequest.newBuilder(URI.create(LocalApi.API + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + LocalApi.token(user))
                .method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach(http::header);
        return LocalApi.send(http.build());
    }

    /** Why the reply is not the expected problem, or null when it is. */
    private static String problemError(Reply reply, int expected) {
        if (reply.status() != expected) {
            return "expected " + expected + ", got " + reply.status() + " " + abbreviate(reply.body());
        }
        if (!"application/problem+json".equals(reply.header("Content-Type"))) {
            return "Content-Type " + reply.header("Content-Type");
        }
        JsonNode problem;
        try {
            problem = LocalApi.JSON.readTree(reply.body());
        } catch (IOException e) {
            return "not JSON: " + abbreviate(reply.body());
        }
        if (!problem.path("type").asText().startsWith("https://") || problem.path("title").asText().isBlank()
                || problem.path("status").asInt() != expected || problem.path("detail").asText().isBlank()
                || reply.body().contains("Exception") || reply.body().contains("\tat ")) {
            return "not a valid problem: " + abbreviate(reply.body());
        }
        return null;
    }

    private static String routeOf(List<SamTemplate.HttpRoute> routes, String method, String path) {
        String rawPath = path.split("\\?", 2)[0];
        for (SamTemplate.HttpRoute route : routes) {
            String pattern = "\\Q" + route.path().replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q") + "\\E";
            if (route.method().equals(method) && rawPath.matches(pattern)) {
                return route.method() + " " + route.path();
            }
        }
        throw new AssertionError("no route of template.yaml for " + method + " " + abbreviate(rawPath));
    }

    /** Messages waiting, in flight or delayed, over every queue: sending one changes the sum. */
    private static long messagesInQueues() {
        return messages(AWS.sqs().listQueues(r -> { }).join().queueUrls());
    }

    private static long pushesWaiting() {
        return messages(AWS.sqs().listQueues(r -> r.queueNamePrefix("tally-push-queue")).join().queueUrls());
    }

    private static long messages(List<String> queues) {
        long total = 0;
        for (String queue : queues) {
            Map<QueueAttributeName, String> attributes = AWS.sqs().getQueueAttributes(r -> r.queueUrl(queue)
                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).join().attributes();
            for (String count : attributes.values()) {
                total += Long.parseLong(count);
            }
        }
        return total;
    }

    private static String abbreviate(String text) {
        return text == null || text.length() <= 300 ? text : text.substring(0, 300) + "…(" + text.length() + " chars)";
    }
}
