package app.tally.telemetry;

import app.tally.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * Structured logs: one JSON object per line on stdout, which Lambda ships to the function's log group, so CloudWatch
 * Logs Insights can query every field. Callers name what happened; they must never put a token, a presigned URL, a
 * request body or a raw subject in a line (a user appears only as its {@link UserRef}).
 * <p>
 * Hand-written rather than Powertools logging: Powertools' log4j2 initialisation cost about 0.4-0.5 s on the first
 * line of a cold start and 4 MB of artifact here, for fields this class writes with Jackson, which every function
 * loads anyway (docs/operations.md).
 */
public final class Log {
    private Log() {
    }

    public static Line info(String event) {
        return new Line("INFO", event);
    }

    public static Line warn(String event) {
        return new Line("WARN", event);
    }

    public static Line error(String event) {
        return new Line("ERROR", event);
    }

    /** One log event; {@link #write} prints it as one line. */
    public static final class Line {
        private final ObjectNode json = Json.object();

        private Line(String level, String event) {
            json.put("level", level);
            json.put("timestamp", Instant.now().toString());
            json.put("event", event);
        }

        public Line put(String name, String value) {
            if (value != null) {
                json.put(name, value);
            }
            return this;
        }

        public Line put(String name, long value) {
            json.put(name, value);
            return this;
        }

        public Line put(String name, double value) {
            json.put(name, value);
            return this;
        }

        /** Every member of {@code fields} joins the line (an EMF record's, so that the line carries its metrics). */
        public Line merge(ObjectNode fields) {
            json.setAll(fields);
            return this;
        }

        public Line put(String name, boolean value) {
            json.put(name, value);
            return this;
        }

        /** The line as it is written. */
        public String text() {
            return Json.write(json);
        }

        public void write() {
            // One println per event: lines of concurrent requests never interleave.
            System.out.println(text());
        }
    }
}
