package app.tally.functions.importworker;

import static app.tally.testing.SqsEvents.batch;
import static app.tally.testing.SqsEvents.failed;
import static org.junit.jupiter.api.Assertions.assertEquals;

import app.tally.aws.Env;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How ImportWorkerFunction answers SQS (AWS is a closed port, so a real run fails like an outage would). */
class ImportWorkerHandlerTest {
    private final ImportWorkerHandler handler = new ImportWorkerHandler(Env.of(Map.of("TABLE_NAME", "t",
            "FILES_BUCKET", "b", "IMPORT_MAX_RECEIVES", "3",
            "IMPORT_CHUNK_QUEUE_URL", "http://127.0.0.1:9/000000000000/chunks.fifo")));

    @Test
    void messagesThatCanNeverSucceedAreDroppedNotRetried() {
        SQSBatchResponse response = handler.handleRequest(batch("import-requested.sqs", "not json",
                "{\"user\":\"u\",\"jobId\":\"01M8GA8C45FA7VNZS1R1N9GJX5\",\"kind\":\"export\"}", "{\"jobId\":\"x\"}"), null);
        assertEquals(List.of(), failed(response));
    }

    @Test
    void runThatCannotReachItsStoresIsReportedAsThatMessagesFailureOnly() {
        SQSBatchResponse response = handler.handleRequest(batch("import-requested.sqs", "not json", null), null);
        assertEquals(List.of("m1"), failed(response));
    }
}
