package app.tally.telemetry;

import app.tally.telemetry.Emf.Unit;
import java.time.Duration;

/**
 * Tally's business and job metrics, namespace {@value #NAMESPACE}, as EMF records on stdout (see {@link Emf}). The
 * names here are the ones docs/operations.md lists and dashboards or alarms use.
 */
public final class Metrics {
    public static final String NAMESPACE = "Tally";
    /** The metrics of DynamoDB capacity units on each invocation's line, which the cost tools add up. */
    public static final String READ_UNITS = "ReadUnits";
    public static final String WRITE_UNITS = "WriteUnits";

    private Metrics() {
    }

    /** {@code TransactionsCreated} by {@code Source}: {@code api} (POST /transactions) or {@code import}. */
    public static void transactionsCreated(String source, long count) {
        if (count > 0) {
            Emf.record(NAMESPACE).dimension("Source", source).dimensionSet("Source")
                    .metric("TransactionsCreated", count, Unit.COUNT).write();
        }
    }

    /**
     * A job reached a final status: {@code JobsFinished} (1) and {@code JobDuration} (from its request to now, when
     * known) by {@code Kind} and by {@code Kind}+{@code Status}.
     */
    public static void jobFinished(String kind, String status, Duration sinceRequested, String jobId) {
        Emf record = Emf.record(NAMESPACE).dimension("Kind", kind).dimension("Status", status)
                .dimensionSet("Kind").dimensionSet("Kind", "Status")
                .metric("JobsFinished", 1, Unit.COUNT)
                .property("job", jobId);
        if (sinceRequested != null) {
            record.metric("JobDuration", sinceRequested.toMillis(), Unit.MILLISECONDS);
        }
        record.write();
    }

    /**
     * A finished import: {@code ImportRowsInvalid} (rows that failed validation), {@code ImportRowsFailed} (valid rows
     * that could not be written) and, when rows were written, {@code ImportRowsPerSecond}.
     */
    public static void importFinished(Double rowsPerSecond, long invalid, long failed, String jobId) {
        Emf record = Emf.record(NAMESPACE)
                .metric("ImportRowsInvalid", invalid, Unit.COUNT)
                .metric("ImportRowsFailed", failed, Unit.COUNT)
                .property("job", jobId);
        if (rowsPerSecond != null) {
            record.metric("ImportRowsPerSecond", rowsPerSecond, Unit.COUNT_PER_SECOND);
        }
        record.write();
    }

    /**
     * {@code MessagesDeadLettered} by {@code Queue} (the worker's name): a message failed on its last allowed receive,
     * so SQS moves it to the dead-letter queue.
     */
    public static void deadLettered(String queue) {
        Emf.record(NAMESPACE).dimension("Queue", queue).dimensionSet("Queue")
                .metric("MessagesDeadLettered", 1, Unit.COUNT).write();
    }

    /**
     * {@code ReadUnits} and {@code WriteUnits} (DynamoDB capacity units) one invocation consumed, by {@code Function},
     * carried by the invocation's own log line with the rest of its {@link Usage}.
     */
    public static Log.Line consumed(Log.Line line, String function, Usage usage) {
        Emf record = Emf.record(NAMESPACE)
                .metric(READ_UNITS, usage.readUnits(), Unit.COUNT)
                .metric(WRITE_UNITS, usage.writeUnits(), Unit.COUNT);
        if (function != null) {
            record.dimension("Function", function).dimensionSet("Function");
        }
        return usage.describe(line).merge(record.json());
    }
}
