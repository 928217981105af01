package app.tally.local.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.CRC32;

/**
 * DynamoDB's write limit per partition key (about 1,000 WCU/s; here a configured rate, so a test can reach it
 * quickly), for keys with a given prefix: a token bucket per partition key value that refills at the rate and holds one
 * second of it. A write costs one unit per KB it carries (at least one; transactional writes twice that), as DynamoDB
 * reckons write units; an update is reckoned by its request, since the proxy never sees the item it changes. What
 * DynamoDB answers when a key is over its limit is what the client sees:
 * <ul>
 *     <li>PutItem, UpdateItem, DeleteItem: 400 {@code ProvisionedThroughputExceededException} with the throttling
 *     reason {@code TableWriteKeyRangeThroughputExceeded};</li>
 *     <li>BatchWriteItem: the items whose key is over its limit come back as {@code UnprocessedItems} and the rest is
 *     written; when no item can be written, the whole call is that 400;</li>
 *     <li>TransactWriteItems: nothing is written, 400 {@code TransactionCanceledException} with the reason
 *     {@code ThrottlingError} for each throttled action and {@code None} for the others.</li>
 * </ul>
 * Reads are not limited.
 */
final class KeyThrottle {
    private static final String PREFIX = "com.amazonaws.dynamodb.v20120810#";
    /** Lenient where Tally's own mapper is strict: requests carry whatever the SDK sends. */
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final KeyLimit limit;
    private final Map<String, Bucket> buckets = new HashMap<>();
    private final LongAdder throttledWrites = new LongAdder();

    /** What became of a request: the answer to send back. */
    interface Forward {
        HttpMessage exchange(HttpMessage request) throws IOException;
    }

    KeyThrottle(KeyLimit limit) {
        this.limit = limit;
    }

    /** Writes (items or actions) refused so far. */
    long throttledWrites() {
        return throttledWrites.sum();
    }

    /** Whether {@code operation} is a write this throttle may change; other requests pass untouched. */
    boolean applies(String operation) {
        return limit.on() && switch (operation) {
            case "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems" -> true;
            default -> false;
        };
    }

    /** Forwards the request, or what of it the keys' limits let through, and answers as DynamoDB would. */
    HttpMessage handle(String operation, HttpMessage request, Forward forward) throws IOException {
        JsonNode body = MAPPER.readTree(request.body);
        return switch (operation) {
            case "PutItem" -> single(request, body.path("Item"), body.path("Item"), 1, forward);
            case "UpdateItem" -> single(request, body.path("Key"), body, 1, forward);
            case "DeleteItem" -> single(request, body.path("Key"), body.path("Key"), 1, forward);
            case "BatchWriteItem" -> batch(request, body, forward);
            case "TransactWriteItems" -> transaction(request, body, forward);
            default -> forward.exchange(request);
        };
    }

    private HttpMessage single(HttpMessage request, JsonNode key, JsonNode written, int factor, Forward forward)
            throws IOException {
        synchronized (this) {
            if (!take(List.of(new Write(partition(key), units(written) * factor)))) {
                return throughputExceeded(request);
            }
        }
        return forward.exchange(request);
    }

    /** Items one by one: those whose key has room are written, the others come back unprocessed. */
    private HttpMessage batch(HttpMessage request, JsonNode body, Forward forward) throws IOException {
        ObjectNode admitted = MAPPER.createObjectNode();
        ObjectNode refused = MAPPER.createObjectNode();
        int taken = 0;
        int left = 0;
        synchronized (this) {
            for (Map.Entry<String, JsonNode> table : body.path("RequestItems").properties()) {
                ArrayNode in = admitted.putArray(table.getKey());
                ArrayNode out = MAPPER.createArrayNode();
                for (JsonNode item : table.getValue()) {
                    JsonNode written = item.has("PutRequest") ? item.path("PutRequest").path("Item")
                            : item.path("DeleteRequest").path("Key");
                    if (take(List.of(new Write(partition(written), units(written))))) {
                        in.add(item);
                        taken++;
                    } else {
                        out.add(item);
                        left++;
                    }
                }
                if (in.isEmpty()) {
                    admitted.remove(table.getKey());
                }
                if (!out.isEmpty()) {
                    refused.set(table.getKey(), out);
                }
            }
        }
        if (left == 0) {
            return forward.exchange(request);
        }
        if (taken == 0) {
            return throughputExceeded(request);
        }
        ObjectNode changed = ((ObjectNode) body).deepCopy();
        changed.set("RequestItems", admitted);
        HttpMessage answer = forward.exchange(withBody(request, MAPPER.writeValueAsBytes(changed)));
        if (answer.status() != 200) {
            return answer;
        }
        ObjectNode result = (ObjectNode) MAPPER.readTree(answer.body);
        ObjectNode unprocessed = result.has("UnprocessedItems") && result.get("UnprocessedItems").isObject()
                ? (ObjectNode) result.get("UnprocessedItems") : result.putObject("UnprocessedItems");
        refused.properties().forEach(table -> {
            ArrayNode items = unprocessed.has(table.getKey()) ? (ArrayNode) unprocessed.get(table.getKey())
                    : unprocessed.putArray(table.getKey());
            items.addAll((ArrayNode) table.getValue());
        });
        return withBody(answer, MAPPER.writeValueAsBytes(result));
    }

