package app.tally.functions.importchunk;

import static app.tally.testing.SqsEvents.batch;
import static app.tally.testing.SqsEvents.failed;
import static org.junit.jupiter.api.Assertions.assertEquals;

import app.tally.aws.Env;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How ImportChunkFunction answers SQS (AWS is a closed port, so a real run fails like an outage would). */
class ImportChunkHandlerTest {
    private final ImportChunkHandler handler = new ImportChunkHandler(Env.of(Map.of("TABLE_NAME", "t",
            "IMPORT_CHUNK_MAX_RECEIVES", "3", "PUSH_QUEUE_URL", "http://127.0.0.1:9/0/push.fifo")));

    @Test
    void messagesThatCanNeverSucceedAreDroppedNotRetried() {
        SQSBatchResponse response = handler.handleRequest(batch("import-chunk.sqs", "not json",
                "{\"user\":\"u\",\"jobId\":\"01M8GA8C45FA7VNZS1R1N9GJX5\",\"kind\":\"import\"}", "{\"jobId\":\"x\"}"), null);
        assertEquals(List.of(), failed(response));
    }

    @Test
    void runThatCannotReachItsStoresIsReportedAsThatMessagesFailureOnly() {
        SQSBatchResponse response = handler.handleRequest(batch("import-chunk.sqs", "not json", null), null);
        assertEquals(List.of("m1"), failed(response));
    }
}
