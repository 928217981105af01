package app.tally.model;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;

/** One recorded income or expense. {@code version} orders concurrent changes of the same transaction. */
public record Transaction(String id, LocalDate date, EntryType type, Money amount, String category, String note,
                          List<String> tags, Instant createdAt, Instant updatedAt, long version) {
    /** The days a transaction may be booked on (ids encode the day as an offset from the first). */
    public static final LocalDate EARLIEST = LocalDate.of(1900, 1, 1);
    public static final LocalDate LATEST = LocalDate.of(2999, 12, 31);

    public Transaction {
        tags = List.copyOf(tags);
    }

    public Transaction withId(String newId) {
        return new Transaction(newId, date, type, amount, category, note, tags, createdAt, updatedAt, version);
    }

    public YearMonth month() {
        return YearMonth.from(date);
    }
}
