package app.tally.it;

import app.tally.local.LedgerAudit;
import app.tally.local.LocalClients;
import app.tally.local.LocalEndpoints;
import app.tally.local.LocalStack;
import app.tally.local.contract.OpenApiDocument;
import app.tally.local.gateway.LocalJwt;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

/**
 * The integration tests' view of the running local stack: plain HTTP to the gateway with real tokens, and the real
 * SDK clients for checking what is stored. Started by {@code ./tally test}; the endpoints come from its environment.
 */
final class LocalApi {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TABLE = "tally-table";
    static final String BUCKET = "tally-files-bucket";
    static final URI API = URI.create(setting("TALLY_API_URL"));
    static final LocalJwt JWT = LocalStack.jwt();
    static final LocalClients AWS = LocalClients.create(LocalEndpoints.from(LocalApi::setting));
    /** Every API response the suite sees must be one api/openapi.yaml allows (see {@link #send}). */
    static final OpenApiDocument CONTRACT = OpenApiDocument.load(LocalStack.root());
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private LocalApi() {
    }

    /** Where the stack under test is: set by {@code ./tally test}, or by the LocalStack run as system properties. */
    static String setting(String name) {
        return System.getProperty(name, System.getenv(name));
    }

    /** A user nobody else in the test run uses. */
    static String newUser(String label) {
        return label + "-" + UUID.randomUUID();
    }

    static String token(String user) {
        return JWT.issue(user, Duration.ofHours(1));
    }

    record Reply(int status, Map<String, List<String>> headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    static Reply call(String method, String path, String user, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(API.resolve(path)).timeout(Duration.ofSeconds(30));
        if (user != null) {
            request.header("Authorization", "Bearer " + token(user));
        }
        boolean hasContentType = false;
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
            hasContentType |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (body != null && !hasContentType) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        return send(request.build());
    }

    static Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            Reply reply = new Reply(response.statusCode(), response.headers().map(), response.body());
            conform(request, reply);
            return reply;
        } catch (IOException e) {
            throw new AssertionError("request failed: " + request, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Fails the test when an API response does not conform to the document: an undocumented status, media type or
     * body, or a missing required header. A request to no documented operation must get API Gateway's own 404; the
     * local stack's {@code /_local/} paths are not part of the API.
     */
    static void conform(HttpRequest request, Reply reply) {
        String path = request.uri().getRawPath();
        if (!request.uri().getAuthority().equals(API.getAuthority()) || path.startsWith("/_local/")) {
            return;
        }
        Map<String, String> headers = new HashMap<>();
        reply.headers().forEach((name, values) -> headers.put(name, values.get(0)));
        var operation = CONTRACT.operationFor(request.method(), path);
        if (operation.isEmpty()) {
            if (reply.status() != 404 || !reply.body().equals("{\"message\":\"Not Found\"}")) {
                throw new AssertionError(request.method() + " " + path + " is no documented operation, yet answered "
                        + reply);
            }
            return;
        }
        List<String> problems = CONTRACT.check(operation.get(), reply.status(), headers, reply.body());
        if (!problems.isEmpty()) {
            throw new AssertionError("The response to " + request.method() + " " + path + " does not conform to "
                    + OpenApiDocument.FILE + ":\n  " + String.join("\n  ", problems) + "\nresponse: " + reply);
        }
    }

    static Reply get(String path, String user) {
        return call("GET", path, user, null);
    }

    static Reply post(String path, String user, String body, String... headers) {
        return call("POST", path, user, body, headers);
    }

    static Reply patch(String path, String user, String body) {
        return call("PATCH", path, user, body);
    }

    static Reply delete(String path, String user) {
        return call("DELETE", path, user, null);
    }

    /** The job once final (succeeded, partial or failed), polled as a client would, waiting out 503s. */
    static JsonNode awaitFinishedJob(String user, String id, long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            Reply reply = get("/jobs/" + id, user);
            if (reply.status() == 503) {
                sleep(1_000); // the emulator is busy; a client retries after Retry-After
                continue;
            }
            if (reply.status() != 200) {
                throw new AssertionError("GET /jobs/" + id + ": " + reply);
            }
            if (app.tally.model.JobStatus.fromWire(reply.json().get("status").asText()).isFinal()) {
                return reply.json();
            }
            sleep(200);
        }
        throw new AssertionError("job " + id + " did not finish: " + get("/jobs/" + id, user));
    }

    /** Waits until {@code done} holds, checking every 200 ms, or fails after {@code timeoutMillis}. */
    static void awaitCondition(java.util.function.BooleanSupplier done, long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!done.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not reached within " + timeoutMillis + " ms");
            }
            sleep(200);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Every stored item whose partition key starts with the prefix, read straight from DynamoDB. */
    static List<Map<String, AttributeValue>> itemsWithPrefix(String prefix) {
        return LedgerAudit.itemsWithPrefix(AWS.dynamoDb(), TABLE, prefix);
    }

    /** The bucket's objects under the prefix, key → ETag: a snapshot of stored files. */
    static Map<String, String> objects(String prefix) {
        Map<String, String> objects = new TreeMap<>();
        String token = null;
        do {
            String continuation = token;
            ListObjectsV2Response page = AWS.s3().listObjectsV2(r -> r.bucket(BUCKET).prefix(prefix)
                    .continuationToken(continuation)).join();
            page.contents().forEach(object -> objects.put(object.key(), object.eTag()));
            token = page.isTruncated() ? page.nextContinuationToken() : null;
        } while (token != null);
        return objects;
    }

    /** A snapshot of the whole table, to prove a request changed nothing. */
    static Map<String, Map<String, AttributeValue>> tableSnapshot() {
        Map<String, Map<String, AttributeValue>> all = new HashMap<>();
        itemsWithPrefix("").forEach(item -> all.put(item.get("PK").s() + "|" + item.get("SK").s(), item));
        return all;
    }

    /**
     * The user's statistics as stored, and as recounted from the stored transactions:
     * "month|type|category|currency" → {sum, count}, leaving out zero rows.
     */
    static LedgerAudit audit(String user) {
        return LedgerAudit.of(AWS.dynamoDb(), TABLE, user);
    }

    static Map<String, List<Long>> storedStatistics(String user) {
        return LedgerAudit.of(AWS.dynamoDb(), TABLE, user).stored();
    }

    static Map<String, List<Long>> recountedStatistics(String user) {
        return LedgerAudit.of(AWS.dynamoDb(), TABLE, user).recounted();
    }
}
