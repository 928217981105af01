package app.tally.model;

import java.util.Locale;

/** What a background job does. */
public enum JobKind {
    EXPORT, IMPORT;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobKind fromWire(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