    /** All or nothing: one action's key over its limit cancels the transaction, which then takes no units. */
    private HttpMessage transaction(HttpMessage request, JsonNode body, Forward forward) throws IOException {
        List<Write> writes = new ArrayList<>();
        for (JsonNode action : body.path("TransactItems")) {
            if (action.has("Put")) {
                writes.add(new Write(partition(action.path("Put").path("Item")), 2 * units(action.path("Put").path("Item"))));
            } else if (action.has("Update")) {
                writes.add(new Write(partition(action.path("Update").path("Key")), 2 * units(action.path("Update"))));
            } else if (action.has("Delete")) {
                writes.add(new Write(partition(action.path("Delete").path("Key")), 2));
            } else {
                writes.add(new Write(null, 0)); // a condition check reads
            }
        }
        List<Boolean> room;
        synchronized (this) {
            room = writes.stream().map(this::hasRoom).toList();
            if (!room.contains(false)) {
                take(writes);
            }
        }
        if (!room.contains(false)) {
            return forward.exchange(request);
        }
        throttledWrites.add(room.stream().filter(ok -> !ok).count());
        ObjectNode error = MAPPER.createObjectNode().put("__type", PREFIX + "TransactionCanceledException");
        ArrayNode reasons = error.putArray("CancellationReasons");
        List<String> codes = new ArrayList<>();
        for (boolean ok : room) {
            String code = ok ? "None" : "ThrottlingError";
            codes.add(code);
            ObjectNode reason = reasons.addObject().put("Code", code);
            if (!ok) {
                reason.put("Message", "Throughput exceeds the current capacity for one or more global secondary "
                        + "indexes or the table. (key limit of the fault proxy)");
            }
        }
        error.put("Message", "Transaction cancelled, please refer cancellation reasons for specific reasons "
                + codes);
        return answer(400, "Bad Request", error);
    }

    /** A write's partition key value and the units it costs; a null key is not limited. */
    private record Write(String key, long units) {
    }

    private boolean hasRoom(Write write) {
        return !limited(write) || bucket(write.key()).available() >= write.units();
    }

    /** Takes every write's units when each has room (the caller holds the lock); false, and nothing taken, if not. */
    private boolean take(List<Write> writes) {
        if (!writes.stream().allMatch(this::hasRoom)) {
            throttledWrites.add(writes.size());
            return false;
        }
        writes.stream().filter(this::limited).forEach(write -> bucket(write.key()).take(write.units()));
        return true;
    }

    private boolean limited(Write write) {
        return write.key() != null && write.key().startsWith(limit.keyPrefix());
    }

    private Bucket bucket(String key) {
        return buckets.computeIfAbsent(key, k -> new Bucket(limit.writeUnitsPerSecond()));
    }

    /** Units refill continuously at the rate, up to one second's worth. */
    private static final class Bucket {
        private final double rate;
        private double tokens;
        private long last = System.nanoTime();

        Bucket(double rate) {
            this.rate = rate;
            this.tokens = rate;
        }

        double available() {
            long now = System.nanoTime();
            tokens = Math.min(rate, tokens + (now - last) / 1e9 * rate);
            last = now;
            return tokens;
        }

        void take(long units) {
            tokens -= units;
        }
    }

    /** The table's partition key value of an item or key (Tally's is the string {@code PK}). */
    private static String partition(JsonNode item) {
        JsonNode pk = item.path("PK");
        return pk.has("S") ? pk.get("S").asText() : null;
    }

    /** One write unit per KB, at least one. */
    private static long units(JsonNode written) {
        return Math.max(1, (written.toString().getBytes(StandardCharsets.UTF_8).length + 1023) / 1024);
    }

    private static HttpMessage throughputExceeded(HttpMessage request) {
        ObjectNode error = MAPPER.createObjectNode().put("__type", PREFIX + "ProvisionedThroughputExceededException")
                .put("message", "Throughput exceeds the current capacity for one or more global secondary indexes or"
                        + " the table. (key limit of the fault proxy)");
        error.putArray("ThrottlingReasons").addObject().put("reason", "TableWriteKeyRangeThroughputExceeded")
                .put("resource", "arn:aws:dynamodb:" + region(request) + ":000000000000:table/" + table(request));
        return answer(400, "Bad Request", error);
    }

    /** The region of the request's signing scope ({@code Credential=key/date/region/dynamodb/aws4_request}). */
    private static String region(HttpMessage request) {
        String authorization = String.valueOf(request.header("Authorization"));
        String[] scope = authorization.replaceAll(".*Credential=([^,]*).*", "$1").split("/");
        return scope.length > 2 ? scope[2] : "us-east-1";
    }

    private static String table(HttpMessage request) {
        try {
            JsonNode body = MAPPER.readTree(request.body);
            return body.has("TableName") ? body.get("TableName").asText()
                    : body.path("RequestItems").fieldNames().hasNext() ? body.path("RequestItems").fieldNames().next() : "table";
        } catch (IOException e) {
            return "table";
        }
    }

    private static HttpMessage answer(int status, String reason, ObjectNode json) {
        String body = json.toString();
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        return HttpMessage.response(status, reason, "application/x-amz-json-1.0", body,
                "x-amzn-RequestId", UUID.randomUUID().toString(), "x-amz-crc32", Long.toString(crc.getValue()));
    }

    /** The message with another body: its length and DynamoDB's body checksum follow. */
    private static HttpMessage withBody(HttpMessage message, byte[] body) {
        List<String[]> headers = new ArrayList<>();
        for (String[] header : message.headers) {
            if (!header[0].equalsIgnoreCase("Content-Length") && !header[0].equalsIgnoreCase("x-amz-crc32")
                    && !header[0].equalsIgnoreCase("Transfer-Encoding")) {
                headers.add(header);
            }
        }
        if (message.header("x-amz-crc32") != null) {
            CRC32 crc = new CRC32();
            crc.update(body);
            headers.add(new String[] {"x-amz-crc32", Long.toString(crc.getValue())});
        }
        headers.add(new String[] {"Content-Length", Integer.toString(body.length)});
        return new HttpMessage(message.startLine, headers, body);
    }
}
