package app.tally.jobs;

import java.util.Locale;

/**
 * Where a job is: {@code queued → running → succeeded | failed}. A retried worker finds it {@code running} and starts
 * it again; {@code succeeded} and {@code failed} are final (the store's conditional updates refuse to leave them).
 */
public enum JobStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobStatus fromWire(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }

    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED;
    }
}
