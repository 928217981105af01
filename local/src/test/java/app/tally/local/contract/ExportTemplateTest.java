package app.tally.local.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.local.LocalStack;
import app.tally.local.template.SamTemplate;
import app.tally.local.template.SamTemplate.FunctionDef;
import app.tally.local.template.SamTemplate.SqsTrigger;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The numbers the export worker's retry rules rest on, as template.yaml declares them. */
class ExportTemplateTest {
    private static final SamTemplate TEMPLATE = LocalStack.template();

    @Test
    void workerGivesUpOnTheReceiveThatSendsTheMessageToTheDeadLetterQueue() {
        FunctionDef worker = TEMPLATE.functions().stream()
                .filter(f -> f.logicalId().equals("ExportWorkerFunction")).findFirst().orElseThrow();
        SqsTrigger trigger = worker.sqsTriggers().get(0);
        Map<String, Object> queue = TEMPLATE.resources().get(trigger.queueLogicalId()).properties();
        Map<?, ?> redrive = (Map<?, ?>) queue.get("RedrivePolicy");

        assertTrue(trigger.reportBatchItemFailures());
        assertEquals(String.valueOf(redrive.get("maxReceiveCount")), worker.environment().get("EXPORT_MAX_RECEIVES"));
        assertTrue(((Number) queue.get("VisibilityTimeout")).intValue() >= 6 * worker.timeoutSeconds(),
                "AWS advises a visibility timeout of at least six times the function timeout");
    }
}
