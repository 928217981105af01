package app.tally.cli;

import app.tally.services.imports.ImportRequests;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./tally import FILE [--dry-run] [--mapping NAME|FILE]} and {@code ./tally export --from D --to D
 * [--format csv|json] [--out FILE]}: a small client that speaks only HTTP to the API, so it works against the local
 * gateway and a deployed stage alike ({@code --api URL --token T}; the script fills both in for the local stack).
 * Progress goes to stderr, redrawn in place on a terminal, one line a second otherwise; it comes from the user's push
 * socket ({@link PushSocket}), or from polling GET /jobs/{id} when the socket cannot be opened.
 */
public final class TallyCli {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final URI api;
    private final String token;
    private final boolean terminal = System.console() != null;

    private TallyCli(URI api, String token) {
        this.api = api;
        this.token = token;
    }

    public static void main(String[] args) {
        List<String> rest = new ArrayList<>(List.of(args));
        String api = option(rest, "--api", System.getenv().getOrDefault("TALLY_API_URL", "http://127.0.0.1:3000"));
        String token = option(rest, "--token", System.getenv("TALLY_TOKEN"));
        if (rest.isEmpty() || token == null) {
            usage();
        }
        TallyCli cli = new TallyCli(URI.create(api.endsWith("/") ? api : api + "/"), token);
        try {
            int code = switch (rest.remove(0)) {
                case "import" -> cli.importFile(rest);
                case "export" -> cli.export(rest);
                default -> usage();
            };
            System.exit(code);
        } catch (CliException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        } catch (IOException e) {
            System.err.println("error: " + e);
            System.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.exit(130);
        }
    }

    private static int usage() {
        System.err.println("usage: tally import FILE [--dry-run] [--mapping NAME|FILE] [--api URL] [--token T]\n"
                + "       tally export --from yyyy-MM-dd --to yyyy-MM-dd [--format csv|json] [--out FILE]"
                + " [--api URL] [--token T]");
        System.exit(2);
        return 2;
    }

    private static final class CliException extends RuntimeException {
        CliException(String message) {
            super(message);
        }
    }

