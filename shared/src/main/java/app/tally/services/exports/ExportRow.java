package app.tally.services.exports;

import app.tally.model.EntryType;
import app.tally.model.Money;
import app.tally.model.Transaction;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** What an export file carries of one transaction, in both formats, and what an import reads back. */
public record ExportRow(String id, LocalDate date, EntryType type, Money amount, String category, String note,
                        List<String> tags, Instant createdAt) {

    public ExportRow {
        tags = List.copyOf(tags);
    }

    public static ExportRow of(Transaction tx) {
        return new ExportRow(tx.id(), tx.date(), tx.type(), tx.amount(), tx.category(), tx.note(), tx.tags(),
                tx.createdAt());
    }
}
