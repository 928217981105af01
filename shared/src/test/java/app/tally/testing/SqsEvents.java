package app.tally.testing;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import java.util.ArrayList;
import java.util.List;

/** The repository's sample SQS events as batches of chosen bodies, for the queue functions' handler tests. */
public final class SqsEvents {
    private SqsEvents() {
    }

    /**
     * events/{name}.json with one record per body (message ids m0, m1, ...); a null body keeps the sample's own
     * message, and every record keeps the sample's attributes (its receive count).
     */
    public static SQSEvent batch(String name, String... bodies) {
        SQSEvent event = EventLoader.loadSQSEvent(ApiEvents.eventsFolder().resolve(name + ".json").toString());
        SQSEvent.SQSMessage sample = event.getRecords().get(0);
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (int i = 0; i < bodies.length; i++) {
            SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
            record.setMessageId("m" + i);
            record.setBody(bodies[i] == null ? sample.getBody() : bodies[i]);
            record.setAttributes(sample.getAttributes());
            records.add(record);
        }
        event.setRecords(records);
        return event;
    }

    /** The message ids the function asked SQS to deliver again. */
    public static List<String> failed(SQSBatchResponse response) {
        return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }
}
