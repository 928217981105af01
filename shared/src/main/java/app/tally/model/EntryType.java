package app.tally.model;

import java.util.Locale;

/**
 * Whether a transaction brings money in, takes it out, or gives back money spent earlier. A refund is its own entry
 * (visible, listed, exported as {@code refund}) but counts against spending: it is booked into its category's expense
 * statistics with its amount subtracted (see docs/import.md, "Refunds").
 */
public enum EntryType {
    INCOME, EXPENSE, REFUND;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The statistics type this entry is summed under: a refund lowers its category's expense. */
    public EntryType statistic() {
        return this == REFUND ? EXPENSE : this;
    }

    /** +1 or -1: the sign this entry's amount takes in its statistics item's sum. */
    public int statisticSign() {
        return this == REFUND ? -1 : 1;
    }

    public static EntryType fromWire(String text) {
        for (EntryType type : values()) {
            if (type.wire().equals(text)) {
                return type;
            }
        }
        throw new IllegalArgumentException("must be \"income\", \"expense\" or \"refund\"");
    }
}
