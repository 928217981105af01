package app.tally.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.json.Json;
import app.tally.telemetry.Emf.Unit;
import app.tally.testing.Stdout;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EmfTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T08:00:00Z"), ZoneOffset.UTC);

    /**
     * What CloudWatch requires of a record (the EMF specification): a _aws member with an integer Timestamp and one
     * directive per namespace; every dimension a directive names is a top-level string; every metric a top-level
     * number (or array of numbers); units from CloudWatch's list. Returns the parsed record.
     */
    static JsonNode assertValidRecord(String line) throws Exception {
        JsonNode record = Json.parse(line);
        JsonNode aws = record.get("_aws");
        assertTrue(aws.get("Timestamp").isIntegralNumber(), line);
        assertEquals(1, aws.get("CloudWatchMetrics").size(), line);
        for (JsonNode directive : aws.get("CloudWatchMetrics")) {
            assertFalse(directive.get("Namespace").asText().isBlank(), line);
            assertTrue(directive.get("Dimensions").isArray() && directive.get("Dimensions").size() >= 1, line);
            for (JsonNode set : directive.get("Dimensions")) {
                assertTrue(set.size() <= 30, line);
                set.forEach(name -> assertTrue(record.path(name.asText()).isTextual(), name + " in " + line));
            }
            assertTrue(directive.get("Metrics").size() >= 1 && directive.get("Metrics").size() <= 100, line);
            for (JsonNode metric : directive.get("Metrics")) {
                assertTrue(record.path(metric.get("Name").asText()).isNumber(), metric + " in " + line);
                assertTrue(Set.of("Count", "Milliseconds", "Count/Second").contains(metric.get("Unit").asText()), line);
            }
        }
        return record;
    }

    @Test
    void aRecordIsOneJsonLineThatNamesItsDimensionsAndMetrics() throws Exception {
        String line = Emf.record("Tally", CLOCK).dimension("Kind", "export").dimension("Status", "succeeded")
                .dimensionSet("Kind").dimensionSet("Kind", "Status")
                .metric("JobDuration", 1234, Unit.MILLISECONDS)
                .metric("Rate", 12.5, Unit.COUNT_PER_SECOND)
                .property("job", "01M8GA8C45FA7VNZS1R1N9GJX5")
                .text();
        assertFalse(line.contains("\n"));
        JsonNode record = assertValidRecord(line);
        assertEquals(CLOCK.millis(), record.at("/_aws/Timestamp").asLong());
        JsonNode directive = record.at("/_aws/CloudWatchMetrics/0");
        assertEquals("Tally", directive.get("Namespace").asText());
        assertEquals(Json.parse("[[\"Kind\"],[\"Kind\",\"Status\"]]"), directive.get("Dimensions"));
        assertEquals(Json.parse("[{\"Name\":\"JobDuration\",\"Unit\":\"Milliseconds\"},"
                + "{\"Name\":\"Rate\",\"Unit\":\"Count/Second\"}]"), directive.get("Metrics"));
        assertEquals(1234, record.get("JobDuration").asLong());
        assertEquals(12.5, record.get("Rate").asDouble());
        assertEquals("export", record.get("Kind").asText());
        assertEquals("01M8GA8C45FA7VNZS1R1N9GJX5", record.get("job").asText());
    }

    @Test
    void aRecordWithoutDimensionsPublishesTheMetricAlone() throws Exception {
        JsonNode record = assertValidRecord(Emf.record("Tally", CLOCK).metric("X", 1, Unit.COUNT).text());
        assertEquals(Json.parse("[[]]"), record.at("/_aws/CloudWatchMetrics/0/Dimensions"));
    }

    @Test
    void aDimensionSetMayNameOnlyDimensionsWithValuesAndARecordNeedsAMetric() {
        assertThrows(IllegalArgumentException.class, () -> Emf.record("Tally").dimensionSet("Kind"));
        assertThrows(IllegalStateException.class, () -> Emf.record("Tally").text());
        assertThrows(IllegalArgumentException.class,
                () -> Emf.record("Tally").dimension("Kind", "x").metric("Kind", 1, Unit.COUNT));
    }

    @Test
    void tallysMetricsAreRecordsCloudWatchAccepts() throws Exception {
        List<String> lines = Stdout.linesOf(() -> {
            Metrics.transactionsCreated("api", 1);
            Metrics.transactionsCreated("import", 0);
            Metrics.jobFinished("export", "succeeded", Duration.ofMillis(2500), "01M8GA8C45FA7VNZS1R1N9GJX5");
            Metrics.jobFinished("import", "failed", null, "01M8GA8C45FA7VNZS1R1N9GJX6");
            Metrics.importFinished(850.5, 2, 49, "01M8GA8C45FA7VNZS1R1N9GJX6");
            Metrics.deadLettered("import-chunk");
        });
        assertEquals(5, lines.size(), "no record for zero transactions: " + lines);
        List<JsonNode> records = new ArrayList<>();
        for (String line : lines) {
            records.add(assertValidRecord(line));
        }
        Set<String> names = new HashSet<>();
        records.forEach(r -> r.at("/_aws/CloudWatchMetrics/0/Metrics").forEach(m -> names.add(m.get("Name").asText())));
        assertEquals(Set.of("TransactionsCreated", "JobsFinished", "JobDuration", "ImportRowsPerSecond",
                "ImportRowsInvalid", "ImportRowsFailed", "MessagesDeadLettered"), names);
        records.forEach(r -> assertEquals(Metrics.NAMESPACE, r.at("/_aws/CloudWatchMetrics/0/Namespace").asText()));
        assertEquals("api", records.get(0).get("Source").asText());
        assertEquals(1, records.get(0).get("TransactionsCreated").asLong());
        assertEquals(2500, records.get(1).get("JobDuration").asLong());
        assertTrue(records.get(2).path("JobDuration").isMissingNode(), "no duration when it is unknown");
        assertEquals("failed", records.get(2).get("Status").asText());
        assertEquals(850.5, records.get(3).get("ImportRowsPerSecond").asDouble());
        assertEquals(49, records.get(3).get("ImportRowsFailed").asLong());
        assertEquals("import-chunk", records.get(4).get("Queue").asText());
        assertEquals(1, records.get(4).get("MessagesDeadLettered").asLong());
    }
}
