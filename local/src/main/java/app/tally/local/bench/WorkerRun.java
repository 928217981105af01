package app.tally.local.bench;

import app.tally.local.runtime.LocalContext;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Runs in a fresh JVM whose classpath is one SQS-triggered function's artifact (plus this class and LocalContext):
 * creates the handler as Lambda does, hands it each message in turn (one invocation each, as one container would
 * see them), and prints per invocation how long it took and how many records failed, then the heap's peak.
 * {@code ExportBench} starts it with {@code -Xmx256m}. Arguments: handler class, timeout seconds, message bodies.
 */
public final class WorkerRun {
    private WorkerRun() {
    }

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        String handlerClass = args[0];
        int timeoutSeconds = Integer.parseInt(args[1]);
        var handler = (RequestHandler<SQSEvent, SQSBatchResponse>) Class.forName(handlerClass).getConstructor()
                .newInstance();
        StringBuilder runs = new StringBuilder();
        for (int i = 2; i < args.length; i++) {
            SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
            message.setMessageId(UUID.randomUUID().toString());
            message.setBody(args[i]);
            message.setAttributes(Map.of("ApproximateReceiveCount", "1"));
            SQSEvent event = new SQSEvent();
            event.setRecords(List.of(message));
            long started = System.nanoTime();
            SQSBatchResponse response = handler.handleRequest(event, new LocalContext(handlerClass, 1024, timeoutSeconds));
            runs.append(runs.isEmpty() ? "" : ",").append(String.format("{\"ms\":%d,\"failures\":%d}",
                    (System.nanoTime() - started) / 1_000_000, response.getBatchItemFailures().size()));
        }
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf("{\"runs\":[%s],\"heapPeakMb\":%d,\"maxHeapMb\":%d}%n", runs, peak / (1024 * 1024),
                Runtime.getRuntime().maxMemory() / (1024 * 1024));
    }
}
