package app.tally.model;

import java.util.Locale;

/** Whether a transaction brings money in or takes it out. */
public enum EntryType {
    INCOME, EXPENSE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static EntryType fromWire(String text) {
        for (EntryType type : values()) {
            if (type.wire().equals(text)) {
                return type;
            }
        }
        throw new IllegalArgumentException("must be \"income\" or \"expense\"");
    }
}
