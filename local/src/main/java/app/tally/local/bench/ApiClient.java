package app.tally.local.bench;

import app.tally.retry.Backoff;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * The gateway as a careful client sees it: a request that meets a 5xx, a 429 or a cut connection is sent again, the
 * same request with the same headers (so a create keeps its Idempotency-Key), after Retry-After or a capped,
 * jittered exponential backoff, up to {@code maxAttempts} times. With one attempt it is a plain client that counts.
 */
public final class ApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_BACKOFF_MILLIS = 2_000;

    private final URI api;
    private final Backoff backoff;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final LongAdder retries = new LongAdder();

    public ApiClient(URI api, int maxAttempts) {
        this.api = api;
        // Tally's retry policy: jittered exponential pauses of up to 2 s, a bounded number of attempts.
        this.backoff = new Backoff(Duration.ofMillis(50), Duration.ofMillis(MAX_BACKOFF_MILLIS), Duration.ofMinutes(10),
                maxAttempts);
    }

    /** The gateway the benchmarks and tests were started against. */
    public static URI gateway() {
        String configured = System.getProperty("TALLY_API_URL", System.getenv("TALLY_API_URL"));
        return URI.create(configured != null ? configured : "http://127.0.0.1:3000");
    }

    /** The last answer, how many attempts it took; status 0 when every attempt lost its connection. */
    public record Reply(int status, Map<String, List<String>> headers, String body, int attempts) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        public boolean retryable() {
            return status == 0 || status == 429 || status >= 500;
        }

        @Override
        public String toString() {
            return status + " " + (body.length() > 300 ? body.substring(0, 300) + "…" : body);
        }
    }

    /** Requests sent again, over this client's life. */
    public long retries() {
        return retries.sum();
    }

    public Reply send(String method, String path, String token, String contentType, String body, String... headers) {
        return send(URI.create(api + path), method, token, contentType, body, headers);
    }

    /** The same with a full URL (a presigned link). */
    public Reply send(URI url, String method, String token, String contentType, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpRequest built = request.build();
        Reply reply = null;
        Backoff.Attempts attempts = backoff.start();
        for (int attempt = 1; attempt <= backoff.maxAttempts(); attempt++) {
            if (attempt > 1) {
                retries.increment();
                pause(reply, attempts);
            }
            try {
                HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                reply = new Reply(response.statusCode(), response.headers().map(), response.body(), attempt);
            } catch (IOException e) {
                reply = new Reply(0, Map.of(), "connection failed: " + e, attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (!reply.retryable()) {
                return reply;
            }
        }
        return reply;
    }

    /** The server's Retry-After (capped) when it gave one in seconds, else the policy's next pause. */
    private static void pause(Reply last, Backoff.Attempts attempts) {
        List<String> retryAfter = last == null ? null : last.headers().get("retry-after");
        if (retryAfter != null && !retryAfter.isEmpty()) {
            try {
                Thread.sleep(Math.min(MAX_BACKOFF_MILLIS, Long.parseLong(retryAfter.get(0).trim()) * 1000));
                return;
            } catch (NumberFormatException ignored) {
                // an HTTP date: the policy's pause
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        attempts.pause().ifPresent(CompletableFuture::join);
    }
}
