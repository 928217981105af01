package app.tally.local.cost;

import app.tally.telemetry.Metrics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * What a workload consumed of each billed thing, read from the log lines its functions wrote (each request's and
 * message's line carries its usage: docs/cost.md), plus what the workload's client did itself (presigned uploads and
 * downloads) and what it left stored.
 */
public record Consumption(long httpRequests, long invocations, double gbSeconds, double readUnits, double writeUnits,
                          long sqsRequests, long s3TierOne, long s3TierTwo, long logBytes, long transferOutBytes,
                          double s3StoredGbMonths, double dynamoDbStoredGbMonths) {
    /**
     * Lambda's own START, END and REPORT lines per invocation (about 70 + 50 + 160 bytes with the request id; more
     * on a cold start), ingested with the function's lines.
     */
    static final int PLATFORM_LOG_BYTES = 280;
    /**
     * Each invocation from an SQS event source mapping costs the queue a ReceiveMessage and a DeleteMessageBatch,
     * made by Lambda's pollers and billed to the account.
     */
    static final int SQS_REQUESTS_PER_MAPPED_INVOCATION = 2;
    static final double GB = 1024.0 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    public static final Consumption NONE = new Consumption(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** From the stack's output lines of the workload; {@code memoryMb} gives each function's configured memory. */
    public static Consumption fromLog(List<String> lines, ToIntFunction<String> memoryMb) throws Exception {
        long http = 0;
        long logBytes = 0;
        double gbSeconds = 0;
        double read = 0;
        double write = 0;
        long sqs = 0;
        long tierOne = 0;
        long tierTwo = 0;
        // An SQS-triggered invocation carries a batch: one line per message, the invocation lasts the longest.
        Map<String, Long> batchMillis = new HashMap<>();
        Map<String, String> batchFunction = new HashMap<>();
        for (String line : lines) {
            if (!line.startsWith("{")) {
                continue; // the stack's own output, not a function's
            }
            logBytes += line.getBytes(StandardCharsets.UTF_8).length + 1;
            JsonNode json = JSON.readTree(line);
            String event = json.path("event").asText();
            String function = json.path("function").asText(null);
            if (function == null || !(event.equals("request") || event.equals("message"))) {
                continue;
            }
            // Lambda bills whole milliseconds, rounded up; the line's latency is rounded down.
            long billedMillis = json.path("latencyMs").asLong() + 1;
            if (event.equals("request")) {
                http++;
                gbSeconds += memoryMb.applyAsInt(function) / 1024.0 * billedMillis / 1000.0;
            } else {
                String invocation = json.path("requestId").asText();
                batchMillis.merge(invocation, billedMillis, Math::max);
                batchFunction.put(invocation, function);
            }
            read += json.path(Metrics.READ_UNITS).asDouble();
            write += json.path(Metrics.WRITE_UNITS).asDouble();
            sqs += json.path("sqsRequests").asLong();
            tierOne += json.path("s3TierOneRequests").asLong();
            tierTwo += json.path("s3TierTwoRequests").asLong();
        }
        for (Map.Entry<String, Long> batch : batchMillis.entrySet()) {
            gbSeconds += memoryMb.applyAsInt(batchFunction.get(batch.getKey())) / 1024.0 * batch.getValue() / 1000.0;
        }
        long invocations = http + batchMillis.size();
        return new Consumption(http, invocations, gbSeconds, read, write,
                sqs + (long) SQS_REQUESTS_PER_MAPPED_INVOCATION * batchMillis.size(), tierOne, tierTwo,
                logBytes + (long) PLATFORM_LOG_BYTES * invocations, 0, 0, 0);
    }

    /** With what the client did beside the functions: requests to S3 through presigned links, bytes downloaded. */
    public Consumption withClient(long s3TierOneRequests, long s3TierTwoRequests, long downloadedBytes) {
        return new Consumption(httpRequests, invocations, gbSeconds, readUnits, writeUnits, sqsRequests,
                s3TierOne + s3TierOneRequests, s3TierTwo + s3TierTwoRequests, logBytes,
                transferOutBytes + downloadedBytes, s3StoredGbMonths, dynamoDbStoredGbMonths);
    }

    /** With what the workload left stored, held for a share of a month. */
    public Consumption withStorage(long s3Bytes, double s3Months, long dynamoDbBytes, double dynamoDbMonths) {
        return new Consumption(httpRequests, invocations, gbSeconds, readUnits, writeUnits, sqsRequests, s3TierOne,
                s3TierTwo, logBytes, transferOutBytes, s3StoredGbMonths + s3Bytes / GB * s3Months,
                dynamoDbStoredGbMonths + dynamoDbBytes / GB * dynamoDbMonths);
    }

    /** Every count times {@code factor}: a measured sample scaled to a table row's size. */
    public Consumption scaled(double factor) {
        return new Consumption(Math.round(httpRequests * factor), Math.round(invocations * factor), gbSeconds * factor,
                readUnits * factor, writeUnits * factor, Math.round(sqsRequests * factor), Math.round(s3TierOne * factor),
                Math.round(s3TierTwo * factor), Math.round(logBytes * factor), Math.round(transferOutBytes * factor),
                s3StoredGbMonths * factor, dynamoDbStoredGbMonths * factor);
    }
}
