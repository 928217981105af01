package app.tally.functions.exportworker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import app.tally.aws.Env;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How ExportWorkerFunction answers SQS (AWS is a closed port, so a real run fails like an outage would). */
class ExportWorkerHandlerTest {
    private final ExportWorkerHandler handler = new ExportWorkerHandler(Env.of(Map.of(
            "TABLE_NAME", "t", "FILES_BUCKET", "b", "EXPORT_MAX_RECEIVES", "3",
            "PUSH_QUEUE_URL", "http://127.0.0.1:9/0/push.fifo")));

    private static SQSEvent event(String... bodies) {
        SQSEvent event = EventLoader.loadSQSEvent("../../events/export-requested.sqs.json");
        SQSEvent.SQSMessage template = event.getRecords().get(0);
        List<SQSEvent.SQSMessage> records = new java.util.ArrayList<>();
        for (int i = 0; i < bodies.length; i++) {
            SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
            record.setMessageId("m" + i);
            record.setBody(bodies[i] == null ? template.getBody() : bodies[i]);
            record.setAttributes(template.getAttributes());
            records.add(record);
        }
        event.setRecords(records);
        return event;
    }

    private static List<String> failed(SQSBatchResponse response) {
        return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    @Test
    void messagesThatCanNeverSucceedAreDroppedNotRetried() {
        SQSBatchResponse response = handler.handleRequest(event("not json",
                "{\"user\":\"u\",\"jobId\":\"01M8GA8C45FA7VNZS1R1N9GJX5\",\"kind\":\"import\"}", "{\"jobId\":\"x\"}"), null);
        assertEquals(List.of(), failed(response));
    }

    @Test
    void runThatCannotReachItsStoresIsReportedAsThatMessagesFailureOnly() {
        SQSBatchResponse response = handler.handleRequest(event("not json", null), null);
        assertEquals(List.of("m1"), failed(response));
    }
}
