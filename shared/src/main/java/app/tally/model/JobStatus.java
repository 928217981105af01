package app.tally.model;

import java.util.Locale;

/**
 * Where a job is: {@code queued → running → succeeded | partial | failed}; an import whose file the client uploads
 * itself starts {@code awaiting_upload}. A retried worker finds it {@code running} and starts it again;
 * {@code succeeded}, {@code partial} (an import that wrote some rows but lost others) and {@code failed} are final (the
 * store's conditional updates refuse to leave them).
 */
public enum JobStatus {
    AWAITING_UPLOAD, QUEUED, RUNNING, SUCCEEDED, PARTIAL, FAILED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobStatus fromWire(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }

    public boolean isFinal() {
        return this == SUCCEEDED || this == PARTIAL || this == FAILED;
    }
}
