package app.tally.telemetry;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * What one invocation (an HTTP request, a queue message) consumed of the billed services: DynamoDB read and write
 * units, SQS requests (billed per 64 KB chunk), S3 requests by price tier and the bytes S3 sent and received. The AWS
 * clients' metering interceptors add to the usage current on the thread that starts a call (the handler's thread, and
 * executors that carry it: {@link #propagating}); a call started elsewhere (the async SDK completes its futures on its
 * own threads, where a chained call starts) counts for the invocation that last started a call on the same client.
 * On AWS a container runs one invocation at a time and that is exact; where invocations of one function overlap (the
 * local runtime) such a call may be counted for an overlapping one, and totals over a workload stay exact. See
 * docs/cost.md.
 */
public final class Usage {
    private static final ThreadLocal<Usage> CURRENT = new ThreadLocal<>();

    private final DoubleAdder readUnits = new DoubleAdder();
    private final DoubleAdder writeUnits = new DoubleAdder();
    private final LongAdder dynamoDbCalls = new LongAdder();
    private final LongAdder sqsRequests = new LongAdder();
    private final LongAdder s3TierOneRequests = new LongAdder();
    private final LongAdder s3TierTwoRequests = new LongAdder();
    private final LongAdder s3BytesIn = new LongAdder();
    private final LongAdder s3BytesOut = new LongAdder();

    /** The usage of the invocation running on this thread, or null. */
    public static Usage current() {
        return CURRENT.get();
    }

    /** Runs {@code body} with {@code usage} current, then restores what was current before. */
    public static <T> T within(Usage usage, Supplier<T> body) {
        return on(usage, body);
    }

    private static <T> T on(Usage usage, Supplier<T> body) {
        Usage before = CURRENT.get();
        CURRENT.set(usage);
        try {
            return body.get();
        } finally {
            restore(before);
        }
    }

    /** An executor that runs each task with the usage that was current when the task was handed to it. */
    public static Executor propagating(Executor executor) {
        return task -> {
            Usage usage = current();
            executor.execute(() -> on(usage, () -> {
                task.run();
                return null;
            }));
        };
    }

    private static void restore(Usage before) {
        if (before == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(before);
        }
    }

    public void dynamoDb(double read, double write) {
        dynamoDbCalls.increment();
        readUnits.add(read);
        writeUnits.add(write);
    }

    public void sqs(long billedRequests) {
        sqsRequests.add(billedRequests);
    }

    /** One S3 request: tier one (PUT, COPY, POST, LIST) or tier two (GET, HEAD), and its body bytes each way. */
    public void s3(boolean tierOne, long bytesIn, long bytesOut) {
        (tierOne ? s3TierOneRequests : s3TierTwoRequests).increment();
        s3BytesIn.add(bytesIn);
        s3BytesOut.add(bytesOut);
    }

    public double readUnits() {
        return readUnits.sum();
    }

    public double writeUnits() {
        return writeUnits.sum();
    }

    /**
     * Adds this usage's counts that are not zero to an invocation's log line; the units go there as metrics
     * ({@link Metrics#consumed}).
     */
    Log.Line describe(Log.Line line) {
        nonZero(line, "dynamoDbCalls", dynamoDbCalls.sum());
        nonZero(line, "sqsRequests", sqsRequests.sum());
        nonZero(line, "s3TierOneRequests", s3TierOneRequests.sum());
        nonZero(line, "s3TierTwoRequests", s3TierTwoRequests.sum());
        nonZero(line, "s3BytesIn", s3BytesIn.sum());
        nonZero(line, "s3BytesOut", s3BytesOut.sum());
        return line;
    }

    private static void nonZero(Log.Line line, String name, long value) {
        if (value != 0) {
            line.put(name, value);
        }
    }
}