    private int importFile(List<String> args) throws IOException, InterruptedException {
        boolean dryRun = args.remove("--dry-run");
        String mapping = option(args, "--mapping", null);
        if (args.size() != 1) {
            usage();
        }
        Path file = Path.of(args.get(0));
        if (!Files.isRegularFile(file)) {
            throw new CliException(file + " is not a file");
        }
        JsonNode mappingJson = null;
        if (mapping != null) {
            Path mappingFile = Path.of(mapping);
            mappingJson = Files.isRegularFile(mappingFile) ? JSON.readTree(mappingFile.toFile())
                    : JSON.getNodeFactory().textNode(mapping);
        }
        long size = Files.size(file);
        // Opened before the job exists, so that none of its events is missed.
        PushSocket socket = pushSocket();
        String jobId;
        if (size <= ImportRequests.MAX_BODY_BYTES) {
            StringBuilder query = new StringBuilder("imports?dryRun=" + dryRun);
            if (mappingJson != null) {
                query.append("&mapping=").append(URLEncoder.encode(mappingJson.isTextual() ? mappingJson.textValue()
                        : JSON.writeValueAsString(mappingJson), StandardCharsets.UTF_8));
            }
            jobId = send("POST", query.toString(), "text/csv; charset=utf-8",
                    HttpRequest.BodyPublishers.ofFile(file)).get("jobId").asText();
        } else {
            ObjectNode body = JSON.createObjectNode().put("filename", file.getFileName().toString()).put("dryRun", dryRun);
            if (mappingJson != null) {
                body.set("mapping", mappingJson);
            }
            JsonNode created = send("POST", "imports", "application/json",
                    HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            jobId = created.get("jobId").asText();
            System.err.printf("uploading %s (%.1f MB)…%n", file.getFileName(), size / 1e6);
            HttpResponse<String> sent = HTTP.send(UploadForm.request(created.get("upload"),
                    file.getFileName().toString(), HttpRequest.BodyPublishers.ofFile(file)),
                    HttpResponse.BodyHandlers.ofString());
            if (sent.statusCode() / 100 != 2) {
                throw new CliException("the upload failed: " + sent.statusCode() + " " + sent.body());
            }
            send("POST", "imports/" + jobId + "/start", null, HttpRequest.BodyPublishers.noBody());
        }
        System.err.println("import " + jobId + (dryRun ? " (dry run)" : ""));
        JsonNode job = follow(jobId, socket);
        JsonNode p = job.get("progress");
        System.out.printf("%s: %d rows read, %d valid, %d invalid; %d imported, %d duplicates, %d failed (%d rows/s)%n",
                job.get("status").asText(), p.get("total").asLong(), p.get("valid").asLong(),
                p.get("invalid").asLong(), p.get("imported").asLong(), p.get("duplicates").asLong(),
                p.get("failed").asLong(), p.get("rowsPerSecond").asLong());
        if (job.hasNonNull("error")) {
            System.out.println("error: " + job.get("error").asText());
        }
        JsonNode errors = send("GET", "jobs/" + jobId + "/errors?limit=10", null, HttpRequest.BodyPublishers.noBody());
        if (!errors.get("items").isEmpty()) {
            System.out.println("first row errors:");
            for (JsonNode error : errors.get("items")) {
                System.out.printf("  row %d%s: %s   %s%n", error.get("row").asLong(),
                        error.hasNonNull("column") ? " [" + error.get("column").asText() + "]" : "",
                        error.get("reason").asText(), error.get("raw").asText());
            }
            if (!errors.get("nextCursor").isNull()) {
                System.out.println("  … more at GET /jobs/" + jobId + "/errors");
            }
        }
        return job.get("status").asText().equals("succeeded") ? 0 : 1;
    }

    private int export(List<String> args) throws IOException, InterruptedException {
        String from = option(args, "--from", null);
        String to = option(args, "--to", null);
        String format = option(args, "--format", "csv");
        String out = option(args, "--out", null);
        if (from == null || to == null || !args.isEmpty()) {
            usage();
        }
        ObjectNode body = JSON.createObjectNode().put("from", from).put("to", to).put("format", format);
        PushSocket socket = pushSocket();
        String jobId = send("POST", "exports", "application/json",
                HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).get("jobId").asText();
        System.err.println("export " + jobId);
        JsonNode job = follow(jobId, socket);
        if (!job.get("status").asText().equals("succeeded")) {
            System.out.println(job.get("status").asText() + ": " + job.path("error").asText());
            return 1;
        }
        Path target = Path.of(out != null ? out : "tally-" + from + "-" + to + "." + (format.equals("json") ? "ndjson"
                : "csv"));
        HttpResponse<Path> file = HTTP.send(HttpRequest.newBuilder(URI.create(job.get("download").get("url").asText()))
                .GET().build(), HttpResponse.BodyHandlers.ofFile(target));
        if (file.statusCode() != 200) {
            throw new CliException("the download failed: " + file.statusCode());
        }
        System.out.printf("succeeded: %d rows, %d bytes → %s%n", job.get("progress").get("rows").asLong(),
                Files.size(target), target);
        return 0;
    }

    /** The user's push socket, or null (said once) when it cannot be opened: the job is then followed by polling. */
    private PushSocket pushSocket() {
        try {
            return PushSocket.open(HTTP, api, token);
        } catch (Exception e) {
            System.err.println("live progress unavailable (" + e.getMessage() + "): following the job by polling");
            return null;
        }
    }

    /**
     * Follows the job until it is final, drawing its progress: from the pushed events while the socket is open, else
     * (or once it closes, said once) by polling. Quiet for two seconds, the job is read once, in case an event was lost.
     */
    private JsonNode follow(String jobId, PushSocket socket) throws IOException, InterruptedException {
        long lastLine = 0;
        try (socket) {
            boolean pushed = socket != null;
            while (true) {
                JsonNode job = null;
                if (pushed) {
                    JsonNode message = socket.next(Duration.ofSeconds(2));
                    if (message != null && PushSocket.isClosed(message)) {
                        System.err.println((terminal ? "\n" : "") + "live progress lost: following the job by polling");
                        pushed = false;
                        continue;
                    }
                    if (message != null && !jobId.equals(message.path("data").path("jobId").asText())) {
                        continue;
                    }
                    if (message != null && message.get("type").asText().equals("job.progress")) {
                        job = JSON.createObjectNode().put("status", message.get("data").get("status").asText())
                                .set("progress", message.get("data").get("counts"));
                    }
                }
                if (job == null) {
                    // Polling, a finished job (its answer has the download link), or two quiet seconds.
                    job = send("GET", "jobs/" + jobId, null, HttpRequest.BodyPublishers.noBody());
                }
                String status = job.get("status").asText();
                boolean done = List.of("succeeded", "partial", "failed").contains(status);
                long now = System.currentTimeMillis();
                if (terminal || done || now - lastLine >= 1000) {
                    String line = bar(job);
                    System.err.print(terminal ? "\r" + line + "\033[K" : line + "\n");
                    lastLine = now;
                }
                if (done) {
                    if (terminal) {
                        System.err.println();
                    }
                    return job;
                }
                if (!pushed) {
                    Thread.sleep(terminal ? 200 : 250);
                }
            }
        }
    }

    static String bar(JsonNode job) {
        JsonNode p = job.get("progress");
        int percent = p.get("percent").asInt();
        int filled = percent * 30 / 100;
        StringBuilder line = new StringBuilder("[").append("#".repeat(filled)).append(" ".repeat(30 - filled))
                .append(String.format(Locale.ROOT, "] %3d%% %-9s", percent, job.get("status").asText()));
        if (p.has("imported")) {
            line.append(String.format(Locale.ROOT, " %,d/%,d rows  %,d rows/s", p.get("imported").asLong()
                    + p.get("duplicates").asLong() + p.get("failed").asLong(), p.get("valid").asLong(),
                    p.get("rowsPerSecond").asLong()));
            if (p.hasNonNull("etaSeconds") && p.get("etaSeconds").asLong() > 0) {
                line.append("  ETA ").append(p.get("etaSeconds").asLong()).append(" s");
            }
        } else {
            line.append(String.format(Locale.ROOT, " %,d rows  %d/%d months", p.get("rows").asLong(),
                    p.get("monthsDone").asInt(), p.get("monthsTotal").asInt()));
        }
        return line.toString();
    }

    private JsonNode send(String method, String path, String contentType, HttpRequest.BodyPublisher body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).method(method, body);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            String detail = response.body();
            try {
                JsonNode problem = JSON.readTree(detail);
                detail = problem.path("detail").asText(detail);
                if (problem.has("errors")) {
                    detail += " " + problem.get("errors");
                }
            } catch (IOException notJson) {
                // show the body as it is
            }
            throw new CliException(method + " /" + path + " → " + response.statusCode() + ": " + detail);
        }
        return JSON.readTree(response.body());
    }

    private static String option(List<String> args, String name, String fallback) {
        int at = args.indexOf(name);
        if (at < 0) {
            return fallback;
        }
        if (at + 1 >= args.size()) {
            throw new CliException(name + " needs a value");
        }
        String value = args.get(at + 1);
        args.remove(at + 1);
        args.remove(at);
        return value;
    }
}
