package app.tally.telemetry;

import app.tally.json.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One CloudWatch Embedded Metric Format record: a JSON log line whose {@code _aws} member tells CloudWatch Logs to
 * turn the named top-level values into metrics. Written to stdout like any log line, so a function sends metrics
 * without a network call (CloudWatch extracts them from the log group asynchronously).
 * <p>
 * The format: {@code {"_aws":{"Timestamp":<epoch ms>,"CloudWatchMetrics":[{"Namespace":N,"Dimensions":[[d, ...],
 * ...],"Metrics":[{"Name":m,"Unit":u}, ...]}]}, d: "value", m: number}}; every dimension named in a set must be a
 * top-level string member, every metric a top-level number. At most 30 dimensions in a set and 100 metrics a record.
 */
public final class Emf {
    /** CloudWatch's units that Tally uses. */
    public enum Unit {
        COUNT("Count"), MILLISECONDS("Milliseconds"), COUNT_PER_SECOND("Count/Second");

        private final String wire;

        Unit(String wire) {
            this.wire = wire;
        }
    }

    private final String namespace;
    private final Clock clock;
    private final Map<String, String> dimensions = new LinkedHashMap<>();
    private final List<List<String>> dimensionSets = new ArrayList<>();
    private final Map<String, Number> values = new LinkedHashMap<>();
    private final Map<String, Unit> units = new LinkedHashMap<>();
    private final Map<String, String> properties = new LinkedHashMap<>();

    private Emf(String namespace, Clock clock) {
        this.namespace = namespace;
        this.clock = clock;
    }

    public static Emf record(String namespace) {
        return record(namespace, Clock.systemUTC());
    }

    public static Emf record(String namespace, Clock clock) {
        return new Emf(namespace, clock);
    }

    /** A dimension's value; it becomes part of the metrics' identity only through {@link #dimensionSet}. */
    public Emf dimension(String name, String value) {
        dimensions.put(name, value);
        return this;
    }

    /** A combination of dimensions every metric of the record is published under (none: the metric alone). */
    public Emf dimensionSet(String... names) {
        for (String name : names) {
            if (!dimensions.containsKey(name)) {
                throw new IllegalArgumentException("dimension " + name + " has no value");
            }
        }
        dimensionSets.add(List.of(names));
        return this;
    }

    public Emf metric(String name, Number value, Unit unit) {
        if (dimensions.containsKey(name) || properties.containsKey(name)) {
            throw new IllegalArgumentException(name + " is already a dimension or property");
        }
        values.put(name, value);
        units.put(name, unit);
        return this;
    }

    /** A searchable value that is not a metric (e.g. the job id): logged with the record, not published. */
    public Emf property(String name, String value) {
        if (value != null) {
            properties.put(name, value);
        }
        return this;
    }

    public String text() {
        return Json.write(json());
    }

    /** The record as a JSON object, to be written alone ({@link #text}) or merged into a log line. */
    public ObjectNode json() {
        if (values.isEmpty()) {
            throw new IllegalStateException("an EMF record needs at least one metric");
        }
        ObjectNode root = Json.object();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", clock.millis());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", namespace);
        ArrayNode sets = directive.putArray("Dimensions");
        if (dimensionSets.isEmpty()) {
            sets.addArray();
        }
        dimensionSets.forEach(set -> set.forEach(sets.addArray()::add));
        ArrayNode metrics = directive.putArray("Metrics");
        units.forEach((name, unit) -> metrics.addObject().put("Name", name).put("Unit", unit.wire));
        dimensions.forEach(root::put);
        properties.forEach(root::put);
        values.forEach((name, value) -> {
            if (value instanceof Double || value instanceof Float) {
                root.put(name, value.doubleValue());
            } else {
                root.put(name, value.longValue());
            }
        });
        return root;
    }

    public void write() {
        System.out.println(text());
    }
}
